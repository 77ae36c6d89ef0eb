// FakeClock: a core::Clock (daemon/core/clock.h) that moves only when a test
// moves it, so that tests of code that reads the time or waits for an instant
// never wait for real time and always see the same times.
//
// It starts at kStartMs (Monday 2025-03-03 09:00:00 UTC) unless told
// otherwise. How SleepUntil(t) behaves is chosen at construction:
//
//   Sleep::kAdvance (the default): the clock jumps to t (if it is not past t
//     already) and the call returns at once, as if the sleeper had slept
//     exactly until t. A single-threaded test of code that waits (the
//     dispatcher holding a request until its due instant) runs straight
//     through, deterministically.
//   Sleep::kBlock: the caller blocks until the test moves the clock to t or
//     beyond (Advance, Set). For tests with several threads that act while a
//     worker sleeps: WaitForSleepers(n) returns once n threads are asleep.
//
// Every deadline a SleepUntil asked for is kept (sleeps()), so a test can
// check what the code under test waited for, in order.
//
//   herald::testing::FakeClock clock;            // 2025-03-03T09:00:00Z
//   clock.Advance(1500);                          // 09:00:01.500
//   clock.SleepUntil(clock.NowMs() + 60'000);     // returns at once, at 09:01:01.500
//
// Thread-safe: any thread may read, sleep, advance or set it.
#pragma once

#include <chrono>
#include <cstdint>
#include <vector>

#include "common/mutex.h"
#include "core/clock.h"

namespace herald::testing {

class FakeClock final : public core::Clock {
 public:
  static constexpr int64_t kStartMs = 1'740'992'400'000;  // 2025-03-03T09:00:00Z
  enum class Sleep { kAdvance, kBlock };

  explicit FakeClock(int64_t start_ms = kStartMs, Sleep sleep = Sleep::kAdvance);
  FakeClock(const FakeClock&) = delete;
  FakeClock& operator=(const FakeClock&) = delete;

  int64_t NowMs() override;
  void SleepUntil(int64_t at_ms) override;

  // Moves the clock forward by `ms` (>= 0) and wakes the sleepers now due.
  void Advance(int64_t ms);
  // Sets the clock, forward or backward (a wall clock an admin corrects may
  // jump back), and wakes the sleepers now due.
  void Set(int64_t now_ms);

  // Threads blocked in SleepUntil right now (always 0 with Sleep::kAdvance).
  size_t sleepers() const;
  // Blocks until at least `n` threads sleep in SleepUntil; false when that
  // has not happened within `timeout` of real time (a test's safety net, not
  // a wait it relies on).
  bool WaitForSleepers(size_t n,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
  // Every deadline SleepUntil was asked for, in the order asked.
  std::vector<int64_t> sleeps() const;

 private:
  const Sleep mode_;
  mutable Mutex mu_;
  mutable CondVar changed_;  // the time or the sleepers changed
  int64_t now_ms_ GUARDED_BY(mu_);
  size_t sleepers_ GUARDED_BY(mu_) = 0;
  std::vector<int64_t> sleeps_ GUARDED_BY(mu_);
};

}  // namespace herald::testing
