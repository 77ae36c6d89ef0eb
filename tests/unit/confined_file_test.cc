// Confined opening (common/confined_file.h): what a marketer with write access
// to a calendar folder can put there to make heraldd read something else —
// links out, links in, "..", FIFOs, sockets, hard links, a swap after the
// check — with openat2 and with the per-component walk used where the kernel
// lacks it.
#include "common/confined_file.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using herald::ConfinedOptions;
using herald::ErrorCode;
using herald::OpenBeneath;

namespace {

struct Folder {
  fs::path root;
  fs::path outside;
  Folder() {
    char pattern[] = "/tmp/herald-confined-XXXXXX";
    fs::path top = ::mkdtemp(pattern);
    root = top / "calendars";
    outside = top / "secret.yaml";
    fs::create_directories(root / "media");
    Write(outside, "access_token: EAAB-not-for-the-platform\n");
    Write(root / "media" / "a.jpg", "JPEG bytes");
  }
  ~Folder() { fs::remove_all(root.parent_path()); }
  static void Write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }
};

std::string Content(const herald::ConfinedFile& f) {
  auto text = herald::ReadAll(f.fd.get(), 1 << 20);
  REQUIRE(text.ok());
  return *text;
}

}  // namespace

TEST_CASE("a file beneath the folder opens, by either resolver") {
  const bool walk = GENERATE(false, true);
  Folder d;
  ConfinedOptions o;
  o.force_component_walk = walk;
  auto f = OpenBeneath(d.root.string(), "media/a.jpg", o);
  REQUIRE(f.ok());
  CHECK(Content(*f) == "JPEG bytes");
  CHECK(f->identity.size == 10);
  auto again = OpenBeneath(d.root.string(), "./media//./a.jpg", o);
  REQUIRE(again.ok());
  CHECK(again->identity == f->identity);
  auto inside_dots = OpenBeneath(d.root.string(), "media/../media/a.jpg", o);
  CHECK(inside_dots.ok());
}

TEST_CASE("paths that climb out or are absolute are refused before any open") {
  const bool walk = GENERATE(false, true);
  Folder d;
  ConfinedOptions o;
  o.force_component_walk = walk;
  o.folder = "the calendar's folder";
  for (const char* path : {"../secret.yaml", "media/../../secret.yaml", "..", "/etc/passwd"}) {
    auto f = OpenBeneath(d.root.string(), path, o);
    REQUIRE_FALSE(f.ok());
    CHECK(f.error().code() == ErrorCode::kInvalidArgument);
    CHECK_THAT(f.error().message(), Catch::Contains("the calendar's folder"));
  }
  CHECK_FALSE(OpenBeneath(d.root.string(), "", o).ok());
  CHECK_FALSE(OpenBeneath(d.root.string(), "media/..", o).ok());
}

TEST_CASE("no symbolic link is followed, wherever it points") {
  const bool walk = GENERATE(false, true);
  Folder d;
  ConfinedOptions o;
  o.force_component_walk = walk;
  fs::create_symlink(d.outside, d.root / "media" / "out.jpg");
  fs::create_symlink("a.jpg", d.root / "media" / "in.jpg");
  fs::create_symlink(d.root.parent_path(), d.root / "up");
  fs::create_symlink("media", d.root / "pictures");
  for (const char* path : {"media/out.jpg", "media/in.jpg", "up/secret.yaml", "pictures/a.jpg"}) {
    auto f = OpenBeneath(d.root.string(), path, o);
    INFO(path);
    REQUIRE_FALSE(f.ok());
    CHECK(f.error().code() == ErrorCode::kInvalidArgument);
    CHECK_THAT(f.error().message(), Catch::Contains("symbolic link"));
  }
}

TEST_CASE("FIFOs, sockets, folders and hard links are refused, and a FIFO never blocks") {
  const bool walk = GENERATE(false, true);
  Folder d;
  ConfinedOptions o;
  o.force_component_walk = walk;
  REQUIRE(::mkfifo((d.root / "media" / "pipe.jpg").c_str(), 0644) == 0);
  int s = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::string sock = (d.root / "media" / "s.jpg").string();
  REQUIRE(sock.size() < sizeof addr.sun_path);
  std::strcpy(addr.sun_path, sock.c_str());
  REQUIRE(::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  fs::create_hard_link(d.root / "media" / "a.jpg", d.root / "media" / "twin.jpg");

  auto fifo = OpenBeneath(d.root.string(), "media/pipe.jpg", o);
  REQUIRE_FALSE(fifo.ok());
  CHECK_THAT(fifo.error().message(), Catch::Contains("FIFO"));
  auto socket = OpenBeneath(d.root.string(), "media/s.jpg", o);
  REQUIRE_FALSE(socket.ok());
  CHECK(socket.error().code() == ErrorCode::kInvalidArgument);
  auto folder = OpenBeneath(d.root.string(), "media", o);
  REQUIRE_FALSE(folder.ok());
  CHECK_THAT(folder.error().message(), Catch::Contains("folder"));
  auto twin = OpenBeneath(d.root.string(), "media/twin.jpg", o);
  REQUIRE_FALSE(twin.ok());
  CHECK_THAT(twin.error().message(), Catch::Contains("2 hard links"));
  ::close(s);
}

TEST_CASE("missing files and unreadable folders have their own codes") {
  Folder d;
  auto missing = OpenBeneath(d.root.string(), "media/none.jpg");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code() == ErrorCode::kNotFound);
  auto through_file = OpenBeneath(d.root.string(), "media/a.jpg/x");
  REQUIRE_FALSE(through_file.ok());
  CHECK(through_file.error().code() == ErrorCode::kNotFound);
  auto no_root = OpenBeneath((d.root / "nope").string(), "a.jpg");
  REQUIRE_FALSE(no_root.ok());
  CHECK(no_root.error().code() == ErrorCode::kNotFound);
}

TEST_CASE("what was opened stays what is read after the name is swapped for a link") {
  Folder d;
  auto f = OpenBeneath(d.root.string(), "media/a.jpg");
  REQUIRE(f.ok());
  // The audit's swap: ln -sf credentials a.jpg.new && mv -T a.jpg.new a.jpg
  fs::create_symlink(d.outside, d.root / "media" / "a.jpg.new");
  fs::rename(d.root / "media" / "a.jpg.new", d.root / "media" / "a.jpg");
  CHECK(Content(*f) == "JPEG bytes");
  auto reopened = OpenBeneath(d.root.string(), "media/a.jpg");
  CHECK_FALSE(reopened.ok());
}

TEST_CASE("the identity changes with the content") {
  Folder d;
  auto before = OpenBeneath(d.root.string(), "media/a.jpg");
  REQUIRE(before.ok());
  Folder::Write(d.root / "media" / "b.jpg", "other bytes!");
  fs::rename(d.root / "media" / "b.jpg", d.root / "media" / "a.jpg");
  auto after = OpenBeneath(d.root.string(), "media/a.jpg");
  REQUIRE(after.ok());
  CHECK_FALSE(after->identity == before->identity);
}

TEST_CASE("ReadAll stops at its cap") {
  Folder d;
  auto f = OpenBeneath(d.root.string(), "media/a.jpg");
  REQUIRE(f.ok());
  auto capped = herald::ReadAll(f->fd.get(), 4);
  REQUIRE_FALSE(capped.ok());
  CHECK(capped.error().code() == ErrorCode::kInvalidArgument);
}
