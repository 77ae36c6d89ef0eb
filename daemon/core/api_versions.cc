#include "core/api_versions.h"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>

#include "core/account_spec.h"
#include "plugin/connector.h"
#include "plugin/host_services.h"

// Last: its U() macro breaks fmt and Boost headers that follow it.
#include <cpprest/json.h>

namespace herald::core {

namespace {

using std::chrono::days;
using std::chrono::sys_days;

std::string Plural(int64_t n, const char* unit) {
  return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
}

}  // namespace

const char* ToString(ApiVersionState state) {
  switch (state) {
    case ApiVersionState::kCurrent:
      return "current";
    case ApiVersionState::kExpiring:
      return "expiring";
    case ApiVersionState::kExpired:
      return "expired";
    case ApiVersionState::kUnknown:
      break;
  }
  return "unknown";
}

std::optional<sys_days> ParseDay(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  auto number = [&](size_t at, size_t n) {
    return std::atoi(std::string(text.substr(at, n)).c_str());
  };
  std::chrono::year_month_day day{std::chrono::year(number(0, 4)),
                                  std::chrono::month(static_cast<unsigned>(number(5, 2))),
                                  std::chrono::day(static_cast<unsigned>(number(8, 2)))};
  if (!day.ok()) return std::nullopt;
  return sys_days(day);
}

std::string FormatDay(sys_days day) {
  std::chrono::year_month_day ymd(day);
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

sys_days TodayUtc(int64_t now_ms) {
  if (const char* fixed = std::getenv("HERALD_TEST_TODAY"); fixed && *fixed) {
    if (std::optional<sys_days> day = ParseDay(fixed)) return *day;
  }
  return std::chrono::floor<days>(
      std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(now_ms)));
}

Result<std::optional<ApiVersionInfo>> ParseApiVersion(std::string_view describe_json) {
  std::error_code error;
  web::json::value limits = web::json::value::parse(std::string(describe_json), error);
  if (error || !limits.is_object()) {
    return Error(ErrorCode::kInvalidArgument, "describe() is not a JSON object");
  }
  if (!limits.has_field("api")) return std::optional<ApiVersionInfo>();
  const web::json::value& api = limits.at("api");
  if (!api.is_object() || !api.has_string_field("version")) {
    return Error(ErrorCode::kInvalidArgument, "describe()'s `api` needs a `version` string");
  }
  ApiVersionInfo out;
  out.version = api.at("version").as_string();
  out.name = api.has_string_field("name") ? api.at("name").as_string() : std::string("API");
  for (auto [key, field] : {std::pair{"released", &out.released}, {"expires", &out.expires}}) {
    if (!api.has_field(key)) continue;
    std::optional<sys_days> day =
        api.at(key).is_string() ? ParseDay(api.at(key).as_string()) : std::nullopt;
    if (!day) {
      return Error(ErrorCode::kInvalidArgument,
                   std::string("describe()'s `api.") + key + "` must be a YYYY-MM-DD date");
    }
    *field = day;
  }
  return std::optional<ApiVersionInfo>(std::move(out));
}

ApiVersionReport AssessApiVersion(const std::string& account, const ApiVersionInfo& api,
                                  sys_days today) {
  ApiVersionReport r;
  r.account = account;
  r.api = api;
  const std::string what = account + ": " + api.name + " " + api.version;
  if (api.expires) r.days_left = (*api.expires - today).count();
  if (!api.released) {
    r.state = ApiVersionState::kUnknown;
    r.message = what +
                " is not a version its connector knows: its expiry cannot be checked (is the "
                "api_version setting right?)";
  } else if (r.days_left && *r.days_left <= 0) {
    r.state = ApiVersionState::kExpired;
    r.message = what + " expired on " + FormatDay(*api.expires) +
                (*r.days_left == 0 ? std::string(" (today)")
                                   : " (" + Plural(-*r.days_left, "day") + " ago)") +
                ": the platform now answers these calls as another version; move the account "
                "to a current version (its api_version setting)";
  } else if (r.days_left && *r.days_left <= kApiExpiryWarningDays) {
    r.state = ApiVersionState::kExpiring;
    r.message = what + " expires on " + FormatDay(*api.expires) + ", in " +
                Plural(*r.days_left, "day") +
                "; after that the platform answers these calls as another version: move the "
                "account to a current version (its api_version setting)";
  }
  return r;
}

std::vector<std::pair<std::string, std::string>> DescribeAccounts(
    const config::Config& config, const plugin::PluginLoadReport& plugins) {
  std::vector<std::pair<std::string, std::string>> out;
  // No HTTP, no credentials: describe() only reports what the account is set to.
  plugin::ProbeHostServices host("describe", HERALD_LOG_WARN);
  for (const auto& account : config.accounts) {
    auto p = plugins.Find(account.platform);
    if (!p) continue;
    auto connector = plugin::Connector::Create(p, AccountSpecOf(account), &host);
    Result<std::string> limits =
        connector.ok() ? (*connector)->Describe() : Result<std::string>(connector.error());
    if (!limits.ok()) {
      spdlog::warn("account {}: its connector cannot describe it: {}", account.name,
                   limits.error().message());
      continue;
    }
    out.emplace_back(account.name, std::move(*limits));
  }
  return out;
}

ApiVersions ApiVersions::FromDescriptions(
    const std::vector<std::pair<std::string, std::string>>& descriptions) {
  ApiVersions out;
  for (const auto& [account, limits] : descriptions) {
    Result<std::optional<ApiVersionInfo>> api = ParseApiVersion(limits);
    if (!api.ok()) {
      spdlog::warn("account {}: its API version cannot be read: {}", account,
                   api.error().message());
      continue;
    }
    if (*api) out.by_account_.emplace_back(account, std::move(**api));
  }
  return out;
}

std::vector<ApiVersionReport> ApiVersions::Assess(sys_days today) const {
  std::vector<ApiVersionReport> out;
  for (const auto& [account, api] : by_account_)
    out.push_back(AssessApiVersion(account, api, today));
  return out;
}

std::optional<ApiVersionReport> ApiVersions::AssessAccount(const std::string& account,
                                                           sys_days today) const {
  for (const auto& [name, api] : by_account_) {
    if (name == account) return AssessApiVersion(name, api, today);
  }
  return std::nullopt;
}

}  // namespace herald::core
