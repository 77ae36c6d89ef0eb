// PeerAccess: who may use the control socket. The kernel tells us the peer's
// uid and gid (SO_PEERCRED); the configured viewers and admins (user and
// group names) decide its role. Root and the daemon's own user are always
// admin. Decide() is a pure function over resolved numbers so tests can feed
// it synthetic credentials; Resolve*() do the name-service lookups.
//
// Plain values; any thread. The lookups (getpwnam_r, getgrouplist) are
// thread-safe but may block on the name service: call them per connection,
// never on the scheduler's loop.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "config/config.h"

namespace herald::control {

enum class Role { kNone = 0, kViewer = 1, kAdmin = 2 };
const char* ToString(Role role);

// The peer as the kernel reports it, plus the groups it belongs to.
struct PeerIdentity {
  uid_t uid = 0;
  gid_t gid = 0;              // primary group
  std::vector<gid_t> groups;  // supplementary groups (may include gid)
};

// The configured access lists, with names resolved to numbers.
struct AccessRules {
  uid_t daemon_uid = 0;
  std::set<uid_t> admin_users;
  std::set<gid_t> admin_groups;
  std::set<uid_t> viewer_users;
  std::set<gid_t> viewer_groups;
};

// The strongest role `peer` holds under `rules`. Admin implies viewer.
Role Decide(const PeerIdentity& peer, const AccessRules& rules);

// Resolves the configured names. A name that does not exist is skipped and
// reported in `warnings` (a typo must not lock the admin out silently).
AccessRules ResolveRules(const config::ControlConfig& control, uid_t daemon_uid,
                         std::vector<std::string>* warnings);

// The peer's supplementary groups from the name service; just {gid} when the
// uid has no passwd entry.
PeerIdentity IdentifyPeer(uid_t uid, gid_t gid);

// RoleCache: the role of a peer (uid, primary gid), decided under `rules`
// with the name service's groups and remembered for a few seconds, so that a
// flood of connections costs no flood of lookups. Thread-safe.
class RoleCache {
 public:
  explicit RoleCache(AccessRules rules) : rules_(std::move(rules)) {}
  RoleCache(const RoleCache&) = delete;
  RoleCache& operator=(const RoleCache&) = delete;

  Role RoleOf(uid_t uid, gid_t gid);
  const AccessRules& rules() const { return rules_; }

 private:
  struct Cached {
    Role role;
    std::chrono::steady_clock::time_point until;
  };
  const AccessRules rules_;
  std::mutex mu_;
  std::map<std::pair<uid_t, gid_t>, Cached> cache_;  // guarded by mu_
};

}  // namespace herald::control
