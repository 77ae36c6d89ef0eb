#include "youtube/youtube_connector.h"

#include <cstdlib>

#include "common/json_util.h"
#include "youtube/quota_costs.h"
#include "youtube/upload_finder.h"
#include "youtube/video_statistics.h"

namespace herald::connectors::youtube {

namespace {

std::string ConfigString(const herald::Account& account, const char* key) {
  std::optional<web::json::value> config = ParseJson(account.config_json);
  return config ? JsonString(*config, key) : std::string();
}

std::string StripSlash(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

// The OAuth token endpoint: the account's `token_url`, else the emulator's
// beside its API base, else Google's.
std::string TokenUrl(const herald::Account& account, const std::string& base) {
  std::string url = ConfigString(account, "token_url");
  if (!url.empty()) return url;
  return account.api_base && !account.api_base->empty() ? base + "/token"
                                                        : "https://oauth2.googleapis.com/token";
}

// A daily allowance setting (a project granted more quota than the default).
int64_t PerDay(const herald::Account& account, const char* key, int64_t fallback) {
  std::string v = ConfigString(account, key);
  int64_t n = v.empty() ? 0 : std::atoll(v.c_str());
  return n > 0 ? n : fallback;
}

}  // namespace

YouTubeConnector::YouTubeConnector(herald::Host host, const herald::Account& account)
    : base_(StripSlash(account.api_base && !account.api_base->empty()
                           ? *account.api_base
                           : "https://www.googleapis.com")),
      defaults_{ConfigString(account, "privacy"), ConfigString(account, "category")},
      tokens_(host, TokenUrl(account, base_), base_),
      upload_(host, tokens_, base_, defaults_,
              UploadChunkBytes(ConfigString(account, "chunk_bytes"))),
      units_per_day_(PerDay(account, "quota_units_per_day", kDefaultUnitsPerDay)),
      inserts_per_day_(PerDay(account, "uploads_per_day", kDefaultInsertsPerDay)) {}

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
      .Video(video)
      .Quota(
          {kQuotaResetZone, {{kUnitsBucket, units_per_day_}, {kInsertBucket, inserts_per_day_}}});
}

std::vector<herald::Issue> YouTubeConnector::Validate(const herald::Post& post) {
  std::vector<herald::Issue> issues;
  if (post.media_count() != 1 || post.media(0).kind() != herald::MediaKind::kVideo) {
    issues.push_back({"media", "a YouTube post is exactly one video"});
  }
  VideoMeta m = MetaOf(post, defaults_);
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

herald::Outcome YouTubeConnector::Step(const herald::Post& post,
                                       std::optional<std::string_view> checkpoint) {
  if (std::vector<herald::Issue> issues = Validate(post); !issues.empty()) {
    return herald::Outcome::Failed(issues.front().message);
  }
  return upload_.Step(post, checkpoint);
}

// The upload session the post's checkpoint names is asked first; the uploads
// playlist is searched only without one (or an older host gives none).
herald::FindResult YouTubeConnector::Find(const herald::Post& post) {
  if (std::optional<std::string_view> checkpoint = post.checkpoint()) {
    if (std::optional<herald::FindResult> asked = upload_.FindFromCheckpoint(post, *checkpoint)) {
      return *asked;
    }
  }
  return FindUpload(tokens_, base_, MetaOf(post, defaults_).title, post.due_ms());
}

std::string YouTubeConnector::Metrics(const std::vector<std::string>& remote_ids) {
  return ReadVideoStatistics(tokens_, base_, remote_ids);
}

}  // namespace herald::connectors::youtube
