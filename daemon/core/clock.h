// Clock: the daemon's notion of now (Unix epoch milliseconds) and its one way
// of waiting for a later instant, behind an interface so that tests run on
// FakeClock (tests/support/fake_clock.h), which moves only when a test moves
// it. Every reading of the time of day and every wait for an instant in the
// daemon goes through a Clock; what stays on std::chrono::steady_clock is
// real-time intervals that no clock of the calendar's should stretch: HTTP
// timings, the reload debounce, systemd's watchdog, the stop grace, the
// control socket's role cache.
//
// Implementations are thread-safe: any thread may read or wait.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>

#include "common/result.h"

namespace herald::core {

class Clock {
 public:
  virtual ~Clock() = default;

  virtual int64_t NowMs() = 0;

  // Blocks the calling thread until NowMs() >= at_ms; returns at once when it
  // already is.
  virtual void SleepUntil(int64_t at_ms) = 0;
};

// The system's wall clock, shifted by a fixed offset (0 in production). The
// offset is the test-only time source of heraldd (HERALD_TEST_CLOCK_OFFSET_MS,
// docs/operations.md): a daemon restarted an hour "later" finds its posts
// due. It runs at the system clock's rate, so an event loop arms its timers
// for `at - NowMs()` from now.
class SystemClock final : public Clock {
 public:
  explicit SystemClock(int64_t offset_ms = 0) : offset_ms_(offset_ms) {}

  int64_t NowMs() override {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count() + offset_ms_;
  }

  void SleepUntil(int64_t at_ms) override {
    // sleep_until on the system clock follows a wall-clock change while asleep.
    std::this_thread::sleep_until(
        std::chrono::system_clock::time_point(std::chrono::milliseconds(at_ms - offset_ms_)));
  }

  int64_t offset_ms() const { return offset_ms_; }

 private:
  const int64_t offset_ms_;
};

// The offset HERALD_TEST_CLOCK_OFFSET_MS asks for: 0 when `value` is null or
// empty, an error naming the variable when it is not a whole number of
// milliseconds.
Result<int64_t> ParseTestClockOffset(const char* value);

}  // namespace herald::core
