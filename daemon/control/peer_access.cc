#include "control/peer_access.h"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>

namespace herald::control {

const char* ToString(Role role) {
  switch (role) {
    case Role::kNone:
      return "none";
    case Role::kViewer:
      return "viewer";
    case Role::kAdmin:
      return "admin";
  }
  return "none";
}

namespace {

bool InAnyGroup(const PeerIdentity& peer, const std::set<gid_t>& groups) {
  if (groups.count(peer.gid)) return true;
  return std::any_of(peer.groups.begin(), peer.groups.end(),
                     [&](gid_t g) { return groups.count(g) > 0; });
}

size_t BufferSize(int which) {
  long n = ::sysconf(which);
  return n > 0 ? static_cast<size_t>(n) : 16384;
}

}  // namespace

Role Decide(const PeerIdentity& peer, const AccessRules& rules) {
  if (peer.uid == 0 || peer.uid == rules.daemon_uid) return Role::kAdmin;
  if (rules.admin_users.count(peer.uid) || InAnyGroup(peer, rules.admin_groups)) {
    return Role::kAdmin;
  }
  if (rules.viewer_users.count(peer.uid) || InAnyGroup(peer, rules.viewer_groups)) {
    return Role::kViewer;
  }
  return Role::kNone;
}

namespace {

void ResolveList(const config::AccessList& list, const char* what, std::set<uid_t>& users,
                 std::set<gid_t>& groups, std::vector<std::string>* warnings) {
  for (const auto& name : list.users) {
    std::vector<char> buf(BufferSize(_SC_GETPW_R_SIZE_MAX));
    passwd pw{};
    passwd* found = nullptr;
    if (::getpwnam_r(name.c_str(), &pw, buf.data(), buf.size(), &found) == 0 && found) {
      users.insert(found->pw_uid);
    } else if (warnings) {
      warnings->push_back(std::string("control.") + what + ": no user named '" + name + "'");
    }
  }
  for (const auto& name : list.groups) {
    std::vector<char> buf(BufferSize(_SC_GETGR_R_SIZE_MAX) * 4);
    group gr{};
    group* found = nullptr;
    if (::getgrnam_r(name.c_str(), &gr, buf.data(), buf.size(), &found) == 0 && found) {
      groups.insert(found->gr_gid);
    } else if (warnings) {
      warnings->push_back(std::string("control.") + what + ": no group named '" + name + "'");
    }
  }
}

}  // namespace

AccessRules ResolveRules(const config::ControlConfig& control, uid_t daemon_uid,
                         std::vector<std::string>* warnings) {
  AccessRules rules;
  rules.daemon_uid = daemon_uid;
  ResolveList(control.admins, "admins", rules.admin_users, rules.admin_groups, warnings);
  ResolveList(control.viewers, "viewers", rules.viewer_users, rules.viewer_groups, warnings);
  return rules;
}

PeerIdentity IdentifyPeer(uid_t uid, gid_t gid) {
  PeerIdentity peer{uid, gid, {}};
  std::vector<char> buf(BufferSize(_SC_GETPW_R_SIZE_MAX));
  passwd pw{};
  passwd* found = nullptr;
  if (::getpwuid_r(uid, &pw, buf.data(), buf.size(), &found) != 0 || !found) return peer;
  int count = 32;
  std::vector<gid_t> groups(static_cast<size_t>(count));
  if (::getgrouplist(found->pw_name, gid, groups.data(), &count) < 0) {
    groups.resize(static_cast<size_t>(count));
    if (::getgrouplist(found->pw_name, gid, groups.data(), &count) < 0) return peer;
  }
  groups.resize(static_cast<size_t>(count));
  peer.groups = std::move(groups);
  return peer;
}

Role RoleCache::RoleOf(uid_t uid, gid_t gid) {
  // Root and the daemon's user need no lookup (and never wait on the name service).
  if (uid == 0 || uid == rules_.daemon_uid) return Role::kAdmin;
  auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find({uid, gid});
    if (it != cache_.end() && it->second.until > now) return it->second.role;
  }
  Role role = Decide(IdentifyPeer(uid, gid), rules_);
  std::lock_guard lock(mu_);
  if (cache_.size() > 1024) cache_.clear();
  cache_[{uid, gid}] = {role, now + std::chrono::seconds(5)};
  return role;
}

}  // namespace herald::control
