// Dispatcher: runs one due job at a time per call, on the caller's (worker)
// thread: re-reads the job, asks Admission, makes "attempt started" durable,
// steps the account's connector, maps the outcome (backoff and jitter for
// retries, Retry-After honoured, auth_expired pauses the account), journals the
// result, and reconciles an unknown outcome through the connector's find.
// What the scheduler should do next comes back as a Next value.
//
// Thread-safe: many workers call Process/Reconcile concurrently. Connectors
// are pooled per account; one connector serves one call at a time, as the
// ABI promises plugins. The journal, config, plugins, credentials and clock
// must outlive the dispatcher.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/account_host.h"
#include "core/admission.h"
#include "core/clock.h"
#include "core/job_files.h"
#include "core/media_stager.h"
#include "journal/journal.h"
#include "plugin/connector.h"
#include "plugin/plugin_loader.h"

namespace herald::config {
class CredentialStore;
}

namespace herald::core {

// A job's move, reported to whoever watches (logs, the control API's events).
struct JobEvent {
  journal::JobKey key = 0;  // 0 for events that are not about one job (reloads)
  std::string id;
  std::string account;
  std::string platform;
  std::string campaign;
  // The journal state it is now in, "reload", or "waiting": still pending but
  // held back (a concurrency cap, a rate limit, a platform's Retry-After).
  std::string state;
  std::string message;
  int64_t due_ms = 0;  // when the job was due
  int64_t at_ms = 0;   // when this happened
  int attempt = 0;     // the attempt's number, when about one
  // "waiting" only: why, as a stable token ("account_concurrency",
  // "platform_concurrency", "rate_limit", "retry_after", "quota"), and for how long.
  std::string wait_reason;
  int64_t wait_ms = 0;
};

class Dispatcher {
 public:
  Dispatcher(const config::Config& config, const plugin::PluginLoadReport& plugins,
             journal::Journal& journal, config::CredentialStore* credentials, Clock& clock,
             Admission& admission, MediaStager* media = nullptr);

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

  // Looks for an unknown job on its platform: found -> published, absent ->
  // pending now, cannot tell -> stays unknown for an admin.
  Next Reconcile(const journal::Job& job);

  void set_event_sink(std::function<void(const JobEvent&)> sink) { sink_ = std::move(sink); }
  // Where connectors' request costs and quota-exhausted answers go (nullable;
  // set before the first Process, outlives the dispatcher).
  void set_quota_tracker(QuotaTracker* quota) { quota_ = quota; }

  // Steps whose connector call is under way right now.
  int in_flight() const { return in_flight_.load(); }

 private:
  struct Slot {
    std::unique_ptr<AccountHost> host;
    std::unique_ptr<plugin::Connector> connector;
    std::unique_ptr<http::HttpClient> preflight;  // media pre-flight checks
  };
  // A free connector of `account` (made on demand), or an error.
  Result<std::unique_ptr<Slot>> Acquire(const std::string& account, const std::string& platform);
  void Give(const std::string& account, std::unique_ptr<Slot> slot);
  journal::AttemptResult MapOutcome(const journal::Job& job, int attempt,
                                    const plugin::StepOutcome& outcome, int64_t now);
  JobEvent EventFor(const journal::Job& job, const char* state, std::string message);
  void Emit(const journal::Job& job, const char* state, std::string message);
  void EmitWait(const journal::Job& job, std::string reason, std::string message, int64_t wait_ms);
  double Random01();

  const config::Config& config_;
  const plugin::PluginLoadReport& plugins_;
  journal::Journal& journal_;
  config::CredentialStore* credentials_;
  Clock& clock_;
  Admission& admission_;
  MediaStager* media_;
  QuotaTracker* quota_ = nullptr;
  std::function<void(const JobEvent&)> sink_;
  std::atomic<int> in_flight_{0};

  std::mutex mu_;
  std::map<std::string, std::vector<std::unique_ptr<Slot>>> free_;  // guarded by mu_
  std::mt19937_64 rng_{std::random_device{}()};                     // guarded by mu_
};

}  // namespace herald::core
