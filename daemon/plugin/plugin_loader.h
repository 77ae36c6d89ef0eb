// The plugin loader: finds connector plugins (*.so) in plugin directories,
// loads each with Boost.DLL (RTLD_NOW, so a missing symbol fails at load),
// checks its ABI version before calling anything else, checks its function
// table and info, and probes it once (create + describe + destroy) to read
// the platform's limits. A bad file never takes the daemon down: it yields one
// PluginProblem naming the file and the reason, and loading goes on.
//
// A Plugin owns its loaded library. Connectors made from it hold a
// shared_ptr<const Plugin>, so the library stays mapped while any of them
// lives. LoadPlugins is not thread-safe against itself; a loaded Plugin is
// immutable and may be shared between threads.
#pragma once

#include <herald/plugin_abi.h>

#define BOOST_DLL_USE_STD_FS
#include <boost/dll/shared_library.hpp>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"

namespace herald::plugin {

class Plugin {
 public:
  Plugin(const Plugin&) = delete;
  Plugin& operator=(const Plugin&) = delete;

  const std::filesystem::path& path() const { return path_; }
  const std::string& platform() const { return platform_; }
  const std::string& version() const { return version_; }
  const std::string& description() const { return description_; }
  // The ABI version the plugin was built against (HERALD_ABI_VERSION packing).
  uint32_t abi_version() const { return abi_version_; }
  // The JSON its describe() gave when probed (the platform's limits).
  const std::string& limits_json() const { return limits_json_; }
  const herald_plugin_api& api() const { return *api_; }
  // Whether the table holds a non-NULL optional function, inside struct_size.
  bool has_validate() const;
  bool has_metrics() const;
  bool has_find() const;

 private:
  friend Result<std::shared_ptr<const Plugin>> LoadPluginFile(const std::filesystem::path& file);
  Plugin() = default;

  boost::dll::shared_library library_;  // declared first: destroyed last
  const herald_plugin_api* api_ = nullptr;
  std::filesystem::path path_;
  std::string platform_;
  std::string version_;
  std::string description_;
  uint32_t abi_version_ = 0;
  std::string limits_json_;
};

struct PluginProblem {
  std::string path;
  std::string reason;
  // "plugin PATH: REASON", the one line an admin reads.
  std::string ToString() const { return "plugin " + path + ": " + reason; }
};

struct PluginLoadReport {
  std::vector<std::shared_ptr<const Plugin>> plugins;  // in load order, one per platform
  std::vector<PluginProblem> problems;

  // The plugin serving `platform`, or nullptr.
  std::shared_ptr<const Plugin> Find(const std::string& platform) const;
};

// Loads one plugin file, with every check but the cross-plugin ones
// (duplicate platforms). The error message is the reason, without the path.
Result<std::shared_ptr<const Plugin>> LoadPluginFile(const std::filesystem::path& file);

// Loads every *.so in `dirs` (each directory's files in name order, the
// directories in the given order). The first plugin to claim a platform wins;
// later ones are refused with a problem naming the first.
PluginLoadReport LoadPlugins(const std::vector<std::filesystem::path>& dirs);

// Refuses a path that is writable by anyone but its owner, or owned by someone
// other than root or the daemon's user (as sshd's StrictModes does).
Status CheckSafePermissions(const std::filesystem::path& path);

}  // namespace herald::plugin
