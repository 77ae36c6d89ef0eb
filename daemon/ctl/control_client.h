// ControlClient: heraldctl's HTTP over the daemon's Unix socket (libcurl with
// CURLOPT_UNIX_SOCKET_PATH). The only place heraldctl touches libcurl.
//
// One client per thread; not thread-safe. Errors are values: kUnavailable
// when nothing listens on the socket, kPermissionDenied when the socket file
// refuses us, kIo for other transport failures.
#pragma once

#include <functional>
#include <string>

#include "common/result.h"

namespace herald::ctl {

struct HttpReply {
  long status = 0;
  std::string body;
};

class ControlClient {
 public:
  explicit ControlClient(std::string socket_path);
  ~ControlClient();
  ControlClient(const ControlClient&) = delete;
  ControlClient& operator=(const ControlClient&) = delete;

  // One request; `body` is sent as JSON when not empty.
  Result<HttpReply> Call(const std::string& method, const std::string& path,
                         const std::string& body = {});

  // GET `path` and hand each line of the (endless) body to `on_line` until it
  // returns false or the daemon closes the stream.
  Status Stream(const std::string& path, const std::function<bool(const std::string&)>& on_line);

  const std::string& socket_path() const { return socket_path_; }

 private:
  std::string socket_path_;
  void* curl_ = nullptr;  // CURL*
};

}  // namespace herald::ctl
