#include "ctl/token_expiry.h"

#include <catch2/catch.hpp>

using herald::ctl::ExpiryWarning;

namespace {
constexpr int64_t kDay = 24LL * 3600 * 1000;
constexpr int64_t kNow = 1'800'000'000'000;
}  // namespace

TEST_CASE("a token expiring within the horizon is announced with the command to run") {
  auto w = ExpiryWarning("facebook/x", kNow + 3 * kDay + 1000, false, kNow);
  REQUIRE(w);
  CHECK(*w == "facebook/x: the access token expires in 3 days: run heraldctl connect facebook/x");
}

TEST_CASE("an expired token says how long ago") {
  auto w = ExpiryWarning("instagram/y", kNow - 5 * 3600 * 1000, false, kNow);
  REQUIRE(w);
  CHECK(*w ==
        "instagram/y: the access token expired 5 hours ago: run heraldctl connect instagram/y");
}

TEST_CASE("no warning far from expiry, without an expiry, or when heraldd can refresh") {
  CHECK_FALSE(ExpiryWarning("facebook/x", kNow + 30 * kDay, false, kNow));
  CHECK_FALSE(ExpiryWarning("facebook/x", 0, false, kNow));
  CHECK_FALSE(ExpiryWarning("youtube/tv", kNow + 60 * 1000, true, kNow));
}
