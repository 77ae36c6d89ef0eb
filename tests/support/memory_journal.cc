#include "memory_journal.h"

#include <algorithm>
#include <tuple>
#include <unordered_set>

namespace herald::testing {

using journal::AttemptOutcome;
using journal::Job;
using journal::JobKey;
using journal::JobState;

namespace {

void MarkPublished(Job& job, const std::string& remote_id, const std::string& url) {
  job.state = JobState::kPublished;
  job.remote_id = remote_id;
  job.url = url;
  job.checkpoint.reset();
  job.last_error.clear();
}

// A job as List() returns it: without its payload and checkpoint.
Job Light(const Job& job) {
  Job light = job;
  light.record.payload_json.clear();
  light.checkpoint.reset();
  return light;
}

}  // namespace

MemoryJournal::MemoryJournal() {
  MutexLock lock(mu_);
  RefreshSummary();
}

std::unique_ptr<MemoryJournal> MemoryJournal::Reopen() const {
  auto reopened = std::make_unique<MemoryJournal>();
  MutexLock lock(mu_);
  MutexLock other(reopened->mu_);
  reopened->state_ = state_;
  reopened->RefreshSummary();
  return reopened;
}

void MemoryJournal::set_fault(Fault fault) {
  MutexLock lock(mu_);
  fault_ = std::move(fault);
}

std::optional<Error> MemoryJournal::Faulted(std::string_view call, JobKey key) const {
  if (!fault_) return std::nullopt;
  return fault_(call, key);
}

void MemoryJournal::Committed(uint64_t rows) {
  stats_.commits += 1;
  stats_.changes += 1;
  stats_.rows_written += rows;
  if (rows > 0) RefreshSummary();
}

void MemoryJournal::RefreshSummary() {
  journal::JournalSummary next;
  for (const auto& [key, row] : state_.rows) {
    next.counts.by_state[static_cast<int>(row.job.state)] += 1;
  }
  std::vector<journal::PendingEntry> pending = Pending();
  if (!pending.empty()) next.next_due = pending.front();
  next.version = summary_.version + 1;
  summary_ = next;
}

MemoryJournal::Row* MemoryJournal::Find(JobKey key) {
  auto it = state_.rows.find(key);
  return it == state_.rows.end() ? nullptr : &it->second;
}

std::vector<journal::PendingEntry> MemoryJournal::Pending() const {
  std::vector<journal::PendingEntry> pending;
  for (const auto& [key, row] : state_.rows) {
    if (row.job.state == JobState::kPending) pending.push_back({key, row.job.next_attempt_ms});
  }
  std::sort(pending.begin(), pending.end(), [](const auto& a, const auto& b) {
    return std::tie(a.next_attempt_ms, a.key) < std::tie(b.next_attempt_ms, b.key);
  });
  return pending;
}

Status MemoryJournal::Transition(std::string_view call, JobKey key,
                                 std::initializer_list<JobState> from, const char* action,
                                 const std::function<void(Row&)>& apply) {
  if (auto fault = Faulted(call, key)) return *fault;
  Row* row = Find(key);
  if (!row) {
    Committed(0);
    return journal::NoJobWithKey(key);
  }
  if (std::find(from.begin(), from.end(), row->job.state) == from.end()) {
    Committed(0);
    return journal::IllegalTransition(key, row->job.state, action);
  }
  apply(*row);
  Committed(1);
  return Status::Ok();
}

Result<journal::ReloadDiff> MemoryJournal::ApplyGeneration(
    const std::vector<std::string>& calendar_ids, const std::vector<journal::JobRecord>& jobs,
    int64_t generation, int64_t now_ms) {
  std::unordered_set<std::string_view> calendars(calendar_ids.begin(), calendar_ids.end());
  if (Status valid = journal::CheckGeneration(calendar_ids, jobs); !valid.ok())
    return valid.error();
  MutexLock lock(mu_);
  if (auto fault = Faulted("ApplyGeneration", 0)) return *fault;
  // A job id held by another calendar is SQLite's UNIQUE violation: the whole
  // reload fails and changes nothing.
  for (const journal::JobRecord& job : jobs) {
    auto it = state_.by_id.find(job.id);
    if (it != state_.by_id.end() &&
        !calendars.count(state_.rows.at(it->second).job.record.calendar_id)) {
      Committed(0);
      return Error(ErrorCode::kIo, "journal: insert job: UNIQUE constraint failed: jobs.id");
    }
  }

  journal::ReloadDiff diff;
  uint64_t rows = 0;
  std::unordered_set<JobKey> seen;
  auto rewrite = [&](Row& row, const journal::JobRecord& job, int64_t next_attempt_ms) {
    journal::JobRecord record = job;
    record.calendar_id = row.job.record.calendar_id;
    row.job.record = std::move(record);
    row.job.next_attempt_ms = next_attempt_ms;
    row.job.generation = generation;
    row.job.updated_ms = now_ms;
    row.job.state = JobState::kPending;
    row.cancelled_by.clear();
    ++rows;
  };
  for (const journal::JobRecord& job : jobs) {
    auto it = state_.by_id.find(job.id);
    if (it == state_.by_id.end()) {
      Row row;
      row.job.key = state_.next_key++;
      row.job.record = job;
      row.job.state = JobState::kPending;
      row.job.next_attempt_ms = job.due_ms;
      row.job.generation = generation;
      row.job.created_ms = now_ms;
      row.job.updated_ms = now_ms;
      state_.by_id[job.id] = row.job.key;
      seen.insert(row.job.key);
      state_.rows.emplace(row.job.key, std::move(row));
      ++diff.added;
      ++rows;
      continue;
    }
    Row& row = state_.rows.at(it->second);
    seen.insert(row.job.key);
    const bool same = row.job.record.content_hash == job.content_hash;
    const bool mid_flow = row.job.checkpoint.has_value();
    int64_t next_attempt_ms = job.due_ms;
    if (row.job.state == JobState::kCancelled && row.cancelled_by == "reload") {
      ++diff.restored;
    } else if (same) {
      ++diff.unchanged;
      continue;
    } else if (row.job.state == JobState::kPending && !mid_flow) {
      if (row.job.attempts > 0) next_attempt_ms = std::max(job.due_ms, row.job.next_attempt_ms);
      ++diff.updated;
    } else {
      ++diff.kept;
      continue;
    }
    rewrite(row, job, next_attempt_ms);
  }
  for (auto& [key, row] : state_.rows) {
    if (seen.count(key) || !calendars.count(row.job.record.calendar_id)) continue;
    if (row.job.state == JobState::kRunning || row.job.state == JobState::kUnknown) {
      ++diff.kept;
      continue;
    }
    if (row.job.state != JobState::kPending) continue;
    row.job.state = JobState::kCancelled;
    row.cancelled_by = "reload";
    row.job.last_error = "removed from its calendar";
    row.job.generation = generation;
    row.job.updated_ms = now_ms;
    ++diff.cancelled;
    ++rows;
  }
  Committed(rows);
  return diff;
}

Result<std::map<std::string, std::string>> MemoryJournal::CalendarFiles() {
  MutexLock lock(mu_);
  if (auto fault = Faulted("CalendarFiles", 0)) return *fault;
  return state_.calendar_files;
}

Status MemoryJournal::SetCalendarFiles(const std::map<std::string, std::string>& id_by_file) {
  MutexLock lock(mu_);
  if (auto fault = Faulted("SetCalendarFiles", 0)) return *fault;
  const uint64_t rows = state_.calendar_files.size() + id_by_file.size();
  state_.calendar_files = id_by_file;
  Committed(rows);
  return Status::Ok();
}

Result<std::vector<journal::PauseRecord>> MemoryJournal::Pauses() {
  MutexLock lock(mu_);
  if (auto fault = Faulted("Pauses", 0)) return *fault;
  std::vector<journal::PauseRecord> out;
  for (const auto& [scope, pause] : state_.pauses) out.push_back(pause);
  return out;
}

Status MemoryJournal::SavePause(const journal::PauseRecord& pause) {
  MutexLock lock(mu_);
  if (auto fault = Faulted("SavePause", 0)) return *fault;
  state_.pauses[{pause.scope, pause.name}] = pause;
  Committed(1);
  return Status::Ok();
}

Status MemoryJournal::DropPause(const std::string& scope, const std::string& name) {
  MutexLock lock(mu_);
  if (auto fault = Faulted("DropPause", 0)) return *fault;
  Committed(state_.pauses.erase({scope, name}));
  return Status::Ok();
}

Status MemoryJournal::RecordCalendarLoad(const journal::CalendarLoad& load) {
  MutexLock lock(mu_);
  if (auto fault = Faulted("RecordCalendarLoad", 0)) return *fault;
  state_.loads.push_back(load);
  Committed(1);
  return Status::Ok();
}

Result<std::vector<journal::CalendarLoad>> MemoryJournal::CalendarLoads(size_t limit) {
  MutexLock lock(mu_);
  if (auto fault = Faulted("CalendarLoads", 0)) return *fault;
  std::vector<journal::CalendarLoad> newest_first;
  for (auto it = state_.loads.rbegin(); it != state_.loads.rend() && newest_first.size() < limit;
       ++it) {
    newest_first.push_back(*it);
  }
  return newest_first;
}

Result<std::vector<journal::PendingEntry>> MemoryJournal::LoadPending() {
  MutexLock lock(mu_);
  if (auto fault = Faulted("LoadPending", 0)) return *fault;
  return Pending();
}

Result<std::optional<journal::PendingEntry>> MemoryJournal::NextDue() {
  MutexLock lock(mu_);
  if (auto fault = Faulted("NextDue", 0)) return *fault;
  std::vector<journal::PendingEntry> pending = Pending();
  if (pending.empty()) return std::optional<journal::PendingEntry>();
  return std::optional<journal::PendingEntry>(pending.front());
}

Result<journal::StartedAttempt> MemoryJournal::BeginAttempt(JobKey key, int64_t now_ms) {
  MutexLock lock(mu_);
  journal::StartedAttempt started;
  Status status =
      Transition("BeginAttempt", key, {JobState::kPending}, "begin an attempt", [&](Row& row) {
        row.job.state = JobState::kRunning;
        row.job.attempts += 1;
        row.job.updated_ms = now_ms;
        journal::Attempt attempt;
        attempt.key = key;
        attempt.n = row.job.attempts;
        attempt.started_ms = now_ms;
        row.attempts.push_back(attempt);
        started.job = row.job;
        started.n = row.job.attempts;
      });
  if (!status.ok()) return status.error();
  return started;
}

Status MemoryJournal::FinishAttempt(JobKey key, const journal::AttemptResult& result) {
  if (result.outcome == AttemptOutcome::kInterrupted) {
    return Error(ErrorCode::kInvalidArgument,
                 "journal: 'interrupted' is recorded by crash recovery only");
  }
  MutexLock lock(mu_);
  return Transition("FinishAttempt", key, {JobState::kRunning}, "finish an attempt", [&](Row& row) {
    Job& job = row.job;
    job.updated_ms = result.finished_ms;
    switch (result.outcome) {
      case AttemptOutcome::kPublished:
        MarkPublished(job, result.remote_id, result.url);
        break;
      case AttemptOutcome::kFailed:
        job.state = JobState::kFailed;
        job.last_error = result.message;
        break;
      case AttemptOutcome::kRetry:
        job.state = JobState::kPending;
        job.next_attempt_ms = result.next_attempt_ms;
        job.last_error = result.message;
        break;
      case AttemptOutcome::kContinue:
        job.state = JobState::kPending;
        job.next_attempt_ms = result.next_attempt_ms;
        job.checkpoint = result.checkpoint;
        job.last_error.clear();
        break;
      case AttemptOutcome::kUnknown:
      case AttemptOutcome::kInterrupted:
        job.state = JobState::kUnknown;
        job.awaiting_admin = false;
        job.last_error = result.message;
        break;
    }
    for (journal::Attempt& attempt : row.attempts) {
      if (attempt.n != job.attempts) continue;
      attempt.finished_ms = result.finished_ms;
      attempt.outcome = result.outcome;
      attempt.http_status = result.http_status;
      attempt.platform_code = result.platform_code;
      attempt.message = result.message;
      attempt.remote_id = result.remote_id;
      attempt.checkpoint.reset();
      if (result.outcome == AttemptOutcome::kContinue) {
        attempt.checkpoint = result.checkpoint;
      }
    }
  });
}

Result<std::vector<Job>> MemoryJournal::RecoverAfterCrash(int64_t now_ms) {
  MutexLock lock(mu_);
  if (auto fault = Faulted("RecoverAfterCrash", 0)) return *fault;
  std::vector<Job> recovered;
  for (auto& [key, row] : state_.rows) {
    if (row.job.state == JobState::kUnknown && !row.job.awaiting_admin) {
      recovered.push_back(row.job);
    }
  }
  const size_t unsettled = recovered.size();
  for (auto& [key, row] : state_.rows) {
    if (row.job.state != JobState::kRunning) continue;
    for (journal::Attempt& attempt : row.attempts) {
      if (attempt.n != row.job.attempts || attempt.finished_ms) continue;
      attempt.finished_ms = now_ms;
      attempt.outcome = AttemptOutcome::kInterrupted;
      attempt.message = "heraldd stopped before the answer came back";
    }
    row.job.state = JobState::kUnknown;
    row.job.awaiting_admin = false;
    row.job.updated_ms = now_ms;
    row.job.last_error =
        "interrupted: the request may have reached the platform; reconcile before any retry";
    recovered.push_back(row.job);
  }
  Committed(recovered.size() - unsettled);
  return recovered;
}

Status MemoryJournal::AwaitAdmin(JobKey key, int64_t now_ms, const std::string& why) {
  MutexLock lock(mu_);
  return Transition("AwaitAdmin", key, {JobState::kUnknown},
                    "hand it to an admin (only unknown jobs are)", [&](Row& row) {
                      row.job.awaiting_admin = true;
                      row.job.last_error = why;
                      row.job.updated_ms = now_ms;
                    });
}

Status MemoryJournal::Resolve(JobKey key, const journal::Resolution& resolution) {
  MutexLock lock(mu_);
  return Transition("Resolve", key, {JobState::kUnknown},
                    "resolve it (only unknown jobs are resolved)", [&](Row& row) {
                      Job& job = row.job;
                      job.updated_ms = resolution.now_ms;
                      job.awaiting_admin = false;
                      switch (resolution.kind) {
                        case journal::Resolution::Kind::kPublished:
                          MarkPublished(job, resolution.remote_id, resolution.url);
                          break;
                        case journal::Resolution::Kind::kPending:
                          job.state = JobState::kPending;
                          job.next_attempt_ms = resolution.next_attempt_ms;
                          job.last_error = resolution.note;
                          break;
                        case journal::Resolution::Kind::kFailed:
                          job.state = JobState::kFailed;
                          job.last_error = resolution.note;
                          break;
                        case journal::Resolution::Kind::kCancelled:
                          job.state = JobState::kCancelled;
                          row.cancelled_by = "admin";
                          job.last_error = resolution.note;
                          break;
                      }
                    });
}

Status MemoryJournal::Cancel(JobKey key, int64_t now_ms, const std::string& reason) {
  MutexLock lock(mu_);
  return Transition("Cancel", key, {JobState::kPending}, "cancel it", [&](Row& row) {
    row.job.state = JobState::kCancelled;
    row.cancelled_by = "admin";
    row.job.last_error = reason;
    row.job.updated_ms = now_ms;
  });
}

Status MemoryJournal::Retry(JobKey key, int64_t at_ms, int64_t now_ms) {
  MutexLock lock(mu_);
  return Transition("Retry", key, {JobState::kFailed, JobState::kCancelled}, "retry it",
                    [&](Row& row) {
                      row.job.state = JobState::kPending;
                      row.cancelled_by.clear();
                      row.job.next_attempt_ms = at_ms;
                      row.job.updated_ms = now_ms;
                    });
}

Status MemoryJournal::Reschedule(JobKey key, int64_t at_ms, int64_t now_ms) {
  MutexLock lock(mu_);
  return Transition("Reschedule", key, {JobState::kPending}, "reschedule it", [&](Row& row) {
    row.job.next_attempt_ms = at_ms;
    row.job.updated_ms = now_ms;
  });
}

Result<Job> MemoryJournal::Get(JobKey key) {
  MutexLock lock(mu_);
  if (auto fault = Faulted("Get", key)) return *fault;
  const Row* row = Find(key);
  if (!row) return Error(ErrorCode::kNotFound, "journal: no job " + std::to_string(key));
  return row->job;
}

Result<Job> MemoryJournal::GetById(const std::string& id) {
  MutexLock lock(mu_);
  auto it = state_.by_id.find(id);
  if (auto fault = Faulted("GetById", it == state_.by_id.end() ? 0 : it->second)) return *fault;
  if (it == state_.by_id.end()) return journal::NoJobWithId(id);
  return state_.rows.at(it->second).job;
}

Result<journal::JobPage> MemoryJournal::List(const journal::JobQuery& query) {
  int64_t cursor_due = 0;
  int64_t cursor_key = 0;
  const bool has_cursor = !query.cursor.empty();
  if (has_cursor && !journal::ParseCursor(query.cursor, &cursor_due, &cursor_key)) {
    return Error(ErrorCode::kInvalidArgument, "journal: malformed cursor '" + query.cursor + "'");
  }
  const size_t limit = std::clamp<size_t>(query.limit, 1, 1000);
  MutexLock lock(mu_);
  if (auto fault = Faulted("List", 0)) return *fault;
  std::vector<const Job*> matches;
  for (const auto& [key, row] : state_.rows) {
    const Job& job = row.job;
    if (!query.states.empty() &&
        std::find(query.states.begin(), query.states.end(), job.state) == query.states.end()) {
      continue;
    }
    if (!query.campaign_id.empty() && job.record.campaign_id != query.campaign_id) continue;
    if (!query.account.empty() && job.record.account != query.account) continue;
    if (query.due_from_ms && job.record.due_ms < *query.due_from_ms) continue;
    if (query.due_to_ms && job.record.due_ms >= *query.due_to_ms) continue;
    if (has_cursor && std::tie(job.record.due_ms, job.key) <= std::tie(cursor_due, cursor_key)) {
      continue;
    }
    matches.push_back(&job);
  }
  std::sort(matches.begin(), matches.end(), [](const Job* a, const Job* b) {
    return std::tie(a->record.due_ms, a->key) < std::tie(b->record.due_ms, b->key);
  });
  journal::JobPage page;
  for (size_t i = 0; i < matches.size() && i < limit; ++i) page.jobs.push_back(Light(*matches[i]));
  if (matches.size() > limit) {
    page.next_cursor = journal::CursorAfter(page.jobs.back());
  }
  return page;
}

Result<journal::StateCounts> MemoryJournal::CountByState() {
  MutexLock lock(mu_);
  if (auto fault = Faulted("CountByState", 0)) return *fault;
  journal::StateCounts counts;
  for (const auto& [key, row] : state_.rows) {
    counts.by_state[static_cast<int>(row.job.state)] += 1;
  }
  return counts;
}

Result<std::vector<journal::Attempt>> MemoryJournal::Attempts(JobKey key) {
  MutexLock lock(mu_);
  if (auto fault = Faulted("Attempts", key)) return *fault;
  const Row* row = Find(key);
  if (!row) return std::vector<journal::Attempt>();
  return row->attempts;
}

journal::JournalStats MemoryJournal::Stats() const {
  MutexLock lock(mu_);
  return stats_;
}

journal::JournalSummary MemoryJournal::Summary() const {
  MutexLock lock(mu_);
  return summary_;
}

}  // namespace herald::testing
