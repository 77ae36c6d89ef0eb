// CalendarSync: brings the journal in line with the calendar files. Each Sync
// loads every calendar, expands the jobs in [now - lookback, now + horizon),
// and applies them as one generation (journal::ApplyGeneration). A calendar
// whose file has errors is not applied: its last good jobs stay in force and
// its errors come back with their file:line:col. A calendar whose file is gone
// has its pending jobs cancelled. A post whose time had already passed (by more
// than its late grace) when first seen is never inserted: that is the
// calendar's late policy for posts loaded late.
//
// Not thread-safe: one Sync at a time (the daemon serializes reloads). The
// journal must outlive it.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "calendar/diagnostic.h"
#include "calendar/loader.h"
#include "journal/journal.h"

namespace herald::core {

struct SyncResult {
  bool applied = false;  // false: nothing reached the journal (all calendars broken, or I/O)
  int64_t generation = 0;
  journal::ReloadDiff diff;
  size_t jobs = 0;  // jobs in the applied window
  std::vector<calendar::Diagnostic> diagnostics;
  std::string error;  // a journal failure, if any
  size_t error_count() const;
  // "generation 4: 12 added, 1 updated, ... (2 errors)" for logs.
  std::string Summary() const;
};

class CalendarSync {
 public:
  CalendarSync(journal::Journal& journal, std::vector<std::filesystem::path> dirs,
               calendar::LoadContext context,
               std::chrono::milliseconds horizon = std::chrono::hours(24 * 31),
               std::chrono::milliseconds lookback = std::chrono::hours(24 * 7));

  SyncResult Sync(int64_t now_ms);

 private:
  // Configured folders that held calendars in force (id_by_file_) and hold no
  // calendar file now, good (`loaded`) or broken.
  std::set<std::filesystem::path> EmptiedFolders(const std::map<std::string, std::string>& loaded,
                                                 const std::set<std::string>& broken) const;

  journal::Journal& journal_;
  const std::vector<std::filesystem::path> dirs_;
  const calendar::LoadContext context_;
  const std::chrono::milliseconds horizon_;
  const std::chrono::milliseconds lookback_;
  // file -> calendar id, from the last good load of each file; read from the
  // journal on first use and written back when it changes, so that a file
  // removed while heraldd was stopped has its posts cancelled at the next start.
  std::map<std::string, std::string> id_by_file_;
  std::map<std::string, std::string> saved_;  // what the journal holds
  int64_t generation_ = -1;                   // -1: read from the journal on first use
};

}  // namespace herald::core
