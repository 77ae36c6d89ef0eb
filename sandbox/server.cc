#include "sandbox/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>

#include "sandbox/connection_dropper.h"

namespace herald::sandbox {

namespace {

bool IsLoopback(const std::string& host) {
  if (host == "localhost") return true;
  in_addr address{};
  if (inet_pton(AF_INET, host.c_str(), &address) != 1) return false;
  return (ntohl(address.s_addr) >> 24) == 127;
}

// A port that was free a moment ago on `host`.
Result<int> FreePort(const std::string& host) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return Error(ErrorCode::kIo, "socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  inet_pton(AF_INET, host == "localhost" ? "127.0.0.1" : host.c_str(), &address.sin_addr);
  socklen_t length = sizeof address;
  int port = -1;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  close(fd);
  if (port < 0) return Error(ErrorCode::kIo, "cannot find a free port on " + host);
  return port;
}

HttpRequest Convert(const web::http::http_request& request,
                    const std::vector<unsigned char>& body) {
  HttpRequest out;
  out.method = request.method();
  web::uri uri = request.relative_uri();
  out.path = web::uri::decode(uri.path());
  out.query = ParseUrlEncoded(uri.query());
  out.params = out.query;
  for (const auto& [name, value] : request.headers()) {
    std::string lowered = name;
    std::transform(lowered.begin(), lowered.end(), lowered.begin(), ::tolower);
    out.headers[lowered] = value;
  }
  out.body.assign(body.begin(), body.end());
  return out;
}

}  // namespace

Server::~Server() { Stop(); }

Server::Ticket::Ticket(std::shared_ptr<InFlight> f) : in_flight(std::move(f)) {
  std::lock_guard lock(in_flight->mu);
  ++in_flight->count;
}

Server::Ticket::~Ticket() {
  std::lock_guard lock(in_flight->mu);
  if (--in_flight->count == 0) in_flight->idle.notify_all();
}

Result<std::string> Server::Start(const std::string& host, int port) {
  if (!IsLoopback(host)) {
    return Error(ErrorCode::kInvalidArgument,
                 "herald-sandbox listens on loopback addresses only, not " + host);
  }
  constexpr int kAttempts = 5;
  std::string last_error;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    int chosen = port;
    if (chosen == 0) {
      Result<int> free_port = FreePort(host);
      if (!free_port) return free_port.error();
      chosen = *free_port;
    }
    std::string url = "http://" + host + ":" + std::to_string(chosen) + "/";
    try {
      auto listener = std::make_unique<web::http::experimental::listener::http_listener>(url);
      listener->support([this](web::http::http_request request) { Serve(std::move(request)); });
      listener->open().wait();
      listener_ = std::move(listener);
      port_ = chosen;
      sandbox_.SetBaseUrl("http://" + host + ":" + std::to_string(chosen));
      return url;
    } catch (const std::exception& e) {
      last_error = e.what();
      if (port != 0) break;
    }
  }
  return Error(ErrorCode::kIo,
               "cannot listen on " + host + ":" + std::to_string(port) + ": " + last_error);
}

void Server::Stop() {
  if (!listener_) return;
  try {
    listener_->close().wait();
  } catch (const std::exception&) {
    // Closing is best effort at shutdown; the process is exiting.
  }
  listener_.reset();
  // Replies under way finish (a client cut off is no better), within bounds.
  std::unique_lock lock(in_flight_->mu);
  in_flight_->idle.wait_for(lock, std::chrono::seconds(2),
                            [this] { return in_flight_->count == 0; });
}

void Server::Serve(web::http::http_request request) {
  // The socket that carried this request: matched by its request line, else
  // the one this thread read last (read before any continuation).
  int socket = SocketForRequest(request.method(), request.relative_uri().path());
  if (socket < 0) socket = LastReadSocket();
  int port = port_;
  // Every continuation below holds the ticket (unused otherwise): the request
  // counts as in flight until pplx has freed the last of them.
  auto ticket = std::make_shared<Ticket>(in_flight_);
  request.extract_vector().then([this, request, socket, port,
                                 ticket](pplx::task<std::vector<unsigned char>> body_task) {
    try {
      std::vector<unsigned char> body = body_task.get();
      HttpRequest converted = Convert(request, body);
      HttpResponse answer;
      if (Status parsed = ParseBody(converted); !parsed) {
        answer =
            HttpResponse::Text(400, "text/plain; charset=UTF-8", parsed.error().message() + "\n");
      } else {
        answer = sandbox_.Handle(converted);
      }
      if (answer.drop_connection && DropConnection(socket, port)) {
        request.reply(web::http::status_codes::InternalError).then([ticket](pplx::task<void> t) {
          try {
            t.get();
          } catch (const std::exception&) {
            // Expected: the connection is gone.
          }
        });
        return;
      }
      web::http::http_response response(static_cast<web::http::status_code>(answer.status));
      if (answer.status == 308) response.set_reason_phrase("Resume Incomplete");
      for (const auto& [name, value] : answer.headers) response.headers().add(name, value);
      if (answer.drop_connection) response.headers().add("X-Sandbox-Drop", "unsupported");
      response.set_body(std::move(answer.body), answer.content_type);
      request.reply(response).then([ticket](pplx::task<void> t) {
        try {
          t.get();
        } catch (const std::exception&) {
          // The client went away; nothing to do.
        }
      });
    } catch (const std::exception& e) {
      request
          .reply(web::http::status_codes::InternalError, std::string("herald-sandbox: ") + e.what())
          .then([ticket](pplx::task<void> t) {
            try {
              t.get();
            } catch (const std::exception&) {
            }
          });
    }
  });
}

}  // namespace herald::sandbox
