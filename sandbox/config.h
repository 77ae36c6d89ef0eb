// The sandbox's configuration, read from a small YAML file: the emulated
// accounts and their tokens, processing delays, rate limits, engagement growth
// and OAuth clients. A loaded SandboxConfig is an immutable value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "daemon/common/result.h"

namespace herald::sandbox {

enum class Platform { kFacebook, kInstagram, kYouTube };
const char* PlatformName(Platform platform);

struct TokenConfig {
  std::string value;
  bool expired = false;
  // An Instagram user token of the Instagram API with Instagram Login
  // (`login: instagram`), which /refresh_access_token takes; else a Graph
  // token of Facebook Login.
  bool instagram_login = false;
};

struct AccountConfig {
  Platform platform = Platform::kFacebook;
  std::string id;                           // page id, Instagram user id, YouTube channel id
  std::string name;                         // page name, Instagram username, channel title
  std::vector<TokenConfig> tokens;          // access tokens accepted for this account
  std::vector<std::string> refresh_tokens;  // YouTube: refresh tokens the /token endpoint takes
};

struct OAuthClientConfig {
  std::string client_id;
  std::string client_secret;
};

struct SandboxConfig {
  std::vector<AccountConfig> accounts;
  std::vector<OAuthClientConfig> oauth_clients;  // empty: any client id and secret are accepted
  int access_token_seconds = 3600;               // lifetime of tokens the OAuth endpoints issue
  // Processing delays.
  double instagram_container_seconds = 2.0;  // IN_PROGRESS -> FINISHED
  double instagram_container_expiry_hours = 24.0;
  double youtube_processing_seconds = 0.0;
  // Rate limits; 0 means unlimited.
  int graph_calls_per_hour = 0;             // per account; then code 32 (pages) or 4 (Instagram)
  int instagram_posts_per_day = 100;        // content_publishing_limit quota_total
  int youtube_quota_units_per_day = 10000;  // every call but videos.insert
  int youtube_uploads_per_day = 100;        // videos.insert calls
  // Engagement growth per post, per minute since publishing (scaled per post by the seed).
  double likes_per_minute = 2.0;
  double comments_per_minute = 0.5;
  double shares_per_minute = 0.2;
  double views_per_minute = 12.0;
  uint64_t seed = 1;
  // Instagram media downloads: largest accepted sizes.
  int64_t max_image_bytes = 8 * 1024 * 1024;
  int64_t max_video_bytes = 300 * 1024 * 1024;

  const AccountConfig* FindAccount(const std::string& id) const;
};

// Parses YAML text; every problem is reported with its line.
Result<SandboxConfig> ParseConfig(const std::string& yaml_text);
Result<SandboxConfig> LoadConfig(const std::string& path);

}  // namespace herald::sandbox
