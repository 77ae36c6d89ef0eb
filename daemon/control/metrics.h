// Metrics: the counters behind GET /metrics, fed by the daemon's job events
// and reload results, rendered in the Prometheus text format (0.0.4) together
// with the gauges read at scrape time (jobs by state, pauses, connections).
//
// Thread-safe: Record* are called on the daemon's loop thread, Render on the
// control server's; one mutex guards the counters.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/api_versions.h"
#include "core/dispatcher.h"
#include "core/quota_tracker.h"
#include "journal/job.h"

namespace herald::control {

// What the scrape reads live, outside the counters.
struct MetricsGauges {
  journal::StateCounts jobs;
  size_t paused_scopes = 0;
  size_t control_connections = 0;
  size_t event_subscribers = 0;
  int64_t uptime_ms = 0;
  std::vector<core::ApiVersionReport> api_versions;       // one per account that reports its API
  std::map<std::string, core::QuotaTracker::View> quota;  // by account
};

class Metrics {
 public:
  // Buckets (seconds) of the publish latency histogram: published at - due.
  static constexpr std::array<double, 12> kLatencyBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                             0.5,   1,    2.5,   10,   60,  300};

  void RecordEvent(const core::JobEvent& event);
  void RecordReload(bool ok);
  std::string Render(const MetricsGauges& gauges) const;

 private:
  mutable std::mutex mu_;
  // (outcome, platform) -> count; outcome is the state an attempt ended in.
  std::map<std::pair<std::string, std::string>, uint64_t> attempts_;  // guarded by mu_
  std::map<std::string, uint64_t> attempts_started_;                  // by platform; guarded by mu_
  std::array<uint64_t, kLatencyBuckets.size()> latency_buckets_{};    // guarded by mu_
  uint64_t latency_count_ = 0;                                        // guarded by mu_
  double latency_sum_s_ = 0;                                          // guarded by mu_
  struct Wait {
    uint64_t count = 0;
    double seconds = 0;
  };
  // (platform, reason) -> waits; from "waiting" events.
  std::map<std::pair<std::string, std::string>, Wait> waits_;  // guarded by mu_
  uint64_t reloads_ok_ = 0;                                    // guarded by mu_
  uint64_t reloads_with_errors_ = 0;                           // guarded by mu_
};

}  // namespace herald::control
