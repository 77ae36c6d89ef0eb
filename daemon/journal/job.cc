#include "journal/job.h"

#include <charconv>
#include <unordered_set>

namespace herald::journal {

const char* ToString(JobState state) {
  switch (state) {
    case JobState::kPending:
      return "pending";
    case JobState::kRunning:
      return "running";
    case JobState::kPublished:
      return "published";
    case JobState::kFailed:
      return "failed";
    case JobState::kCancelled:
      return "cancelled";
    case JobState::kUnknown:
      return "unknown";
  }
  return "unknown";
}

std::optional<JobState> ParseJobState(std::string_view text) {
  for (int i = 0; i < kJobStateCount; ++i) {
    auto state = static_cast<JobState>(i);
    if (text == ToString(state)) return state;
  }
  return std::nullopt;
}

const char* ToString(AttemptOutcome outcome) {
  switch (outcome) {
    case AttemptOutcome::kPublished:
      return "published";
    case AttemptOutcome::kFailed:
      return "failed";
    case AttemptOutcome::kRetry:
      return "retry";
    case AttemptOutcome::kContinue:
      return "continue";
    case AttemptOutcome::kUnknown:
      return "unknown";
    case AttemptOutcome::kInterrupted:
      return "interrupted";
  }
  return "failed";
}

std::string CursorAfter(const Job& last) {
  return std::to_string(last.record.due_ms) + ":" + std::to_string(last.key);
}

bool ParseCursor(std::string_view cursor, std::int64_t* due_ms, JobKey* key) {
  auto colon = cursor.find(':');
  if (colon == std::string_view::npos) return false;
  const char* begin = cursor.data();
  const char* end = begin + cursor.size();
  auto first = std::from_chars(begin, begin + colon, *due_ms);
  auto second = std::from_chars(begin + colon + 1, end, *key);
  return first.ec == std::errc() && first.ptr == begin + colon && second.ec == std::errc() &&
         second.ptr == end;
}

Status CheckGeneration(const std::vector<std::string>& calendar_ids,
                       const std::vector<JobRecord>& jobs) {
  std::unordered_set<std::string_view> calendars(calendar_ids.begin(), calendar_ids.end());
  std::unordered_set<std::string_view> ids;
  ids.reserve(jobs.size());
  for (const JobRecord& job : jobs) {
    if (job.id.empty()) return Error(ErrorCode::kInvalidArgument, "journal: a job has no id");
    if (!calendars.count(job.calendar_id)) {
      return Error(ErrorCode::kInvalidArgument,
                   "journal: job " + job.id + " belongs to calendar '" + job.calendar_id +
                       "', which is not among the calendars being applied");
    }
    if (!ids.insert(job.id).second) {
      return Error(ErrorCode::kInvalidArgument, "journal: job id " + job.id + " appears twice");
    }
  }
  return Status::Ok();
}

Error NoJobWithKey(JobKey key) {
  return Error(ErrorCode::kNotFound, "journal: no job with key " + std::to_string(key));
}

Error NoJobWithId(const std::string& id) {
  return Error(ErrorCode::kNotFound, "no job with id " + id);
}

Error IllegalTransition(JobKey key, JobState from, const char* action) {
  return Error(ErrorCode::kFailedPrecondition, "journal: job " + std::to_string(key) + " is " +
                                                   ToString(from) + "; cannot " + action);
}

}  // namespace herald::journal
