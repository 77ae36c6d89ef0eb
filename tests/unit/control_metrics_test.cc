#include "control/metrics.h"

#include <catch2/catch.hpp>

#include <string>

namespace {

using herald::control::Metrics;
using herald::control::MetricsGauges;
using herald::core::JobEvent;

using herald::core::WaitReason;

JobEvent Waiting(const std::string& platform, WaitReason reason, int64_t wait_ms) {
  JobEvent e;
  e.kind = JobEvent::Kind::kWaiting;
  e.key = 7;
  e.id = "j7";
  e.platform = platform;
  e.account = platform + "/a";
  e.attempt = 1;
  e.wait_reason = reason;
  e.wait_ms = wait_ms;
  return e;
}

bool Has(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos;
}

}  // namespace

TEST_CASE("waits are counted by platform and reason, with their length", "[control][metrics]") {
  Metrics metrics;
  metrics.RecordEvent(Waiting("instagram", WaitReason::kRateLimit, 1500));
  metrics.RecordEvent(Waiting("instagram", WaitReason::kRateLimit, 500));
  metrics.RecordEvent(Waiting("instagram", WaitReason::kAccountConcurrency, 1000));
  metrics.RecordEvent(Waiting("facebook", WaitReason::kRetryAfter, 30000));
  std::string text = metrics.Render(MetricsGauges{});
  INFO(text);
  CHECK(Has(text, "# TYPE herald_rate_limit_waits_total counter"));
  CHECK(Has(text, R"(herald_rate_limit_waits_total{platform="instagram",reason="rate_limit"} 2)"));
  CHECK(
      Has(text,
          R"(herald_rate_limit_waits_total{platform="instagram",reason="account_concurrency"} 1)"));
  CHECK(Has(text, R"(herald_rate_limit_waits_total{platform="facebook",reason="retry_after"} 1)"));
  CHECK(Has(text,
            R"(herald_rate_limit_wait_seconds_total{platform="instagram",reason="rate_limit"} 2)"));
  CHECK(
      Has(text,
          R"(herald_rate_limit_wait_seconds_total{platform="facebook",reason="retry_after"} 30)"));
  // A wait is not an attempt's outcome.
  CHECK(text.find("outcome=\"waiting\"") == std::string::npos);
}

TEST_CASE("without waits the counters are declared and empty", "[control][metrics]") {
  Metrics metrics;
  std::string text = metrics.Render(MetricsGauges{});
  CHECK(Has(text, "# TYPE herald_rate_limit_waits_total counter"));
  CHECK(text.find("herald_rate_limit_waits_total{") == std::string::npos);
}
