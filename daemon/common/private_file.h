// Files heraldd and heraldctl write, with the mode they must have whatever
// the caller's umask: the journal and its lock, the media salt, credentials,
// staged media, exported previews. One place for how a file is created, how
// it is replaced atomically, and how writers of one file take turns.
//
// Stateless functions; any thread. FileLock is move-only and owned by one
// thread at a time.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "common/unique_fd.h"

namespace herald {

// Creates `dir` (one level; its parent must exist) with exactly `mode`, or
// leaves an existing folder as it is. Returns whether it was created.
Result<bool> MakeDirectory(const std::filesystem::path& dir, mode_t mode);

// Opens `file` with `flags` (O_CREAT is added), creating it with exactly
// `mode`; an existing file owned by the caller is set to `mode` as well, so
// a file left wider by an older version or another umask is narrowed.
Result<UniqueFd> OpenWithMode(const std::filesystem::path& file, int flags, mode_t mode);

// What ReplaceFile did once the new content was in place.
struct Replaced {
  // Empty when the rename is durable; else why it may not survive a power
  // loss (the folder's fsync failed after the rename). The new content is in
  // place either way.
  std::string warning;
};

// Replaces `file` by `data` atomically: a temporary file beside it, created
// with exactly `mode` (and group `group` when given), written and fsynced,
// then renamed over `file`, then the folder fsynced. Run as root over a file
// another user owns, the new file keeps that owner (and its group, unless
// `group` is given). The contract: an error
// means `file` was not changed; success means it holds `data`.
Result<Replaced> ReplaceFile(const std::filesystem::path& file, std::string_view data, mode_t mode,
                             std::optional<gid_t> group = std::nullopt);

// The same, with the content written by `write` into the temporary file's
// descriptor (for content too large to hold in memory).
Result<Replaced> ReplaceFileWith(const std::filesystem::path& file,
                                 const std::function<Status(int fd)>& write, mode_t mode,
                                 std::optional<gid_t> group = std::nullopt);

// Writes all of `data` to `fd` (retrying short writes).
Status WriteAll(int fd, std::string_view data);

// An exclusive flock(2) on a file that writers replace by rename: Acquire
// opens `file`, waits for the lock, and starts again when `file` was renamed
// over meanwhile (the lock was on the old inode), so the holder always locks
// the file the path names now. Read the current content only once holding
// the lock. With `create`, a missing file is created empty with `mode`.
class FileLock {
 public:
  static Result<FileLock> Acquire(const std::filesystem::path& file, bool create = false,
                                  mode_t mode = 0600);
  FileLock(FileLock&&) = default;
  FileLock& operator=(FileLock&&) = default;
  // The locked file, open read-only.
  int fd() const { return fd_.get(); }

 private:
  explicit FileLock(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;  // closing it releases the lock
};

}  // namespace herald
