#include "calendar/loader.h"

#include <algorithm>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include "calendar/audience_reader.h"
#include "calendar/expand.h"
#include "calendar/post_checks.h"
#include "calendar/post_reader.h"
#include "calendar/time_zone.h"
#include "calendar/utf8.h"
#include "calendar/yaml_reader.h"
#include "calendar/yaml_syntax.h"
#include "common/confined_file.h"

namespace herald::calendar {

bool LoadResult::ok() const {
  return std::none_of(diagnostics.begin(), diagnostics.end(),
                      [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

namespace {

namespace fs = std::filesystem;

constexpr const char* kCalendarKeys[] = {"calendar",  "time_zone", "targets", "late",
                                         "audiences", "campaigns", "note"};

// A calendar file to load, and whether it was found by listing a folder.
struct CalendarFile {
  std::string path;
  bool listed = false;
};

// The text of `file`, or an error for its FilePos. A file found in a
// calendar folder is opened confined beneath that folder (common/
// confined_file.h), since whoever writes the folder may plant a link there to
// a file only the daemon may read; a file named directly is the admin's
// choice and may be a link.
Result<std::string> ReadFileText(const CalendarFile& file, std::size_t max_bytes) {
  const auto too_big = [&](std::uint64_t size) {
    return Error(ErrorCode::kInvalidArgument,
                 "the file is " + std::to_string(size >> 20) + " MB; calendars may be at most " +
                     std::to_string(max_bytes >> 20) + " MB (split it into several files)");
  };
  if (file.listed) {
    const fs::path p(file.path);
    ConfinedOptions confined;
    confined.folder = "the calendar folder";
    auto opened = OpenBeneath(p.parent_path().string(), p.filename().string(), confined);
    if (!opened.ok()) return Error(opened.error().code(), "this file " + opened.error().message());
    const auto size = static_cast<std::uint64_t>(opened->identity.size);
    if (size > max_bytes) return too_big(size);
    auto text = ReadAll(opened->fd.get(), max_bytes);
    if (!text.ok()) return Error(text.error().code(), "this file " + text.error().message());
    return text;
  }
  std::error_code ec;
  const auto size = fs::file_size(file.path, ec);
  if (ec) return Error(ErrorCode::kIo, "cannot read this file: " + ec.message());
  if (size > max_bytes) return too_big(size);
  std::ifstream in(file.path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// How many values that needed quotes are quoted to go on past a YAML error.
constexpr std::size_t kMaxYamlRepairs = 20;

// The file's text as YAML will read it, with every byte that is not UTF-8
// reported (and replaced, so the rest is still checked); nullopt, with an
// error, when there is nothing YAML can read.
std::optional<std::string> ReadCalendarText(const CalendarFile& file, const LoadContext& ctx,
                                            YamlReader& yaml) {
  Diagnostics& diags = yaml.diags();
  const std::string& path = file.path;
  Result<std::string> read = ReadFileText(file, ctx.caps.max_file_bytes);
  if (!read.ok()) {
    diags.Error(yaml.FilePos(), read.error().message());
    return std::nullopt;
  }
  std::string text = std::move(*read);
  constexpr std::size_t kMaxReported = 10;
  const std::vector<Utf8Error> bad = InvalidUtf8(text, kMaxReported);
  for (const Utf8Error& b : bad) {
    diags.Error({path, b.at.line, b.at.col}, WhyNotUtf8(text, b.offset));
    if (text.compare(0, 2, "\xFF\xFE") == 0 || text.compare(0, 2, "\xFE\xFF") == 0) {
      return std::nullopt;  // UTF-16: nothing below would make sense
    }
  }
  if (!bad.empty()) text = RepairUtf8(text);
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
  return text;
}

// Loads one calendar file; all problems go to diags.
std::optional<Calendar> LoadFile(const CalendarFile& file, const LoadContext& ctx,
                                 Diagnostics& diags) {
  const std::string& path = file.path;
  YamlReader yaml(path, diags);
  Calendar cal;
  CalendarDefaults defaults;
  const int errors_before = diags.error_count();
  std::error_code ec;
  const fs::path abs = fs::absolute(path, ec);
  cal.file = abs.lexically_normal().string();
  cal.dir = abs.parent_path().lexically_normal().string();
  cal.pos = yaml.FilePos();
  std::optional<std::string> text = ReadCalendarText(file, ctx, yaml);
  if (!text) return std::nullopt;
  ParsedYaml parsed = ParseYaml(std::move(*text), kMaxYamlRepairs);
  for (const YamlSyntaxProblem& p : parsed.problems) {
    diags.Error({path, p.at.line, p.at.col}, p.message);
  }
  yaml.SetSource(std::move(parsed.source));
  if (parsed.documents.empty()) {
    if (parsed.problems.empty()) {
      diags.Error(yaml.FilePos(), "the file is empty; a calendar starts with `calendar: its-name`");
    }
    return std::nullopt;
  }
  const YAML::Node root = parsed.documents.front();
  for (std::size_t i = 1; i < parsed.documents.size(); ++i) {
    if (parsed.documents[i].IsNull()) continue;
    yaml.Err(parsed.documents[i],
             "a calendar file holds one calendar; this part after a `---` line is not read (put "
             "it in a file of its own)");
  }
  if (std::optional<YamlCapExceeded> over =
          CheckYamlCaps(root, ctx.caps.max_yaml_nodes, ctx.caps.max_yaml_depth)) {
    yaml.Err(over->at,
             over->too_deep
                 ? "this value nests deeper than " + std::to_string(ctx.caps.max_yaml_depth) +
                       " levels; refusing the file"
                 : (over->at.IsScalar() ? "`" + over->at.Scalar() + "`" : std::string("this")) +
                       " expands to more than " + std::to_string(ctx.caps.max_yaml_nodes) +
                       " values (too many `*alias` references?); refusing the file");
    return std::nullopt;
  }
  if (root.IsNull()) {
    diags.Error(yaml.FilePos(), "the file is empty; a calendar starts with `calendar: its-name`");
    return std::nullopt;
  }
  yaml.CheckScalars(root);
  const std::vector<Entry> top = yaml.Mapping(root, "a calendar");
  if (!root.IsMap()) return std::nullopt;
  const std::set<std::string> meant =
      yaml.CheckKeys(top, {std::begin(kCalendarKeys), std::end(kCalendarKeys)}, "the calendar");
  if (const Entry* e = FindEntry(top, "calendar")) {
    cal.pos = yaml.Pos(e->value.IsNull() ? e->key_node : e->value);
    cal.id = yaml.Scalar(e, "a name").value_or("");
    if (!IsIdentifier(cal.id)) {
      yaml.Err(e->value, "calendar name `" + cal.id + "` may use letters, digits, `-`, `_`, `.`");
    }
  } else if (meant.count("calendar") == 0) {
    yaml.Err(root, "the calendar needs a name: `calendar: my-shop-q3`");
  }
  if (const Entry* e = FindEntry(top, "time_zone")) {
    if (std::optional<std::string> z = yaml.Scalar(e, "an IANA time zone like `America/Chicago`")) {
      Result<TimeZone> tz = TimeZone::Find(*z);
      if (tz.ok()) {
        defaults.zone = *tz;
        cal.time_zone = *z;
        if (std::string why = ZoneCaveat(*z); !why.empty()) yaml.Warn(e->value, why);
      } else {
        yaml.Err(e->value, tz.error().message() + " (the rest of the file is checked in UTC)");
      }
    }
  } else if (meant.count("time_zone") == 0) {
    yaml.Err(root, "the calendar needs a `time_zone`, an IANA name like `America/Chicago`");
  }
  if (!defaults.zone) {
    // One wrong field hides nothing else: the times are still read.
    defaults.zone = *TimeZone::Find("UTC");
    if (cal.time_zone.empty()) cal.time_zone = "UTC";
  }
  if (const Entry* e = FindEntry(top, "targets")) {
    defaults.targets = ReadTargets(yaml, e, ctx);
    defaults.targets_written = true;
  }
  if (const Entry* e = FindEntry(top, "late")) {
    if (auto l = ReadLate(yaml, e)) defaults.late = *l;
  }
  std::map<std::string, AudienceBounds> bounds;
  ReadAudiences(yaml, FindEntry(top, "audiences"), cal.dir, ctx.caps, cal.audiences, bounds);
  PostChecker checker(cal, ctx.limits, bounds, diags);
  PostReader posts(yaml, ctx, cal, std::move(defaults), checker);
  if (const Entry* e = FindEntry(top, "campaigns")) {
    if (!e->value.IsSequence()) {
      yaml.Err(e->value, "`campaigns` must be a list; start each campaign with `- id: ...`");
    } else {
      for (const YAML::Node& c : e->value) posts.Campaign(c);
    }
  } else if (meant.count("campaigns") == 0) {
    yaml.Warn(root, "the calendar has no `campaigns`, so nothing will be posted");
  }
  if (diags.error_count() != errors_before) return std::nullopt;
  return cal;
}

std::vector<CalendarFile> CalendarFiles(const std::vector<std::string>& paths, Diagnostics& diags,
                                        std::size_t max_files) {
  std::vector<CalendarFile> files;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (fs::directory_iterator it(p, ec), end; !ec && it != end; it.increment(ec)) {
        const fs::path& f = it->path();
        std::error_code file_ec;  // one unreadable entry does not end the listing
        if ((f.extension() == ".yaml" || f.extension() == ".yml") &&
            fs::is_regular_file(f, file_ec)) {
          found.push_back(f.string());
        }
        if (found.size() > max_files) break;
      }
      if (ec) {
        // A partial listing must not read as calendars removed.
        diags.PathError(p, "cannot list this folder: " + ec.message());
      }
      std::sort(found.begin(), found.end());
      if (found.empty() && !ec) {
        diags.PathWarning(p, "no calendar files (*.yaml) in this folder");
      }
      for (std::string& f : found) files.push_back({std::move(f), true});
    } else if (fs::exists(p, ec)) {
      files.push_back({p, false});
    } else {
      diags.PathError(p, "no such file or folder");
    }
    if (files.size() > max_files) {
      diags.PathError(p, "more than " + std::to_string(max_files) + " calendar files");
      files.resize(max_files);
      break;
    }
  }
  return files;
}

// Asks the connectors (context.check_job) about each post's first occurrence,
// rendered for every target and member. False when one objected.
bool CheckWithConnectors(const Calendar& cal, const LoadContext& context, Diagnostics& diags) {
  CalendarSet one;
  one.calendars.push_back(cal);
  std::map<std::string, SourcePos> post_pos;
  for (Post& post : one.calendars.front().posts) {
    if (post.occurrences.size() > 1) post.occurrences.resize(1);
    post_pos[post.id] = post.pos;
  }
  // A connector judges a post's form (media, fields) more than each member's
  // words, which the limits above already checked for everyone: past this many
  // members of one post on one account, the rest are not asked about (a
  // 100,000-member audience would otherwise cost seconds a load).
  constexpr std::size_t kMembersAsked = 1000;
  std::map<std::pair<std::string, std::string>, std::size_t> asked;
  bool clean = true;
  std::set<std::string> said;  // one line per problem, not per member
  for (const Job& job : Expand(one, TimePoint::min(), TimePoint::max())) {
    if (++asked[{job.post_id, job.account}] > kMembersAsked) continue;
    for (const JobProblem& p : context.check_job(job)) {
      std::string line = "post `" + job.post_id + "`: " + job.account + ": " + p.message;
      if (!p.field.empty()) line += " (" + p.field + ")";
      if (!said.insert(line).second) continue;
      diags.Error(post_pos[job.post_id], line);
      clean = false;
    }
  }
  return clean;
}

}  // namespace

LoadResult Load(const std::vector<std::string>& paths, const LoadContext& context) {
  Diagnostics diags;
  LoadResult result;
  try {
    if (!context.accounts_known) {
      diags.LoadWarning("no daemon configuration given: account names are not checked");
    }
    std::map<std::string, std::string> ids;  // calendar id -> file
    std::size_t jobs = 0;
    bool too_many = false;
    for (const CalendarFile& calendar_file : CalendarFiles(paths, diags, context.caps.max_files)) {
      const std::string& file = calendar_file.path;
      std::optional<Calendar> cal = LoadFile(calendar_file, context, diags);
      if (!cal) continue;
      auto [it, fresh] = ids.emplace(cal->id, file);
      if (!fresh) {
        diags.Error(cal->pos, "calendar name `" + cal->id + "` is already used by " + it->second +
                                  "; each calendar file needs a name of its own");
        continue;
      }
      if (context.check_job && !CheckWithConnectors(*cal, context, diags)) continue;
      for (const Post& p : cal->posts) {
        std::size_t members = 1;
        if (!p.for_each.empty()) members = cal->audiences.at(p.for_each).members.size();
        jobs += p.occurrences.size() * members * p.targets.size();
        if (jobs > context.caps.max_jobs && !too_many) {
          too_many = true;
          diags.Error(p.pos, "post `" + p.id + "`: with this post the calendars make more than " +
                                 std::to_string(context.caps.max_jobs) +
                                 " posts in all, the most herald takes; split them or end some "
                                 "repeats sooner");
        }
      }
      result.calendars.calendars.push_back(std::move(*cal));
    }
    if (too_many) {
      // Also said of the whole load: no calendar was taken, so none may be
      // cancelled for being absent from it (core/calendar_sync.cc).
      diags.LoadError("the calendars make " + std::to_string(jobs) +
                      " posts in all; the limit is " + std::to_string(context.caps.max_jobs));
      result.calendars.calendars.clear();
    }
  } catch (const std::exception& e) {
    diags.LoadError(std::string("internal error while loading: ") + e.what());
  }
  result.diagnostics = diags.Take();
  return result;
}

}  // namespace herald::calendar
