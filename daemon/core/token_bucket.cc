#include "core/token_bucket.h"

#include <algorithm>
#include <cmath>

namespace herald::core {

TokenBucket::TokenBucket(double tokens_per_second, int burst)
    : rate_per_ms_(tokens_per_second / 1000.0),
      burst_(std::max(1, burst)),
      tokens_(std::max(1, burst)) {}

void TokenBucket::Refill(int64_t now_ms) {
  if (!started_) {
    started_ = true;
    last_ms_ = now_ms;
    return;
  }
  if (now_ms > last_ms_) {
    tokens_ = std::min(burst_, tokens_ + static_cast<double>(now_ms - last_ms_) * rate_per_ms_);
    last_ms_ = now_ms;
  }
}

int64_t TokenBucket::WaitMs(int64_t now_ms) {
  if (now_ms < blocked_until_ms_) return blocked_until_ms_ - now_ms;
  Refill(now_ms);
  if (tokens_ >= 1.0) return 0;
  if (rate_per_ms_ <= 0) return INT64_MAX / 4;
  return std::max<int64_t>(1, static_cast<int64_t>(std::ceil((1.0 - tokens_) / rate_per_ms_)));
}

int64_t TokenBucket::TryTake(int64_t now_ms) {
  int64_t wait = WaitMs(now_ms);
  if (wait == 0) tokens_ -= 1.0;
  return wait;
}

void TokenBucket::Block(int64_t until_ms) {
  blocked_until_ms_ = std::max(blocked_until_ms_, until_ms);
  tokens_ = 0;
  last_ms_ = std::max(last_ms_, until_ms);
  started_ = true;
}

}  // namespace herald::core
