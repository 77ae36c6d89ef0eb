// PostReader: a calendar's campaigns and their posts: ids, goals, texts,
// links, media, per-platform settings (`instagram: {...}`), audiences and
// times (schedule_reader.h), with targets, late policies and the time zone
// inherited calendar -> campaign -> post. Every post is then checked whole
// (post_checks.h) with what could be read of it, so one wrong field hides
// no problem of the others; every post is added to the calendar.
// Problems go to the reader's Diagnostics.
//
// One per calendar file; it holds references to the reader, the context, the
// calendar and the checker, all of which must outlive it. Used by the thread
// loading the file.
#pragma once

#include <optional>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "calendar/late_policy.h"
#include "calendar/loader.h"
#include "calendar/model.h"
#include "calendar/post_checks.h"
#include "calendar/time_zone.h"
#include "calendar/yaml_reader.h"

namespace herald::calendar {

// What posts inherit from their calendar's top-level keys.
struct CalendarDefaults {
  std::vector<std::string> targets;
  bool targets_written = false;  // `targets:` was written, even if it held nothing usable
  LatePolicy late;
  std::optional<TimeZone> zone;  // unset when the calendar's zone is missing or wrong
};

// A `targets:` list: accounts written `platform/name` that the daemon knows
// (ctx.accounts, unless !ctx.accounts_known), each once.
std::vector<std::string> ReadTargets(YamlReader& yaml, const Entry* e, const LoadContext& ctx);

// A `late:` policy (`skip`, `publish within 2h`); nullopt, with an error, when unreadable.
std::optional<LatePolicy> ReadLate(YamlReader& yaml, const Entry* e);

class PostReader {
 public:
  PostReader(YamlReader& yaml, const LoadContext& ctx, Calendar& cal, CalendarDefaults defaults,
             PostChecker& checker)
      : yaml_(yaml), ctx_(ctx), cal_(cal), defaults_(std::move(defaults)), checker_(checker) {}
  PostReader(const PostReader&) = delete;
  PostReader& operator=(const PostReader&) = delete;

  // One item of `campaigns:`, with its posts.
  void Campaign(const YAML::Node& n);

 private:
  void PostEntry(const YAML::Node& n, const std::string& campaign_id, const std::string& goal,
                 const std::optional<std::vector<std::string>>& campaign_targets,
                 const std::optional<LatePolicy>& campaign_late);
  std::vector<MediaSpec> MediaList(const Entry* e);

  YamlReader& yaml_;
  const LoadContext& ctx_;
  Calendar& cal_;
  const CalendarDefaults defaults_;
  PostChecker& checker_;
  std::unordered_set<std::string> post_ids_;
  std::unordered_set<std::string> campaign_ids_;
};

}  // namespace herald::calendar
