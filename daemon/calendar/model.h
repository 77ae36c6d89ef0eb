// The calendar model: what a set of loaded, validated calendar files says,
// independent of YAML. Produced by Load (loader.h), read by Expand (expand.h).
// Plain values owned by the CalendarSet; immutable after loading, so any
// number of threads may read one concurrently.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "calendar/diagnostic.h"
#include "calendar/late_policy.h"
#include "common/confined_file.h"

namespace herald::calendar {

using LocalSeconds = std::chrono::local_time<std::chrono::seconds>;
using SysSeconds = std::chrono::sys_time<std::chrono::seconds>;

enum class MediaKind { kImage, kVideo };

// What a media file on disk turned out to be, read by content (stb_image for
// images, libavformat for videos; see media_probe.h), never by name.
struct MediaInfo {
  std::string path;  // absolute: the calendar's folder and the normalized relative path
  FileRef file;      // how the daemon opens it again, and what it was when probed
  MediaKind kind = MediaKind::kImage;
  std::string mime_type;
  std::int64_t size_bytes = 0;
  // Pixels as displayed: a video's rotation metadata (90 or 270 degrees) is
  // applied, so a phone's portrait clip is taller than wide.
  std::optional<std::int64_t> width;
  std::optional<std::int64_t> height;
  std::optional<double> duration_s;  // videos whose length could be read
  // Videos only. container: "mp4", "mov", "webm", "matroska", "avi", "3gp",
  // or libavformat's demuxer name otherwise; codecs are libavcodec's names
  // ("h264", "hevc", "vp9", "av1", "aac", "opus"); audio_codec is empty for a
  // silent video.
  std::string container;
  std::string video_codec;
  std::string audio_codec;
  std::optional<double> frame_rate;  // frames per second
};

// One medium as written: path and options may be Mustache templates.
struct MediaSpec {
  SourcePos pos;
  std::string path;   // relative to the calendar's folder
  std::string alt;    // alt text (images)
  std::string cover;  // cover image path (videos), relative like path
  std::string title;  // video title where the platform has one
};

// Per-platform overrides of a post (`instagram: {text: ...}`). Unset fields
// fall back to the post's common ones.
struct PlatformVariant {
  SourcePos pos;
  std::optional<std::string> text;
  std::optional<std::string> link;
  std::optional<std::vector<MediaSpec>> media;
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<std::vector<std::string>> tags;
  std::optional<std::string> privacy;
  std::optional<std::string> kind;  // a post kind the platform's limits name ("story")
  SourcePos kind_pos;
};

// One occurrence: the wall-clock time written (or produced by the RRULE) and
// the UTC instant it resolved to under the DST rule.
struct Occurrence {
  LocalSeconds local;
  SysSeconds utc;
  std::int64_t utc_offset_s = 0;  // offset in force at utc

  // The clock on the wall when the post goes out: `local`, unless a DST gap
  // shifted it (02:30 written, 03:30 posted). What {{time}} and {{date}} show.
  LocalSeconds wall() const {
    return LocalSeconds{utc.time_since_epoch() + std::chrono::seconds(utc_offset_s)};
  }
};

struct Post {
  SourcePos pos;
  SourcePos text_pos;         // of `text`, or the post's when it has none
  SourcePos link_pos;         // of `link`, or the post's when it has none
  bool text_written = false;  // `text:` was written, even if it could not be read
  std::string id;
  std::string campaign_id;
  std::string goal;
  std::string time_zone;
  std::string rrule;                    // empty for a one-off post; informative for previews
  std::vector<Occurrence> occurrences;  // every occurrence, sorted by utc
  std::vector<std::string> targets;     // "platform/name"
  std::string text;
  std::string link;
  std::vector<MediaSpec> media;
  std::map<std::string, PlatformVariant> variants;  // by platform
  std::string for_each;                             // audience id, or empty
  LatePolicy late;
};

struct Member {
  std::string key;
  std::vector<std::pair<std::string, std::string>> vars;  // includes "key"
};

struct Audience {
  SourcePos pos;
  std::string id;
  std::vector<Member> members;
};

struct Calendar {
  std::string id;
  SourcePos pos;     // where the name is written (`calendar:`), else the file's start
  std::string file;  // absolute path of the YAML file
  std::string dir;   // its folder; media may not escape it
  std::string time_zone;
  std::map<std::string, Audience> audiences;
  std::vector<Post> posts;
  std::map<std::string, MediaInfo> media;  // probed files by rendered relative path
};

struct CalendarSet {
  std::vector<Calendar> calendars;
};

}  // namespace herald::calendar
