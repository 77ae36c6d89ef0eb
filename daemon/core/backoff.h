// Backoff: how long to wait before retry number `attempt` (1-based) of a job
// that failed transiently: exponential, capped, with full jitter (a uniform
// draw in [0, cap]) so that many jobs failing together do not return together.
// A platform's Retry-After, when given, is a floor. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <random>

namespace herald::core {

struct BackoffPolicy {
  int64_t base_ms = 2000;
  int64_t max_ms = 600000;
  bool full_jitter = true;
};

// `random01` is a draw in [0, 1).
int64_t BackoffDelayMs(const BackoffPolicy& policy, int attempt, double random01,
                       int64_t retry_after_ms = 0);

}  // namespace herald::core
