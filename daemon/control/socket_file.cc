#include "control/socket_file.h"

#include <fcntl.h>
#include <grp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace herald::control {

namespace {

Error SysError(const std::string& what) {
  return Error(ErrorCode::kIo, what + ": " + std::strerror(errno));
}

bool FillAddress(const std::filesystem::path& path, sockaddr_un& addr) {
  std::memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  const std::string& s = path.native();
  if (s.empty() || s.size() >= sizeof addr.sun_path) return false;
  std::memcpy(addr.sun_path, s.data(), s.size());
  return true;
}

// True when some process accepts connections on the socket at `addr`.
bool SomeoneListens(const sockaddr_un& addr) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  bool live = ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0 ||
              errno == EAGAIN;  // a full backlog still means someone is there
  ::close(fd);
  return live;
}

}  // namespace

Result<int> CreateListeningSocket(const SocketFileOptions& options) {
  sockaddr_un addr{};
  if (!FillAddress(options.path, addr)) {
    return Error(ErrorCode::kInvalidArgument,
                 "control socket path '" + options.path.string() + "' is empty or longer than " +
                     std::to_string(sizeof addr.sun_path - 1) + " bytes");
  }
  gid_t group_id = static_cast<gid_t>(-1);
  if (!options.group.empty()) {
    std::vector<char> buf(65536);
    group gr{};
    group* found = nullptr;
    if (::getgrnam_r(options.group.c_str(), &gr, buf.data(), buf.size(), &found) != 0 || !found) {
      return Error(ErrorCode::kInvalidArgument,
                   "control.group: no group named '" + options.group + "'");
    }
    group_id = found->gr_gid;
  }

  struct stat st {};
  if (::lstat(options.path.c_str(), &st) == 0) {
    if (!S_ISSOCK(st.st_mode)) {
      return Error(ErrorCode::kInvalidArgument, "control socket path " + options.path.string() +
                                                    " exists and is not a socket; not touching it");
    }
    if (SomeoneListens(addr)) {
      return Error(ErrorCode::kAlreadyExists,
                   "another heraldd is already listening on " + options.path.string() +
                       " (stop it first, or set control.socket to another path)");
    }
    if (::unlink(options.path.c_str()) != 0 && errno != ENOENT) {
      return SysError("cannot remove the stale socket " + options.path.string());
    }
  }

  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return SysError("socket");
  // The file is born 0600 at most: nobody else can connect before chmod/chgrp.
  mode_t old_mask = ::umask(0177);
  int bound = ::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
  int bind_errno = errno;
  ::umask(old_mask);
  if (bound != 0) {
    errno = bind_errno;
    Error e = SysError("cannot bind the control socket " + options.path.string());
    ::close(fd);
    return e;
  }
  auto fail = [&](const std::string& what) -> Result<int> {
    Error e = SysError(what);
    ::close(fd);
    ::unlink(options.path.c_str());
    return e;
  };
  if (group_id != static_cast<gid_t>(-1) &&
      ::chown(options.path.c_str(), static_cast<uid_t>(-1), group_id) != 0) {
    return fail("cannot give " + options.path.string() + " to group " + options.group);
  }
  if (::chmod(options.path.c_str(), 0660) != 0)
    return fail("cannot chmod 0660 " + options.path.string());
  if (::listen(fd, options.backlog) != 0) return fail("cannot listen on " + options.path.string());
  return fd;
}

void RemoveSocketFile(const std::filesystem::path& path) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0 && S_ISSOCK(st.st_mode)) ::unlink(path.c_str());
}

}  // namespace herald::control
