#include "control/control_server.h"

#include <spdlog/spdlog.h>
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

  // The server calls the api; the api posts through the server: the server
  // is made first, and serves only after both exist.
  server_ = std::make_unique<HttpServer>(options_, [this](Request request, Reply reply) {
    api_->Handle(std::move(request), std::move(reply));
  });
  HttpServer* server = server_.get();
  api_ = std::make_unique<ControlApi>(daemon_, std::move(rules), server->Poster(),
                                      [server] { return server->open_connections(); });
  api_->AttachOnLoop();

  auto fd = CreateListeningSocket({control.socket, control.group, 128});
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
