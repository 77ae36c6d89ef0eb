// The control API's JSON (docs/control-api.md): the daemon's jobs, attempts,
// loads, pauses and events as the documented objects, typed errors as the
// {"error": {"code", "message"}} answer with the status their code maps to,
// and request bodies, fields, times and pause scopes read back with an
// invalid_argument error that says what is wrong. Pure functions; any thread.
//
// cpprestsdk's json.h defines a U() macro that breaks fmt and Boost headers
// included after it: include this header last.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/diagnostic.h"
#include "common/result.h"
#include "control/http_server.h"
#include "core/admission.h"
#include "core/api_versions.h"
#include "core/calendar_sync.h"
#include "core/job_event.h"
#include "core/quota_tracker.h"
#include "journal/job.h"

#include <cpprest/json.h>

namespace herald::control {

web::json::value Str(const std::string& s);
// "2027-01-05T09:00:00Z" from milliseconds since the epoch.
std::string TimeText(int64_t ms);
// A response with `body` serialized, newline-terminated.
Response Json(int status, const web::json::value& body);
// The error answer for a typed error: 400, 403, 404, 409, 501, 503 or 500.
Response FromError(const Error& error);

// A request body as a JSON object whose members are among `fields` (the ones
// the endpoint reads); an empty body is {}. Nothing in a body is ignored:
// kInvalidArgument for text that is not JSON or not an object, for a member
// named twice in any object of it, and for a member the endpoint does not read.
Result<web::json::value> ParseObject(const std::string& body,
                                     const std::vector<std::string_view>& fields);
// A string member: absent gives `fallback`, another type is an error.
Result<std::string> StringField(const web::json::value& object, const char* name,
                                std::string fallback = {});
// Milliseconds since the epoch, or an RFC 3339 time ("2027-01-05T09:00:00Z",
// "...+01:00"), or a date ("2027-01-05", midnight UTC); `what` names the
// parameter in the error.
Result<int64_t> ParseTime(const std::string& text, const char* what);
// {"scope": all|platform|account|campaign, "name": ...}; the scope is
// required (an absent one is an error, never "all").
Result<core::PauseScope> ParseScope(const web::json::value& body);

web::json::value JobJson(const journal::Job& job);
web::json::value AttemptJson(const journal::Attempt& a);
web::json::value DiagnosticJson(const calendar::Diagnostic& d);
web::json::value SyncJson(const core::SyncResult& r);
web::json::value ScopeJson(const core::PausedScope& p);
web::json::value EventJson(const core::JobEvent& e);
// {name, version, released, expires, days_left, state, message}; dates as
// YYYY-MM-DD, null when unknown.
web::json::value ApiVersionJson(const core::ApiVersionReport& r);
// {reset_time_zone, day, resets_at, buckets: [{bucket, used, per_day, left}],
// exhausted_until (null when not), reason}.
web::json::value QuotaJson(const core::QuotaTracker::View& v);

}  // namespace herald::control
