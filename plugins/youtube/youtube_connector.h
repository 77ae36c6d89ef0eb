// YouTubeConnector: uploads videos to one YouTube channel through the Data API
// v3 resumable upload protocol, with OAuth2 token refresh.
//
// A step does one bounded thing: start the upload session (metadata: title,
// description, tags, category, privacy, made-for-kids), send one chunk (a
// multiple of 256 KiB, read from a file range: constant memory), ask the
// session where it stands (after a restart, a lost answer or a 5xx), or set
// the custom thumbnail. The checkpoint holds the upload URL and the
// acknowledged offset; it never holds a token.
//
// Tokens: the access token is refreshed ahead of expiry (expires_at_ms) and
// after a 401; `invalid_grant` is auth_expired, a 5xx or lost answer from the
// token endpoint is retry; a refresh never overwrites a stored refresh token
// with nothing (only a non-empty rotated one is stored).
//
// One object per channel, called by one thread at a time (plugin.hpp).
#pragma once

#include <herald/plugin.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/checkpoint.h"

namespace herald::connectors::youtube {

// Google's error shape {"error":{"code","message","errors":[{"reason","domain"}]}}.
struct GoogleError {
  int http_status = 0;
  std::string reason;  // errors[0].reason ("quotaExceeded", "backendError", ...)
  std::string message;
};
// nullopt for a 2xx/308 answer.
std::optional<GoogleError> ParseGoogleError(const herald::Response& r);

// The outcome for a YouTube API error (401 is handled by the caller first):
// quotaExceeded/dailyLimitExceeded -> retry at the next midnight Pacific time;
// rateLimitExceeded/userRateLimitExceeded/429 -> retry after Retry-After (or a minute);
// 5xx, backendError, internalError -> retry; anything else -> failed.
herald::Outcome ClassifyGoogleError(const GoogleError& e, const herald::Response& r, int64_t now_ms,
                                    std::string_view what);

// The next midnight in America/Los_Angeles after `now_ms` (US daylight saving
// rules since 2007), when the YouTube quota resets.
int64_t NextPacificMidnightMs(int64_t now_ms);

// The byte offset a 308 answer acknowledges: "Range: bytes=0-X" -> X+1; no Range -> 0.
std::optional<int64_t> AcknowledgedOffset(const herald::Response& r);

// The video id of a completed upload's answer; "" when absent or malformed.
std::string ParseVideoId(std::string_view body);

struct TokenAnswer {
  std::string access_token;
  int64_t expires_in_s = 0;
  std::string refresh_token;  // "" unless the server rotated it
};
std::optional<TokenAnswer> ParseTokenAnswer(std::string_view body);

// videos.list?part=statistics -> {"id":{"views":N,"likes":N,"comments":N},...} members
// (without the braces), counts arriving as strings; nullopt when malformed.
std::optional<std::string> ParseVideoStatistics(std::string_view body);

class YouTubeConnector {
 public:
  static constexpr const char* kPlatform = "youtube";
  static constexpr const char* kVersion = "1.0.0";
  static constexpr const char* kDescription =
      "YouTube videos through the Data API v3 resumable upload";

  YouTubeConnector(herald::Host host, const herald::Account& account);

  herald::Limits Describe() const;
  std::vector<herald::Issue> Validate(const herald::Post& post);
  herald::Outcome Step(const herald::Post& post, std::optional<std::string_view> checkpoint);
  herald::FindResult Find(const herald::Post& post);
  std::string Metrics(const std::vector<std::string>& remote_ids);

 private:
  using TokenOrOutcome = std::variant<std::string, herald::Outcome>;
  TokenOrOutcome Token(bool force_refresh);
  TokenOrOutcome Refresh();
  // Sends `req` with the access token; after a 401, refreshes once and resends.
  std::variant<herald::HttpResult, herald::Outcome> Authorized(herald::Request req);

  herald::Outcome StartSession(const herald::Post& post);
  herald::Outcome UploadStep(const herald::Post& post, Checkpoint cp);
  herald::Outcome Uploaded(const herald::Post& post, const std::string& video_id, Checkpoint cp);
  herald::Outcome ThumbnailStep(const herald::Post& post, Checkpoint cp);
  herald::Outcome AfterTransientUpload(Checkpoint cp, const std::string& why);

  herald::Host host_;
  std::string base_;
  std::string token_url_;
  std::string default_privacy_;
  std::string default_category_;
  int64_t chunk_bytes_;
  // Written into every checkpoint: a checkpoint from another instance (a
  // restart) makes the next step ask the session where it stands first.
  std::string instance_;
};

}  // namespace herald::connectors::youtube
