// HttpServer: HTTP/1.1 over an already-listening Unix socket, on its own
// thread and io_context, so a slow or hostile client never delays the
// scheduler. It reads requests with caps (header and body sizes), deadlines
// (the headers must arrive within header_timeout, counted from the connection
// or the previous answer; the body within read_timeout; a response must be
// taken within write_timeout) and caps on open connections: in all, per peer
// uid, and a share that only privileged peers (admins) may take, so no number
// of lesser clients can lock an admin out. Malformed input gets a JSON error
// and the connection closes; so does any body the server would not read as
// sent: a transfer coding other than chunked (400), a content coding (415),
// a media type or charset other than JSON's (415), an Expect other than
// 100-continue (417; 100-continue gets its 100 Continue). Each request
// carries the peer's kernel credentials (SO_PEERCRED). Keep-alive is honoured.
//
// The Handler runs on the server thread and must not block for long (journal
// reads are fine); it answers by calling Reply exactly once, from any thread.
// A Response may carry a LineStream instead of a body: the server then sends
// the lines as they come (chunked), until the producer closes it or the
// client goes away.
//
// Threads: Start/Stop from one owning thread; Post() from any thread. Beast
// lives only in http_server.cc.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "common/result.h"

namespace herald::control {

struct PeerCredentials {
  pid_t pid = 0;
  uid_t uid = 0;
  gid_t gid = 0;
};

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string path;    // the target without its query, percent-decoded
  // Decoded, in order; a key may repeat (the handler decides what that means).
  std::multimap<std::string, std::string> query;
  std::string body;
  PeerCredentials peer;
};

// Lines for a streaming response. Thread-safe: the producer pushes from any
// thread; the server drains it. Once closed (by either side, or when more
// than `max_queued` lines wait because the client does not read) it stays closed.
class LineStream {
 public:
  explicit LineStream(size_t max_queued = 10000) : max_queued_(max_queued) {}
  // False when the stream is closed (the producer should drop it).
  bool Push(std::string line);
  void Close();
  bool closed() const;

  // Server side: takes what is queued; `notify` is called (any thread) at the
  // next Push or Close when nothing was queued.
  std::deque<std::string> Take(std::function<void()> notify);

 private:
  const size_t max_queued_;
  mutable std::mutex mu_;
  std::deque<std::string> lines_;  // guarded by mu_
  bool closed_ = false;            // guarded by mu_
  std::function<void()> notify_;   // guarded by mu_
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::shared_ptr<LineStream> stream;  // set: a streaming response; body ignored
};

using Reply = std::function<void(Response)>;
using Handler = std::function<void(Request, Reply)>;

struct HttpServerOptions {
  size_t max_header_bytes = 8 * 1024;
  size_t max_body_bytes = 1024 * 1024;
  std::chrono::milliseconds header_timeout{std::chrono::seconds(5)};
  std::chrono::milliseconds read_timeout{std::chrono::seconds(30)};  // the body, after its headers
  std::chrono::milliseconds write_timeout{std::chrono::seconds(10)};
  std::chrono::milliseconds reply_timeout{std::chrono::seconds(120)};  // the handler's answer
  size_t max_connections = 256;
  // Of max_connections, how many only privileged peers may use.
  size_t reserved_connections = 0;
  // Connections one unprivileged uid may hold at once; 0: no cap.
  size_t max_connections_per_peer = 0;
  // Whether a peer may use the reserved connections and is not capped per
  // uid (the control API: admins). Called on the server thread at accept; it
  // must be quick (cache name-service lookups). Unset: nobody is privileged.
  std::function<bool(const PeerCredentials&)> privileged;
};

// The error body every failure uses: {"error": {"code": ..., "message": ...}}.
Response ErrorResponse(int status, const std::string& code, const std::string& message);

// How the server reads one request that arrived as `bytes` (all the client
// sent before closing its side): the same parser, caps, refusals and target
// decoding as a connection, without a socket. Either the Request the handler
// would get (without peer credentials), or the answer sent instead, or
// neither when the client sent nothing (the connection just closes). For the
// tests and the fuzz target (tests/fuzz/control_request_fuzz.cc).
struct ParsedRequest {
  std::optional<Request> request;
  std::optional<Response> refused;
};
ParsedRequest ParseRequest(std::string_view bytes, const HttpServerOptions& options);

class HttpServer {
 public:
  HttpServer(HttpServerOptions options, Handler handler);
  ~HttpServer();  // Stop()s
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Takes ownership of `listen_fd` (a listening AF_UNIX stream socket) and
  // starts the server thread.
  Status Start(int listen_fd);
  // Closes every connection and joins the thread. Idempotent.
  void Stop();

  // Runs `fn` on the server thread (dropped once the server stopped). Any thread.
  void Post(std::function<void()> fn);
  // The same, as a value that stays safe to call after the server is gone.
  std::function<void(std::function<void()>)> Poster();

  size_t open_connections() const;

 private:
  friend class Session;  // http_server.cc: one connection
  struct Core;
  std::shared_ptr<Core> core_;
  std::thread thread_;
};

}  // namespace herald::control
