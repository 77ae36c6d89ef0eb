// Loading herald.yaml into a Config. Pure apart from reading the one file; safe
// to call from any thread. Never throws: every problem found is reported, all
// of them in one run, as "file:line:col: error: message" diagnostics.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "config/config.h"

namespace herald::config {

// One problem in a configuration file, 1-based line and column (0 when the
// problem is about the file as a whole).
struct Diagnostic {
  std::string file;
  int line = 0;
  int column = 0;
  std::string message;
  std::string ToString() const;  // "file:line:col: error: message"
};

// Parses `text` as if read from `file` (relative paths resolve against
// file's folder). `config` is set only when `diagnostics` is empty.
struct ParseOutcome {
  std::optional<Config> config;
  std::vector<Diagnostic> diagnostics;
};
ParseOutcome ParseConfig(std::string_view text, const std::filesystem::path& file);

// Reads and parses `file`. The error (kInvalidArgument, or kIo when the file
// cannot be read) carries every diagnostic, one per line.
Result<Config> LoadConfig(const std::filesystem::path& file);

// The configuration file used when no --config is given: /etc/herald/herald.yaml
// for the system daemon; in user mode $XDG_CONFIG_HOME/herald/herald.yaml, or
// $HOME/.config/herald/herald.yaml when XDG_CONFIG_HOME is unset or empty.
// The environment values are parameters so tests need not change the process's.
std::filesystem::path DefaultConfigPath(bool user_mode, const char* xdg_config_home,
                                        const char* home);

}  // namespace herald::config
