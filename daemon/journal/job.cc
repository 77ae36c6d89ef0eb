#include "journal/job.h"

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

}  // namespace herald::journal
