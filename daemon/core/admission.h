// Admission: decides whether a due job may start now. It enforces the
// configured per-platform and per-account concurrency caps and token-bucket
// rate limits, the platform's own "slow down" answers (Block), and pauses by
// scope (everything, a platform, an account, a campaign) set by an admin or by
// the dispatcher when an account's credentials expire.
//
// Thread-safe: workers admit and release concurrently; one mutex guards all.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/token_bucket.h"

namespace herald::core {

struct PauseScope {
  enum class Kind { kAll, kPlatform, kAccount, kCampaign };
  Kind kind = Kind::kAll;
  std::string name;  // empty for kAll
  auto operator<=>(const PauseScope&) const = default;
};
const char* ToString(PauseScope::Kind kind);

struct PausedScope {
  PauseScope scope;
  std::string reason;
  int64_t since_ms = 0;
};

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
    int64_t until_ms = 0;  // kWait: try again then
    std::string reason;    // kWait, kPaused
    // kWait: what refused, as a stable token for metrics: "account_concurrency",
    // "platform_concurrency" or "rate_limit" (a token bucket, or a platform's block).
    const char* cause = "";
  };
  // kAdmit takes a slot, to be given back with Release.
  Decision TryAdmit(const JobMeta& job, int64_t now_ms);
  void Release(const JobMeta& job);

  // The platform said to slow down: nothing for `account` starts before `until_ms`.
  void Block(const std::string& account, int64_t until_ms);

  void Pause(const PauseScope& scope, std::string reason, int64_t now_ms);
  // False when the scope was not paused.
  bool Resume(const PauseScope& scope);
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
  };
  Gate& AccountGate(const std::string& account);
  Gate& PlatformGate(const std::string& platform);
  const PausedScope* FindPause(const JobMeta& job) const;

  const config::Config& config_;
  mutable std::mutex mu_;
  std::map<std::string, Gate> accounts_;      // guarded by mu_
  std::map<std::string, Gate> platforms_;     // guarded by mu_
  std::map<PauseScope, PausedScope> paused_;  // guarded by mu_
  std::atomic<uint64_t> pause_generation_{0};
};

}  // namespace herald::core
