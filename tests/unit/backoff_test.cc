#include "core/backoff.h"

#include <catch2/catch.hpp>

using herald::core::BackoffDelayMs;
using herald::core::BackoffPolicy;

TEST_CASE("the cap doubles per attempt up to the maximum", "[backoff]") {
  BackoffPolicy p{1000, 10000, false};
  CHECK(BackoffDelayMs(p, 1, 0.5) == 1000);
  CHECK(BackoffDelayMs(p, 2, 0.5) == 2000);
  CHECK(BackoffDelayMs(p, 4, 0.5) == 8000);
  CHECK(BackoffDelayMs(p, 5, 0.5) == 10000);
  CHECK(BackoffDelayMs(p, 60, 0.5) == 10000);
}

TEST_CASE("full jitter draws within [0, cap]; Retry-After is a floor", "[backoff]") {
  BackoffPolicy p{1000, 10000, true};
  CHECK(BackoffDelayMs(p, 3, 0.0) == 0);
  CHECK(BackoffDelayMs(p, 3, 0.25) == 1000);
  CHECK(BackoffDelayMs(p, 3, 0.999) == 3996);
  CHECK(BackoffDelayMs(p, 3, 0.25, 30000) == 30000);
}
