// Tests for CredentialStore: mode and owner checks, lookups, atomic refresh,
// and that no secret ever reaches an error message or ToString().
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "config/config_loader.h"
#include "config/credential_store.h"

namespace fs = std::filesystem;
using herald::ErrorCode;
using herald::config::CredentialStore;

namespace {

const char kSecret[] = "EAAB-very-secret-token-0123";

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "herald-cred-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

fs::path WriteFile(const fs::path& file, const std::string& text, mode_t mode) {
  std::ofstream(file) << text;
  REQUIRE(::chmod(file.c_str(), mode) == 0);
  return file;
}

std::string GoodText() {
  return std::string("facebook/corner-cleaners:\n  page_access_token: \"") + kSecret +
         "\"\n  app_secret: s3cr3t-app\nyoutube/tv:\n  refresh_token: r-token\n";
}

}  // namespace

TEST_CASE("a 0600 file owned by the daemon's user is read", "[credentials]") {
  TempDir dir;
  auto file = WriteFile(dir.path() / "credentials.yaml", GoodText(), 0600);
  auto store = CredentialStore::Open(file, ::geteuid());
  REQUIRE(store.ok());
  auto token = (*store)->Get("facebook/corner-cleaners", "page_access_token");
  REQUIRE(token.ok());
  CHECK(*token == kSecret);
  CHECK((*store)->HasAccount("youtube/tv"));
  CHECK_FALSE((*store)->HasAccount("instagram/x"));

  auto missing_key = (*store)->Get("youtube/tv", "access_token");
  REQUIRE_FALSE(missing_key.ok());
  CHECK(missing_key.error().code() == ErrorCode::kNotFound);
  auto missing_account = (*store)->Get("instagram/x", "access_token");
  REQUIRE_FALSE(missing_account.ok());
  CHECK(missing_account.error().code() == ErrorCode::kNotFound);

  const std::string text = (*store)->ToString();
  CHECK(text.find(kSecret) == std::string::npos);
  CHECK(text.find("s3cr3t-app") == std::string::npos);
  CHECK(text.find("page_access_token: <redacted>") != std::string::npos);
}

TEST_CASE("group or other permission bits are refused", "[credentials]") {
  TempDir dir;
  for (mode_t mode : {0640, 0604, 0660, 0644, 0700 | 0004}) {
    INFO(mode);
    auto file = WriteFile(dir.path() / "credentials.yaml", GoodText(), mode);
    auto store = CredentialStore::Open(file, ::geteuid());
    REQUIRE_FALSE(store.ok());
    CHECK(store.error().code() == ErrorCode::kPermissionDenied);
    CHECK(store.error().message().find("chmod 600") != std::string::npos);
    CHECK(store.error().message().find(kSecret) == std::string::npos);
  }
  auto file = WriteFile(dir.path() / "credentials.yaml", GoodText(), 0400);
  CHECK(CredentialStore::Open(file, ::geteuid()).ok());
}

TEST_CASE("a file owned by another user is refused", "[credentials]") {
  TempDir dir;
  auto file = WriteFile(dir.path() / "credentials.yaml", GoodText(), 0600);
  auto store = CredentialStore::Open(file, ::geteuid() + 1);
  REQUIRE_FALSE(store.ok());
  CHECK(store.error().code() == ErrorCode::kPermissionDenied);
  CHECK(store.error().message().find("owned by uid " + std::to_string(::geteuid())) !=
        std::string::npos);
}

TEST_CASE("a missing or non-regular file is refused", "[credentials]") {
  TempDir dir;
  auto missing = CredentialStore::Open(dir.path() / "nope.yaml", ::geteuid());
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code() == ErrorCode::kIo);
  REQUIRE(::chmod(dir.path().c_str(), 0700) == 0);
  auto folder = CredentialStore::Open(dir.path(), ::geteuid());
  REQUIRE_FALSE(folder.ok());
  CHECK(folder.error().code() == ErrorCode::kPermissionDenied);
}

TEST_CASE("malformed files are reported without quoting any value", "[credentials]") {
  TempDir dir;
  const std::string texts[] = {
      std::string("facebook/x: \"") + kSecret + "\"\n",
      std::string("facebook/x:\n  token: [\"") + kSecret + "\"]\n",
      std::string("facebook/x:\n  token: \"") + kSecret + "\"\n  - item\n",
      std::string("- \"") + kSecret + "\"\n",
  };
  for (const std::string& text : texts) {
    auto file = WriteFile(dir.path() / "credentials.yaml", text, 0600);
    auto store = CredentialStore::Open(file, ::geteuid());
    REQUIRE_FALSE(store.ok());
    CHECK(store.error().code() == ErrorCode::kInvalidArgument);
    CHECK(store.error().message().find(kSecret) == std::string::npos);
    CHECK(store.error().message().find(file.string() + ":") == 0);
  }
}

TEST_CASE("a refreshed value is stored atomically with mode 0600", "[credentials]") {
  TempDir dir;
  auto file = WriteFile(dir.path() / "credentials.yaml", GoodText(), 0600);
  auto store = CredentialStore::Open(file, ::geteuid());
  REQUIRE(store.ok());
  REQUIRE((*store)->Store("youtube/tv", "access_token", "new: \"quoted\" value").ok());
  REQUIRE((*store)->Store("instagram/new", "token", "t1").ok());
  CHECK(*(*store)->Get("youtube/tv", "access_token") == "new: \"quoted\" value");

  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  auto reopened = CredentialStore::Open(file, ::geteuid());
  REQUIRE(reopened.ok());
  CHECK(*(*reopened)->Get("youtube/tv", "access_token") == "new: \"quoted\" value");
  CHECK(*(*reopened)->Get("youtube/tv", "refresh_token") == "r-token");
  CHECK(*(*reopened)->Get("facebook/corner-cleaners", "page_access_token") == kSecret);
  CHECK(*(*reopened)->Get("instagram/new", "token") == "t1");
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path())) ++entries;
  CHECK(entries == 1);  // no temporary file left behind
}

TEST_CASE("an empty value is refused and changes nothing", "[credentials]") {
  TempDir dir;
  auto file = WriteFile(dir.path() / "credentials.yaml", GoodText(), 0600);
  auto store = CredentialStore::Open(file, ::geteuid());
  REQUIRE(store.ok());
  auto status = (*store)->Store("youtube/tv", "refresh_token", "");
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().code() == ErrorCode::kInvalidArgument);
  CHECK(*(*store)->Get("youtube/tv", "refresh_token") == "r-token");
}

TEST_CASE("a failed write leaves memory unchanged and names no secret", "[credentials]") {
  TempDir dir;
  auto sub = dir.path() / "sub";
  fs::create_directory(sub);
  auto file = WriteFile(sub / "credentials.yaml", GoodText(), 0600);
  auto store = CredentialStore::Open(file, ::geteuid());
  REQUIRE(store.ok());
  fs::remove_all(sub);  // the folder is gone: the temporary file cannot be created
  auto status = (*store)->Store("youtube/tv", "refresh_token", kSecret);
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().code() == ErrorCode::kIo);
  CHECK(status.error().message().find(kSecret) == std::string::npos);
  CHECK(*(*store)->Get("youtube/tv", "refresh_token") == "r-token");
}

TEST_CASE("concurrent stores all land", "[credentials]") {
  TempDir dir;
  auto file = WriteFile(dir.path() / "credentials.yaml", GoodText(), 0600);
  auto store = CredentialStore::Open(file, ::geteuid());
  REQUIRE(store.ok());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        (void)(*store)->Store("acct/" + std::to_string(t), "k" + std::to_string(i), "v");
      }
    });
  }
  for (auto& thread : threads) thread.join();
  auto reopened = CredentialStore::Open(file, ::geteuid());
  REQUIRE(reopened.ok());
  for (int t = 0; t < 4; ++t) {
    for (int i = 0; i < 5; ++i) {
      CHECK((*reopened)->Get("acct/" + std::to_string(t), "k" + std::to_string(i)).ok());
    }
  }
}

TEST_CASE("every account's credentials reference must exist", "[credentials]") {
  TempDir dir;
  auto file = WriteFile(dir.path() / "credentials.yaml", GoodText(), 0600);
  auto store = CredentialStore::Open(file, ::geteuid());
  REQUIRE(store.ok());
  auto parsed = herald::config::ParseConfig(
      "calendar_dirs: [c]\ncredentials_file: credentials.yaml\naccounts:\n"
      "  facebook/corner-cleaners: {credentials: facebook/corner-cleaners}\n"
      "  outbox/local:\n"
      "  youtube/tv: {credentials: youtube/missing}\n",
      dir.path() / "herald.yaml");
  REQUIRE(parsed.config);
  auto status = herald::config::VerifyCredentialReferences(*parsed.config, **store);
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().code() == ErrorCode::kInvalidArgument);
  CHECK(status.error().message().find("youtube/tv names credentials 'youtube/missing'") !=
        std::string::npos);
  CHECK(status.error().message().find("corner-cleaners") == std::string::npos);
  parsed.config->accounts.pop_back();
  CHECK(herald::config::VerifyCredentialReferences(*parsed.config, **store).ok());
}

TEST_CASE("ReplaceAccount writes a whole entry at once and refuses empty values", "[credentials]") {
  TempDir dir;
  auto file = WriteFile(dir.path() / "credentials.yaml", GoodText(), 0600);
  auto store = CredentialStore::Open(file, ::geteuid());
  REQUIRE(store.ok());
  auto refused =
      (*store)->ReplaceAccount("youtube/tv", {{"access_token", "a"}, {"refresh_token", ""}});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code() == ErrorCode::kInvalidArgument);
  CHECK(*(*store)->Get("youtube/tv", "refresh_token") == "r-token");

  REQUIRE((*store)->ReplaceAccount("facebook/corner-cleaners", {{"access_token", "page-2"}}).ok());
  REQUIRE((*store)
              ->ReplaceAccount("youtube/new", {{"access_token", "a"}, {"refresh_token", "r"}})
              .ok());
  auto reopened = CredentialStore::Open(file, ::geteuid());
  REQUIRE(reopened.ok());
  CHECK(*(*reopened)->Get("facebook/corner-cleaners", "access_token") == "page-2");
  CHECK_FALSE((*reopened)->Get("facebook/corner-cleaners", "page_access_token").ok());
  CHECK(*(*reopened)->Get("youtube/new", "refresh_token") == "r");
  CHECK(*(*reopened)->Get("youtube/tv", "refresh_token") == "r-token");
  struct stat st {};
  REQUIRE(::stat(file.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
}

// --- Writers that race, and refreshed tokens layered over the admin's file
// (the audit's item 9).

namespace {

std::string Slurp(const fs::path& file) {
  std::ifstream in(file);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

}  // namespace

TEST_CASE("a connect while the daemon runs is not erased by the daemon's next refresh",
          "[credentials][security]") {
  TempDir dir;
  auto file = WriteFile(dir.path() / "credentials.yaml", GoodText(), 0600);
  const fs::path layer = CredentialStore::RefreshedLayerIn(dir.path() / "state");
  fs::create_directory(dir.path() / "state");
  auto daemon = CredentialStore::Open(file, ::geteuid(), layer);
  REQUIRE(daemon.ok());
  auto read = (*daemon)->Lookup("youtube/tv", "refresh_token");  // the daemon's copy is now "old"
  REQUIRE(read.ok());

  auto connect = CredentialStore::Open(file, ::geteuid());  // heraldctl connect, another process
  REQUIRE(connect.ok());
  REQUIRE((*connect)->ReplaceAccount("youtube/new", {{"refresh_token", "brand-new"}}).ok());
  const std::string admins_file = Slurp(file);

  std::string origin = read->origin;
  REQUIRE((*daemon)->Store("youtube/tv", "access_token", "refreshed-1", &origin).ok());
  CHECK(Slurp(file) == admins_file);  // the daemon never rewrites the admin's file
  auto reopened = CredentialStore::Open(file, ::geteuid(), layer);
  REQUIRE(reopened.ok());
  CHECK(*(*reopened)->Get("youtube/new", "refresh_token") == "brand-new");
  CHECK(*(*reopened)->Get("youtube/tv", "access_token") == "refreshed-1");
  CHECK(*(*daemon)->Get("youtube/new", "refresh_token") == "brand-new");  // seen without restart
  struct stat st {};
  REQUIRE(::stat(layer.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(Slurp(layer).find(kSecret) == std::string::npos);  // only what was refreshed is there
}

TEST_CASE("a new connection outranks tokens refreshed from the old one",
          "[credentials][security]") {
  TempDir dir;
  auto file = WriteFile(dir.path() / "credentials.yaml", GoodText(), 0600);
  const fs::path layer = dir.path() / "refreshed.yaml";
  auto daemon = CredentialStore::Open(file, ::geteuid(), layer);
  REQUIRE(daemon.ok());
  auto before = (*daemon)->Lookup("youtube/tv", "refresh_token");
  REQUIRE(before.ok());
  std::string origin = before->origin;
  REQUIRE((*daemon)->Store("youtube/tv", "access_token", "from-old-grant", &origin).ok());
  CHECK(*(*daemon)->Get("youtube/tv", "access_token") == "from-old-grant");

  auto connect = CredentialStore::Open(file, ::geteuid());
  REQUIRE(connect.ok());
  REQUIRE(
      (*connect)
          ->ReplaceAccount("youtube/tv", {{"access_token", "new-grant"}, {"refresh_token", "r2"}})
          .ok());
  CHECK(*(*daemon)->Get("youtube/tv", "access_token") == "new-grant");

  // A refresh that began from the old grant and ends after the new one is refused.
  // Without a layer, a refresh's second key follows its first.
  {
    auto plain_file = WriteFile(dir.path() / "plain.yaml", GoodText(), 0600);
    auto plain = CredentialStore::Open(plain_file, ::geteuid());
    REQUIRE(plain.ok());
    auto got = (*plain)->Lookup("youtube/tv", "refresh_token");
    REQUIRE(got.ok());
    std::string o = got->origin;
    REQUIRE((*plain)->Store("youtube/tv", "access_token", "a1", &o).ok());
    REQUIRE((*plain)->Store("youtube/tv", "expires_at_ms", "99", &o).ok());
  }
  auto late = (*daemon)->Store("youtube/tv", "access_token", "stale-refresh", &origin);
  REQUIRE_FALSE(late.ok());
  CHECK(late.error().code() == ErrorCode::kFailedPrecondition);
  CHECK(late.error().message().find("stale-refresh") == std::string::npos);
  CHECK(*(*daemon)->Get("youtube/tv", "access_token") == "new-grant");
}

TEST_CASE("connects and refreshes racing in several processes lose no entry",
          "[credentials][security]") {
  TempDir dir;
  auto file = WriteFile(dir.path() / "credentials.yaml", GoodText(), 0600);
  const fs::path layer = dir.path() / "refreshed.yaml";
  constexpr int kWriters = 6;
  std::vector<pid_t> children;
  for (int w = 0; w < kWriters; ++w) {
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      bool ok = true;
      if (w % 2 == 0) {  // heraldctl connect of its own account, opened before the others wrote
        auto store = CredentialStore::Open(file, ::geteuid());
        ok = store.ok();
        for (int i = 0; ok && i < 4; ++i) {
          ok = (*store)
                   ->ReplaceAccount("acct/" + std::to_string(w) + "-" + std::to_string(i),
                                    {{"token", "t" + std::to_string(i)}})
                   .ok();
        }
      } else {  // a daemon refreshing youtube/tv
        auto store = CredentialStore::Open(file, ::geteuid(), layer);
        ok = store.ok();
        for (int i = 0; ok && i < 4; ++i) {
          ok = (*store)->Store("youtube/tv", "k" + std::to_string(w) + std::to_string(i), "v").ok();
        }
      }
      ::_exit(ok ? 0 : 1);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
  }
  auto all = CredentialStore::Open(file, ::geteuid(), layer);
  REQUIRE(all.ok());
  for (int w = 0; w < kWriters; ++w) {
    for (int i = 0; i < 4; ++i) {
      if (w % 2 == 0) {
        CHECK((*all)->Get("acct/" + std::to_string(w) + "-" + std::to_string(i), "token").ok());
      } else {
        CHECK((*all)->Get("youtube/tv", "k" + std::to_string(w) + std::to_string(i)).ok());
      }
    }
  }
  CHECK(*(*all)->Get("facebook/corner-cleaners", "page_access_token") == kSecret);
}

TEST_CASE("Reload reads the file again now and says why it cannot, keeping the last good view",
          "[credentials]") {
  TempDir dir;
  auto file = WriteFile(dir.path() / "credentials.yaml", GoodText(), 0600);
  auto opened = CredentialStore::Open(file, ::geteuid());
  REQUIRE(opened.ok());
  CredentialStore& store = **opened;
  REQUIRE(store.Reload().ok());
  CHECK(store.Problem().empty());

  // A reconnect that left the file readable by others: refused, said, the
  // old token kept (never a half-read file), and no secret in the words.
  const fs::path next = dir.path() / "next.yaml";
  WriteFile(next, "facebook/corner-cleaners:\n  page_access_token: new-token-456\n", 0644);
  fs::rename(next, file);
  herald::Status refused = store.Reload();
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code() == ErrorCode::kPermissionDenied);
  CHECK(refused.error().message().find("chmod 600") != std::string::npos);
  CHECK(refused.error().message().find("new-token") == std::string::npos);
  CHECK(store.Problem() == refused.error().message());
  CHECK(*store.Get("facebook/corner-cleaners", "page_access_token") == kSecret);

  // Fixed: the next Reload (or lookup) reads it, and the problem is gone.
  REQUIRE(::chmod(file.c_str(), 0600) == 0);
  REQUIRE(store.Reload().ok());
  CHECK(store.Problem().empty());
  CHECK(*store.Get("facebook/corner-cleaners", "page_access_token") == "new-token-456");
}

TEST_CASE("a lookup that cannot read the changed file leaves its reason in Problem",
          "[credentials]") {
  TempDir dir;
  auto file = WriteFile(dir.path() / "credentials.yaml", GoodText(), 0600);
  auto opened = CredentialStore::Open(file, ::geteuid());
  REQUIRE(opened.ok());
  CredentialStore& store = **opened;
  const fs::path next = dir.path() / "next.yaml";
  WriteFile(next, "facebook/corner-cleaners: [unclosed\n", 0600);
  fs::rename(next, file);
  CHECK(*store.Get("facebook/corner-cleaners", "page_access_token") == kSecret);
  CHECK(store.Problem().find("credentials.yaml:") != std::string::npos);
  WriteFile(next, "facebook/corner-cleaners:\n  page_access_token: fixed\n", 0600);
  fs::rename(next, file);
  CHECK(*store.Get("facebook/corner-cleaners", "page_access_token") == "fixed");
  CHECK(store.Problem().empty());
}
