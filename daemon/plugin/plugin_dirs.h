// Where heraldd and heraldctl look for connector plugins when neither the
// command line nor the configuration names a folder, so that both find the
// same ones: the plugins built beside the running binary when it runs from
// its build tree, the installed plugin folder otherwise. Any thread.
#pragma once

#include <filesystem>
#include <vector>

namespace herald::plugin {

// The default folders that exist (none when neither does).
std::vector<std::filesystem::path> DefaultPluginDirs();

// `configured` (a configuration's plugin_dirs) when it names any, else the defaults.
std::vector<std::filesystem::path> PluginDirsOr(
    const std::vector<std::filesystem::path>& configured);

}  // namespace herald::plugin
