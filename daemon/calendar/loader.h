// Loader: reads calendar files (YAML), validates everything a marketer can
// get wrong, and builds the CalendarSet that Expand turns into jobs. All
// problems are reported in one run as file:line:col diagnostics. Load never
// throws and never crashes: malformed YAML, alias bombs, huge files and CSVs,
// endless RRULEs are refused with a message within bounded time and memory.
// Stateless; any thread may call Load concurrently with its own arguments.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "calendar/diagnostic.h"
#include "calendar/job.h"
#include "calendar/model.h"
#include "calendar/platform_limits.h"

namespace herald::calendar {

// A connector's objection to a rendered post: which field, and why.
struct JobProblem {
  std::string field;  // "media", "options.title", ... (may be empty)
  std::string message;
};

// Hostile-input caps.
struct LoadCaps {
  std::size_t max_file_bytes = 8u << 20;
  std::size_t max_yaml_nodes = 2'000'000;  // counted with aliases expanded
  std::size_t max_yaml_depth = 64;
  std::size_t max_csv_bytes = 8u << 20;
  std::size_t max_csv_rows = 100'000;
  std::size_t max_occurrences_per_post = 100'000;
  std::size_t max_jobs = 20'000'000;  // occurrences x members x targets, all calendars
  std::size_t max_files = 1000;
};

struct LoadContext {
  // Accounts defined in the daemon's configuration, "platform/name".
  std::vector<std::string> accounts;
  // false when no daemon configuration was given: account checks are skipped
  // with one warning.
  bool accounts_known = true;
  // Limits by platform, from the connectors' describe(). A platform without
  // an entry is not checked.
  std::map<std::string, PlatformLimits> limits;
  // true when `limits` holds every platform that has a plugin (heraldd,
  // heraldctl): a target whose platform has none gets a warning, once per
  // file, that its posts are not checked against any limits.
  bool limits_known = false;
  LoadCaps caps;
  // Optional: the connectors' own check of a rendered post (their plugins'
  // validate()). Called, once a calendar has no other error, for each post's
  // first occurrence, for every target and audience member; each problem it
  // returns is an error at the post, and the calendar is not loaded. Must be
  // safe to call from several threads when one context serves concurrent Loads.
  std::function<std::vector<JobProblem>(const Job&)> check_job;
};

struct LoadResult {
  CalendarSet calendars;  // only calendars without errors
  std::vector<Diagnostic> diagnostics;
  bool ok() const;  // no error diagnostics
};

// paths: calendar files, or folders whose *.yaml / *.yml files are loaded
// (sorted by name, not recursive).
LoadResult Load(const std::vector<std::string>& paths, const LoadContext& context);

}  // namespace herald::calendar
