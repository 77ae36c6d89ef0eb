// ControlApi: the routes of the control API (docs/control-api.md) over a
// running Daemon: /v1/status, /v1/jobs..., /v1/pause, /v1/resume, /v1/reload,
// /v1/plugins, /v1/accounts, /v1/events and /metrics. It checks the peer's
// role (viewer reads, admin changes) before doing anything, answers errors as
// {"error": {"code", "message"}} with the status their typed code maps to,
// and never lets an exception out.
//
// Threads: Handle() runs on the control server's thread. Journal reads and
// writes happen there (they never touch the scheduler's loop); anything that
// touches the queue, pauses or reloads is posted to daemon.io(), and the
// answer comes back through Reply. AttachOnLoop() must run on the loop thread
// before the loop starts serving. The Daemon must outlive this object, and
// the loop must no longer run when it is destroyed.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "control/event_hub.h"
#include "control/http_server.h"
#include "control/metrics.h"
#include "control/peer_access.h"
#include "core/daemon.h"

namespace herald::control {

class ControlApi {
 public:
  // post_to_server runs a function on the control server's thread (HttpServer::Poster).
  ControlApi(core::Daemon& daemon, AccessRules rules,
             std::function<void(std::function<void()>)> post_to_server,
             std::function<size_t()> open_connections);
  ControlApi(const ControlApi&) = delete;
  ControlApi& operator=(const ControlApi&) = delete;

  // Loop thread, once: subscribes to job events and takes the last load result.
  void AttachOnLoop();

  // The HttpServer handler.
  void Handle(Request request, Reply reply);

  EventHub& events() { return events_; }

 private:
  Role RoleOf(const PeerCredentials& peer);
  void OnEvent(const core::JobEvent& event);  // loop thread
  void TakeLastSync();                        // loop thread

  void Status(Reply& reply);
  void Jobs(const Request& request, Reply& reply);
  void JobDetail(const std::string& id, Reply& reply);
  void JobAction(const std::string& id, const std::string& action, const Request& request,
                 Reply& reply);
  void PauseOrResume(bool pause, const Request& request, Reply& reply);
  void Reload(const Request& request, Reply& reply);
  void Plugins(Reply& reply);
  void Accounts(Reply& reply);
  void Events(Reply& reply);
  void Metrics(Reply& reply);

  core::Daemon& daemon_;
  const AccessRules rules_;
  const std::function<void(std::function<void()>)> post_to_server_;
  const std::function<size_t()> open_connections_;
  EventHub events_;
  control::Metrics metrics_;

  std::mutex mu_;
  std::shared_ptr<const core::SyncResult> last_sync_;  // guarded by mu_
  std::set<core::PauseScope> admin_paused_;            // guarded by mu_
  struct CachedRole {
    Role role;
    std::chrono::steady_clock::time_point until;
  };
  std::map<std::pair<uid_t, gid_t>, CachedRole> roles_;  // guarded by mu_

  // /v1/status's journal figures (jobs by state, next due). Counting scans the
  // jobs table (milliseconds for 10,000 jobs), too slow to do per request under
  // load, so the figures are reused while no job moved since they were read,
  // and for at most kStatusReuse while jobs move. Server thread only, except
  // job_moves_, which OnEvent bumps.
  static constexpr std::chrono::milliseconds kStatusReuse{100};
  struct StatusFigures {
    journal::StateCounts counts;
    std::optional<journal::PendingEntry> next_due;
    std::chrono::steady_clock::time_point read_at;
    uint64_t moves = 0;  // job_moves_ when read
    bool valid = false;
  };
  StatusFigures status_figures_;
  std::atomic<uint64_t> job_moves_{0};
};

}  // namespace herald::control
