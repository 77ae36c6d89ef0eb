// The API subcommands of heraldctl (status, jobs, job, retry, cancel,
// publish-now, resolve, pause, resume, reload, plugins, accounts, watch):
// each sends one request through a ControlClient and prints the answer as an
// aligned table (times in the viewer's zone, colours only on a terminal) or,
// with json, as the daemon's JSON.
//
// Exit codes (kExit*): 0 done; 1 the daemon refused or reported errors (a
// reload with calendar errors, a job in the wrong state); 2 bad usage;
// 3 the daemon is not running; 4 the user lacks the role or socket access.
// Any thread; no shared state.
#pragma once

#include <map>
#include <ostream>
#include <string>

#include "ctl/control_client.h"

namespace herald::ctl {

inline constexpr int kExitOk = 0;
inline constexpr int kExitRefused = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitNotRunning = 3;
inline constexpr int kExitForbidden = 4;

struct OutputOptions {
  bool json = false;
  bool color = false;
};

struct ApiCommand {
  std::string name;                          // "status", "jobs", "retry", ...
  std::string job_id;                        // job, retry, cancel, publish-now, resolve
  std::map<std::string, std::string> query;  // jobs: the filters
  std::string body;                          // POST body (JSON)
};

int RunApiCommand(const ApiCommand& command, ControlClient& client, const OutputOptions& output,
                  std::ostream& out, std::ostream& err);

// Escapes a query string value.
std::string UrlEncode(const std::string& text);

}  // namespace herald::ctl
