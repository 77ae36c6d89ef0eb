#include "config/credential_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <openssl/evp.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

#include "common/confined_file.h"
#include "common/private_file.h"

namespace herald::config {
namespace {

namespace fs = std::filesystem;

std::string Octal(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

std::string Where(const fs::path& file, const YAML::Mark& mark) {
  return file.string() + ":" + std::to_string(mark.line + 1) + ":" +
         std::to_string(mark.column + 1) + ": error: ";
}

// The text of a private file: regular, no group or other bit, owned by
// `owner`. kNotFound when it is missing.
Result<std::string> ReadPrivate(const fs::path& file, uid_t owner, const char* what) {
  UniqueFd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (!fd.valid()) {
    return Error(
        errno == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIo,
        std::string("cannot open ") + what + " " + file.string() + ": " + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    return Error(ErrorCode::kIo, std::string("cannot stat ") + what + " " + file.string() + ": " +
                                     std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    return Error(ErrorCode::kPermissionDenied,
                 std::string(what) + " " + file.string() + " is not a regular file");
  }
  if ((st.st_mode & 077) != 0) {
    return Error(ErrorCode::kPermissionDenied,
                 std::string(what) + " " + file.string() + " has mode " + Octal(st.st_mode) +
                     "; it must not be readable or writable by group or others (run: chmod 600 " +
                     file.string() + ")");
  }
  if (st.st_uid != owner) {
    return Error(ErrorCode::kPermissionDenied,
                 std::string(what) + " " + file.string() + " is owned by uid " +
                     std::to_string(st.st_uid) + " but the daemon runs as uid " +
                     std::to_string(owner) + " (run: chown " + std::to_string(owner) + " " +
                     file.string() + ")");
  }
  auto text = ReadAll(fd.get(), 16u << 20);
  if (!text.ok()) {
    return Error(ErrorCode::kIo,
                 std::string(what) + " " + file.string() + " " + text.error().message());
  }
  return std::move(*text);
}

// key: value maps under `node`; problems reported by position and key name,
// never with a value.
using Keys = std::map<std::string, std::string>;
template <class Report>
Keys ReadKeys(const YAML::Node& node, const std::string& name, Report& report) {
  Keys keys;
  if (!node.IsMap()) {
    report(node.Mark(), "'" + name + "' must map key names to values");
    return keys;
  }
  for (const auto& item : node) {
    const std::string key = item.first.Scalar();
    if (!item.second.IsScalar() || item.second.Scalar().empty()) {
      report(item.second.Mark(), "'" + key + "' of '" + name + "' must be a non-empty string");
      continue;
    }
    keys[key] = item.second.Scalar();
  }
  return keys;
}

// Parses `text` of `file`: calls `entry(name, node, report)` for each top-level entry.
template <class Entry>
Status ParseYaml(const fs::path& file, const std::string& text, Entry entry) {
  std::string problems;
  auto report = [&](const YAML::Mark& mark, const std::string& message) {
    if (!problems.empty()) problems += '\n';
    problems += Where(file, mark) + message;
  };
  try {
    YAML::Node root = YAML::Load(text);
    if (root.IsMap()) {
      for (const auto& account : root) entry(account.first.Scalar(), account.second, report);
    } else if (root.IsDefined() && !root.IsNull()) {
      report(root.Mark(), "the file must map credentials references to their keys");
    }
  } catch (const YAML::Exception& e) {
    // e.msg is yaml-cpp's generic description, never the offending text.
    report(e.mark, "not valid YAML: " + e.msg);
  }
  if (!problems.empty()) return Error(ErrorCode::kInvalidArgument, problems);
  return Status::Ok();
}

void EmitKeys(YAML::Emitter& out, const Keys& keys) {
  out << YAML::BeginMap;
  for (const auto& [key, value] : keys) {
    out << YAML::Key << key << YAML::Value << YAML::DoubleQuoted << value;
  }
  out << YAML::EndMap;
}

// The admin's file as text.
std::string EntriesText(const std::map<std::string, Keys>& entries) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  for (const auto& [name, keys] : entries) {
    out << YAML::Key << name << YAML::Value;
    EmitKeys(out, keys);
  }
  out << YAML::EndMap;
  return std::string("# herald credentials: keep mode 0600, owned by the daemon's user.\n") +
         out.c_str() + "\n";
}

// Which version of an admin's entry this is: SHA-256 over its sorted keys
// and values. A digest of high-entropy secrets, kept in a 0600 file.
std::string OriginOf(const Keys& keys) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr) return {};
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  for (const auto& [key, value] : keys) {
    EVP_DigestUpdate(ctx, key.data(), key.size() + 1);  // with the NUL: no ambiguity
    EVP_DigestUpdate(ctx, value.data(), value.size() + 1);
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, md, &len);
  EVP_MD_CTX_free(ctx);
  static const char* kDigits = "0123456789abcdef";
  std::string hex;
  for (unsigned i = 0; i < len; ++i) {
    hex.push_back(kDigits[md[i] >> 4]);
    hex.push_back(kDigits[md[i] & 15]);
  }
  return hex;
}

template <class Stamp>
Stamp StampOf(const fs::path& file) {
  Stamp s;
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) return s;
  s.inode = static_cast<std::uint64_t>(st.st_ino);
  s.size = static_cast<std::int64_t>(st.st_size);
  s.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  return s;
}

Status CheckValue(const std::string& account, const std::string& key, const std::string& value) {
  if (account.empty() || key.empty()) {
    return Error(ErrorCode::kInvalidArgument, "credentials reference and key must not be empty");
  }
  if (value.empty()) {
    return Error(ErrorCode::kInvalidArgument,
                 "refusing to store an empty '" + key + "' for '" + account + "'");
  }
  return Status::Ok();
}

}  // namespace

CredentialStore::CredentialStore(fs::path file, uid_t owner, fs::path refreshed)
    : file_(std::move(file)), owner_(owner), refreshed_(std::move(refreshed)) {}

fs::path CredentialStore::RefreshedLayerIn(const fs::path& state_dir) {
  return state_dir / "credentials.refreshed.yaml";
}

Status CredentialStore::ReadFile() const {
  auto text = ReadPrivate(file_, owner_, "credentials file");
  if (!text.ok()) return text.error();
  Entries entries;
  Status parsed =
      ParseYaml(file_, *text, [&](const std::string& name, const YAML::Node& node, auto& report) {
        entries[name] = ReadKeys(node, name, report);
      });
  if (!parsed.ok()) return parsed;
  entries_ = std::move(entries);
  file_stamp_ = StampOf<Stamp>(file_);
  return Status::Ok();
}

Status CredentialStore::ReadLayer() const {
  if (refreshed_.empty()) return Status::Ok();
  auto text = ReadPrivate(refreshed_, owner_, "refreshed credentials file");
  if (!text.ok() && text.error().code() == ErrorCode::kNotFound) {
    layer_.clear();
    layer_stamp_ = Stamp{};
    return Status::Ok();
  }
  if (!text.ok()) return text.error();
  Layer layer;
  Status parsed = ParseYaml(
      refreshed_, *text, [&](const std::string& name, const YAML::Node& node, auto& report) {
        if (!node.IsMap() || !node["from"] || !node["from"].IsScalar() || !node["keys"]) {
          report(node.Mark(), "'" + name + "' must have `from` and `keys`");
          return;
        }
        layer[name] = {node["from"].Scalar(), ReadKeys(node["keys"], name, report)};
      });
  if (!parsed.ok()) return parsed;
  layer_ = std::move(layer);
  layer_stamp_ = StampOf<Stamp>(refreshed_);
  return Status::Ok();
}

void CredentialStore::Refresh() const {
  // A file that cannot be read again (mid-edit, malformed, a refused owner)
  // keeps its last good view, and Problem() says why.
  Status file = StampOf<Stamp>(file_) == file_stamp_ ? Status::Ok() : ReadFile();
  Status layer =
      refreshed_.empty() || StampOf<Stamp>(refreshed_) == layer_stamp_ ? Status::Ok() : ReadLayer();
  if (!file.ok()) {
    problem_ = file.error().message();
  } else if (!layer.ok()) {
    problem_ = layer.error().message();
  } else if (StampOf<Stamp>(file_) == file_stamp_) {
    problem_.clear();
  }
}

Status CredentialStore::Reload() {
  MutexLock lock(mu_);
  Status file = ReadFile();
  Status layer = file.ok() ? ReadLayer() : Status::Ok();
  Status result = !file.ok() ? file : layer;
  problem_ = result.ok() ? std::string() : result.error().message();
  return result;
}

std::string CredentialStore::Problem() const {
  MutexLock lock(mu_);
  Refresh();
  return problem_;
}

Result<std::unique_ptr<CredentialStore>> CredentialStore::Open(const fs::path& file,
                                                               uid_t expected_owner,
                                                               fs::path refreshed) {
  std::unique_ptr<CredentialStore> store(
      new CredentialStore(file, expected_owner, std::move(refreshed)));
  MutexLock lock(store->mu_);
  if (Status read = store->ReadFile(); !read.ok()) {
    if (read.error().code() == ErrorCode::kNotFound) {
      return Error(ErrorCode::kIo, read.error().message());
    }
    return read.error();
  }
  if (Status layer = store->ReadLayer(); !layer.ok()) return layer.error();
  return store;
}

Result<std::string> CredentialStore::LookupLocked(const std::string& account,
                                                  const std::string& key,
                                                  std::string* origin) const {
  Refresh();
  auto it = entries_.find(account);
  if (it == entries_.end()) {
    return Error(ErrorCode::kNotFound, "no credentials for '" + account + "' in " + file_.string());
  }
  const std::string from = OriginOf(it->second);
  if (origin) *origin = from;
  if (auto layered = layer_.find(account);
      layered != layer_.end() && layered->second.from == from) {
    if (auto v = layered->second.keys.find(key); v != layered->second.keys.end()) return v->second;
  }
  auto value = it->second.find(key);
  if (value == it->second.end()) {
    return Error(ErrorCode::kNotFound,
                 "no '" + key + "' in the credentials of '" + account + "' in " + file_.string());
  }
  return value->second;
}

Result<std::string> CredentialStore::Get(const std::string& account, const std::string& key) const {
  MutexLock lock(mu_);
  return LookupLocked(account, key, nullptr);
}

Result<CredentialStore::Secret> CredentialStore::Lookup(const std::string& account,
                                                        const std::string& key) const {
  MutexLock lock(mu_);
  Secret secret;
  auto value = LookupLocked(account, key, &secret.origin);
  if (!value.ok()) return value.error();
  secret.value = std::move(*value);
  return secret;
}

bool CredentialStore::HasAccount(const std::string& account) const {
  MutexLock lock(mu_);
  Refresh();
  return entries_.count(account) != 0;
}

Status CredentialStore::Store(const std::string& account, const std::string& key,
                              const std::string& value, std::string* origin, std::string* warning) {
  if (Status ok = CheckValue(account, key, value); !ok.ok()) return ok;
  MutexLock lock(mu_);
  const fs::path& target = refreshed_.empty() ? file_ : refreshed_;
  auto held = FileLock::Acquire(target, /*create=*/!refreshed_.empty(), 0600);
  if (!held.ok()) {
    return Error(ErrorCode::kIo,
                 "cannot update " + target.string() + ": " + held.error().message());
  }
  // Under the lock: what both files hold now, not what this process read before.
  if (Status read = ReadFile(); !read.ok()) return read;
  if (Status read = ReadLayer(); !read.ok()) return read;
  const auto entry = entries_.find(account);
  const std::string now_from = entry == entries_.end() ? std::string() : OriginOf(entry->second);
  if (origin != nullptr && !origin->empty() && *origin != now_from) {
    return Error(ErrorCode::kFailedPrecondition,
                 "the credentials of '" + account + "' in " + file_.string() + " changed while '" +
                     key + "' was refreshed; the new credentials are used from the next attempt");
  }
  Result<Replaced> written = Error(ErrorCode::kInternal, "");
  if (refreshed_.empty()) {
    Entries updated = entries_;
    updated[account][key] = value;
    written = ReplaceFile(file_, EntriesText(updated), 0600);
    if (!written.ok()) return Error(ErrorCode::kIo, written.error().message());
    if (origin != nullptr) *origin = OriginOf(updated[account]);
    entries_ = std::move(updated);
    file_stamp_ = StampOf<Stamp>(file_);
  } else {
    if (entry == entries_.end()) {
      return Error(ErrorCode::kNotFound,
                   "no credentials for '" + account + "' in " + file_.string());
    }
    Layer updated = layer_;
    Layered& layered = updated[account];
    if (layered.from != now_from) layered = {now_from, {}};  // refreshed from an older entry
    layered.keys[key] = value;
    YAML::Emitter out;
    out << YAML::BeginMap;
    for (const auto& [name, l] : updated) {
      out << YAML::Key << name << YAML::Value << YAML::BeginMap;
      out << YAML::Key << "from" << YAML::Value << l.from;
      out << YAML::Key << "keys" << YAML::Value;
      EmitKeys(out, l.keys);
      out << YAML::EndMap;
    }
    out << YAML::EndMap;
    written = ReplaceFile(
        refreshed_,
        std::string("# Tokens heraldd refreshed, layered over ") + file_.string() +
            " while its entry is the one named by `from`. Do not edit.\n" + out.c_str() + "\n",
        0600);
    if (!written.ok()) return Error(ErrorCode::kIo, written.error().message());
    layer_ = std::move(updated);
    layer_stamp_ = StampOf<Stamp>(refreshed_);
    if (origin != nullptr) *origin = now_from;
  }
  if (warning) *warning = written->warning;
  return Status::Ok();
}

Status CredentialStore::ReplaceAccount(const std::string& account, const Keys& keys,
                                       std::string* warning) {
  if (account.empty() || keys.empty()) {
    return Error(ErrorCode::kInvalidArgument, "credentials reference and keys must not be empty");
  }
  for (const auto& [key, value] : keys) {
    if (Status ok = CheckValue(account, key, value); !ok.ok()) return ok;
  }
  MutexLock lock(mu_);
  auto held = FileLock::Acquire(file_);
  if (!held.ok()) {
    return Error(ErrorCode::kIo, "cannot update " + file_.string() + ": " + held.error().message());
  }
  if (Status read = ReadFile(); !read.ok()) return read;
  Entries updated = entries_;
  updated[account] = keys;
  auto written = ReplaceFile(file_, EntriesText(updated), 0600);
  if (!written.ok()) return Error(ErrorCode::kIo, written.error().message());
  entries_ = std::move(updated);
  file_stamp_ = StampOf<Stamp>(file_);
  if (warning) *warning = written->warning;
  return Status::Ok();
}

std::string CredentialStore::ToString() const {
  MutexLock lock(mu_);
  std::string out = "credentials " + file_.string() + ":";
  for (const auto& [account, keys] : entries_) {
    out += " " + account + " {";
    bool first = true;
    for (const auto& [key, value] : keys) {
      out += (first ? "" : ", ") + key + ": <redacted>";
      first = false;
    }
    out += "}";
  }
  return out;
}

Status VerifyCredentialReferences(const Config& config, const CredentialStore& store) {
  std::string missing;
  for (const AccountConfig& account : config.accounts) {
    if (account.credentials.empty() || store.HasAccount(account.credentials)) continue;
    if (!missing.empty()) missing += '\n';
    missing += config.source.string() + ": error: account " + account.name +
               " names credentials '" + account.credentials + "', which " +
               config.credentials_file.string() + " does not have";
  }
  if (missing.empty()) return Status::Ok();
  return Error(ErrorCode::kInvalidArgument, missing);
}

}  // namespace herald::config
