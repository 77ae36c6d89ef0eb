#include "sandbox/store.h"

namespace herald::sandbox {

const char* ContainerStateName(ContainerState state) {
  switch (state) {
    case ContainerState::kInProgress:
      return "IN_PROGRESS";
    case ContainerState::kFinished:
      return "FINISHED";
    case ContainerState::kError:
      return "ERROR";
    case ContainerState::kExpired:
      return "EXPIRED";
    case ContainerState::kPublished:
      return "PUBLISHED";
  }
  return "ERROR";
}

Store::Store(const SandboxConfig& config) : config_(config) {}

TokenCheck Store::CheckToken(const std::string& token, const std::string& account_id,
                             TimePoint now) const {
  if (token.empty()) return TokenCheck::kUnknown;
  for (const AccountConfig& account : config_.accounts) {
    for (const TokenConfig& configured : account.tokens) {
      if (configured.value != token) continue;
      if (configured.expired) return TokenCheck::kExpired;
      return account.id == account_id ? TokenCheck::kValid : TokenCheck::kOtherAccount;
    }
  }
  auto it = issued_tokens.find(token);
  if (it == issued_tokens.end()) return TokenCheck::kUnknown;
  if (now >= it->second.expires_at) return TokenCheck::kExpired;
  bool mine = it->second.account_id == account_id ||
              (!it->second.linked_account_id.empty() && it->second.linked_account_id == account_id);
  return mine ? TokenCheck::kValid : TokenCheck::kOtherAccount;
}

std::string Store::AccountOfToken(const std::string& token) const {
  for (const AccountConfig& account : config_.accounts) {
    for (const TokenConfig& configured : account.tokens) {
      if (configured.value == token) return account.id;
    }
  }
  auto it = issued_tokens.find(token);
  return it == issued_tokens.end() ? std::string() : it->second.account_id;
}

bool Store::IsInstagramLoginToken(const std::string& token) const {
  for (const AccountConfig& account : config_.accounts) {
    for (const TokenConfig& configured : account.tokens) {
      if (configured.value == token) return configured.instagram_login;
    }
  }
  auto it = issued_tokens.find(token);
  return it != issued_tokens.end() && it->second.instagram_login;
}

std::string Store::NextNumericId(int digits) {
  ++counter_;
  std::string suffix = std::to_string(counter_);
  std::string id = "1";
  id.append(static_cast<size_t>(digits) - 1 - suffix.size(), '0');
  return id + suffix;
}

std::string Store::NextVideoId() {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  uint64_t value = (++counter_) * 0x9E3779B97F4A7C15ULL ^ config_.seed;
  std::string id;
  for (int i = 0; i < 11; ++i) {
    id.push_back(kAlphabet[value & 63]);
    value = (value >> 6) | (value << 58);
  }
  return id;
}

std::string Store::NextOpaque(const std::string& prefix) {
  return prefix + NextVideoId() + std::to_string(counter_);
}

void Store::AddPost(Post post) {
  order_[post.account_id].push_back(post.id);
  std::string id = post.id;
  posts_[id] = std::move(post);
}

const Post* Store::FindPost(const std::string& id) const {
  auto it = posts_.find(id);
  return it == posts_.end() ? nullptr : &it->second;
}

Post* Store::FindPost(const std::string& id) {
  auto it = posts_.find(id);
  return it == posts_.end() ? nullptr : &it->second;
}

std::vector<const Post*> Store::PostsOf(const std::string& account_id) const {
  std::vector<const Post*> out;
  auto it = order_.find(account_id);
  if (it == order_.end()) return out;
  for (auto id = it->second.rbegin(); id != it->second.rend(); ++id) out.push_back(FindPost(*id));
  return out;
}

}  // namespace herald::sandbox
