// YouTubeConnector: uploads videos to one YouTube channel through the Data API
// v3. This class reads the account's settings, describes YouTube's limits and
// validates a post; its parts do the rest:
//   oauth_tokens.h       the access token, refreshed ahead of expiry and after a 401
//   resumable_upload.h   the publishing steps: session, chunks, where it stands
//   thumbnail.h          the custom thumbnail, the last step
//   upload_finder.h      whether a post whose answer was lost was published
//   video_statistics.h   metrics()
//   google_errors.h      what Google's error answers mean for a job
//   video_metadata.h     a post's title, description, tags, privacy
//   quota_costs.h        what each call costs against the daily quota
//
// One object per channel, called by one thread at a time (plugin.hpp).
#pragma once

#include <herald/plugin.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "youtube/oauth_tokens.h"
#include "youtube/resumable_upload.h"
#include "youtube/video_metadata.h"

namespace herald::connectors::youtube {

class YouTubeConnector {
 public:
  static constexpr const char* kPlatform = "youtube";
  static constexpr const char* kVersion = "1.0.0";
  static constexpr const char* kDescription =
      "YouTube videos through the Data API v3 resumable upload";

  YouTubeConnector(herald::Host host, const herald::Account& account);
  YouTubeConnector(const YouTubeConnector&) = delete;
  YouTubeConnector& operator=(const YouTubeConnector&) = delete;

  herald::Limits Describe() const;
  std::vector<herald::Issue> Validate(const herald::Post& post);
  herald::Outcome Step(const herald::Post& post, std::optional<std::string_view> checkpoint);
  herald::FindResult Find(const herald::Post& post);
  std::string Metrics(const std::vector<std::string>& remote_ids);

 private:
  const std::string base_;  // the API's base URL, without a trailing slash
  const VideoDefaults defaults_;
  OAuthTokens tokens_;
  VideoUpload upload_;
  const int64_t units_per_day_;    // settings.quota_units_per_day, Google's default 10,000
  const int64_t inserts_per_day_;  // settings.uploads_per_day, Google's default 100
};

}  // namespace herald::connectors::youtube
