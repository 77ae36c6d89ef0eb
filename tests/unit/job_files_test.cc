// JobFiles (core/job_files.h): the files an attempt may read are its own
// media and covers, opened confined; the host's HTTP service gets no other.
#include "core/job_files.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "calendar/media_probe.h"

namespace fs = std::filesystem;
using herald::ErrorCode;
using herald::core::JobFiles;

namespace {

const std::string kFixtures = std::string(HERALD_SOURCE_DIR) + "/tests/fixtures/media";

struct Calendar {
  fs::path root;
  Calendar() {
    char pattern[] = "/tmp/herald-jobfiles-XXXXXX";
    root = ::mkdtemp(pattern);
    fs::copy_file(kFixtures + "/h264-aac.mp4", root / "clip.mp4");
    fs::copy_file(kFixtures + "/cover.png", root / "cover.png");
    fs::copy_file(kFixtures + "/photo.jpg", root / "photo.jpg");
  }
  ~Calendar() { fs::remove_all(root); }

  // A post with the video and its cover, as the calendar's check saw them.
  herald::plugin::PostInput Post() const {
    herald::plugin::PostInput post;
    herald::plugin::MediaInput m;
    auto probed = herald::calendar::ProbeMedia(root.string(), "clip.mp4");
    REQUIRE(probed.ok());
    m.kind = HERALD_MEDIA_VIDEO;
    m.path = probed->path;
    m.file = probed->file;
    m.mime_type = probed->mime_type;
    m.size_bytes = static_cast<uint64_t>(probed->size_bytes);
    auto cover = herald::calendar::ProbeMedia(root.string(), "cover.png");
    REQUIRE(cover.ok());
    m.cover = cover->path;
    m.cover_file = cover->file;
    post.media.push_back(m);
    return post;
  }
};

}  // namespace

TEST_CASE("an attempt sends its media and cover, and no other file", "[core][security]") {
  Calendar c;
  auto post = c.Post();
  auto files = JobFiles::Open(post);
  REQUIRE(files.ok());
  auto video = files->Find(post.media[0].path);
  REQUIRE(video.ok());
  CHECK(video->size == fs::file_size(c.root / "clip.mp4"));
  CHECK(files->Find(post.media[0].cover).ok());
  for (std::string other : {(c.root / "photo.jpg").string(), std::string("/etc/passwd"),
                            (c.root / "./clip.mp4").string()}) {
    auto refused = files->Find(other);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code() == ErrorCode::kPermissionDenied);
  }
}

TEST_CASE("a cover swapped for a link or a video is refused", "[core][security]") {
  Calendar c;
  auto post = c.Post();
  fs::copy_file(kFixtures + "/clip.mov", c.root / "cover.new");
  fs::rename(c.root / "cover.new", c.root / "cover.png");
  auto video_cover = JobFiles::Open(post);
  REQUIRE_FALSE(video_cover.ok());
  CHECK(video_cover.error().code() == ErrorCode::kInvalidArgument);
  fs::remove(c.root / "cover.png");
  fs::create_symlink(c.root / "photo.jpg", c.root / "cover.png");
  auto linked = JobFiles::Open(post);
  REQUIRE_FALSE(linked.ok());
  CHECK_THAT(linked.error().message(), Catch::Contains("symbolic link"));
}

TEST_CASE("a medium that changed but still passes is sent with its new size", "[core]") {
  Calendar c;
  auto post = c.Post();
  fs::copy_file(kFixtures + "/rotated.mp4", c.root / "clip.new");
  fs::rename(c.root / "clip.new", c.root / "clip.mp4");
  auto files = JobFiles::Open(post);
  REQUIRE(files.ok());
  CHECK(post.media[0].size_bytes == fs::file_size(c.root / "clip.mp4"));
  auto refused = [&](const herald::calendar::MediaInfo&) {
    return std::vector<std::string>{"it is too long for the platform"};
  };
  auto limited = JobFiles::Open(post, refused);
  REQUIRE_FALSE(limited.ok());
  CHECK_THAT(limited.error().message(), Catch::Contains("too long"));
}

TEST_CASE("a job without checked references sends nothing", "[core]") {
  herald::plugin::PostInput post;
  herald::plugin::MediaInput m;
  m.path = "/etc/passwd";
  post.media.push_back(m);
  auto files = JobFiles::Open(post);
  REQUIRE_FALSE(files.ok());
  CHECK(files.error().code() == ErrorCode::kFailedPrecondition);
}
