#include "plugin/plugin_loader.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <regex>
#include <set>

#include "plugin/connector.h"
#include "plugin/host_services.h"

namespace herald::plugin {
namespace fs = std::filesystem;
namespace {

// The table size a plugin of ABI minor `minor` must at least provide: the
// end of the last field that minor defines.
size_t MinimumTableSize(uint32_t minor) {
  switch (minor) {
    case 0:
    default:
      return offsetof(herald_plugin_api, find) + sizeof(herald_plugin_api::find);
  }
}

std::string VersionString(uint32_t v) {
  return std::to_string(HERALD_ABI_MAJOR_OF(v)) + "." + std::to_string(HERALD_ABI_MINOR_OF(v));
}

bool LooksLikeElf(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  char magic[4] = {};
  in.read(magic, sizeof magic);
  return in.gcount() == 4 && std::memcmp(magic,
                                         "\x7f"
                                         "ELF",
                                         4) == 0;
}

// Boost.DLL puts dlerror()'s text inside its exception message; keep just that.
std::string DlerrorText(const std::string& what) {
  static const std::string kMarker = "(dlerror system message: ";
  auto begin = what.find(kMarker);
  if (begin == std::string::npos) return what;
  begin += kMarker.size();
  auto end = what.rfind(')');
  if (end == std::string::npos || end < begin) return what.substr(begin);
  return what.substr(begin, end - begin);
}

Error Refuse(std::string reason) { return Error(ErrorCode::kInvalidArgument, std::move(reason)); }

}  // namespace

bool Plugin::has_validate() const {
  return HERALD_HAS_FIELD(api_, herald_plugin_api, validate) && api_->validate != nullptr;
}
bool Plugin::has_metrics() const {
  return HERALD_HAS_FIELD(api_, herald_plugin_api, metrics) && api_->metrics != nullptr;
}
bool Plugin::has_find() const {
  return HERALD_HAS_FIELD(api_, herald_plugin_api, find) && api_->find != nullptr;
}

std::shared_ptr<const Plugin> PluginLoadReport::Find(const std::string& platform) const {
  for (const auto& p : plugins) {
    if (p->platform() == platform) return p;
  }
  return nullptr;
}

Status CheckSafePermissions(const fs::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return Error(ErrorCode::kIo, std::string("cannot stat: ") + std::strerror(errno));
  }
  if (st.st_mode & (S_IWGRP | S_IWOTH)) {
    return Error(ErrorCode::kPermissionDenied,
                 std::string("refused: ") + (S_ISDIR(st.st_mode) ? "directory" : "file") +
                     " is writable by " + ((st.st_mode & S_IWOTH) ? "everyone" : "its group") +
                     " (run chmod go-w on it)");
  }
  if (st.st_uid != 0 && st.st_uid != ::geteuid()) {
    return Error(ErrorCode::kPermissionDenied, "refused: owned by uid " +
                                                   std::to_string(st.st_uid) +
                                                   ", neither root nor the daemon's user (uid " +
                                                   std::to_string(::geteuid()) + ")");
  }
  return Status::Ok();
}

Result<std::shared_ptr<const Plugin>> LoadPluginFile(const fs::path& file) {
  if (auto safe = CheckSafePermissions(file); !safe) return safe.error();
  if (!LooksLikeElf(file)) return Refuse("not a shared library (no ELF header)");

  std::shared_ptr<Plugin> plugin(new Plugin());
  plugin->path_ = file;
  try {
    plugin->library_.load(file,
                          boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& e) {
    return Refuse("cannot be loaded: " + DlerrorText(e.what()));
  }
  auto& lib = plugin->library_;
  if (!lib.has(HERALD_SYMBOL_ABI_VERSION) || !lib.has(HERALD_SYMBOL_GET_API)) {
    return Refuse("not a herald plugin (no " HERALD_SYMBOL_ABI_VERSION " / " HERALD_SYMBOL_GET_API
                  " symbols)");
  }

  // The version comes first: nothing else of a refused plugin is called.
  uint32_t version = 0;
  try {
    version = lib.get<uint32_t()>(HERALD_SYMBOL_ABI_VERSION)();
  } catch (...) {
    return Refuse(HERALD_SYMBOL_ABI_VERSION "() threw an exception");
  }
  plugin->abi_version_ = version;
  if (HERALD_ABI_MAJOR_OF(version) != HERALD_ABI_VERSION_MAJOR ||
      HERALD_ABI_MINOR_OF(version) > HERALD_ABI_VERSION_MINOR) {
    return Refuse("ABI version mismatch: plugin needs " + VersionString(version) +
                  ", this heraldd provides " + VersionString(HERALD_ABI_VERSION) +
                  " (same major and a minor no newer than the host's are required)");
  }

  const herald_plugin_api* api = nullptr;
  try {
    api = lib.get<const herald_plugin_api*()>(HERALD_SYMBOL_GET_API)();
  } catch (...) {
    return Refuse(HERALD_SYMBOL_GET_API "() threw an exception");
  }
  if (!api) return Refuse(HERALD_SYMBOL_GET_API "() returned no function table");
  size_t needed = MinimumTableSize(HERALD_ABI_MINOR_OF(version));
  if (api->struct_size < needed) {
    return Refuse("function table too small: struct_size " + std::to_string(api->struct_size) +
                  " bytes, ABI " + VersionString(version) + " needs at least " +
                  std::to_string(needed));
  }
  struct Required {
    const char* name;
    bool present;
  };
  for (const Required& r :
       {Required{"get_info", api->get_info != nullptr}, Required{"create", api->create != nullptr},
        Required{"destroy", api->destroy != nullptr},
        Required{"last_error", api->last_error != nullptr},
        Required{"describe", api->describe != nullptr}, Required{"step", api->step != nullptr}}) {
    if (!r.present) return Refuse(std::string("required function ") + r.name + " is NULL");
  }
  plugin->api_ = api;

  const herald_plugin_info* info = nullptr;
  try {
    info = api->get_info();
  } catch (...) {
    return Refuse("get_info() threw an exception");
  }
  if (!info || !info->platform || !info->version) {
    return Refuse("get_info() gave no platform or version");
  }
  static const std::regex kPlatform("[a-z0-9_-]{1,64}");
  if (!std::regex_match(info->platform, kPlatform)) {
    return Refuse(std::string("invalid platform id \"") + info->platform +
                  "\" (lower-case letters, digits, '-' and '_' only)");
  }
  plugin->platform_ = info->platform;
  plugin->version_ = info->version;
  if (HERALD_HAS_FIELD(info, herald_plugin_info, description) && info->description) {
    plugin->description_ = info->description;
  }

  // The probe: one connector for an empty account, to prove the factory works
  // and to read the platform's limits.
  ProbeHostServices probe_host("plugin " + file.string());
  AccountSpec probe_account{plugin->platform_, "", "", "{}"};
  std::shared_ptr<const Plugin> frozen = plugin;
  auto connector = Connector::Create(frozen, probe_account, &probe_host);
  if (!connector.ok()) return Refuse("probe " + connector.error().message());
  auto limits = (*connector)->Describe();
  if (!limits.ok()) return Refuse("probe " + limits.error().message());
  plugin->limits_json_ = std::move(*limits);
  return frozen;
}

PluginLoadReport LoadPlugins(const std::vector<fs::path>& dirs) {
  PluginLoadReport report;
  std::set<fs::path> seen;
  for (const fs::path& dir : dirs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      report.problems.push_back({dir.string(), "plugin directory does not exist"});
      continue;
    }
    if (auto safe = CheckSafePermissions(dir); !safe) {
      report.problems.push_back({dir.string(), safe.error().message()});
      continue;
    }
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (entry.path().extension() == ".so" && entry.is_regular_file(ec)) {
        files.push_back(entry.path());
      }
    }
    if (ec) {
      report.problems.push_back({dir.string(), "cannot list directory: " + ec.message()});
      continue;
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& file : files) {
      fs::path canonical = fs::weakly_canonical(file, ec);
      if (!seen.insert(ec ? file : canonical).second) continue;
      auto loaded = LoadPluginFile(file);
      if (!loaded.ok()) {
        report.problems.push_back({file.string(), loaded.error().message()});
        continue;
      }
      if (auto first = report.Find((*loaded)->platform())) {
        report.problems.push_back({file.string(), "platform \"" + (*loaded)->platform() +
                                                      "\" is already provided by " +
                                                      first->path().string()});
        continue;
      }
      report.plugins.push_back(std::move(*loaded));
    }
  }
  return report;
}

}  // namespace herald::plugin
