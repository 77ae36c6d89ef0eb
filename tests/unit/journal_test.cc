// Tests of what only the SQLite journal has: a process killed mid-attempt,
// schema migrations, group commit (concurrent changes share commits) and the
// state directory lock. Its behaviour as a Journal is in
// journal_contract_test.cc, which runs against both implementations.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "journal/sqlite_journal.h"
#include "journal/sqlite_schema.h"
#include "journal/state_dir_lock.h"
#include "journal_test_util.h"

using namespace herald::journal;
using namespace herald::journal::testing;
using herald::ErrorCode;

TEST_CASE("a process killed mid-attempt leaves a job to reconcile", "[journal][recovery]") {
  TempDir dir;
  {
    auto journal = Open(dir.db());
    REQUIRE(journal->ApplyGeneration({"cal"}, {Record("k", 1000)}, 1, 0).ok());
  }
  pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // The child plays heraldd: the attempt is journaled, then SIGKILL before
    // the request's answer (no destructor, no clean close).
    auto journal = OpenSqliteJournal(dir.db());
    if (!journal.ok()) ::_exit(2);
    auto key = (*journal)->GetById("k");
    if (!key.ok() || !(*journal)->BeginAttempt(key->key, 1500).ok()) ::_exit(3);
    ::raise(SIGKILL);
    ::_exit(4);
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGKILL);
  auto journal = Open(dir.db());
  auto recovered = journal->RecoverAfterCrash(2000);
  REQUIRE(recovered.ok());
  REQUIRE(recovered->size() == 1);
  CHECK((*recovered)[0].record.id == "k");
  CHECK((*recovered)[0].attempts == 1);
  CHECK((*recovered)[0].state == JobState::kUnknown);
}

TEST_CASE("schema: created from empty and migrated from version 1", "[journal][schema]") {
  TempDir dir;
  SECTION("empty file") {
    auto journal = Open(dir.db());
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(dir.db().c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
    CHECK(sqlite3_column_int(stmt, 0) == kJournalSchemaVersion);
    sqlite3_finalize(stmt);
    REQUIRE(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
    CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0))) == "wal");
    sqlite3_finalize(stmt);
    sqlite3_close(db);
  }
  SECTION("version 1 with data") {
    REQUIRE(MigrateJournalFile(dir.db(), 1).ok());
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(dir.db().c_str(), &db) == SQLITE_OK);
    const char* insert =
        "INSERT INTO jobs (id, calendar_id, post_id, account, platform, due_ms, next_attempt_ms, "
        "state, content_hash, payload_json, generation, created_ms, updated_ms) VALUES "
        "('old', 'cal', 'p', 'facebook/x', 'facebook', 1000, 1000, 'pending', 'h1', '{}', 1, 1, 1),"
        "('gone', 'cal', 'p', 'facebook/x', 'facebook', 2000, 2000, 'cancelled', 'h1', '{}', 1, 1, "
        "1)";
    REQUIRE(sqlite3_exec(db, insert, nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);

    auto journal = Open(dir.db());
    auto old = journal->GetById("old");
    REQUIRE(old.ok());
    CHECK(old->state == JobState::kPending);
    CHECK(*journal->LoadPending() == std::vector<PendingEntry>{{old->key, 1000}});
    // A job cancelled before version 2 was not cancelled by a reload: it stays.
    JobRecord gone = Record("gone", 2000);
    gone.content_hash = "h1";
    auto diff = journal->ApplyGeneration({"cal"}, {Record("old", 1000), gone}, 2, 5);
    REQUIRE(diff.ok());
    CHECK(diff->restored == 0);
    // Version 3 counted the jobs already there.
    CHECK(journal->Summary().counts[JobState::kPending] == 1);
    CHECK(journal->Summary().counts[JobState::kCancelled] == 1);
    CheckSummaryMatches(*journal);
  }
  SECTION("a newer schema is refused") {
    REQUIRE(MigrateJournalFile(dir.db(), kJournalSchemaVersion).ok());
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(dir.db().c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
    auto journal = OpenSqliteJournal(dir.db());
    REQUIRE_FALSE(journal.ok());
    CHECK(journal.error().code() == ErrorCode::kFailedPrecondition);
  }
}

TEST_CASE("one state directory admits one holder, named when refused", "[journal][lock]") {
  TempDir dir;
  auto first = StateDirLock::Acquire(dir.path());
  REQUIRE(first.ok());
  auto second = StateDirLock::Acquire(dir.path());
  REQUIRE_FALSE(second.ok());
  CHECK(second.error().code() == ErrorCode::kUnavailable);
  CHECK(second.error().message().find("pid " + std::to_string(::getpid())) != std::string::npos);
  { StateDirLock released = std::move(*first); }
  CHECK(StateDirLock::Acquire(dir.path()).ok());
  auto missing = StateDirLock::Acquire(dir.path() / "no" / "such");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code() == ErrorCode::kIo);
}
