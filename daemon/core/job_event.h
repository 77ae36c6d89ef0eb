// JobEvent: what the daemon tells whoever watches (the log, the control API's
// event stream and metrics) about a job's moves and the calendars' reloads.
// A plain value; any thread.
#pragma once

#include <cstdint>
#include <string>

#include "core/admission.h"
#include "journal/job.h"

namespace herald::core {

struct JobEvent {
  enum class Kind {
    kState,    // the job is now in `state` in the journal
    kWaiting,  // still pending, held back for `wait_ms` (see `wait_reason`)
    kReload,   // the calendars were reloaded; about no job, `message` is the summary
  };
  Kind kind = Kind::kState;
  journal::JobKey key = 0;  // 0 for kReload
  std::string id;
  std::string account;
  std::string platform;
  std::string campaign;
  journal::JobState state = journal::JobState::kPending;  // kState (kWaiting: pending)
  std::string message;
  int64_t due_ms = 0;                               // when the job was due
  int64_t at_ms = 0;                                // when this happened
  int attempt = 0;                                  // the attempt's number, when about one
  WaitReason wait_reason = WaitReason::kRateLimit;  // kWaiting
  int64_t wait_ms = 0;                              // kWaiting
};

}  // namespace herald::core
