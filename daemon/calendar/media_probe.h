// Media probing: opens a calendar's media file beneath the calendar's folder
// (common/confined_file.h: no link followed, nothing outside, a regular file
// with one name) and reads what it is from its content through that
// descriptor, with real decoders' header parsers, never from its name: images
// through stb_image's info call (JPEG, PNG, GIF, BMP) or libavformat (WebP),
// videos through libavformat/libavcodec (container, codecs, duration, size,
// frame rate). libavformat may use only the demuxers of the containers herald
// names (no playlists, scripts or image sequences) and may open no other file
// or URL. This file pair is the only place those libraries appear; the rest
// of herald sees MediaInfo (calendar/model.h).
//
// Reads only headers and the first few megabytes a demuxer needs, so probing a
// large video is cheap. Stateless apart from libavformat's log hook, which is
// installed once and keeps the library quiet on stderr; any thread.
#pragma once

#include <string>

#include "calendar/model.h"
#include "common/confined_file.h"
#include "common/result.h"

namespace herald::calendar {

// relative_path is as written in the calendar; root is the calendar's folder.
// Errors are sentences for the marketer naming relative_path: kNotFound when
// the file is missing, kInvalidArgument when it leads outside the folder, is a
// link, a FIFO or hard linked, or is not an image or video herald can read
// (truncated, unknown, a text file, a playlist). info.file says how to open it
// again (root, normalized relative path, identity).
Result<MediaInfo> ProbeMedia(const std::string& root, const std::string& relative_path);

// Probes a file already opened confined (fd, read by position only), named
// `shown` in messages: what the daemon does when a file changed since its
// calendar was checked. Sets everything but info.path and info.file's root
// and relative path.
Result<MediaInfo> ProbeOpenedMedia(int fd, const FileIdentity& identity, const std::string& shown);

const char* ToString(MediaKind kind);

}  // namespace herald::calendar
