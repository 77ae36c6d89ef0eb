// SocketFile: creates the control socket's listening file descriptor the way
// an admin expects (Docker's, HAProxy's sockets): created under a tight umask,
// then chmod 0660 and chgrp to the configured group. A leftover socket from a
// dead daemon (nothing accepts on it) is replaced; a live one is refused with
// a message that says so. The parent directory must already exist (systemd's
// RuntimeDirectory, or $XDG_RUNTIME_DIR).
//
// Ownership: the returned descriptor is the caller's (close it, or hand it to
// an acceptor). Any thread; touches the file system only.
#pragma once

#include <filesystem>
#include <string>

#include "common/result.h"

namespace herald::control {

struct SocketFileOptions {
  std::filesystem::path path;
  std::string group;  // empty: leave the daemon's group
  int backlog = 128;
};

// A listening, non-blocking, close-on-exec AF_UNIX stream socket bound to
// options.path. Errors: kAlreadyExists (a daemon answers there),
// kInvalidArgument (path too long, not a socket in the way, unknown group),
// kIo (any system call failed).
Result<int> CreateListeningSocket(const SocketFileOptions& options);

// Removes the socket file at `path` if it is a socket (at shutdown).
void RemoveSocketFile(const std::filesystem::path& path);

}  // namespace herald::control
