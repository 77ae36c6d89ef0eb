// CredentialStore: the daemon's secrets (tokens, refresh tokens, app secrets),
// read from a separate YAML file that maps a credentials reference (the
// `credentials:` of an account, usually its "platform/name") to key: value
// strings. The file must be a regular file of mode 0600 or 0400 (no group or
// other bit) owned by the daemon's effective user, else Open refuses and says
// why. The file is the admin's: heraldctl connect writes it; the daemon only
// reads it, so it may live in a read-only place (/etc/herald under
// ProtectSystem=strict).
//
// Tokens a connector refreshes go to a second file, the refreshed layer, in
// the state directory (credentials.refreshed.yaml, 0600). Each of its entries
// records which version of the admin's entry it was refreshed from (a SHA-256
// of that entry), and its keys win over the admin's only while that entry is
// unchanged: a new `heraldctl connect` makes the layer's stale tokens
// vanish, with no one having to delete them.
//
// Writers take turns: each holds an flock(2) on the file it replaces
// (FileLock), reads it again under the lock and changes only its own entry
// or key, so two writers (two heraldctl connect, or a connect and a running
// daemon's refresh) never erase each other's work. Readers see both files
// as they are now: a lookup reloads a file that changed on disk.
//
// Secrets never appear in an error message or in ToString(). Every write is
// ReplaceFile's: an error means the file is unchanged, and then so is this
// object's view.
//
// Thread-safety: every member may be called from any thread concurrently
// (one internal mutex).
#pragma once

#include <sys/types.h>

#include <cstdint>

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
  // (pass geteuid()), and the refreshed layer `refreshed` when given (a
  // missing one is empty; it is created on the first Store). kPermissionDenied
  // for a bad mode or owner, kIo when a file cannot be read, kInvalidArgument
  // (with file:line:col) when malformed. Without a layer, Store writes into
  // `file` itself (heraldctl and the tests' connector driver).
  static Result<std::unique_ptr<CredentialStore>> Open(const std::filesystem::path& file,
                                                       uid_t expected_owner,
                                                       std::filesystem::path refreshed = {});

  // Where the daemon keeps refreshed tokens for its state directory.
  static std::filesystem::path RefreshedLayerIn(const std::filesystem::path& state_dir);

  CredentialStore(const CredentialStore&) = delete;
  CredentialStore& operator=(const CredentialStore&) = delete;

  // The value of `key` for credentials reference `account`; kNotFound if absent.
  Result<std::string> Get(const std::string& account, const std::string& key) const;

  // A value and the version of the admin's entry it belongs to (pass it back
  // to Store, so a refresh derived from an entry since replaced is refused).
  struct Secret {
    std::string value;
    std::string origin;
  };
  Result<Secret> Lookup(const std::string& account, const std::string& key) const;

  // True when `account` has an entry (with any keys).
  bool HasAccount(const std::string& account) const;

  // Sets `key` of `account` to `value` (in the refreshed layer when there is
  // one) and makes it durable before returning. Refuses an empty value
  // (kInvalidArgument): a connector that lost its token must not wipe the
  // stored one. With a non-empty `*origin` (from Lookup), refuses
  // (kFailedPrecondition) when the admin's entry changed since: the refresh
  // belongs to credentials that were replaced; on success `*origin` is what
  // the next Store of the same refresh must pass (it changes when there is
  // no layer and the entry itself was written). On failure the files and
  // memory are unchanged. `warning`, when given, receives a durability doubt
  // about a write that did happen (the folder's fsync failed).
  Status Store(const std::string& account, const std::string& key, const std::string& value,
               std::string* origin = nullptr, std::string* warning = nullptr);

  // Replaces the whole entry of `account` in the admin's file (creating it
  // when absent) by `keys`, in one atomic write under the file's lock, so a
  // new connection leaves no stale key behind and no other entry is lost.
  // Refuses an empty key set or any empty value (kInvalidArgument). On
  // failure the file and memory are unchanged.
  Status ReplaceAccount(const std::string& account, const std::map<std::string, std::string>& keys,
                        std::string* warning = nullptr);

  // Reads both files again now, changed on disk or not (heraldd does on
  // SIGHUP, when the file changes and before an account paused for expired
  // credentials is resumed). An error (a refused mode or owner, a malformed
  // or unreadable file) keeps the last good view, is returned, and Problem()
  // says it until a read succeeds.
  Status Reload();
  // Why the view is older than the files on disk: the last re-read that
  // failed (Reload's or a lookup's); "" when the view is current.
  std::string Problem() const;

  // "credentials <file>: facebook/x {access_token: <redacted>, ...}".
  std::string ToString() const;

 private:
  using Keys = std::map<std::string, std::string>;
  using Entries = std::map<std::string, Keys>;
  struct Layered {
    std::string from;  // the admin's entry it was refreshed from (Origin)
    Keys keys;
  };
  using Layer = std::map<std::string, Layered>;
  struct Stamp {  // what a file was when read; a change means "read it again"
    std::uint64_t inode = 0;
    std::int64_t size = -1;
    std::int64_t mtime_ns = 0;
    bool operator==(const Stamp&) const = default;
  };

  CredentialStore(std::filesystem::path file, uid_t owner, std::filesystem::path refreshed);
  Status ReadFile() const REQUIRES(mu_);
  Status ReadLayer() const REQUIRES(mu_);
  void Refresh() const REQUIRES(mu_);  // reloads what changed on disk
  Result<std::string> LookupLocked(const std::string& account, const std::string& key,
                                   std::string* origin) const REQUIRES(mu_);

  const std::filesystem::path file_;
  const uid_t owner_;
  const std::filesystem::path refreshed_;  // empty: no layer
  mutable Mutex mu_;
  mutable Entries entries_ GUARDED_BY(mu_);
  mutable Layer layer_ GUARDED_BY(mu_);
  mutable Stamp file_stamp_ GUARDED_BY(mu_);
  mutable Stamp layer_stamp_ GUARDED_BY(mu_);
  mutable std::string problem_ GUARDED_BY(mu_);
};

// Checks that every account of `config` that names credentials finds an entry
// in `store`; kInvalidArgument listing each account whose entry is missing, so
// the daemon can refuse to start and say why. Any thread.
Status VerifyCredentialReferences(const Config& config, const CredentialStore& store);

}  // namespace herald::config
