#include "journal/sqlite_journal.h"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "common/mutex.h"
#include "journal/group_commit_writer.h"
#include "journal/sqlite_db.h"
#include "journal/sqlite_schema.h"

namespace herald::journal {
namespace {

// Columns read into a Job, in ReadJob's order. The light variant (for lists)
// skips the payload and the checkpoint.
constexpr char kJobColumns[] =
    "seq, id, calendar_id, post_id, campaign_id, goal, account, platform, member_key, due_ms, "
    "next_attempt_ms, state, content_hash, payload_json, late_grace_ms, generation, checkpoint, "
    "remote_id, url, attempts, last_error, created_ms, updated_ms, awaiting_admin";
constexpr char kJobListColumns[] =
    "seq, id, calendar_id, post_id, campaign_id, goal, account, platform, member_key, due_ms, "
    "next_attempt_ms, state, content_hash, '', late_grace_ms, generation, NULL, "
    "remote_id, url, attempts, last_error, created_ms, updated_ms, awaiting_admin";

Job ReadJob(const Stmt& s) {
  Job job;
  job.key = s.Int(0);
  job.record.id = s.Text(1);
  job.record.calendar_id = s.Text(2);
  job.record.post_id = s.Text(3);
  job.record.campaign_id = s.Text(4);
  job.record.goal = s.Text(5);
  job.record.account = s.Text(6);
  job.record.platform = s.Text(7);
  job.record.member_key = s.Text(8);
  job.record.due_ms = s.Int(9);
  job.next_attempt_ms = s.Int(10);
  job.state = ParseJobState(s.Text(11)).value_or(JobState::kUnknown);
  job.record.content_hash = s.Text(12);
  job.record.payload_json = s.Text(13);
  job.record.late_grace_ms = s.Int(14);
  job.generation = s.Int(15);
  job.checkpoint = s.Blob(16);
  job.remote_id = s.Text(17);
  job.url = s.Text(18);
  job.attempts = static_cast<int>(s.Int(19));
  job.last_error = s.Text(20);
  job.created_ms = s.Int(21);
  job.updated_ms = s.Int(22);
  job.awaiting_admin = s.Int(23) != 0;
  return job;
}

Result<Stmt*> Prepare(Db& db, const std::string& sql) {
  Status error;
  Stmt* stmt = db.Prepare(sql, &error);
  if (!stmt) return error.error();
  return stmt;
}

Status StepDone(Db& db, Stmt& stmt, const char* context) {
  if (stmt.Step() == SQLITE_DONE) return Status::Ok();
  return db.SqlError(context);
}

// Moves `n` jobs from `from`'s count to `to`'s in job_counts, in the caller's
// transaction. Every change of a job's state goes through here (inserts are
// counted where ApplyGeneration makes them), so the counts are exact after
// each commit. (Triggers would do it unasked, but a statement that fires one
// gets a statement journal, which cost a fifth of the group-commit rate and
// made inserts 2.5 times slower.)
// Adds `delta` to `state`'s count (new jobs: ApplyGeneration's inserts).
Status CountAdd(Db& db, JobState state, std::int64_t delta) {
  if (delta == 0) return Status::Ok();
  auto stmt = Prepare(db, "UPDATE job_counts SET n = n + ?2 WHERE state = ?1");
  if (!stmt.ok()) return stmt.error();
  StmtUse s(**stmt);
  s->Bind(1, std::string(ToString(state))).Bind(2, delta);
  return StepDone(db, *s, "count jobs by state");
}

Status CountMove(Db& db, JobState from, JobState to, std::int64_t n = 1) {
  if (from == to) return Status::Ok();
  if (Status taken = CountAdd(db, from, -n); !taken.ok()) return taken;
  return CountAdd(db, to, n);
}

// The pending job due first, through the scheduler's partial index (named:
// the planner would take the (state, due) index and sort every pending job).
constexpr char kNextDueSql[] =
    "SELECT seq, next_attempt_ms FROM jobs INDEXED BY jobs_pending_next "
    "WHERE state = 'pending' ORDER BY next_attempt_ms, seq LIMIT 1";

// The state of a job, read inside the writer's transaction.
struct Current {
  JobState state = JobState::kPending;
  int attempts = 0;
};

Result<Current> ReadCurrent(Db& db, JobKey key) {
  auto stmt = Prepare(db, "SELECT state, attempts FROM jobs WHERE seq = ?1");
  if (!stmt.ok()) return stmt.error();
  StmtUse s(**stmt);
  s->Bind(1, key);
  int rc = s->Step();
  if (rc == SQLITE_DONE) return NoJobWithKey(key);
  if (rc != SQLITE_ROW) return db.SqlError("read job state");
  return Current{ParseJobState(s->Text(0)).value_or(JobState::kUnknown),
                 static_cast<int>(s->Int(1))};
}

// Binds a JobRecord's content to ?2..?13 (?1 is the key or id by statement).
void BindContent(Stmt& s, const JobRecord& r, std::int64_t next_attempt_ms, std::int64_t generation,
                 std::int64_t now_ms) {
  s.Bind(2, r.post_id)
      .Bind(3, r.campaign_id)
      .Bind(4, r.goal)
      .Bind(5, r.account)
      .Bind(6, r.platform)
      .Bind(7, r.member_key)
      .Bind(8, r.due_ms)
      .Bind(9, next_attempt_ms)
      .Bind(10, r.content_hash)
      .Bind(11, r.payload_json)
      .Bind(12, r.late_grace_ms)
      .Bind(13, generation)
      .Bind(14, now_ms);
}

class SqliteJournal final : public Journal {
 public:
  SqliteJournal(std::unique_ptr<Db> writer_db, std::unique_ptr<Db> reader_db)
      : writer_db_(std::move(writer_db)), reader_db_(std::move(reader_db)) {
    RefreshSummary(*writer_db_);
    writer_ =
        std::make_unique<GroupCommitWriter>(*writer_db_, [this](Db& db) { RefreshSummary(db); });
  }

  ~SqliteJournal() override { writer_.reset(); }

  Result<ReloadDiff> ApplyGeneration(const std::vector<std::string>& calendar_ids,
                                     const std::vector<JobRecord>& jobs, std::int64_t generation,
                                     std::int64_t now_ms) override {
    if (Status valid = CheckGeneration(calendar_ids, jobs); !valid.ok()) return valid.error();
    ReloadDiff diff;
    Status status = writer_->Run([&](Db& db) -> Status {
      diff = ReloadDiff{};
      return ApplyInTransaction(db, calendar_ids, jobs, generation, now_ms, diff);
    });
    if (!status.ok()) return status.error();
    return diff;
  }

  Result<std::map<std::string, std::string>> CalendarFiles() override {
    MutexLock lock(read_mu_);
    auto stmt = Prepare(*reader_db_, "SELECT file, calendar_id FROM calendar_files");
    if (!stmt.ok()) return stmt.error();
    StmtUse s(**stmt);
    std::map<std::string, std::string> files;
    int rc;
    while ((rc = s->Step()) == SQLITE_ROW) files[s->Text(0)] = s->Text(1);
    if (rc != SQLITE_DONE) return reader_db_->SqlError("read calendar files");
    return files;
  }

  Status SetCalendarFiles(const std::map<std::string, std::string>& id_by_file) override {
    return writer_->Run([&](Db& db) -> Status {
      if (Status cleared = db.Exec("DELETE FROM calendar_files"); !cleared.ok()) return cleared;
      auto insert = Prepare(db, "INSERT INTO calendar_files (file, calendar_id) VALUES (?1, ?2)");
      if (!insert.ok()) return insert.error();
      for (const auto& [file, id] : id_by_file) {
        StmtUse s(**insert);
        s->Bind(1, file).Bind(2, id);
        if (Status done = StepDone(db, *s, "record calendar file"); !done.ok()) return done;
      }
      return Status::Ok();
    });
  }

  Result<std::vector<PauseRecord>> Pauses() override {
    MutexLock lock(read_mu_);
    auto stmt = Prepare(*reader_db_,
                        "SELECT scope, name, cause, reason, since_ms FROM pauses "
                        "ORDER BY scope, name");
    if (!stmt.ok()) return stmt.error();
    StmtUse s(**stmt);
    std::vector<PauseRecord> pauses;
    int rc;
    while ((rc = s->Step()) == SQLITE_ROW) {
      pauses.push_back({s->Text(0), s->Text(1), s->Text(2), s->Text(3), s->Int(4)});
    }
    if (rc != SQLITE_DONE) return reader_db_->SqlError("read pauses");
    return pauses;
  }

  Status SavePause(const PauseRecord& pause) override {
    return writer_->Run([&](Db& db) -> Status {
      auto stmt = Prepare(db,
                          "INSERT OR REPLACE INTO pauses (scope, name, cause, reason, since_ms) "
                          "VALUES (?1, ?2, ?3, ?4, ?5)");
      if (!stmt.ok()) return stmt.error();
      StmtUse s(**stmt);
      s->Bind(1, pause.scope)
          .Bind(2, pause.name)
          .Bind(3, pause.cause)
          .Bind(4, pause.reason)
          .Bind(5, pause.since_ms);
      return StepDone(db, *s, "record pause");
    });
  }

  Status DropPause(const std::string& scope, const std::string& name) override {
    return writer_->Run([&](Db& db) -> Status {
      auto stmt = Prepare(db, "DELETE FROM pauses WHERE scope = ?1 AND name = ?2");
      if (!stmt.ok()) return stmt.error();
      StmtUse s(**stmt);
      s->Bind(1, scope).Bind(2, name);
      return StepDone(db, *s, "forget pause");
    });
  }

  Status RecordCalendarLoad(const CalendarLoad& load) override {
    return writer_->Run([&](Db& db) -> Status {
      auto stmt = Prepare(
          db, "INSERT INTO calendar_loads (generation, time_ms, result) VALUES (?1, ?2, ?3)");
      if (!stmt.ok()) return stmt.error();
      StmtUse s(**stmt);
      s->Bind(1, load.generation).Bind(2, load.time_ms).Bind(3, load.result);
      return StepDone(db, *s, "record calendar load");
    });
  }

  Result<std::vector<CalendarLoad>> CalendarLoads(std::size_t limit) override {
    MutexLock lock(read_mu_);
    auto stmt = Prepare(*reader_db_,
                        "SELECT generation, time_ms, result FROM calendar_loads "
                        "ORDER BY rowid DESC LIMIT ?1");
    if (!stmt.ok()) return stmt.error();
    StmtUse s(**stmt);
    s->Bind(1, static_cast<std::int64_t>(limit));
    std::vector<CalendarLoad> loads;
    int rc;
    while ((rc = s->Step()) == SQLITE_ROW) loads.push_back({s->Int(0), s->Int(1), s->Text(2)});
    if (rc != SQLITE_DONE) return reader_db_->SqlError("read calendar loads");
    return loads;
  }

  Result<std::vector<PendingEntry>> LoadPending() override {
    MutexLock lock(read_mu_);
    std::vector<PendingEntry> pending;
    {
      auto count = Prepare(*reader_db_, "SELECT n FROM job_counts WHERE state = 'pending'");
      if (!count.ok()) return count.error();
      StmtUse s(**count);
      if (s->Step() == SQLITE_ROW) pending.reserve(static_cast<size_t>(s->Int(0)));
    }
    auto stmt = Prepare(*reader_db_,
                        "SELECT seq, next_attempt_ms FROM jobs INDEXED BY jobs_pending_next "
                        "WHERE state = 'pending' "
                        "ORDER BY next_attempt_ms, seq");
    if (!stmt.ok()) return stmt.error();
    StmtUse s(**stmt);
    int rc;
    while ((rc = s->Step()) == SQLITE_ROW) pending.push_back({s->Int(0), s->Int(1)});
    if (rc != SQLITE_DONE) return reader_db_->SqlError("load pending jobs");
    return pending;
  }

  Result<std::optional<PendingEntry>> NextDue() override {
    MutexLock lock(read_mu_);
    auto stmt = Prepare(*reader_db_, kNextDueSql);
    if (!stmt.ok()) return stmt.error();
    StmtUse s(**stmt);
    int rc = s->Step();
    if (rc == SQLITE_DONE) return std::optional<PendingEntry>();
    if (rc != SQLITE_ROW) return reader_db_->SqlError("read next due job");
    return std::optional<PendingEntry>(PendingEntry{s->Int(0), s->Int(1)});
  }

  Result<StartedAttempt> BeginAttempt(JobKey key, std::int64_t now_ms) override {
    StartedAttempt started;
    Status status = writer_->Run([&](Db& db) -> Status {
      Result<Job> job = ReadJob(db, key);
      if (!job.ok()) return job.error();
      if (job->state != JobState::kPending)
        return IllegalTransition(key, job->state, "begin an attempt");
      auto update = Prepare(db,
                            "UPDATE jobs SET state = 'running', attempts = attempts + 1, "
                            "updated_ms = ?2 WHERE seq = ?1");
      if (!update.ok()) return update.error();
      {
        StmtUse s(**update);
        s->Bind(1, key).Bind(2, now_ms);
        Status done = StepDone(db, *s, "begin attempt");
        if (!done.ok()) return done;
      }
      if (Status counted = CountMove(db, JobState::kPending, JobState::kRunning); !counted.ok()) {
        return counted;
      }
      auto insert =
          Prepare(db, "INSERT INTO attempts (job_seq, n, started_ms) VALUES (?1, ?2, ?3)");
      if (!insert.ok()) return insert.error();
      StmtUse s(**insert);
      s->Bind(1, key).Bind(2, static_cast<std::int64_t>(job->attempts + 1)).Bind(3, now_ms);
      Status done = StepDone(db, *s, "record attempt");
      if (!done.ok()) return done;
      started.job = std::move(*job);
      started.job.state = JobState::kRunning;
      started.job.attempts += 1;
      started.job.updated_ms = now_ms;
      started.n = started.job.attempts;
      return Status::Ok();
    });
    if (!status.ok()) return status.error();
    return started;
  }

  Status FinishAttempt(JobKey key, const AttemptResult& result) override {
    const char* job_sql = nullptr;
    JobState to = JobState::kPending;
    switch (result.outcome) {
      case AttemptOutcome::kPublished:
        to = JobState::kPublished;
        job_sql =
            "UPDATE jobs SET state = 'published', remote_id = ?3, url = ?4, checkpoint = NULL, "
            "last_error = '', updated_ms = ?2 WHERE seq = ?1";
        break;
      case AttemptOutcome::kFailed:
        to = JobState::kFailed;
        job_sql =
            "UPDATE jobs SET state = 'failed', last_error = ?5, updated_ms = ?2 WHERE seq = ?1";
        break;
      case AttemptOutcome::kRetry:
        job_sql =
            "UPDATE jobs SET state = 'pending', next_attempt_ms = ?6, last_error = ?5, "
            "updated_ms = ?2 WHERE seq = ?1";
        break;
      case AttemptOutcome::kContinue:
        job_sql =
            "UPDATE jobs SET state = 'pending', next_attempt_ms = ?6, checkpoint = ?7, "
            "last_error = '', updated_ms = ?2 WHERE seq = ?1";
        break;
      case AttemptOutcome::kUnknown:
        to = JobState::kUnknown;
        job_sql =
            "UPDATE jobs SET state = 'unknown', awaiting_admin = 0, last_error = ?5, "
            "updated_ms = ?2 WHERE seq = ?1";
        break;
      case AttemptOutcome::kInterrupted:
        return Error(ErrorCode::kInvalidArgument,
                     "journal: 'interrupted' is recorded by crash recovery only");
    }
    return writer_->Run([&](Db& db) -> Status {
      Result<Current> current = ReadCurrent(db, key);
      if (!current.ok()) return current.error();
      if (current->state != JobState::kRunning) {
        return IllegalTransition(key, current->state, "finish an attempt");
      }
      auto update = Prepare(db, job_sql);
      if (!update.ok()) return update.error();
      {
        StmtUse s(**update);
        s->Bind(1, key)
            .Bind(2, result.finished_ms)
            .Bind(3, result.remote_id)
            .Bind(4, result.url)
            .Bind(5, result.message)
            .Bind(6, result.next_attempt_ms)
            .BindBlob(7, result.checkpoint);
        Status done = StepDone(db, *s, "finish attempt");
        if (!done.ok()) return done;
      }
      if (Status counted = CountMove(db, JobState::kRunning, to); !counted.ok()) return counted;
      auto attempt =
          Prepare(db,
                  "UPDATE attempts SET finished_ms = ?3, outcome = ?4, http_status = ?5, "
                  "platform_code = ?6, message = ?7, remote_id = ?8, checkpoint = ?9 "
                  "WHERE job_seq = ?1 AND n = ?2");
      if (!attempt.ok()) return attempt.error();
      StmtUse s(**attempt);
      s->Bind(1, key)
          .Bind(2, static_cast<std::int64_t>(current->attempts))
          .Bind(3, result.finished_ms)
          .Bind(4, ToString(result.outcome))
          .Bind(5, static_cast<std::int64_t>(result.http_status))
          .Bind(6, result.platform_code)
          .Bind(7, result.message)
          .Bind(8, result.remote_id);
      if (result.outcome == AttemptOutcome::kContinue) {
        s->BindBlob(9, result.checkpoint);
      } else {
        s->BindNull(9);
      }
      return StepDone(db, *s, "complete attempt");
    });
  }

  Result<std::vector<Job>> RecoverAfterCrash(std::int64_t now_ms) override {
    std::vector<JobKey> keys;
    Status status = writer_->Run([&](Db& db) -> Status {
      keys.clear();
      {
        // Unknown jobs an earlier start did not settle (it was itself killed,
        // or the connector could not be made) come first: they are older.
        auto select = Prepare(db,
                              "SELECT seq FROM jobs WHERE state = 'unknown' AND awaiting_admin = 0 "
                              "ORDER BY seq");
        if (!select.ok()) return select.error();
        StmtUse s(**select);
        int rc;
        while ((rc = s->Step()) == SQLITE_ROW) keys.push_back(s->Int(0));
        if (rc != SQLITE_DONE) return db.SqlError("find unknown jobs");
      }
      {
        auto select = Prepare(db, "SELECT seq, attempts FROM jobs WHERE state = 'running'");
        if (!select.ok()) return select.error();
        StmtUse s(**select);
        std::vector<std::pair<JobKey, std::int64_t>> running;
        int rc;
        while ((rc = s->Step()) == SQLITE_ROW) running.emplace_back(s->Int(0), s->Int(1));
        if (rc != SQLITE_DONE) return db.SqlError("find running jobs");
        s->Reset();
        for (const auto& [key, n] : running) {
          Status one = MarkInterrupted(db, key, n, now_ms);
          if (!one.ok()) return one;
          keys.push_back(key);
        }
      }
      return Status::Ok();
    });
    if (!status.ok()) return status.error();
    std::vector<Job> jobs;
    jobs.reserve(keys.size());
    for (JobKey key : keys) {
      Result<Job> job = Get(key);
      if (!job.ok()) return job.error();
      jobs.push_back(std::move(*job));
    }
    return jobs;
  }

  Status Resolve(JobKey key, const Resolution& resolution) override {
    const char* sql = nullptr;
    JobState to = JobState::kPublished;
    switch (resolution.kind) {
      case Resolution::Kind::kPublished:
        sql =
            "UPDATE jobs SET state = 'published', remote_id = ?3, url = ?4, checkpoint = NULL, "
            "last_error = '', awaiting_admin = 0, updated_ms = ?2 WHERE seq = ?1";
        break;
      case Resolution::Kind::kPending:
        to = JobState::kPending;
        sql =
            "UPDATE jobs SET state = 'pending', next_attempt_ms = ?6, last_error = ?5, "
            "awaiting_admin = 0, updated_ms = ?2 WHERE seq = ?1";
        break;
      case Resolution::Kind::kFailed:
        to = JobState::kFailed;
        sql =
            "UPDATE jobs SET state = 'failed', last_error = ?5, awaiting_admin = 0, "
            "updated_ms = ?2 WHERE seq = ?1";
        break;
      case Resolution::Kind::kCancelled:
        to = JobState::kCancelled;
        sql =
            "UPDATE jobs SET state = 'cancelled', cancelled_by = 'admin', last_error = ?5, "
            "awaiting_admin = 0, updated_ms = ?2 WHERE seq = ?1";
        break;
    }
    return Transition(key, {JobState::kUnknown}, to, "resolve it (only unknown jobs are resolved)",
                      sql, [&](Stmt& s) {
                        s.Bind(2, resolution.now_ms)
                            .Bind(3, resolution.remote_id)
                            .Bind(4, resolution.url)
                            .Bind(5, resolution.note)
                            .Bind(6, resolution.next_attempt_ms);
                      });
  }

  Status AwaitAdmin(JobKey key, std::int64_t now_ms, const std::string& why) override {
    return Transition(key, {JobState::kUnknown}, std::nullopt,
                      "hand it to an admin (only unknown jobs are)",
                      "UPDATE jobs SET awaiting_admin = 1, last_error = ?3, updated_ms = ?2 "
                      "WHERE seq = ?1",
                      [&](Stmt& s) { s.Bind(2, now_ms).Bind(3, why); });
  }

  Status Cancel(JobKey key, std::int64_t now_ms, const std::string& reason) override {
    return Transition(key, {JobState::kPending}, JobState::kCancelled, "cancel it",
                      "UPDATE jobs SET state = 'cancelled', cancelled_by = 'admin', "
                      "last_error = ?3, updated_ms = ?2 WHERE seq = ?1",
                      [&](Stmt& s) { s.Bind(2, now_ms).Bind(3, reason); });
  }

  Status Retry(JobKey key, std::int64_t at_ms, std::int64_t now_ms) override {
    return Transition(key, {JobState::kFailed, JobState::kCancelled}, JobState::kPending,
                      "retry it",
                      "UPDATE jobs SET state = 'pending', cancelled_by = '', next_attempt_ms = ?3, "
                      "updated_ms = ?2 WHERE seq = ?1",
                      [&](Stmt& s) { s.Bind(2, now_ms).Bind(3, at_ms); });
  }

  Status Reschedule(JobKey key, std::int64_t at_ms, std::int64_t now_ms) override {
    return Transition(key, {JobState::kPending}, std::nullopt, "reschedule it",
                      "UPDATE jobs SET next_attempt_ms = ?3, updated_ms = ?2 WHERE seq = ?1",
                      [&](Stmt& s) { s.Bind(2, now_ms).Bind(3, at_ms); });
  }

  Result<Job> Get(JobKey key) override {
    MutexLock lock(read_mu_);
    auto stmt =
        Prepare(*reader_db_, std::string("SELECT ") + kJobColumns + " FROM jobs WHERE seq = ?1");
    if (!stmt.ok()) return stmt.error();
    StmtUse s(**stmt);
    s->Bind(1, key);
    return One(*reader_db_, *s, "job " + std::to_string(key));
  }

  Result<Job> GetById(const std::string& id) override {
    MutexLock lock(read_mu_);
    auto stmt =
        Prepare(*reader_db_, std::string("SELECT ") + kJobColumns + " FROM jobs WHERE id = ?1");
    if (!stmt.ok()) return stmt.error();
    StmtUse s(**stmt);
    s->Bind(1, id);
    auto job = One(*reader_db_, *s, "job id " + id);
    if (!job.ok() && job.error().code() == ErrorCode::kNotFound) return NoJobWithId(id);
    return job;
  }

  Result<JobPage> List(const JobQuery& query) override {
    std::int64_t cursor_due = 0;
    std::int64_t cursor_key = 0;
    const bool has_cursor = !query.cursor.empty();
    if (has_cursor && !ParseCursor(query.cursor, &cursor_due, &cursor_key)) {
      return Error(ErrorCode::kInvalidArgument, "journal: malformed cursor '" + query.cursor + "'");
    }
    const std::int64_t limit =
        static_cast<std::int64_t>(std::clamp<std::size_t>(query.limit, 1, 1000));
    std::string sql = std::string("SELECT ") + kJobListColumns + " FROM jobs WHERE 1";
    if (!query.states.empty()) {
      sql += " AND state IN (";
      for (std::size_t i = 0; i < query.states.size(); ++i) {
        sql += (i ? ", ?" : "?") + std::to_string(10 + i);
      }
      sql += ")";
    }
    if (!query.campaign_id.empty()) sql += " AND campaign_id = ?2";
    if (!query.account.empty()) sql += " AND account = ?3";
    if (query.due_from_ms) sql += " AND due_ms >= ?4";
    if (query.due_to_ms) sql += " AND due_ms < ?5";
    if (has_cursor) sql += " AND (due_ms, seq) > (?6, ?7)";
    sql += " ORDER BY due_ms, seq LIMIT ?8";

    MutexLock lock(read_mu_);
    auto stmt = Prepare(*reader_db_, sql);
    if (!stmt.ok()) return stmt.error();
    StmtUse s(**stmt);
    for (std::size_t i = 0; i < query.states.size(); ++i) {
      s->Bind(static_cast<int>(10 + i), ToString(query.states[i]));
    }
    if (!query.campaign_id.empty()) s->Bind(2, query.campaign_id);
    if (!query.account.empty()) s->Bind(3, query.account);
    if (query.due_from_ms) s->Bind(4, *query.due_from_ms);
    if (query.due_to_ms) s->Bind(5, *query.due_to_ms);
    if (has_cursor) s->Bind(6, cursor_due).Bind(7, cursor_key);
    s->Bind(8, limit + 1);
    JobPage page;
    int rc;
    while ((rc = s->Step()) == SQLITE_ROW) page.jobs.push_back(journal::ReadJob(*s));
    if (rc != SQLITE_DONE) return reader_db_->SqlError("list jobs");
    if (static_cast<std::int64_t>(page.jobs.size()) > limit) {
      page.jobs.pop_back();
      const Job& last = page.jobs.back();
      page.next_cursor = CursorAfter(last);
    }
    return page;
  }

  Result<StateCounts> CountByState() override {
    MutexLock lock(read_mu_);
    auto stmt = Prepare(*reader_db_, "SELECT state, count(*) FROM jobs GROUP BY state");
    if (!stmt.ok()) return stmt.error();
    StmtUse s(**stmt);
    StateCounts counts;
    int rc;
    while ((rc = s->Step()) == SQLITE_ROW) {
      if (auto state = ParseJobState(s->Text(0))) {
        counts.by_state[static_cast<int>(*state)] = s->Int(1);
      }
    }
    if (rc != SQLITE_DONE) return reader_db_->SqlError("count jobs");
    return counts;
  }

  Result<std::vector<Attempt>> Attempts(JobKey key) override {
    MutexLock lock(read_mu_);
    auto stmt = Prepare(*reader_db_,
                        "SELECT n, started_ms, finished_ms, outcome, http_status, platform_code, "
                        "message, remote_id, checkpoint FROM attempts WHERE job_seq = ?1 "
                        "ORDER BY n");
    if (!stmt.ok()) return stmt.error();
    StmtUse s(**stmt);
    s->Bind(1, key);
    std::vector<Attempt> attempts;
    int rc;
    while ((rc = s->Step()) == SQLITE_ROW) {
      Attempt a;
      a.key = key;
      a.n = static_cast<int>(s->Int(0));
      a.started_ms = s->Int(1);
      if (!s->IsNull(2)) a.finished_ms = s->Int(2);
      if (!s->IsNull(3)) a.outcome = ParseOutcome(s->Text(3));
      a.http_status = static_cast<int>(s->Int(4));
      a.platform_code = s->Text(5);
      a.message = s->Text(6);
      a.remote_id = s->Text(7);
      a.checkpoint = s->Blob(8);
      attempts.push_back(std::move(a));
    }
    if (rc != SQLITE_DONE) return reader_db_->SqlError("read attempts");
    return attempts;
  }

  JournalStats Stats() const override { return writer_->Stats(); }

  JournalSummary Summary() const override {
    MutexLock lock(summary_mu_);
    return summary_;
  }

 private:
  // On the writer's connection (the writer's thread, or the constructor before
  // it starts): two indexed reads, six rows and one. On an error the previous
  // figures stay.
  void RefreshSummary(Db& db) {
    JournalSummary next;
    {
      auto stmt = Prepare(db, "SELECT state, n FROM job_counts");
      if (!stmt.ok()) return;
      StmtUse s(**stmt);
      int rc;
      while ((rc = s->Step()) == SQLITE_ROW) {
        if (auto state = ParseJobState(s->Text(0))) {
          next.counts.by_state[static_cast<int>(*state)] = s->Int(1);
        }
      }
      if (rc != SQLITE_DONE) return;
    }
    {
      auto stmt = Prepare(db, kNextDueSql);
      if (!stmt.ok()) return;
      StmtUse s(**stmt);
      int rc = s->Step();
      if (rc == SQLITE_ROW) {
        next.next_due = PendingEntry{s->Int(0), s->Int(1)};
      } else if (rc != SQLITE_DONE) {
        return;
      }
    }
    MutexLock lock(summary_mu_);
    next.version = summary_.version + 1;
    summary_ = next;
  }

  static std::optional<AttemptOutcome> ParseOutcome(const std::string& text) {
    for (auto outcome :
         {AttemptOutcome::kPublished, AttemptOutcome::kFailed, AttemptOutcome::kRetry,
          AttemptOutcome::kContinue, AttemptOutcome::kUnknown, AttemptOutcome::kInterrupted}) {
      if (text == ToString(outcome)) return outcome;
    }
    return std::nullopt;
  }

  static Result<Job> One(Db& db, Stmt& s, const std::string& what) {
    int rc = s.Step();
    if (rc == SQLITE_DONE) return Error(ErrorCode::kNotFound, "journal: no " + what);
    if (rc != SQLITE_ROW) return db.SqlError("read " + what);
    return journal::ReadJob(s);
  }

  // Reads a whole job inside the writer's transaction.
  static Result<Job> ReadJob(Db& db, JobKey key) {
    auto stmt = Prepare(db, std::string("SELECT ") + kJobColumns + " FROM jobs WHERE seq = ?1");
    if (!stmt.ok()) return stmt.error();
    StmtUse s(**stmt);
    s->Bind(1, key);
    int rc = s->Step();
    if (rc == SQLITE_DONE) return NoJobWithKey(key);
    if (rc != SQLITE_ROW) return db.SqlError("read job");
    return journal::ReadJob(*s);
  }

  // A one-statement transition allowed only from `from`; `bind` binds ?2...
  template <typename Bind>
  // `to`: the state `sql` leaves the job in (nullopt: it keeps its own).
  Status Transition(JobKey key, std::initializer_list<JobState> from, std::optional<JobState> to,
                    const char* action, const char* sql, Bind bind) {
    std::vector<JobState> allowed(from);
    return writer_->Run([&](Db& db) -> Status {
      Result<Current> current = ReadCurrent(db, key);
      if (!current.ok()) return current.error();
      if (std::find(allowed.begin(), allowed.end(), current->state) == allowed.end()) {
        return IllegalTransition(key, current->state, action);
      }
      auto stmt = Prepare(db, sql);
      if (!stmt.ok()) return stmt.error();
      StmtUse s(**stmt);
      s->Bind(1, key);
      bind(*s);
      if (Status done = StepDone(db, *s, action); !done.ok()) return done;
      return to ? CountMove(db, current->state, *to) : Status::Ok();
    });
  }

  static Status MarkInterrupted(Db& db, JobKey key, std::int64_t n, std::int64_t now_ms) {
    auto attempt = Prepare(db,
                           "UPDATE attempts SET finished_ms = ?3, outcome = 'interrupted', "
                           "message = 'heraldd stopped before the answer came back' "
                           "WHERE job_seq = ?1 AND n = ?2 AND finished_ms IS NULL");
    if (!attempt.ok()) return attempt.error();
    {
      StmtUse s(**attempt);
      s->Bind(1, key).Bind(2, n).Bind(3, now_ms);
      Status done = StepDone(db, *s, "mark attempt interrupted");
      if (!done.ok()) return done;
    }
    auto job = Prepare(db,
                       "UPDATE jobs SET state = 'unknown', awaiting_admin = 0, updated_ms = ?2, "
                       "last_error = "
                       "'interrupted: the request may have reached the platform; reconcile "
                       "before any retry' WHERE seq = ?1");
    if (!job.ok()) return job.error();
    StmtUse s(**job);
    s->Bind(1, key).Bind(2, now_ms);
    if (Status done = StepDone(db, *s, "mark job unknown"); !done.ok()) return done;
    return CountMove(db, JobState::kRunning, JobState::kUnknown);
  }

  struct Existing {
    JobKey key = 0;
    JobState state = JobState::kPending;
    std::string content_hash;
    bool mid_flow = false;  // has a checkpoint
    bool cancelled_by_reload = false;
    int attempts = 0;
    std::int64_t next_attempt_ms = 0;
    bool seen = false;
  };

  static Status ApplyInTransaction(Db& db, const std::vector<std::string>& calendar_ids,
                                   const std::vector<JobRecord>& jobs, std::int64_t generation,
                                   std::int64_t now_ms, ReloadDiff& diff) {
    std::unordered_map<std::string, Existing> existing;
    {
      auto select = Prepare(db,
                            "SELECT seq, id, state, content_hash, checkpoint IS NOT NULL, "
                            "cancelled_by = 'reload', attempts, next_attempt_ms "
                            "FROM jobs WHERE calendar_id = ?1");
      if (!select.ok()) return select.error();
      for (const std::string& calendar : calendar_ids) {
        StmtUse s(**select);
        s->Bind(1, calendar);
        int rc;
        while ((rc = s->Step()) == SQLITE_ROW) {
          Existing e;
          e.key = s->Int(0);
          e.state = ParseJobState(s->Text(2)).value_or(JobState::kUnknown);
          e.content_hash = s->Text(3);
          e.mid_flow = s->Int(4) != 0;
          e.cancelled_by_reload = s->Int(5) != 0;
          e.attempts = static_cast<int>(s->Int(6));
          e.next_attempt_ms = s->Int(7);
          existing.emplace(s->Text(1), std::move(e));
        }
        if (rc != SQLITE_DONE) return db.SqlError("read the calendar's jobs");
      }
    }
    auto insert = Prepare(db,
                          "INSERT INTO jobs (id, post_id, campaign_id, goal, account, platform, "
                          "member_key, due_ms, next_attempt_ms, content_hash, payload_json, "
                          "late_grace_ms, generation, created_ms, updated_ms, calendar_id, state) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
                          "?14, ?15, 'pending')");
    if (!insert.ok()) return insert.error();
    auto rewrite =
        Prepare(db,
                "UPDATE jobs SET post_id = ?2, campaign_id = ?3, goal = ?4, account = ?5, "
                "platform = ?6, member_key = ?7, due_ms = ?8, next_attempt_ms = ?9, "
                "content_hash = ?10, payload_json = ?11, late_grace_ms = ?12, "
                "generation = ?13, updated_ms = ?14, state = 'pending', "
                "cancelled_by = '' WHERE seq = ?1");
    if (!rewrite.ok()) return rewrite.error();

    for (const JobRecord& job : jobs) {
      auto it = existing.find(job.id);
      if (it == existing.end()) {
        StmtUse s(**insert);
        s->Bind(1, job.id).Bind(15, job.calendar_id);
        BindContent(*s, job, job.due_ms, generation, now_ms);
        Status done = StepDone(db, *s, "insert job");
        if (!done.ok()) return done;
        ++diff.added;
        continue;
      }
      Existing& e = it->second;
      e.seen = true;
      const bool same = e.content_hash == job.content_hash;
      std::int64_t next_attempt_ms = job.due_ms;
      if (e.state == JobState::kCancelled && e.cancelled_by_reload) {
        ++diff.restored;
      } else if (same) {
        ++diff.unchanged;
        continue;
      } else if (e.state == JobState::kPending && !e.mid_flow) {
        if (e.attempts > 0) next_attempt_ms = std::max(job.due_ms, e.next_attempt_ms);
        ++diff.updated;
      } else {
        ++diff.kept;
        continue;
      }
      StmtUse s(**rewrite);
      s->Bind(1, e.key);
      BindContent(*s, job, next_attempt_ms, generation, now_ms);
      Status done = StepDone(db, *s, "update job");
      if (!done.ok()) return done;
    }

    if (Status counted = CountAdd(db, JobState::kPending, static_cast<std::int64_t>(diff.added));
        !counted.ok()) {
      return counted;
    }
    if (Status counted = CountMove(db, JobState::kCancelled, JobState::kPending,
                                   static_cast<std::int64_t>(diff.restored));
        !counted.ok()) {
      return counted;
    }

    auto cancel = Prepare(db,
                          "UPDATE jobs SET state = 'cancelled', cancelled_by = 'reload', "
                          "last_error = 'removed from its calendar', generation = ?2, "
                          "updated_ms = ?3 WHERE seq = ?1");
    if (!cancel.ok()) return cancel.error();
    for (const auto& [id, e] : existing) {
      if (e.seen) continue;
      if (e.state == JobState::kRunning || e.state == JobState::kUnknown) {
        ++diff.kept;
        continue;
      }
      if (e.state != JobState::kPending) continue;
      StmtUse s(**cancel);
      s->Bind(1, e.key).Bind(2, generation).Bind(3, now_ms);
      Status done = StepDone(db, *s, "cancel removed job");
      if (!done.ok()) return done;
      ++diff.cancelled;
    }
    return CountMove(db, JobState::kPending, JobState::kCancelled,
                     static_cast<std::int64_t>(diff.cancelled));
  }

  // Destruction order matters: writer_ (last declared) stops first.
  std::unique_ptr<Db> writer_db_;
  std::unique_ptr<Db> reader_db_ PT_GUARDED_BY(read_mu_);
  Mutex read_mu_;  // also guards reader_db_'s cached statements
  mutable Mutex summary_mu_;
  JournalSummary summary_ GUARDED_BY(summary_mu_);
  std::unique_ptr<GroupCommitWriter> writer_;
};

}  // namespace

Result<std::unique_ptr<Journal>> OpenSqliteJournal(const std::filesystem::path& file) {
  Result<std::unique_ptr<Db>> writer_db = Db::Open(file);
  if (!writer_db.ok()) return writer_db.error();
  Status migrated = MigrateSchema((*writer_db)->handle(), kJournalSchemaVersion);
  if (!migrated.ok()) return migrated.error();
  Result<std::unique_ptr<Db>> reader_db = Db::Open(file);
  if (!reader_db.ok()) return reader_db.error();
  return std::unique_ptr<Journal>(new SqliteJournal(std::move(*writer_db), std::move(*reader_db)));
}

}  // namespace herald::journal
