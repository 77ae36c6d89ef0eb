#include "common/confined_file.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace herald {
namespace {

constexpr int kFileFlags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW;

long Openat2(int dir_fd, const char* path, int flags, std::uint64_t resolve) {
  open_how how{};
  how.flags = static_cast<std::uint64_t>(flags);
  how.resolve = resolve;
  long fd;
  do {
    fd = ::syscall(SYS_openat2, dir_fd, path, &how, sizeof how);
  } while (fd < 0 && (errno == EINTR || errno == EAGAIN));
  return fd;
}

std::string Folder(const ConfinedOptions& o) { return std::string(o.folder); }

// The path's components with "." and empty ones dropped and ".." applied;
// false when ".." climbs above the folder.
bool Normalize(std::string_view relative, std::vector<std::string>& parts) {
  while (!relative.empty()) {
    size_t slash = relative.find('/');
    std::string_view part = relative.substr(0, slash);
    relative = slash == std::string_view::npos ? std::string_view() : relative.substr(slash + 1);
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (parts.empty()) return false;
      parts.pop_back();
      continue;
    }
    parts.emplace_back(part);
  }
  return true;
}

const char* KindOf(mode_t mode) {
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  if (S_ISLNK(mode)) return "a symbolic link";
  return "not a plain file";
}

Error Refused(const std::string& clause) { return Error(ErrorCode::kInvalidArgument, clause); }

Error LinkRefused(const ConfinedOptions& o) {
  return Refused("is a symbolic link or goes through one; herald does not follow links in " +
                 Folder(o));
}

// The error for an open of `parts` that failed with `error`.
Error FromErrno(int error, const ConfinedOptions& o) {
  switch (error) {
    case ENOENT:
    case ENOTDIR:
      return Error(ErrorCode::kNotFound, "does not exist");
    case ELOOP:
      return LinkRefused(o);
    case EXDEV:
      return Refused("leads outside " + Folder(o));
    case EACCES:
    case EPERM:
      return Error(ErrorCode::kPermissionDenied,
                   "cannot be read by heraldd (permission denied); make it readable by the "
                   "daemon's user");
    case ENXIO:
    case ENODEV:
      return Refused("is not a regular file");
    default:
      return Error(ErrorCode::kIo, std::string("cannot be opened: ") + std::strerror(error));
  }
}

// One openat per component, none followed if it is a link.
Result<UniqueFd> WalkComponents(int dir_fd, const std::vector<std::string>& parts,
                                const ConfinedOptions& o) {
  UniqueFd holder;
  int current = dir_fd;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    int next = ::openat(current, parts[i].c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (next < 0) {
      int error = errno;
      struct stat st {};
      if (::fstatat(current, parts[i].c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
          S_ISLNK(st.st_mode)) {
        return LinkRefused(o);
      }
      return FromErrno(error, o);
    }
    holder.reset(next);
    current = next;
  }
  int fd;
  do {
    fd = ::openat(current, parts.back().c_str(), kFileFlags);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) return FromErrno(errno, o);
  return UniqueFd(fd);
}

}  // namespace

FileIdentity IdentityOf(const struct stat& st) {
  FileIdentity id;
  id.device = static_cast<std::uint64_t>(st.st_dev);
  id.inode = static_cast<std::uint64_t>(st.st_ino);
  id.size = static_cast<std::int64_t>(st.st_size);
  id.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  return id;
}

bool KernelHasOpenat2() {
  static const bool available = [] {
    long fd = Openat2(AT_FDCWD, "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
    if (fd >= 0) {
      ::close(static_cast<int>(fd));
      return true;
    }
    return false;  // ENOSYS (old kernel) or EPERM (a seccomp filter that predates it)
  }();
  return available;
}

Result<UniqueFd> OpenDirectory(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    int error = errno;
    if (error == ENOENT || error == ENOTDIR) {
      return Error(ErrorCode::kNotFound, "folder `" + path + "` does not exist");
    }
    return Error(error == EACCES ? ErrorCode::kPermissionDenied : ErrorCode::kIo,
                 "cannot open the folder `" + path + "`: " + std::strerror(error));
  }
  return UniqueFd(fd);
}

Result<ConfinedFile> OpenBeneath(int dir_fd, std::string_view relative,
                                 const ConfinedOptions& options) {
  if (relative.empty()) return Refused("is an empty path");
  if (relative.front() == '/') {
    return Refused("must be relative to " + Folder(options) + ", not absolute");
  }
  if (relative.find('\0') != std::string_view::npos) return Refused("contains a NUL byte");
  std::vector<std::string> parts;
  if (!Normalize(relative, parts)) return Refused("leads outside " + Folder(options));
  if (parts.empty()) return Refused("is " + Folder(options) + " itself, not a file in it");

  UniqueFd fd;
  if (!options.force_component_walk && KernelHasOpenat2()) {
    std::string path;
    for (const std::string& p : parts) path += (path.empty() ? "" : "/") + p;
    long raw = Openat2(dir_fd, path.c_str(), kFileFlags,
                       RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
    if (raw < 0) return FromErrno(errno, options);
    fd.reset(static_cast<int>(raw));
  } else {
    auto walked = WalkComponents(dir_fd, parts, options);
    if (!walked.ok()) return walked.error();
    fd = std::move(*walked);
  }

  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    return Error(ErrorCode::kIo, std::string("cannot be examined: ") + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    return Refused(std::string("is ") + KindOf(st.st_mode) + ", not a regular file");
  }
  if (st.st_nlink != 1) {
    return Refused("has " + std::to_string(st.st_nlink) +
                   " hard links; herald reads only files with a single name in " + Folder(options));
  }
  // Regular files ignore O_NONBLOCK for reads; it only kept a FIFO from blocking the open.
  ConfinedFile out;
  out.identity = IdentityOf(st);
  out.fd = std::move(fd);
  return out;
}

std::string NormalizeRelative(std::string_view relative) {
  std::vector<std::string> parts;
  if (relative.empty() || relative.front() == '/' || !Normalize(relative, parts)) return {};
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : "/") + p;
  return out;
}

Result<ConfinedFile> OpenBeneath(const std::string& root, std::string_view relative,
                                 const ConfinedOptions& options) {
  auto dir = OpenDirectory(root);
  if (!dir.ok()) return dir.error();
  return OpenBeneath(dir->get(), relative, options);
}

Result<std::string> ReadAll(int fd, std::size_t max_bytes) {
  std::string out;
  char buffer[1 << 16];
  for (;;) {
    ssize_t n = ::pread(fd, buffer, sizeof buffer, static_cast<off_t>(out.size()));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error(ErrorCode::kIo, std::string("cannot be read: ") + std::strerror(errno));
    if (n == 0) return out;
    if (out.size() + static_cast<size_t>(n) > max_bytes) {
      return Error(ErrorCode::kInvalidArgument,
                   "is larger than " + std::to_string(max_bytes) + " bytes");
    }
    out.append(buffer, static_cast<size_t>(n));
  }
}

}  // namespace herald
