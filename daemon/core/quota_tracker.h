// QuotaTracker: each account's estimated use of its platform's daily quota.
// The connector declares the quota in describe() ("quota": the IANA zone
// whose midnight resets it, each bucket's daily allowance) and each request's
// cost (herald_http_request.quota_units); AccountHost adds a request's cost
// here once it was sent, whatever the answer (the platform charges invalid
// requests too). A quota-exhausted answer (HERALD_OUTCOME_QUOTA_EXHAUSTED)
// marks the account spent until the next reset: the dispatcher holds its work
// until then and the control API says so. The figures are estimates: they
// start from zero when heraldd starts, and another program using the same
// Google project spends the same quota unseen.
//
// Thread-safe: workers add and read concurrently; one mutex guards all.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/time_zone.h"
#include "common/result.h"

namespace herald::core {

struct QuotaSpec {
  std::string reset_time_zone;             // "America/Los_Angeles"
  std::map<std::string, int64_t> per_day;  // bucket -> daily allowance
};

// describe()'s "quota" member; nullopt when absent; kInvalidArgument when
// malformed or its zone is not an IANA zone.
Result<std::optional<QuotaSpec>> ParseQuotaSpec(std::string_view describe_json);

class QuotaTracker {
 public:
  // The account's quota, from its connector's describe().
  void Configure(const std::string& account, QuotaSpec spec);

  // A request of `account` that was sent cost `units` of `bucket`.
  void Add(const std::string& account, const std::string& bucket, int64_t units, int64_t now_ms);

  // The platform said the account's quota is spent: it stays so until the
  // next reset after `now_ms`, or `until_ms` when that is later (an account
  // without a declared quota: an hour). Returns that instant.
  int64_t Exhaust(const std::string& account, std::string reason, int64_t until_ms, int64_t now_ms);

  struct Bucket {
    std::string name;
    int64_t used = 0;
    int64_t per_day = 0;
  };
  struct View {
    std::string reset_time_zone;
    std::string day;           // the quota day, "2026-12-01" in the reset zone
    int64_t resets_at_ms = 0;  // the next midnight there
    std::vector<Bucket> buckets;
    int64_t exhausted_until_ms = 0;  // 0: not exhausted
    std::string reason;              // the platform's words, when exhausted
  };
  // The account's figures at `now_ms`; nullopt when it declared no quota and
  // was never exhausted.
  std::optional<View> Read(const std::string& account, int64_t now_ms) const;
  // Every account with a View, by name.
  std::map<std::string, View> ReadAll(int64_t now_ms) const;

  // The first midnight in `zone` after `now_ms` (DST as the tz database says).
  static int64_t NextMidnightMs(const calendar::TimeZone& zone, int64_t now_ms);

 private:
  struct Account {
    std::optional<calendar::TimeZone> zone;
    std::map<std::string, int64_t> per_day;
    int64_t day_end_ms = 0;  // the reset that ends the day `used` counts
    std::map<std::string, int64_t> used;
    int64_t exhausted_until_ms = 0;
    std::string reason;
  };
  // Starts a new day for `a` when `now_ms` reached its reset.
  static void Roll(Account& a, int64_t now_ms);
  static std::optional<View> ViewOf(const Account& a, int64_t now_ms);

  mutable std::mutex mu_;
  std::map<std::string, Account> accounts_;  // guarded by mu_
};

}  // namespace herald::core
