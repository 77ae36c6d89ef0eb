#include "control/api_json.h"

#include <date/date.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>
#include <sstream>
#include <vector>

namespace herald::control {

using web::json::value;

value Str(const std::string& s) { return value::string(s); }

std::string TimeText(int64_t ms) {
  date::sys_time<std::chrono::milliseconds> tp{std::chrono::milliseconds(ms)};
  return date::format("%FT%TZ", tp);
}

Response Json(int status, const value& body) {
  Response r;
  r.status = status;
  r.body = body.serialize() + "\n";
  return r;
}

Response FromError(const Error& error) {
  switch (error.code()) {
    case ErrorCode::kInvalidArgument:
      return ErrorResponse(400, "invalid_argument", error.message());
    case ErrorCode::kNotFound:
      return ErrorResponse(404, "not_found", error.message());
    case ErrorCode::kAlreadyExists:
      return ErrorResponse(409, "already_exists", error.message());
    case ErrorCode::kPermissionDenied:
      return ErrorResponse(403, "forbidden", error.message());
    case ErrorCode::kFailedPrecondition:
      return ErrorResponse(409, "conflict", error.message());
    case ErrorCode::kUnavailable:
      return ErrorResponse(503, "unavailable", error.message());
    case ErrorCode::kNotImplemented:
      return ErrorResponse(501, "not_implemented", error.message());
    case ErrorCode::kIo:
    case ErrorCode::kInternal:
      break;
  }
  return ErrorResponse(500, "internal", error.message());
}

namespace {

// The first member named twice in one object of `v`, at any depth; "" when none.
std::string RepeatedMember(const value& v) {
  if (v.is_array()) {
    for (const value& item : v.as_array()) {
      if (std::string r = RepeatedMember(item); !r.empty()) return r;
    }
  }
  if (!v.is_object()) return {};
  std::set<std::string> seen;
  for (const auto& [name, member] : v.as_object()) {
    if (!seen.insert(name).second) return name;
    if (std::string r = RepeatedMember(member); !r.empty()) return r;
  }
  return {};
}

}  // namespace

Result<value> ParseObject(const std::string& body, const std::vector<std::string_view>& fields) {
  value v = value::object();
  if (body.find_first_not_of(" \t\r\n") != std::string::npos) {
    std::error_code ec;
    v = value::parse(body, ec);
    if (ec)
      return Error(ErrorCode::kInvalidArgument, "the body is not valid JSON: " + ec.message());
  }
  if (!v.is_object()) return Error(ErrorCode::kInvalidArgument, "the body must be a JSON object");
  if (std::string twice = RepeatedMember(v); !twice.empty()) {
    return Error(ErrorCode::kInvalidArgument,
                 "'" + twice + "' is given more than once in the body; which one was meant?");
  }
  for (const auto& [name, member] : v.as_object()) {
    if (std::find(fields.begin(), fields.end(), name) != fields.end()) continue;
    std::string known;
    for (std::string_view f : fields) known += (known.empty() ? "'" : ", '") + std::string(f) + "'";
    return Error(ErrorCode::kInvalidArgument,
                 "the body has '" + name + "', which this endpoint does not read (" +
                     (known.empty() ? std::string("it takes no fields") : "it reads " + known) +
                     ")");
  }
  return v;
}

Result<std::string> StringField(const value& object, const char* name, std::string fallback) {
  if (!object.has_field(name)) return fallback;
  const value& v = object.at(name);
  if (v.is_null()) return fallback;
  if (!v.is_string()) {
    return Error(ErrorCode::kInvalidArgument, std::string("'") + name + "' must be a string");
  }
  return v.as_string();
}

Result<int64_t> ParseTime(const std::string& text, const char* what) {
  int64_t ms = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
  if (ec == std::errc() && end == text.data() + text.size()) return ms;
  // date::parse negates an offset it never read when a sign after the time
  // has no digits ("...T09:00:00-x"), which is undefined: the offset's sign
  // must be followed by its hours, else the text is not an RFC 3339 time.
  const auto malformed =
      Error(ErrorCode::kInvalidArgument,
            std::string(what) + ": '" + text +
                "' is neither milliseconds since the epoch nor an RFC 3339 time");
  for (std::size_t i = 10; i < text.size(); ++i) {
    if ((text[i] == '+' || text[i] == '-') &&
        (i + 2 >= text.size() || !std::isdigit(static_cast<unsigned char>(text[i + 1])) ||
         !std::isdigit(static_cast<unsigned char>(text[i + 2])))) {
      return malformed;
    }
  }
  for (const char* format : {"%FT%TZ", "%FT%T%Ez", "%FT%T%z", "%F"}) {
    std::istringstream in(text);
    date::sys_time<std::chrono::milliseconds> tp{};
    in >> date::parse(format, tp);
    if (!in.fail() && in.peek() == std::char_traits<char>::eof()) {
      return static_cast<int64_t>(tp.time_since_epoch().count());
    }
  }
  return malformed;
}

value JobJson(const journal::Job& job) {
  value j = value::object();
  j[U("id")] = Str(job.record.id);
  j[U("state")] = Str(journal::ToString(job.state));
  j[U("calendar")] = Str(job.record.calendar_id);
  j[U("post")] = Str(job.record.post_id);
  j[U("campaign")] = Str(job.record.campaign_id);
  j[U("goal")] = Str(job.record.goal);
  j[U("account")] = Str(job.record.account);
  j[U("platform")] = Str(job.record.platform);
  j[U("member")] = Str(job.record.member_key);
  j[U("due")] = Str(TimeText(job.record.due_ms));
  j[U("due_ms")] = value::number(job.record.due_ms);
  // Only a pending job has a next attempt; the others' would mislead.
  j[U("next_attempt")] =
      job.state == journal::JobState::kPending ? Str(TimeText(job.next_attempt_ms)) : value::null();
  j[U("attempts")] = value::number(job.attempts);
  j[U("last_error")] = Str(job.last_error);
  j[U("awaiting_admin")] = value::boolean(job.awaiting_admin);
  j[U("remote_id")] = Str(job.remote_id);
  j[U("url")] = Str(job.url);
  j[U("updated")] = Str(TimeText(job.updated_ms));
  return j;
}

value AttemptJson(const journal::Attempt& a) {
  value j = value::object();
  j[U("n")] = value::number(a.n);
  j[U("started")] = Str(TimeText(a.started_ms));
  j[U("finished")] = a.finished_ms ? Str(TimeText(*a.finished_ms)) : value::null();
  j[U("outcome")] = a.outcome ? Str(journal::ToString(*a.outcome)) : value::null();
  j[U("http_status")] = value::number(a.http_status);
  j[U("platform_code")] = Str(a.platform_code);
  j[U("message")] = Str(a.message);
  j[U("remote_id")] = Str(a.remote_id);
  return j;
}

value DiagnosticJson(const calendar::Diagnostic& d) {
  value j = value::object();
  j[U("about")] = Str(calendar::ToString(d.about));
  j[U("file")] = Str(d.file);
  j[U("line")] = value::number(d.line);
  j[U("col")] = value::number(d.col);
  j[U("severity")] = Str(d.severity == calendar::Severity::kError ? "error" : "warning");
  j[U("message")] = Str(d.message);
  j[U("text")] = Str(d.ToString());
  return j;
}

value SyncJson(const core::SyncResult& r) {
  value j = value::object();
  j[U("ok")] = value::boolean(r.applied && r.error_count() == 0 && r.error.empty());
  j[U("applied")] = value::boolean(r.applied);
  j[U("generation")] = value::number(r.generation);
  j[U("jobs")] = value::number(static_cast<int64_t>(r.jobs));
  value diff = value::object();
  diff[U("added")] = value::number(static_cast<int64_t>(r.diff.added));
  diff[U("updated")] = value::number(static_cast<int64_t>(r.diff.updated));
  diff[U("cancelled")] = value::number(static_cast<int64_t>(r.diff.cancelled));
  diff[U("unchanged")] = value::number(static_cast<int64_t>(r.diff.unchanged));
  diff[U("restored")] = value::number(static_cast<int64_t>(r.diff.restored));
  diff[U("kept")] = value::number(static_cast<int64_t>(r.diff.kept));
  j[U("diff")] = diff;
  j[U("errors")] = value::number(static_cast<int64_t>(r.error_count()));
  std::vector<value> diags;
  for (const auto& d : r.diagnostics) diags.push_back(DiagnosticJson(d));
  j[U("diagnostics")] = value::array(diags);
  j[U("error")] = Str(r.error);
  j[U("summary")] = Str(r.Summary());
  return j;
}

value ScopeJson(const core::PausedScope& p) {
  value j = value::object();
  j[U("scope")] = Str(core::ToString(p.scope.kind));
  j[U("name")] = Str(p.scope.name);
  j[U("cause")] = Str(core::ToString(p.cause));
  j[U("reason")] = Str(p.reason);
  j[U("since")] = Str(TimeText(p.since_ms));
  return j;
}

value EventJson(const core::JobEvent& e) {
  using Kind = core::JobEvent::Kind;
  value j = value::object();
  j[U("type")] = Str(e.kind == Kind::kReload ? "reload" : "job");
  j[U("at")] = Str(TimeText(e.at_ms));
  j[U("at_ms")] = value::number(e.at_ms);
  if (e.kind != Kind::kReload) {
    j[U("id")] = Str(e.id);
    j[U("state")] = Str(e.kind == Kind::kWaiting ? "waiting" : journal::ToString(e.state));
    j[U("account")] = Str(e.account);
    j[U("platform")] = Str(e.platform);
    j[U("campaign")] = Str(e.campaign);
    j[U("due")] = Str(TimeText(e.due_ms));
    j[U("attempt")] = value::number(e.attempt);
    if (e.kind == Kind::kWaiting) {
      j[U("wait_reason")] = Str(core::ToString(e.wait_reason));
      j[U("wait_ms")] = value::number(e.wait_ms);
    }
  }
  j[U("message")] = Str(e.message);
  return j;
}

Result<core::PauseScope> ParseScope(const value& body) {
  auto kind = StringField(body, "scope");
  if (!kind.ok()) return kind.error();
  if (kind->empty()) {
    // Never "everything" by default: an empty or mistyped body must not stop
    // all publishing.
    return Error(ErrorCode::kInvalidArgument,
                 "the body needs a 'scope': all, platform, account or campaign (with its "
                 "'name'), e.g. {\"scope\": \"account\", \"name\": \"facebook/shop\"}");
  }
  auto name = StringField(body, "name");
  if (!name.ok()) return name.error();
  core::PauseScope scope;
  if (*kind == "all") {
    scope.kind = core::PauseScope::Kind::kAll;
    if (!name->empty()) {
      return Error(ErrorCode::kInvalidArgument, "scope 'all' takes no name");
    }
    return scope;
  }
  if (*kind == "platform") {
    scope.kind = core::PauseScope::Kind::kPlatform;
  } else if (*kind == "account") {
    scope.kind = core::PauseScope::Kind::kAccount;
  } else if (*kind == "campaign") {
    scope.kind = core::PauseScope::Kind::kCampaign;
  } else {
    return Error(ErrorCode::kInvalidArgument,
                 "'scope' must be one of all, platform, account, campaign (got '" + *kind + "')");
  }
  if (name->empty()) {
    return Error(ErrorCode::kInvalidArgument, "scope '" + *kind + "' needs a 'name'");
  }
  scope.name = *name;
  return scope;
}

value ApiVersionJson(const core::ApiVersionReport& r) {
  value j = value::object();
  j[U("name")] = Str(r.api.name);
  j[U("version")] = Str(r.api.version);
  j[U("released")] = r.api.released ? Str(core::FormatDay(*r.api.released)) : value::null();
  j[U("expires")] = r.api.expires ? Str(core::FormatDay(*r.api.expires)) : value::null();
  j[U("days_left")] = r.days_left ? value::number(*r.days_left) : value::null();
  j[U("state")] = Str(core::ToString(r.state));
  j[U("message")] = Str(r.message);
  return j;
}

value QuotaJson(const core::QuotaTracker::View& v) {
  value j = value::object();
  j[U("reset_time_zone")] = v.reset_time_zone.empty() ? value::null() : Str(v.reset_time_zone);
  j[U("day")] = v.day.empty() ? value::null() : Str(v.day);
  j[U("resets_at")] = v.resets_at_ms ? Str(TimeText(v.resets_at_ms)) : value::null();
  std::vector<value> buckets;
  for (const auto& b : v.buckets) {
    value bucket = value::object();
    bucket[U("bucket")] = Str(b.name);
    bucket[U("used")] = value::number(b.used);
    bucket[U("per_day")] = value::number(b.per_day);
    bucket[U("left")] = value::number(std::max<int64_t>(0, b.per_day - b.used));
    buckets.push_back(bucket);
  }
  j[U("buckets")] = value::array(buckets);
  j[U("exhausted_until")] =
      v.exhausted_until_ms ? Str(TimeText(v.exhausted_until_ms)) : value::null();
  j[U("reason")] = Str(v.reason);
  return j;
}

}  // namespace herald::control
