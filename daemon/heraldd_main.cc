// heraldd: the herald daemon's entry point. Thin on purpose: it parses the
// command line and hands over to the modules.
#include <spdlog/spdlog.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "plugin/plugin_loader.h"

namespace fs = std::filesystem;

namespace {

// A heraldd run from its build tree also finds the plugins built beside it.
std::vector<fs::path> DefaultPluginDirs() {
  std::vector<fs::path> dirs{HERALD_DEFAULT_PLUGIN_DIR};
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path build_plugins = exe.parent_path().parent_path() / "plugins";
    if (fs::is_directory(build_plugins, ec)) dirs.push_back(build_plugins);
  }
  std::vector<fs::path> existing;
  for (const auto& d : dirs) {
    if (fs::is_directory(d, ec)) existing.push_back(d);
  }
  return existing;
}

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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"heraldd: publishes content calendars to social platforms on schedule"};
  app.set_version_flag("--version", std::string("heraldd ") + HERALD_VERSION);
  std::vector<std::string> plugin_dirs;
  bool list_plugins = false;
  app.add_option("--plugin-dir", plugin_dirs,
                 "Directory of connector plugins (repeatable; replaces the defaults)");
  app.add_flag("--list-plugins", list_plugins, "Load the plugins, list them, and exit");
  CLI11_PARSE(app, argc, argv);

  std::vector<fs::path> dirs(plugin_dirs.begin(), plugin_dirs.end());
  if (dirs.empty()) dirs = DefaultPluginDirs();

  if (list_plugins) return ListPlugins(dirs);

  std::cerr << "heraldd: the daemon's run loop is not implemented yet; try --list-plugins\n";
  return 2;
}
