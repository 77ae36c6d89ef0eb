// Admission: decides whether a due job may start now. It enforces the
// configured per-platform and per-account concurrency caps and token-bucket
// rate limits, the platform's own "slow down" answers (Block), and pauses by
// scope (everything, a platform, an account, a campaign), each with its typed
// cause: an admin, an account's expired credentials, a platform without a
// plugin, a connector that failed to start.
//
// Pauses by an admin and for expired credentials are journaled (set_journal)
// and come back at the next start (Restore), also after a kill; the others
// follow from what is installed and configured, and are found again.
//
// Thread-safe: workers admit and release concurrently; one mutex guards all.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/mutex.h"
#include "config/config.h"
#include "core/token_bucket.h"
#include "journal/journal.h"

namespace herald::core {

struct PauseScope {
  enum class Kind { kAll, kPlatform, kAccount, kCampaign };
  Kind kind = Kind::kAll;
  std::string name;  // empty for kAll
  auto operator<=>(const PauseScope&) const = default;
};
const char* ToString(PauseScope::Kind kind);

// Why a scope is paused. Only an admin's pause is lifted by the admin alone;
// the others wait for what caused them to be fixed (reconnect the account,
// install the plugin, fix its settings), then for an admin's resume.
enum class PauseCause {
  kAdmin,            // POST /v1/pause, heraldctl pause
  kAuthExpired,      // the platform refused the account's credentials (auth_expired)
  kNoPlugin,         // no plugin for the account's platform is loaded
  kConnectorFailed,  // the plugin's create() refused the account (settings, credentials)
};
// "admin", "auth_expired", "no_plugin", "connector_failed": the control API's words.
const char* ToString(PauseCause cause);
// Whether a pause for `cause` is journaled: an admin's decision and an
// account's refused credentials are; a missing plugin or a connector that
// cannot start is found again at each start.
bool Journaled(PauseCause cause);

struct PausedScope {
  PauseScope scope;
  PauseCause cause = PauseCause::kAdmin;
  std::string reason;
  int64_t since_ms = 0;
};

// Why a due job is held back while still pending (JobEvent::kWaiting, the
// control API's wait_reason and metrics label).
enum class WaitReason {
  kAccountConcurrency,   // the account's concurrency cap
  kPlatformConcurrency,  // the platform's concurrency cap
  kRateLimit,            // a token bucket, or the platform's block after a Retry-After
  kRetryAfter,           // this job's own attempt was answered "retry after"
  kQuota,                // the account's platform quota is spent until it resets
  kPaused,               // a scope it belongs to is paused, until a resume (wait_ms 0)
};
// "account_concurrency", "platform_concurrency", "rate_limit", "retry_after",
// "quota", "paused".
const char* ToString(WaitReason reason);

struct JobMeta {
  std::string account;
  std::string platform;
  std::string campaign;
};

class Admission {
 public:
  explicit Admission(const config::Config& config);

  struct Decision {
    enum class Kind { kAdmit, kWait, kPaused };
    Kind kind = Kind::kAdmit;
    int64_t until_ms = 0;                      // kWait: try again then
    std::string reason;                        // kWait, kPaused: for people
    WaitReason wait = WaitReason::kRateLimit;  // kWait: what refused
  };
  // kAdmit takes a slot, to be given back with Release.
  Decision TryAdmit(const JobMeta& job, int64_t now_ms);
  void Release(const JobMeta& job);

  // The platform said to slow down (kRateLimit) or that the account's quota
  // is spent (kQuota): nothing for `account` starts before `until_ms`, and
  // what waits for it waits for `why`.
  void Block(const std::string& account, int64_t until_ms, WaitReason why = WaitReason::kRateLimit);

  // From now on, pauses whose cause is journaled (see Journaled) are written
  // to `journal` (not owned; outlives this) before they take effect in
  // memory. Null: memory only.
  void set_journal(journal::Journal* journal);
  // At start-up: the pauses the journal holds are in force again. A record
  // this heraldd cannot read is skipped with a warning (and kept).
  Status Restore();

  // Pauses `scope` (replacing an earlier pause of the same scope and its
  // cause). The pause holds in memory in any case; the error says it could not
  // be journaled and so will not survive a restart.
  Status Pause(const PauseScope& scope, PauseCause cause, std::string reason, int64_t now_ms);
  // False when the scope was not paused. An error (the journal could not
  // forget the pause) leaves the scope paused.
  Result<bool> Resume(const PauseScope& scope);
  std::vector<PausedScope> Paused() const;
  // Grows with every Pause and Resume: a reader that kept the list (the
  // control API's status) knows without locking whether it changed.
  uint64_t pause_generation() const { return pause_generation_.load(std::memory_order_acquire); }
  bool IsPaused(const JobMeta& job) const;

 private:
  struct Gate {
    int concurrency = 0;  // 0: no cap
    int in_flight = 0;
    std::unique_ptr<TokenBucket> bucket;
    int64_t blocked_until_ms = 0;  // Block's, for its reason
    WaitReason blocked_why = WaitReason::kRateLimit;
  };
  Gate& AccountGate(const std::string& account) REQUIRES(mu_);
  Gate& PlatformGate(const std::string& platform) REQUIRES(mu_);
  const PausedScope* FindPause(const JobMeta& job) const REQUIRES(mu_);

  const config::Config& config_;
  // Held across a pause's journal write and its change in memory, so the two
  // happen in the same order; taken before mu_, never while holding it.
  Mutex persist_mu_ ACQUIRED_BEFORE(mu_);
  journal::Journal* journal_ GUARDED_BY(persist_mu_) = nullptr;
  mutable Mutex mu_;
  std::map<std::string, Gate> accounts_ GUARDED_BY(mu_);
  std::map<std::string, Gate> platforms_ GUARDED_BY(mu_);
  std::map<PauseScope, PausedScope> paused_ GUARDED_BY(mu_);
  std::atomic<uint64_t> pause_generation_{0};
};

}  // namespace herald::core
