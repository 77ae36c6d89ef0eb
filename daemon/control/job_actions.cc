#include "control/job_actions.h"

#include "control/api_json.h"

namespace herald::control {

std::vector<std::string_view> JobActionFields(const std::string& action) {
  if (action == "cancel") return {"reason"};
  if (action == "resolve") return {"outcome", "remote_id", "url", "note"};
  return {};  // retry, publish-now
}

Result<JobActionDone> ApplyJobAction(journal::Journal& journal, const std::string& id,
                                     const std::string& action, const web::json::value& body,
                                     const std::string& who, int64_t now_ms) {
  auto job = journal.GetById(id);
  if (!job.ok()) return job.error();
  const journal::JobKey key = job->key;
  const journal::JobState state = job->state;
  bool schedule = false;
  herald::Status done;
  auto conflict = [&](const std::string& what) {
    return Error(ErrorCode::kFailedPrecondition,
                 "job " + id + " is " + journal::ToString(state) + ": " + what);
  };

  if (action == "cancel") {
    auto reason = StringField(body, "reason", "cancelled by an admin (" + who + ")");
    if (!reason.ok()) return reason.error();
    if (state != journal::JobState::kPending)
      return conflict("only a pending job can be cancelled");
    done = journal.Cancel(key, now_ms, *reason);
  } else if (action == "retry") {
    if (state == journal::JobState::kUnknown) {
      return conflict("it may have been published; resolve it (POST /v1/jobs/" + id +
                      "/resolve) instead");
    }
    if (state != journal::JobState::kFailed && state != journal::JobState::kCancelled) {
      return conflict("only a failed or cancelled job can be retried");
    }
    done = journal.Retry(key, now_ms, now_ms);
    schedule = true;
  } else if (action == "publish-now") {
    if (state == journal::JobState::kPending) {
      done = journal.Reschedule(key, now_ms, now_ms);
    } else if (state == journal::JobState::kFailed || state == journal::JobState::kCancelled) {
      done = journal.Retry(key, now_ms, now_ms);
    } else {
      return conflict("only a pending, failed or cancelled job can be published now");
    }
    schedule = true;
  } else {  // resolve
    auto outcome = StringField(body, "outcome");
    if (!outcome.ok()) return outcome.error();
    auto remote_id = StringField(body, "remote_id");
    auto url = StringField(body, "url");
    auto note = StringField(body, "note", "resolved by an admin (" + who + ")");
    for (auto* r : {&remote_id, &url, &note}) {
      if (!r->ok()) return r->error();
    }
    journal::Resolution resolution;
    resolution.now_ms = now_ms;
    resolution.note = *note;
    if (*outcome == "published") {
      if (remote_id->empty()) {
        return Error(ErrorCode::kInvalidArgument,
                     "outcome 'published' needs the post's 'remote_id'");
      }
      resolution.kind = journal::Resolution::Kind::kPublished;
      resolution.remote_id = *remote_id;
      resolution.url = *url;
    } else if (*outcome == "retry") {
      resolution.kind = journal::Resolution::Kind::kPending;
      resolution.next_attempt_ms = now_ms;
      schedule = true;
    } else if (*outcome == "failed") {
      resolution.kind = journal::Resolution::Kind::kFailed;
    } else if (*outcome == "cancelled") {
      resolution.kind = journal::Resolution::Kind::kCancelled;
    } else {
      return Error(ErrorCode::kInvalidArgument,
                   "'outcome' must be published, retry, failed or cancelled");
    }
    if (state != journal::JobState::kUnknown) return conflict("only an unknown job is resolved");
    done = journal.Resolve(key, resolution);
  }
  if (!done.ok()) return done.error();
  return JobActionDone{key, schedule};
}

}  // namespace herald::control
