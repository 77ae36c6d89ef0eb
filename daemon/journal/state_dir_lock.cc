#include "journal/state_dir_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "common/private_file.h"

namespace herald::journal {

Result<StateDirLock> StateDirLock::Acquire(const std::filesystem::path& state_dir) {
  std::filesystem::path path = state_dir / "heraldd.lock";
  auto opened = OpenWithMode(path, O_RDWR, 0600);
  if (!opened.ok()) return Error(ErrorCode::kIo, "lock file: " + opened.error().message());
  int fd = opened->release();
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int error = errno;
    std::string holder;
    char buf[32] = {};
    ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
    if (n > 0) {
      holder.assign(buf, static_cast<size_t>(n));
      while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
    }
    ::close(fd);
    if (error != EWOULDBLOCK) {
      return Error(ErrorCode::kIo, "cannot lock " + path.string() + ": " + std::strerror(error));
    }
    return Error(ErrorCode::kUnavailable,
                 "another heraldd" + (holder.empty() ? std::string() : " (pid " + holder + ")") +
                     " is already using the state directory " + state_dir.string() +
                     " (lock file " + path.string() + "); only one daemon may use it at a time");
  }
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    int error = errno;
    ::close(fd);
    return Error(ErrorCode::kIo,
                 "cannot write the pid into " + path.string() + ": " + std::strerror(error));
  }
  return StateDirLock(fd, std::move(path));
}

StateDirLock::StateDirLock(StateDirLock&& other) noexcept
    : fd_(other.fd_), path_(std::move(other.path_)) {
  other.fd_ = -1;
}

StateDirLock& StateDirLock::operator=(StateDirLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    path_ = std::move(other.path_);
    other.fd_ = -1;
  }
  return *this;
}

StateDirLock::~StateDirLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace herald::journal
