#include "control/control_server.h"

#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include "control/peer_access.h"
#include "control/socket_file.h"

namespace herald::control {

ControlServer::ControlServer(core::Daemon& daemon, HttpServerOptions options)
    : daemon_(daemon), options_(options) {}

ControlServer::~ControlServer() { Stop(); }

Status ControlServer::StartOnLoop() {
  const auto& control = daemon_.config().control;
  std::vector<std::string> warnings;
  AccessRules rules = ResolveRules(control, ::geteuid(), &warnings);
  for (const auto& w : warnings) spdlog::warn("{}", w);

  // The connection limits: admins keep their share whatever lesser peers do.
  roles_ = std::make_unique<RoleCache>(rules);
  HttpServerOptions options = options_;
  options.max_connections = static_cast<size_t>(control.max_connections);
  options.reserved_connections = static_cast<size_t>(control.admin_connections);
  options.max_connections_per_peer = static_cast<size_t>(control.max_connections_per_user);
  options.header_timeout = control.header_timeout;
  options.privileged = [roles = roles_.get()](const PeerCredentials& peer) {
    return roles->RoleOf(peer.uid, peer.gid) == Role::kAdmin;
  };

  // The server calls the api; the api posts through the server: the server
  // is made first, and serves only after both exist.
  server_ = std::make_unique<HttpServer>(options, [this](Request request, Reply reply) {
    api_->Handle(std::move(request), std::move(reply));
  });
  HttpServer* server = server_.get();
  api_ = std::make_unique<ControlApi>(daemon_, std::move(rules), server->Poster(),
                                      [server] { return server->open_connections(); });
  api_->AttachOnLoop();

  // A deep backlog: a flood of connects waits in the kernel, not in front of an admin's.
  auto fd = CreateListeningSocket({control.socket, control.group, SOMAXCONN});
  if (!fd.ok()) return fd.error();
  if (Status started = server_->Start(*fd); !started.ok()) {
    ::close(*fd);
    RemoveSocketFile(control.socket);
    return started;
  }
  listening_ = true;
  spdlog::info("control API listening on {}", control.socket.string());
  return Status::Ok();
}

void ControlServer::Stop() {
  if (api_) api_->events().CloseAll();
  if (server_) server_->Stop();
  if (listening_) {
    RemoveSocketFile(daemon_.config().control.socket);
    listening_ = false;
  }
}

}  // namespace herald::control
