// Media probing: finds a calendar's media file inside the calendar's folder
// (symlinks resolved; nothing may escape the folder) and reads what it is from
// its content with real decoders' header parsers, never from its name: images
// through stb_image's info call (JPEG, PNG, GIF, BMP) or libavformat (WebP),
// videos through libavformat/libavcodec (container, codecs, duration, size,
// frame rate). This file pair is the only place those libraries appear; the
// rest of herald sees MediaInfo (calendar/model.h).
//
// Reads only headers and the first few megabytes a demuxer needs, so probing a
// large video is cheap. Stateless apart from libavformat's log hook, which is
// installed once and keeps the library quiet on stderr; any thread.
#pragma once

#include <string>

#include "calendar/model.h"
#include "common/result.h"

namespace herald::calendar {

// relative_path is as written in the calendar; root is the calendar's folder.
// Errors are sentences for the marketer naming relative_path: kNotFound when
// the file is missing, kInvalidArgument when it leads outside the folder or is
// not an image or video herald can read (truncated, unknown, a text file).
Result<MediaInfo> ProbeMedia(const std::string& root, const std::string& relative_path);

const char* ToString(MediaKind kind);

}  // namespace herald::calendar
