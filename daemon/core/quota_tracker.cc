#include "core/quota_tracker.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

// Last: its U() macro breaks fmt and Boost headers that follow it.
#include <cpprest/json.h>

namespace herald::core {

namespace {

constexpr int64_t kDayS = 24 * 3600;
constexpr int64_t kUnknownResetMs = 3600 * 1000;  // an account that declared no quota

int64_t LocalDay(const calendar::TimeZone& zone, int64_t now_ms) {
  int64_t utc_s = now_ms / 1000;
  int64_t local_s = utc_s + zone.OffsetAt(calendar::SysSeconds(std::chrono::seconds(utc_s)));
  return local_s >= 0 ? local_s / kDayS : (local_s - kDayS + 1) / kDayS;
}

std::string DayText(int64_t day_number) {
  std::chrono::year_month_day ymd{std::chrono::sys_days(std::chrono::days(day_number))};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

}  // namespace

Result<std::optional<QuotaSpec>> ParseQuotaSpec(std::string_view describe_json) {
  std::error_code error;
  web::json::value limits = web::json::value::parse(std::string(describe_json), error);
  if (error || !limits.is_object()) {
    return Error(ErrorCode::kInvalidArgument, "describe() is not a JSON object");
  }
  if (!limits.has_field("quota")) return std::optional<QuotaSpec>();
  const web::json::value& quota = limits.at("quota");
  if (!quota.is_object() || !quota.has_string_field("reset_time_zone") ||
      !quota.has_object_field("per_day")) {
    return Error(ErrorCode::kInvalidArgument,
                 "describe()'s `quota` needs `reset_time_zone` and a `per_day` object");
  }
  QuotaSpec spec;
  spec.reset_time_zone = quota.at("reset_time_zone").as_string();
  if (!calendar::TimeZone::Find(spec.reset_time_zone).ok()) {
    return Error(ErrorCode::kInvalidArgument, "describe()'s `quota.reset_time_zone` '" +
                                                  spec.reset_time_zone +
                                                  "' is not an IANA time zone");
  }
  for (const auto& [bucket, units] : quota.at("per_day").as_object()) {
    if (!units.is_integer() || units.as_number().to_int64() < 0) {
      return Error(ErrorCode::kInvalidArgument,
                   "describe()'s `quota.per_day." + bucket + "` must be a whole number");
    }
    spec.per_day[bucket] = units.as_number().to_int64();
  }
  return std::optional<QuotaSpec>(std::move(spec));
}

int64_t QuotaTracker::NextMidnightMs(const calendar::TimeZone& zone, int64_t now_ms) {
  calendar::LocalSeconds midnight{std::chrono::seconds((LocalDay(zone, now_ms) + 1) * kDayS)};
  return zone.Resolve(midnight).utc.time_since_epoch().count() * 1000;
}

void QuotaTracker::Roll(Account& a, int64_t now_ms) {
  if (!a.zone || now_ms < a.day_end_ms) return;
  a.used.clear();
  a.day_end_ms = NextMidnightMs(*a.zone, now_ms);
}

void QuotaTracker::Configure(const std::string& account, QuotaSpec spec) {
  std::lock_guard lock(mu_);
  Account& a = accounts_[account];
  a.zone = *calendar::TimeZone::Find(spec.reset_time_zone);  // checked by ParseQuotaSpec
  a.per_day = std::move(spec.per_day);
  a.day_end_ms = 0;
}

void QuotaTracker::Add(const std::string& account, const std::string& bucket, int64_t units,
                       int64_t now_ms) {
  if (units <= 0) return;
  std::lock_guard lock(mu_);
  Account& a = accounts_[account];
  Roll(a, now_ms);
  a.used[bucket.empty() ? "units" : bucket] += units;
}

int64_t QuotaTracker::Exhaust(const std::string& account, std::string reason, int64_t until_ms,
                              int64_t now_ms) {
  std::lock_guard lock(mu_);
  Account& a = accounts_[account];
  Roll(a, now_ms);
  int64_t reset = a.zone ? a.day_end_ms : now_ms + kUnknownResetMs;
  a.exhausted_until_ms = std::max(reset, until_ms);
  a.reason = std::move(reason);
  return a.exhausted_until_ms;
}

std::optional<QuotaTracker::View> QuotaTracker::ViewOf(const Account& a, int64_t now_ms) {
  const bool exhausted = a.exhausted_until_ms > now_ms;
  if (!a.zone && !exhausted) return std::nullopt;
  View v;
  if (exhausted) {
    v.exhausted_until_ms = a.exhausted_until_ms;
    v.reason = a.reason;
  }
  if (!a.zone) return v;
  const bool same_day = now_ms < a.day_end_ms;  // else nothing was spent yet today
  v.reset_time_zone = a.zone->name();
  v.day = DayText(LocalDay(*a.zone, now_ms));
  v.resets_at_ms = same_day ? a.day_end_ms : NextMidnightMs(*a.zone, now_ms);
  std::map<std::string, int64_t> buckets = a.per_day;
  if (same_day) {
    for (const auto& [name, used] : a.used) buckets.emplace(name, 0);
  }
  for (const auto& [name, per_day] : buckets) {
    auto used = same_day ? a.used.find(name) : a.used.end();
    v.buckets.push_back({name, used == a.used.end() ? 0 : used->second, per_day});
  }
  return v;
}

std::optional<QuotaTracker::View> QuotaTracker::Read(const std::string& account,
                                                     int64_t now_ms) const {
  std::lock_guard lock(mu_);
  auto it = accounts_.find(account);
  if (it == accounts_.end()) return std::nullopt;
  return ViewOf(it->second, now_ms);
}

std::map<std::string, QuotaTracker::View> QuotaTracker::ReadAll(int64_t now_ms) const {
  std::lock_guard lock(mu_);
  std::map<std::string, View> out;
  for (const auto& [name, a] : accounts_) {
    if (auto v = ViewOf(a, now_ms)) out.emplace(name, std::move(*v));
  }
  return out;
}

}  // namespace herald::core
