#include "ctl/token_expiry.h"

#include <sys/stat.h>

#include <cpprest/json.h>

#include <algorithm>
#include <charconv>

#include "config/credential_store.h"

namespace herald::ctl {
namespace {

std::string Span(int64_t ms) {
  const int64_t minute = 60 * 1000, hour = 60 * minute, day = 24 * hour;
  auto plural = [](int64_t n, const char* unit) {
    return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
  };
  if (ms >= 2 * day) return plural(ms / day, "day");
  if (ms >= 2 * hour) return plural(ms / hour, "hour");
  return plural(std::max<int64_t>(ms / minute, 1), "minute");
}

}  // namespace

std::optional<std::string> ExpiryWarning(const std::string& account, int64_t expires_at_ms,
                                         bool refreshable, int64_t now_ms, int64_t horizon_ms) {
  if (refreshable || expires_at_ms <= 0 || expires_at_ms - now_ms > horizon_ms) return std::nullopt;
  std::string when = expires_at_ms > now_ms ? "expires in " + Span(expires_at_ms - now_ms)
                                            : "expired " + Span(now_ms - expires_at_ms) + " ago";
  return account + ": the access token " + when + ": run heraldctl connect " + account;
}

void WarnAboutExpiringTokens(const config::Config& config, int64_t now_ms, std::ostream& err) {
  if (config.credentials_file.empty()) return;
  struct stat st {};
  if (::stat(config.credentials_file.c_str(), &st) != 0) return;
  // Owned by the daemon's user, which may not be ours (root reading herald's file).
  // With the daemon's refreshed tokens when this caller may read them too.
  auto store =
      config::CredentialStore::Open(config.credentials_file, st.st_uid,
                                    config::CredentialStore::RefreshedLayerIn(config.state_dir));
  if (!store) store = config::CredentialStore::Open(config.credentials_file, st.st_uid);
  if (!store) return;
  for (const config::AccountConfig& account : config.accounts) {
    if (account.credentials.empty()) continue;
    auto expires = (*store)->Get(account.credentials, "expires_at_ms");
    if (!expires) continue;
    int64_t at = 0;
    auto [end, ec] = std::from_chars(expires->data(), expires->data() + expires->size(), at);
    if (ec != std::errc() || end != expires->data() + expires->size()) {
      err << "warning: " << account.name << ": expires_at_ms in "
          << config.credentials_file.string() << " is not a number of milliseconds\n";
      continue;
    }
    bool refreshable = (*store)->Get(account.credentials, "refresh_token").ok();
    // An Instagram Login token is refreshed by the connector while it is valid.
    std::error_code json_error;
    web::json::value settings = web::json::value::parse(account.settings_json, json_error);
    if (!json_error && settings.is_object() && settings.has_field("login") &&
        settings.at("login").is_string() && settings.at("login").as_string() == "instagram") {
      refreshable = refreshable || at > now_ms;
    }
    if (auto warning = ExpiryWarning(account.name, at, refreshable, now_ms)) {
      err << "warning: " << *warning << "\n";
    }
  }
}

}  // namespace herald::ctl
