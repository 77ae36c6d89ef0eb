// Token-expiry warnings for `heraldctl accounts`: reads `expires_at_ms` of
// each configured account's credentials entry (when the credentials file is
// readable by the caller) and warns about tokens that expire soon and that
// heraldd cannot renew itself (no refresh_token; an Instagram Login token,
// settings.login: instagram, renews itself until it has expired). Never prints a secret: only
// account names and times.
//
// Any thread; no shared state.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include "config/config.h"

namespace herald::ctl {

inline constexpr int64_t kExpiryWarningMs = 7LL * 24 * 3600 * 1000;

// "facebook/x: the access token expires in 3 days: run heraldctl connect
// facebook/x", or nullopt when no warning is due (refreshable, or expiring
// later than `horizon_ms` from `now_ms`).
std::optional<std::string> ExpiryWarning(const std::string& account, int64_t expires_at_ms,
                                         bool refreshable, int64_t now_ms,
                                         int64_t horizon_ms = kExpiryWarningMs);

// Prints one "warning: ..." line to `err` per account of `config` whose token
// is due; silent when the credentials file cannot be read.
void WarnAboutExpiringTokens(const config::Config& config, int64_t now_ms, std::ostream& err);

}  // namespace herald::ctl
