// The plugin loader and the Connector handle against real shared libraries
// built from tests/fixtures/plugins: one good plugin and one per way to be broken.
#include "plugin/plugin_loader.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <map>

#include "plugin/connector.h"
#include "plugin/host_services.h"

namespace fs = std::filesystem;
using namespace herald::plugin;

namespace {

const fs::path kDir = HERALD_TEST_PLUGIN_DIR;

std::map<std::string, std::string> ProblemsByFile(const PluginLoadReport& report) {
  std::map<std::string, std::string> out;
  for (const auto& p : report.problems) out[fs::path(p.path).filename().string()] = p.reason;
  return out;
}

class FakeHost final : public HostServices {
 public:
  void Log(herald_log_level, std::string_view message) override { logs.emplace_back(message); }
  int32_t Http(const herald_http_request&, herald_http_response&) override {
    return HERALD_ERR_HTTP_NOT_SENT;
  }
  std::optional<std::string> CredentialGet(std::string_view) override { return std::nullopt; }
  int32_t CredentialStore(std::string_view, std::string_view) override { return HERALD_OK; }
  int64_t NowMs() override { return 1000; }
  std::vector<std::string> logs;
};

// A private copy of one fixture in a fresh directory, for permission tests.
fs::path CopyToFreshDir(const std::string& file, const std::string& dir_name) {
  fs::path dir = fs::temp_directory_path() / (dir_name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::permissions(dir, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                           fs::perms::others_read | fs::perms::others_exec);
  fs::copy_file(kDir / file, dir / file);
  return dir;
}

}  // namespace

TEST_CASE("the good plugin loads, is listed and probed", "[loader]") {
  auto report = LoadPlugins({kDir});
  auto good = report.Find("testgood");
  REQUIRE(good);
  CHECK(good->version() == "9.8.7");
  CHECK(good->description() == "test connector written in C");
  CHECK(good->path().filename() == "good.so");
  CHECK(good->limits_json() == "{\"text_max\": 280}");
  CHECK(good->abi_version() == HERALD_ABI_VERSION);
  CHECK_FALSE(good->has_find());
  CHECK(report.plugins.size() == 1);
}

TEST_CASE("every broken plugin gets its own one-line reason", "[loader]") {
  auto problems = ProblemsByFile(LoadPlugins({kDir}));
  CHECK(problems.at("not_a_library.so") == "not a shared library (no ELF header)");
  CHECK_THAT(problems.at("no_symbols.so"), Catch::Matches("not a herald plugin .*"));
  CHECK(problems.at("abi_major.so") ==
        "ABI version mismatch: plugin needs 2.0, this heraldd provides 1.2 (same major and a "
        "minor no newer than the host's are required)");
  CHECK_THAT(problems.at("abi_minor.so"),
             Catch::StartsWith("ABI version mismatch: plugin needs 1.7"));
  CHECK(problems.at("small_table.so") ==
        "function table too small: struct_size 24 bytes, ABI 1.2 needs at least " +
            std::to_string(sizeof(herald_plugin_api)));
  CHECK(problems.at("null_step.so") == "required function step is NULL");
  CHECK(problems.at("create_fails.so") == "probe create() failed: no database for this account");
  CHECK_THAT(
      problems.at("missing_symbol.so"),
      Catch::Contains("cannot be loaded") && Catch::Contains("herald_test_symbol_nobody_defines"));
  CHECK(problems.at("factory_throws.so") ==
        "probe create() threw an exception across the ABI: database connection refused");
  CHECK_THAT(problems.at("zz_duplicate.so"),
             Catch::StartsWith("platform \"testgood\" is already provided by ") &&
                 Catch::EndsWith("good.so"));
  for (const auto& [file, reason] : problems) {
    INFO(file);
    CHECK(reason.find('\n') == std::string::npos);
  }
  CHECK(problems.size() == 10);
}

TEST_CASE("group- or world-writable plugins and directories are refused", "[loader]") {
  fs::path dir = CopyToFreshDir("good.so", "herald-writable");
  fs::permissions(dir / "good.so", fs::perms::group_write, fs::perm_options::add);
  auto report = LoadPlugins({dir});
  CHECK(report.plugins.empty());
  REQUIRE(report.problems.size() == 1);
  CHECK(report.problems[0].reason ==
        "refused: file is writable by its group (run chmod go-w on it)");

  fs::permissions(dir / "good.so", fs::perms::group_write, fs::perm_options::remove);
  fs::permissions(dir, fs::perms::others_write, fs::perm_options::add);
  report = LoadPlugins({dir});
  CHECK(report.plugins.empty());
  REQUIRE(report.problems.size() == 1);
  CHECK(report.problems[0].reason ==
        "refused: directory is writable by everyone (run chmod go-w on it)");

  fs::permissions(dir, fs::perms::others_write, fs::perm_options::remove);
  report = LoadPlugins({dir});
  CHECK(report.plugins.size() == 1);
  fs::remove_all(dir);
}

TEST_CASE("a missing plugin directory is a problem, not a crash", "[loader]") {
  auto report = LoadPlugins({"/nonexistent/herald/plugins"});
  REQUIRE(report.problems.size() == 1);
  CHECK(report.problems[0].reason == "plugin directory does not exist");
}

TEST_CASE("a connector keeps its library loaded and steps through checkpoints", "[connector]") {
  FakeHost host;
  std::unique_ptr<Connector> connector;
  {
    auto report = LoadPlugins({kDir});
    auto good = report.Find("testgood");
    REQUIRE(good);
    auto created = Connector::Create(good, {"testgood", "shop", "", "{}"}, &host);
    REQUIRE(created.ok());
    connector = std::move(*created);
  }
  // The report and its Plugin references are gone; the connector still works.
  PostInput post;
  post.job_id = "job-1";
  post.account = "testgood/shop";
  post.text = "hello";
  StepOutcome first = connector->Step(post, std::nullopt);
  CHECK(first.kind == HERALD_OUTCOME_CONTINUE);
  CHECK(first.at_ms == 1010);
  CHECK(first.checkpoint == "half");
  StepOutcome second = connector->Step(post, first.checkpoint);
  CHECK(second.kind == HERALD_OUTCOME_PUBLISHED);
  CHECK(second.remote_id == "job-1");

  post.text = "";
  StepOutcome failed = connector->Step(post, std::string("half"));
  CHECK(failed.kind == HERALD_OUTCOME_FAILED);
  CHECK(failed.reason == "empty text");

  auto find = connector->Find(post);
  REQUIRE_FALSE(find.ok());
  CHECK(find.error().code() == herald::ErrorCode::kNotImplemented);
  CHECK(connector->Validate(post).value() == "[]");
}

TEST_CASE("the host API adapter refuses empty credentials before the plugin's store", "[host]") {
  FakeHost host;
  const herald_host_api* api = HostApiTable();
  herald_host_ctx* ctx = ToHostCtx(&host);
  CHECK(api->credential_store(ctx, "refresh_token", "") == HERALD_ERR_INVALID_ARGUMENT);
  CHECK(api->credential_store(ctx, "refresh_token", nullptr) == HERALD_ERR_INVALID_ARGUMENT);
  CHECK(api->credential_store(ctx, "refresh_token", "r1") == HERALD_OK);
  CHECK(api->credential_get(ctx, "access_token") == nullptr);
  CHECK(api->now_ms(ctx) == 1000);
  api->log(ctx, HERALD_LOG_WARN, "careful");
  REQUIRE(host.logs.size() == 1);
  CHECK(host.logs[0] == "careful");
}
