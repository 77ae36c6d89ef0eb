#include "calendar/media_probe.h"

#include <array>
#include <cmath>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <unistd.h>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avstring.h>
#include <libavutil/display.h>
#include <libavutil/log.h>
#include <libavutil/mem.h>
}

#include "common/confined_file.h"

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

// The demuxers herald lets libavformat use: the containers MediaInfo names
// (NameContainer below) and WebP stills. None of them opens another file or
// URL; playlists (HLS, DASH), concat scripts and image sequences, which do,
// are not among them. libavformat checks the list itself (format_whitelist),
// and nested opens are refused outright (RefuseNestedOpen).
constexpr const char* kDemuxers =
    "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,mpeg,mpegts,flv,asf,webp_pipe";
constexpr const char* kContainersInWords =
    "MP4, MOV, 3GP, WebM, Matroska, AVI, MPEG, MPEG-TS, FLV, ASF";

bool OnWhitelist(const char* demuxer) {
  return demuxer != nullptr && av_match_list(demuxer, kDemuxers, ',') > 0;
}

int RefuseNestedOpen(AVFormatContext*, AVIOContext**, const char*, int, AVDictionary**) {
  return AVERROR(EPERM);
}

// Reads for libavformat and stb_image from a descriptor by position (pread),
// so the file is the one that was opened, whatever its name now holds.
struct FdReader {
  int fd = -1;
  std::int64_t size = 0;
  std::int64_t pos = 0;

  int Read(unsigned char* buf, int n) {
    if (pos >= size) return 0;
    ssize_t got;
    do {
      got = ::pread(fd, buf, static_cast<size_t>(n), static_cast<off_t>(pos));
    } while (got < 0 && errno == EINTR);
    if (got <= 0) return got < 0 ? -1 : 0;
    pos += got;
    return static_cast<int>(got);
  }
};

int AvRead(void* opaque, std::uint8_t* buf, int n) {
  int got = static_cast<FdReader*>(opaque)->Read(buf, n);
  if (got < 0) return AVERROR(EIO);
  return got == 0 ? AVERROR_EOF : got;
}

std::int64_t AvSeek(void* opaque, std::int64_t offset, int whence) {
  auto* r = static_cast<FdReader*>(opaque);
  if ((whence & AVSEEK_SIZE) != 0) return r->size;
  std::int64_t base = 0;
  switch (whence & ~AVSEEK_FORCE) {
    case SEEK_SET:
      break;
    case SEEK_CUR:
      base = r->pos;
      break;
    case SEEK_END:
      base = r->size;
      break;
    default:
      return AVERROR(EINVAL);
  }
  if (offset > INT64_MAX - base || base + offset < 0) return AVERROR(EINVAL);
  r->pos = base + offset;
  return r->pos;
}

// The AVIOContext over an FdReader, and its buffer, freed together.
struct IoCloser {
  void operator()(AVIOContext* io) const {
    if (io == nullptr) return;
    av_freep(&io->buffer);
    avio_context_free(&io);
  }
};
using IoHandle = std::unique_ptr<AVIOContext, IoCloser>;

// The first bytes of the file, zero-padded as libavformat's probes require.
struct Head {
  std::vector<unsigned char> bytes;  // size() - AVPROBE_PADDING_SIZE are real
  std::size_t size = 0;
  bool starts_with(std::size_t at, std::string_view s) const {
    return size >= at + s.size() && std::memcmp(bytes.data() + at, s.data(), s.size()) == 0;
  }
};

bool ReadHead(int fd, Head& head) {
  constexpr std::size_t kProbeBytes = 4096;
  head.bytes.assign(kProbeBytes + AVPROBE_PADDING_SIZE, 0);
  while (head.size < kProbeBytes) {
    ssize_t n = ::pread(fd, head.bytes.data() + head.size, kProbeBytes - head.size,
                        static_cast<off_t>(head.size));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) break;
    head.size += static_cast<std::size_t>(n);
  }
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

std::optional<std::string> VideoCutOff(AVFormatContext& ctx, const AVStream& video,
                                       std::int64_t size);

// Opens the file with libavformat. The demuxer is chosen from the content
// (probed without the file's name, so `.mp4` on a text file means nothing)
// and must be on the whitelist; libavformat reads through the descriptor
// only and may open nothing else.
Result<MediaInfo> ReadWithAvformat(int fd, const Head& head, const std::string& shown,
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
                 unreadable + " (JPEG, PNG, GIF, BMP, WebP; " + kContainersInWords + ")");
  }
  if (!OnWhitelist(format->name)) {
    return Error(ErrorCode::kInvalidArgument,
                 unreadable + ": it is " + FirstName(format->name) +
                     (format->long_name != nullptr ? std::string(" (") + format->long_name + ")"
                                                   : std::string()) +
                     ", not one of the containers herald reads (" + kContainersInWords + ")");
  }
  FdReader reader{fd, static_cast<std::int64_t>(info.size_bytes), 0};
  constexpr int kIoBuffer = 64 * 1024;
  auto* buffer = static_cast<unsigned char*>(av_malloc(kIoBuffer));
  if (buffer == nullptr)
    return Error(ErrorCode::kInternal, "out of memory probing `" + shown + "`");
  IoHandle io(avio_alloc_context(buffer, kIoBuffer, 0, &reader, AvRead, nullptr, AvSeek));
  if (!io) {
    av_free(buffer);
    return Error(ErrorCode::kInternal, "out of memory probing `" + shown + "`");
  }
  AVFormatContext* raw = avformat_alloc_context();
  if (raw == nullptr) return Error(ErrorCode::kInternal, "out of memory probing `" + shown + "`");
  raw->pb = io.get();
  raw->flags |= AVFMT_FLAG_CUSTOM_IO;
  raw->io_open = RefuseNestedOpen;
  raw->format_whitelist = av_strdup(kDemuxers);
  raw->protocol_whitelist = av_strdup("file");
  AVDictionary* options = nullptr;
  av_dict_set(&options, "enable_drefs", "0", 0);  // mov: never follow references to other files
  av_dict_set(&options, "use_absolute_path", "0", 0);
  int rc = avformat_open_input(&raw, "", format, &options);  // frees raw on failure
  av_dict_free(&options);
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
  if (std::optional<std::string> cut =
          VideoCutOff(*ctx, *video, static_cast<std::int64_t>(info.size_bytes))) {
    return Error(ErrorCode::kInvalidArgument, unreadable + ": " + *cut + "; is it complete?");
  }

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

int StbRead(void* user, char* data, int size) {
  int got = static_cast<FdReader*>(user)->Read(reinterpret_cast<unsigned char*>(data), size);
  return got < 0 ? 0 : got;
}
void StbSkip(void* user, int n) {
  auto* r = static_cast<FdReader*>(user);
  r->pos = std::max<std::int64_t>(0, r->pos + n);
}
int StbEof(void* user) {
  auto* r = static_cast<FdReader*>(user);
  return r->pos >= r->size ? 1 : 0;
}

// Why a JPEG's Huffman tables would overrun stb_image, or nullopt. stb (as
// Debian ships it) trusts a DHT segment's 16 code counts: when they add up
// to more than 256, stbi__build_huffman and the table's value loop write past
// their 256-entry arrays. So every DHT segment stb's header read can reach
// (those before the frame header) is read first, walked as stb walks the
// markers, and a table of more than 256 codes, which no JPEG may have
// (ITU T.81, B.2.4.2), is refused here.
std::optional<std::string> JpegTableProblem(int fd, std::int64_t size) {
  FdReader reader{fd, size, 2};  // after the start-of-image marker
  auto next = [&reader]() -> int {
    unsigned char c = 0;
    return reader.Read(&c, 1) == 1 ? c : -1;
  };
  for (;;) {
    int c = next();
    if (c < 0) return std::nullopt;
    if (c != 0xFF) continue;  // stb scans on to the next marker
    do c = next();
    while (c == 0xFF);
    if (c < 0) return std::nullopt;
    const bool sof = c >= 0xC0 && c <= 0xCF && c != 0xC4 && c != 0xC8 && c != 0xCC;
    if (sof || c == 0xDA || c == 0xD9) return std::nullopt;  // stb reads no further
    const int hi = next();
    const int lo = next();
    if (lo < 0) return std::nullopt;
    int length = ((hi << 8) | lo) - 2;
    if (c != 0xC4) {
      reader.pos += std::max(length, 0);
      continue;
    }
    // Past the file's end stb reads zeros; so does this.
    auto byte = [&next]() { return std::max(next(), 0); };
    while (length > 0) {
      const int q = byte();
      if ((q >> 4) > 1 || (q & 15) > 3) return std::nullopt;  // stb refuses it itself
      int codes = 0;
      for (int i = 0; i < 16; ++i) codes += byte();
      if (codes > 256) {
        return "its data is damaged (a Huffman table of " + std::to_string(codes) +
               " codes; a JPEG's has at most 256)";
      }
      for (int i = 0; i < codes; ++i) byte();
      length -= 17 + codes;
    }
  }
}

Result<MediaInfo> ReadWithStb(int fd, const std::string& shown, const std::string& kind_name,
                              MediaInfo info) {
  int w = 0, h = 0, channels = 0;
  FdReader reader{fd, static_cast<std::int64_t>(info.size_bytes), 0};
  const stbi_io_callbacks callbacks{StbRead, StbSkip, StbEof};
  if (stbi_info_from_callbacks(&callbacks, &reader, &w, &h, &channels) == 0 || w <= 0 || h <= 0) {
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

// Why a JPEG does not run to its end, or nullopt when it does. Its marker
// segments are walked by their lengths and each scan's entropy-coded data up
// to the next marker (0xFF 0x00 is a stuffed byte, 0xFF 0xD0-0xD7 a restart),
// until the end-of-image marker. A file cut off after a complete header ends
// inside a segment or a scan, which reading the header alone never sees.
std::optional<std::string> JpegCutOff(int fd, std::int64_t size) {
  FdReader reader{fd, size, 2};  // after the start-of-image marker
  std::vector<unsigned char> buf(64 * 1024);
  std::size_t have = 0, at = 0;
  auto next = [&]() -> int {
    if (at == have) {
      const int n = reader.Read(buf.data(), static_cast<int>(buf.size()));
      if (n <= 0) return -1;
      have = static_cast<std::size_t>(n);
      at = 0;
    }
    return buf[at++];
  };
  const std::string cut = "its data is cut off before the end of the picture";
  int marker = -1;  // a marker the scan below ran into, not yet handled
  for (;;) {
    int c = marker;
    marker = -1;
    if (c < 0) {
      c = next();
      if (c < 0) return cut;
      if (c != 0xFF) return "its data is damaged (no marker where one must be)";
      do c = next();
      while (c == 0xFF);
      if (c < 0) return cut;
    }
    if (c == 0xD9) return std::nullopt;                   // end of image
    if (c == 0x01 || (c >= 0xD0 && c <= 0xD7)) continue;  // markers without a segment
    const int hi = next();
    const int lo = next();
    if (lo < 0) return cut;
    const int length = (hi << 8) | lo;
    if (length < 2)
      return "its data is damaged (a segment of length " + std::to_string(length) + ")";
    for (int i = 2; i < length; ++i) {
      if (next() < 0) return cut;
    }
    if (c != 0xDA) continue;
    for (;;) {  // a scan: entropy-coded data up to the next real marker
      int b = next();
      if (b < 0) return cut;
      if (b != 0xFF) continue;
      do b = next();
      while (b == 0xFF);
      if (b < 0) return cut;
      if (b == 0x00 || (b >= 0xD0 && b <= 0xD7)) continue;
      marker = b;
      break;
    }
  }
}

// Why a video's data is not all there, or nullopt. Every sample its index
// names must lie within the file, and its first frames must read as packets:
// a file cut off after a complete header (an MP4 with its moov first) passes
// the stream probe but not this.
std::optional<std::string> VideoCutOff(AVFormatContext& ctx, const AVStream& video,
                                       std::int64_t size) {
  for (unsigned i = 0; i < ctx.nb_streams; ++i) {
    AVStream* st = ctx.streams[i];
    const int entries = avformat_index_get_entries_count(st);
    if (entries <= 0) continue;
    const AVIndexEntry* last = avformat_index_get_entry(st, entries - 1);
    if (last != nullptr && last->pos + last->size > size) {
      return "its data is cut off: its samples run to byte " +
             std::to_string(last->pos + last->size) + " but the file ends at byte " +
             std::to_string(size);
    }
  }
  constexpr int kFrames = 3;     // a few frames' worth
  constexpr int kPackets = 256;  // of any stream, to find them
  AVPacket* packet = av_packet_alloc();
  if (packet == nullptr) return "out of memory reading its frames";
  int frames = 0;
  std::optional<std::string> why;
  for (int i = 0; i < kPackets && frames < kFrames; ++i) {
    const int rc = av_read_frame(&ctx, packet);
    if (rc == AVERROR_EOF) break;
    if (rc < 0) {
      why = "its first frames cannot be read (" + AvReason(rc) + ")";
      break;
    }
    if (packet->stream_index == video.index) {
      if ((packet->flags & AV_PKT_FLAG_CORRUPT) != 0) {
        why = "its first frames are damaged";
        break;
      }
      ++frames;
    }
    av_packet_unref(packet);
  }
  av_packet_free(&packet);
  if (!why && frames == 0) why = "it holds no video frames";
  return why;
}

}  // namespace

const char* ToString(MediaKind kind) { return kind == MediaKind::kImage ? "image" : "video"; }

Result<MediaInfo> ProbeMedia(const std::string& root, const std::string& relative_path) {
  if (relative_path.empty()) return Error(ErrorCode::kInvalidArgument, "the media path is empty");
  ConfinedOptions confined;
  confined.folder = "the calendar's folder";
  auto file = OpenBeneath(root, relative_path, confined);
  if (!file.ok()) {
    const Error& e = file.error();
    if (e.code() == ErrorCode::kNotFound) {
      return Error(ErrorCode::kNotFound, "media file `" + relative_path + "` " + e.message());
    }
    std::string message = "media path `" + relative_path + "` " + e.message();
    if (e.message().rfind("leads outside", 0) == 0) message += "; keep media next to the calendar";
    return Error(
        e.code() == ErrorCode::kInvalidArgument ? ErrorCode::kInvalidArgument : ErrorCode::kIo,
        message);
  }
  auto info = ProbeOpenedMedia(file->fd.get(), file->identity, relative_path);
  if (!info.ok()) return info;
  info->file.root = root;
  info->file.relative = NormalizeRelative(relative_path);
  info->path = (fs::path(root) / info->file.relative).lexically_normal().string();
  return info;
}

Result<MediaInfo> ProbeOpenedMedia(int fd, const FileIdentity& identity, const std::string& shown) {
  MediaInfo info;
  info.file.identity = identity;
  info.size_bytes = identity.size;
  Head head;
  if (!ReadHead(fd, head)) {
    return Error(ErrorCode::kIo, "cannot read media file `" + shown + "`");
  }
  if (head.size == 0) {
    return Error(ErrorCode::kInvalidArgument, "media file `" + shown + "` is empty");
  }
  // Images by signature; stb (or libavformat for WebP) must then read the
  // header, so a file that merely starts right is still refused.
  if (head.size >= 3 && head.bytes[0] == 0xFF && head.bytes[1] == 0xD8 && head.bytes[2] == 0xFF) {
    info.mime_type = "image/jpeg";
    if (std::optional<std::string> bad = JpegTableProblem(fd, identity.size)) {
      return Error(ErrorCode::kInvalidArgument, "media file `" + shown + "` is a JPEG but " + *bad);
    }
    auto jpeg = ReadWithStb(fd, shown, "JPEG", std::move(info));
    if (!jpeg.ok()) return jpeg;
    if (std::optional<std::string> cut =
            JpegCutOff(fd, static_cast<std::int64_t>(jpeg->size_bytes))) {
      return Error(ErrorCode::kInvalidArgument,
                   "media file `" + shown + "` is a JPEG but " + *cut + "; is it complete?");
    }
    return jpeg;
  }
  if (head.starts_with(0, "\x89PNG\r\n\x1a\n")) {
    info.mime_type = "image/png";
    return ReadWithStb(fd, shown, "PNG", std::move(info));
  }
  if (head.starts_with(0, "GIF87a") || head.starts_with(0, "GIF89a")) {
    info.mime_type = "image/gif";
    return ReadWithStb(fd, shown, "GIF", std::move(info));
  }
  if (head.starts_with(0, "BM") && head.size >= 26) {
    info.mime_type = "image/bmp";
    return ReadWithStb(fd, shown, "BMP", std::move(info));
  }
  if (head.starts_with(0, "RIFF") && head.starts_with(8, "WEBP")) {
    info.mime_type = "image/webp";
    return ReadWithAvformat(fd, head, shown, std::move(info));
  }
  info.kind = MediaKind::kVideo;
  return ReadWithAvformat(fd, head, shown, std::move(info));
}

}  // namespace herald::calendar
