// Clock: the daemon's notion of now (Unix ms), behind an interface so the
// dispatcher's tests can run on a fake clock. Implementations are thread-safe.
#pragma once

#include <chrono>
#include <cstdint>

namespace herald::core {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t NowMs() = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t NowMs() override {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  }
};

}  // namespace herald::core
