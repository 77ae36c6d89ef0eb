// ControlServer: heraldd's control socket, assembled: the socket file
// (socket_file.h), the HTTP server on its own thread (http_server.h) and the
// API over the daemon (control_api.h), with the roles from the configuration.
//
// Ownership: the Daemon must outlive it. Threads: StartOnLoop() on the
// daemon's loop thread before the loop runs (Daemon's start hook, so the
// socket listens before READY=1); Stop() (and the destructor) from the thread
// that owns it, once the loop no longer runs.
#pragma once

#include <memory>

#include "common/result.h"
#include "control/control_api.h"
#include "control/http_server.h"
#include "control/peer_access.h"
#include "core/daemon.h"

namespace herald::control {

class ControlServer {
 public:
  explicit ControlServer(core::Daemon& daemon, HttpServerOptions options = {});
  ~ControlServer();
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  Status StartOnLoop();
  void Stop();

 private:
  core::Daemon& daemon_;
  HttpServerOptions options_;
  std::unique_ptr<RoleCache> roles_;  // who may take the admins' connections
  std::unique_ptr<ControlApi> api_;
  std::unique_ptr<HttpServer> server_;
  bool listening_ = false;
};

}  // namespace herald::control
