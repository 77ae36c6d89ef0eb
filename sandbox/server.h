// The HTTP front of the sandbox: a cpprest http_listener on a loopback
// address that turns each request into an HttpRequest, asks the Sandbox, and
// writes the answer (or drops the connection for the drop faults). Start and
// Stop are called from one thread (main); requests are served on cpprest's
// thread pool.
#pragma once

#include <memory>
#include <string>

#include <cpprest/http_listener.h>

#include "daemon/common/result.h"
#include "sandbox/sandbox.h"

namespace herald::sandbox {

class Server {
 public:
  explicit Server(Sandbox& sandbox) : sandbox_(sandbox) {}
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Listens on host:port; port 0 picks a free port. Only loopback hosts
  // (127.0.0.0/8, localhost) are accepted. Returns the base URL
  // ("http://127.0.0.1:PORT/").
  Result<std::string> Start(const std::string& host, int port);
  void Stop();

 private:
  void Serve(web::http::http_request request);

  Sandbox& sandbox_;
  int port_ = 0;
  std::unique_ptr<web::http::experimental::listener::http_listener> listener_;
};

}  // namespace herald::sandbox
