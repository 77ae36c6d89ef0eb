// Journal: the single source of truth for jobs and their attempts (DESIGN.md,
// "Journal"). This interface exists so the scheduler's tests can replace it and
// so another backend (PostgreSQL) can be added; OpenSqliteJournal() in
// sqlite_journal.h gives the embedded SQLite one.
//
// Durability: every mutating call returns only once its change is durable
// (committed and fsynced), or fails and changed nothing.
//
// Threading: every member may be called from any thread, concurrently.
// Mutations are applied in arrival order by one writer; concurrent mutations
// share commits (group commit). Reads run beside the writer and see every
// change whose mutating call has returned. Errors are values; nothing throws.
//
// Illegal transitions (see JobState) fail with kFailedPrecondition and change
// nothing; an unknown key fails with kNotFound.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/result.h"
#include "journal/job.h"

namespace herald::journal {

class Journal {
 public:
  virtual ~Journal() = default;

  // Brings the calendars `calendar_ids` to exactly `jobs` (each job's
  // calendar_id must be among them; ids unique): new jobs are inserted pending,
  // pending jobs whose content_hash changed are rewritten (unless a multi-step
  // flow is under way), pending jobs absent from `jobs` are cancelled, jobs a
  // reload had cancelled come back when present again. Running, published,
  // unknown and failed jobs are never touched. With nothing changed nothing is
  // written. All of it is one transaction. Any thread; blocks until durable.
  // A large set holds the writer for its duration (other mutations queue).
  virtual Result<ReloadDiff> ApplyGeneration(const std::vector<std::string>& calendar_ids,
                                             const std::vector<JobRecord>& jobs,
                                             std::int64_t generation, std::int64_t now_ms) = 0;

  // The calendar files in force and the calendar each holds (file -> id), as
  // the last call to SetCalendarFiles left them; empty at first.
  virtual Result<std::map<std::string, std::string>> CalendarFiles() = 0;
  // Replaces that map. Any thread; blocks until durable.
  virtual Status SetCalendarFiles(const std::map<std::string, std::string>& id_by_file) = 0;

  // Appends to the calendar load history.
  virtual Status RecordCalendarLoad(const CalendarLoad& load) = 0;
  // The most recent loads, newest first.
  virtual Result<std::vector<CalendarLoad>> CalendarLoads(std::size_t limit) = 0;

  // Every pending job as (key, next_attempt_ms), ordered by next_attempt_ms;
  // 16 bytes a job, the payload is not read. Any thread; never waits for the
  // writer (reads on their own connection, one read at a time).
  virtual Result<std::vector<PendingEntry>> LoadPending() = 0;
  // The pending job due first, or nullopt when none is pending.
  virtual Result<std::optional<PendingEntry>> NextDue() = 0;

  // pending -> running: counts the attempt and records it as started. Durable
  // before returning, so the request may leave once this returns. Any thread;
  // concurrent calls share one commit.
  virtual Result<StartedAttempt> BeginAttempt(JobKey key, std::int64_t now_ms) = 0;

  // running -> the state `result.outcome` leads to; completes the attempt row.
  // Any thread; blocks until durable.
  virtual Status FinishAttempt(JobKey key, const AttemptResult& result) = 0;

  // At start-up, before anything runs: every running job becomes unknown (its
  // open attempt recorded as interrupted). Returns, in full, for
  // reconciliation through the connector's `find`: every unknown job not
  // handed to an admin (AwaitAdmin), those an earlier start left unsettled
  // first (ordered by key), then the ones just interrupted (ordered by key).
  // Call once, from the thread that starts the daemon, before the first
  // BeginAttempt.
  virtual Result<std::vector<Job>> RecoverAfterCrash(std::int64_t now_ms) = 0;

  // unknown -> unknown awaiting an admin: reconciliation could not tell, so
  // start-up stops reconciling it; `why` becomes its last_error.
  virtual Status AwaitAdmin(JobKey key, std::int64_t now_ms, const std::string& why) = 0;

  // unknown (awaiting an admin or not) -> published | pending | failed | cancelled.
  virtual Status Resolve(JobKey key, const Resolution& resolution) = 0;

  // The pauses in force, as SavePause and DropPause left them (ordered by
  // scope, then name); read at start-up.
  virtual Result<std::vector<PauseRecord>> Pauses() = 0;
  // Records `pause`, replacing the one of the same scope and name. Any thread;
  // blocks until durable.
  virtual Status SavePause(const PauseRecord& pause) = 0;
  // Forgets the pause of `scope` and `name` (Ok when there was none). Any
  // thread; blocks until durable.
  virtual Status DropPause(const std::string& scope, const std::string& name) = 0;
  // pending -> cancelled (by an admin).
  virtual Status Cancel(JobKey key, std::int64_t now_ms, const std::string& reason) = 0;

  // failed | cancelled -> pending at `at_ms` (by an admin). Attempts are kept.
  virtual Status Retry(JobKey key, std::int64_t at_ms, std::int64_t now_ms) = 0;

  // pending -> pending with its next attempt at `at_ms` (publish-now by an
  // admin), in one transaction: a reader never sees it in another state.
  // Attempts, checkpoint and errors are kept.
  virtual Status Reschedule(JobKey key, std::int64_t at_ms, std::int64_t now_ms) = 0;

  // Reads: any thread; they see every change whose call has returned.
  virtual Result<Job> Get(JobKey key) = 0;
  virtual Result<Job> GetById(const std::string& id) = 0;
  virtual Result<JobPage> List(const JobQuery& query) = 0;
  virtual Result<StateCounts> CountByState() = 0;
  virtual Result<std::vector<Attempt>> Attempts(JobKey key) = 0;

  // Counters; any thread, never blocks on I/O.
  virtual JournalStats Stats() const = 0;
  // Jobs by state and the next due job, without reading the database: what the
  // control API's status and metrics serve. Any thread, never blocks on I/O.
  virtual JournalSummary Summary() const = 0;
};

}  // namespace herald::journal
