// Tests for herald_config's loader: a full valid file, every diagnostic with
// its position, relative paths, the default path, and the shipped example.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <string>

#include "config/config_loader.h"

namespace fs = std::filesystem;
using herald::config::Config;
using herald::config::Diagnostic;
using herald::config::LoadConfig;
using herald::config::ParseConfig;

namespace {

const fs::path kFixtures = fs::path(HERALD_SOURCE_DIR) / "tests/fixtures/config";

bool HasDiagnostic(const std::string& all, const std::string& expected) {
  return all.find(expected) != std::string::npos;
}

}  // namespace

TEST_CASE("a complete configuration loads with every field", "[config]") {
  auto loaded = LoadConfig(kFixtures / "valid.yaml");
  REQUIRE(loaded.ok());
  const Config& c = *loaded;
  REQUIRE(c.calendar_dirs.size() == 2);
  CHECK(c.calendar_dirs[0] == (kFixtures / "calendars").lexically_normal());
  CHECK(c.calendar_dirs[1] == fs::path("/srv/herald/calendars"));
  REQUIRE(c.plugin_dirs.size() == 1);
  CHECK(c.plugin_dirs[0] == (kFixtures / "plugins").lexically_normal());
  CHECK(c.state_dir == (kFixtures / "state").lexically_normal());
  CHECK(c.credentials_file == (kFixtures / "secrets/credentials.yaml").lexically_normal());
  CHECK(c.control.socket == fs::path("/run/herald/control.sock"));
  CHECK(c.control.group == "herald");
  CHECK(c.control.viewers.users == std::vector<std::string>{"marketing"});
  CHECK(c.control.viewers.groups == std::vector<std::string>{"staff"});
  CHECK(c.control.admins.users.empty());
  CHECK(c.control.admins.groups == std::vector<std::string>{"herald-admin"});
  CHECK(c.log_level == herald::config::LogLevel::kDebug);
  CHECK(c.late_grace == std::chrono::minutes(30));
  CHECK(c.retry.base_delay == std::chrono::milliseconds(500));
  CHECK(c.retry.max_delay == std::chrono::minutes(5));
  CHECK(c.retry.max_attempts == 6);
  CHECK(c.retry.jitter == herald::config::Jitter::kNone);
  CHECK(c.media.public_base_url == "http://127.0.0.1:8787/media");
  CHECK(c.media.dir == (kFixtures / "media").lexically_normal());

  REQUIRE(c.platforms.count("facebook") == 1);
  const auto& fb = c.platforms.at("facebook");
  REQUIRE(fb.rate_limit);
  CHECK(fb.rate_limit->tokens_per_second == Approx(200.0 / 3600));
  CHECK(fb.rate_limit->burst == 10);
  CHECK(fb.concurrency == 4);

  REQUIRE(c.accounts.size() == 2);
  const auto* account = c.FindAccount("facebook/corner-cleaners");
  REQUIRE(account);
  CHECK(account->platform == "facebook");
  CHECK(account->api_base == "http://127.0.0.1:8787/facebook");
  CHECK(account->credentials == "facebook/corner-cleaners");
  CHECK(
      account->settings_json ==
      R"({"page_id":"1234567890","retries":3,"verbose":true,"tags":["shirts","baseball"],"note":null})");
  REQUIRE(account->limits.rate_limit);
  CHECK(account->limits.rate_limit->tokens_per_second == Approx(2.0));
  CHECK(account->limits.rate_limit->burst == 3);
  CHECK(account->limits.concurrency == 1);

  const auto* outbox = c.FindAccount("outbox/local");
  REQUIRE(outbox);
  CHECK(outbox->platform == "outbox");
  CHECK(outbox->settings_json == "{}");
  CHECK_FALSE(outbox->limits.rate_limit);
  CHECK(c.FindAccount("facebook/nobody") == nullptr);

  const std::string dump = c.ToString();
  CHECK(HasDiagnostic(dump, "facebook/corner-cleaners"));
  CHECK(HasDiagnostic(dump, "log_level: debug"));
}

TEST_CASE("defaults apply when optional keys are absent", "[config]") {
  auto outcome = ParseConfig("calendar_dirs: cal\n", "/etc/herald/herald.yaml");
  REQUIRE(outcome.diagnostics.empty());
  REQUIRE(outcome.config);
  const Config& c = *outcome.config;
  CHECK(c.calendar_dirs == std::vector<fs::path>{"/etc/herald/cal"});
  CHECK(c.state_dir == fs::path("/var/lib/herald"));
  CHECK(c.control.socket == fs::path("/run/herald/control.sock"));
  CHECK(c.retry.max_attempts == 8);
  CHECK(c.retry.jitter == herald::config::Jitter::kFull);
  CHECK(c.late_grace == std::chrono::minutes(15));
  CHECK(c.log_level == herald::config::LogLevel::kInfo);
  CHECK(c.accounts.empty());
}

TEST_CASE("every problem is reported in one run with file:line:col", "[config]") {
  auto loaded = LoadConfig(kFixtures / "errors.yaml");
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.error().code() == herald::ErrorCode::kInvalidArgument);
  const std::string all = loaded.error().message();
  const std::string f = (kFixtures / "errors.yaml").string();
  INFO(all);
  CHECK(HasDiagnostic(all, f + ":2:1: error: unknown key 'calender_dirs' in the configuration "
                               "(did you mean 'calendar_dirs'?)"));
  CHECK(HasDiagnostic(all, "error: missing required key 'calendar_dirs'"));
  CHECK(HasDiagnostic(all, f + ":4:12: error: log_level must be one of"));
  CHECK(HasDiagnostic(all, f + ":6:15: error: retry.base_delay must be a duration"));
  CHECK(HasDiagnostic(all, f + ":7:3: error: unknown key 'max_atempts' in retry "
                               "(did you mean 'max_attempts'?)"));
  CHECK(HasDiagnostic(all, f + ":9:3: error: account 'facebook' must be named platform/name"));
  CHECK(HasDiagnostic(all, f + ":12:15: error: account youtube/tv: api_base must be an http://"));
  CHECK(HasDiagnostic(all, f + ":13:18: error: account youtube/tv.concurrency must be between 1"));
  CHECK(HasDiagnostic(all, f + ":14:24: error: account youtube/tv.rate_limit.rate must look like"));
  CHECK(std::count(all.begin(), all.end(), '\n') == 8);  // nine diagnostics
}

TEST_CASE("a YAML syntax error names its position", "[config]") {
  auto loaded = LoadConfig(kFixtures / "broken_yaml.yaml");
  REQUIRE_FALSE(loaded.ok());
  const std::string f = (kFixtures / "broken_yaml.yaml").string();
  INFO(loaded.error().message());
  CHECK(loaded.error().message().rfind(f + ":", 0) == 0);
  CHECK(HasDiagnostic(loaded.error().message(), ": error: "));
}

TEST_CASE("structural problems never throw and are all reported", "[config]") {
  const char* texts[] = {
      "",
      "- a list\n- not a map\n",
      "calendar_dirs: {a: b}\n",
      "calendar_dirs: []\n",
      "calendar_dirs: [x]\ncontrol: 3\nretry: [1]\nmedia: {dir: m}\naccounts: [a]\n",
      "calendar_dirs: [x]\naccounts:\n  facebook/x: {credentials: facebook/x}\n",
      "calendar_dirs: [x]\nretry: {base_delay: 10s, max_delay: 1s}\n",
      "calendar_dirs: [x]\nplatforms: {Face Book: {}}\n",
      "calendar_dirs: [x]\naccounts: {a/b: {settings: [1, 2]}}\n",
      "calendar_dirs: [x]\nlate_grace: 999999999999d\n",
  };
  for (const char* text : texts) {
    INFO(text);
    auto outcome = ParseConfig(text, "/etc/herald/herald.yaml");
    CHECK_FALSE(outcome.config);
    CHECK_FALSE(outcome.diagnostics.empty());
  }
  auto many = ParseConfig(
      "calendar_dirs: [x]\ncontrol: 3\nretry: [1]\nmedia: {dir: m}\naccounts: [a]\n", "c.yaml");
  CHECK(many.diagnostics.size() == 4);
  auto missing_file = ParseConfig(
      "calendar_dirs: [x]\naccounts:\n  facebook/x: {credentials: facebook/x}\n", "c.yaml");
  REQUIRE(missing_file.diagnostics.size() == 1);
  CHECK(missing_file.diagnostics[0].ToString() ==
        "c.yaml:3:29: error: account facebook/x names credentials but no credentials_file is "
        "configured");
}

TEST_CASE("a missing file is an I/O error naming the file", "[config]") {
  auto loaded = LoadConfig(kFixtures / "does-not-exist.yaml");
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.error().code() == herald::ErrorCode::kIo);
  CHECK(HasDiagnostic(loaded.error().message(), "does-not-exist.yaml"));
}

TEST_CASE("the default configuration path depends on the mode", "[config]") {
  using herald::config::DefaultConfigPath;
  CHECK(DefaultConfigPath(false, "/x", "/home/u") == fs::path("/etc/herald/herald.yaml"));
  CHECK(DefaultConfigPath(true, "/x", "/home/u") == fs::path("/x/herald/herald.yaml"));
  CHECK(DefaultConfigPath(true, "", "/home/u") == fs::path("/home/u/.config/herald/herald.yaml"));
  CHECK(DefaultConfigPath(true, nullptr, "/home/u") ==
        fs::path("/home/u/.config/herald/herald.yaml"));
}

TEST_CASE("the shipped example configuration loads", "[config]") {
  auto loaded = LoadConfig(fs::path(HERALD_SOURCE_DIR) / "configs/herald.yaml");
  INFO((loaded.ok() ? std::string() : loaded.error().message()));
  REQUIRE(loaded.ok());
  for (const char* name : {"facebook/corner-cleaners", "instagram/corner-cleaners",
                           "youtube/corner-cleaners-tv", "outbox/local"}) {
    INFO(name);
    CHECK(loaded->FindAccount(name) != nullptr);
  }
  CHECK(loaded->FindAccount("outbox/local")->platform == "outbox");
  CHECK(loaded->FindAccount("facebook/corner-cleaners")->api_base.rfind("http://127.0.0.1", 0) ==
        0);
}

TEST_CASE("platforms.<platform>.oauth names the app heraldctl connect uses", "[config]") {
  auto outcome = ParseConfig(
      "calendar_dirs: cal\nplatforms:\n  youtube:\n    oauth:\n      client_id: abc\n"
      "      token_url: http://127.0.0.1:8686/token\n",
      "/etc/herald/herald.yaml");
  REQUIRE(outcome.config);
  CHECK(outcome.config->oauth.at("youtube").client_id == "abc");
  CHECK(outcome.config->oauth.at("youtube").token_url == "http://127.0.0.1:8686/token");
  CHECK(outcome.config->oauth.at("youtube").auth_url.empty());

  auto bad = ParseConfig(
      "calendar_dirs: cal\nplatforms:\n  facebook:\n    oauth:\n      client_secret: x\n"
      "      auth_url: ftp://example.org\n",
      "/etc/herald/herald.yaml");
  REQUIRE(bad.diagnostics.size() == 2);
  CHECK(bad.diagnostics[0].message == "unknown key 'client_secret' in platforms.facebook.oauth");
  CHECK(bad.diagnostics[1].message ==
        "platforms.facebook.oauth.auth_url must be an http:// or https:// URL, not "
        "'ftp://example.org'");
}
