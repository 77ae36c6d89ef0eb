// The journal's value types: a job's state, the JobRecord a calendar load
// supplies, the Job row read back, attempts, and the results of reloads and
// queries. Plain values; any thread. The journal does not depend on the
// calendar library: heraldd converts calendar::Job into JobRecord.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace herald::journal {

// DESIGN.md's state machine:
//   pending  -> running (BeginAttempt), cancelled (Cancel, reload)
//   running  -> published | failed | unknown | pending (retry at a time, or
//               continue with a checkpoint) (FinishAttempt); unknown (RecoverAfterCrash)
//   unknown  -> published | pending | failed | cancelled (Resolve);
//               unknown awaiting an admin (AwaitAdmin)
//   failed, cancelled -> pending (Retry; a reload restores a job it had cancelled)
//   published is final.
enum class JobState { kPending, kRunning, kPublished, kFailed, kCancelled, kUnknown };
inline constexpr int kJobStateCount = 6;
const char* ToString(JobState state);
std::optional<JobState> ParseJobState(std::string_view text);

// The journal's own number for a job: assigned on insert, never reused, stable
// for the life of the journal file. Compact, so the scheduler keeps these.
using JobKey = std::int64_t;

// One job as a calendar load produces it (the input of ApplyGeneration).
struct JobRecord {
  std::string id;  // stable hash of (calendar, post, occurrence, member, account)
  std::string calendar_id;
  std::string post_id;
  std::string campaign_id;
  std::string goal;
  std::string account;  // "platform/name"
  std::string platform;
  std::string member_key;
  std::int64_t due_ms = 0;   // Unix epoch milliseconds, UTC
  std::string content_hash;  // changes exactly when the rendered post changes
  std::string payload_json;  // the rendered post handed to the connector
  std::int64_t late_grace_ms = 0;
};

// A job as stored. List() leaves payload_json and checkpoint empty to stay light.
struct Job {
  JobKey key = 0;
  JobRecord record;
  JobState state = JobState::kPending;
  std::int64_t next_attempt_ms = 0;       // when a pending job should run next
  std::int64_t generation = 0;            // the calendar generation that last wrote it
  std::optional<std::string> checkpoint;  // set while a multi-step flow is under way
  std::string remote_id;
  std::string url;
  int attempts = 0;
  std::string last_error;
  std::int64_t created_ms = 0;
  std::int64_t updated_ms = 0;
  // Unknown, and reconciliation could not tell whether it reached the
  // platform: it waits for an admin's resolve (last_error says why) and is no
  // longer reconciled at start-up. False in every other state.
  bool awaiting_admin = false;
};

// What the scheduler keeps per pending job: 16 bytes.
struct PendingEntry {
  JobKey key = 0;
  std::int64_t next_attempt_ms = 0;
  friend bool operator==(const PendingEntry&, const PendingEntry&) = default;
};

// How an attempt ended, as the dispatcher maps the connector's outcome.
enum class AttemptOutcome {
  kPublished,    // -> published (remote_id, url)
  kFailed,       // -> failed, permanently
  kRetry,        // -> pending at next_attempt_ms; the checkpoint, if any, is kept
  kContinue,     // -> pending at next_attempt_ms with the new checkpoint
  kUnknown,      // -> unknown: the request may have reached the platform
  kInterrupted,  // only recorded by RecoverAfterCrash; not accepted by FinishAttempt
};
const char* ToString(AttemptOutcome outcome);

struct AttemptResult {
  AttemptOutcome outcome = AttemptOutcome::kFailed;
  std::int64_t finished_ms = 0;
  std::int64_t next_attempt_ms = 0;  // kRetry, kContinue
  std::string checkpoint;            // kContinue
  std::string remote_id;             // kPublished
  std::string url;                   // kPublished
  int http_status = 0;               // 0: none (no answer)
  std::string platform_code;         // the platform's own error code, if any
  std::string message;               // for people; must hold no secret
};

// One row of a job's attempt history.
struct Attempt {
  JobKey key = 0;
  int n = 0;  // 1, 2, ...
  std::int64_t started_ms = 0;
  std::optional<std::int64_t> finished_ms;  // empty while running
  std::optional<AttemptOutcome> outcome;    // empty while running
  int http_status = 0;
  std::string platform_code;
  std::string message;
  std::string remote_id;
  std::optional<std::string> checkpoint;
};

// BeginAttempt's answer: the attempt's number and the whole job (payload and
// checkpoint included), read in the same transaction.
struct StartedAttempt {
  int n = 0;
  Job job;
};

// How a reload changed the journal.
struct ReloadDiff {
  std::size_t added = 0;      // new jobs, inserted pending
  std::size_t updated = 0;    // pending jobs whose content changed
  std::size_t cancelled = 0;  // pending jobs no longer in their calendar
  std::size_t unchanged = 0;  // same content hash: not written at all
  std::size_t restored = 0;   // jobs a reload had cancelled, back in the calendar: pending again
  std::size_t kept = 0;       // changed or removed, but past the point of change
                              // (running, published, unknown, failed, mid-flow): untouched
  friend bool operator==(const ReloadDiff&, const ReloadDiff&) = default;
};

// How an admin (or reconciliation through `find`) settles an unknown job.
struct Resolution {
  enum class Kind { kPublished, kPending, kFailed, kCancelled };
  Kind kind = Kind::kPending;
  std::int64_t now_ms = 0;
  std::int64_t next_attempt_ms = 0;  // kPending
  std::string remote_id;             // kPublished
  std::string url;                   // kPublished
  std::string note;                  // why; stored as last_error for kFailed/kCancelled
};

// One calendar load, kept for the control API's history.
struct CalendarLoad {
  std::int64_t generation = 0;
  std::int64_t time_ms = 0;
  std::string result;  // "ok" or the errors, as shown to people
};

// A pause in force, as the journal keeps it so that it survives a restart
// (and a kill): its scope and cause in the control API's words ("all",
// "platform", "account", "campaign"; "admin", "auth_expired", ...); the
// scheduler's Admission gives them their types.
struct PauseRecord {
  std::string scope;
  std::string name;  // empty for "all"
  std::string cause;
  std::string reason;
  std::int64_t since_ms = 0;
  bool operator==(const PauseRecord&) const = default;
};

// Filters are ANDed; due_ms in [due_from_ms, due_to_ms). Ordered by (due_ms, key).
struct JobQuery {
  std::vector<JobState> states;  // any of them; empty: any state
  std::string campaign_id;       // empty: any
  std::string account;           // empty: any
  std::optional<std::int64_t> due_from_ms;
  std::optional<std::int64_t> due_to_ms;
  std::size_t limit = 100;  // 1..1000
  std::string cursor;       // empty: from the start; else a JobPage::next_cursor
};

struct JobPage {
  std::vector<Job> jobs;
  std::string next_cursor;  // empty when there is nothing after this page
};

// A page's cursor: "<due_ms>:<key>" of its last job; the next page holds the
// jobs ordered after that (due_ms, key). ParseCursor is false on anything else.
std::string CursorAfter(const Job& last);
bool ParseCursor(std::string_view cursor, std::int64_t* due_ms, JobKey* key);

// ApplyGeneration's check of its input, before anything is written: every job
// has an id, belongs to one of `calendar_ids`, and appears once
// (kInvalidArgument naming the job otherwise).
Status CheckGeneration(const std::vector<std::string>& calendar_ids,
                       const std::vector<JobRecord>& jobs);

// The errors every Journal implementation gives, word for word.
Error NoJobWithKey(JobKey key);            // kNotFound
Error NoJobWithId(const std::string& id);  // kNotFound: "no job with id ID", for people
Error IllegalTransition(JobKey key, JobState from, const char* action);  // kFailedPrecondition

struct StateCounts {
  std::int64_t by_state[kJobStateCount] = {};
  std::int64_t operator[](JobState s) const { return by_state[static_cast<int>(s)]; }
};

// The journal's live figures: jobs by state and the pending job due first.
// The writer refreshes them after each commit that wrote rows, before that
// commit's callers return, so they include every change whose call returned.
struct JournalSummary {
  StateCounts counts;
  std::optional<PendingEntry> next_due;
  std::uint64_t version = 0;  // grows with each refresh
};

// Group-commit counters since Open (for benchmarks and the control API).
struct JournalStats {
  std::uint64_t commits = 0;       // write transactions committed
  std::uint64_t changes = 0;       // state changes (requests) applied in them
  std::uint64_t rows_written = 0;  // rows inserted, updated or deleted
};

}  // namespace herald::journal
