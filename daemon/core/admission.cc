#include "core/admission.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>

namespace herald::core {
namespace {

void Configure(const config::Limits* limits, int& concurrency,
               std::unique_ptr<TokenBucket>& bucket) {
  if (!limits) return;
  concurrency = limits->concurrency;
  if (limits->rate_limit && limits->rate_limit->tokens_per_second > 0) {
    bucket = std::make_unique<TokenBucket>(limits->rate_limit->tokens_per_second,
                                           limits->rate_limit->burst);
  }
}

std::optional<PauseScope::Kind> ParseScopeKind(const std::string& text) {
  for (auto kind : {PauseScope::Kind::kAll, PauseScope::Kind::kPlatform, PauseScope::Kind::kAccount,
                    PauseScope::Kind::kCampaign}) {
    if (text == ToString(kind)) return kind;
  }
  return std::nullopt;
}

std::optional<PauseCause> ParseCause(const std::string& text) {
  for (auto cause : {PauseCause::kAdmin, PauseCause::kAuthExpired, PauseCause::kNoPlugin,
                     PauseCause::kConnectorFailed}) {
    if (text == ToString(cause)) return cause;
  }
  return std::nullopt;
}

}  // namespace

bool Journaled(PauseCause cause) {
  return cause == PauseCause::kAdmin || cause == PauseCause::kAuthExpired;
}

const char* ToString(PauseScope::Kind kind) {
  switch (kind) {
    case PauseScope::Kind::kAll:
      return "all";
    case PauseScope::Kind::kPlatform:
      return "platform";
    case PauseScope::Kind::kAccount:
      return "account";
    case PauseScope::Kind::kCampaign:
      return "campaign";
  }
  return "?";
}

const char* ToString(PauseCause cause) {
  switch (cause) {
    case PauseCause::kAdmin:
      return "admin";
    case PauseCause::kAuthExpired:
      return "auth_expired";
    case PauseCause::kNoPlugin:
      return "no_plugin";
    case PauseCause::kConnectorFailed:
      return "connector_failed";
  }
  return "admin";
}

const char* ToString(WaitReason reason) {
  switch (reason) {
    case WaitReason::kAccountConcurrency:
      return "account_concurrency";
    case WaitReason::kPlatformConcurrency:
      return "platform_concurrency";
    case WaitReason::kRateLimit:
      return "rate_limit";
    case WaitReason::kRetryAfter:
      return "retry_after";
    case WaitReason::kQuota:
      return "quota";
    case WaitReason::kPaused:
      return "paused";
  }
  return "rate_limit";
}

Admission::Admission(const config::Config& config) : config_(config) {}

Admission::Gate& Admission::AccountGate(const std::string& account) {
  auto [it, inserted] = accounts_.try_emplace(account);
  if (inserted) {
    const config::AccountConfig* a = config_.FindAccount(account);
    Configure(a ? &a->limits : nullptr, it->second.concurrency, it->second.bucket);
  }
  return it->second;
}

Admission::Gate& Admission::PlatformGate(const std::string& platform) {
  auto [it, inserted] = platforms_.try_emplace(platform);
  if (inserted) {
    auto p = config_.platforms.find(platform);
    Configure(p == config_.platforms.end() ? nullptr : &p->second, it->second.concurrency,
              it->second.bucket);
  }
  return it->second;
}

const PausedScope* Admission::FindPause(const JobMeta& job) const {
  for (const PauseScope& s : {PauseScope{PauseScope::Kind::kAll, ""},
                              PauseScope{PauseScope::Kind::kPlatform, job.platform},
                              PauseScope{PauseScope::Kind::kAccount, job.account},
                              PauseScope{PauseScope::Kind::kCampaign, job.campaign}}) {
    auto it = paused_.find(s);
    if (it != paused_.end()) return &it->second;
  }
  return nullptr;
}

Admission::Decision Admission::TryAdmit(const JobMeta& job, int64_t now_ms) {
  MutexLock lock(mu_);
  if (const PausedScope* p = FindPause(job)) {
    return {Decision::Kind::kPaused, 0,
            std::string(ToString(p->scope.kind)) + (p->scope.name.empty() ? "" : " ") +
                p->scope.name + " is paused: " + p->reason};
  }
  Gate& account = AccountGate(job.account);
  Gate& platform = PlatformGate(job.platform);
  // A capped job waits for a Release, which reschedules waiters; the time is a fallback.
  if (account.concurrency > 0 && account.in_flight >= account.concurrency) {
    return {Decision::Kind::kWait, now_ms + 1000, "account concurrency cap",
            WaitReason::kAccountConcurrency};
  }
  if (platform.concurrency > 0 && platform.in_flight >= platform.concurrency) {
    return {Decision::Kind::kWait, now_ms + 1000, "platform concurrency cap",
            WaitReason::kPlatformConcurrency};
  }
  // Check both buckets before taking from either, so a refusal takes nothing.
  int64_t wait = 0;
  if (account.bucket) wait = std::max(wait, account.bucket->WaitMs(now_ms));
  if (platform.bucket) wait = std::max(wait, platform.bucket->WaitMs(now_ms));
  if (wait == 0) {
    if (account.bucket) account.bucket->TryTake(now_ms);
    if (platform.bucket) platform.bucket->TryTake(now_ms);
  }
  if (wait > 0) {
    if (account.blocked_until_ms > now_ms && account.blocked_why == WaitReason::kQuota) {
      return {Decision::Kind::kWait, now_ms + wait, "the platform's quota is spent",
              WaitReason::kQuota};
    }
    return {Decision::Kind::kWait, now_ms + wait, "rate limit", WaitReason::kRateLimit};
  }
  ++account.in_flight;
  ++platform.in_flight;
  return {Decision::Kind::kAdmit, 0, ""};
}

void Admission::Release(const JobMeta& job) {
  MutexLock lock(mu_);
  Gate& account = AccountGate(job.account);
  Gate& platform = PlatformGate(job.platform);
  account.in_flight = std::max(0, account.in_flight - 1);
  platform.in_flight = std::max(0, platform.in_flight - 1);
}

void Admission::Block(const std::string& account, int64_t until_ms, WaitReason why) {
  MutexLock lock(mu_);
  Gate& gate = AccountGate(account);
  if (!gate.bucket) gate.bucket = std::make_unique<TokenBucket>(1e9, 1 << 20);
  gate.bucket->Block(until_ms);
  if (until_ms >= gate.blocked_until_ms) {
    gate.blocked_until_ms = until_ms;
    gate.blocked_why = why;
  }
}

void Admission::set_journal(journal::Journal* journal) {
  MutexLock lock(persist_mu_);
  journal_ = journal;
}

Status Admission::Restore() {
  MutexLock persist(persist_mu_);
  if (!journal_) return Status::Ok();
  auto records = journal_->Pauses();
  if (!records.ok()) return records.error();
  MutexLock lock(mu_);
  for (const journal::PauseRecord& r : *records) {
    auto kind = ParseScopeKind(r.scope);
    auto cause = ParseCause(r.cause);
    if (!kind || !cause) {
      spdlog::warn("journal: a pause of {} '{}' for '{}' is not one this heraldd knows; ignored",
                   r.scope, r.name, r.cause);
      continue;
    }
    PauseScope scope{*kind, r.name};
    paused_[scope] = PausedScope{scope, *cause, r.reason, r.since_ms};
  }
  pause_generation_.fetch_add(1, std::memory_order_release);
  return Status::Ok();
}

Status Admission::Pause(const PauseScope& scope, PauseCause cause, std::string reason,
                        int64_t now_ms) {
  MutexLock persist(persist_mu_);
  Status saved = Status::Ok();
  if (journal_ && Journaled(cause)) {
    saved =
        journal_->SavePause({ToString(scope.kind), scope.name, ToString(cause), reason, now_ms});
  } else if (journal_) {
    // A pause that is not journaled replaces one that was: forget that one.
    bool was_journaled;
    {
      MutexLock lock(mu_);
      auto it = paused_.find(scope);
      was_journaled = it != paused_.end() && Journaled(it->second.cause);
    }
    if (was_journaled) saved = journal_->DropPause(ToString(scope.kind), scope.name);
  }
  MutexLock lock(mu_);
  paused_[scope] = PausedScope{scope, cause, std::move(reason), now_ms};
  pause_generation_.fetch_add(1, std::memory_order_release);
  return saved;
}

Result<bool> Admission::Resume(const PauseScope& scope) {
  MutexLock persist(persist_mu_);
  {
    MutexLock lock(mu_);
    if (paused_.count(scope) == 0) return false;
  }
  if (journal_) {
    if (Status dropped = journal_->DropPause(ToString(scope.kind), scope.name); !dropped.ok()) {
      return dropped.error();
    }
  }
  MutexLock lock(mu_);
  paused_.erase(scope);
  pause_generation_.fetch_add(1, std::memory_order_release);
  return true;
}

std::vector<PausedScope> Admission::Paused() const {
  MutexLock lock(mu_);
  std::vector<PausedScope> out;
  for (const auto& [scope, p] : paused_) out.push_back(p);
  return out;
}

bool Admission::IsPaused(const JobMeta& job) const {
  MutexLock lock(mu_);
  return FindPause(job) != nullptr;
}

}  // namespace herald::core
