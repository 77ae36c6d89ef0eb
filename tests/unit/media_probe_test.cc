// ProbeMedia on real files (tests/fixtures/media, written by make-fixtures.sh
// with ffmpeg): each is read by stb_image or libavformat, or refused with a
// sentence naming the file. Nothing here may crash or leak under ASan.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "calendar/media_probe.h"
#include "calendar_test_util.h"

namespace herald::calendar {
namespace {

const std::string kFixtures = std::string(HERALD_SOURCE_DIR) + "/tests/fixtures/media";

Result<MediaInfo> Probe(const std::string& name) { return ProbeMedia(kFixtures, name); }

bool Mentions(const Result<MediaInfo>& r, const std::string& text) {
  return !r.ok() && r.error().message().find(text) != std::string::npos;
}

TEST_CASE("a JPEG's size comes from its header", "[media]") {
  const Result<MediaInfo> m = Probe("photo.jpg");
  REQUIRE(m.ok());
  CHECK(m->kind == MediaKind::kImage);
  CHECK(m->mime_type == "image/jpeg");
  CHECK(m->width == 640);
  CHECK(m->height == 480);
  CHECK(m->size_bytes ==
        static_cast<std::int64_t>(std::filesystem::file_size(kFixtures + "/photo.jpg")));
  CHECK(m->container.empty());
  CHECK_FALSE(m->duration_s.has_value());
}

TEST_CASE("a PNG's size comes from its header", "[media]") {
  const Result<MediaInfo> m = Probe("cover.png");
  REQUIRE(m.ok());
  CHECK(m->mime_type == "image/png");
  CHECK(m->width == 300);
  CHECK(m->height == 200);
}

TEST_CASE("an MP4 with H.264 and AAC is read by libavformat", "[media]") {
  const Result<MediaInfo> m = Probe("h264-aac.mp4");
  REQUIRE(m.ok());
  CHECK(m->kind == MediaKind::kVideo);
  CHECK(m->mime_type == "video/mp4");
  CHECK(m->container == "mp4");
  CHECK(m->video_codec == "h264");
  CHECK(m->audio_codec == "aac");
  CHECK(m->width == 320);
  CHECK(m->height == 240);
  REQUIRE(m->duration_s.has_value());
  CHECK(*m->duration_s == Approx(2.0).margin(0.1));
  REQUIRE(m->frame_rate.has_value());
  CHECK(*m->frame_rate == Approx(25.0));
}

TEST_CASE("a QuickTime movie is a mov, silent when it has no sound", "[media]") {
  const Result<MediaInfo> m = Probe("clip.mov");
  REQUIRE(m.ok());
  CHECK(m->mime_type == "video/quicktime");
  CHECK(m->container == "mov");
  CHECK(m->video_codec == "h264");
  CHECK(m->audio_codec.empty());
  CHECK(m->width == 240);
  CHECK(m->height == 320);
  CHECK(*m->frame_rate == Approx(30.0));
  CHECK(*m->duration_s == Approx(1.0).margin(0.1));
}

TEST_CASE("a WebM with VP9 and Opus is told apart from Matroska", "[media]") {
  const Result<MediaInfo> m = Probe("clip.webm");
  REQUIRE(m.ok());
  CHECK(m->mime_type == "video/webm");
  CHECK(m->container == "webm");
  CHECK(m->video_codec == "vp9");
  CHECK(m->audio_codec == "opus");
  CHECK(m->width == 160);
  CHECK(m->height == 90);
  REQUIRE(m->duration_s.has_value());
  CHECK(*m->duration_s == Approx(1.0).margin(0.1));
}

TEST_CASE("a rotated video's size is the one it is shown at", "[media]") {
  const Result<MediaInfo> m = Probe("rotated.mp4");
  REQUIRE(m.ok());
  CHECK(m->width == 240);
  CHECK(m->height == 320);
}

TEST_CASE("a truncated MP4 is refused with its name and the reason", "[media]") {
  const Result<MediaInfo> m = Probe("truncated.mp4");
  REQUIRE_FALSE(m.ok());
  CHECK(m.error().code() == ErrorCode::kInvalidArgument);
  CHECK(Mentions(m, "media file `truncated.mp4` is not an image or video herald can read"));
  CHECK(Mentions(m, "moov atom not found"));
}

TEST_CASE("a truncated JPEG is refused", "[media]") {
  const Result<MediaInfo> m = Probe("truncated.jpg");
  REQUIRE_FALSE(m.ok());
  CHECK(Mentions(m, "`truncated.jpg` starts like a JPEG but its header cannot be read"));
}

// `name` cut to its first `keep` bytes, in a scratch folder.
std::string CutCopy(const testing::ScratchDir& dir, const std::string& name, std::size_t keep) {
  std::ifstream in(kFixtures + "/" + name, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  REQUIRE(keep < bytes.size());
  const std::string cut = "cut-" + name;
  std::ofstream(dir.path() + "/" + cut, std::ios::binary) << bytes.substr(0, keep);
  return cut;
}

TEST_CASE("a JPEG cut off after a complete header is refused", "[media]") {
  testing::ScratchDir dir;
  std::ifstream in(kFixtures + "/photo.jpg", std::ios::binary);
  const std::string whole((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::size_t scan = whole.find("\xFF\xDA");
  REQUIRE(scan != std::string::npos);
  // Just after the start-of-scan header, midway through the scan, one byte short.
  for (std::size_t keep : {scan + 14, (scan + whole.size()) / 2, whole.size() - 1}) {
    INFO(keep);
    const Result<MediaInfo> m = ProbeMedia(dir.path(), CutCopy(dir, "photo.jpg", keep));
    REQUIRE_FALSE(m.ok());
    CHECK(m.error().code() == ErrorCode::kInvalidArgument);
    CHECK(Mentions(m, "is a JPEG but its data is cut off before the end of the picture"));
  }
  CHECK(Probe("photo.jpg").ok());
}

TEST_CASE("a JPEG whose Huffman table holds more than 256 codes is refused before stb reads it",
          "[media][fuzz]") {
  // Found by tests/fuzz's media_probe target (regressions/media_probe/):
  // stb_image writes past its tables' arrays on such a DHT segment.
  testing::ScratchDir dir;
  std::ifstream in(kFixtures + "/photo.jpg", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::size_t dht = bytes.find("\xFF\xC4");
  REQUIRE(dht != std::string::npos);
  // The first table's 16 code counts, after the marker, the length and the class/id byte.
  for (std::size_t i = dht + 5; i < dht + 21; ++i) bytes[i] = '\x20';  // 16 x 32 = 512 codes
  std::ofstream(dir.path() + "/huffman.jpg", std::ios::binary) << bytes;
  const Result<MediaInfo> m = ProbeMedia(dir.path(), "huffman.jpg");
  REQUIRE_FALSE(m.ok());
  CHECK(m.error().code() == ErrorCode::kInvalidArgument);
  CHECK(
      Mentions(m, "`huffman.jpg` is a JPEG but its data is damaged (a Huffman table of 512 codes"));
  CHECK(Probe("photo.jpg").ok());
}

TEST_CASE("a video cut off after a complete header is refused", "[media]") {
  testing::ScratchDir dir;
  // h264-aac.mp4 has its moov first: cut inside the mdat, the header is whole.
  const std::size_t size = std::filesystem::file_size(kFixtures + "/h264-aac.mp4");
  for (std::size_t keep : {std::size_t{2100}, size - 100}) {
    INFO(keep);
    const Result<MediaInfo> m = ProbeMedia(dir.path(), CutCopy(dir, "h264-aac.mp4", keep));
    REQUIRE_FALSE(m.ok());
    CHECK(m.error().code() == ErrorCode::kInvalidArgument);
    CHECK(Mentions(m, "its data is cut off"));
  }
}

TEST_CASE("a text file named .mp4 is not a video", "[media]") {
  const Result<MediaInfo> m = Probe("text.mp4");
  REQUIRE_FALSE(m.ok());
  CHECK(m.error().code() == ErrorCode::kInvalidArgument);
  CHECK(Mentions(m, "media file `text.mp4` is not an image or video herald can read"));
}

TEST_CASE("the kind comes from content, not the name", "[media]") {
  testing::ScratchDir dir;
  const auto copy = [&](const std::string& from, const std::string& to) {
    std::filesystem::copy_file(kFixtures + "/" + from, dir.path() + "/" + to);
  };
  copy("photo.jpg", "photo.mp4");
  copy("h264-aac.mp4", "clip.png");
  copy("clip.mov", "clip.mp4");
  dir.Write("empty.jpg", "");
  dir.Write("fake.gif", "GIF89a");  // the signature, then nothing
  dir.Write("fake.mov", std::string("\x00\x00\x00\x14"
                                    "ftypqt  \x00\x00\x00\x00qt  ",
                                    20));
  dir.Write("tiny.png", std::string(testing::kTinyPng, sizeof testing::kTinyPng - 1));
  CHECK(ProbeMedia(dir.path(), "photo.mp4")->kind == MediaKind::kImage);
  CHECK(ProbeMedia(dir.path(), "photo.mp4")->mime_type == "image/jpeg");
  CHECK(ProbeMedia(dir.path(), "clip.png")->kind == MediaKind::kVideo);
  CHECK(ProbeMedia(dir.path(), "clip.png")->container == "mp4");
  CHECK(ProbeMedia(dir.path(), "clip.mp4")->container == "mov");
  CHECK(ProbeMedia(dir.path(), "tiny.png")->width == 1);
  CHECK(Mentions(ProbeMedia(dir.path(), "empty.jpg"), "`empty.jpg` is empty"));
  CHECK(Mentions(ProbeMedia(dir.path(), "fake.gif"), "starts like a GIF"));
  CHECK(Mentions(ProbeMedia(dir.path(), "fake.mov"), "`fake.mov` is not an image or video"));
  CHECK(ProbeMedia(dir.path(), "nope.png").error().code() == ErrorCode::kNotFound);
}

TEST_CASE("the example calendar's video is real", "[media]") {
  const Result<MediaInfo> m = ProbeMedia(std::string(HERALD_SOURCE_DIR) + "/examples/calendars",
                                         "media/behind-the-counter.mp4");
  REQUIRE(m.ok());
  CHECK(m->container == "mp4");
  CHECK(m->video_codec == "h264");
  CHECK(m->audio_codec == "aac");
  CHECK(m->width == 360);
  CHECK(m->height == 640);
  REQUIRE(m->duration_s.has_value());
  CHECK(*m->duration_s == Approx(15.0).margin(0.1));
}

// The audit's probe attacks: a "video" that is a playlist or script naming
// other files. Each names a real video outside the calendar's folder, so a
// probe that followed it would succeed; it must be refused by its format.
TEST_CASE("playlists and scripts that name other files are refused, not followed",
          "[media][security]") {
  testing::ScratchDir top;
  const std::string outside = top.path() + "/outside";
  std::filesystem::create_directories(outside);
  std::filesystem::copy_file(kFixtures + "/h264-aac.mp4", outside + "/private.mp4");
  const std::string cal = top.path() + "/calendar";
  std::filesystem::create_directories(cal);
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(cal + "/" + name, std::ios::binary) << text;
  };
  write("hls.mp4", "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\n" + outside +
                       "/private.mp4\n#EXT-X-ENDLIST\n");
  write("relative-hls.mp4",
        "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\n"
        "../outside/private.mp4\n#EXT-X-ENDLIST\n");
  write("concat.mp4", "ffconcat version 1.0\nfile " + outside + "/private.mp4\n");
  for (const char* name : {"hls.mp4", "relative-hls.mp4", "concat.mp4"}) {
    INFO(name);
    const Result<MediaInfo> m = ProbeMedia(cal, name);
    REQUIRE_FALSE(m.ok());
    CHECK(m.error().code() == ErrorCode::kInvalidArgument);
  }
  CHECK(Mentions(ProbeMedia(cal, "hls.mp4"), "not one of the containers herald reads"));
}

// A small, deterministic fuzz of the probe: mutants of every fixture (bytes
// flipped, cut short, bytes inserted, a block repeated) are probed, and each
// must be read or refused with a sentence naming it, never crash (ASan and
// UBSan abort on any memory error). Bounded: kMutants per fixture.
TEST_CASE("mutated media never crash the probe", "[media][fuzz]") {
  constexpr int kMutants = 60;
  testing::ScratchDir dir;
  std::mt19937 rng(20250101);
  int refused = 0;
  for (const char* name :
       {"photo.jpg", "cover.png", "h264-aac.mp4", "clip.mov", "clip.webm", "rotated.mp4"}) {
    std::ifstream in(kFixtures + "/" + name, std::ios::binary);
    const std::string original((std::istreambuf_iterator<char>(in)), {});
    REQUIRE(original.size() > 64);
    for (int i = 0; i < kMutants; ++i) {
      std::string m = original;
      auto at = [&](std::size_t n) {
        return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
      };
      switch (i % 4) {
        case 0:
          for (int k = 0; k < 1 + i % 8; ++k) m[at(m.size())] = static_cast<char>(rng());
          break;
        case 1:
          m.resize(8 + at(m.size() - 8));
          break;
        case 2:
          m.insert(at(m.size()), std::string(1 + at(64), static_cast<char>(rng())));
          break;
        default: {
          std::size_t from = at(m.size() / 2);
          m.insert(at(m.size()), m.substr(from, 1 + at(m.size() - from)));
        }
      }
      const std::string file = "mutant-" + std::to_string(i) + "-" + name;
      dir.Write(file, m);
      const Result<MediaInfo> r = ProbeMedia(dir.path(), file);
      if (!r.ok()) {
        ++refused;
        CHECK(r.error().message().find("`" + file + "`") != std::string::npos);
      }
    }
  }
  CHECK(refused > 0);  // the mutations did reach the refusal paths
}

}  // namespace
}  // namespace herald::calendar
