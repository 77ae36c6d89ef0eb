#include "common/private_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace herald {
namespace fs = std::filesystem;
namespace {

std::string Octal(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

Error Failed(ErrorCode code, const std::string& what, const fs::path& file, int error) {
  return Error(code, "cannot " + what + " " + file.string() + ": " + std::strerror(error));
}

}  // namespace

Status WriteAll(int fd, std::string_view data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Error(ErrorCode::kIo, std::strerror(n < 0 ? errno : EIO));
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

Result<bool> MakeDirectory(const fs::path& dir, mode_t mode) {
  if (::mkdir(dir.c_str(), 0700) != 0) {
    if (errno != EEXIST) return Failed(ErrorCode::kIo, "create the folder", dir, errno);
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
      return Error(ErrorCode::kIo, dir.string() + " exists and is not a folder");
    }
    return false;
  }
  // mkdir's mode is cut by the umask; chmod sets exactly what was asked.
  if (::chmod(dir.c_str(), mode) != 0) {
    return Failed(ErrorCode::kIo, "set mode " + Octal(mode) + " on", dir, errno);
  }
  return true;
}

Result<UniqueFd> OpenWithMode(const fs::path& file, int flags, mode_t mode) {
  UniqueFd fd(::open(file.c_str(), flags | O_CREAT | O_CLOEXEC | O_NOFOLLOW, mode));
  if (!fd.valid()) {
    return Failed(errno == EACCES ? ErrorCode::kPermissionDenied : ErrorCode::kIo, "open", file,
                  errno);
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return Failed(ErrorCode::kIo, "examine", file, errno);
  if (!S_ISREG(st.st_mode)) return Error(ErrorCode::kIo, file.string() + " is not a regular file");
  if ((st.st_mode & 07777) != mode && ::fchmod(fd.get(), mode) != 0) {
    return Failed(ErrorCode::kPermissionDenied, "set mode " + Octal(mode) + " on", file, errno);
  }
  return fd;
}

Result<Replaced> ReplaceFile(const fs::path& file, std::string_view data, mode_t mode,
                             std::optional<gid_t> group) {
  return ReplaceFileWith(
      file, [data](int fd) { return WriteAll(fd, data); }, mode, group);
}

Result<Replaced> ReplaceFileWith(const fs::path& file, const std::function<Status(int fd)>& write,
                                 mode_t mode, std::optional<gid_t> group) {
  const fs::path folder = file.parent_path().empty() ? fs::path(".") : file.parent_path();
  std::string temp = (folder / ("." + file.filename().string() + ".XXXXXX")).string();
  UniqueFd fd(::mkstemp(temp.data()));
  if (!fd.valid()) return Failed(ErrorCode::kIo, "create a temporary file for", file, errno);
  bool renamed = false;
  struct Cleanup {
    const std::string& path;
    const bool& renamed;
    ~Cleanup() {
      if (!renamed) ::unlink(path.c_str());
    }
  } cleanup{temp, renamed};
  // Root replacing another user's file (sudo heraldctl connect over the
  // daemon's credentials) keeps that owner: a file the daemon may no longer
  // read would leave it sending the old token.
  struct stat old {};
  if (::geteuid() == 0 && ::stat(file.c_str(), &old) == 0 && old.st_uid != 0 &&
      ::fchown(fd.get(), old.st_uid, group ? *group : old.st_gid) != 0) {
    return Failed(ErrorCode::kPermissionDenied, "keep owner " + std::to_string(old.st_uid) + " of",
                  file, errno);
  }
  if (group && ::fchown(fd.get(), static_cast<uid_t>(-1), *group) != 0) {
    return Failed(ErrorCode::kPermissionDenied, "give group " + std::to_string(*group) + " to",
                  file, errno);
  }
  if (::fchmod(fd.get(), mode) != 0) {
    return Failed(ErrorCode::kIo, "set mode " + Octal(mode) + " for", file, errno);
  }
  if (Status written = write(fd.get()); !written.ok()) {
    return Error(ErrorCode::kIo,
                 "cannot write " + file.string() + ": " + written.error().message());
  }
  if (::fsync(fd.get()) != 0) return Failed(ErrorCode::kIo, "fsync the new", file, errno);
  if (::rename(temp.c_str(), file.c_str()) != 0)
    return Failed(ErrorCode::kIo, "replace", file, errno);
  renamed = true;
  Replaced out;
  UniqueFd dir(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir.valid() || ::fsync(dir.get()) != 0) {
    out.warning = file.string() + " was replaced, but the fsync of " + folder.string() +
                  " failed (" + std::strerror(errno) + "); the change may not survive a power loss";
  }
  return out;
}

Result<FileLock> FileLock::Acquire(const fs::path& file, bool create, mode_t mode) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    UniqueFd fd;
    if (create) {
      auto opened = OpenWithMode(file, O_RDONLY, mode);
      if (!opened.ok()) return opened.error();
      fd = std::move(*opened);
    } else {
      fd.reset(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
      if (!fd.valid()) {
        return Failed(errno == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIo, "open", file, errno);
      }
    }
    int rc;
    do {
      rc = ::flock(fd.get(), LOCK_EX);
    } while (rc != 0 && errno == EINTR);
    if (rc != 0) return Failed(ErrorCode::kIo, "lock", file, errno);
    struct stat held {};
    struct stat now {};
    if (::fstat(fd.get(), &held) != 0) return Failed(ErrorCode::kIo, "examine", file, errno);
    if (::stat(file.c_str(), &now) == 0 && now.st_dev == held.st_dev && now.st_ino == held.st_ino) {
      return FileLock(std::move(fd));
    }
    // Replaced (or removed) while we waited: lock what the name holds now.
  }
  return Error(ErrorCode::kUnavailable,
               "cannot lock " + file.string() + ": it keeps being replaced by other writers");
}

}  // namespace herald
