// Output formats for expanded jobs, shared by `heraldctl preview` and
// `heraldd --dry-run`: a table for people, JSON (one object per job, the
// connector's post_json), and iCalendar (libical) for a team's calendar
// application. Stateless; any thread.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "calendar/diagnostic.h"
#include "calendar/job.h"
#include "common/result.h"

namespace herald::calendar {

// Columns: local time, account, member, post, campaign (goal), text
// (shortened to one line).
void FormatTable(const std::vector<Job>& jobs, std::ostream& out);

// A JSON array of ToJson(job), one job per line.
void FormatJson(const std::vector<Job>& jobs, std::ostream& out);

// A VCALENDAR with one VEVENT per job (UID = job id).
Result<std::string> FormatIcs(const std::vector<Job>& jobs);

// Diagnostics as a JSON array of {file, line, col, severity, message}.
void FormatDiagnosticsJson(const std::vector<Diagnostic>& diagnostics, std::ostream& out);

}  // namespace herald::calendar
