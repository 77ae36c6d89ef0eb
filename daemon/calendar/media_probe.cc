#include "calendar/media_probe.h"

#include <array>
#include <cmath>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <string_view>
#include <utility>
#include <vector>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
#include <libavutil/log.h>
}

// stb_image's implementation lives in this translation unit only, with its
// functions static so nothing clashes with another copy; just the formats
// herald probes, and no decoding is ever asked of it (info calls only).
#define STB_IMAGE_STATIC
#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_JPEG
#define STBI_ONLY_PNG
#define STBI_ONLY_GIF
#define STBI_ONLY_BMP
#define STBI_NO_LINEAR
#define STBI_NO_HDR
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include <stb/stb_image.h>
#pragma GCC diagnostic pop

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

// libavformat logs through one process-wide callback. Ours keeps the last
// error line of the calling thread (for the marketer's message) and prints
// nothing: a calendar's validation output is herald's, not the library's.
thread_local std::array<char, 256> last_av_error{};

void CaptureAvLog(void* avcl, int level, const char* fmt, va_list args) noexcept {
  if (level > AV_LOG_ERROR) return;
  std::array<char, 256> line{};
  int print_prefix = 0;
  av_log_format_line2(avcl, level, fmt, args, line.data(), static_cast<int>(line.size()),
                      &print_prefix);
  std::size_t n = std::strlen(line.data());
  while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == ' ' || line[n - 1] == '.')) --n;
  line[n] = '\0';
  last_av_error = line;
}

void InstallAvLogOnce() {
  static std::once_flag once;
  std::call_once(once, [] { av_log_set_callback(CaptureAvLog); });
}

// Why libavformat refused: the last error it logged, else its error code.
std::string AvReason(int code) {
  if (last_av_error[0] != '\0') return last_av_error.data();
  std::array<char, AV_ERROR_MAX_STRING_SIZE> text{};
  av_strerror(code, text.data(), text.size());
  return text.data();
}

struct FormatCloser {
  void operator()(AVFormatContext* ctx) const { avformat_close_input(&ctx); }
};
using FormatHandle = std::unique_ptr<AVFormatContext, FormatCloser>;

// The first bytes of the file, zero-padded as libavformat's probes require.
struct Head {
  std::vector<unsigned char> bytes;  // size() - AVPROBE_PADDING_SIZE are real
  std::size_t size = 0;
  bool starts_with(std::size_t at, std::string_view s) const {
    return size >= at + s.size() && std::memcmp(bytes.data() + at, s.data(), s.size()) == 0;
  }
};

bool ReadHead(const fs::path& file, Head& head) {
  constexpr std::size_t kProbeBytes = 4096;
  head.bytes.assign(kProbeBytes + AVPROBE_PADDING_SIZE, 0);
  std::ifstream in(file, std::ios::binary);
  if (!in) return false;
  in.read(reinterpret_cast<char*>(head.bytes.data()), kProbeBytes);
  if (in.bad()) return false;
  head.size = static_cast<std::size_t>(in.gcount());
  return true;
}

std::string FirstName(const char* names) {
  std::string s = names == nullptr ? "" : names;
  return s.substr(0, s.find(','));
}

// herald's container names (the vocabulary of the limits' `containers`) and
// their MIME types. libavformat reads MP4, MOV and 3GP with one demuxer and
// Matroska and WebM with another, so the brand and DocType decide.
void NameContainer(const AVFormatContext& ctx, const Head& head, MediaInfo& info) {
  const std::string demuxer = ctx.iformat->name;
  if (demuxer.find("mp4") != std::string::npos) {
    const AVDictionaryEntry* brand = av_dict_get(ctx.metadata, "major_brand", nullptr, 0);
    const std::string b = brand != nullptr ? brand->value : "";
    if (b.rfind("qt", 0) == 0) {
      info.container = "mov";
      info.mime_type = "video/quicktime";
    } else if (b.rfind("3g", 0) == 0) {
      info.container = "3gp";
      info.mime_type = "video/3gpp";
    } else {
      info.container = "mp4";
      info.mime_type = "video/mp4";
    }
    return;
  }
  if (demuxer.find("matroska") != std::string::npos) {
    // EBML DocType element (0x4282), length 4, "webm", within the header.
    const bool webm = [&] {
      for (std::size_t i = 0; i + 7 <= head.size && i < 64; ++i) {
        if (head.bytes[i] == 0x42 && head.bytes[i + 1] == 0x82 && head.starts_with(i + 3, "webm")) {
          return true;
        }
      }
      return false;
    }();
    info.container = webm ? "webm" : "matroska";
    info.mime_type = webm ? "video/webm" : "video/x-matroska";
    return;
  }
  info.container = FirstName(ctx.iformat->name);
  if (info.container == "avi") {
    info.mime_type = "video/x-msvideo";
  } else if (info.container == "mpegts") {
    info.mime_type = "video/mp2t";
  } else if (info.container == "mpeg") {
    info.mime_type = "video/mpeg";
  } else if (info.container == "flv") {
    info.mime_type = "video/x-flv";
  } else if (info.container == "asf") {
    info.mime_type = "video/x-ms-asf";
  } else {
    info.mime_type = "video/x-" + info.container;
  }
}

// A stream's rotation from its display matrix, in degrees (0 when none).
double Rotation(const AVStream& st) {
  std::size_t size = 0;
  const std::uint8_t* data = av_stream_get_side_data(&st, AV_PKT_DATA_DISPLAYMATRIX, &size);
  if (data == nullptr || size < sizeof(std::int32_t) * 9) return 0;
  std::array<std::int32_t, 9> matrix{};
  std::memcpy(matrix.data(), data, sizeof(std::int32_t) * 9);
  const double r = av_display_rotation_get(matrix.data());
  return std::isnan(r) ? 0 : r;
}

// Opens the file with libavformat. The demuxer is chosen from the content
// (probed without the file's name, so `.mp4` on a text file means nothing).
Result<MediaInfo> ReadWithAvformat(const fs::path& file, const Head& head, const std::string& shown,
                                   MediaInfo info) {
  InstallAvLogOnce();
  last_av_error[0] = '\0';
  const std::string unreadable =
      "media file `" + shown + "` is not an image or video herald can read";
  AVProbeData probe{};
  probe.filename = "";
  probe.buf = const_cast<unsigned char*>(head.bytes.data());
  probe.buf_size = static_cast<int>(head.size);
  int score = AVPROBE_SCORE_MAX / 4;  // only a format its content vouches for
  const AVInputFormat* format = av_probe_input_format2(&probe, 1, &score);
  if (format == nullptr) {
    return Error(ErrorCode::kInvalidArgument,
                 unreadable + " (JPEG, PNG, GIF, BMP, WebP; MP4, MOV, WebM and other videos)");
  }
  AVFormatContext* raw = nullptr;
  int rc = avformat_open_input(&raw, file.c_str(), format, nullptr);
  if (rc < 0) {
    return Error(ErrorCode::kInvalidArgument,
                 unreadable + ": it looks like " + FirstName(format->name) +
                     " but cannot be opened (" + AvReason(rc) + "); is it complete?");
  }
  FormatHandle ctx(raw);
  rc = avformat_find_stream_info(ctx.get(), nullptr);
  if (rc < 0) {
    return Error(ErrorCode::kInvalidArgument,
                 unreadable + ": its streams cannot be read (" + AvReason(rc) + ")");
  }
  const AVStream* video = nullptr;
  const AVStream* audio = nullptr;
  for (unsigned i = 0; i < ctx->nb_streams; ++i) {
    const AVStream* st = ctx->streams[i];
    const AVMediaType type = st->codecpar->codec_type;
    if (type == AVMEDIA_TYPE_VIDEO && video == nullptr &&
        (st->disposition & AV_DISPOSITION_ATTACHED_PIC) == 0) {
      video = st;
    } else if (type == AVMEDIA_TYPE_AUDIO && audio == nullptr) {
      audio = st;
    }
  }
  if (video == nullptr) {
    return Error(ErrorCode::kInvalidArgument, "media file `" + shown + "` has no video track (" +
                                                  FirstName(format->name) +
                                                  (audio != nullptr ? " with sound only" : "") +
                                                  "), so it is neither an image nor a video");
  }
  if (video->codecpar->width <= 0 || video->codecpar->height <= 0) {
    return Error(ErrorCode::kInvalidArgument,
                 unreadable + ": its picture size cannot be read; is it complete?");
  }
  std::int64_t w = video->codecpar->width;
  std::int64_t h = video->codecpar->height;
  if (std::fabs(std::fmod(std::fabs(Rotation(*video)), 180.0) - 90.0) < 1.0) std::swap(w, h);
  info.width = w;
  info.height = h;
  if (info.kind == MediaKind::kImage) return info;  // a still picture libavformat can read

  NameContainer(*ctx, head, info);
  info.video_codec = avcodec_get_name(video->codecpar->codec_id);
  if (audio != nullptr) info.audio_codec = avcodec_get_name(audio->codecpar->codec_id);
  if (ctx->duration != AV_NOPTS_VALUE && ctx->duration > 0) {
    info.duration_s = static_cast<double>(ctx->duration) / AV_TIME_BASE;
  } else if (video->duration != AV_NOPTS_VALUE && video->duration > 0) {
    info.duration_s = static_cast<double>(video->duration) * av_q2d(video->time_base);
  }
  AVRational rate = video->avg_frame_rate;
  if (rate.num <= 0 || rate.den <= 0) rate = video->r_frame_rate;
  if (rate.num > 0 && rate.den > 0) info.frame_rate = av_q2d(rate);
  return info;
}

Result<MediaInfo> ReadWithStb(const fs::path& file, const std::string& shown,
                              const std::string& kind_name, MediaInfo info) {
  int w = 0, h = 0, channels = 0;
  if (stbi_info(file.c_str(), &w, &h, &channels) == 0 || w <= 0 || h <= 0) {
    const char* why = stbi_failure_reason();
    return Error(ErrorCode::kInvalidArgument, "media file `" + shown + "` starts like a " +
                                                  kind_name + " but its header cannot be read (" +
                                                  (why != nullptr ? why : "unknown") +
                                                  "); is it complete?");
  }
  info.width = w;
  info.height = h;
  return info;
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
  Head head;
  if (ec || !ReadHead(real, head)) {
    return Error(ErrorCode::kIo, "cannot read media file `" + relative_path + "`");
  }
  if (head.size == 0) {
    return Error(ErrorCode::kInvalidArgument, "media file `" + relative_path + "` is empty");
  }
  // Images by signature; stb (or libavformat for WebP) must then read the
  // header, so a file that merely starts right is still refused.
  if (head.size >= 3 && head.bytes[0] == 0xFF && head.bytes[1] == 0xD8 && head.bytes[2] == 0xFF) {
    info.mime_type = "image/jpeg";
    return ReadWithStb(real, relative_path, "JPEG", std::move(info));
  }
  if (head.starts_with(0, "\x89PNG\r\n\x1a\n")) {
    info.mime_type = "image/png";
    return ReadWithStb(real, relative_path, "PNG", std::move(info));
  }
  if (head.starts_with(0, "GIF87a") || head.starts_with(0, "GIF89a")) {
    info.mime_type = "image/gif";
    return ReadWithStb(real, relative_path, "GIF", std::move(info));
  }
  if (head.starts_with(0, "BM") && head.size >= 26) {
    info.mime_type = "image/bmp";
    return ReadWithStb(real, relative_path, "BMP", std::move(info));
  }
  if (head.starts_with(0, "RIFF") && head.starts_with(8, "WEBP")) {
    info.mime_type = "image/webp";
    return ReadWithAvformat(real, head, relative_path, std::move(info));
  }
  info.kind = MediaKind::kVideo;
  return ReadWithAvformat(real, head, relative_path, std::move(info));
}

}  // namespace herald::calendar
