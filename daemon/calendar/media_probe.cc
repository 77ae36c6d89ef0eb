#include "calendar/media_probe.h"

#include <array>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace herald::calendar {
namespace {

namespace fs = std::filesystem;

bool Within(const fs::path& root, const fs::path& p) {
  auto r = root.begin();
  auto i = p.begin();
  for (; r != root.end(); ++r, ++i) {
    if (i == p.end() || *r != *i) return false;
  }
  return true;
}

std::uint64_t ReadBe(const unsigned char* p, int n) {
  std::uint64_t v = 0;
  for (int i = 0; i < n; ++i) v = (v << 8) | p[i];
  return v;
}

// Walks ISO-BMFF boxes (moov > mvhd) for the movie's length; bounded.
std::optional<double> Mp4Duration(std::ifstream& in, std::int64_t size) {
  std::int64_t pos = 0;
  std::int64_t end = size;
  for (int guard = 0; guard < 4096 && pos + 8 <= end; ++guard) {
    unsigned char h[16];
    in.clear();
    in.seekg(pos);
    if (!in.read(reinterpret_cast<char*>(h), 8)) return std::nullopt;
    std::int64_t box = static_cast<std::int64_t>(ReadBe(h, 4));
    std::int64_t header = 8;
    if (box == 1) {
      if (!in.read(reinterpret_cast<char*>(h + 8), 8)) return std::nullopt;
      box = static_cast<std::int64_t>(ReadBe(h + 8, 8));
      header = 16;
    } else if (box == 0) {
      box = end - pos;
    }
    if (box < header || pos + box > end) return std::nullopt;
    if (std::memcmp(h + 4, "moov", 4) == 0) {
      end = pos + box;
      pos += header;
      continue;
    }
    if (std::memcmp(h + 4, "mvhd", 4) == 0) {
      unsigned char b[32];
      in.clear();
      in.seekg(pos + header);
      if (!in.read(reinterpret_cast<char*>(b), 32)) return std::nullopt;
      std::uint64_t timescale = 0, duration = 0;
      if (b[0] == 1) {
        timescale = ReadBe(b + 20, 4);
        duration = ReadBe(b + 24, 8);
      } else {
        timescale = ReadBe(b + 12, 4);
        duration = ReadBe(b + 16, 4);
      }
      if (timescale == 0) return std::nullopt;
      return static_cast<double>(duration) / static_cast<double>(timescale);
    }
    pos += box;
  }
  return std::nullopt;
}

}  // namespace

const char* ToString(MediaKind kind) { return kind == MediaKind::kImage ? "image" : "video"; }

Result<MediaInfo> ProbeMedia(const std::string& root, const std::string& relative_path) {
  if (relative_path.empty()) return Error(ErrorCode::kInvalidArgument, "the media path is empty");
  const fs::path rel(relative_path);
  if (rel.is_absolute()) {
    return Error(ErrorCode::kInvalidArgument,
                 "media path `" + relative_path +
                     "` must be relative to the calendar's folder, not absolute");
  }
  std::error_code ec;
  const fs::path real_root = fs::canonical(root, ec);
  if (ec) return Error(ErrorCode::kNotFound, "cannot open the calendar's folder `" + root + "`");
  const fs::path lexical = (real_root / rel).lexically_normal();
  const std::string outside =
      "media path `" + relative_path +
      "` leads outside the calendar's folder; keep media next to the calendar";
  if (!Within(real_root, lexical)) return Error(ErrorCode::kInvalidArgument, outside);
  const fs::path real = fs::canonical(lexical, ec);
  if (ec) {
    return Error(ErrorCode::kNotFound, "media file `" + relative_path + "` does not exist");
  }
  if (!Within(real_root, real)) return Error(ErrorCode::kInvalidArgument, outside);
  if (!fs::is_regular_file(real, ec)) {
    return Error(ErrorCode::kInvalidArgument, "media path `" + relative_path + "` is not a file");
  }
  MediaInfo info;
  info.path = real.string();
  info.size_bytes = static_cast<std::int64_t>(fs::file_size(real, ec));
  if (ec) return Error(ErrorCode::kIo, "cannot read media file `" + relative_path + "`");
  std::ifstream in(real, std::ios::binary);
  std::array<unsigned char, 16> m{};
  if (!in || !in.read(reinterpret_cast<char*>(m.data()), m.size())) {
    if (!in.eof() && !in) {
      return Error(ErrorCode::kIo, "cannot read media file `" + relative_path + "`");
    }
  }
  const auto n = static_cast<std::size_t>(in.gcount());
  auto is = [&](std::size_t at, const char* s) {
    const std::size_t len = std::strlen(s);
    return n >= at + len && std::memcmp(m.data() + at, s, len) == 0;
  };
  if (n >= 3 && m[0] == 0xFF && m[1] == 0xD8 && m[2] == 0xFF) {
    info.mime_type = "image/jpeg";
  } else if (is(0, "\x89PNG\r\n\x1a\n")) {
    info.mime_type = "image/png";
  } else if (is(0, "GIF87a") || is(0, "GIF89a")) {
    info.mime_type = "image/gif";
  } else if (is(0, "RIFF") && is(8, "WEBP")) {
    info.mime_type = "image/webp";
  } else if (is(4, "ftyp")) {
    info.kind = MediaKind::kVideo;
    info.mime_type = is(8, "qt  ") ? "video/quicktime" : "video/mp4";
  } else if (is(4, "moov") || is(4, "mdat") || is(4, "wide") || is(4, "free")) {
    info.kind = MediaKind::kVideo;
    info.mime_type = "video/quicktime";
  } else {
    return Error(ErrorCode::kInvalidArgument,
                 "media file `" + relative_path +
                     "` is not an image or video herald knows (JPEG, PNG, GIF, WebP, MP4, MOV)");
  }
  if (info.kind == MediaKind::kVideo) info.duration_s = Mp4Duration(in, info.size_bytes);
  return info;
}

}  // namespace herald::calendar
