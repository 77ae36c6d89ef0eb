// Dispatcher: runs one due job at a time per call, on the caller's (worker)
// thread: re-reads the job, asks Admission, makes "attempt started" durable,
// waits (on the clock) for the job's instant, steps the account's connector,
// maps the outcome (backoff and jitter for retries, Retry-After honoured,
// auth_expired pauses the account), journals the result, and reconciles an
// unknown outcome through the connector's find. What the scheduler should do
// next comes back as a Next value; what happened goes to the event sink.
//
// Thread-safe: many workers call Process/Reconcile concurrently. Connectors
// come from the ConnectorFactory and are pooled per account; one connector
// serves one call at a time, as the ABI promises plugins. The config, the
// factory, the journal, the clock and admission must outlive the dispatcher.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include "common/mutex.h"
#include "config/config.h"
#include "core/admission.h"
#include "core/clock.h"
#include "core/connector_factory.h"
#include "core/job_event.h"
#include "core/job_files.h"
#include "core/media_stager.h"
#include "core/quota_tracker.h"
#include "http/http_client.h"
#include "journal/journal.h"

namespace herald::core {

class Dispatcher {
 public:
  // `media` may be null (no media staging).
  Dispatcher(const config::Config& config, ConnectorFactory& connectors, journal::Journal& journal,
             Clock& clock, Admission& admission, MediaStager* media = nullptr);

  // What the scheduler does with the job after a Process or Reconcile.
  struct Next {
    enum class Kind { kNone, kSchedule, kPark };
    Kind kind = Kind::kNone;
    int64_t at_ms = 0;  // kSchedule
    // Staged media of a post just published, to remove after a grace period.
    std::vector<std::filesystem::path> staged;
  };

  // Runs job `key` if it is still pending and due.
  Next Process(journal::JobKey key);

  // How often Reconcile asks find before an admin is asked, and the wait
  // before the second ask (doubling after): a platform's search that is down
  // for a moment does not hand a job to an admin.
  static constexpr int kFindAttempts = 3;
  static constexpr int64_t kFindBackoffMs = 2000;

  // Looks for an unknown job on its platform: found -> published, absent ->
  // pending now. A find that cannot tell (or fails) is asked again, up to
  // kFindAttempts times, waiting on the clock between; then the job stays
  // unknown, handed to an admin (Journal::AwaitAdmin, last_error says why).
  // Without a connector for the account it stays unknown, not an admin's:
  // the next start reconciles it again.
  Next Reconcile(const journal::Job& job);

  void set_event_sink(std::function<void(const JobEvent&)> sink) { sink_ = std::move(sink); }
  // Where quota-exhausted answers go (nullable; set before the first
  // Process, outlives the dispatcher). Requests' costs are added by the
  // connectors' hosts (PluginConnectors).
  void set_quota_tracker(QuotaTracker* quota) { quota_ = quota; }

  // Steps whose connector call is under way right now.
  int in_flight() const { return in_flight_.load(); }

 private:
  struct Slot {
    std::unique_ptr<AccountConnector> connector;
    std::unique_ptr<http::HttpClient> preflight;  // media pre-flight checks
  };
  // Why there is no connector for an account: the pause it leads to.
  struct NoConnector {
    PauseCause cause;
    std::string reason;
  };
  // A free connector of `account` (made on demand), or why not.
  std::variant<std::unique_ptr<Slot>, NoConnector> Acquire(const std::string& account)
      EXCLUDES(mu_);
  void Give(const std::string& account, std::unique_ptr<Slot> slot) EXCLUDES(mu_);
  // The attempts of `key` that count toward retry.max_attempts, the current
  // one (`attempt`) included: every one but those that continued a flow (a
  // container poll, an upload chunk), which move the post forward and are
  // no failure.
  int CountedAttempts(journal::JobKey key, int attempt);
  journal::AttemptResult MapOutcome(const journal::Job& job, int attempt,
                                    const plugin::StepOutcome& outcome, int64_t now);
  JobEvent EventFor(const journal::Job& job, JobEvent::Kind kind, std::string message);
  void Emit(const journal::Job& job, journal::JobState state, std::string message);
  void EmitWait(const journal::Job& job, WaitReason reason, std::string message, int64_t wait_ms);
  double Random01() EXCLUDES(mu_);

  const config::Config& config_;
  ConnectorFactory& connectors_;
  journal::Journal& journal_;
  Clock& clock_;
  Admission& admission_;
  MediaStager* media_;
  QuotaTracker* quota_ = nullptr;
  std::function<void(const JobEvent&)> sink_;
  std::atomic<int> in_flight_{0};

  Mutex mu_;
  std::map<std::string, std::vector<std::unique_ptr<Slot>>> free_ GUARDED_BY(mu_);
  std::mt19937_64 rng_ GUARDED_BY(mu_){std::random_device{}()};
};

}  // namespace herald::core
