#include "core/dispatcher.h"

#include <spdlog/spdlog.h>

#include "calendar/time_zone.h"
#include "core/backoff.h"
#include "core/job_payload.h"

namespace herald::core {
namespace {

// A pending job whose time is further off than this was moved since it was
// queued: the scheduler re-arms it instead of running it early. (The daemon
// hands jobs out 5 ms ahead of time; see Process.)
constexpr int64_t kEarlySlackMs = 10;

JobMeta MetaOf(const journal::Job& job) {
  return {job.record.account, job.record.platform, job.record.campaign_id};
}

// What a connector's find() gets as the post's due time: the earliest
// instant it may have been sent. A job sent before it was due (publish-now,
// an edit that moved it) is looked for from its first attempt, or a find that
// searches "since the job was due" would miss it and it would go out twice.
int64_t EarliestSend(const journal::Job& job, journal::Journal& journal) {
  int64_t earliest = job.record.due_ms;
  auto attempts = journal.Attempts(job.key);
  if (attempts.ok()) {
    for (const auto& a : *attempts) earliest = std::min(earliest, a.started_ms);
  }
  return earliest;
}

Dispatcher::Next Schedule(int64_t at) { return {Dispatcher::Next::Kind::kSchedule, at, {}}; }
Dispatcher::Next Park() { return {Dispatcher::Next::Kind::kPark, 0, {}}; }
Dispatcher::Next Nothing() { return {}; }

}  // namespace

Dispatcher::Dispatcher(const config::Config& config, ConnectorFactory& connectors,
                       journal::Journal& journal, Clock& clock, Admission& admission,
                       MediaStager* media)
    : config_(config),
      connectors_(connectors),
      journal_(journal),
      clock_(clock),
      admission_(admission),
      media_(media) {}

double Dispatcher::Random01() {
  MutexLock lock(mu_);
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
}

JobEvent Dispatcher::EventFor(const journal::Job& job, JobEvent::Kind kind, std::string message) {
  JobEvent e;
  e.kind = kind;
  e.key = job.key;
  e.id = job.record.id;
  e.account = job.record.account;
  e.platform = job.record.platform;
  e.campaign = job.record.campaign_id;
  e.state = journal::JobState::kPending;
  e.message = std::move(message);
  e.due_ms = job.record.due_ms;
  e.at_ms = clock_.NowMs();
  e.attempt = job.attempts;
  return e;
}

void Dispatcher::Emit(const journal::Job& job, journal::JobState state, std::string message) {
  if (!sink_) return;
  JobEvent e = EventFor(job, JobEvent::Kind::kState, std::move(message));
  e.state = state;
  sink_(e);
}

void Dispatcher::EmitWait(const journal::Job& job, WaitReason reason, std::string message,
                          int64_t wait_ms) {
  if (!sink_) return;
  JobEvent e = EventFor(job, JobEvent::Kind::kWaiting, std::move(message));
  e.wait_reason = reason;
  e.wait_ms = wait_ms;
  sink_(e);
}

std::variant<std::unique_ptr<Dispatcher::Slot>, Dispatcher::NoConnector> Dispatcher::Acquire(
    const std::string& account) {
  {
    MutexLock lock(mu_);
    auto& pool = free_[account];
    if (!pool.empty()) {
      auto slot = std::move(pool.back());
      pool.pop_back();
      return slot;
    }
  }
  const config::AccountConfig* cfg = config_.FindAccount(account);
  if (!cfg) {
    return NoConnector{PauseCause::kConnectorFailed, "account " + account + " is not configured"};
  }
  auto connector = connectors_.Create(*cfg);
  if (!connector.ok()) {
    return NoConnector{connector.error().code() == ErrorCode::kNotFound
                           ? PauseCause::kNoPlugin
                           : PauseCause::kConnectorFailed,
                       connector.error().message()};
  }
  auto slot = std::make_unique<Slot>();
  slot->connector = std::move(*connector);
  slot->preflight = std::make_unique<http::HttpClient>(media_ ? media_->PreflightOptions()
                                                              : http::HttpClientOptions{});
  return slot;
}

void Dispatcher::Give(const std::string& account, std::unique_ptr<Slot> slot) {
  MutexLock lock(mu_);
  free_[account].push_back(std::move(slot));
}

int Dispatcher::CountedAttempts(journal::JobKey key, int attempt) {
  auto attempts = journal_.Attempts(key);
  if (!attempts.ok()) return attempt;  // cannot tell: every attempt counts, the strict reading
  int counted = 1;                     // this one, still running in the journal
  for (const journal::Attempt& a : *attempts) {
    if (a.n != attempt && a.outcome && *a.outcome != journal::AttemptOutcome::kContinue) ++counted;
  }
  return counted;
}

journal::AttemptResult Dispatcher::MapOutcome(const journal::Job& job, int attempt,
                                              const plugin::StepOutcome& outcome, int64_t now) {
  journal::AttemptResult r;
  r.finished_ms = now;
  r.http_status = outcome.http_status;
  r.platform_code = outcome.platform_code;
  r.message = outcome.reason;
  switch (outcome.kind) {
    case HERALD_OUTCOME_PUBLISHED:
      r.outcome = journal::AttemptOutcome::kPublished;
      r.remote_id = outcome.remote_id;
      r.url = outcome.url;
      r.message.clear();
      break;
    case HERALD_OUTCOME_CONTINUE:
      r.outcome = journal::AttemptOutcome::kContinue;
      r.next_attempt_ms = outcome.at_ms;
      r.checkpoint = outcome.checkpoint;
      break;
    case HERALD_OUTCOME_RETRY: {
      attempt = CountedAttempts(job.key, attempt);
      if (attempt >= config_.retry.max_attempts) {
        r.outcome = journal::AttemptOutcome::kFailed;
        r.message = "gave up after " + std::to_string(attempt) + " attempts: " + outcome.reason;
        break;
      }
      int64_t retry_after = outcome.at_ms > now ? outcome.at_ms - now : 0;
      if (retry_after > 0) admission_.Block(job.record.account, outcome.at_ms);
      BackoffPolicy policy{config_.retry.base_delay.count(), config_.retry.max_delay.count(),
                           config_.retry.jitter == config::Jitter::kFull};
      r.outcome = journal::AttemptOutcome::kRetry;
      r.next_attempt_ms = now + BackoffDelayMs(policy, attempt, Random01(), retry_after);
      break;
    }
    case HERALD_OUTCOME_AUTH_EXPIRED:
      // The post is fine; the account is not. It waits, pending, for an admin.
      if (Status saved = admission_.Pause({PauseScope::Kind::kAccount, job.record.account},
                                          PauseCause::kAuthExpired,
                                          "credentials expired or revoked: " + outcome.reason, now);
          !saved.ok()) {
        spdlog::error("{}: the pause could not be journaled ({}); it holds until heraldd stops",
                      job.record.account, saved.error().message());
      }
      spdlog::error(
          "{}: credentials expired or revoked ({}); account paused until an admin "
          "reconnects it and resumes it",
          job.record.account, outcome.reason);
      r.outcome = journal::AttemptOutcome::kRetry;
      r.next_attempt_ms = now;
      r.message = "auth expired: " + outcome.reason;
      break;
    case HERALD_OUTCOME_QUOTA_EXHAUSTED: {
      // The account's quota is spent, not the post: all its work waits for
      // the reset, and this never fails the job (no attempt limit).
      int64_t until = quota_
                          ? quota_->Exhaust(job.record.account, outcome.reason, outcome.at_ms, now)
                          : std::max(outcome.at_ms, now + 3600 * 1000);
      admission_.Block(job.record.account, until, WaitReason::kQuota);
      spdlog::warn("{}: the platform's quota is spent ({}); the account's work waits until {}",
                   job.record.account, outcome.reason,
                   calendar::FormatUtc(calendar::SysSeconds(std::chrono::seconds(until / 1000))));
      r.outcome = journal::AttemptOutcome::kRetry;
      r.next_attempt_ms = until;
      r.message = "quota exhausted until " +
                  calendar::FormatUtc(calendar::SysSeconds(std::chrono::seconds(until / 1000))) +
                  ": " + outcome.reason;
      break;
    }
    case HERALD_OUTCOME_FAILED:
      r.outcome = journal::AttemptOutcome::kFailed;
      break;
    case HERALD_OUTCOME_UNKNOWN:
    default:
      r.outcome = journal::AttemptOutcome::kUnknown;
      break;
  }
  return r;
}

Dispatcher::Next Dispatcher::Process(journal::JobKey key) {
  int64_t now = clock_.NowMs();
  auto job = journal_.Get(key);
  if (!job.ok()) {
    spdlog::error("job {}: cannot read it from the journal: {}", key, job.error().message());
    return Nothing();
  }
  if (job->state != journal::JobState::kPending) return Nothing();
  if (job->next_attempt_ms > now + kEarlySlackMs) return Schedule(job->next_attempt_ms);

  JobMeta meta = MetaOf(*job);
  auto decision = admission_.TryAdmit(meta, now);
  if (decision.kind == Admission::Decision::Kind::kPaused) {
    // Parked until a resume; said once, as it parks.
    EmitWait(*job, WaitReason::kPaused, decision.reason, 0);
    return Park();
  }
  if (decision.kind == Admission::Decision::Kind::kWait) {
    EmitWait(*job, decision.wait, decision.reason, decision.until_ms - now);
    return Schedule(decision.until_ms);
  }

  auto acquired = Acquire(meta.account);
  if (auto* none = std::get_if<NoConnector>(&acquired)) {
    admission_.Release(meta);
    Status saved = admission_.Pause({PauseScope::Kind::kAccount, meta.account}, none->cause,
                                    none->reason, now);
    spdlog::error(
        "{}; account paused{}", none->reason,
        saved.ok() ? "" : " (the journal refused the change: " + saved.error().message() + ")");
    EmitWait(*job, WaitReason::kPaused, "account " + meta.account + " is paused: " + none->reason,
             0);
    return Park();
  }
  auto slot = std::move(std::get<std::unique_ptr<Slot>>(acquired));

  auto started = journal_.BeginAttempt(key, now);
  if (!started.ok()) {
    // Cancelled or taken since we read it: nothing was sent.
    admission_.Release(meta);
    Give(meta.account, std::move(slot));
    return Nothing();
  }
  spdlog::debug("job {} on {}: attempt {} started", started->job.record.id, meta.account,
                started->n);
  Emit(started->job, journal::JobState::kRunning, "attempt " + std::to_string(started->n));

  plugin::StepOutcome outcome;
  std::vector<std::filesystem::path> staged;
  auto post = ToPostInput(started->job);
  // The attempt's files, opened confined now: nothing else is read for it.
  JobFiles files;
  if (post.ok()) {
    auto opened = JobFiles::Open(*post);
    if (opened.ok()) {
      files = std::move(*opened);
    } else {
      post = Error(opened.error());  // nothing was sent: the job fails with the reason
    }
  }
  if (post.ok() && media_ && media_->enabled() && !post->media.empty()) {
    auto staging = media_->Stage(*post, files, *slot->preflight);
    if (staging.ok()) {
      staged = std::move(*staging);
    } else {
      // Nothing was sent: a staging problem is retried (the web server may be
      // down) unless the file itself is unusable.
      outcome.kind = staging.error().code() == ErrorCode::kUnavailable ? HERALD_OUTCOME_RETRY
                                                                       : HERALD_OUTCOME_FAILED;
      outcome.reason = staging.error().message();
      post = Error(staging.error());
    }
  }
  if (!post.ok()) {
    if (outcome.reason.empty()) {
      outcome.kind = HERALD_OUTCOME_FAILED;
      outcome.reason = post.error().message();
    }
  } else {
    // "Attempt started" is durable; the request leaves at the due instant, not before.
    clock_.SleepUntil(started->job.next_attempt_ms);
    ++in_flight_;
    slot->connector->SetBodyFiles(&files);
    outcome = slot->connector->Step(*post, started->job.checkpoint);
    slot->connector->SetBodyFiles(nullptr);
    --in_flight_;
  }
  int64_t done = clock_.NowMs();
  journal::AttemptResult result = MapOutcome(started->job, started->n, outcome, done);
  result.message = slot->connector->Redacted(result.message);
  Give(meta.account, std::move(slot));
  admission_.Release(meta);

  Status finished = journal_.FinishAttempt(key, result);
  if (!finished.ok()) {
    // The journal still says running; a restart turns it unknown and reconciles.
    spdlog::critical("job {}: cannot journal the outcome ({}): {}", started->job.record.id,
                     journal::ToString(result.outcome), finished.error().message());
    return Nothing();
  }
  switch (result.outcome) {
    case journal::AttemptOutcome::kPublished:
      spdlog::info("published {} on {} as {}", started->job.record.id, meta.account,
                   result.remote_id);
      Emit(started->job, journal::JobState::kPublished, result.remote_id);
      return {Next::Kind::kNone, 0, std::move(staged)};
    case journal::AttemptOutcome::kFailed:
      spdlog::warn("job {} on {} failed: {}", started->job.record.id, meta.account, result.message);
      Emit(started->job, journal::JobState::kFailed, result.message);
      return Nothing();
    case journal::AttemptOutcome::kRetry:
    case journal::AttemptOutcome::kContinue:
      Emit(started->job, journal::JobState::kPending, result.message);
      if (outcome.kind == HERALD_OUTCOME_RETRY && outcome.at_ms > done) {
        EmitWait(started->job, WaitReason::kRetryAfter, "the platform asked to retry later",
                 outcome.at_ms - done);
      }
      if (outcome.kind == HERALD_OUTCOME_QUOTA_EXHAUSTED && result.next_attempt_ms > done) {
        EmitWait(started->job, WaitReason::kQuota, "the platform's quota is spent until it resets",
                 result.next_attempt_ms - done);
      }
      if (admission_.IsPaused(meta)) {
        EmitWait(started->job, WaitReason::kPaused, "paused: " + result.message, 0);
        return Park();
      }
      return Schedule(result.next_attempt_ms);
    case journal::AttemptOutcome::kUnknown:
    case journal::AttemptOutcome::kInterrupted: {
      spdlog::warn("job {} on {}: outcome unknown ({}); reconciling before any retry",
                   started->job.record.id, meta.account, result.message);
      Emit(started->job, journal::JobState::kUnknown, result.message);
      auto reread = journal_.Get(key);
      if (!reread.ok()) return Nothing();
      return Reconcile(*reread);
    }
  }
  return Nothing();
}

Dispatcher::Next Dispatcher::Reconcile(const journal::Job& job) {
  auto acquired = Acquire(job.record.account);
  if (auto* none = std::get_if<NoConnector>(&acquired)) {
    // Not an admin's yet: the next start asks find again.
    spdlog::warn("job {} stays unknown until a start can ask its platform: {}", job.record.id,
                 none->reason);
    return Nothing();
  }
  auto slot = std::move(std::get<std::unique_ptr<Slot>>(acquired));
  auto post = ToPostInput(job);
  if (post.ok()) {
    post->due_ms = EarliestSend(job, journal_);
    // Where its flow stood (an upload session): find asks there first.
    post->checkpoint = job.checkpoint;
  }
  auto settled = [](const Result<plugin::FindOutcome>& f) {
    return f.ok() && f->kind != HERALD_FIND_CANNOT_TELL;
  };
  Result<plugin::FindOutcome> found =
      post.ok() ? slot->connector->Find(*post) : Result<plugin::FindOutcome>(post.error());
  int asked = 1;
  // A job that cannot be read is not asked again: asking changes nothing.
  while (post.ok() && !settled(found) && asked < kFindAttempts) {
    clock_.SleepUntil(clock_.NowMs() + (kFindBackoffMs << (asked - 1)));
    ++asked;
    found = slot->connector->Find(*post);
  }
  Give(job.record.account, std::move(slot));
  int64_t now = clock_.NowMs();
  if (!settled(found)) {
    std::string why = found.ok() ? found->reason : found.error().message();
    std::string note =
        "reconciliation could not tell whether it reached the platform (find asked " +
        std::to_string(asked) + (asked == 1 ? " time): " : " times): ") + why +
        "; check the platform and resolve it (heraldctl resolve)";
    spdlog::warn("job {} on {} stays unknown and waits for an admin (heraldctl job {}): {}",
                 job.record.id, job.record.account, job.record.id, note);
    if (Status handed = journal_.AwaitAdmin(job.key, now, note); !handed.ok()) {
      spdlog::error("job {}: cannot journal that it waits for an admin: {}", job.record.id,
                    handed.error().message());
    }
    Emit(job, journal::JobState::kUnknown, note);
    return Nothing();
  }
  journal::Resolution resolution;
  resolution.now_ms = now;
  if (found->kind == HERALD_FIND_FOUND) {
    resolution.kind = journal::Resolution::Kind::kPublished;
    resolution.remote_id = found->remote_id;
    resolution.url = found->url;
    resolution.note = "found on the platform by reconciliation";
  } else {
    // Pending again, with its checkpoint: the next step goes on from there.
    resolution.kind = journal::Resolution::Kind::kPending;
    resolution.next_attempt_ms = now;
    resolution.note =
        (job.checkpoint ? "not finished on the platform: " : "not on the platform: ") +
        found->reason;
  }
  Status resolved = journal_.Resolve(job.key, resolution);
  if (!resolved.ok()) {
    spdlog::error("job {}: cannot journal its reconciliation: {}", job.record.id,
                  resolved.error().message());
    return Nothing();
  }
  if (found->kind == HERALD_FIND_FOUND) {
    spdlog::info("reconciled {}: it was published as {}", job.record.id, found->remote_id);
    Emit(job, journal::JobState::kPublished, "reconciled: " + found->remote_id);
    return Nothing();
  }
  spdlog::info("reconciled {}: {}", job.record.id,
               job.checkpoint ? "not finished on the platform, going on from its checkpoint"
                              : "not on the platform, publishing again");
  Emit(job, journal::JobState::kPending, resolution.note);
  return Schedule(now);
}

}  // namespace herald::core
