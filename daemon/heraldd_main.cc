// heraldd: the herald daemon's entry point. Thin on purpose: it parses the
// command line, sets up logging, and hands over to the modules.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/systemd_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "calendar/expand.h"
#include "calendar/formatters.h"
#include "calendar/loader.h"
#include "config/config_loader.h"
#include "control/control_server.h"
#include "core/clock.h"
#include "core/daemon.h"
#include "core/load_context.h"
#include "plugin/plugin_dirs.h"
#include "plugin/plugin_loader.h"

namespace fs = std::filesystem;

namespace {

int ListPlugins(const std::vector<fs::path>& dirs) {
  auto report = herald::plugin::LoadPlugins(dirs);
  for (const auto& problem : report.problems) {
    std::cerr << "heraldd: " << problem.ToString() << "\n";
  }
  size_t w_platform = 8, w_version = 7;
  for (const auto& p : report.plugins) {
    w_platform = std::max(w_platform, p->platform().size());
    w_version = std::max(w_version, p->version().size());
  }
  std::printf("%-*s  %-*s  %s  %s\n", int(w_platform), "PLATFORM", int(w_version), "VERSION",
              "PATH", "DESCRIPTION");
  for (const auto& p : report.plugins) {
    std::printf("%-*s  %-*s  %s  %s\n", int(w_platform), p->platform().c_str(), int(w_version),
                p->version().c_str(), p->path().c_str(), p->description().c_str());
  }
  if (dirs.empty()) std::cerr << "heraldd: no plugin directory to search (use --plugin-dir)\n";
  return 0;
}

// Logs go to journald when systemd started us (it sets JOURNAL_STREAM), else to stderr.
void SetUpLogging(herald::config::LogLevel level) {
  std::shared_ptr<spdlog::logger> logger;
  if (std::getenv("JOURNAL_STREAM")) {
    logger = std::make_shared<spdlog::logger>("heraldd",
                                              std::make_shared<spdlog::sinks::systemd_sink_mt>());
    logger->set_pattern("%v");
  } else {
    logger = std::make_shared<spdlog::logger>(
        "heraldd", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  }
  static constexpr spdlog::level::level_enum kLevels[] = {spdlog::level::trace,
                                                          spdlog::level::debug, spdlog::level::info,
                                                          spdlog::level::warn, spdlog::level::err};
  logger->set_level(kLevels[static_cast<int>(level)]);
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
}

// --dry-run: everything but the connector calls. Loads the calendars as the
// daemon would and prints what would be published, and when.
int DryRun(const herald::config::Config& config, const std::vector<fs::path>& plugin_dirs,
           std::chrono::hours horizon, herald::core::Clock& clock) {
  auto plugins = herald::plugin::LoadPlugins(plugin_dirs);
  for (const auto& problem : plugins.problems)
    std::cerr << "heraldd: " << problem.ToString() << "\n";
  auto context = herald::core::MakeLoadContext(config, plugins);
  std::vector<std::string> paths;
  for (const auto& d : config.calendar_dirs) paths.push_back(d.string());
  auto loaded = herald::calendar::Load(paths, context);
  for (const auto& d : loaded.diagnostics) std::cerr << d.ToString() << "\n";
  using namespace std::chrono;
  herald::calendar::TimePoint now{milliseconds(clock.NowMs())};
  auto jobs = herald::calendar::Expand(loaded.calendars, now, now + horizon);
  std::cout << "heraldd --dry-run: " << jobs.size() << " post(s) would be published in the next "
            << horizon.count() / 24 << " days (nothing is sent)\n";
  herald::calendar::FormatTable(jobs, std::cout);
  return loaded.ok() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"heraldd: publishes content calendars to social platforms on schedule"};
  app.set_version_flag("--version", std::string("heraldd ") + HERALD_VERSION);
  std::string config_path;
  std::vector<std::string> plugin_dirs;
  bool list_plugins = false, dry_run = false, check_config = false, user_mode = false;
  int workers = 16;
  int worker_nice = 10;
  int horizon_days = 31;
  app.add_option("-c,--config", config_path,
                 "Configuration file (default /etc/herald/herald.yaml, or the user's with --user)");
  app.add_flag("--user", user_mode, "User mode: configuration under $XDG_CONFIG_HOME/herald");
  app.add_option("--plugin-dir", plugin_dirs,
                 "Directory of connector plugins (repeatable; replaces the configured ones)");
  app.add_flag("--list-plugins", list_plugins, "Load the plugins, list them, and exit");
  app.add_flag("--dry-run", dry_run,
               "Load the calendars and print what would be published, and when; send nothing");
  app.add_option("--horizon-days", horizon_days, "How far ahead --dry-run looks")
      ->check(CLI::Range(1, 3660));
  app.add_flag("--check-config", check_config, "Load the configuration, print it, and exit");
  app.add_option("--workers", workers, "Connector calls in parallel")->check(CLI::Range(1, 256));
  app.add_option("--worker-nice", worker_nice,
                 "How much lower the workers' CPU priority is than the scheduler's and the "
                 "control socket's (0: the same)")
      ->check(CLI::Range(0, 19));
  CLI11_PARSE(app, argc, argv);

  std::vector<fs::path> dirs(plugin_dirs.begin(), plugin_dirs.end());
  if (list_plugins && config_path.empty()) {
    return ListPlugins(herald::plugin::PluginDirsOr(dirs));
  }

  fs::path config_file = config_path.empty()
                             ? herald::config::DefaultConfigPath(
                                   user_mode, std::getenv("XDG_CONFIG_HOME"), std::getenv("HOME"))
                             : fs::path(config_path);
  auto config = herald::config::LoadConfig(config_file);
  if (!config.ok()) {
    std::cerr << config.error().message() << "\n";
    return 1;
  }
  if (dirs.empty()) dirs = herald::plugin::PluginDirsOr(config->plugin_dirs);
  if (list_plugins) return ListPlugins(dirs);
  if (check_config) {
    std::cout << config->ToString();
    return 0;
  }
  // The test-only time source (docs/operations.md): a clock shifted by a
  // fixed offset, so that a test restarts heraldd "later" without waiting.
  auto offset = herald::core::ParseTestClockOffset(std::getenv("HERALD_TEST_CLOCK_OFFSET_MS"));
  if (!offset.ok()) {
    std::cerr << "heraldd: " << offset.error().message() << "\n";
    return 2;
  }
  herald::core::SystemClock clock(*offset);
  if (dry_run) return DryRun(*config, dirs, std::chrono::hours(24 * horizon_days), clock);

  SetUpLogging(config->log_level);
  if (*offset != 0) {
    spdlog::warn("the clock is offset by {} ms (HERALD_TEST_CLOCK_OFFSET_MS): for tests only",
                 *offset);
  }
  herald::core::DaemonOptions options;
  options.clock = &clock;
  options.plugin_dirs = dirs;
  options.workers = workers;
  options.worker_nice = worker_nice;
  herald::core::Daemon daemon(std::move(*config), options);
  // The control socket listens before READY=1 and closes before the daemon goes.
  herald::control::ControlServer control(daemon);
  daemon.set_start_hook([&control] { return control.StartOnLoop(); });
  return daemon.Run();
}
