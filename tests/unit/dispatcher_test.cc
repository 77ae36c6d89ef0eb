// The dispatcher on a fake clock, an in-memory journal and scripted
// connectors: a job starts durably, then leaves at its instant; retries back
// off exponentially and honour Retry-After (which holds the account's other
// jobs too); auth_expired, a missing plugin and a refused connector pause the
// account with their cause until a resume; an unknown outcome is reconciled
// through find before anything is sent again. No real time passes.
#include "core/dispatcher.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "support/fake_clock.h"
#include "support/memory_journal.h"
#include "support/scripted_connectors.h"

namespace {

using herald::Error;
using herald::ErrorCode;
using herald::core::Admission;
using herald::core::Dispatcher;
using herald::core::JobEvent;
using herald::core::PauseCause;
using herald::core::PauseScope;
using herald::core::WaitReason;
using herald::journal::AttemptOutcome;
using herald::journal::JobKey;
using herald::journal::JobRecord;
using herald::journal::JobState;
using herald::testing::FakeClock;
using herald::testing::MemoryJournal;
using herald::testing::ScriptedConnectors;
using Next = Dispatcher::Next;
namespace t = herald::testing;

constexpr char kAccount[] = "outbox/shop";
constexpr int64_t kSecond = 1000;

herald::config::Config TestConfig() {
  herald::config::Config config;
  for (const char* name : {"outbox/shop", "outbox/other"}) {
    herald::config::AccountConfig account;
    account.name = name;
    account.platform = "outbox";
    config.accounts.push_back(account);
  }
  config.retry.base_delay = std::chrono::seconds(1);
  config.retry.max_delay = std::chrono::seconds(8);
  config.retry.max_attempts = 4;
  config.retry.jitter = herald::config::Jitter::kNone;
  return config;
}

// One dispatcher over fakes, and what it told its event sink.
struct Rig {
  herald::config::Config config = TestConfig();
  FakeClock clock;
  MemoryJournal journal;
  ScriptedConnectors connectors{&clock};
  Admission admission{config};
  Dispatcher dispatcher{config, connectors, journal, clock, admission};
  std::vector<JobEvent> events;

  Rig() {
    dispatcher.set_event_sink([this](const JobEvent& e) { events.push_back(e); });
  }

  // A pending job of `account` due at `due_ms`, as a calendar load adds it.
  JobKey Add(const std::string& id, int64_t due_ms, const std::string& account = kAccount) {
    JobRecord r;
    r.id = id;
    r.calendar_id = "cal";
    r.post_id = id;
    r.campaign_id = "spring";
    r.account = account;
    r.platform = "outbox";
    r.due_ms = due_ms;
    r.content_hash = "h-" + id;
    r.payload_json = R"({"text":"post )" + id + R"("})";
    ++generation;
    ids.push_back(r);
    auto diff = journal.ApplyGeneration({"cal"}, ids, generation, clock.NowMs());
    REQUIRE(diff.ok());
    return journal.GetById(id)->key;
  }
  herald::journal::Job Job(JobKey key) {
    auto job = journal.Get(key);
    REQUIRE(job.ok());
    return *job;
  }
  std::vector<JobState> States(JobKey key) const {
    std::vector<JobState> states;
    for (const auto& e : events) {
      if (e.key == key && e.kind == JobEvent::Kind::kState) states.push_back(e.state);
    }
    return states;
  }
  std::vector<JobEvent> Waits() const {
    std::vector<JobEvent> waits;
    for (const auto& e : events) {
      if (e.kind == JobEvent::Kind::kWaiting) waits.push_back(e);
    }
    return waits;
  }

  std::vector<JobRecord> ids;
  int64_t generation = 0;
};

}  // namespace

TEST_CASE("a job starts durably ahead of its instant and leaves exactly at it", "[dispatcher]") {
  Rig rig;
  const int64_t due = rig.clock.NowMs() + 60 * kSecond;
  JobKey key = rig.Add("a", due);
  rig.connectors.Script(kAccount, {t::Published("remote-1", "https://outbox.example/1")});

  // Handed out a minute early (the queue moved it): not run, scheduled again.
  Next early = rig.dispatcher.Process(key);
  CHECK(early.kind == Next::Kind::kSchedule);
  CHECK(early.at_ms == due);
  CHECK(rig.connectors.steps().empty());

  // Handed out 5 ms ahead, as the daemon does: "attempt started" is written
  // at once, the request waits on the clock for the instant itself.
  rig.clock.Set(due - 5);
  Next next = rig.dispatcher.Process(key);
  CHECK(next.kind == Next::Kind::kNone);
  REQUIRE(rig.connectors.steps().size() == 1);
  CHECK(rig.connectors.steps()[0].at_ms == due);
  CHECK(rig.connectors.steps()[0].text == "post a");
  CHECK(rig.clock.sleeps() == std::vector<int64_t>{due});
  auto attempts = rig.journal.Attempts(key);
  REQUIRE(attempts->size() == 1);
  CHECK((*attempts)[0].started_ms == due - 5);
  CHECK((*attempts)[0].outcome == AttemptOutcome::kPublished);
  auto job = rig.Job(key);
  CHECK(job.state == JobState::kPublished);
  CHECK(job.remote_id == "remote-1");
  CHECK(job.url == "https://outbox.example/1");
  CHECK(rig.States(key) == std::vector<JobState>{JobState::kRunning, JobState::kPublished});

  // Published is final: handing it out again does nothing.
  CHECK(rig.dispatcher.Process(key).kind == Next::Kind::kNone);
  CHECK(rig.connectors.steps().size() == 1);
}

TEST_CASE("a transient failure backs off exponentially, then gives up", "[dispatcher][retry]") {
  Rig rig;
  const int64_t start = rig.clock.NowMs();
  JobKey key = rig.Add("a", start);
  rig.connectors.Script(kAccount, {t::Retry(0, "service unavailable"), t::Retry(0, "again"),
                                   t::Retry(0, "and again"), t::Retry(0, "still")});
  std::vector<int64_t> waits;
  for (int attempt = 1; attempt <= 3; ++attempt) {
    int64_t before = rig.clock.NowMs();
    Next next = rig.dispatcher.Process(key);
    REQUIRE(next.kind == Next::Kind::kSchedule);
    waits.push_back(next.at_ms - before);
    auto job = rig.Job(key);
    CHECK(job.state == JobState::kPending);
    CHECK(job.next_attempt_ms == next.at_ms);
    CHECK(job.attempts == attempt);
    rig.clock.Set(next.at_ms);
  }
  CHECK(waits == std::vector<int64_t>{1 * kSecond, 2 * kSecond, 4 * kSecond});
  CHECK(rig.Job(key).last_error == "and again");

  // The fourth attempt is the last the configuration allows.
  CHECK(rig.dispatcher.Process(key).kind == Next::Kind::kNone);
  auto job = rig.Job(key);
  CHECK(job.state == JobState::kFailed);
  CHECK(job.last_error == "gave up after 4 attempts: still");
  CHECK(rig.connectors.steps().size() == 4);
}

TEST_CASE("max_attempts counts retries, not the polls and chunks of a flow",
          "[dispatcher][retry]") {
  Rig rig;  // max_attempts 4
  JobKey key = rig.Add("a", rig.clock.NowMs());
  std::vector<herald::plugin::StepOutcome> script;
  for (int i = 0; i < 6; ++i) {
    script.push_back(t::Continue(rig.clock.NowMs(), "v1:poll=" + std::to_string(i)));
  }
  for (const char* why : {"busy", "busy again", "still busy", "gave out"}) {
    script.push_back(t::Retry(0, why));
  }
  rig.connectors.Script(kAccount, script);
  // Six polls, then three retries: the job is still pending, backing off from 1 s.
  std::vector<int64_t> waits;
  for (int step = 1; step <= 9; ++step) {
    const int64_t before = rig.clock.NowMs();
    Next next = rig.dispatcher.Process(key);
    REQUIRE(next.kind == Next::Kind::kSchedule);
    CHECK(rig.Job(key).state == JobState::kPending);
    if (step > 6) waits.push_back(next.at_ms - before);
    rig.clock.Set(std::max(next.at_ms, before));
  }
  CHECK(waits == std::vector<int64_t>{1 * kSecond, 2 * kSecond, 4 * kSecond});
  // The fourth retry is the last allowed, whatever the polls before.
  CHECK(rig.dispatcher.Process(key).kind == Next::Kind::kNone);
  auto job = rig.Job(key);
  CHECK(job.state == JobState::kFailed);
  CHECK(job.last_error == "gave up after 4 attempts: gave out");
  CHECK(rig.connectors.steps().size() == 10);
}

TEST_CASE("full jitter draws each backoff within its cap", "[dispatcher][retry]") {
  Rig rig;
  rig.config.retry.jitter = herald::config::Jitter::kFull;
  rig.config.retry.max_attempts = 10;
  JobKey key = rig.Add("a", rig.clock.NowMs());
  rig.connectors.OnStep(kAccount, [](const auto&, const auto&) { return t::Retry(0, "busy"); });
  int64_t cap = 1 * kSecond;
  for (int attempt = 1; attempt <= 6; ++attempt) {
    const int64_t before = rig.clock.NowMs();
    Next next = rig.dispatcher.Process(key);
    REQUIRE(next.kind == Next::Kind::kSchedule);
    CHECK(next.at_ms - before >= 0);
    CHECK(next.at_ms - before <= cap);
    cap = std::min<int64_t>(cap * 2, 8 * kSecond);
    rig.clock.Set(std::max(next.at_ms, before));
  }
}

TEST_CASE("Retry-After is a floor for the job and holds back the account's other jobs",
          "[dispatcher][retry]") {
  Rig rig;
  const int64_t now = rig.clock.NowMs();
  JobKey a = rig.Add("a", now);
  JobKey b = rig.Add("b", now);
  JobKey other = rig.Add("c", now, "outbox/other");
  rig.connectors.Script(kAccount, {t::Retry(now + 30 * kSecond, "rate limited", 429),
                                   t::Published("ra"), t::Published("rb")});
  rig.connectors.Script("outbox/other", {t::Published("rc")});

  Next next = rig.dispatcher.Process(a);
  REQUIRE(next.kind == Next::Kind::kSchedule);
  CHECK(next.at_ms == now + 30 * kSecond);  // not the 1 s backoff
  REQUIRE(rig.Waits().size() == 1);
  CHECK(rig.Waits()[0].wait_reason == WaitReason::kRetryAfter);
  CHECK(rig.Waits()[0].wait_ms == 30 * kSecond);

  // The platform's "slow down" is about the account: b waits too, unsent.
  Next held = rig.dispatcher.Process(b);
  REQUIRE(held.kind == Next::Kind::kSchedule);
  CHECK(held.at_ms == now + 30 * kSecond);
  REQUIRE(rig.Waits().size() == 2);
  CHECK(rig.Waits()[1].key == b);
  CHECK(rig.Waits()[1].wait_reason == WaitReason::kRateLimit);
  CHECK(rig.Job(b).attempts == 0);
  // Another account is not held.
  CHECK(rig.dispatcher.Process(other).kind == Next::Kind::kNone);
  CHECK(rig.Job(other).state == JobState::kPublished);

  // The account's bucket is empty at that instant and refills from it
  // (token_bucket_test): for an account without a rate limit, 1 ms later.
  rig.clock.Set(now + 30 * kSecond + 1);
  CHECK(rig.dispatcher.Process(a).kind == Next::Kind::kNone);
  CHECK(rig.dispatcher.Process(b).kind == Next::Kind::kNone);
  CHECK(rig.Job(a).remote_id == "ra");
  CHECK(rig.Job(b).remote_id == "rb");
}

TEST_CASE("expired credentials pause the account until an admin resumes it",
          "[dispatcher][pause]") {
  Rig rig;
  const int64_t now = rig.clock.NowMs();
  JobKey a = rig.Add("a", now);
  JobKey b = rig.Add("b", now);
  rig.connectors.Script(kAccount,
                        {t::AuthExpired("token revoked"), t::Published("ra"), t::Published("rb")});

  CHECK(rig.dispatcher.Process(a).kind == Next::Kind::kPark);
  auto job = rig.Job(a);
  CHECK(job.state == JobState::kPending);  // the post is fine; the account is not
  CHECK(job.last_error == "auth expired: token revoked");
  auto paused = rig.admission.Paused();
  REQUIRE(paused.size() == 1);
  CHECK(paused[0].scope == PauseScope{PauseScope::Kind::kAccount, kAccount});
  CHECK(paused[0].cause == PauseCause::kAuthExpired);
  CHECK(paused[0].reason == "credentials expired or revoked: token revoked");

  // While paused nothing of the account is sent; the scheduler parks them.
  CHECK(rig.dispatcher.Process(b).kind == Next::Kind::kPark);
  CHECK(rig.dispatcher.Process(a).kind == Next::Kind::kPark);
  CHECK(rig.connectors.steps().size() == 1);

  REQUIRE(*rig.admission.Resume({PauseScope::Kind::kAccount, kAccount}));
  CHECK(rig.dispatcher.Process(a).kind == Next::Kind::kNone);
  CHECK(rig.dispatcher.Process(b).kind == Next::Kind::kNone);
  CHECK(rig.Job(a).state == JobState::kPublished);
  CHECK(rig.Job(a).attempts == 2);
  CHECK(rig.Job(b).state == JobState::kPublished);
}

TEST_CASE("a missing plugin and a refused connector pause the account with their cause",
          "[dispatcher][pause]") {
  Rig rig;
  JobKey a = rig.Add("a", rig.clock.NowMs());
  JobKey c = rig.Add("c", rig.clock.NowMs(), "outbox/other");
  rig.connectors.RefuseCreate(
      kAccount, Error(ErrorCode::kNotFound, "no connector plugin for platform outbox"));
  rig.connectors.RefuseCreate("outbox/other", Error(ErrorCode::kInvalidArgument,
                                                    "connector for outbox/other: "
                                                    "settings.path is missing"));
  CHECK(rig.dispatcher.Process(a).kind == Next::Kind::kPark);
  CHECK(rig.dispatcher.Process(c).kind == Next::Kind::kPark);
  auto paused = rig.admission.Paused();  // ordered by scope
  REQUIRE(paused.size() == 2);
  CHECK(paused[0].scope.name == "outbox/other");
  CHECK(paused[0].cause == PauseCause::kConnectorFailed);
  CHECK(paused[0].reason == "connector for outbox/other: settings.path is missing");
  CHECK(paused[1].scope.name == kAccount);
  CHECK(paused[1].cause == PauseCause::kNoPlugin);
  // Nothing was started: the jobs are untouched and admission's slots free.
  CHECK(rig.Job(a).attempts == 0);
  CHECK(rig.Job(c).attempts == 0);
  CHECK(rig.journal.Summary().counts[JobState::kRunning] == 0);
}

TEST_CASE("an unknown outcome is reconciled through find before anything is sent again",
          "[dispatcher][reconcile]") {
  Rig rig;
  const int64_t now = rig.clock.NowMs();

  SECTION("found on the platform: published, not sent again") {
    JobKey key = rig.Add("a", now);
    rig.connectors.Script(kAccount, {t::Unknown("connection reset after the request")});
    rig.connectors.OnFind(kAccount, [](const auto&) { return t::Found("remote-9"); });
    CHECK(rig.dispatcher.Process(key).kind == Next::Kind::kNone);
    auto job = rig.Job(key);
    CHECK(job.state == JobState::kPublished);
    CHECK(job.remote_id == "remote-9");
    CHECK(rig.connectors.steps().size() == 1);
    CHECK(rig.connectors.finds().size() == 1);
    CHECK(rig.States(key) ==
          std::vector<JobState>{JobState::kRunning, JobState::kUnknown, JobState::kPublished});
  }
  SECTION("not on the platform: pending now, then published once") {
    JobKey key = rig.Add("a", now);
    rig.connectors.Script(kAccount, {t::Unknown("timeout"), t::Published("remote-2")});
    rig.connectors.OnFind(kAccount, [](const auto&) { return t::NotFound("no such post"); });
    Next next = rig.dispatcher.Process(key);
    REQUIRE(next.kind == Next::Kind::kSchedule);
    CHECK(next.at_ms == now);
    auto job = rig.Job(key);
    CHECK(job.state == JobState::kPending);
    CHECK(job.last_error == "not on the platform: no such post");
    CHECK(rig.dispatcher.Process(key).kind == Next::Kind::kNone);
    CHECK(rig.Job(key).remote_id == "remote-2");
    CHECK(rig.connectors.steps().size() == 2);
  }
  SECTION("the platform cannot tell, asked a few times: unknown, for an admin, saying why") {
    JobKey key = rig.Add("a", now);
    rig.connectors.Script(kAccount, {t::Unknown("timeout")});
    rig.connectors.OnFind(kAccount, [](const auto&) { return t::CannotTell("search is down"); });
    CHECK(rig.dispatcher.Process(key).kind == Next::Kind::kNone);
    auto job = rig.Job(key);
    CHECK(job.state == JobState::kUnknown);
    CHECK(job.awaiting_admin);
    CHECK(job.last_error.find("find asked 3 times") != std::string::npos);
    CHECK(job.last_error.find("search is down") != std::string::npos);
    CHECK(rig.connectors.steps().size() == 1);
    auto finds = rig.connectors.finds();
    REQUIRE(finds.size() == static_cast<size_t>(Dispatcher::kFindAttempts));
    CHECK(finds[1].at_ms - finds[0].at_ms == Dispatcher::kFindBackoffMs);
    CHECK(finds[2].at_ms - finds[1].at_ms == 2 * Dispatcher::kFindBackoffMs);
    // Handed to an admin: a restart does not ask again.
    auto reopened = rig.journal.Reopen();
    CHECK(reopened->RecoverAfterCrash(rig.clock.NowMs())->empty());
  }
  SECTION("a find that cannot tell at first but then can settles the job, no admin asked") {
    JobKey key = rig.Add("a", now);
    rig.connectors.Script(kAccount, {t::Unknown("timeout")});
    int asked = 0;
    rig.connectors.OnFind(kAccount,
                          [&asked](const auto&) -> herald::Result<herald::plugin::FindOutcome> {
                            if (++asked == 1)
                              return Error(ErrorCode::kUnavailable, "connection refused");
                            return t::Found("remote-late");
                          });
    CHECK(rig.dispatcher.Process(key).kind == Next::Kind::kNone);
    CHECK(rig.Job(key).state == JobState::kPublished);
    CHECK_FALSE(rig.Job(key).awaiting_admin);
    CHECK(asked == 2);
  }
  SECTION("a start killed before it reconciled: the next start reconciles the job") {
    JobKey key = rig.Add("a", now);
    REQUIRE(rig.journal.BeginAttempt(key, now).ok());
    auto first = rig.journal.Reopen();  // heraldd killed mid-request
    REQUIRE(first->RecoverAfterCrash(now + kSecond)->size() == 1);
    auto second = first->Reopen();  // killed again before it asked find
    auto recovered = second->RecoverAfterCrash(now + 2 * kSecond);
    REQUIRE(recovered->size() == 1);
    CHECK((*recovered)[0].key == key);
    Admission admission(rig.config);
    Dispatcher dispatcher(rig.config, rig.connectors, *second, rig.clock, admission);
    rig.connectors.OnFind(kAccount, [](const auto&) { return t::NotFound("no such post"); });
    rig.connectors.Script(kAccount, {t::Published("remote-once")});
    CHECK(dispatcher.Reconcile((*recovered)[0]).kind == Next::Kind::kSchedule);
    CHECK(dispatcher.Process(key).kind == Next::Kind::kNone);
    CHECK(second->Get(key)->remote_id == "remote-once");
    CHECK(rig.connectors.steps().size() == 1);
  }
  SECTION("without a connector the job stays unknown, not an admin's: the next start asks") {
    JobKey key = rig.Add("a", now);
    REQUIRE(rig.journal.BeginAttempt(key, now).ok());
    auto reopened = rig.journal.Reopen();
    auto recovered = reopened->RecoverAfterCrash(now + kSecond);
    REQUIRE(recovered->size() == 1);
    rig.connectors.RefuseCreate(kAccount, Error(ErrorCode::kNotFound, "no plugin for outbox"));
    Admission admission(rig.config);
    Dispatcher dispatcher(rig.config, rig.connectors, *reopened, rig.clock, admission);
    CHECK(dispatcher.Reconcile((*recovered)[0]).kind == Next::Kind::kNone);
    CHECK_FALSE(reopened->Get(key)->awaiting_admin);
    CHECK(reopened->Reopen()->RecoverAfterCrash(now + 2 * kSecond)->size() == 1);
  }
  SECTION("after a crash: the journal's unknown jobs are found or sent again") {
    JobKey key = rig.Add("a", now);
    REQUIRE(rig.journal.BeginAttempt(key, now).ok());
    auto reopened = rig.journal.Reopen();  // heraldd restarted mid-request
    auto recovered = reopened->RecoverAfterCrash(now + kSecond);
    REQUIRE(recovered->size() == 1);
    Admission admission(rig.config);
    Dispatcher dispatcher(rig.config, rig.connectors, *reopened, rig.clock, admission);
    rig.connectors.OnFind(kAccount, [](const auto&) { return t::Found("remote-x"); });
    CHECK(dispatcher.Reconcile((*recovered)[0]).kind == Next::Kind::kNone);
    CHECK(reopened->Get(key)->state == JobState::kPublished);
    CHECK(rig.connectors.steps().empty());
  }
}

TEST_CASE("a job sent before its due time is looked for from its first attempt",
          "[dispatcher][reconcile]") {
  Rig rig;
  const int64_t now = rig.clock.NowMs();
  const int64_t due = now + 3'600'000;
  JobKey key = rig.Add("a", due);
  REQUIRE(rig.journal.Reschedule(key, now, now).ok());  // publish-now
  rig.connectors.Script(kAccount, {t::Unknown("connection reset after the request")});
  rig.connectors.OnFind(kAccount, [](const auto&) { return t::Found("remote-early"); });
  CHECK(rig.dispatcher.Process(key).kind == Next::Kind::kNone);
  REQUIRE(rig.connectors.finds().size() == 1);
  CHECK(rig.connectors.finds()[0].due_ms == now);  // not `due`: it left an hour early
  CHECK(rig.connectors.steps()[0].due_ms == due);  // a step still sees the calendar's time
  CHECK(rig.Job(key).state == JobState::kPublished);
}

TEST_CASE("a multi-step flow resumes from its checkpoint at the time it asked for",
          "[dispatcher]") {
  Rig rig;
  const int64_t now = rig.clock.NowMs();
  JobKey key = rig.Add("a", now);
  rig.connectors.Script(
      kAccount, {t::Continue(now + 5 * kSecond, "container=17"), t::Published("remote-17")});
  Next next = rig.dispatcher.Process(key);
  REQUIRE(next.kind == Next::Kind::kSchedule);
  CHECK(next.at_ms == now + 5 * kSecond);
  CHECK(rig.Job(key).checkpoint == std::optional<std::string>("container=17"));
  rig.clock.Set(next.at_ms);
  CHECK(rig.dispatcher.Process(key).kind == Next::Kind::kNone);
  auto steps = rig.connectors.steps();
  REQUIRE(steps.size() == 2);
  CHECK_FALSE(steps[0].checkpoint);
  CHECK(steps[1].checkpoint == std::optional<std::string>("container=17"));
  CHECK(rig.Job(key).state == JobState::kPublished);
}

TEST_CASE("find sees the checkpoint the lost step was sent from, and the flow goes on from it",
          "[dispatcher][reconcile]") {
  Rig rig;
  const int64_t now = rig.clock.NowMs();
  JobKey key = rig.Add("a", now);
  rig.connectors.Script(kAccount, {t::Continue(now, "v1:u=session&o=262144"),
                                   t::Unknown("no answer to the chunk"), t::Published("vid-1")});
  rig.connectors.OnFind(kAccount,
                        [](const auto&) { return t::NotFound("the session holds 524288 bytes"); });
  REQUIRE(rig.dispatcher.Process(key).kind == Next::Kind::kSchedule);
  Next next = rig.dispatcher.Process(key);
  REQUIRE(next.kind == Next::Kind::kSchedule);
  auto finds = rig.connectors.finds();
  REQUIRE(finds.size() == 1);
  CHECK(finds[0].checkpoint == std::optional<std::string>("v1:u=session&o=262144"));
  auto job = rig.Job(key);
  CHECK(job.state == JobState::kPending);
  CHECK(job.last_error == "not finished on the platform: the session holds 524288 bytes");
  CHECK(job.checkpoint == std::optional<std::string>("v1:u=session&o=262144"));
  rig.clock.Set(next.at_ms);
  CHECK(rig.dispatcher.Process(key).kind == Next::Kind::kNone);
  auto steps = rig.connectors.steps();
  REQUIRE(steps.size() == 3);
  CHECK(steps[2].checkpoint == std::optional<std::string>("v1:u=session&o=262144"));
  CHECK(rig.Job(key).remote_id == "vid-1");
}

TEST_CASE("what the journal keeps of a failure holds no secret", "[dispatcher]") {
  Rig rig;
  JobKey key = rig.Add("a", rig.clock.NowMs());
  rig.connectors.AddSecret(kAccount, "EAAB-secret-token");
  rig.connectors.Script(kAccount, {t::Failed("rejected access_token EAAB-secret-token")});
  CHECK(rig.dispatcher.Process(key).kind == Next::Kind::kNone);
  auto job = rig.Job(key);
  CHECK(job.state == JobState::kFailed);
  CHECK(job.last_error == "rejected access_token ***");
  CHECK(rig.journal.Attempts(key)->at(0).message == "rejected access_token ***");
}

TEST_CASE("a job cancelled or paused before it starts is not sent", "[dispatcher]") {
  Rig rig;
  const int64_t now = rig.clock.NowMs();
  JobKey cancelled = rig.Add("a", now);
  JobKey paused = rig.Add("b", now);
  REQUIRE(rig.journal.Cancel(cancelled, now, "wrong photo").ok());
  REQUIRE(rig.admission
              .Pause({PauseScope::Kind::kCampaign, "spring"}, PauseCause::kAdmin, "holiday", now)
              .ok());
  CHECK(rig.dispatcher.Process(cancelled).kind == Next::Kind::kNone);
  CHECK(rig.dispatcher.Process(paused).kind == Next::Kind::kPark);
  CHECK(rig.connectors.steps().empty());
  CHECK(rig.connectors.created(kAccount) == 0);
  // The parked job says what holds it, once, as it parks.
  auto waits = rig.Waits();
  REQUIRE(waits.size() == 1);
  CHECK(waits[0].key == paused);
  CHECK(waits[0].wait_reason == WaitReason::kPaused);
  CHECK(waits[0].message == "campaign spring is paused: holiday");
}

TEST_CASE("a journal that cannot record the outcome leaves the job running for recovery",
          "[dispatcher]") {
  Rig rig;
  JobKey key = rig.Add("a", rig.clock.NowMs());
  rig.connectors.Script(kAccount, {t::Published("remote-1")});
  rig.journal.set_fault([](std::string_view call, JobKey) -> std::optional<Error> {
    if (call == "FinishAttempt") return Error(ErrorCode::kIo, "journal: disk I/O error");
    return std::nullopt;
  });
  CHECK(rig.dispatcher.Process(key).kind == Next::Kind::kNone);
  rig.journal.set_fault(nullptr);
  CHECK(rig.Job(key).state == JobState::kRunning);  // a restart makes it unknown, then finds it
  CHECK(rig.connectors.steps().size() == 1);
}

TEST_CASE("connectors are made once per account and reused", "[dispatcher]") {
  Rig rig;
  const int64_t now = rig.clock.NowMs();
  JobKey a = rig.Add("a", now);
  JobKey b = rig.Add("b", now);
  rig.connectors.Script(kAccount, {t::Published("ra"), t::Published("rb")});
  CHECK(rig.dispatcher.Process(a).kind == Next::Kind::kNone);
  CHECK(rig.dispatcher.Process(b).kind == Next::Kind::kNone);
  CHECK(rig.connectors.created(kAccount) == 1);
}
