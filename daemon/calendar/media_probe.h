// Media probing: finds a calendar's media file inside the calendar's folder
// (symlinks resolved; nothing may escape the folder) and tells what it is by
// its content's magic bytes (JPEG, PNG, GIF, WebP, MP4, MOV), never by its
// name. Reads files; stateless; any thread.
#pragma once

#include <string>

#include "calendar/model.h"
#include "common/result.h"

namespace herald::calendar {

// relative_path is as written in the calendar; root is the calendar's folder.
// Errors (kInvalidArgument / kNotFound) are sentences for the marketer.
Result<MediaInfo> ProbeMedia(const std::string& root, const std::string& relative_path);

const char* ToString(MediaKind kind);

}  // namespace herald::calendar
