// CredentialStore: the daemon's secrets (tokens, refresh tokens, app secrets),
// read from a separate YAML file that maps a credentials reference (the
// `credentials:` of an account, usually its "platform/name") to key: value
// strings. The file must be a regular file of mode 0600 (no group or other bit)
// owned by the daemon's effective user, else Open refuses and says why.
//
// Secrets never appear in an error message or in ToString(). Store() writes a
// refreshed value by replacing the whole file atomically (temporary file of
// mode 0600, fsync, rename, fsync of the folder).
//
// Thread-safety: every member may be called from any thread concurrently
// (one internal mutex).
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/mutex.h"
#include "common/result.h"
#include "config/config.h"

namespace herald::config {

class CredentialStore {
 public:
  // Reads `file`, checking its mode and that its owner is `expected_owner`
  // (pass geteuid()). kPermissionDenied for a bad mode or owner, kIo when it
  // cannot be read, kInvalidArgument (with file:line:col) when malformed.
  static Result<std::unique_ptr<CredentialStore>> Open(const std::filesystem::path& file,
                                                       uid_t expected_owner);

  CredentialStore(const CredentialStore&) = delete;
  CredentialStore& operator=(const CredentialStore&) = delete;

  // The value of `key` for credentials reference `account`; kNotFound if absent.
  Result<std::string> Get(const std::string& account, const std::string& key) const;

  // True when `account` has an entry (with any keys).
  bool HasAccount(const std::string& account) const;

  // Sets `key` of `account` to `value` and makes it durable before returning.
  // Refuses an empty value (kInvalidArgument): a connector that lost its token
  // must not wipe the stored one. On failure the file and memory are unchanged.
  Status Store(const std::string& account, const std::string& key, const std::string& value);

  // Replaces the whole entry of `account` (creating it when absent) by `keys`,
  // in one atomic write, so a new connection leaves no stale key behind.
  // Refuses an empty key set or any empty value (kInvalidArgument). On failure
  // the file and memory are unchanged.
  Status ReplaceAccount(const std::string& account, const std::map<std::string, std::string>& keys);

  // "credentials <file>: facebook/x {access_token: <redacted>, ...}".
  std::string ToString() const;

 private:
  using Entries = std::map<std::string, std::map<std::string, std::string>>;
  CredentialStore(std::filesystem::path file, Entries entries);
  Status WriteAtomically(const Entries& entries) const REQUIRES(mu_);

  const std::filesystem::path file_;
  mutable Mutex mu_;
  Entries entries_ GUARDED_BY(mu_);
};

// Checks that every account of `config` that names credentials finds an entry
// in `store`; kInvalidArgument listing each account whose entry is missing, so
// the daemon can refuse to start and say why. Any thread.
Status VerifyCredentialReferences(const Config& config, const CredentialStore& store);

}  // namespace herald::config
