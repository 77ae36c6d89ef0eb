// Config: the daemon's settings as loaded from herald.yaml (see
// docs/configuration.md). A plain value type: the loader fills it, heraldd owns
// one immutable copy and hands const references to its modules; safe to read
// from any thread. It holds no secret: credentials live in the separate file
// read by CredentialStore, and accounts only name their entry there.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace herald::config {

enum class LogLevel { kTrace, kDebug, kInfo, kWarn, kError };
const char* ToString(LogLevel level);

// Token bucket: `tokens_per_second` refill, at most `burst` requests at once.
struct RateLimit {
  double tokens_per_second = 0;
  int burst = 1;
};

// Limits for one platform (all its accounts together) or one account.
struct Limits {
  std::optional<RateLimit> rate_limit;  // absent: no rate limit
  int concurrency = 0;                  // simultaneous requests; 0: no cap
};

enum class Jitter { kNone, kFull };

// Exponential backoff: attempt n waits min(max_delay, base_delay * 2^(n-1)),
// drawn uniformly from [0, that] with full jitter.
struct RetryPolicy {
  std::chrono::milliseconds base_delay{std::chrono::seconds(2)};
  std::chrono::milliseconds max_delay{std::chrono::minutes(10)};
  int max_attempts = 8;
  Jitter jitter = Jitter::kFull;
};

// Who may use the control socket: named users and members of named groups.
struct AccessList {
  std::vector<std::string> users;
  std::vector<std::string> groups;
};

struct ControlConfig {
  std::filesystem::path socket{"/run/herald/control.sock"};
  std::string group;   // the socket's group (chmod 0660); empty: the daemon's group
  AccessList viewers;  // read-only access
  AccessList admins;   // everything, including cancel / retry / resolve
  // Connection limits (see docs/security.md): open at once in all; of those,
  // how many only admins may take; at most this many per user below admin;
  // and how long a request's headers may take to arrive.
  int max_connections = 256;
  int admin_connections = 32;
  int max_connections_per_user = 16;
  std::chrono::milliseconds header_timeout{std::chrono::seconds(5)};
};

// Where media is staged for platforms that fetch it by URL (Instagram).
struct MediaConfig {
  std::string public_base_url;  // empty: no staging configured
  std::filesystem::path dir;
  unsigned mode = 0640;  // of each staged copy: 0600, 0640 or 0644
  std::string group;     // the staged copies' group (the web server's); empty: heraldd's
};

// Outbound HTTP (the connectors' host service).
struct HttpConfig {
  std::size_t max_response_bytes = 16u << 20;  // a longer answer fails the request
};

// The OAuth app `heraldctl connect` uses for a platform
// (platforms.<platform>.oauth). Empty fields: heraldctl's defaults (the real
// platform's endpoints). No secret: the client secret lives in the
// credentials file.
struct OAuthAppConfig {
  std::string client_id;
  std::string auth_url;
  std::string token_url;
  std::string scope;
};

struct AccountConfig {
  std::string name;                  // "platform/name", e.g. "facebook/corner-cleaners"
  std::string platform;              // the part before '/': which connector plugin
  std::string api_base;              // empty: the connector's default (the real platform)
  std::string credentials;           // key into the credentials file; empty: none
  std::string settings_json = "{}";  // free-form, non-secret, passed to the connector
  Limits limits;
};

struct Config {
  std::filesystem::path source;  // the file this came from
  std::vector<std::filesystem::path> calendar_dirs;
  std::vector<std::filesystem::path> plugin_dirs;
  std::filesystem::path state_dir{"/var/lib/herald"};
  std::filesystem::path credentials_file;  // empty: no credentials file
  ControlConfig control;
  std::map<std::string, Limits> platforms;      // by platform name
  std::map<std::string, OAuthAppConfig> oauth;  // platforms.<platform>.oauth, by platform name
  std::vector<AccountConfig> accounts;          // sorted by name
  RetryPolicy retry;
  std::chrono::milliseconds late_grace{std::chrono::minutes(15)};
  LogLevel log_level = LogLevel::kInfo;
  MediaConfig media;
  HttpConfig http;

  // nullptr when no account has that name.
  const AccountConfig* FindAccount(const std::string& name) const;

  // A human-readable dump (YAML-like) for `heraldd --check-config`; no secret is
  // in a Config, so none can appear here.
  std::string ToString() const;
};

}  // namespace herald::config
