// ApiVersions: the versioned platform API each configured account's connector
// speaks (describe()'s "api" member: name, version, release and expiry dates;
// docs/writing-a-connector.md), read once per account from a connector made
// with the account's settings and no credentials or network, and how that
// version stands on a given day: current, expiring within 90 days, expired,
// or not known to its connector. A platform that retires a version serves its
// calls as another one, silently (Meta: the oldest live version): heraldd
// warns at start and once a day in the log, in /v1/status, /v1/accounts,
// /metrics and heraldctl status, and heraldctl validate warns too
// (docs/operations.md, "API versions").
//
// "Today" is the UTC day of the clock handed in; HERALD_TEST_TODAY=YYYY-MM-DD
// replaces it, for tests that need a fixed day (TodayUtc). A read ApiVersions
// is an immutable value: any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "config/config.h"
#include "plugin/plugin_loader.h"

namespace herald::core {

// Warn this many days before a version expires.
inline constexpr int64_t kApiExpiryWarningDays = 90;

struct ApiVersionInfo {
  std::string name;                               // "Graph API"
  std::string version;                            // "v21.0"
  std::optional<std::chrono::sys_days> released;  // nullopt: the connector does not know it
  std::optional<std::chrono::sys_days> expires;   // nullopt: no date announced
};

enum class ApiVersionState { kCurrent, kExpiring, kExpired, kUnknown };
const char* ToString(ApiVersionState state);  // "current", "expiring", "expired", "unknown"

struct ApiVersionReport {
  std::string account;
  ApiVersionInfo api;
  ApiVersionState state = ApiVersionState::kCurrent;
  std::optional<int64_t> days_left;  // until `expires` (negative once passed); nullopt: no date
  std::string message;               // one line for people; empty when current
  bool warns() const { return state != ApiVersionState::kCurrent; }
};

// describe()'s "api" member; nullopt when absent, kInvalidArgument when malformed.
Result<std::optional<ApiVersionInfo>> ParseApiVersion(std::string_view describe_json);
// "2027-01-21" -> that day; nullopt when not a real date.
std::optional<std::chrono::sys_days> ParseDay(std::string_view text);
std::string FormatDay(std::chrono::sys_days day);
// The UTC day of `now_ms`, or HERALD_TEST_TODAY's when that is set to a date.
std::chrono::sys_days TodayUtc(int64_t now_ms);

// How `api` stands on `today` for `account`.
ApiVersionReport AssessApiVersion(const std::string& account, const ApiVersionInfo& api,
                                  std::chrono::sys_days today);

// describe() of one connector per configured account whose plugin is loaded,
// made with the account's settings and no credentials or network (what
// ApiVersions and QuotaTracker read); an account whose connector cannot be
// made or described is logged and left out. In the configuration's order.
std::vector<std::pair<std::string, std::string>> DescribeAccounts(
    const config::Config& config, const plugin::PluginLoadReport& plugins);

class ApiVersions {
 public:
  // From DescribeAccounts(); an account whose connector says nothing of its
  // API is left out, one whose "api" is malformed is logged and left out.
  static ApiVersions FromDescriptions(
      const std::vector<std::pair<std::string, std::string>>& descriptions);
  static ApiVersions Read(const config::Config& config, const plugin::PluginLoadReport& plugins) {
    return FromDescriptions(DescribeAccounts(config, plugins));
  }

  // Every account's report on `today`, in the configuration's order.
  std::vector<ApiVersionReport> Assess(std::chrono::sys_days today) const;
  // The report of one account, or nullopt when its API is not known.
  std::optional<ApiVersionReport> AssessAccount(const std::string& account,
                                                std::chrono::sys_days today) const;

 private:
  std::vector<std::pair<std::string, ApiVersionInfo>> by_account_;
};

}  // namespace herald::core
