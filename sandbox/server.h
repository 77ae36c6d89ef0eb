// The HTTP front of the sandbox: a cpprest http_listener on a loopback
// address that turns each request into an HttpRequest, asks the Sandbox, and
// writes the answer (or drops the connection for the drop faults). Start and
// Stop are called from one thread (main); requests are served on cpprest's
// thread pool.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
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

  // Requests whose handling has not finished, down to pplx freeing the last
  // continuation: Stop waits for none to be left (a process that exits first
  // leaves those continuations behind, and LeakSanitizer reports them).
  struct InFlight {
    std::mutex mu;
    std::condition_variable idle;
    int count = 0;  // guarded by mu
  };
  // Held by every continuation of one request; the last one gone ends it.
  struct Ticket {
    explicit Ticket(std::shared_ptr<InFlight> f);
    ~Ticket();
    std::shared_ptr<InFlight> in_flight;
  };

  Sandbox& sandbox_;
  std::shared_ptr<InFlight> in_flight_ = std::make_shared<InFlight>();
  int port_ = 0;
  std::unique_ptr<web::http::experimental::listener::http_listener> listener_;
};

}  // namespace herald::sandbox
