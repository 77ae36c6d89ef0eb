#include "core/calendar_sync.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>

#include "calendar/expand.h"
#include "core/job_payload.h"

namespace herald::core {
namespace {

// A post counts as "already passed when first seen" only once it is this late,
// so that a reload racing its due instant does not drop it.
constexpr int64_t kLateToleranceMs = 60'000;

}  // namespace

size_t SyncResult::error_count() const {
  return std::count_if(diagnostics.begin(), diagnostics.end(), [](const calendar::Diagnostic& d) {
    return d.severity == calendar::Severity::kError;
  });
}

std::string SyncResult::Summary() const {
  std::string s = "generation " + std::to_string(generation) + ": ";
  if (!applied) {
    s += "not applied";
  } else {
    s += std::to_string(jobs) + (jobs == 1 ? " job" : " jobs") + " in the window; " +
         std::to_string(diff.added) + " added, " + std::to_string(diff.updated) + " updated, " +
         std::to_string(diff.cancelled) + " cancelled, " + std::to_string(diff.restored) +
         " restored, " + std::to_string(diff.unchanged) + " unchanged";
  }
  size_t errors = error_count();
  if (errors)
    s += " (" + std::to_string(errors) + (errors == 1 ? " error" : " errors") +
         ": the calendars with errors keep their last good version)";
  if (!error.empty()) s += " (" + error + ")";
  return s;
}

CalendarSync::CalendarSync(journal::Journal& journal, std::vector<std::filesystem::path> dirs,
                           calendar::LoadContext context, std::chrono::milliseconds horizon,
                           std::chrono::milliseconds lookback)
    : journal_(journal),
      dirs_(std::move(dirs)),
      context_(std::move(context)),
      horizon_(horizon),
      lookback_(lookback) {}

std::set<std::filesystem::path> CalendarSync::EmptiedFolders(
    const std::map<std::string, std::string>& loaded, const std::set<std::string>& broken) const {
  namespace fs = std::filesystem;
  auto folder_of = [](const fs::path& p) { return (p / "").lexically_normal().parent_path(); };
  std::set<fs::path> configured, seen, emptied;
  for (const auto& d : dirs_) configured.insert(folder_of(d));
  for (const auto& [file, id] : loaded) seen.insert(fs::path(file).parent_path());
  for (const auto& file : broken) {
    seen.insert(fs::path(file).parent_path());
    seen.insert(folder_of(file));  // a folder with its own error: said already
  }
  for (const auto& [file, id] : id_by_file_) {
    fs::path folder = fs::path(file).parent_path();
    if (configured.count(folder) && !seen.count(folder)) emptied.insert(folder);
  }
  return emptied;
}

SyncResult CalendarSync::Sync(int64_t now_ms) {
  SyncResult result;
  if (generation_ < 0) {
    auto loads = journal_.CalendarLoads(1);
    generation_ = loads.ok() && !loads->empty() ? loads->front().generation : 0;
    auto files = journal_.CalendarFiles();
    if (files.ok()) {
      id_by_file_ = *files;
      saved_ = std::move(*files);
    } else {
      spdlog::warn(
          "cannot read which calendar files were in force ({}): a calendar file removed while "
          "heraldd was stopped keeps its pending posts",
          files.error().message());
    }
  }
  std::vector<std::string> paths;
  for (const auto& d : dirs_) paths.push_back(d.string());
  calendar::LoadResult loaded = calendar::Load(paths, context_);
  result.diagnostics = std::move(loaded.diagnostics);

  std::set<std::string> broken_files;
  // An error that belongs to no one calendar file (a folder that is missing or
  // cannot be listed, the total-posts cap) makes this load no evidence that a
  // file is gone: then no calendar is cancelled for being absent.
  bool listing_sound = true;
  for (const auto& d : result.diagnostics) {
    if (d.severity != calendar::Severity::kError) continue;
    if (d.about != calendar::Diagnostic::About::kLoad) broken_files.insert(d.file);
    if (d.about != calendar::Diagnostic::About::kFile) listing_sound = false;
  }
  // Calendars to bring in line: every good one, and every one we knew whose
  // file is gone or now holds another id; not those whose file is broken.
  std::set<std::string> ids;
  std::map<std::string, std::string> id_by_file;
  for (const auto& cal : loaded.calendars.calendars) {
    ids.insert(cal.id);
    id_by_file[cal.file] = cal.id;
  }
  // Nor those of a configured folder that held calendars and now holds none:
  // an empty mount point (a disk not mounted yet) must not cancel a quarter.
  const std::set<std::filesystem::path> emptied = EmptiedFolders(id_by_file, broken_files);
  for (const auto& folder : emptied) {
    result.diagnostics.push_back(
        {calendar::Diagnostic::About::kPath, folder.string(), 0, 0, calendar::Severity::kWarning,
         "this folder held calendars and now holds none; their posts stay scheduled (to "
         "cancel them, leave a calendar without posts here, or use heraldctl cancel)"});
  }
  for (const auto& [file, id] : id_by_file_) {
    if (broken_files.count(file) || (!listing_sound && !id_by_file.count(file)) ||
        (!id_by_file.count(file) && emptied.count(std::filesystem::path(file).parent_path()))) {
      id_by_file[file] = id;  // still in force
      ids.erase(id);
      continue;
    }
    if (!id_by_file.count(file) || id_by_file[file] != id) ids.insert(id);
  }

  result.generation = ++generation_;
  if (ids.empty()) {
    id_by_file_ = std::move(id_by_file);
    result.applied = false;
  } else {
    using namespace std::chrono;
    calendar::TimePoint now{milliseconds(now_ms)};
    auto jobs = calendar::Expand(loaded.calendars, now - lookback_, now + horizon_);
    std::vector<journal::JobRecord> records;
    records.reserve(jobs.size());
    for (const auto& job : jobs) {
      journal::JobRecord record = ToJobRecord(job);
      if (record.due_ms + record.late_grace_ms + kLateToleranceMs < now_ms &&
          !journal_.GetById(record.id).ok()) {
        continue;  // passed before it was ever seen: the late policy skips it
      }
      records.push_back(std::move(record));
    }
    result.jobs = records.size();
    std::vector<std::string> id_list(ids.begin(), ids.end());
    auto diff = journal_.ApplyGeneration(id_list, records, result.generation, now_ms);
    if (diff.ok()) {
      result.applied = true;
      result.diff = *diff;
      id_by_file_ = std::move(id_by_file);
    } else {
      result.error = diff.error().message();  // "journal: ..."
    }
  }
  if (id_by_file_ != saved_) {
    if (Status saved = journal_.SetCalendarFiles(id_by_file_); saved.ok()) {
      saved_ = id_by_file_;
    } else {
      spdlog::warn("cannot record which calendar files are in force: {}", saved.error().message());
    }
  }
  std::string record_text = result.error_count() == 0 && result.error.empty() ? "ok" : "";
  for (const auto& d : result.diagnostics) {
    if (d.severity == calendar::Severity::kError) record_text += d.ToString() + "\n";
  }
  if (!result.error.empty()) record_text += result.error + "\n";
  Status recorded = journal_.RecordCalendarLoad({result.generation, now_ms, record_text});
  if (!recorded.ok())
    spdlog::warn("cannot record the calendar load: {}", recorded.error().message());
  return result;
}

}  // namespace herald::core
