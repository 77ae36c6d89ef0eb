// A video's metadata as the YouTube connector sends it: read from a post's
// post_json (options first, then the medium, then the text) with the
// account's defaults, and written as the videos.insert body (snippet and
// status). Pure functions; any thread.
#pragma once

#include <herald/plugin.hpp>

#include <optional>
#include <string>
#include <vector>

namespace herald::connectors::youtube {

// The account's settings a post may leave out ("" for YouTube's own:
// private, category 22).
struct VideoDefaults {
  std::string privacy;
  std::string category;
};

struct VideoMeta {
  std::string title, description, privacy, category, cover;
  std::vector<std::string> tags;
  std::optional<bool> made_for_kids;
};

VideoMeta MetaOf(const herald::Post& post, const VideoDefaults& defaults);

// {"snippet":{...},"status":{...}} for the resumable upload's first request.
std::string MetadataJson(const VideoMeta& m);

// The watch page of a video id.
std::string WatchUrl(const std::string& id);

}  // namespace herald::connectors::youtube
