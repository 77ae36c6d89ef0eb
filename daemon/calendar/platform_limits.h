// PlatformLimits: what one platform accepts (text lengths, hashtag caps, media
// kinds and sizes), parsed from the JSON a connector's describe() returns, so a
// third-party connector brings its own limits. Plain value; any thread.
//
// JSON (every key optional; absent = no limit):
//   {"text_max": int, "title_max": int, "description_max": int,
//    "tags_max_total_chars": int, "hashtags_max": int, "mentions_max": int,
//    "link_allowed": bool, "media_required": bool, "media_max_count": int,
//    "media": {"image": {"max_bytes": int, "mime_types": [str],
//                        "min_width": int, "max_width": int,
//                        "min_aspect_ratio": num, "max_aspect_ratio": num},
//              "video": {"max_bytes": int, "max_duration_s": int, "mime_types": [str],
//                        "min_duration_s": int, "containers": [str],
//                        "video_codecs": [str], "audio_codecs": [str],
//                        "min_width": int, "max_width": int,
//                        "min_aspect_ratio": num, "max_aspect_ratio": num,
//                        "max_frame_rate": num}}}
//    "kinds": {"story": {"text": bool, "media_required": bool,
//                        "media_max_count": int}, ...}}
// When "media" is present, a kind missing from it is not accepted at all.
// "kinds" names the post kinds a calendar may ask for (a variant's `kind:`,
// e.g. Instagram's "story"), each with what changes for it: "text": false when
// that kind publishes no text (then none is required), and the media counts.
// Without "kinds" the platform has one kind of post and `kind:` is an error.
// Widths are displayed pixels; an aspect ratio is width / height (1.91 for
// 1.91:1, 0.8 for 4:5). Containers and codecs use MediaInfo's names (model.h:
// "mp4", "mov", "webm"; "h264", "hevc", "aac"); a silent video passes any
// audio_codecs list.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace herald::calendar {

// Each list empty = any; each optional unset = no limit.
struct MediaKindLimits {
  std::optional<std::int64_t> max_bytes;
  std::vector<std::string> mime_types;
  std::optional<std::int64_t> min_width;
  std::optional<std::int64_t> max_width;
  std::optional<double> min_aspect_ratio;
  std::optional<double> max_aspect_ratio;
  // Videos only.
  std::optional<std::int64_t> min_duration_s;
  std::optional<std::int64_t> max_duration_s;
  std::vector<std::string> containers;
  std::vector<std::string> video_codecs;
  std::vector<std::string> audio_codecs;
  std::optional<double> max_frame_rate;
};

// What one post kind changes from its platform's limits.
struct PostKindLimits {
  bool text = true;  // false: this kind publishes no text
  std::optional<bool> media_required;
  std::optional<std::int64_t> media_max_count;
};

struct PlatformLimits {
  std::optional<std::int64_t> text_max;
  std::optional<std::int64_t> title_max;
  std::optional<std::int64_t> description_max;
  std::optional<std::int64_t> tags_max_total_chars;
  std::optional<std::int64_t> hashtags_max;
  std::optional<std::int64_t> mentions_max;
  std::optional<bool> link_allowed;
  std::optional<bool> media_required;
  std::optional<std::int64_t> media_max_count;
  bool media_rules = false;  // "media" was given: only the kinds below are accepted
  std::optional<MediaKindLimits> image;
  std::optional<MediaKindLimits> video;
  std::map<std::string, PostKindLimits> kinds;  // empty: no `kind:` accepted

  // These limits as they apply to a post of `kind` (one of `kinds`).
  PlatformLimits ForKind(const PostKindLimits& kind) const;
};

// Parses describe()'s JSON; a wrong type or malformed JSON is kInvalidArgument.
Result<PlatformLimits> ParsePlatformLimits(std::string_view json);

}  // namespace herald::calendar
