#include "youtube/oauth_tokens.h"

#include <cstdlib>

#include "common/form.h"
#include "common/json_util.h"
#include "common/origin.h"
#include "common/transport.h"
#include "youtube/google_errors.h"

namespace herald::connectors::youtube {

namespace {

constexpr int64_t kRefreshAheadMs = 5 * 60 * 1000;
constexpr int64_t kMaxLifetimeS = 10LL * 366 * 24 * 3600;

}  // namespace

std::optional<TokenAnswer> ParseTokenAnswer(std::string_view body) {
  std::optional<web::json::value> v = ParseJson(body);
  if (!v || !v->is_object()) return std::nullopt;
  TokenAnswer t;
  t.access_token = JsonString(*v, "access_token");
  if (t.access_token.empty()) return std::nullopt;
  t.expires_in_s = JsonInt(*v, "expires_in", 3600);
  // The caller adds the lifetime to the clock: a non-positive one, or one
  // beyond ten years (Google's is an hour), reads as the usual hour.
  if (t.expires_in_s <= 0 || t.expires_in_s > kMaxLifetimeS) t.expires_in_s = 3600;
  t.refresh_token = JsonString(*v, "refresh_token");
  return t;
}

OAuthTokens::TokenOrOutcome OAuthTokens::Token(bool force_refresh) {
  std::optional<std::string> token = host_.Credential("access_token");
  int64_t expires = 0;
  if (auto e = host_.Credential("expires_at_ms")) expires = std::atoll(e->c_str());
  bool stale =
      !token || token->empty() || (expires > 0 && expires - host_.NowMs() < kRefreshAheadMs);
  if (!force_refresh && !stale) return *token;
  return Refresh();
}

OAuthTokens::TokenOrOutcome OAuthTokens::Refresh() {
  std::optional<std::string> refresh = host_.Credential("refresh_token");
  std::optional<std::string> client_id = host_.Credential("client_id");
  std::optional<std::string> client_secret = host_.Credential("client_secret");
  if (!refresh || refresh->empty()) {
    return herald::Outcome::AuthExpired(
        "the access token is expired and no refresh_token is stored");
  }
  if (!client_id || !client_secret) {
    return herald::Outcome::AuthExpired(
        "client_id and client_secret are needed to refresh the token");
  }
  herald::Request req("POST", token_url_);
  req.AddHeader("Content-Type", "application/x-www-form-urlencoded");
  req.BodyMemory(FormEncode({{"grant_type", "refresh_token"},
                             {"refresh_token", *refresh},
                             {"client_id", *client_id},
                             {"client_secret", *client_secret}}));
  req.Secret(*refresh).Secret(*client_secret);
  herald::HttpResult r = host_.Http(req);
  if (!r.ok()) return FromTransport(r.error(), Effect::kRead, "refreshing the access token");
  const herald::Response& resp = r.response();
  if (resp.status < 200 || resp.status >= 300) {
    std::optional<GoogleError> e = ParseGoogleError(resp);
    std::string reason = e ? e->reason : std::string();
    herald::Outcome out = [&] {
      if (resp.status >= 500 || resp.status == 429) {
        return herald::Outcome::Retry(
            resp.RetryAfterMs(host_.NowMs()).value_or(0),
            "the token endpoint is unavailable (HTTP " + std::to_string(resp.status) + ")");
      }
      if (reason == "invalid_grant") {
        return herald::Outcome::AuthExpired(
            "the refresh token was revoked or expired (invalid_grant)");
      }
      return herald::Outcome::AuthExpired(
          "the token endpoint refused the refresh (" +
          (reason.empty() ? "HTTP " + std::to_string(resp.status) : reason) + ")");
    }();
    out.WithHttpStatus(resp.status);
    if (!reason.empty()) out.WithPlatformCode(reason);
    return out;
  }
  std::optional<TokenAnswer> t = ParseTokenAnswer(resp.body);
  if (!t) return herald::Outcome::Retry(0, "the token endpoint answered without an access token");
  if (host_.StoreCredential("access_token", t->access_token) != HERALD_OK ||
      host_.StoreCredential("expires_at_ms",
                            std::to_string(host_.NowMs() + t->expires_in_s * 1000)) != HERALD_OK) {
    return herald::Outcome::Retry(0, "cannot store the refreshed access token");
  }
  // Google rarely rotates refresh tokens; store one only when it came back non-empty.
  if (!t->refresh_token.empty()) host_.StoreCredential("refresh_token", t->refresh_token);
  host_.Info("access token refreshed");
  return t->access_token;
}

std::variant<herald::HttpResult, herald::Outcome> OAuthTokens::Authorized(herald::Request req) {
  const std::optional<Origin> home = OriginOf(api_base_);
  const std::optional<Origin> there = OriginOf(req.url);
  if (!home || !there || !(*there == *home)) {
    return herald::Outcome::Failed(
        "refusing to send the channel's access token to " +
        (there ? there->Text() : std::string("a URL that is not plain http(s)")) +
        ": it goes only to the API's origin, " + (home ? home->Text() : api_base_));
  }
  for (int attempt = 0; attempt < 2; ++attempt) {
    TokenOrOutcome token = Token(attempt > 0);
    if (auto* o = std::get_if<herald::Outcome>(&token)) return *o;
    const std::string& t = std::get<std::string>(token);
    herald::Request sent = req;
    sent.AddHeader("Authorization", "Bearer " + t);
    sent.Secret(t);
    herald::HttpResult r = host_.Http(sent);
    if (!r.ok() || r.response().status != 401 || attempt > 0) return r;
  }
  return herald::Outcome::AuthExpired("unreachable");
}

}  // namespace herald::connectors::youtube
