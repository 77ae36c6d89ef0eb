// ControlApi: the routes of the control API (docs/control-api.md) over a
// running daemon (core::DaemonControl, a fake in control_api_test.cc): /v1/status, /v1/jobs...,
// /v1/pause, /v1/resume, /v1/reload, /v1/plugins, /v1/accounts, /v1/events and /metrics. It checks
// the peer's role (viewer reads, admin changes) before doing anything, answers errors as
// {"error": {"code", "message"}} with the status their typed code maps to,
// and never lets an exception out. This file routes and runs the handlers;
// the JSON each route reads and writes is api_json.h, and what an admin may
// do to a job is job_actions.h.
//
// Threads: Handle() runs on the control server's thread. Journal reads and
// writes happen there (they never touch the scheduler's loop); anything that
// touches the queue, pauses or reloads is posted to daemon.io(), and the
// answer comes back through Reply. AttachOnLoop() must run on the loop thread
// before the loop starts serving. The daemon must outlive this object, and
// the loop must no longer run when it is destroyed.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "common/mutex.h"
#include "control/event_hub.h"
#include "control/http_server.h"
#include "control/metrics.h"
#include "control/peer_access.h"
#include "core/daemon_control.h"

namespace herald::control {

class ControlApi {
 public:
  // post_to_server runs a function on the control server's thread (HttpServer::Poster).
  ControlApi(core::DaemonControl& daemon, AccessRules rules,
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
  std::string RenderStatus(const journal::JournalSummary& summary, const core::SyncResult* last,
                           int64_t uptime_s, int64_t next_in_s);
  void Jobs(const Request& request, Reply& reply);
  void JobDetail(const std::string& id, Reply& reply);
  void JobAction(const std::string& id, const std::string& action, const Request& request,
                 Reply& reply);
  void PauseOrResume(bool pause, const Request& request, Reply& reply);
  // kNotFound unless `scope` names something there is: a configured account,
  // a platform with one, a campaign with jobs in the journal.
  herald::Status ScopeExists(const core::PauseScope& scope);
  void Reload(const Request& request, Reply& reply);
  void Plugins(Reply& reply);
  void Accounts(Reply& reply);
  void Events(Reply& reply);
  void Metrics(Reply& reply);

  core::DaemonControl& daemon_;
  const AccessRules rules_;
  const std::function<void(std::function<void()>)> post_to_server_;
  const std::function<size_t()> open_connections_;
  EventHub events_;
  control::Metrics metrics_;

  Mutex mu_;
  std::shared_ptr<const core::SyncResult> last_sync_ GUARDED_BY(mu_);
  struct CachedRole {
    Role role = Role::kNone;
    std::chrono::steady_clock::time_point until;  // a real-time TTL, not the daemon's clock
  };
  std::map<std::pair<uid_t, gid_t>, CachedRole> roles_ GUARDED_BY(mu_);

  // /v1/status's last body and what it was rendered from (server thread only).
  // A reload replaces last_sync_ with a new object; the key holds the one it
  // was rendered from, so its address cannot be reused while compared.
  struct StatusKey {
    uint64_t journal_version = 0;
    uint64_t pause_generation = 0;
    std::shared_ptr<const core::SyncResult> last_sync;
    int64_t uptime_s = 0;
    int64_t next_in_s = 0;
    int64_t today = 0;  // API version warnings change with the day
    bool operator==(const StatusKey&) const = default;
  };
  StatusKey status_key_;
  std::string status_body_;
};

}  // namespace herald::control
