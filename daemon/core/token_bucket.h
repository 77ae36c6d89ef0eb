// TokenBucket: a rate limit of `rate` requests per second with bursts of up to
// `burst`. Time is passed in (Unix ms), so tests never sleep. Not thread-safe:
// the dispatcher's admission runs on the event-loop thread.
#pragma once

#include <cstdint>

namespace herald::core {

class TokenBucket {
 public:
  TokenBucket(double tokens_per_second, int burst);
  // Takes one token if there is one (returns 0); else returns the number of
  // milliseconds until one will be there, taking nothing.
  int64_t TryTake(int64_t now_ms);
  // Like TryTake, but takes nothing either way.
  int64_t WaitMs(int64_t now_ms);
  // Empties the bucket until `until_ms` (a platform said "slow down").
  void Block(int64_t until_ms);

 private:
  void Refill(int64_t now_ms);
  double rate_per_ms_;
  double burst_;
  double tokens_;
  int64_t last_ms_ = 0;
  int64_t blocked_until_ms_ = 0;
  bool started_ = false;
};

}  // namespace herald::core
