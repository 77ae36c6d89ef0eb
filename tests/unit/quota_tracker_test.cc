// QuotaTracker: describe()'s quota, the day's use by bucket, the reset at
// midnight in the platform's zone (daylight saving from the tz database, not
// hand-written rules), and an exhausted account until that reset.
#include <catch2/catch.hpp>

#include "core/quota_tracker.h"

using namespace herald::core;

namespace {
QuotaSpec YouTube() {
  return QuotaSpec{"America/Los_Angeles", {{"units", 10000}, {"videos.insert", 100}}};
}
}  // namespace

TEST_CASE("describe()'s quota member") {
  auto spec = ParseQuotaSpec(
      R"({"quota":{"reset_time_zone":"America/Los_Angeles","per_day":{"units":10000,"videos.insert":100}}})");
  REQUIRE(spec.ok());
  REQUIRE(*spec);
  CHECK((*spec)->per_day.at("videos.insert") == 100);
  auto none = ParseQuotaSpec(R"({"text_max":1})");
  REQUIRE(none.ok());
  CHECK_FALSE(*none);
  CHECK_FALSE(ParseQuotaSpec(R"({"quota":{"reset_time_zone":"Mars/Olympus","per_day":{}}})").ok());
  CHECK_FALSE(ParseQuotaSpec(R"({"quota":{"reset_time_zone":"UTC","per_day":{"units":-1}}})").ok());
  CHECK_FALSE(ParseQuotaSpec(R"({"quota":{"per_day":{}}})").ok());
}

TEST_CASE("the quota resets at midnight Pacific time, daylight saving included") {
  auto zone = *herald::calendar::TimeZone::Find("America/Los_Angeles");
  // 2024-01-15T12:00:00Z (PST, UTC-8) -> 2024-01-16T08:00:00Z
  CHECK(QuotaTracker::NextMidnightMs(zone, 1705320000000) == 1705392000000);
  // 2024-07-15T12:00:00Z (PDT, UTC-7) -> 2024-07-16T07:00:00Z
  CHECK(QuotaTracker::NextMidnightMs(zone, 1721044800000) == 1721113200000);
  // 2026-03-08T07:30:00Z is 23:30 PST on the 7th: midnight comes before the
  // switch to PDT that night -> 2026-03-08T08:00:00Z; an hour later (00:30
  // PST) the next midnight is in PDT -> 2026-03-09T07:00:00Z.
  CHECK(QuotaTracker::NextMidnightMs(zone, 1772955000000) == 1772956800000);
  CHECK(QuotaTracker::NextMidnightMs(zone, 1772958600000) == 1773039600000);
}

TEST_CASE("a day's use by bucket, back to zero after the reset") {
  QuotaTracker q;
  q.Configure("youtube/tv", YouTube());
  const int64_t t = 1796126400000;  // 2026-12-01T12:00:00Z, 04:00 PST
  q.Add("youtube/tv", "videos.insert", 1, t);
  q.Add("youtube/tv", "units", 50, t + 1000);
  q.Add("youtube/tv", "", 1, t + 2000);  // "units" when unnamed
  auto v = q.Read("youtube/tv", t + 3000);
  REQUIRE(v);
  CHECK(v->day == "2026-12-01");
  CHECK(v->resets_at_ms == 1796198400000);  // 2026-12-02T08:00:00Z
  REQUIRE(v->buckets.size() == 2);
  CHECK(v->buckets[0].name == "units");
  CHECK(v->buckets[0].used == 51);
  CHECK(v->buckets[0].per_day == 10000);
  CHECK(v->buckets[1].used == 1);
  CHECK(v->exhausted_until_ms == 0);

  auto next_day = q.Read("youtube/tv", 1796198400000);
  CHECK(next_day->day == "2026-12-02");
  CHECK(next_day->buckets[0].used == 0);
  q.Add("youtube/tv", "units", 3, 1796198400000 + 1);
  CHECK(q.Read("youtube/tv", 1796198400000 + 2)->buckets[0].used == 3);
  CHECK_FALSE(q.Read("facebook/x", t));
}

TEST_CASE("an exhausted account stays so until the reset") {
  QuotaTracker q;
  q.Configure("youtube/tv", YouTube());
  const int64_t t = 1796126400000;
  int64_t until = q.Exhaust("youtube/tv", "quotaExceeded", 0, t);
  CHECK(until == 1796198400000);
  auto v = q.Read("youtube/tv", t + 1);
  CHECK(v->exhausted_until_ms == until);
  CHECK(v->reason == "quotaExceeded");
  CHECK(q.Read("youtube/tv", until)->exhausted_until_ms == 0);
  CHECK(q.Exhaust("youtube/tv", "later", until + 5000 + 86400000, t) == until + 5000 + 86400000);
  // Without a declared quota: an hour.
  CHECK(q.Exhaust("other/x", "spent", 0, t) == t + 3600 * 1000);
  CHECK(q.ReadAll(t).count("other/x") == 1);
}
