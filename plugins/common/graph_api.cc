#include "common/graph_api.h"

#include <algorithm>

#include "common/json_util.h"
#include "common/origin.h"

namespace herald::connectors {

std::string GraphError::CodeText() const {
  std::string out = std::to_string(code);
  if (subcode) out += "/" + std::to_string(subcode);
  return out;
}

std::optional<GraphError> ParseGraphError(const herald::Response& r) {
  bool ok_status = r.status >= 200 && r.status < 300;
  std::optional<web::json::value> body = ParseJson(r.body);
  const web::json::value* error = body ? JsonField(*body, "error") : nullptr;
  if (ok_status && (!error || !error->is_object())) return std::nullopt;
  GraphError e;
  e.http_status = r.status;
  if (error && error->is_object()) {
    e.code = JsonInt(*error, "code", 0);
    e.subcode = JsonInt(*error, "error_subcode", 0);
    e.type = JsonString(*error, "type");
    e.message = JsonString(*error, "error_user_msg");
    if (e.message.empty()) e.message = JsonString(*error, "message");
    const web::json::value* transient = JsonField(*error, "is_transient");
    e.is_transient = transient && transient->is_boolean() && transient->as_bool();
  }
  if (e.message.empty()) {
    e.message =
        "HTTP " + std::to_string(r.status) +
        (body ? std::string(" without a Graph error") : std::string(" with an unreadable body"));
  }
  return e;
}

int64_t GraphRateLimitResumeMs(const herald::Response& r, int64_t now_ms) {
  if (std::optional<int64_t> at = r.RetryAfterMs(now_ms); at && *at > now_ms) return *at;
  int64_t minutes = 0;
  if (auto usage = r.HeaderValue("X-Business-Use-Case-Usage")) {
    if (auto parsed = ParseJson(*usage); parsed && parsed->is_object()) {
      for (const auto& [id, entries] : parsed->as_object()) {
        if (!entries.is_array()) continue;
        for (const auto& entry : entries.as_array()) {
          minutes = std::max(minutes, JsonInt(entry, "estimated_time_to_regain_access", 0));
        }
      }
    }
  }
  // An estimate beyond a day is held to a day (and kept from overflowing).
  constexpr int64_t kMaxMinutes = 24 * 60;
  if (minutes > 0) return now_ms + std::min(minutes, kMaxMinutes) * 60'000;
  return now_ms + 60'000;
}

herald::Outcome ClassifyGraphError(const GraphError& e, const herald::Response& r, int64_t now_ms,
                                   std::string_view what) {
  std::string reason = std::string(what) + ": " + e.message;
  if (e.code) reason += " (Graph error " + e.CodeText() + ")";
  herald::Outcome out = [&] {
    const int64_t c = e.code;
    if (c == 4 || c == 17 || c == 32 || c == 613 || (c >= 80001 && c <= 80014)) {
      return herald::Outcome::Retry(GraphRateLimitResumeMs(r, now_ms), "rate limited: " + reason);
    }
    if (c == 190 || c == 102 || c == 10 || (c >= 200 && c <= 299)) {
      return herald::Outcome::AuthExpired(reason);
    }
    // The server's Retry-After, when it sent one, says when; else the host's backoff.
    const int64_t not_before = r.RetryAfterMs(now_ms).value_or(0);
    if (c == 1 || c == 2 || e.is_transient || e.http_status >= 500 || e.http_status == 429) {
      return herald::Outcome::Retry(not_before, reason);
    }
    // No Graph error code, but the server asks to come back (a proxy's 4xx,
    // or a 3xx with Retry-After): a wait, not a verdict on the post.
    if (c == 0 && not_before > now_ms) return herald::Outcome::Retry(not_before, reason);
    return herald::Outcome::Failed(reason);
  }();
  out.WithHttpStatus(e.http_status);
  if (e.code) out.WithPlatformCode(e.CodeText());
  return out;
}

std::optional<herald::Outcome> GraphErrorOutcome(const herald::Response& r, int64_t now_ms,
                                                 std::string_view what) {
  std::optional<GraphError> e = ParseGraphError(r);
  if (!e) return std::nullopt;
  return ClassifyGraphError(*e, r, now_ms, what);
}

GraphApi::GraphApi(herald::Host host, std::string base, std::string version)
    : host_(host), base_(std::move(base)), version_(std::move(version)) {}

std::string GraphApi::Url(const std::string& path) const {
  return base_ + "/" + version_ + "/" + path;
}

namespace {

// The refusal for a path that is not a Graph path: nothing is sent.
herald::TransportError NotAGraphPath(const std::string& path) {
  return {HERALD_ERR_INVALID_ARGUMENT,
          "refusing to send the account's token to `" + path.substr(0, 80) +
              "`: not a Graph node path (an id from an answer that would leave its endpoint)"};
}

}  // namespace

herald::HttpResult GraphApi::Get(const std::string& path, Params query,
                                 const std::string& token) const {
  if (!IsGraphPath(path)) return NotAGraphPath(path);
  query.emplace_back("access_token", token);
  herald::Request req("GET", Url(path) + "?" + FormEncode(query));
  req.Secret(token);
  return host_.Http(req);
}

herald::HttpResult GraphApi::Post(const std::string& path, Params form,
                                  const std::string& token) const {
  if (!IsGraphPath(path)) return NotAGraphPath(path);
  form.emplace_back("access_token", token);
  herald::Request req("POST", Url(path));
  req.AddHeader("Content-Type", "application/x-www-form-urlencoded");
  req.BodyMemory(FormEncode(form));
  req.Secret(token);
  return host_.Http(req);
}

herald::HttpResult GraphApi::PostQuery(const std::string& path, Params query,
                                       const std::string& token) const {
  if (!IsGraphPath(path)) return NotAGraphPath(path);
  query.emplace_back("access_token", token);
  herald::Request req("POST", Url(path) + "?" + FormEncode(query));
  req.BodyMemory("");
  req.Secret(token);
  return host_.Http(req);
}

herald::HttpResult GraphApi::PostMultipart(const std::string& path,
                                           std::vector<herald::MultipartPart> parts,
                                           const std::string& token) const {
  if (!IsGraphPath(path)) return NotAGraphPath(path);
  parts.push_back(herald::MultipartPart::Field("access_token", token));
  herald::Request req("POST", Url(path));
  req.BodyMultipart(std::move(parts));
  req.Secret(token);
  return host_.Http(req);
}

std::string GraphBase(const std::optional<std::string>& api_base, const char* fallback) {
  std::string base = api_base && !api_base->empty() ? *api_base : std::string(fallback);
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

}  // namespace herald::connectors
