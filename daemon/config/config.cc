#include "config/config.h"

#include <cstdio>
#include <sstream>

namespace herald::config {
namespace {

void WriteLimits(std::ostringstream& out, const Limits& limits, const char* indent) {
  if (limits.rate_limit) {
    out << indent << "rate_limit: " << limits.rate_limit->tokens_per_second << "/second, burst "
        << limits.rate_limit->burst << "\n";
  }
  if (limits.concurrency > 0) out << indent << "concurrency: " << limits.concurrency << "\n";
}

void WriteList(std::ostringstream& out, const char* key, const std::vector<std::string>& items) {
  out << "    " << key << ": [";
  for (size_t i = 0; i < items.size(); ++i) out << (i ? ", " : "") << items[i];
  out << "]\n";
}

}  // namespace

const char* ToString(LogLevel level) {
  switch (level) {
    case LogLevel::kTrace:
      return "trace";
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

const AccountConfig* Config::FindAccount(const std::string& name) const {
  for (const AccountConfig& account : accounts) {
    if (account.name == name) return &account;
  }
  return nullptr;
}

std::string Config::ToString() const {
  std::ostringstream out;
  out << "# from " << source.string() << "\n";
  out << "calendar_dirs:\n";
  for (const auto& dir : calendar_dirs) out << "  - " << dir.string() << "\n";
  out << "plugin_dirs:\n";
  for (const auto& dir : plugin_dirs) out << "  - " << dir.string() << "\n";
  out << "state_dir: " << state_dir.string() << "\n";
  out << "credentials_file: " << credentials_file.string() << "\n";
  out << "control:\n  socket: " << control.socket.string() << "\n  group: " << control.group
      << "\n  viewers:\n";
  WriteList(out, "users", control.viewers.users);
  WriteList(out, "groups", control.viewers.groups);
  out << "  admins:\n";
  WriteList(out, "users", control.admins.users);
  WriteList(out, "groups", control.admins.groups);
  out << "  max_connections: " << control.max_connections
      << "\n  admin_connections: " << control.admin_connections
      << "\n  max_connections_per_user: " << control.max_connections_per_user
      << "\n  header_timeout: " << control.header_timeout.count() << "ms\n";
  out << "log_level: " << config::ToString(log_level) << "\n";
  out << "late_grace: " << late_grace.count() << "ms\n";
  out << "retry:\n  base_delay: " << retry.base_delay.count()
      << "ms\n  max_delay: " << retry.max_delay.count()
      << "ms\n  max_attempts: " << retry.max_attempts
      << "\n  jitter: " << (retry.jitter == Jitter::kFull ? "full" : "none") << "\n";
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", media.mode);
  out << "media:\n  public_base_url: " << media.public_base_url << "\n  dir: " << media.dir.string()
      << "\n  mode: \"" << mode << "\"\n  group: " << media.group << "\n";
  out << "http:\n  max_response_bytes: " << http.max_response_bytes << "\n";
  out << "platforms:\n";
  for (const auto& [name, limits] : platforms) {
    out << "  " << name << ":\n";
    WriteLimits(out, limits, "    ");
  }
  out << "accounts:\n";
  for (const AccountConfig& account : accounts) {
    out << "  " << account.name << ":\n    platform: " << account.platform << "\n";
    if (!account.api_base.empty()) out << "    api_base: " << account.api_base << "\n";
    if (!account.credentials.empty()) out << "    credentials: " << account.credentials << "\n";
    out << "    settings: " << account.settings_json << "\n";
    WriteLimits(out, account.limits, "    ");
  }
  return out.str();
}

}  // namespace herald::config
