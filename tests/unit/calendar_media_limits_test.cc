// The calendar validator against the platforms' media specs: dimensions,
// aspect ratio, container, codecs, duration and frame rate, each reported at
// the medium's `path:` node as one sentence. Uses the probed fixtures in
// tests/fixtures/media; the limits are parsed from describe()-style JSON.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "calendar/loader.h"
#include "calendar/platform_limits.h"
#include "calendar_test_util.h"

namespace herald::calendar {
namespace {

using testing::ScratchDir;

const std::string kFixtures = std::string(HERALD_SOURCE_DIR) + "/tests/fixtures/media";

// Validates a one-post calendar for instagram/shop showing `file` (a fixture)
// under the given `media` limits; returns the diagnostics, one per line.
std::string Validate(const std::string& file, const std::string& media_json) {
  ScratchDir dir;
  std::filesystem::create_directories(dir.path() + "/media");
  std::filesystem::copy_file(kFixtures + "/" + file, dir.path() + "/media/" + file);
  const std::string cal = dir.Write("c.yaml",
                                    "calendar: c\n"
                                    "time_zone: UTC\n"
                                    "targets: [instagram/shop]\n"
                                    "campaigns:\n"
                                    "  - id: k\n"
                                    "    goal: retention\n"
                                    "    posts:\n"
                                    "      - id: p\n"
                                    "        at: 2027-01-05 09:00\n"
                                    "        text: Hello\n"
                                    "        media:\n"
                                    "          - path: media/" +
                                        file + "\n");
  LoadContext ctx = testing::ShopContext();
  Result<PlatformLimits> limits = ParsePlatformLimits(R"({"media": )" + media_json + "}");
  REQUIRE(limits.ok());
  ctx.limits["instagram"] = *limits;
  const LoadResult r = Load({cal}, ctx);
  std::string out;
  for (const Diagnostic& d : r.diagnostics) {
    std::string line = d.ToString();
    line.replace(0, cal.size(), "c.yaml");
    out += line + "\n";
  }
  return out;
}

const std::string kAt = "c.yaml:12:13: error: post `p`: ";

TEST_CASE("image width below and above the platform's range", "[calendar][media-limits]") {
  CHECK(Validate("photo.jpg", R"({"image": {"min_width": 1080}})") ==
        kAt + "`media/photo.jpg` is 640x480 pixels; instagram needs at least 1080 pixels wide\n");
  CHECK(Validate("photo.jpg", R"({"image": {"max_width": 320}})") ==
        kAt + "`media/photo.jpg` is 640x480 pixels; instagram takes at most 320 pixels wide\n");
  CHECK(Validate("photo.jpg", R"({"image": {"min_width": 320, "max_width": 1440}})").empty());
}

TEST_CASE("image aspect ratio outside the platform's range", "[calendar][media-limits]") {
  CHECK(Validate("cover.png", R"({"image": {"min_aspect_ratio": 0.8, "max_aspect_ratio": 1.2}})") ==
        kAt +
            "`media/cover.png` is 300x200 pixels (1.5:1, width to height); instagram needs an "
            "aspect ratio between 0.8:1 and 1.2:1\n");
  CHECK(Validate("cover.png", R"({"image": {"min_aspect_ratio": 2}})") ==
        kAt +
            "`media/cover.png` is 300x200 pixels (1.5:1, width to height); instagram needs an "
            "aspect ratio at least 2:1\n");
  CHECK(Validate("cover.png", R"({"image": {"min_aspect_ratio": 0.8, "max_aspect_ratio": 1.5}})")
            .empty());
}

TEST_CASE("video container and codecs the platform does not take", "[calendar][media-limits]") {
  CHECK(Validate("clip.webm", R"({"video": {"containers": ["mp4", "mov"]}})") ==
        kAt + "`media/clip.webm` is a webm file; instagram accepts mp4, mov\n");
  CHECK(Validate("clip.webm", R"({"video": {"video_codecs": ["h264", "hevc"]}})") ==
        kAt + "`media/clip.webm` has vp9 video; instagram accepts h264, hevc\n");
  CHECK(Validate("clip.webm", R"({"video": {"audio_codecs": ["aac"]}})") ==
        kAt + "`media/clip.webm` has opus sound; instagram accepts aac\n");
  // A silent video passes any sound rule.
  CHECK(Validate("clip.mov", R"({"video": {"containers": ["mov"], "video_codecs": ["h264"],
                                          "audio_codecs": ["aac"]}})")
            .empty());
}

TEST_CASE("video duration, width, shape and frame rate", "[calendar][media-limits]") {
  CHECK(Validate("h264-aac.mp4", R"({"video": {"min_duration_s": 3}})") ==
        kAt + "`media/h264-aac.mp4` lasts 2 s; instagram needs at least 3 s\n");
  CHECK(Validate("h264-aac.mp4", R"({"video": {"max_width": 240}})") ==
        kAt + "`media/h264-aac.mp4` is 320x240 pixels; instagram takes at most 240 pixels wide\n");
  CHECK(Validate("h264-aac.mp4", R"({"video": {"max_aspect_ratio": 1}})") ==
        kAt +
            "`media/h264-aac.mp4` is 320x240 pixels (1.33:1, width to height); instagram "
            "needs an aspect ratio at most 1:1\n");
  CHECK(Validate("clip.mov", R"({"video": {"max_frame_rate": 24}})") ==
        kAt + "`media/clip.mov` runs at 30 frames per second; instagram accepts up to 24\n");
  CHECK(Validate("h264-aac.mp4", R"({"video": {"min_duration_s": 1, "max_width": 1920,
            "min_aspect_ratio": 0.01, "max_aspect_ratio": 10, "max_frame_rate": 60}})")
            .empty());
}

TEST_CASE("a rotated video is judged as it is shown", "[calendar][media-limits]") {
  CHECK(Validate("rotated.mp4", R"({"video": {"min_aspect_ratio": 1}})") ==
        kAt +
            "`media/rotated.mp4` is 240x320 pixels (0.75:1, width to height); instagram needs "
            "an aspect ratio at least 1:1\n");
}

TEST_CASE("new media limits of the wrong type are refused", "[calendar][media-limits]") {
  CHECK_FALSE(ParsePlatformLimits(R"({"media": {"image": {"min_aspect_ratio": "4:5"}}})").ok());
  CHECK_FALSE(ParsePlatformLimits(R"({"media": {"image": {"max_aspect_ratio": 0}}})").ok());
  CHECK_FALSE(ParsePlatformLimits(R"({"media": {"video": {"containers": "mp4"}}})").ok());
  CHECK_FALSE(ParsePlatformLimits(R"({"media": {"video": {"min_width": -1}}})").ok());
  const Result<PlatformLimits> l = ParsePlatformLimits(
      R"({"media": {"video": {"video_codecs": ["h264"], "max_frame_rate": 29.97}}})");
  REQUIRE(l.ok());
  CHECK(l->video->video_codecs == std::vector<std::string>{"h264"});
  CHECK(*l->video->max_frame_rate == Approx(29.97));
}

}  // namespace
}  // namespace herald::calendar
