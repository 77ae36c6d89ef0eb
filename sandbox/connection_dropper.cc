#include "sandbox/connection_dropper.h"

#include <dlfcn.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>

namespace herald::sandbox {

namespace {

thread_local int last_read_socket = -1;
std::atomic<bool> wrapper_called{false};

using RecvmsgFn = ssize_t (*)(int, struct msghdr*, int);
using RecvFn = ssize_t (*)(int, void*, size_t, int);

template <typename Fn>
Fn NextSymbol(const char* name) {
  static_assert(sizeof(Fn) == sizeof(void*));
  return reinterpret_cast<Fn>(dlsym(RTLD_NEXT, name));
}

void Record(int fd, ssize_t result) {
  if (result > 0) {
    last_read_socket = fd;
    wrapper_called.store(true, std::memory_order_relaxed);
  }
}

}  // namespace

int LastReadSocket() { return last_read_socket; }

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
  herald::sandbox::Record(fd, result);
  return result;
}

extern "C" ssize_t recv(int fd, void* buffer, size_t length, int flags) {
  static const auto next = herald::sandbox::NextSymbol<herald::sandbox::RecvFn>("recv");
  ssize_t result = next(fd, buffer, length, flags);
  herald::sandbox::Record(fd, result);
  return result;
}
