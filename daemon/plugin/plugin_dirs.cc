#include "plugin/plugin_dirs.h"

#include <string>

namespace herald::plugin {
namespace {

namespace fs = std::filesystem;

// p is root or under it (both absolute and without `..`).
bool Within(const fs::path& root, const fs::path& p) {
  const fs::path rel = p.lexically_relative(root);
  return !rel.empty() && *rel.begin() != "..";
}

}  // namespace

std::vector<fs::path> DefaultPluginDirs() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  const fs::path build_root = fs::weakly_canonical(HERALD_BUILD_ROOT, ec);
  fs::path dir = HERALD_DEFAULT_PLUGIN_DIR;
  if (!exe.empty() && !build_root.empty() && Within(build_root, exe)) dir = HERALD_PLUGIN_BUILD_DIR;
  if (!fs::is_directory(dir, ec)) return {};
  return {dir};
}

std::vector<fs::path> PluginDirsOr(const std::vector<fs::path>& configured) {
  return configured.empty() ? DefaultPluginDirs() : configured;
}

}  // namespace herald::plugin
