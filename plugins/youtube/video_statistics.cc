#include "youtube/video_statistics.h"

#include "youtube/quota_costs.h"

#include <algorithm>

#include "common/form.h"
#include "common/json_util.h"
#include "youtube/google_errors.h"

namespace herald::connectors::youtube {

std::optional<std::string> ParseVideoStatistics(std::string_view body) {
  std::optional<web::json::value> v = ParseJson(body);
  const web::json::value* items = v ? JsonField(*v, "items") : nullptr;
  if (!items || !items->is_array()) return std::nullopt;
  std::string out;
  for (const auto& item : items->as_array()) {
    std::string id = JsonString(item, "id");
    const web::json::value* stats = JsonField(item, "statistics");
    if (id.empty() || !stats) return std::nullopt;
    if (!out.empty()) out += ",";
    out += herald::JsonQuote(id) + ":{\"views\":" + std::to_string(JsonInt(*stats, "viewCount")) +
           ",\"likes\":" + std::to_string(JsonInt(*stats, "likeCount")) +
           ",\"comments\":" + std::to_string(JsonInt(*stats, "commentCount")) + "}";
  }
  return out;
}

std::string ReadVideoStatistics(OAuthTokens& tokens, const std::string& base,
                                const std::vector<std::string>& remote_ids) {
  std::string out;
  for (size_t start = 0; start < remote_ids.size(); start += 50) {
    std::string ids;
    for (size_t i = start; i < std::min(remote_ids.size(), start + 50); ++i) {
      if (!ids.empty()) ids += ",";
      ids += UrlEncode(remote_ids[i]);
    }
    auto sent = tokens.Authorized(
        herald::Request("GET", base + "/youtube/v3/videos?part=statistics&id=" + ids)
            .Quota(kUnitsBucket, kVideosListCost));
    if (auto* o = std::get_if<herald::Outcome>(&sent)) {
      throw herald::PluginError(HERALD_ERR_INTERNAL, "reading statistics: " + o->reason());
    }
    const herald::HttpResult& r = std::get<herald::HttpResult>(sent);
    if (!r.ok())
      throw herald::PluginError(HERALD_ERR_INTERNAL, "reading statistics: " + r.error().message);
    if (auto e = ParseGoogleError(r.response())) {
      throw herald::PluginError(HERALD_ERR_INTERNAL, "reading statistics: " + e->message);
    }
    std::optional<std::string> members = ParseVideoStatistics(r.response().body);
    if (!members) throw herald::PluginError(HERALD_ERR_INTERNAL, "unreadable statistics");
    if (!members->empty()) {
      if (!out.empty()) out += ",";
      out += *members;
    }
  }
  return "{" + out + "}";
}

}  // namespace herald::connectors::youtube
