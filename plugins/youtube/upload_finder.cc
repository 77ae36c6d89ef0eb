#include "youtube/upload_finder.h"

#include <optional>
#include <variant>

#include "common/form.h"
#include "common/json_util.h"
#include "youtube/google_errors.h"
#include "youtube/quota_costs.h"
#include "youtube/video_metadata.h"

namespace herald::connectors::youtube {

namespace {

constexpr int64_t kFindSkewMs = 5 * 60 * 1000;
constexpr int kFindPages = 4;

}  // namespace

herald::FindResult FindUpload(OAuthTokens& tokens, const std::string& base,
                              const std::string& title, int64_t due_ms) {
  auto get = [&](const std::string& path,
                 int64_t cost) -> std::variant<web::json::value, std::string> {
    auto sent = tokens.Authorized(herald::Request("GET", base + path).Quota(kUnitsBucket, cost));
    if (auto* o = std::get_if<herald::Outcome>(&sent)) return o->reason();
    const herald::HttpResult& r = std::get<herald::HttpResult>(sent);
    if (!r.ok()) return r.error().message;
    if (auto e = ParseGoogleError(r.response())) return e->message;
    std::optional<web::json::value> v = ParseJson(r.response().body);
    if (!v) return std::string("unreadable answer");
    return *v;
  };
  auto channels = get("/youtube/v3/channels?part=contentDetails&mine=true", kChannelsListCost);
  if (auto* why = std::get_if<std::string>(&channels)) {
    return herald::FindResult::CannotTell("reading the channel: " + *why);
  }
  std::string uploads;
  const web::json::value& ch = std::get<web::json::value>(channels);
  if (const web::json::value* items = JsonField(ch, "items");
      items && items->is_array() && items->as_array().size() > 0) {
    const web::json::value* details = JsonField(items->as_array().at(0), "contentDetails");
    const web::json::value* related = details ? JsonField(*details, "relatedPlaylists") : nullptr;
    if (related) uploads = JsonString(*related, "uploads");
  }
  if (uploads.empty()) return herald::FindResult::CannotTell("the channel has no uploads playlist");
  const int64_t window_start = due_ms - kFindSkewMs;
  std::string page_token;
  for (int page = 0; page < kFindPages; ++page) {
    std::string path =
        "/youtube/v3/playlistItems?part=snippet&maxResults=50&playlistId=" + UrlEncode(uploads);
    if (!page_token.empty()) path += "&pageToken=" + UrlEncode(page_token);
    auto listing = get(path, kPlaylistItemsListCost);
    if (auto* why = std::get_if<std::string>(&listing)) {
      return herald::FindResult::CannotTell("listing the uploads: " + *why);
    }
    const web::json::value& l = std::get<web::json::value>(listing);
    const web::json::value* items = JsonField(l, "items");
    if (!items || !items->is_array())
      return herald::FindResult::CannotTell("unreadable uploads listing");
    for (const auto& item : items->as_array()) {
      const web::json::value* snippet = JsonField(item, "snippet");
      if (!snippet) return herald::FindResult::CannotTell("unreadable uploads listing");
      std::optional<int64_t> at = ParseIsoTimeMs(JsonString(*snippet, "publishedAt"));
      const web::json::value* resource = JsonField(*snippet, "resourceId");
      std::string video_id = resource ? JsonString(*resource, "videoId") : std::string();
      if (!at || video_id.empty())
        return herald::FindResult::CannotTell("unreadable uploads listing");
      if (*at < window_start)
        return herald::FindResult::NotFound("no upload with this title since the job was due");
      if (JsonString(*snippet, "title") == title) {
        return herald::FindResult::Found(video_id, WatchUrl(video_id));
      }
    }
    page_token = JsonString(l, "nextPageToken");
    if (page_token.empty())
      return herald::FindResult::NotFound("no upload with this title on the channel");
  }
  return herald::FindResult::CannotTell(
      "too many uploads since the job was due to search them all");
}

}  // namespace herald::connectors::youtube
