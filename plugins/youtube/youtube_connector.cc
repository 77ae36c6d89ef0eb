#include "youtube/youtube_connector.h"

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <random>

#include "common/form.h"
#include "common/json_util.h"
#include "common/transport.h"

namespace herald::connectors::youtube {

namespace {

constexpr int64_t kChunkUnit = 256 * 1024;
constexpr int64_t kDefaultChunk = 8 * 1024 * 1024;
constexpr int64_t kRefreshAheadMs = 5 * 60 * 1000;
constexpr int64_t kFindSkewMs = 5 * 60 * 1000;
constexpr int kFindPages = 4;
constexpr int kMaxTransientUploads = 6;
constexpr int kMaxThumbnailAttempts = 3;

std::string ConfigString(const herald::Account& account, const char* key) {
  std::optional<web::json::value> config = ParseJson(account.config_json);
  return config ? JsonString(*config, key) : std::string();
}

std::string StripSlash(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

// The post's metadata from post_json: options first, then the medium, then the text.
struct VideoMeta {
  std::string title, description, privacy, category, cover;
  std::vector<std::string> tags;
  std::optional<bool> made_for_kids;
};

VideoMeta MetaOf(const herald::Post& post, const std::string& default_privacy,
                 const std::string& default_category) {
  VideoMeta m;
  std::optional<web::json::value> j = ParseJson(post.post_json());
  const web::json::value* options = j ? JsonField(*j, "options") : nullptr;
  const web::json::value* media = j ? JsonField(*j, "media") : nullptr;
  const web::json::value* first = media && media->is_array() && media->as_array().size() > 0
                                      ? &media->as_array().at(0)
                                      : nullptr;
  if (options) {
    m.title = JsonString(*options, "title");
    m.description = JsonString(*options, "description");
    m.privacy = JsonString(*options, "privacy");
    m.category = JsonString(*options, "category");
    if (const web::json::value* tags = JsonField(*options, "tags"); tags && tags->is_array()) {
      for (const auto& t : tags->as_array()) {
        if (t.is_string()) m.tags.push_back(t.as_string());
      }
    }
    if (const web::json::value* kids = JsonField(*options, "made_for_kids");
        kids && kids->is_boolean()) {
      m.made_for_kids = kids->as_bool();
    }
  }
  if (first) {
    if (m.title.empty()) m.title = JsonString(*first, "title");
    m.cover = JsonString(*first, "cover");
  }
  if (m.title.empty()) m.title = std::string(post.text().substr(0, 100));
  if (m.description.empty()) m.description = std::string(post.text());
  if (m.privacy.empty()) m.privacy = default_privacy.empty() ? "private" : default_privacy;
  if (m.category.empty()) m.category = default_category.empty() ? "22" : default_category;
  return m;
}

std::string MetadataJson(const VideoMeta& m) {
  web::json::value snippet = web::json::value::object();
  snippet["title"] = web::json::value::string(m.title);
  snippet["description"] = web::json::value::string(m.description);
  snippet["categoryId"] = web::json::value::string(m.category);
  if (!m.tags.empty()) {
    web::json::value tags = web::json::value::array(m.tags.size());
    for (size_t i = 0; i < m.tags.size(); ++i) tags[i] = web::json::value::string(m.tags[i]);
    snippet["tags"] = tags;
  }
  web::json::value status = web::json::value::object();
  status["privacyStatus"] = web::json::value::string(m.privacy);
  if (m.made_for_kids)
    status["selfDeclaredMadeForKids"] = web::json::value::boolean(*m.made_for_kids);
  web::json::value body = web::json::value::object();
  body["snippet"] = snippet;
  body["status"] = status;
  return body.serialize();
}

std::string WatchUrl(const std::string& id) { return "https://www.youtube.com/watch?v=" + id; }

bool IsUsDst(int64_t utc_s) {
  // US rules: from the second Sunday of March, 02:00 PST (10:00 UTC), to the
  // first Sunday of November, 02:00 PDT (09:00 UTC).
  time_t t = static_cast<time_t>(utc_s - 8 * 3600);
  std::tm pst{};
  gmtime_r(&t, &pst);
  auto sunday_of = [&](int month, int nth) {
    std::tm first{};
    first.tm_year = pst.tm_year;
    first.tm_mon = month;
    first.tm_mday = 1;
    time_t f = timegm(&first);
    std::tm fm{};
    gmtime_r(&f, &fm);
    int day = 1 + (7 - fm.tm_wday) % 7 + 7 * (nth - 1);
    std::tm d{};
    d.tm_year = pst.tm_year;
    d.tm_mon = month;
    d.tm_mday = day;
    return static_cast<int64_t>(timegm(&d));  // midnight UTC of that day
  };
  int64_t start = sunday_of(2, 2) + 10 * 3600;
  int64_t end = sunday_of(10, 1) + 9 * 3600;
  return utc_s >= start && utc_s < end;
}

}  // namespace

std::optional<GoogleError> ParseGoogleError(const herald::Response& r) {
  if ((r.status >= 200 && r.status < 300) || r.status == 308) return std::nullopt;
  GoogleError e;
  e.http_status = r.status;
  if (std::optional<web::json::value> v = ParseJson(r.body)) {
    if (const web::json::value* error = JsonField(*v, "error"); error && error->is_object()) {
      e.message = JsonString(*error, "message");
      const web::json::value* errors = JsonField(*error, "errors");
      if (errors && errors->is_array() && errors->as_array().size() > 0) {
        e.reason = JsonString(errors->as_array().at(0), "reason");
      }
    } else if (error && error->is_string()) {
      e.reason = error->as_string();  // OAuth shape {"error":"invalid_grant",...}
      e.message = JsonString(*v, "error_description");
    }
  }
  if (e.message.empty()) e.message = "HTTP " + std::to_string(r.status);
  return e;
}

int64_t NextPacificMidnightMs(int64_t now_ms) {
  int64_t now_s = now_ms / 1000;
  int64_t offset = IsUsDst(now_s) ? -7 * 3600 : -8 * 3600;
  int64_t local = now_s + offset;
  int64_t midnight_local = (local / 86400 + 1) * 86400;
  int64_t candidate = midnight_local - offset;
  // The offset may change between now and midnight (only on a switch day).
  int64_t offset_then = IsUsDst(candidate) ? -7 * 3600 : -8 * 3600;
  return (midnight_local - offset_then) * 1000;
}

herald::Outcome ClassifyGoogleError(const GoogleError& e, const herald::Response& r, int64_t now_ms,
                                    std::string_view what) {
  std::string reason = std::string(what) + ": " + e.message;
  if (!e.reason.empty()) reason += " (" + e.reason + ")";
  herald::Outcome out = [&] {
    if (e.reason == "quotaExceeded" || e.reason == "dailyLimitExceeded") {
      return herald::Outcome::Retry(NextPacificMidnightMs(now_ms),
                                    "YouTube quota spent: " + reason);
    }
    if (e.reason == "rateLimitExceeded" || e.reason == "userRateLimitExceeded" ||
        e.http_status == 429) {
      int64_t at = now_ms + 60'000;
      if (auto ra = r.HeaderValue("Retry-After")) {
        long long s = std::atoll(ra->c_str());
        if (s > 0) at = now_ms + s * 1000;
      }
      return herald::Outcome::Retry(at, "rate limited: " + reason);
    }
    if (e.http_status >= 500 || e.reason == "backendError" || e.reason == "internalError") {
      return herald::Outcome::Retry(0, reason);
    }
    if (e.http_status == 401) return herald::Outcome::AuthExpired(reason);
    return herald::Outcome::Failed(reason);
  }();
  out.WithHttpStatus(e.http_status);
  if (!e.reason.empty()) out.WithPlatformCode(e.reason);
  return out;
}

std::optional<int64_t> AcknowledgedOffset(const herald::Response& r) {
  std::optional<std::string> range = r.HeaderValue("Range");
  if (!range) return 0;
  const std::string prefix = "bytes=0-";
  if (range->rfind(prefix, 0) != 0) return std::nullopt;
  std::string last = range->substr(prefix.size());
  if (last.empty() || last.size() > 18 ||
      !std::all_of(last.begin(), last.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return std::atoll(last.c_str()) + 1;
}

std::string ParseVideoId(std::string_view body) {
  std::optional<web::json::value> v = ParseJson(body);
  if (!v || JsonString(*v, "kind") != "youtube#video") return {};
  return JsonString(*v, "id");
}

std::optional<TokenAnswer> ParseTokenAnswer(std::string_view body) {
  std::optional<web::json::value> v = ParseJson(body);
  if (!v || !v->is_object()) return std::nullopt;
  TokenAnswer t;
  t.access_token = JsonString(*v, "access_token");
  if (t.access_token.empty()) return std::nullopt;
  t.expires_in_s = JsonInt(*v, "expires_in", 3600);
  t.refresh_token = JsonString(*v, "refresh_token");
  return t;
}

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

YouTubeConnector::YouTubeConnector(herald::Host host, const herald::Account& account)
    : host_(host),
      base_(StripSlash(account.api_base && !account.api_base->empty()
                           ? *account.api_base
                           : "https://www.googleapis.com")),
      default_privacy_(ConfigString(account, "privacy")),
      default_category_(ConfigString(account, "category")),
      chunk_bytes_(kDefaultChunk) {
  token_url_ = ConfigString(account, "token_url");
  if (token_url_.empty()) {
    token_url_ = account.api_base && !account.api_base->empty()
                     ? base_ + "/token"
                     : "https://oauth2.googleapis.com/token";
  }
  if (std::string chunk = ConfigString(account, "chunk_bytes"); !chunk.empty()) {
    chunk_bytes_ =
        std::max<int64_t>(kChunkUnit, std::atoll(chunk.c_str()) / kChunkUnit * kChunkUnit);
  }
  std::random_device rd;
  instance_ = std::to_string(rd()) + std::to_string(rd());
}

// Sources (docs/connectors/youtube.md): title 100 characters, description
// 5,000 bytes, tags 500 characters in all; uploads up to 256 GB or 12 hours;
// thumbnails JPEG/PNG up to 2 MB.
herald::Limits YouTubeConnector::Describe() const {
  herald::VideoLimits video;
  video.max_bytes = 256ull * 1024 * 1024 * 1024;
  video.max_duration_s = 12 * 60 * 60;
  // YouTube's supported upload formats (MOV, MPEG-1/2/PS, MP4, AVI, WMV, FLV,
  // 3GPP, WebM; ProRes, DNxHR and CineForm travel in MOV) in herald's names.
  video.containers = {"mp4", "mov", "mpeg", "avi", "asf", "flv", "3gp", "webm"};
  return herald::Limits()
      .TitleMax(100)
      .DescriptionMax(5000)
      .DescriptionMaxBytes(5000)
      .TagsMaxTotalChars(500)
      .LinkAllowed(true)
      .MediaRequired(true)
      .MediaMaxCount(1)
      .Video(video);
}

std::vector<herald::Issue> YouTubeConnector::Validate(const herald::Post& post) {
  std::vector<herald::Issue> issues;
  if (post.media_count() != 1 || post.media(0).kind() != herald::MediaKind::kVideo) {
    issues.push_back({"media", "a YouTube post is exactly one video"});
  }
  VideoMeta m = MetaOf(post, default_privacy_, default_category_);
  if (m.title.empty()) issues.push_back({"options.title", "a YouTube video needs a title"});
  if (m.title.find_first_of("<>") != std::string::npos ||
      m.description.find_first_of("<>") != std::string::npos) {
    issues.push_back({"options.title", "YouTube refuses '<' and '>' in titles and descriptions"});
  }
  if (m.privacy != "public" && m.privacy != "private" && m.privacy != "unlisted") {
    issues.push_back({"options.privacy", "privacy must be public, private or unlisted"});
  }
  return issues;
}

YouTubeConnector::TokenOrOutcome YouTubeConnector::Token(bool force_refresh) {
  std::optional<std::string> token = host_.Credential("access_token");
  int64_t expires = 0;
  if (auto e = host_.Credential("expires_at_ms")) expires = std::atoll(e->c_str());
  bool stale =
      !token || token->empty() || (expires > 0 && expires - host_.NowMs() < kRefreshAheadMs);
  if (!force_refresh && !stale) return *token;
  return Refresh();
}

YouTubeConnector::TokenOrOutcome YouTubeConnector::Refresh() {
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
  if (resp.status != 200) {
    std::optional<GoogleError> e = ParseGoogleError(resp);
    std::string reason = e ? e->reason : std::string();
    herald::Outcome out = [&] {
      if (resp.status >= 500 || resp.status == 429) {
        return herald::Outcome::Retry(
            0, "the token endpoint is unavailable (HTTP " + std::to_string(resp.status) + ")");
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

std::variant<herald::HttpResult, herald::Outcome> YouTubeConnector::Authorized(
    herald::Request req) {
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

herald::Outcome YouTubeConnector::Step(const herald::Post& post,
                                       std::optional<std::string_view> checkpoint) {
  if (std::vector<herald::Issue> issues = Validate(post); !issues.empty()) {
    return herald::Outcome::Failed(issues.front().message);
  }
  if (!checkpoint) return StartSession(post);
  std::optional<Checkpoint> cp = Checkpoint::Decode(*checkpoint);
  if (!cp) return herald::Outcome::Failed("unreadable checkpoint (not written by this connector)");
  if (cp->Get("ph") == "thumb") return ThumbnailStep(post, *cp);
  if (cp->Get("u").empty()) return StartSession(post);
  return UploadStep(post, *cp);
}

// Opening a session publishes nothing (the video exists only once every byte
// has arrived), so a lost answer here is retried.
herald::Outcome YouTubeConnector::StartSession(const herald::Post& post) {
  const char* what = "starting the resumable upload";
  herald::Media media = post.media(0);
  VideoMeta meta = MetaOf(post, default_privacy_, default_category_);
  herald::Request req("POST",
                      base_ + "/upload/youtube/v3/videos?uploadType=resumable&part=snippet,status");
  req.AddHeader("Content-Type", "application/json; charset=UTF-8");
  req.AddHeader("X-Upload-Content-Length", std::to_string(media.size_bytes()));
  req.AddHeader("X-Upload-Content-Type",
                media.mime_type().empty() ? "video/*" : std::string(media.mime_type()));
  req.BodyMemory(MetadataJson(meta));
  auto sent = Authorized(std::move(req));
  if (auto* o = std::get_if<herald::Outcome>(&sent)) return *o;
  const herald::HttpResult& r = std::get<herald::HttpResult>(sent);
  if (!r.ok()) return FromTransport(r.error(), Effect::kRead, what);
  if (auto e = ParseGoogleError(r.response())) {
    return ClassifyGoogleError(*e, r.response(), host_.NowMs(), what);
  }
  std::optional<std::string> location = r.response().HeaderValue("Location");
  if (!location || location->empty()) {
    return herald::Outcome::Retry(0, std::string(what) + ": answer without an upload URL");
  }
  Checkpoint cp;
  cp.Set("ph", "upload").Set("u", *location).SetInt("o", 0).Set("i", instance_);
  return herald::Outcome::Continue(host_.NowMs(), cp.Encode());
}

herald::Outcome YouTubeConnector::AfterTransientUpload(Checkpoint cp, const std::string& why) {
  int64_t t = cp.GetInt("t", 0) + 1;
  if (t > kMaxTransientUploads) {
    cp.SetInt("t", 0);
    return herald::Outcome::Retry(0, why + " (several times in a row)");
  }
  cp.SetInt("t", t).SetInt("q", 1);
  return herald::Outcome::Continue(host_.NowMs() + (int64_t{500} << std::min<int64_t>(t, 6)),
                                   cp.Encode());
}

herald::Outcome YouTubeConnector::UploadStep(const herald::Post& post, Checkpoint cp) {
  herald::Media media = post.media(0);
  const auto total = static_cast<int64_t>(media.size_bytes());
  const std::string url = cp.Get("u");
  int64_t offset = cp.GetInt("o", -1);
  if (offset < 0 || offset > total)
    return herald::Outcome::Failed("upload checkpoint holds an invalid offset");
  const bool query = cp.GetInt("q", 0) != 0 || cp.Get("i") != instance_;

  herald::Request req("PUT", url);
  std::string what;
  int64_t end = offset;
  if (query) {
    what = "asking the upload session where it stands";
    req.AddHeader("Content-Range", "bytes */" + std::to_string(total));
    req.BodyMemory("");
  } else {
    end = std::min(total, offset + chunk_bytes_);
    what = "uploading bytes " + std::to_string(offset) + "-" + std::to_string(end);
    req.AddHeader("Content-Type",
                  media.mime_type().empty() ? "video/*" : std::string(media.mime_type()));
    req.AddHeader("Content-Range", "bytes " + std::to_string(offset) + "-" +
                                       std::to_string(end - 1) + "/" + std::to_string(total));
    req.BodyFileRange(std::string(media.path()), static_cast<uint64_t>(offset),
                      static_cast<uint64_t>(end - offset));
  }
  auto sent = Authorized(std::move(req));
  if (auto* o = std::get_if<herald::Outcome>(&sent)) return *o;
  const herald::HttpResult& r = std::get<herald::HttpResult>(sent);
  if (!r.ok()) {
    if (r.error().code == HERALD_ERR_HTTP_BODY)
      return FromTransport(r.error(), Effect::kRead, what);
    if (r.error().code == HERALD_ERR_HTTP_NOT_SENT && !query) {
      return AfterTransientUpload(cp.Erase("q"), what + ": " + r.error().message);
    }
    return AfterTransientUpload(cp, what + ": " + r.error().message);
  }
  const herald::Response& resp = r.response();
  cp.Set("i", instance_);
  if (resp.status == 308) {
    std::optional<int64_t> acked = AcknowledgedOffset(resp);
    if (!acked || *acked > total)
      return AfterTransientUpload(cp, what + ": unreadable Range header");
    cp.SetInt("o", *acked).Erase("q").Erase("t");
    return herald::Outcome::Continue(host_.NowMs(), cp.Encode());
  }
  if (resp.status == 200 || resp.status == 201) {
    std::string id = ParseVideoId(resp.body);
    if (id.empty())
      return AfterTransientUpload(cp, what + ": completed without a readable video id");
    return Uploaded(post, id, cp);
  }
  if (resp.status == 404 || resp.status == 410) {
    host_.Warn("the upload session is gone; starting a new one");
    return herald::Outcome::Continue(host_.NowMs(), Checkpoint().Set("ph", "upload").Encode());
  }
  std::optional<GoogleError> e = ParseGoogleError(resp);
  if (resp.status >= 500)
    return AfterTransientUpload(cp, what + ": HTTP " + std::to_string(resp.status));
  return ClassifyGoogleError(*e, resp, host_.NowMs(), what);
}

herald::Outcome YouTubeConnector::Uploaded(const herald::Post& post, const std::string& video_id,
                                           Checkpoint cp) {
  VideoMeta meta = MetaOf(post, default_privacy_, default_category_);
  if (meta.cover.empty()) return herald::Outcome::Published(video_id, WatchUrl(video_id));
  Checkpoint next;
  next.Set("ph", "thumb").Set("vid", video_id).SetInt("ta", 0);
  (void)cp;
  return herald::Outcome::Continue(host_.NowMs(), next.Encode());
}

// The video is already live: a thumbnail that cannot be set is logged, retried
// a few times when transient, and never turns the post into a failure.
herald::Outcome YouTubeConnector::ThumbnailStep(const herald::Post& post, Checkpoint cp) {
  const std::string video_id = cp.Get("vid");
  if (video_id.empty()) return herald::Outcome::Failed("thumbnail checkpoint without a video id");
  VideoMeta meta = MetaOf(post, default_privacy_, default_category_);
  if (meta.cover.empty()) return herald::Outcome::Published(video_id, WatchUrl(video_id));
  bool png = meta.cover.size() > 4 && meta.cover.compare(meta.cover.size() - 4, 4, ".png") == 0;
  herald::Request req("POST",
                      base_ + "/upload/youtube/v3/thumbnails/set?videoId=" + UrlEncode(video_id));
  req.AddHeader("Content-Type", png ? "image/png" : "image/jpeg");
  req.BodyFileRange(meta.cover);
  auto sent = Authorized(std::move(req));
  std::string problem;
  bool transient = false;
  if (auto* o = std::get_if<herald::Outcome>(&sent)) {
    problem = o->reason();
    transient = o->kind() == herald::OutcomeKind::kRetry;
  } else {
    const herald::HttpResult& r = std::get<herald::HttpResult>(sent);
    if (!r.ok()) {
      problem = r.error().message;
      transient = r.error().code != HERALD_ERR_HTTP_BODY;
    } else if (auto e = ParseGoogleError(r.response())) {
      problem = e->message + (e->reason.empty() ? "" : " (" + e->reason + ")");
      transient = e->http_status >= 500 || e->http_status == 429;
    }
  }
  if (problem.empty()) return herald::Outcome::Published(video_id, WatchUrl(video_id));
  int64_t attempts = cp.GetInt("ta", 0) + 1;
  if (transient && attempts < kMaxThumbnailAttempts) {
    cp.SetInt("ta", attempts);
    return herald::Outcome::Continue(host_.NowMs() + 2000 * attempts, cp.Encode());
  }
  host_.Warn("video " + video_id + " is published without its custom thumbnail: " + problem);
  return herald::Outcome::Published(video_id, WatchUrl(video_id));
}

herald::FindResult YouTubeConnector::Find(const herald::Post& post) {
  const VideoMeta meta = MetaOf(post, default_privacy_, default_category_);
  auto get = [&](const std::string& path) -> std::variant<web::json::value, std::string> {
    auto sent = Authorized(herald::Request("GET", base_ + path));
    if (auto* o = std::get_if<herald::Outcome>(&sent)) return o->reason();
    const herald::HttpResult& r = std::get<herald::HttpResult>(sent);
    if (!r.ok()) return r.error().message;
    if (auto e = ParseGoogleError(r.response())) return e->message;
    std::optional<web::json::value> v = ParseJson(r.response().body);
    if (!v) return std::string("unreadable answer");
    return *v;
  };
  auto channels = get("/youtube/v3/channels?part=contentDetails&mine=true");
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
  const int64_t window_start = post.due_ms() - kFindSkewMs;
  std::string page_token;
  for (int page = 0; page < kFindPages; ++page) {
    std::string path =
        "/youtube/v3/playlistItems?part=snippet&maxResults=50&playlistId=" + UrlEncode(uploads);
    if (!page_token.empty()) path += "&pageToken=" + UrlEncode(page_token);
    auto listing = get(path);
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
      if (JsonString(*snippet, "title") == meta.title) {
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

std::string YouTubeConnector::Metrics(const std::vector<std::string>& remote_ids) {
  std::string out;
  for (size_t start = 0; start < remote_ids.size(); start += 50) {
    std::string ids;
    for (size_t i = start; i < std::min(remote_ids.size(), start + 50); ++i) {
      if (!ids.empty()) ids += ",";
      ids += UrlEncode(remote_ids[i]);
    }
    auto sent =
        Authorized(herald::Request("GET", base_ + "/youtube/v3/videos?part=statistics&id=" + ids));
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
