// ApiVersions: reading describe()'s "api" member and judging a version on a
// given day (current, expiring within 90 days, expired, unknown), with a
// fixed "today" (HERALD_TEST_TODAY) replacing the clock's day.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "core/api_versions.h"

using namespace herald::core;

namespace {
std::chrono::sys_days Day(const char* text) { return *ParseDay(text); }
}  // namespace

TEST_CASE("describe()'s api member") {
  auto known = ParseApiVersion(
      R"({"text_max":1,"api":{"name":"Graph API","version":"v21.0","released":"2024-10-02","expires":"2027-01-21"}})");
  REQUIRE(known.ok());
  REQUIRE(*known);
  CHECK((*known)->name == "Graph API");
  CHECK((*known)->version == "v21.0");
  CHECK(FormatDay(*(*known)->expires) == "2027-01-21");

  auto none = ParseApiVersion(R"({"text_max":1})");
  REQUIRE(none.ok());
  CHECK_FALSE(*none);
  auto unknown = ParseApiVersion(R"({"api":{"name":"Graph API","version":"v30.0"}})");
  REQUIRE(unknown.ok());
  CHECK_FALSE((*unknown)->released);

  CHECK_FALSE(ParseApiVersion(R"({"api":{"name":"x"}})").ok());  // no version
  CHECK_FALSE(ParseApiVersion(R"({"api":{"version":"v1","expires":"2027-02-30"}})").ok());
  CHECK_FALSE(ParseApiVersion(R"({"api":{"version":"v1","expires":20270221}})").ok());
  CHECK_FALSE(ParseApiVersion("not json").ok());
}

TEST_CASE("dates") {
  CHECK(FormatDay(Day("2026-12-01")) == "2026-12-01");
  CHECK_FALSE(ParseDay("2026-13-01"));
  CHECK_FALSE(ParseDay("2026-2-01"));
  CHECK_FALSE(ParseDay("26-12-01xx"));
  CHECK((Day("2027-01-21") - Day("2026-12-01")).count() == 51);
}

TEST_CASE("a version is judged on the day given") {
  ApiVersionInfo v21{"Graph API", "v21.0", Day("2024-10-02"), Day("2027-01-21")};
  auto far = AssessApiVersion("facebook/a", v21, Day("2026-10-01"));
  CHECK(far.state == ApiVersionState::kCurrent);
  CHECK(*far.days_left == 112);
  CHECK(far.message.empty());
  CHECK_FALSE(far.warns());

  auto soon = AssessApiVersion("facebook/a", v21, Day("2026-12-01"));
  CHECK(soon.state == ApiVersionState::kExpiring);
  CHECK(*soon.days_left == 51);
  CHECK(soon.message.find("facebook/a: Graph API v21.0 expires on 2027-01-21, in 51 days") == 0);
  CHECK(AssessApiVersion("facebook/a", v21, Day("2026-10-23")).state ==
        ApiVersionState::kExpiring);  // exactly 90 days
  CHECK(AssessApiVersion("facebook/a", v21, Day("2026-10-22")).state ==
        ApiVersionState::kCurrent);  // 91 days

  auto day_of = AssessApiVersion("facebook/a", v21, Day("2027-01-21"));
  CHECK(day_of.state == ApiVersionState::kExpired);
  CHECK(day_of.message.find("(today)") != std::string::npos);
  auto after = AssessApiVersion("facebook/a", v21, Day("2027-02-01"));
  CHECK(after.state == ApiVersionState::kExpired);
  CHECK(*after.days_left == -11);
  CHECK(after.message.find("expired on 2027-01-21 (11 days ago)") != std::string::npos);

  ApiVersionInfo open{"Graph API", "v26.0", Day("2026-07-29"), std::nullopt};
  auto no_date = AssessApiVersion("instagram/b", open, Day("2030-01-01"));
  CHECK(no_date.state == ApiVersionState::kCurrent);
  CHECK_FALSE(no_date.days_left);

  ApiVersionInfo typo{"Graph API", "v30.0", std::nullopt, std::nullopt};
  auto unknown = AssessApiVersion("facebook/c", typo, Day("2026-12-01"));
  CHECK(unknown.state == ApiVersionState::kUnknown);
  CHECK(unknown.message.find("v30.0 is not a version its connector knows") != std::string::npos);
}

TEST_CASE("HERALD_TEST_TODAY fixes the day, else the clock gives the UTC day") {
  const int64_t noon_2026_12_01 = 1796126400000;  // 2026-12-01T12:00:00Z
  ::unsetenv("HERALD_TEST_TODAY");
  CHECK(FormatDay(TodayUtc(noon_2026_12_01)) == "2026-12-01");
  CHECK(FormatDay(TodayUtc(noon_2026_12_01 + 12 * 3600 * 1000)) == "2026-12-02");
  ::setenv("HERALD_TEST_TODAY", "2027-01-10", 1);
  CHECK(FormatDay(TodayUtc(noon_2026_12_01)) == "2027-01-10");
  ::setenv("HERALD_TEST_TODAY", "not a day", 1);
  CHECK(FormatDay(TodayUtc(noon_2026_12_01)) == "2026-12-01");
  ::unsetenv("HERALD_TEST_TODAY");
}
