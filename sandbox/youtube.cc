// YouTube Data API v3: resumable video uploads, videos.list, channels.list,
// playlistItems.list (the uploads playlist) and thumbnails.set, with the
// daily quota as Google's quota table documents it now: videos.insert in its
// own bucket of calls (1 each), everything else in units.
#include <algorithm>
#include <regex>

#include "sandbox/engagement.h"
#include "sandbox/graph_common.h"
#include "sandbox/platform_errors.h"
#include "sandbox/platforms.h"

namespace herald::sandbox {

namespace {

using web::json::value;

constexpr int64_t kChunkGranularity = 256 * 1024;  // non-final chunks are multiples of this
constexpr int kUploadCost = 1;                     // in the videos.insert bucket
constexpr int kListCost = 1;
constexpr int kThumbnailCost = 50;
constexpr size_t kMaxThumbnailBytes = 2 * 1024 * 1024;

// Quota days start at midnight Pacific Time; the sandbox uses UTC-8 all year.
std::string QuotaKey(const EmulatorContext& ctx, const std::string& account_id) {
  auto hours =
      std::chrono::duration_cast<std::chrono::hours>(ctx.now.time_since_epoch()).count() - 8;
  return account_id + "/" + std::to_string(hours / 24);
}

// The channel a Bearer token grants, or an error response.
Result<const AccountConfig*> Authorize(const HttpRequest& request, EmulatorContext& ctx,
                                       HttpResponse& error) {
  std::string token = AccessToken(request);
  std::string account_id = ctx.store.AccountOfToken(token);
  const AccountConfig* account = ctx.config.FindAccount(account_id);
  if (token.empty() || !account || account->platform != Platform::kYouTube ||
      ctx.store.CheckToken(token, account_id, ctx.now) != TokenCheck::kValid) {
    error = GoogleAuthError();
    return Error(ErrorCode::kPermissionDenied, "unauthorized");
  }
  return account;
}

// `units` of the channel's day; `inserts` charges the videos.insert bucket.
bool Charge(EmulatorContext& ctx, const std::string& account_id, int units, bool inserts = false) {
  std::string key = QuotaKey(ctx, account_id) + (inserts ? "/videos.insert" : "");
  int64_t& used = ctx.store.youtube_quota_used[key];
  int64_t per_day =
      inserts ? ctx.config.youtube_uploads_per_day : ctx.config.youtube_quota_units_per_day;
  if (used + units > per_day) return false;
  used += units;
  return true;
}

value VideoJson(EmulatorContext& ctx, const Post& post, const std::string& part) {
  std::vector<std::string> parts = SplitCommas(part);
  auto has = [&](const char* p) { return std::find(parts.begin(), parts.end(), p) != parts.end(); };
  const AccountConfig* channel = ctx.config.FindAccount(post.account_id);
  value out = value::object();
  out["kind"] = JsonStr("youtube#video");
  out["etag"] = JsonStr("sandbox-" + post.id);
  out["id"] = JsonStr(post.id);
  if (has("snippet")) {
    value snippet = value::object();
    snippet["publishedAt"] = JsonStr(GoogleTime(post.created));
    snippet["channelId"] = JsonStr(post.account_id);
    snippet["title"] = JsonStr(post.title);
    snippet["description"] = JsonStr(post.text);
    snippet["channelTitle"] = JsonStr(channel ? channel->name : "");
    value thumb = value::object();
    thumb["url"] = JsonStr(post.media_urls.empty() ? "" : post.media_urls.front());
    thumb["width"] = value::number(120);
    thumb["height"] = value::number(90);
    value thumbnails = value::object();
    thumbnails["default"] = thumb;
    snippet["thumbnails"] = thumbnails;
    snippet["categoryId"] = JsonStr("22");
    out["snippet"] = snippet;
  }
  if (has("status")) {
    value status = value::object();
    status["uploadStatus"] = JsonStr("processed");
    status["privacyStatus"] = JsonStr(post.privacy);
    out["status"] = status;
  }
  if (has("statistics")) {
    Engagement e = EngagementAt(ctx.config, post.id, post.created, ctx.now);
    value stats = value::object();
    stats["viewCount"] = JsonStr(std::to_string(e.views));
    stats["likeCount"] = JsonStr(std::to_string(e.likes));
    stats["favoriteCount"] = JsonStr("0");
    stats["commentCount"] = JsonStr(std::to_string(e.comments));
    out["statistics"] = stats;
  }
  return out;
}

value ListJson(const char* kind, value items, int64_t total) {
  value page_info = value::object();
  page_info["totalResults"] = value::number(total);
  page_info["resultsPerPage"] = value::number(static_cast<int64_t>(items.size()));
  value body = value::object();
  body["kind"] = JsonStr(kind);
  body["etag"] = JsonStr("sandbox");
  body["items"] = items;
  body["pageInfo"] = page_info;
  return body;
}

HttpResponse StartUpload(const HttpRequest& request, EmulatorContext& ctx,
                         const AccountConfig& channel) {
  if (request.Param("uploadType") != "resumable") {
    return GoogleError(400, "global", "invalidParameter",
                       "herald-sandbox emulates only uploadType=resumable.");
  }
  if (request.Param("part").empty()) {
    return GoogleError(400, "global", "required", "Required parameter: part");
  }
  std::error_code parse_error;
  value metadata = request.body.empty() ? value::object() : value::parse(request.body, parse_error);
  if (parse_error || !metadata.is_object()) {
    return GoogleError(400, "global", "parseError", "Parse Error");
  }
  value snippet = metadata.has_field("snippet") ? metadata.at("snippet") : value::object();
  value status = metadata.has_field("status") ? metadata.at("status") : value::object();
  std::string title = JsonString(snippet, "title");
  std::string description = JsonString(snippet, "description");
  if (title.empty() || title.size() > 100 || title.find_first_of("<>") != std::string::npos) {
    return GoogleError(400, "youtube.video", "invalidTitle",
                       "The request metadata specifies an invalid or empty video title.");
  }
  if (description.size() > 5000 || description.find_first_of("<>") != std::string::npos) {
    return GoogleError(400, "youtube.video", "invalidDescription",
                       "The request metadata specifies an invalid video description.");
  }
  std::string privacy = JsonString(status, "privacyStatus");
  if (privacy.empty()) privacy = "public";
  if (privacy != "public" && privacy != "private" && privacy != "unlisted") {
    return GoogleError(400, "youtube.video", "invalidVideoMetadata",
                       "The request metadata specifies an invalid privacyStatus.");
  }
  std::string type = request.Header("x-upload-content-type");
  if (!type.empty() && type.rfind("video/", 0) != 0 && type != "application/octet-stream") {
    return GoogleError(400, "youtube.video", "invalidVideoMetadata",
                       "X-Upload-Content-Type must be a video type, not " + type + ".");
  }
  if (!Charge(ctx, channel.id, kUploadCost, true)) return GoogleQuotaExceeded();
  UploadSession session;
  session.id = ctx.store.NextOpaque("sandbox-upload-");
  session.account_id = channel.id;
  std::string length = request.Header("x-upload-content-length");
  if (!length.empty()) session.total_bytes = std::atoll(length.c_str());
  session.title = title;
  session.description = description;
  session.privacy = privacy;
  ctx.store.uploads[session.id] = session;
  HttpResponse response = HttpResponse::Text(200, "text/plain; charset=UTF-8", "");
  response.AddHeader("Location", ctx.base_url +
                                     "/upload/youtube/v3/videos?uploadType=resumable&upload_id=" +
                                     session.id + "&part=" + UrlEncode(request.Param("part")));
  response.AddHeader("X-GUploader-UploadID", session.id);
  return response;
}

HttpResponse Incomplete(const UploadSession& upload) {
  HttpResponse response = HttpResponse::Text(308, "text/plain; charset=UTF-8", "");
  if (upload.received_bytes > 0) {
    response.AddHeader("Range", "bytes=0-" + std::to_string(upload.received_bytes - 1));
  }
  return response;
}

HttpResponse PutChunk(const HttpRequest& request, EmulatorContext& ctx) {
  auto it = ctx.store.uploads.find(request.Param("upload_id"));
  if (it == ctx.store.uploads.end()) {
    return GoogleError(404, "global", "notFound",
                       "The upload session was not found or has expired.");
  }
  UploadSession& upload = it->second;
  if (!upload.video_id.empty()) {
    const Post* post = ctx.store.FindPost(upload.video_id);
    return HttpResponse::Json(200, VideoJson(ctx, *post, "snippet,status"));
  }
  std::string range = request.Header("content-range");
  int64_t size = static_cast<int64_t>(request.body.size());
  int64_t start = 0;
  int64_t total = upload.total_bytes;
  static const std::regex kStatus(R"(bytes \*/(\d+|\*))");
  static const std::regex kChunk(R"(bytes (\d+)-(\d+)/(\d+|\*))");
  std::smatch m;
  if (range.empty()) {
    total = size;
  } else if (std::regex_match(range, m, kStatus)) {
    if (m[1] != "*") upload.total_bytes = std::atoll(m[1].str().c_str());
    if (upload.total_bytes >= 0 && upload.received_bytes < upload.total_bytes)
      return Incomplete(upload);
    if (upload.total_bytes < 0) return Incomplete(upload);
    total = upload.total_bytes;
    size = 0;
    start = upload.received_bytes;
  } else if (std::regex_match(range, m, kChunk)) {
    start = std::atoll(m[1].str().c_str());
    int64_t end = std::atoll(m[2].str().c_str());
    if (m[3] != "*") total = std::atoll(m[3].str().c_str());
    if (end - start + 1 != size || start > upload.received_bytes) {
      return GoogleError(400, "global", "badContent",
                         "Content-Range " + range +
                             " does not match the body or the bytes received (" +
                             std::to_string(upload.received_bytes) + ").");
    }
  } else {
    return GoogleError(400, "global", "badContent", "Malformed Content-Range: " + range);
  }
  if (total >= 0) upload.total_bytes = total;
  int64_t end = start + size;
  bool final_chunk = upload.total_bytes >= 0 && end >= upload.total_bytes;
  if (!final_chunk && size % kChunkGranularity != 0) {
    return GoogleError(400, "global", "badContent",
                       "A chunk that is not the last must be a multiple of 256 KiB.");
  }
  if (ctx.fault && ctx.fault->kind == FaultKind::kUploadBreak) {
    upload.received_bytes =
        std::max(upload.received_bytes, start + (size / 2 / kChunkGranularity) * kChunkGranularity);
    HttpResponse dropped;
    dropped.drop_connection = true;
    return dropped;
  }
  upload.received_bytes = std::max(upload.received_bytes, end);
  if (upload.total_bytes < 0 || upload.received_bytes < upload.total_bytes)
    return Incomplete(upload);

  Post post;
  post.id = ctx.store.NextVideoId();
  post.account_id = upload.account_id;
  post.platform = Platform::kYouTube;
  post.kind = "video";
  post.title = upload.title;
  post.text = upload.description;
  post.privacy = upload.privacy;
  post.bytes = upload.received_bytes;
  post.api_version = "v3";
  post.created = ctx.now;
  post.permalink = ctx.base_url + "/#yt-" + post.id;
  post.media_urls = {};
  upload.video_id = post.id;
  ctx.store.AddPost(post);
  return HttpResponse::Json(200, VideoJson(ctx, post, "snippet,status"));
}

HttpResponse ListVideos(const HttpRequest& request, EmulatorContext& ctx) {
  if (request.Param("part").empty())
    return GoogleError(400, "global", "required", "Required parameter: part");
  std::vector<std::string> ids = SplitCommas(request.Param("id"));
  if (ids.empty()) {
    return GoogleError(400, "youtube.parameter", "missingRequiredParameter",
                       "No filter selected. Expected one of: id, myRating, chart");
  }
  if (ids.size() > 50) {
    return GoogleError(400, "youtube.parameter", "invalidValue",
                       "The id parameter accepts at most 50 video ids.");
  }
  value items = value::array();
  size_t n = 0;
  for (const std::string& id : ids) {
    const Post* post = ctx.store.FindPost(id);
    if (post && post->platform == Platform::kYouTube)
      items[n++] = VideoJson(ctx, *post, request.Param("part"));
  }
  return HttpResponse::Json(200,
                            ListJson("youtube#videoListResponse", items, static_cast<int64_t>(n)));
}

std::string UploadsPlaylist(const std::string& channel_id) {
  return channel_id.rfind("UC", 0) == 0 ? "UU" + channel_id.substr(2) : "UU" + channel_id;
}

HttpResponse ListChannels(const HttpRequest& request, EmulatorContext& ctx,
                          const AccountConfig& mine) {
  const AccountConfig* channel = &mine;
  if (request.HasParam("id")) channel = ctx.config.FindAccount(request.Param("id"));
  value items = value::array();
  if (channel && channel->platform == Platform::kYouTube) {
    value item = value::object();
    item["kind"] = JsonStr("youtube#channel");
    item["id"] = JsonStr(channel->id);
    value snippet = value::object();
    snippet["title"] = JsonStr(channel->name);
    item["snippet"] = snippet;
    value related = value::object();
    related["uploads"] = JsonStr(UploadsPlaylist(channel->id));
    value details = value::object();
    details["relatedPlaylists"] = related;
    item["contentDetails"] = details;
    items[0] = item;
  }
  return HttpResponse::Json(
      200, ListJson("youtube#channelListResponse", items, static_cast<int64_t>(items.size())));
}

HttpResponse ListPlaylistItems(const HttpRequest& request, EmulatorContext& ctx) {
  std::string playlist = request.Param("playlistId");
  const AccountConfig* channel = nullptr;
  for (const AccountConfig& account : ctx.config.accounts) {
    if (account.platform == Platform::kYouTube && UploadsPlaylist(account.id) == playlist)
      channel = &account;
  }
  if (!channel) {
    return GoogleError(
        404, "youtube.playlistItem", "playlistNotFound",
        "The playlist identified with the request's playlistId parameter cannot be found.");
  }
  int max_results = request.HasParam("maxResults")
                        ? std::clamp(std::atoi(request.Param("maxResults").c_str()), 0, 50)
                        : 5;
  size_t offset = static_cast<size_t>(std::max(0, std::atoi(request.Param("pageToken").c_str())));
  std::vector<const Post*> posts = ctx.store.PostsOf(channel->id);
  value items = value::array();
  size_t n = 0;
  for (size_t i = offset; i < posts.size() && n < static_cast<size_t>(max_results); ++i) {
    const Post& post = *posts[i];
    value item = value::object();
    item["kind"] = JsonStr("youtube#playlistItem");
    item["id"] = JsonStr("PLI" + post.id);
    value resource = value::object();
    resource["kind"] = JsonStr("youtube#video");
    resource["videoId"] = JsonStr(post.id);
    value snippet = value::object();
    snippet["publishedAt"] = JsonStr(GoogleTime(post.created));
    snippet["channelId"] = JsonStr(channel->id);
    snippet["title"] = JsonStr(post.title);
    snippet["description"] = JsonStr(post.text);
    snippet["playlistId"] = JsonStr(playlist);
    snippet["position"] = value::number(static_cast<int64_t>(i));
    snippet["resourceId"] = resource;
    item["snippet"] = snippet;
    value details = value::object();
    details["videoId"] = JsonStr(post.id);
    details["videoPublishedAt"] = JsonStr(GoogleTime(post.created));
    item["contentDetails"] = details;
    items[n++] = item;
  }
  value body =
      ListJson("youtube#playlistItemListResponse", items, static_cast<int64_t>(posts.size()));
  if (offset + n < posts.size()) body["nextPageToken"] = JsonStr(std::to_string(offset + n));
  return HttpResponse::Json(200, body);
}

HttpResponse SetThumbnail(const HttpRequest& request, EmulatorContext& ctx,
                          const AccountConfig& channel) {
  Post* post = ctx.store.FindPost(request.Param("videoId"));
  if (!post || post->platform != Platform::kYouTube) {
    return GoogleError(404, "youtube.thumbnail", "videoNotFound",
                       "The video that you are trying to update cannot be found.");
  }
  if (post->account_id != channel.id) {
    return GoogleError(403, "youtube.thumbnail", "forbidden",
                       "The authenticated user doesn't have permissions to upload and set custom "
                       "video thumbnails.");
  }
  if (request.body.size() > kMaxThumbnailBytes) {
    return GoogleError(400, "global", "mediaBodyTooLarge",
                       "The thumbnail image is larger than 2 MB.");
  }
  MediaType type = SniffMediaType(request.body);
  if (type != MediaType::kJpeg && type != MediaType::kPng) {
    return GoogleError(400, "youtube.thumbnail", "invalidImage",
                       "The provided image content is invalid.");
  }
  if (!Charge(ctx, channel.id, kThumbnailCost)) return GoogleQuotaExceeded();
  ctx.store.thumbnails[post->id] = request.body;
  std::string url = ctx.base_url + "/_sandbox/thumbnails/" + post->id;
  post->media_urls = {url};
  value image = value::object();
  image["url"] = JsonStr(url);
  image["width"] = value::number(120);
  image["height"] = value::number(90);
  value set = value::object();
  set["default"] = image;
  value body = value::object();
  body["kind"] = JsonStr("youtube#thumbnailSetResponse");
  body["items"] = value::array({set});
  return HttpResponse::Json(200, body);
}

}  // namespace

HttpResponse HandleYouTube(const HttpRequest& request, EmulatorContext& ctx,
                           const std::vector<std::string>& segments) {
  bool upload = !segments.empty() && segments[0] == "upload";
  std::vector<std::string> rest(segments.begin() + (upload ? 1 : 0), segments.end());
  if (rest.size() < 3 || rest[0] != "youtube" || rest[1] != "v3") {
    return GoogleError(404, "global", "notFound", "Not Found");
  }
  std::string resource = rest[2];
  if (rest.size() == 4) resource += "/" + rest[3];
  // Continuing a resumable upload needs only the session id, as with Google.
  if (upload && resource == "videos" && request.method == "PUT") return PutChunk(request, ctx);

  HttpResponse error;
  Result<const AccountConfig*> channel = Authorize(request, ctx, error);
  if (!channel) return error;
  if (upload && resource == "videos" && request.method == "POST")
    return StartUpload(request, ctx, **channel);
  if (resource == "thumbnails/set" && request.method == "POST")
    return SetThumbnail(request, ctx, **channel);
  if (request.method == "GET" &&
      (resource == "videos" || resource == "channels" || resource == "playlistItems")) {
    if (!Charge(ctx, (*channel)->id, kListCost)) return GoogleQuotaExceeded();
    if (resource == "videos") return ListVideos(request, ctx);
    if (resource == "channels") return ListChannels(request, ctx, **channel);
    return ListPlaylistItems(request, ctx);
  }
  return GoogleError(404, "global", "notFound",
                     "herald-sandbox does not emulate " + request.method + " " + request.path);
}

}  // namespace herald::sandbox
