// Confined opening: how heraldd reads a file that someone less trusted than
// the daemon named, such as a marketer naming media, audiences and covers in
// a calendar. The file is opened beneath its folder's directory descriptor in
// one resolution that follows no symbolic link and never climbs out:
// openat2(2) with RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS where the kernel has
// it, else one openat(O_NOFOLLOW) per path component from the folder down.
// Only a regular file with a single name (one hard link) is accepted, and a
// FIFO never blocks the caller (O_NONBLOCK). What is read afterwards is read
// from the descriptor, never again by name, so swapping the file for a link
// after it was checked changes nothing: the check and the use are one open.
//
// The folder itself is the admin's (a configured calendar folder) and is
// opened by OpenDirectory, which does follow links.
//
// Errors are values. Their message is a clause meant to follow the file's
// name as the caller shows it ("media file `a.jpg` " + message), and their
// code says what happened: kNotFound (missing), kInvalidArgument (refused by
// the confinement: absolute, outside, a link, not a regular file, hard
// linked), kPermissionDenied, kIo. Stateless; any thread.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/unique_fd.h"

namespace herald {

// What identifies a file's content without reading it: a change of any field
// means the file is not the one that was checked.
struct FileIdentity {
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  std::int64_t size = 0;
  std::int64_t mtime_ns = 0;
  bool operator==(const FileIdentity&) const = default;
};

FileIdentity IdentityOf(const struct stat& st);

// A file as it was checked: where to open it again (OpenBeneath(root,
// relative)) and what it was then. Calendars' media and covers travel to the
// dispatcher this way, in the job's payload.
struct FileRef {
  std::string root;      // the trusted folder (a calendar's folder)
  std::string relative;  // beneath it, normalized
  FileIdentity identity;
  bool empty() const { return relative.empty(); }
};

struct ConfinedFile {
  UniqueFd fd;  // O_RDONLY | O_CLOEXEC; read it with pread
  FileIdentity identity;
};

struct ConfinedOptions {
  // How the folder is named in messages ("leads outside the calendar's folder").
  std::string_view folder = "the folder";
  // Tests force the per-component walk (the path taken when openat2 is missing).
  bool force_component_walk = false;
};

// Opens the trusted directory `path` (links followed) for OpenBeneath.
Result<UniqueFd> OpenDirectory(const std::string& path);

// Opens `relative` beneath the directory `dir_fd`, as described above.
Result<ConfinedFile> OpenBeneath(int dir_fd, std::string_view relative,
                                 const ConfinedOptions& options = {});

// OpenDirectory(root) and OpenBeneath in one call.
Result<ConfinedFile> OpenBeneath(const std::string& root, std::string_view relative,
                                 const ConfinedOptions& options = {});

// `relative` with "." and empty components dropped and ".." applied, as
// OpenBeneath resolves it; empty when it is absolute or climbs out.
std::string NormalizeRelative(std::string_view relative);

// The whole content of `fd` from offset 0 (pread; the descriptor's offset is
// untouched). kInvalidArgument when it holds more than `max_bytes`.
Result<std::string> ReadAll(int fd, std::size_t max_bytes);

// True when this kernel answers openat2(2); false means OpenBeneath walks the
// path one component at a time.
bool KernelHasOpenat2();

}  // namespace herald
