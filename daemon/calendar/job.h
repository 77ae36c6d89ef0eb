// Job: one concrete post = (calendar, post, occurrence instant, audience
// member, target account), rendered and ready for a connector. Produced by
// Expand (expand.h). Plain value; any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "calendar/late_policy.h"
#include "calendar/model.h"

namespace herald::calendar {

using TimePoint = std::chrono::sys_time<std::chrono::milliseconds>;

struct JobMedia {
  std::string path;  // absolute
  FileRef file;      // how the daemon opens it when publishing (confined_file.h)
  MediaKind kind = MediaKind::kImage;
  std::string mime_type;
  std::int64_t size_bytes = 0;
  std::string alt;
  std::string cover;  // absolute path of a cover image, or empty
  FileRef cover_file;
  std::string title;  // video title, or empty
};

struct Job {
  std::string id;            // stable: hash(calendar, post, due, member, account); 16 hex
  std::string content_hash;  // hash of everything rendered; changes when the post is edited
  std::string calendar_id;
  std::string post_id;
  std::string campaign_id;
  std::string goal;
  TimePoint due;
  std::string local_time;  // "2025-07-04T10:00:00-05:00"
  std::string time_zone;   // IANA name
  std::string member_key;  // empty without for_each
  std::string account;     // "platform/name"
  std::string platform;
  std::string text;
  std::string link;
  std::vector<JobMedia> media;
  std::string options_json;  // platform fields (title, description, tags, privacy) as a JSON object
  LatePolicy late_policy;
};

// The rendered post as one JSON object: what a connector receives as
// post_json. Keys: id, content_hash, calendar_id, post_id, campaign_id, goal,
// due (UTC, RFC 3339), due_ms, local_time, time_zone, member_key, account,
// platform, text, link, media [{path, file, kind, mime_type, size_bytes, alt?,
// cover?, cover_file?, title?}], options (the platform fields), late. `file`
// and `cover_file` are the host's ({root, relative, device, inode, size,
// mtime_ns}: where and what the file was when checked).

// `with_files` false leaves `file` and `cover_file` out (a marketer's preview).
std::string ToJson(const Job& job, bool with_files = true);

}  // namespace herald::calendar
