#include "core/backoff.h"

#include <algorithm>

namespace herald::core {

int64_t BackoffDelayMs(const BackoffPolicy& policy, int attempt, double random01,
                       int64_t retry_after_ms) {
  int64_t cap = policy.base_ms;
  for (int i = 1; i < attempt && cap < policy.max_ms; ++i) cap *= 2;
  cap = std::min(cap, policy.max_ms);
  int64_t delay =
      policy.full_jitter ? static_cast<int64_t>(static_cast<double>(cap) * random01) : cap;
  return std::max(delay, retry_after_ms);
}

}  // namespace herald::core
