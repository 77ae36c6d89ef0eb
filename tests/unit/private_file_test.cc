// Files herald writes (common/private_file.h): exact modes whatever the umask,
// ReplaceFile's contract (an error means nothing changed), and FileLock's
// turn-taking between processes that replace the file they lock.
#include "common/private_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    char pattern[] = "/tmp/herald-private-XXXXXX";
    path = ::mkdtemp(pattern);
  }
  ~TempDir() { fs::remove_all(path); }
};

struct Umask {
  mode_t old;
  explicit Umask(mode_t m) : old(::umask(m)) {}
  ~Umask() { ::umask(old); }
};

mode_t ModeOf(const fs::path& p) {
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

std::string Read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("modes are exact whatever the umask") {
  TempDir t;
  {
    Umask open_umask(0);
    auto made = herald::MakeDirectory(t.path / "state", 0700);
    REQUIRE(made.ok());
    CHECK(*made);
    CHECK(ModeOf(t.path / "state") == 0700);
    auto fd = herald::OpenWithMode(t.path / "state" / "journal.db", O_RDWR, 0600);
    REQUIRE(fd.ok());
    CHECK(ModeOf(t.path / "state" / "journal.db") == 0600);
    auto replaced = herald::ReplaceFile(t.path / "state" / "salt", "x\n", 0600);
    REQUIRE(replaced.ok());
    CHECK(ModeOf(t.path / "state" / "salt") == 0600);
  }
  {
    Umask strict_umask(077);
    auto replaced = herald::ReplaceFile(t.path / "staged.jpg", "jpeg", 0640);
    REQUIRE(replaced.ok());
    CHECK(ModeOf(t.path / "staged.jpg") == 0640);
  }
  auto again = herald::MakeDirectory(t.path / "state", 0700);
  REQUIRE(again.ok());
  CHECK_FALSE(*again);
}

TEST_CASE("an existing file left too wide is narrowed when opened") {
  TempDir t;
  std::ofstream(t.path / "heraldd.lock") << "1\n";
  ::chmod((t.path / "heraldd.lock").c_str(), 0644);
  auto fd = herald::OpenWithMode(t.path / "heraldd.lock", O_RDWR, 0600);
  REQUIRE(fd.ok());
  CHECK(ModeOf(t.path / "heraldd.lock") == 0600);
  ::symlink((t.path / "heraldd.lock").c_str(), (t.path / "link").c_str());
  CHECK_FALSE(herald::OpenWithMode(t.path / "link", O_RDWR, 0600).ok());
}

TEST_CASE("ReplaceFile: an error means the file is unchanged and nothing is left behind") {
  TempDir t;
  fs::create_directory(t.path / "credentials.yaml");  // rename over a folder fails
  auto failed = herald::ReplaceFile(t.path / "credentials.yaml", "new", 0600);
  REQUIRE_FALSE(failed.ok());
  CHECK(fs::is_directory(t.path / "credentials.yaml"));
  CHECK(std::distance(fs::directory_iterator(t.path), fs::directory_iterator()) == 1);

  std::ofstream(t.path / "c.yaml") << "old";
  auto ok = herald::ReplaceFile(t.path / "c.yaml", "new", 0600);
  REQUIRE(ok.ok());
  CHECK(ok->warning.empty());
  CHECK(Read(t.path / "c.yaml") == "new");
  CHECK_FALSE(herald::ReplaceFile(t.path / "no-such-folder" / "c.yaml", "x", 0600).ok());
}

TEST_CASE("ReplaceFile run by root keeps the owner of the file it replaces") {
  if (::geteuid() != 0) {
    WARN("needs root to chown (CI runs as root): not checked");
    return;
  }
  TempDir t;
  const fs::path file = t.path / "credentials.yaml";
  std::ofstream(file) << "old";
  REQUIRE(::chown(file.c_str(), 4321, 4322) == 0);
  REQUIRE(herald::ReplaceFile(file, "new", 0600).ok());
  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK(st.st_uid == 4321);
  CHECK(st.st_gid == 4322);
  CHECK((st.st_mode & 07777) == 0600);
  CHECK(Read(file) == "new");
  // A group given explicitly wins over the old one; a new file is root's.
  REQUIRE(herald::ReplaceFile(file, "newer", 0640, gid_t{4323}).ok());
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK(st.st_uid == 4321);
  CHECK(st.st_gid == 4323);
  REQUIRE(herald::ReplaceFile(t.path / "fresh.yaml", "x", 0600).ok());
  REQUIRE(::stat((t.path / "fresh.yaml").c_str(), &st) == 0);
  CHECK(st.st_uid == 0);
}

TEST_CASE("FileLock: processes that re-read under the lock lose no one's write") {
  TempDir t;
  const fs::path file = t.path / "list.txt";
  std::ofstream(file) << "";
  constexpr int kWriters = 6;
  constexpr int kEach = 5;
  std::vector<pid_t> children;
  for (int w = 0; w < kWriters; ++w) {
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      for (int i = 0; i < kEach; ++i) {
        auto lock = herald::FileLock::Acquire(file);
        if (!lock.ok()) ::_exit(1);
        std::string text = Read(file);
        text += std::to_string(w) + "." + std::to_string(i) + "\n";
        if (!herald::ReplaceFile(file, text, 0600).ok()) ::_exit(2);
      }
      ::_exit(0);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
  }
  std::string text = Read(file);
  CHECK(std::count(text.begin(), text.end(), '\n') == kWriters * kEach);
  for (int w = 0; w < kWriters; ++w) {
    for (int i = 0; i < kEach; ++i) {
      CHECK_THAT(text, Catch::Contains(std::to_string(w) + "." + std::to_string(i) + "\n"));
    }
  }
}

TEST_CASE("FileLock creates a missing file with its mode") {
  TempDir t;
  Umask open_umask(0);
  auto lock = herald::FileLock::Acquire(t.path / "overlay.yaml", true, 0600);
  REQUIRE(lock.ok());
  CHECK(ModeOf(t.path / "overlay.yaml") == 0600);
  CHECK_FALSE(herald::FileLock::Acquire(t.path / "missing.yaml").ok());
}
