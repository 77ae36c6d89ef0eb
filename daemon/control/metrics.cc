#include "control/metrics.h"

#include <algorithm>
#include <sstream>

namespace herald::control {

namespace {

// Prometheus label values escape backslash, quote and newline.
std::string Label(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

void Metrics::RecordEvent(const core::JobEvent& event) {
  using Kind = core::JobEvent::Kind;
  if (event.kind == Kind::kReload) return;  // counted through RecordReload, with its result
  MutexLock lock(mu_);
  if (event.kind == Kind::kWaiting) {
    // Paused jobs are counted as herald_paused_scopes, not as waits.
    if (event.wait_reason == core::WaitReason::kPaused) return;
    Wait& wait = waits_[{event.platform, core::ToString(event.wait_reason)}];
    ++wait.count;
    wait.seconds += static_cast<double>(std::max<int64_t>(event.wait_ms, 0)) / 1000.0;
    return;
  }
  if (event.state == journal::JobState::kRunning) {
    ++attempts_started_[event.platform];
    return;
  }
  if (event.attempt > 0) ++attempts_[{journal::ToString(event.state), event.platform}];
  if (event.state == journal::JobState::kPublished && event.due_ms > 0) {
    double seconds = static_cast<double>(event.at_ms - event.due_ms) / 1000.0;
    if (seconds < 0) seconds = 0;
    for (size_t i = 0; i < kLatencyBuckets.size(); ++i) {
      if (seconds <= kLatencyBuckets[i]) ++latency_buckets_[i];
    }
    ++latency_count_;
    latency_sum_s_ += seconds;
  }
}

void Metrics::RecordReload(bool ok) {
  MutexLock lock(mu_);
  ++(ok ? reloads_ok_ : reloads_with_errors_);
}

std::string Metrics::Render(const MetricsGauges& gauges) const {
  std::ostringstream out;
  out << "# HELP herald_jobs Jobs in the journal by state.\n# TYPE herald_jobs gauge\n";
  for (int s = 0; s < journal::kJobStateCount; ++s) {
    out << "herald_jobs{state=\"" << journal::ToString(static_cast<journal::JobState>(s)) << "\"} "
        << gauges.jobs.by_state[s] << "\n";
  }
  out << "# HELP herald_paused_scopes Scopes paused right now.\n# TYPE herald_paused_scopes gauge\n"
      << "herald_paused_scopes " << gauges.paused_scopes << "\n";
  out << "# HELP herald_control_connections Open control socket connections.\n"
      << "# TYPE herald_control_connections gauge\n"
      << "herald_control_connections " << gauges.control_connections << "\n";
  out << "# HELP herald_event_subscribers Clients following /v1/events.\n"
      << "# TYPE herald_event_subscribers gauge\n"
      << "herald_event_subscribers " << gauges.event_subscribers << "\n";
  out << "# HELP herald_uptime_seconds Seconds since the daemon started.\n"
      << "# TYPE herald_uptime_seconds gauge\n"
      << "herald_uptime_seconds " << gauges.uptime_ms / 1000 << "\n";
  out << "# HELP herald_api_version_expiry_days Days until the platform API version an account "
         "is configured with expires (negative: expired); absent when no date is announced.\n"
      << "# TYPE herald_api_version_expiry_days gauge\n";
  for (const auto& r : gauges.api_versions) {
    if (!r.days_left) continue;
    out << "herald_api_version_expiry_days{account=\"" << Label(r.account) << "\",api=\""
        << Label(r.api.name) << "\",version=\"" << Label(r.api.version) << "\"} " << *r.days_left
        << "\n";
  }

  out << "# HELP herald_quota_used Estimated units of the platform's daily quota an account "
         "used today (since heraldd started, at most), by bucket.\n"
      << "# TYPE herald_quota_used gauge\n";
  for (const auto& [account, view] : gauges.quota) {
    for (const auto& b : view.buckets) {
      out << "herald_quota_used{account=\"" << Label(account) << "\",bucket=\"" << Label(b.name)
          << "\"} " << b.used << "\n";
    }
  }
  out << "# HELP herald_quota_left Estimated units of the platform's daily quota an account has "
         "left today, by bucket.\n"
      << "# TYPE herald_quota_left gauge\n";
  for (const auto& [account, view] : gauges.quota) {
    for (const auto& b : view.buckets) {
      out << "herald_quota_left{account=\"" << Label(account) << "\",bucket=\"" << Label(b.name)
          << "\"} " << std::max<int64_t>(0, b.per_day - b.used) << "\n";
    }
  }
  out << "# HELP herald_quota_exhausted 1 while the platform says an account's quota is spent "
         "(its work waits for the reset).\n"
      << "# TYPE herald_quota_exhausted gauge\n";
  for (const auto& [account, view] : gauges.quota) {
    out << "herald_quota_exhausted{account=\"" << Label(account) << "\"} "
        << (view.exhausted_until_ms > 0 ? 1 : 0) << "\n";
  }

  MutexLock lock(mu_);
  out << "# HELP herald_attempts_started_total Connector attempts started, by platform.\n"
      << "# TYPE herald_attempts_started_total counter\n";
  for (const auto& [platform, n] : attempts_started_) {
    out << "herald_attempts_started_total{platform=\"" << Label(platform) << "\"} " << n << "\n";
  }
  out << "# HELP herald_attempts_total Attempts finished, by the state they led to "
         "(published, failed, pending = retry later, unknown) and platform.\n"
      << "# TYPE herald_attempts_total counter\n";
  for (const auto& [key, n] : attempts_) {
    out << "herald_attempts_total{outcome=\"" << Label(key.first) << "\",platform=\""
        << Label(key.second) << "\"} " << n << "\n";
  }
  out << "# HELP herald_publish_latency_seconds Time from a job's due instant to its "
         "publication.\n# TYPE herald_publish_latency_seconds histogram\n";
  for (size_t i = 0; i < kLatencyBuckets.size(); ++i) {
    out << "herald_publish_latency_seconds_bucket{le=\"" << kLatencyBuckets[i] << "\"} "
        << latency_buckets_[i] << "\n";
  }
  out << "herald_publish_latency_seconds_bucket{le=\"+Inf\"} " << latency_count_ << "\n"
      << "herald_publish_latency_seconds_sum " << latency_sum_s_ << "\n"
      << "herald_publish_latency_seconds_count " << latency_count_ << "\n";
  out << "# HELP herald_rate_limit_waits_total Times a due job was held back, by platform and "
         "reason (account_concurrency, platform_concurrency, rate_limit, retry_after).\n"
      << "# TYPE herald_rate_limit_waits_total counter\n";
  for (const auto& [key, wait] : waits_) {
    out << "herald_rate_limit_waits_total{platform=\"" << Label(key.first) << "\",reason=\""
        << Label(key.second) << "\"} " << wait.count << "\n";
  }
  out << "# HELP herald_rate_limit_wait_seconds_total Time those jobs were told to wait.\n"
      << "# TYPE herald_rate_limit_wait_seconds_total counter\n";
  for (const auto& [key, wait] : waits_) {
    out << "herald_rate_limit_wait_seconds_total{platform=\"" << Label(key.first) << "\",reason=\""
        << Label(key.second) << "\"} " << wait.seconds << "\n";
  }
  out << "# HELP herald_reloads_total Calendar reloads, by result.\n"
      << "# TYPE herald_reloads_total counter\n"
      << "herald_reloads_total{result=\"ok\"} " << reloads_ok_ << "\n"
      << "herald_reloads_total{result=\"errors\"} " << reloads_with_errors_ << "\n";
  return out.str();
}

}  // namespace herald::control
