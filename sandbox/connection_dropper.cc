#include "sandbox/connection_dropper.h"

#include <dlfcn.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>
#include <string>
#include <unordered_map>

namespace herald::sandbox {

namespace {

thread_local int last_read_socket = -1;
std::atomic<bool> wrapper_called{false};

// The request line ("POST /v21.0/1/feed?x=y HTTP/1.1") each socket read last.
std::mutex lines_mu;
std::unordered_map<int, std::string> request_line_by_socket;  // guarded by lines_mu

void RecordRequestLine(int fd, const char* data, size_t size) {
  static const char* const kMethods[] = {"GET ", "POST ", "PUT ", "DELETE ", "PATCH ", "HEAD "};
  for (const char* method : kMethods) {
    size_t n = std::strlen(method);
    if (size < n || std::memcmp(data, method, n) != 0) continue;
    const char* end = static_cast<const char*>(std::memchr(data, '\r', size));
    std::string line(data, end ? static_cast<size_t>(end - data) : std::min<size_t>(size, 2048));
    std::lock_guard lock(lines_mu);
    request_line_by_socket[fd] = std::move(line);
    return;
  }
}

using RecvmsgFn = ssize_t (*)(int, struct msghdr*, int);
using RecvFn = ssize_t (*)(int, void*, size_t, int);

template <typename Fn>
Fn NextSymbol(const char* name) {
  static_assert(sizeof(Fn) == sizeof(void*));
  return reinterpret_cast<Fn>(dlsym(RTLD_NEXT, name));
}

void Record(int fd, ssize_t result, const char* data, size_t size) {
  if (result > 0) {
    last_read_socket = fd;
    wrapper_called.store(true, std::memory_order_relaxed);
    if (data) RecordRequestLine(fd, data, std::min(size, static_cast<size_t>(result)));
  } else if (result == 0) {
    std::lock_guard lock(lines_mu);
    request_line_by_socket.erase(fd);
  }
}

}  // namespace

int LastReadSocket() { return last_read_socket; }

int SocketForRequest(const std::string& method, const std::string& path) {
  std::string prefix = method + " " + path;
  int found = -1;
  int matches = 0;
  std::lock_guard lock(lines_mu);
  for (const auto& [fd, line] : request_line_by_socket) {
    if (line.rfind(prefix, 0) != 0) continue;
    char next = line.size() > prefix.size() ? line[prefix.size()] : ' ';
    if (next != ' ' && next != '?') continue;
    found = fd;
    ++matches;
  }
  return matches == 1 ? found : -1;
}

bool ConnectionDropSupported() { return wrapper_called.load(); }

bool DropConnection(int fd, int port) {
  if (fd < 0) return false;
  sockaddr_in local{};
  socklen_t length = sizeof local;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) != 0) return false;
  if (local.sin_family != AF_INET || ntohs(local.sin_port) != port) return false;
  sockaddr_in peer{};
  length = sizeof peer;
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &length) != 0) return false;
  return shutdown(fd, SHUT_RDWR) == 0;
}

}  // namespace herald::sandbox

// The wrappers. They only record the descriptor and call the C library's own
// function; errno and results pass through untouched.
extern "C" ssize_t recvmsg(int fd, struct msghdr* message, int flags) {
  static const auto next = herald::sandbox::NextSymbol<herald::sandbox::RecvmsgFn>("recvmsg");
  ssize_t result = next(fd, message, flags);
  bool first = message && message->msg_iovlen > 0 && message->msg_iov[0].iov_base;
  herald::sandbox::Record(fd, result,
                          first ? static_cast<const char*>(message->msg_iov[0].iov_base) : nullptr,
                          first ? message->msg_iov[0].iov_len : 0);
  return result;
}

extern "C" ssize_t recv(int fd, void* buffer, size_t length, int flags) {
  static const auto next = herald::sandbox::NextSymbol<herald::sandbox::RecvFn>("recv");
  ssize_t result = next(fd, buffer, length, flags);
  herald::sandbox::Record(fd, result, static_cast<const char*>(buffer), length);
  return result;
}
