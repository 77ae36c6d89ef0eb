#include "fake_clock.h"

#include <cassert>

namespace herald::testing {

FakeClock::FakeClock(int64_t start_ms, Sleep sleep) : mode_(sleep), now_ms_(start_ms) {}

int64_t FakeClock::NowMs() {
  MutexLock lock(mu_);
  return now_ms_;
}

void FakeClock::SleepUntil(int64_t at_ms) {
  MutexLock lock(mu_);
  sleeps_.push_back(at_ms);
  if (now_ms_ >= at_ms) return;
  if (mode_ == Sleep::kAdvance) {
    now_ms_ = at_ms;
    changed_.NotifyAll();
    return;
  }
  ++sleepers_;
  changed_.NotifyAll();
  while (now_ms_ < at_ms) changed_.Wait(mu_);
  --sleepers_;
  changed_.NotifyAll();
}

void FakeClock::Advance(int64_t ms) {
  assert(ms >= 0);
  MutexLock lock(mu_);
  now_ms_ += ms;
  changed_.NotifyAll();
}

void FakeClock::Set(int64_t now_ms) {
  MutexLock lock(mu_);
  now_ms_ = now_ms;
  changed_.NotifyAll();
}

size_t FakeClock::sleepers() const {
  MutexLock lock(mu_);
  return sleepers_;
}

bool FakeClock::WaitForSleepers(size_t n, std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  MutexLock lock(mu_);
  while (sleepers_ < n) {
    if (!changed_.WaitUntil(mu_, deadline) && sleepers_ < n) return false;
  }
  return true;
}

std::vector<int64_t> FakeClock::sleeps() const {
  MutexLock lock(mu_);
  return sleeps_;
}

}  // namespace herald::testing
