#include "core/token_bucket.h"

#include <catch2/catch.hpp>

using herald::core::TokenBucket;

TEST_CASE("a bucket allows its burst, then refills at its rate", "[token_bucket]") {
  TokenBucket bucket(2.0, 3);  // 2 per second, bursts of 3
  CHECK(bucket.TryTake(1000) == 0);
  CHECK(bucket.TryTake(1000) == 0);
  CHECK(bucket.TryTake(1000) == 0);
  CHECK(bucket.TryTake(1000) == 500);
  CHECK(bucket.TryTake(1400) == 100);
  CHECK(bucket.TryTake(1500) == 0);
  // Idle time refills no further than the burst.
  CHECK(bucket.TryTake(100000) == 0);
  CHECK(bucket.TryTake(100000) == 0);
  CHECK(bucket.TryTake(100000) == 0);
  CHECK(bucket.TryTake(100000) > 0);
}

TEST_CASE("Block empties the bucket until the given instant", "[token_bucket]") {
  TokenBucket bucket(10.0, 5);
  CHECK(bucket.TryTake(0) == 0);
  bucket.Block(60000);
  CHECK(bucket.TryTake(1000) == 59000);
  CHECK(bucket.TryTake(60000) == 100);
  CHECK(bucket.TryTake(60100) == 0);
}
