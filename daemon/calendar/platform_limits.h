// PlatformLimits: what one platform accepts (text lengths, hashtag caps, media
// kinds and sizes), parsed from the JSON a connector's describe() returns, so a
// third-party connector brings its own limits. Plain value; any thread.
//
// JSON (every key optional; absent = no limit):
//   {"text_max": int, "title_max": int, "description_max": int,
//    "tags_max_total_chars": int, "hashtags_max": int, "mentions_max": int,
//    "link_allowed": bool, "media_required": bool, "media_max_count": int,
//    "media": {"image": {"max_bytes": int, "mime_types": [str]},
//              "video": {"max_bytes": int, "max_duration_s": int, "mime_types": [str]}}}
// When "media" is present, a kind missing from it is not accepted at all.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace herald::calendar {

struct MediaKindLimits {
  std::optional<std::int64_t> max_bytes;
  std::optional<std::int64_t> max_duration_s;  // videos only
  std::vector<std::string> mime_types;         // empty = any of the kind
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
};

// Parses describe()'s JSON; a wrong type or malformed JSON is kInvalidArgument.
Result<PlatformLimits> ParsePlatformLimits(std::string_view json);

}  // namespace herald::calendar
