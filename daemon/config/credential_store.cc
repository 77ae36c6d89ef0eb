#include "config/credential_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

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

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

Status WriteAll(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Error(ErrorCode::kIo, std::string("write failed: ") + std::strerror(errno));
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

}  // namespace

CredentialStore::CredentialStore(fs::path file, Entries entries)
    : file_(std::move(file)), entries_(std::move(entries)) {}

Result<std::unique_ptr<CredentialStore>> CredentialStore::Open(const fs::path& file,
                                                               uid_t expected_owner) {
  Fd fd(::open(file.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    return Error(ErrorCode::kIo,
                 "cannot open credentials file " + file.string() + ": " + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    return Error(ErrorCode::kIo,
                 "cannot stat credentials file " + file.string() + ": " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    return Error(ErrorCode::kPermissionDenied,
                 "credentials file " + file.string() + " is not a regular file");
  }
  if ((st.st_mode & 077) != 0) {
    return Error(ErrorCode::kPermissionDenied,
                 "credentials file " + file.string() + " has mode " + Octal(st.st_mode) +
                     "; it must not be readable or writable by group or others (run: chmod 600 " +
                     file.string() + ")");
  }
  if (st.st_uid != expected_owner) {
    return Error(ErrorCode::kPermissionDenied,
                 "credentials file " + file.string() + " is owned by uid " +
                     std::to_string(st.st_uid) + " but the daemon runs as uid " +
                     std::to_string(expected_owner) + " (run: chown " +
                     std::to_string(expected_owner) + " " + file.string() + ")");
  }
  std::string text;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      return Error(ErrorCode::kIo,
                   "cannot read credentials file " + file.string() + ": " + std::strerror(errno));
    }
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
  }

  // Messages below never quote a value: only positions and key names.
  Entries entries;
  std::string problems;
  auto report = [&](const YAML::Mark& mark, const std::string& message) {
    if (!problems.empty()) problems += '\n';
    problems += Where(file, mark) + message;
  };
  try {
    YAML::Node root = YAML::Load(text);
    if (root.IsMap()) {
      for (const auto& account : root) {
        const std::string name = account.first.Scalar();
        if (!account.second.IsMap()) {
          report(account.second.Mark(), "'" + name + "' must map key names to values");
          continue;
        }
        auto& keys = entries[name];
        for (const auto& item : account.second) {
          const std::string key = item.first.Scalar();
          if (!item.second.IsScalar() || item.second.Scalar().empty()) {
            report(item.second.Mark(),
                   "'" + key + "' of '" + name + "' must be a non-empty string");
            continue;
          }
          keys[key] = item.second.Scalar();
        }
      }
    } else if (root.IsDefined() && !root.IsNull()) {
      report(root.Mark(), "the file must map credentials references to their keys");
    }
  } catch (const YAML::Exception& e) {
    // e.msg is yaml-cpp's generic description, never the offending text.
    report(e.mark, "not valid YAML: " + e.msg);
  }
  if (!problems.empty()) return Error(ErrorCode::kInvalidArgument, problems);
  return std::unique_ptr<CredentialStore>(new CredentialStore(file, std::move(entries)));
}

Result<std::string> CredentialStore::Get(const std::string& account, const std::string& key) const {
  MutexLock lock(mu_);
  auto it = entries_.find(account);
  if (it == entries_.end()) {
    return Error(ErrorCode::kNotFound, "no credentials for '" + account + "' in " + file_.string());
  }
  auto value = it->second.find(key);
  if (value == it->second.end()) {
    return Error(ErrorCode::kNotFound,
                 "no '" + key + "' in the credentials of '" + account + "' in " + file_.string());
  }
  return value->second;
}

bool CredentialStore::HasAccount(const std::string& account) const {
  MutexLock lock(mu_);
  return entries_.count(account) != 0;
}

Status CredentialStore::Store(const std::string& account, const std::string& key,
                              const std::string& value) {
  if (value.empty()) {
    return Error(ErrorCode::kInvalidArgument,
                 "refusing to store an empty '" + key + "' for '" + account + "'");
  }
  if (account.empty() || key.empty()) {
    return Error(ErrorCode::kInvalidArgument, "credentials reference and key must not be empty");
  }
  MutexLock lock(mu_);
  Entries updated = entries_;
  updated[account][key] = value;
  Status written = WriteAtomically(updated);
  if (!written.ok()) return written;
  entries_ = std::move(updated);
  return Status::Ok();
}

Status CredentialStore::ReplaceAccount(const std::string& account,
                                       const std::map<std::string, std::string>& keys) {
  if (account.empty() || keys.empty()) {
    return Error(ErrorCode::kInvalidArgument, "credentials reference and keys must not be empty");
  }
  for (const auto& [key, value] : keys) {
    if (key.empty() || value.empty()) {
      return Error(ErrorCode::kInvalidArgument,
                   "refusing to store an empty '" + key + "' for '" + account + "'");
    }
  }
  MutexLock lock(mu_);
  Entries updated = entries_;
  updated[account] = keys;
  Status written = WriteAtomically(updated);
  if (!written.ok()) return written;
  entries_ = std::move(updated);
  return Status::Ok();
}

Status CredentialStore::WriteAtomically(const Entries& entries) const {
  YAML::Emitter out;
  out << YAML::BeginMap;
  for (const auto& [account, keys] : entries) {
    out << YAML::Key << account << YAML::Value << YAML::BeginMap;
    for (const auto& [key, value] : keys) {
      out << YAML::Key << key << YAML::Value << YAML::DoubleQuoted << value;
    }
    out << YAML::EndMap;
  }
  out << YAML::EndMap;
  std::string text = "# herald credentials: keep mode 0600, owned by the daemon's user.\n";
  text += out.c_str();
  text += '\n';

  const fs::path folder = file_.parent_path().empty() ? fs::path(".") : file_.parent_path();
  std::string temp = (folder / ("." + file_.filename().string() + ".XXXXXX")).string();
  auto fail = [&](const char* step) {
    Error error(ErrorCode::kIo, std::string("cannot update credentials file ") + file_.string() +
                                    ": " + step + ": " + std::strerror(errno));
    return error;
  };
  Fd fd(::mkstemp(temp.data()));
  if (fd.get() < 0) return fail("create temporary file");
  bool keep = false;
  struct Cleanup {
    const std::string& path;
    const bool& keep;
    ~Cleanup() {
      if (!keep) ::unlink(path.c_str());
    }
  } cleanup{temp, keep};
  if (::fchmod(fd.get(), 0600) != 0) return fail("chmod 0600");
  Status written = WriteAll(fd.get(), text);
  if (!written.ok()) {
    return Error(ErrorCode::kIo, "cannot update credentials file " + file_.string() + ": " +
                                     written.error().message());
  }
  if (::fsync(fd.get()) != 0) return fail("fsync");
  if (::rename(temp.c_str(), file_.c_str()) != 0) return fail("rename");
  keep = true;
  Fd dir(::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dir.get() < 0 || ::fsync(dir.get()) != 0) return fail("fsync of the folder");
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
