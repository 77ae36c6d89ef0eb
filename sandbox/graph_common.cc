#include "sandbox/graph_common.h"

#include <algorithm>

#include "sandbox/platform_errors.h"

namespace herald::sandbox {

namespace {

int UsagePercent(EmulatorContext& ctx, const std::string& account_id) {
  if (ctx.config.graph_calls_per_hour <= 0) return 0;
  const auto& calls = ctx.store.graph_calls[account_id];
  return static_cast<int>(std::min<size_t>(
      100, calls.size() * 100 / static_cast<size_t>(ctx.config.graph_calls_per_hour)));
}

}  // namespace

std::optional<HttpResponse> CheckGraphAccess(const HttpRequest& request, EmulatorContext& ctx,
                                             const std::string& account_id) {
  std::string token = AccessToken(request);
  if (token.empty()) {
    return GraphError(400, 104, 0, "OAuthException",
                      "An access token is required to request this resource.");
  }
  switch (ctx.store.CheckToken(token, account_id, ctx.now)) {
    case TokenCheck::kValid:
      break;
    case TokenCheck::kExpired:
      return GraphTokenError(true);
    case TokenCheck::kUnknown:
      return GraphTokenError(false);
    case TokenCheck::kOtherAccount:
      return GraphError(403, 200, 0, "OAuthException",
                        "(#200) The access token does not have permission for this object.");
  }
  if (ctx.config.graph_calls_per_hour > 0) {
    auto& calls = ctx.store.graph_calls[account_id];
    TimePoint hour_ago = ctx.now - std::chrono::hours(1);
    calls.erase(calls.begin(), std::find_if(calls.begin(), calls.end(),
                                            [&](TimePoint t) { return t > hour_ago; }));
    if (static_cast<int>(calls.size()) >= ctx.config.graph_calls_per_hour) {
      const AccountConfig* account = ctx.config.FindAccount(account_id);
      return GraphRateLimitError(account && account->platform == Platform::kInstagram ? 4 : 32,
                                 account_id);
    }
    calls.push_back(ctx.now);
  }
  return std::nullopt;
}

void AddUsage(HttpResponse& response, EmulatorContext& ctx, const std::string& account_id) {
  AddGraphUsageHeaders(response, account_id, UsagePercent(ctx, account_id));
}

std::vector<GraphField> ParseFields(const std::string& fields) {
  std::vector<GraphField> out;
  int depth = 0;
  std::string current;
  auto flush = [&] {
    if (current.empty()) return;
    size_t cut = current.find_first_of(".{");
    out.push_back(
        GraphField{current.substr(0, cut), cut == std::string::npos ? "" : current.substr(cut)});
    current.clear();
  };
  for (char c : fields) {
    if (c == '(' || c == '{') ++depth;
    if (c == ')' || c == '}') --depth;
    if (c == ',' && depth == 0) {
      flush();
    } else if (c != ' ') {
      current.push_back(c);
    }
  }
  flush();
  return out;
}

std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    std::string item = text.substr(start, end - start);
    item.erase(std::remove(item.begin(), item.end(), ' '), item.end());
    if (!item.empty()) out.push_back(item);
    start = end + 1;
  }
  return out;
}

std::vector<std::string> ModifierList(const std::string& modifiers, const std::string& name) {
  size_t at = modifiers.find(name + "(");
  if (at == std::string::npos) return {};
  size_t open = at + name.size() + 1;
  size_t close = modifiers.find(')', open);
  return SplitCommas(
      modifiers.substr(open, close == std::string::npos ? std::string::npos : close - open));
}

HttpResponse GraphPage(const HttpRequest& request, EmulatorContext& ctx, size_t count,
                       const std::function<web::json::value(size_t)>& item) {
  using web::json::value;
  int limit = request.HasParam("limit") ? std::atoi(request.Param("limit").c_str()) : 25;
  limit = std::clamp(limit, 1, 100);
  size_t offset = static_cast<size_t>(std::max(0, std::atoi(request.Param("after").c_str())));
  value data = value::array();
  size_t n = 0;
  for (size_t i = offset; i < count && n < static_cast<size_t>(limit); ++i) data[n++] = item(i);
  value body = value::object();
  body["data"] = data;
  if (offset + n < count) {
    value cursors = value::object();
    cursors["after"] = value::string(std::to_string(offset + n));
    value paging = value::object();
    paging["cursors"] = cursors;
    paging["next"] = value::string(ctx.base_url + request.path + "?limit=" + std::to_string(limit) +
                                   "&after=" + std::to_string(offset + n));
    body["paging"] = paging;
  }
  return HttpResponse::Json(200, body);
}

}  // namespace herald::sandbox
