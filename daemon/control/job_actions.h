// Job actions: what an admin may do to one job through the control API
// (POST /v1/jobs/ID/cancel, retry, publish-now, resolve), from which states
// each is allowed, and its change applied to the journal. A state that does
// not allow the action is kFailedPrecondition (409 conflict), a bad body
// field kInvalidArgument; the journal's own errors come back as they are.
// The caller schedules the job on the daemon's loop when asked to.
//
// Any thread that may use the journal (the control server's). Includes
// cpprestsdk's json.h: include it last, as api_json.h says.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "journal/journal.h"

#include <cpprest/json.h>

namespace herald::control {

struct JobActionDone {
  journal::JobKey key = 0;
  // The job is pending again and due now: the daemon should schedule it.
  bool schedule = false;
};

// The body members `action` reads (any other is refused by ParseObject).
std::vector<std::string_view> JobActionFields(const std::string& action);

// action: "cancel", "retry", "publish-now" or "resolve" (the routes' words);
// body: the request's JSON object; who: the peer, for default reasons and notes.
Result<JobActionDone> ApplyJobAction(journal::Journal& journal, const std::string& id,
                                     const std::string& action, const web::json::value& body,
                                     const std::string& who, int64_t now_ms);

}  // namespace herald::control
