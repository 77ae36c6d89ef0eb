// StateDirLock: the single-instance lock of a state directory, an flock(2) on
// "<dir>/heraldd.lock" holding the owner's pid. Held while the object lives
// (the kernel drops it when the process dies, so a crash leaves no stale lock).
// Move-only; create and destroy from any one thread.
#pragma once

#include <filesystem>
#include <memory>

#include "common/result.h"

namespace herald::journal {

class StateDirLock {
 public:
  // kUnavailable, naming the holder's pid, when another process (or another
  // StateDirLock in this one) holds it; kIo when the file cannot be opened.
  static Result<StateDirLock> Acquire(const std::filesystem::path& state_dir);

  StateDirLock(StateDirLock&& other) noexcept;
  StateDirLock& operator=(StateDirLock&& other) noexcept;
  StateDirLock(const StateDirLock&) = delete;
  StateDirLock& operator=(const StateDirLock&) = delete;
  ~StateDirLock();

  const std::filesystem::path& path() const { return path_; }

 private:
  StateDirLock(int fd, std::filesystem::path path) : fd_(fd), path_(std::move(path)) {}
  int fd_ = -1;
  std::filesystem::path path_;
};

}  // namespace herald::journal
