#include "journal/sqlite_schema.h"

#include <sqlite3.h>

#include <string>

#include "journal/sqlite_db.h"

namespace herald::journal {
namespace {

// kMigrations[n - 1] takes the schema from version n - 1 to n. Never edit a
// shipped migration: add the next one.
const char* const kMigrations[] = {
    // 1: jobs, attempts, calendar loads.
    R"sql(
CREATE TABLE jobs (
  seq             INTEGER PRIMARY KEY,
  id              TEXT NOT NULL UNIQUE,
  calendar_id     TEXT NOT NULL,
  post_id         TEXT NOT NULL,
  campaign_id     TEXT NOT NULL DEFAULT '',
  goal            TEXT NOT NULL DEFAULT '',
  account         TEXT NOT NULL,
  platform        TEXT NOT NULL,
  member_key      TEXT NOT NULL DEFAULT '',
  due_ms          INTEGER NOT NULL,
  next_attempt_ms INTEGER NOT NULL,
  state           TEXT NOT NULL CHECK (state IN
                    ('pending', 'running', 'published', 'failed', 'cancelled', 'unknown')),
  content_hash    TEXT NOT NULL,
  payload_json    TEXT NOT NULL,
  late_grace_ms   INTEGER NOT NULL DEFAULT 0,
  generation      INTEGER NOT NULL,
  checkpoint      BLOB,
  remote_id       TEXT NOT NULL DEFAULT '',
  url             TEXT NOT NULL DEFAULT '',
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT NOT NULL DEFAULT '',
  created_ms      INTEGER NOT NULL,
  updated_ms      INTEGER NOT NULL
);
CREATE INDEX jobs_calendar ON jobs (calendar_id);
CREATE TABLE attempts (
  job_seq       INTEGER NOT NULL REFERENCES jobs (seq),
  n             INTEGER NOT NULL,
  started_ms    INTEGER NOT NULL,
  finished_ms   INTEGER,
  outcome       TEXT,
  http_status   INTEGER NOT NULL DEFAULT 0,
  platform_code TEXT NOT NULL DEFAULT '',
  message       TEXT NOT NULL DEFAULT '',
  remote_id     TEXT NOT NULL DEFAULT '',
  checkpoint    BLOB,
  PRIMARY KEY (job_seq, n)
) WITHOUT ROWID;
CREATE TABLE calendar_loads (
  generation INTEGER NOT NULL,
  time_ms    INTEGER NOT NULL,
  result     TEXT NOT NULL
);
)sql",
    // 2: who cancelled a job (a reload may restore only its own cancellations),
    // the scheduler's covering index of pending jobs, and the control API's
    // query orders.
    R"sql(
ALTER TABLE jobs ADD COLUMN cancelled_by TEXT NOT NULL DEFAULT '';
CREATE INDEX jobs_pending_next ON jobs (next_attempt_ms, seq) WHERE state = 'pending';
CREATE INDEX jobs_due ON jobs (due_ms, seq);
CREATE INDEX jobs_state_due ON jobs (state, due_ms, seq);
CREATE INDEX jobs_campaign_due ON jobs (campaign_id, due_ms, seq);
CREATE INDEX jobs_account_due ON jobs (account, due_ms, seq);
CREATE INDEX calendar_loads_generation ON calendar_loads (generation);
)sql",
    // 3: jobs by state, kept by the writer in the same transaction as each
    // change (CountMove in sqlite_journal.cc), so it reads exact counts in
    // O(1) after each commit (Summary()).
    R"sql(
CREATE TABLE job_counts (
  state TEXT PRIMARY KEY,
  n     INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO job_counts (state, n) VALUES
  ('pending', 0), ('running', 0), ('published', 0), ('failed', 0), ('cancelled', 0),
  ('unknown', 0);
UPDATE job_counts SET n = (SELECT count(*) FROM jobs WHERE jobs.state = job_counts.state);
)sql",
    // 4: which calendar each calendar file held at its last good load, so that
    // a file removed while heraldd was stopped is noticed at the next start.
    R"sql(
CREATE TABLE calendar_files (
  file        TEXT PRIMARY KEY,
  calendar_id TEXT NOT NULL
) WITHOUT ROWID;
)sql",
    // 5: an unknown job that reconciliation could not settle is handed to an
    // admin (1); every other unknown job is reconciled again at each start.
    R"sql(
ALTER TABLE jobs ADD COLUMN awaiting_admin INTEGER NOT NULL DEFAULT 0;
)sql",
    // 6: pauses (by an admin, or for an account's expired credentials) survive
    // a restart and a kill.
    R"sql(
CREATE TABLE pauses (
  scope    TEXT NOT NULL,
  name     TEXT NOT NULL,
  cause    TEXT NOT NULL,
  reason   TEXT NOT NULL,
  since_ms INTEGER NOT NULL,
  PRIMARY KEY (scope, name)
) WITHOUT ROWID;
)sql",
};
static_assert(sizeof(kMigrations) / sizeof(kMigrations[0]) == kJournalSchemaVersion);

Result<int> UserVersion(sqlite3* db) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, nullptr) != SQLITE_OK) {
    return Error(ErrorCode::kIo, std::string("journal: ") + sqlite3_errmsg(db));
  }
  int version = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int(stmt, 0) : 0;
  sqlite3_finalize(stmt);
  return version;
}

Status Exec(sqlite3* db, const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) == SQLITE_OK) return Status::Ok();
  std::string text = message ? message : "unknown error";
  sqlite3_free(message);
  return Error(ErrorCode::kIo, "journal: migration: " + text);
}

}  // namespace

Status MigrateSchema(sqlite3* db, int target) {
  Result<int> current = UserVersion(db);
  if (!current.ok()) return current.error();
  if (*current > kJournalSchemaVersion) {
    return Error(ErrorCode::kFailedPrecondition,
                 "journal: schema version " + std::to_string(*current) +
                     " is newer than this heraldd understands (" +
                     std::to_string(kJournalSchemaVersion) + "); use a newer heraldd");
  }
  if (target > kJournalSchemaVersion) target = kJournalSchemaVersion;
  for (int version = *current + 1; version <= target; ++version) {
    Status step = Exec(db, std::string("BEGIN IMMEDIATE;") + kMigrations[version - 1] +
                               "PRAGMA user_version = " + std::to_string(version) + "; COMMIT;");
    if (!step.ok()) {
      (void)Exec(db, "ROLLBACK");
      return Error(ErrorCode::kIo, "journal: migration to schema version " +
                                       std::to_string(version) +
                                       " failed: " + step.error().message());
    }
  }
  return Status::Ok();
}

Status MigrateJournalFile(const std::filesystem::path& file, int target) {
  Result<std::unique_ptr<Db>> db = Db::Open(file);
  if (!db.ok()) return db.error();
  return MigrateSchema((*db)->handle(), target);
}

}  // namespace herald::journal
