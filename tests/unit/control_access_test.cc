// Roles from peer credentials: the pure decision over synthetic credentials,
// and the socket file's permissions, stale and live handling on a real socket.
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "control/peer_access.h"
#include "control/socket_file.h"

using herald::ErrorCode;
using namespace herald::control;

namespace {

AccessRules Rules() {
  AccessRules r;
  r.daemon_uid = 990;
  r.admin_users = {1001};
  r.admin_groups = {2001};
  r.viewer_users = {1002};
  r.viewer_groups = {2002};
  return r;
}

std::filesystem::path TempDir() {
  char tmpl[] = "/tmp/herald-control-XXXXXX";
  REQUIRE(::mkdtemp(tmpl) != nullptr);
  return tmpl;
}

}  // namespace

TEST_CASE("root and the daemon's own user are admin") {
  CHECK(Decide({0, 0, {}}, Rules()) == Role::kAdmin);
  CHECK(Decide({990, 990, {}}, Rules()) == Role::kAdmin);
}

TEST_CASE("configured users and groups get their role") {
  CHECK(Decide({1001, 100, {}}, Rules()) == Role::kAdmin);
  CHECK(Decide({1500, 2001, {}}, Rules()) == Role::kAdmin);          // primary group
  CHECK(Decide({1500, 100, {100, 2001}}, Rules()) == Role::kAdmin);  // supplementary
  CHECK(Decide({1002, 100, {}}, Rules()) == Role::kViewer);
  CHECK(Decide({1500, 100, {2002}}, Rules()) == Role::kViewer);
}

TEST_CASE("admin wins over viewer when both apply") {
  CHECK(Decide({1002, 100, {2001}}, Rules()) == Role::kAdmin);
}

TEST_CASE("anyone else has no role") {
  CHECK(Decide({1500, 100, {100, 3000}}, Rules()) == Role::kNone);
  CHECK(Decide({1500, 100, {}}, AccessRules{}) == Role::kNone);
}

TEST_CASE("unknown names are reported, not fatal") {
  herald::config::ControlConfig control;
  control.admins.users = {"root", "no-such-user-herald"};
  control.viewers.groups = {"no-such-group-herald"};
  std::vector<std::string> warnings;
  AccessRules rules = ResolveRules(control, 990, &warnings);
  CHECK(rules.admin_users.count(0) == 1);
  REQUIRE(warnings.size() == 2);
  CHECK(warnings[0].find("no-such-user-herald") != std::string::npos);
}

TEST_CASE("the socket is created 0660 and a stale one is replaced") {
  auto dir = TempDir();
  auto path = dir / "control.sock";
  {
    auto fd = CreateListeningSocket({path, "", 8});
    REQUIRE(fd.ok());
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK(S_ISSOCK(st.st_mode));
    CHECK((st.st_mode & 0777) == 0660);

    SECTION("a live socket is refused with a clear message") {
      auto second = CreateListeningSocket({path, "", 8});
      REQUIRE_FALSE(second.ok());
      CHECK(second.error().code() == ErrorCode::kAlreadyExists);
      CHECK(second.error().message().find("already listening") != std::string::npos);
    }
    ::close(*fd);  // the daemon died: the file stays behind
  }
  REQUIRE(std::filesystem::exists(path));
  auto again = CreateListeningSocket({path, "", 8});
  REQUIRE(again.ok());
  ::close(*again);
  RemoveSocketFile(path);
  CHECK_FALSE(std::filesystem::exists(path));
  std::filesystem::remove_all(dir);
}

TEST_CASE("a file that is not a socket is left alone") {
  auto dir = TempDir();
  auto path = dir / "control.sock";
  {
    FILE* f = std::fopen(path.c_str(), "w");
    REQUIRE(f);
    std::fclose(f);
  }
  auto fd = CreateListeningSocket({path, "", 8});
  REQUIRE_FALSE(fd.ok());
  CHECK(fd.error().code() == ErrorCode::kInvalidArgument);
  CHECK(std::filesystem::is_regular_file(path));
  std::filesystem::remove_all(dir);
}

TEST_CASE("an unknown group is refused") {
  auto dir = TempDir();
  auto fd = CreateListeningSocket({dir / "s", "no-such-group-herald", 8});
  REQUIRE_FALSE(fd.ok());
  CHECK(fd.error().message().find("no-such-group-herald") != std::string::npos);
  std::filesystem::remove_all(dir);
}
