// The journal's contract (daemon/journal/journal.h), run against both
// implementations: the SQLite journal heraldd uses and the in-memory one the
// unit tests of the modules above it use (tests/support/memory_journal.h).
// The state machine (every legal and illegal transition), attempts, reload
// diffs, crash recovery across a reopen, the summary, queries and pagination,
// the errors' codes and texts. What only SQLite has (schema migrations, group
// commit, a process killed mid-attempt, the state directory lock) is tested in
// journal_test.cc.
#include <catch2/catch.hpp>

#include <atomic>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "journal_test_util.h"
#include "support/memory_journal.h"

using namespace herald::journal;
using namespace herald::journal::testing;
using herald::ErrorCode;

TEMPLATE_TEST_CASE("every operation is legal from exactly its source states", "[journal][states]",
                   SqliteBackend, MemoryBackend) {
  TestType backend;
  auto& journal = backend.journal;
  struct Operation {
    std::string name;
    std::set<JobState> legal_from;
    JobState to;
    std::function<herald::Status(Journal&, JobKey)> run;
  };
  auto resolve = [](Resolution::Kind kind) {
    return [kind](Journal& j, JobKey key) {
      Resolution r;
      r.kind = kind;
      r.now_ms = 9000;
      r.next_attempt_ms = 10000;
      r.remote_id = "found-1";
      r.note = "checked by hand";
      return j.Resolve(key, r);
    };
  };
  auto finish = [](AttemptOutcome outcome) {
    return
        [outcome](Journal& j, JobKey key) { return j.FinishAttempt(key, Outcome(outcome, 7000)); };
  };
  std::vector<Operation> operations = {
      {"begin",
       {JobState::kPending},
       JobState::kRunning,
       [](Journal& j, JobKey key) {
         auto started = j.BeginAttempt(key, 4000);
         return started.ok() ? herald::Status::Ok() : herald::Status(started.error());
       }},
      {"finish published",
       {JobState::kRunning},
       JobState::kPublished,
       finish(AttemptOutcome::kPublished)},
      {"finish failed", {JobState::kRunning}, JobState::kFailed, finish(AttemptOutcome::kFailed)},
      {"finish retry", {JobState::kRunning}, JobState::kPending, finish(AttemptOutcome::kRetry)},
      {"finish continue",
       {JobState::kRunning},
       JobState::kPending,
       finish(AttemptOutcome::kContinue)},
      {"finish unknown",
       {JobState::kRunning},
       JobState::kUnknown,
       finish(AttemptOutcome::kUnknown)},
      {"cancel",
       {JobState::kPending},
       JobState::kCancelled,
       [](Journal& j, JobKey key) { return j.Cancel(key, 4000, "not needed"); }},
      {"retry",
       {JobState::kFailed, JobState::kCancelled},
       JobState::kPending,
       [](Journal& j, JobKey key) { return j.Retry(key, 8000, 4000); }},
      {"reschedule",
       {JobState::kPending},
       JobState::kPending,
       [](Journal& j, JobKey key) { return j.Reschedule(key, 500, 4000); }},
      {"resolve published",
       {JobState::kUnknown},
       JobState::kPublished,
       resolve(Resolution::Kind::kPublished)},
      {"resolve pending",
       {JobState::kUnknown},
       JobState::kPending,
       resolve(Resolution::Kind::kPending)},
      {"resolve failed",
       {JobState::kUnknown},
       JobState::kFailed,
       resolve(Resolution::Kind::kFailed)},
      {"resolve cancelled",
       {JobState::kUnknown},
       JobState::kCancelled,
       resolve(Resolution::Kind::kCancelled)},
      {"hand to an admin",
       {JobState::kUnknown},
       JobState::kUnknown,
       [](Journal& j, JobKey key) { return j.AwaitAdmin(key, 4000, "find could not tell"); }},
  };
  int n = 0;
  for (const Operation& op : operations) {
    for (JobState from : kAllStates) {
      const std::string id = "j" + std::to_string(n++);
      JobKey key = MakeJobIn(*journal, id, from);
      auto before = journal->Get(key);
      REQUIRE(before.ok());
      herald::Status status = op.run(*journal, key);
      INFO(op.name << " from " << ToString(from));
      if (op.legal_from.count(from)) {
        INFO((status.ok() ? std::string() : status.error().message()));
        CHECK(status.ok());
        CHECK(StateOf(*journal, key) == op.to);
      } else {
        REQUIRE_FALSE(status.ok());
        CHECK(status.error().code() == ErrorCode::kFailedPrecondition);
        auto after = journal->Get(key);
        REQUIRE(after.ok());
        CHECK(after->state == from);
        CHECK(after->updated_ms == before->updated_ms);
        CHECK(after->attempts == before->attempts);
      }
    }
  }
  CHECK(journal->BeginAttempt(999999, 1).error().code() == ErrorCode::kNotFound);
  CHECK(journal->Cancel(999999, 1, "x").error().code() == ErrorCode::kNotFound);
  CHECK(journal->FinishAttempt(KeyOf(*journal, "j0"), Outcome(AttemptOutcome::kInterrupted))
            .error()
            .code() == ErrorCode::kInvalidArgument);
}

TEMPLATE_TEST_CASE("attempts record what happened, and the job follows", "[journal][states]",
                   SqliteBackend, MemoryBackend) {
  TestType backend;
  auto& journal = backend.journal;
  REQUIRE(journal->ApplyGeneration({"cal"}, {Record("a", 1000)}, 1, 10).ok());
  JobKey key = KeyOf(*journal, "a");

  auto first = journal->BeginAttempt(key, 1001);
  REQUIRE(first.ok());
  CHECK(first->n == 1);
  CHECK(first->job.state == JobState::kRunning);
  CHECK(first->job.record.payload_json == R"({"text":"hello a"})");
  CHECK_FALSE(first->job.checkpoint);
  REQUIRE(journal->FinishAttempt(key, Outcome(AttemptOutcome::kContinue, 3000)).ok());
  auto job = journal->Get(key);
  REQUIRE(job.ok());
  CHECK(job->state == JobState::kPending);
  CHECK(job->next_attempt_ms == 3000);
  REQUIRE(job->checkpoint);
  CHECK(*job->checkpoint == std::string("step\0two", 8));

  auto second = journal->BeginAttempt(key, 3001);
  REQUIRE(second.ok());
  CHECK(second->n == 2);
  REQUIRE(second->job.checkpoint);  // the connector resumes from it
  CHECK(*second->job.checkpoint == std::string("step\0two", 8));
  REQUIRE(journal->FinishAttempt(key, Outcome(AttemptOutcome::kRetry, 6000)).ok());
  job = journal->Get(key);
  CHECK(job->next_attempt_ms == 6000);
  CHECK(job->last_error == "service unavailable");
  CHECK(job->checkpoint);  // a retry keeps the flow's checkpoint

  REQUIRE(journal->BeginAttempt(key, 6001).ok());
  REQUIRE(journal->FinishAttempt(key, Outcome(AttemptOutcome::kPublished)).ok());
  job = journal->Get(key);
  CHECK(job->state == JobState::kPublished);
  CHECK(job->remote_id == "123_456");
  CHECK(job->url == "https://facebook.example/123_456");
  CHECK(job->attempts == 3);
  CHECK_FALSE(job->checkpoint);

  auto attempts = journal->Attempts(key);
  REQUIRE(attempts.ok());
  REQUIRE(attempts->size() == 3);
  CHECK((*attempts)[0].n == 1);
  CHECK((*attempts)[0].started_ms == 1001);
  CHECK((*attempts)[0].outcome == AttemptOutcome::kContinue);
  CHECK((*attempts)[0].checkpoint == std::string("step\0two", 8));
  CHECK((*attempts)[1].outcome == AttemptOutcome::kRetry);
  CHECK((*attempts)[1].http_status == 503);
  CHECK((*attempts)[1].platform_code == "2");
  CHECK((*attempts)[1].message == "service unavailable");
  CHECK((*attempts)[2].outcome == AttemptOutcome::kPublished);
  CHECK((*attempts)[2].remote_id == "123_456");
  CHECK((*attempts)[2].finished_ms == 5000);
}

TEMPLATE_TEST_CASE("a reload adds, updates, cancels and leaves the rest alone", "[journal][reload]",
                   SqliteBackend, MemoryBackend) {
  TestType backend;
  auto& journal = backend.journal;
  std::vector<JobRecord> v1 = {Record("keep", 1000), Record("edit", 2000), Record("drop", 3000),
                               Record("pub", 4000),  Record("run", 5000),  Record("unk", 6000),
                               Record("flow", 7000), Record("fail", 8000)};
  auto first = journal->ApplyGeneration({"cal"}, v1, 1, 100);
  REQUIRE(first.ok());
  CHECK(first->added == 8);

  auto finish = [&](const std::string& id, AttemptOutcome outcome) {
    JobKey key = KeyOf(*journal, id);
    REQUIRE(journal->BeginAttempt(key, 200).ok());
    REQUIRE(journal->FinishAttempt(key, Outcome(outcome, 9000)).ok());
  };
  finish("pub", AttemptOutcome::kPublished);
  finish("unk", AttemptOutcome::kUnknown);
  finish("flow", AttemptOutcome::kContinue);
  finish("fail", AttemptOutcome::kFailed);
  REQUIRE(journal->BeginAttempt(KeyOf(*journal, "run"), 200).ok());

  SECTION("an unchanged set writes nothing") {
    const auto before = journal->Stats();
    auto again = journal->ApplyGeneration({"cal"}, v1, 2, 300);
    REQUIRE(again.ok());
    CHECK(*again == ReloadDiff{0, 0, 0, 8, 0, 0});
    CHECK(journal->Stats().rows_written == before.rows_written);
    CHECK(journal->GetById("keep")->generation == 1);
    CHECK(journal->GetById("keep")->updated_ms == 100);
  }

  SECTION("changed and removed jobs") {
    std::vector<JobRecord> v2;
    for (const JobRecord& r : v1) {
      if (r.id == "drop") continue;
      JobRecord changed = r;
      if (r.id != "keep") {
        changed.content_hash = "h2";
        changed.payload_json = R"({"text":"edited"})";
        changed.due_ms = r.due_ms + 1;
      }
      v2.push_back(changed);
    }
    v2.push_back(Record("new", 10000));
    auto diff = journal->ApplyGeneration({"cal"}, v2, 2, 300);
    REQUIRE(diff.ok());
    // kept: pub, run, unk, flow (mid-flow), fail
    CHECK(*diff == ReloadDiff{1, 1, 1, 1, 0, 5});

    auto edit = journal->GetById("edit");
    CHECK(edit->state == JobState::kPending);
    CHECK(edit->record.payload_json == R"({"text":"edited"})");
    CHECK(edit->record.content_hash == "h2");
    CHECK(edit->record.due_ms == 2001);
    CHECK(edit->next_attempt_ms == 2001);
    CHECK(edit->generation == 2);
    CHECK(journal->GetById("drop")->state == JobState::kCancelled);
    CHECK(journal->GetById("new")->state == JobState::kPending);
    CHECK(journal->GetById("pub")->record.content_hash == "h1");
    CHECK(journal->GetById("pub")->state == JobState::kPublished);
    CHECK(journal->GetById("run")->state == JobState::kRunning);
    CHECK(journal->GetById("unk")->state == JobState::kUnknown);
    CHECK(journal->GetById("flow")->record.content_hash == "h1");
    CHECK(journal->GetById("fail")->state == JobState::kFailed);

    SECTION("a job the reload removed comes back when present again") {
      auto back = journal->ApplyGeneration({"cal"}, v1, 3, 400);
      REQUIRE(back.ok());
      CHECK(back->restored == 1);
      auto drop = journal->GetById("drop");
      CHECK(drop->state == JobState::kPending);
      CHECK(drop->next_attempt_ms == 3000);
      CHECK(journal->GetById("new")->state == JobState::kCancelled);
    }
  }

  SECTION("a job an admin cancelled stays cancelled") {
    REQUIRE(journal->Cancel(KeyOf(*journal, "keep"), 300, "not this one").ok());
    auto diff = journal->ApplyGeneration({"cal"}, v1, 2, 400);
    REQUIRE(diff.ok());
    CHECK(diff->restored == 0);
    CHECK(journal->GetById("keep")->state == JobState::kCancelled);
  }

  SECTION("removing everything cancels only pending jobs") {
    auto diff = journal->ApplyGeneration({"cal"}, {}, 2, 300);
    REQUIRE(diff.ok());
    CHECK(diff->cancelled == 4);  // keep, edit, drop and flow (pending mid-flow)
    CHECK(journal->GetById("flow")->state == JobState::kCancelled);
    CHECK(diff->kept == 2);  // run, unk
  }

  SECTION("other calendars are not touched") {
    auto diff = journal->ApplyGeneration({"other"}, {Record("x", 1, "h", "other")}, 2, 300);
    REQUIRE(diff.ok());
    CHECK(*diff == ReloadDiff{1, 0, 0, 0, 0, 0});
    CHECK(journal->GetById("keep")->state == JobState::kPending);
  }
}

TEMPLATE_TEST_CASE("a reload with bad input changes nothing", "[journal][reload]", SqliteBackend,
                   MemoryBackend) {
  TestType backend;
  auto& journal = backend.journal;
  auto foreign = journal->ApplyGeneration({"cal"}, {Record("a", 1, "h", "elsewhere")}, 1, 0);
  REQUIRE_FALSE(foreign.ok());
  CHECK(foreign.error().code() == ErrorCode::kInvalidArgument);
  auto twice = journal->ApplyGeneration({"cal"}, {Record("a", 1), Record("a", 2)}, 1, 0);
  REQUIRE_FALSE(twice.ok());
  CHECK(twice.error().code() == ErrorCode::kInvalidArgument);
  REQUIRE(journal->ApplyGeneration({"one"}, {Record("dup", 1, "h", "one")}, 1, 0).ok());
  // The same id under another calendar violates uniqueness: the whole reload rolls back.
  auto clash = journal->ApplyGeneration(
      {"two"}, {Record("fresh", 1, "h", "two"), Record("dup", 1, "h", "two")}, 2, 0);
  REQUIRE_FALSE(clash.ok());
  CHECK_FALSE(journal->GetById("fresh").ok());
  CHECK(journal->CountByState()->by_state[0] == 1);
}

TEMPLATE_TEST_CASE("the scheduler's view: pending jobs ordered by next attempt", "[journal]",
                   SqliteBackend, MemoryBackend) {
  TestType backend;
  auto& journal = backend.journal;
  CHECK_FALSE(*journal->NextDue());
  CHECK(journal->LoadPending()->empty());
  REQUIRE(journal
              ->ApplyGeneration({"cal"}, {Record("c", 3000), Record("a", 1000), Record("b", 2000)},
                                1, 0)
              .ok());
  JobKey a = KeyOf(*journal, "a");
  JobKey b = KeyOf(*journal, "b");
  JobKey c = KeyOf(*journal, "c");
  CHECK(*journal->LoadPending() == std::vector<PendingEntry>{{a, 1000}, {b, 2000}, {c, 3000}});
  CHECK(**journal->NextDue() == PendingEntry{a, 1000});
  REQUIRE(journal->BeginAttempt(a, 1000).ok());
  CHECK(*journal->LoadPending() == std::vector<PendingEntry>{{b, 2000}, {c, 3000}});
  REQUIRE(journal->FinishAttempt(a, Outcome(AttemptOutcome::kRetry, 2500)).ok());
  CHECK(*journal->LoadPending() == std::vector<PendingEntry>{{b, 2000}, {a, 2500}, {c, 3000}});
  CheckSummaryMatches(*journal);
}

TEMPLATE_TEST_CASE("the summary follows every transition, as each call returns", "[journal]",
                   SqliteBackend, MemoryBackend) {
  TestType backend;
  auto& journal = backend.journal;
  CHECK(journal->Summary().counts[JobState::kPending] == 0);
  CHECK_FALSE(journal->Summary().next_due);
  REQUIRE(journal
              ->ApplyGeneration(
                  {"cal"},
                  {Record("a", 1000), Record("b", 2000), Record("c", 3000), Record("d", 4000)}, 1,
                  0)
              .ok());
  const std::uint64_t v1 = journal->Summary().version;
  CHECK(journal->Summary().counts[JobState::kPending] == 4);
  CHECK(journal->Summary().next_due == PendingEntry{KeyOf(*journal, "a"), 1000});
  JobKey a = KeyOf(*journal, "a");
  JobKey b = KeyOf(*journal, "b");
  JobKey c = KeyOf(*journal, "c");
  REQUIRE(journal->BeginAttempt(a, 1000).ok());
  CHECK(journal->Summary().counts[JobState::kRunning] == 1);
  CHECK(journal->Summary().next_due == PendingEntry{b, 2000});
  CHECK(journal->Summary().version > v1);
  CheckSummaryMatches(*journal);
  REQUIRE(journal->FinishAttempt(a, Outcome(AttemptOutcome::kPublished)).ok());
  REQUIRE(journal->Cancel(b, 5, "no").ok());
  REQUIRE(journal->BeginAttempt(c, 3000).ok());
  REQUIRE(journal->FinishAttempt(c, Outcome(AttemptOutcome::kFailed)).ok());
  CheckSummaryMatches(*journal);
  CHECK(journal->Summary().counts[JobState::kPublished] == 1);
  CHECK(journal->Summary().counts[JobState::kCancelled] == 1);
  CHECK(journal->Summary().counts[JobState::kFailed] == 1);
  REQUIRE(journal->Retry(c, 100, 6).ok());
  CHECK(journal->Summary().next_due == PendingEntry{c, 100});
  // A reload that drops "d" cancels it; one that restores it brings it back.
  REQUIRE(journal->ApplyGeneration({"cal"}, {Record("a", 1000), Record("c", 3000)}, 2, 7).ok());
  CHECK(journal->Summary().counts[JobState::kCancelled] == 2);
  CheckSummaryMatches(*journal);
  REQUIRE(journal
              ->ApplyGeneration({"cal"}, {Record("a", 1000), Record("c", 3000), Record("d", 4000)},
                                3, 8)
              .ok());
  CheckSummaryMatches(*journal);
  // An illegal change writes nothing and leaves the figures as they were.
  const JournalSummary before = journal->Summary();
  CHECK_FALSE(journal->Cancel(a, 9, "published already").ok());
  CHECK(journal->Summary().version == before.version);
  // A crash while running: reopened, the figures are read from the file.
  REQUIRE(journal->BeginAttempt(KeyOf(*journal, "d"), 4000).ok());
  backend.Reopen();
  CHECK(journal->Summary().counts[JobState::kRunning] == 1);
  REQUIRE(journal->RecoverAfterCrash(10).ok());
  CHECK(journal->Summary().counts[JobState::kUnknown] == 1);
  CHECK(journal->Summary().counts[JobState::kRunning] == 0);
  CheckSummaryMatches(*journal);
  Resolution found;
  found.kind = Resolution::Kind::kPublished;
  found.now_ms = 11;
  found.remote_id = "r1";
  REQUIRE(journal->Resolve(KeyOf(*journal, "d"), found).ok());
  CHECK(journal->Summary().counts[JobState::kUnknown] == 0);
  CheckSummaryMatches(*journal);
  // Every attempt outcome moves the counts it should.
  for (AttemptOutcome outcome : {AttemptOutcome::kContinue, AttemptOutcome::kUnknown}) {
    if (journal->Get(b)->state != JobState::kPending) REQUIRE(journal->Retry(b, 100, 12).ok());
    REQUIRE(journal->BeginAttempt(b, 13).ok());
    REQUIRE(journal->FinishAttempt(b, Outcome(outcome, 200)).ok());
    CheckSummaryMatches(*journal);
  }
  // A reschedule moves no job between states.
  const std::uint64_t before_reschedule = journal->Summary().version;
  REQUIRE(journal->Reschedule(c, 300, 14).ok());
  CHECK(journal->Summary().version > before_reschedule);
  CheckSummaryMatches(*journal);
}

TEMPLATE_TEST_CASE("reschedule moves a pending job's next attempt and keeps its history",
                   "[journal]", SqliteBackend, MemoryBackend) {
  TestType backend;
  auto& journal = backend.journal;
  REQUIRE(journal->ApplyGeneration({"cal"}, {Record("a", 1000), Record("b", 5000)}, 1, 0).ok());
  JobKey a = KeyOf(*journal, "a");
  JobKey b = KeyOf(*journal, "b");
  REQUIRE(journal->BeginAttempt(b, 100).ok());
  REQUIRE(journal->FinishAttempt(b, Outcome(AttemptOutcome::kRetry, 6000)).ok());

  REQUIRE(journal->Reschedule(b, 200, 300).ok());
  auto job = journal->Get(b);
  REQUIRE(job.ok());
  CHECK(job->state == JobState::kPending);
  CHECK(job->next_attempt_ms == 200);
  CHECK(job->updated_ms == 300);
  CHECK(job->attempts == 1);
  CHECK(journal->Attempts(b)->size() == 1);
  CHECK(*journal->LoadPending() == std::vector<PendingEntry>{{b, 200}, {a, 1000}});
  CHECK(**journal->NextDue() == PendingEntry{b, 200});
  CHECK(journal->Reschedule(999999, 1, 1).error().code() == ErrorCode::kNotFound);
}

TEMPLATE_TEST_CASE("after a crash, running jobs become unknown and nothing is lost",
                   "[journal][recovery]", SqliteBackend, MemoryBackend) {
  TestType backend;
  auto& journal = backend.journal;
  JobKey running;
  JobKey pending;
  JobKey published;
  {
    REQUIRE(journal
                ->ApplyGeneration({"cal"}, {Record("r", 1000), Record("p", 2000), Record("d", 500)},
                                  1, 0)
                .ok());
    running = KeyOf(*journal, "r");
    pending = KeyOf(*journal, "p");
    published = KeyOf(*journal, "d");
    REQUIRE(journal->BeginAttempt(published, 600).ok());
    REQUIRE(journal->FinishAttempt(published, Outcome(AttemptOutcome::kPublished)).ok());
    REQUIRE(journal->BeginAttempt(running, 1000).ok());
    // The daemon dies here: the journal is closed with the attempt in flight.
  }
  backend.Reopen();
  CHECK(StateOf(*journal, running) == JobState::kRunning);
  auto recovered = journal->RecoverAfterCrash(7000);
  REQUIRE(recovered.ok());
  REQUIRE(recovered->size() == 1);
  CHECK((*recovered)[0].key == running);
  CHECK((*recovered)[0].state == JobState::kUnknown);
  CHECK((*recovered)[0].record.payload_json == R"({"text":"hello r"})");
  auto attempts = journal->Attempts(running);
  REQUIRE(attempts->size() == 1);
  CHECK((*attempts)[0].outcome == AttemptOutcome::kInterrupted);
  CHECK((*attempts)[0].finished_ms == 7000);
  CHECK(StateOf(*journal, pending) == JobState::kPending);
  CHECK(StateOf(*journal, published) == JobState::kPublished);
  CHECK(*journal->LoadPending() == std::vector<PendingEntry>{{pending, 2000}});
  // An unknown job is never re-run by itself; a second recovery hands it out
  // again for reconciliation, and records no second interruption.
  auto again = journal->RecoverAfterCrash(8000);
  REQUIRE(again->size() == 1);
  CHECK((*again)[0].key == running);
  CHECK(journal->Attempts(running)->size() == 1);
  CHECK(journal->BeginAttempt(running, 8000).error().code() == ErrorCode::kFailedPrecondition);
}

TEMPLATE_TEST_CASE("every start reconciles every unknown job not handed to an admin",
                   "[journal][recovery]", SqliteBackend, MemoryBackend) {
  TestType backend;
  auto& journal = backend.journal;
  REQUIRE(journal
              ->ApplyGeneration({"cal"}, {Record("a", 1000), Record("b", 2000), Record("c", 3000)},
                                1, 0)
              .ok());
  JobKey a = KeyOf(*journal, "a");
  JobKey b = KeyOf(*journal, "b");
  JobKey c = KeyOf(*journal, "c");
  for (JobKey key : {a, b}) REQUIRE(journal->BeginAttempt(key, 1000).ok());
  backend.Reopen();
  // The start that turns them unknown is killed before it reconciles them.
  REQUIRE(journal->RecoverAfterCrash(5000)->size() == 2);
  backend.Reopen();
  REQUIRE(journal->BeginAttempt(c, 6000).ok());
  // The next start finds them again, the older ones first, and the new one.
  auto second = journal->RecoverAfterCrash(7000);
  REQUIRE(second.ok());
  REQUIRE(second->size() == 3);
  CHECK((*second)[0].key == a);
  CHECK((*second)[1].key == b);
  CHECK((*second)[2].key == c);
  for (const Job& job : *second) {
    CHECK(job.state == JobState::kUnknown);
    CHECK_FALSE(job.awaiting_admin);
  }
  // One that find could not settle is an admin's: start-up leaves it alone.
  REQUIRE(journal->AwaitAdmin(a, 8000, "find could not tell: the platform is down").ok());
  CHECK(journal->Get(a)->awaiting_admin);
  CHECK(journal->Get(a)->last_error == "find could not tell: the platform is down");
  CHECK(journal->Get(a)->updated_ms == 8000);
  backend.Reopen();
  CHECK(journal->Get(a)->awaiting_admin);
  auto third = journal->RecoverAfterCrash(9000);
  REQUIRE(third.ok());
  REQUIRE(third->size() == 2);
  CHECK((*third)[0].key == b);
  // The admin's resolve clears the mark.
  Resolution r;
  r.kind = Resolution::Kind::kPending;
  r.now_ms = 9500;
  r.next_attempt_ms = 9500;
  REQUIRE(journal->Resolve(a, r).ok());
  CHECK_FALSE(journal->Get(a)->awaiting_admin);
  CHECK(journal->AwaitAdmin(999999, 1, "x").error().code() == ErrorCode::kNotFound);
}

TEMPLATE_TEST_CASE("concurrent writers all land, each change visible as its call returns",
                   "[journal][group]", SqliteBackend, MemoryBackend) {
  TestType backend;
  auto& journal = backend.journal;
  constexpr int kThreads = 8;
  constexpr int kPerThread = 40;
  std::vector<JobRecord> records;
  for (int i = 0; i < kThreads * kPerThread; ++i) records.push_back(Record(std::to_string(i), i));
  REQUIRE(journal->ApplyGeneration({"cal"}, records, 1, 0).ok());
  std::vector<JobKey> keys;
  auto pending = journal->LoadPending();
  REQUIRE(pending.ok());
  for (const auto& entry : *pending) keys.push_back(entry.key);
  REQUIRE(keys.size() == records.size());

  const auto before = journal->Stats();
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        JobKey key = keys[static_cast<size_t>(t * kPerThread + i)];
        if (!journal->BeginAttempt(key, 10).ok()) ++failures;
        // Every change is visible once the call returns.
        auto job = journal->Get(key);
        if (!job.ok() || job->state != JobState::kRunning) ++failures;
        if (!journal->FinishAttempt(key, Outcome(AttemptOutcome::kPublished)).ok()) ++failures;
        // A concurrent illegal change fails alone, without undoing its batch.
        if (journal->Cancel(key, 11, "late").ok()) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(failures == 0);
  auto counts = journal->CountByState();
  REQUIRE(counts.ok());
  CHECK((*counts)[JobState::kPublished] == kThreads * kPerThread);
  CHECK((*counts)[JobState::kPending] == 0);
  CheckSummaryMatches(*journal);
  const auto after = journal->Stats();
  CHECK(after.changes - before.changes == 3u * kThreads * kPerThread);
  if constexpr (TestType::kGroupCommit) {
    // Eight threads writing at once: some of their changes shared a commit.
    CHECK(after.commits - before.commits < after.changes - before.changes);
  } else {
    CHECK(after.commits - before.commits == after.changes - before.changes);
  }
  for (JobKey key : keys) {
    auto attempts = journal->Attempts(key);
    REQUIRE(attempts->size() == 1);
    CHECK((*attempts)[0].outcome == AttemptOutcome::kPublished);
  }
}

TEMPLATE_TEST_CASE("queries filter and paginate with a cursor", "[journal][query]", SqliteBackend,
                   MemoryBackend) {
  TestType backend;
  auto& journal = backend.journal;
  std::vector<JobRecord> records;
  for (int i = 0; i < 25; ++i) {
    JobRecord r = Record("q" + std::to_string(i), 1000 + (i / 2) * 10);  // pairs share a due time
    r.campaign_id = i % 2 ? "odd" : "even";
    r.account = i % 3 ? "facebook/a" : "youtube/b";
    records.push_back(r);
  }
  REQUIRE(journal->ApplyGeneration({"cal"}, records, 1, 0).ok());
  REQUIRE(journal->Cancel(KeyOf(*journal, "q0"), 1, "x").ok());

  std::vector<std::string> seen;
  JobQuery query;
  query.limit = 4;
  int pages = 0;
  for (;;) {
    auto page = journal->List(query);
    REQUIRE(page.ok());
    ++pages;
    for (const Job& job : page->jobs) {
      seen.push_back(job.record.id);
      CHECK(job.record.payload_json.empty());
    }
    if (page->next_cursor.empty()) break;
    query.cursor = page->next_cursor;
    REQUIRE(pages < 20);
  }
  CHECK(pages == 7);
  REQUIRE(seen.size() == 25);
  for (int i = 0; i < 25; ++i) CHECK(seen[static_cast<size_t>(i)] == "q" + std::to_string(i));

  JobQuery filtered;
  filtered.campaign_id = "odd";
  filtered.account = "facebook/a";
  filtered.due_from_ms = 1020;
  filtered.due_to_ms = 1100;
  auto page = journal->List(filtered);
  REQUIRE(page.ok());
  std::vector<std::string> ids;
  for (const Job& job : page->jobs) ids.push_back(job.record.id);
  CHECK(ids == std::vector<std::string>{"q5", "q7", "q11", "q13", "q17", "q19"});

  JobQuery cancelled;
  cancelled.states = {JobState::kCancelled};
  REQUIRE(journal->List(cancelled)->jobs.size() == 1);
  JobQuery either;
  either.states = {JobState::kCancelled, JobState::kPending};
  CHECK(journal->List(either)->jobs.size() == 25);

  JobQuery bad;
  bad.cursor = "12:x";
  CHECK(journal->List(bad).error().code() == ErrorCode::kInvalidArgument);

  auto counts = journal->CountByState();
  CHECK((*counts)[JobState::kPending] == 24);
  CHECK((*counts)[JobState::kCancelled] == 1);
}

TEMPLATE_TEST_CASE("the calendar files in force survive a reopen and are replaced whole",
                   "[journal]", SqliteBackend, MemoryBackend) {
  TestType backend;
  auto& journal = backend.journal;
  CHECK(journal->CalendarFiles()->empty());
  REQUIRE(journal->SetCalendarFiles({{"/c/a.yaml", "shop"}, {"/c/b.yaml", "news"}}).ok());
  backend.Reopen();
  CHECK(*journal->CalendarFiles() ==
        std::map<std::string, std::string>{{"/c/a.yaml", "shop"}, {"/c/b.yaml", "news"}});
  REQUIRE(journal->SetCalendarFiles({{"/c/b.yaml", "news-2"}}).ok());
  CHECK(*journal->CalendarFiles() == std::map<std::string, std::string>{{"/c/b.yaml", "news-2"}});
  REQUIRE(journal->SetCalendarFiles({}).ok());
  CHECK(journal->CalendarFiles()->empty());
}

TEMPLATE_TEST_CASE("pauses survive a reopen, replaced by scope and forgotten when dropped",
                   "[journal][pause]", SqliteBackend, MemoryBackend) {
  using herald::journal::PauseRecord;
  TestType backend;
  auto& journal = backend.journal;
  CHECK(journal->Pauses()->empty());
  const PauseRecord spring{"campaign", "spring", "admin", "holiday", 10};
  const PauseRecord cafe{"account", "instagram/cafe", "auth_expired", "token revoked", 20};
  const PauseRecord all{"all", "", "admin", "maintenance", 30};
  REQUIRE(journal->SavePause(spring).ok());
  REQUIRE(journal->SavePause(cafe).ok());
  REQUIRE(journal->SavePause(all).ok());
  backend.Reopen();
  CHECK(*journal->Pauses() == std::vector<PauseRecord>{cafe, all, spring});
  const PauseRecord cafe_by_hand{"account", "instagram/cafe", "admin", "by hand", 40};
  REQUIRE(journal->SavePause(cafe_by_hand).ok());
  REQUIRE(journal->DropPause("all", "").ok());
  REQUIRE(journal->DropPause("platform", "never-paused").ok());
  backend.Reopen();
  CHECK(*journal->Pauses() == std::vector<PauseRecord>{cafe_by_hand, spring});
}

TEMPLATE_TEST_CASE("calendar loads are kept, newest first", "[journal]", SqliteBackend,
                   MemoryBackend) {
  TestType backend;
  auto& journal = backend.journal;
  REQUIRE(journal->RecordCalendarLoad({1, 100, "ok"}).ok());
  REQUIRE(journal->RecordCalendarLoad({2, 200, "cal.yaml:3:1: error: bad"}).ok());
  auto loads = journal->CalendarLoads(10);
  REQUIRE(loads.ok());
  REQUIRE(loads->size() == 2);
  CHECK((*loads)[0].generation == 2);
  CHECK((*loads)[0].result == "cal.yaml:3:1: error: bad");
  CHECK((*loads)[1].time_ms == 100);
}

TEMPLATE_TEST_CASE("errors name the job and the rule, with the same codes and texts",
                   "[journal][errors]", SqliteBackend, MemoryBackend) {
  TestType backend;
  auto& journal = backend.journal;
  JobKey published = MakeJobIn(*journal, "done", JobState::kPublished);
  auto cancel = journal->Cancel(published, 1, "too late");
  REQUIRE_FALSE(cancel.ok());
  CHECK(cancel.error().message() ==
        "journal: job " + std::to_string(published) + " is published; cannot cancel it");
  auto resolve = journal->Resolve(published, Resolution{});
  REQUIRE_FALSE(resolve.ok());
  CHECK(resolve.error().message() ==
        "journal: job " + std::to_string(published) +
            " is published; cannot resolve it (only unknown jobs are resolved)");
  CHECK(journal->Retry(424242, 1, 1).error().message() == "journal: no job with key 424242");
  CHECK(journal->Get(424242).error().message() == "journal: no job 424242");
  CHECK(journal->Get(424242).error().code() == ErrorCode::kNotFound);
  CHECK(journal->GetById("nope").error().message() == "no job with id nope");
  CHECK(journal->Attempts(424242)->empty());
  auto nameless = journal->ApplyGeneration({"cal"}, {Record("", 1)}, 1, 0);
  REQUIRE_FALSE(nameless.ok());
  CHECK(nameless.error().message() == "journal: a job has no id");
}

TEMPLATE_TEST_CASE("a continue with an empty checkpoint keeps an empty checkpoint",
                   "[journal][states]", SqliteBackend, MemoryBackend) {
  TestType backend;
  auto& journal = backend.journal;
  REQUIRE(journal->ApplyGeneration({"cal"}, {Record("e", 1000)}, 1, 0).ok());
  JobKey key = KeyOf(*journal, "e");
  REQUIRE(journal->BeginAttempt(key, 1000).ok());
  AttemptResult next = Outcome(AttemptOutcome::kContinue, 2000);
  next.checkpoint.clear();
  REQUIRE(journal->FinishAttempt(key, next).ok());
  auto job = journal->Get(key);
  REQUIRE(job.ok());
  REQUIRE(job->checkpoint);
  CHECK(job->checkpoint->empty());
  // A mid-flow job (it has a checkpoint) is kept by an edit of its post.
  JobRecord edited = Record("e", 1000, "h2");
  auto diff = journal->ApplyGeneration({"cal"}, {edited}, 2, 0);
  REQUIRE(diff.ok());
  CHECK(diff->kept == 1);
}

// What only the in-memory journal has: Reopen keeps everything a restart
// would find; a fault fails the call it names and changes nothing.
TEST_CASE("the in-memory journal reopens and fails on request", "[journal][memory]") {
  herald::testing::MemoryJournal journal;
  REQUIRE(journal.ApplyGeneration({"cal"}, {Record("a", 1000), Record("b", 2000)}, 1, 0).ok());
  JobKey a = KeyOf(journal, "a");
  REQUIRE(journal.BeginAttempt(a, 1000).ok());
  journal.set_fault([a](std::string_view call, JobKey key) -> std::optional<herald::Error> {
    if (call == "FinishAttempt" && key == a) return herald::Error(ErrorCode::kIo, "disk full");
    return std::nullopt;
  });
  const auto version = journal.Summary().version;
  auto finished = journal.FinishAttempt(a, Outcome(AttemptOutcome::kPublished));
  REQUIRE_FALSE(finished.ok());
  CHECK(finished.error().code() == ErrorCode::kIo);
  CHECK(StateOf(journal, a) == JobState::kRunning);
  CHECK(journal.Summary().version == version);
  CHECK(journal.Cancel(KeyOf(journal, "b"), 5, "other calls still work").ok());
  journal.set_fault(nullptr);

  auto reopened = journal.Reopen();
  CHECK(StateOf(*reopened, a) == JobState::kRunning);
  CHECK(StateOf(*reopened, KeyOf(*reopened, "b")) == JobState::kCancelled);
  CHECK(reopened->Stats().commits == 0);
  auto recovered = reopened->RecoverAfterCrash(3000);
  REQUIRE(recovered.ok());
  REQUIRE(recovered->size() == 1);
  CHECK(StateOf(journal, a) == JobState::kRunning);  // the original is untouched
}

TEMPLATE_TEST_CASE("an edit keeps a retry's later time; a retried job is the reload's again",
                   "[journal][reload]", SqliteBackend, MemoryBackend) {
  TestType backend;
  auto& journal = backend.journal;
  REQUIRE(journal->ApplyGeneration({"cal"}, {Record("r", 1000), Record("c", 2000)}, 1, 0).ok());
  JobKey r = KeyOf(*journal, "r");
  REQUIRE(journal->BeginAttempt(r, 1000).ok());
  REQUIRE(journal->FinishAttempt(r, Outcome(AttemptOutcome::kRetry, 9000)).ok());
  JobKey c = KeyOf(*journal, "c");
  REQUIRE(journal->Cancel(c, 1100, "admin").ok());
  REQUIRE(journal->Retry(c, 2500, 1200).ok());

  auto diff = journal->ApplyGeneration({"cal"}, {Record("r", 1500, "h2")}, 2, 1300);
  REQUIRE(diff.ok());
  CHECK(*diff == ReloadDiff{0, 1, 1, 0, 0, 0});
  auto edited = journal->Get(r);
  CHECK(edited->next_attempt_ms == 9000);  // not before the platform's retry time
  CHECK(edited->record.due_ms == 1500);
  CHECK(edited->attempts == 1);
  CHECK(edited->last_error == "service unavailable");
  // The reload cancelled "c" (the retry made it an ordinary pending job), so
  // the next reload that has it again restores it.
  CHECK(StateOf(*journal, c) == JobState::kCancelled);
  CHECK(journal->Get(c)->last_error == "removed from its calendar");
  auto back =
      journal->ApplyGeneration({"cal"}, {Record("r", 1500, "h2"), Record("c", 2000)}, 3, 1400);
  REQUIRE(back.ok());
  CHECK(back->restored == 1);
  CHECK(journal->Get(c)->next_attempt_ms == 2000);
}
