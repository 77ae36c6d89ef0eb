// Helpers for the journal's tests: a scratch folder, job records, attempt
// results, a job put into any state through legal transitions, and the two
// backends the contract suite runs against (SqliteBackend, MemoryBackend).
#pragma once

#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "journal/sqlite_journal.h"
#include "support/memory_journal.h"

namespace herald::journal::testing {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "herald-journal-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~TempDir() { fs::remove_all(path_); }
  fs::path db() const { return path_ / "herald.db"; }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

inline std::unique_ptr<Journal> Open(const fs::path& file) {
  auto journal = OpenSqliteJournal(file);
  INFO((journal.ok() ? std::string() : journal.error().message()));
  REQUIRE(journal.ok());
  return std::move(*journal);
}

// The writer-kept summary agrees with the database read the slow way.
inline void CheckSummaryMatches(Journal& journal) {
  JournalSummary summary = journal.Summary();
  auto counts = journal.CountByState();
  REQUIRE(counts.ok());
  for (int s = 0; s < kJobStateCount; ++s) {
    INFO("state " << ToString(static_cast<JobState>(s)));
    CHECK(summary.counts.by_state[s] == counts->by_state[s]);
  }
  auto next = journal.NextDue();
  REQUIRE(next.ok());
  CHECK(summary.next_due == *next);
}

inline JobRecord Record(const std::string& id, std::int64_t due_ms, const std::string& hash = "h1",
                        const std::string& calendar = "cal") {
  JobRecord r;
  r.id = id;
  r.calendar_id = calendar;
  r.post_id = "post-" + id;
  r.campaign_id = "spring";
  r.goal = "retention";
  r.account = "facebook/corner-cleaners";
  r.platform = "facebook";
  r.member_key = "m-" + id;
  r.due_ms = due_ms;
  r.content_hash = hash;
  r.payload_json = R"({"text":"hello )" + id + R"("})";
  r.late_grace_ms = 900000;
  return r;
}

inline JobKey KeyOf(Journal& journal, const std::string& id) {
  auto job = journal.GetById(id);
  REQUIRE(job.ok());
  return job->key;
}

inline JobState StateOf(Journal& journal, JobKey key) {
  auto job = journal.Get(key);
  REQUIRE(job.ok());
  return job->state;
}

inline AttemptResult Outcome(AttemptOutcome outcome, std::int64_t at = 0) {
  AttemptResult r;
  r.outcome = outcome;
  r.finished_ms = 5000;
  r.next_attempt_ms = at;
  if (outcome == AttemptOutcome::kPublished) {
    r.remote_id = "123_456";
    r.url = "https://facebook.example/123_456";
    r.http_status = 200;
  } else if (outcome == AttemptOutcome::kContinue) {
    r.checkpoint = std::string("step\0two", 8);
  } else {
    r.http_status = 503;
    r.platform_code = "2";
    r.message = "service unavailable";
  }
  return r;
}

// Puts job `id` (fresh, pending) into `state` through legal transitions.
inline JobKey MakeJobIn(Journal& journal, const std::string& id, JobState state) {
  auto diff = journal.ApplyGeneration({"cal-" + id}, {Record(id, 1000, "h", "cal-" + id)}, 1, 0);
  REQUIRE(diff.ok());
  JobKey key = KeyOf(journal, id);
  auto finish = [&](AttemptOutcome outcome) {
    REQUIRE(journal.BeginAttempt(key, 2000).ok());
    REQUIRE(journal.FinishAttempt(key, Outcome(outcome)).ok());
  };
  switch (state) {
    case JobState::kPending:
      break;
    case JobState::kRunning:
      REQUIRE(journal.BeginAttempt(key, 2000).ok());
      break;
    case JobState::kPublished:
      finish(AttemptOutcome::kPublished);
      break;
    case JobState::kFailed:
      finish(AttemptOutcome::kFailed);
      break;
    case JobState::kUnknown:
      finish(AttemptOutcome::kUnknown);
      break;
    case JobState::kCancelled:
      REQUIRE(journal.Cancel(key, 3000, "admin says no").ok());
      break;
  }
  REQUIRE(StateOf(journal, key) == state);
  return key;
}

inline const JobState kAllStates[] = {JobState::kPending,   JobState::kRunning,
                                      JobState::kPublished, JobState::kFailed,
                                      JobState::kCancelled, JobState::kUnknown};

// The journals the contract suite (journal_contract_test.cc) runs against.
// Each holds `journal`; Reopen() closes it and opens it again as a restarted
// daemon would (crash-recovery cases), which for SQLite is the same file.
struct SqliteBackend {
  static constexpr bool kGroupCommit = true;  // concurrent changes share commits
  TempDir dir;
  std::unique_ptr<Journal> journal = Open(dir.db());
  void Reopen() {
    journal.reset();
    journal = Open(dir.db());
  }
};

struct MemoryBackend {
  static constexpr bool kGroupCommit = false;  // one commit per change
  std::unique_ptr<Journal> journal = std::make_unique<herald::testing::MemoryJournal>();
  void Reopen() { journal = static_cast<herald::testing::MemoryJournal&>(*journal).Reopen(); }
};

}  // namespace herald::journal::testing
