// FakeClock (tests/support/fake_clock.h): it moves only when told; a sleep
// either jumps it forward or blocks until a test moves it.
#include "support/fake_clock.h"

#include <catch2/catch.hpp>

#include <thread>

using herald::testing::FakeClock;

TEST_CASE("a fake clock moves only when told", "[clock]") {
  FakeClock clock;
  CHECK(clock.NowMs() == FakeClock::kStartMs);
  clock.Advance(1500);
  CHECK(clock.NowMs() == FakeClock::kStartMs + 1500);
  clock.Set(1000);  // backward, as a corrected wall clock may
  CHECK(clock.NowMs() == 1000);
}

TEST_CASE("a sleep on an advancing fake clock returns at its deadline", "[clock]") {
  FakeClock clock(10'000);
  clock.SleepUntil(12'500);
  CHECK(clock.NowMs() == 12'500);
  clock.SleepUntil(11'000);  // already past: the clock stays
  CHECK(clock.NowMs() == 12'500);
  CHECK(clock.sleeps() == std::vector<int64_t>{12'500, 11'000});
  CHECK(clock.sleepers() == 0);
}

TEST_CASE("a sleep on a blocking fake clock waits for the test to move it", "[clock]") {
  FakeClock clock(0, FakeClock::Sleep::kBlock);
  bool woke = false;
  std::thread sleeper([&] {
    clock.SleepUntil(5'000);
    woke = true;
  });
  REQUIRE(clock.WaitForSleepers(1));
  clock.Advance(4'999);
  CHECK(clock.sleepers() == 1);  // not due yet: still asleep
  clock.Advance(1);
  sleeper.join();
  CHECK(woke);
  CHECK(clock.NowMs() == 5'000);
  CHECK(clock.sleepers() == 0);
  CHECK_FALSE(clock.WaitForSleepers(1, std::chrono::milliseconds(1)));
}
