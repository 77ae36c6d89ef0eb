#include "core/media_stager.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <grp.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <mutex>

#include "common/private_file.h"

namespace herald::core {
namespace fs = std::filesystem;
namespace {

std::string Hex(const unsigned char* data, size_t n) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out.push_back(kDigits[data[i] >> 4]);
    out.push_back(kDigits[data[i] & 15]);
  }
  return out;
}

std::string ExtensionFor(const std::string& mime) {
  if (mime == "image/jpeg") return ".jpg";
  if (mime == "image/png") return ".png";
  if (mime == "image/gif") return ".gif";
  if (mime == "image/webp") return ".webp";
  if (mime == "video/mp4") return ".mp4";
  if (mime == "video/quicktime") return ".mov";
  return "";
}

// SHA-256 of salt || file bytes, streamed by position from the descriptor.
Result<std::string> Digest(const std::string& salt, int fd, const std::string& shown) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (ctx == nullptr) return Error(ErrorCode::kInternal, "no memory for a digest");
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  EVP_DigestUpdate(ctx, salt.data(), salt.size());
  std::vector<char> buffer(1 << 16);
  off_t at = 0;
  for (;;) {
    ssize_t n = ::pread(fd, buffer.data(), buffer.size(), at);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      EVP_MD_CTX_free(ctx);
      return Error(ErrorCode::kIo, "cannot read medium " + shown);
    }
    if (n == 0) break;
    EVP_DigestUpdate(ctx, buffer.data(), static_cast<size_t>(n));
    at += n;
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, md, &len);
  EVP_MD_CTX_free(ctx);
  return Hex(md, len);
}

// Copies all of `from` (by position) to `to`.
Status CopyAll(int from, int to) {
  std::vector<char> buffer(1 << 16);
  off_t at = 0;
  for (;;) {
    ssize_t n = ::pread(from, buffer.data(), buffer.size(), at);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Error(ErrorCode::kIo, std::strerror(errno));
    if (n == 0) return Status::Ok();
    if (Status w = WriteAll(to, std::string_view(buffer.data(), static_cast<size_t>(n))); !w.ok()) {
      return w;
    }
    at += n;
  }
}

// The folder's mode for files of `mode`: the owner's, and search (x) for
// whoever may read the files.
mode_t FolderMode(mode_t mode) {
  mode_t m = 0700;
  if (mode & 0040) m |= 0050;
  if (mode & 0004) m |= 0005;
  return m;
}

std::string HeaderValue(const std::string& headers, const std::string& name) {
  size_t pos = 0;
  while (pos < headers.size()) {
    size_t eol = headers.find('\n', pos);
    if (eol == std::string::npos) eol = headers.size();
    std::string line = headers.substr(pos, eol - pos);
    size_t colon = line.find(':');
    if (colon != std::string::npos && strncasecmp(line.c_str(), name.c_str(), name.size()) == 0 &&
        colon == name.size()) {
      std::string v = line.substr(colon + 1);
      while (!v.empty() && (v.front() == ' ')) v.erase(0, 1);
      while (!v.empty() && (v.back() == '\r' || v.back() == ' ')) v.pop_back();
      return v;
    }
    pos = eol + 1;
  }
  return "";
}

}  // namespace

MediaStager::MediaStager(config::MediaConfig config, fs::path salt_dir)
    : config_(std::move(config)), salt_file_(std::move(salt_dir) / "media-salt") {
  if (!config_.group.empty()) {
    std::vector<char> buf(16384);
    group gr{};
    group* found = nullptr;
    if (::getgrnam_r(config_.group.c_str(), &gr, buf.data(), buf.size(), &found) == 0 && found) {
      group_ = found->gr_gid;
    } else {
      spdlog::error("media.group: no group named '{}'; staged media keep heraldd's group",
                    config_.group);
    }
  }
}

http::HttpClientOptions MediaStager::PreflightOptions() const {
  http::HttpClientOptions o;
  o.default_timeout_ms = 10000;
  o.max_response_bytes = 64 * 1024;  // a HEAD has no body; an error page is small
  o.allow_plain_http = config_.public_base_url.rfind("http://", 0) == 0;
  return o;
}

Status MediaStager::PrepareFolder() {
  auto made = MakeDirectory(config_.dir, FolderMode(config_.mode));
  if (!made.ok()) return made.error();
  if (*made && group_ && ::chown(config_.dir.c_str(), static_cast<uid_t>(-1), *group_) != 0) {
    return Error(ErrorCode::kIo, "cannot give " + config_.dir.string() + " the group " +
                                     config_.group + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

Result<std::string> MediaStager::Salt() {
  static std::mutex mu;
  std::lock_guard lock(mu);
  std::ifstream in(salt_file_);
  std::string salt;
  if (in && std::getline(in, salt) && salt.size() == 64) return salt;
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    return Error(ErrorCode::kInternal, "no randomness for the media salt");
  }
  salt = Hex(bytes, sizeof bytes);
  auto written = ReplaceFile(salt_file_, salt + "\n", 0600);
  if (!written.ok()) return written.error();
  if (!written->warning.empty()) spdlog::warn("{}", written->warning);
  return salt;
}

Result<std::vector<fs::path>> MediaStager::Stage(plugin::PostInput& post, const JobFiles& files,
                                                 http::HttpClient& client) {
  std::vector<fs::path> staged;
  if (!enabled() || post.media.empty()) return staged;
  auto salt = Salt();
  if (!salt.ok()) return salt.error();
  if (Status ready = PrepareFolder(); !ready.ok()) return ready.error();
  std::error_code ec;
  for (size_t i = 0; i < post.media.size(); ++i) {
    plugin::MediaInput& m = post.media[i];
    const int fd = files.media_fd(i);
    auto digest = Digest(*salt, fd, m.path);
    if (!digest.ok()) return digest.error();
    std::string name = *digest + ExtensionFor(m.mime_type);
    fs::path target = config_.dir / name;
    struct stat existing {};
    if (::lstat(target.c_str(), &existing) == 0 && S_ISREG(existing.st_mode)) {
      fs::last_write_time(target, fs::file_time_type::clock::now(), ec);  // not swept while in use
      ::chmod(target.c_str(), config_.mode);  // a copy staged by an older heraldd may be wider
    } else {
      auto copied = ReplaceFileWith(
          target, [fd](int out) { return CopyAll(fd, out); }, config_.mode, group_);
      if (!copied.ok()) {
        return Error(ErrorCode::kIo, "cannot stage " + m.path + " into " + config_.dir.string() +
                                         ": " + copied.error().message());
      }
    }
    std::string base = config_.public_base_url;
    if (!base.empty() && base.back() == '/') base.pop_back();
    m.public_url = base + "/" + name;
    staged.push_back(target);

    // Pre-flight: the platform will fetch this URL; make sure it can.
    herald_http_request request{};
    request.struct_size = sizeof request;
    request.method = "HEAD";
    request.url = m.public_url.c_str();
    request.timeout_ms = 10000;
    http::HttpResponse response;
    int32_t rc = client.Perform(request, response);
    if (rc != HERALD_OK || response.status != 200) {
      return Error(ErrorCode::kUnavailable,
                   "media pre-flight: " + m.public_url + " answered " +
                       (rc == HERALD_OK ? std::to_string(response.status) : response.error) +
                       " (is the web server for " + config_.dir.string() + " up?)");
    }
    std::string type = HeaderValue(response.headers, "Content-Type");
    if (!m.mime_type.empty() && type.rfind(m.mime_type, 0) != 0) {
      return Error(ErrorCode::kUnavailable, "media pre-flight: " + m.public_url +
                                                " is served as \"" + type + "\", not " +
                                                m.mime_type);
    }
  }
  return staged;
}

void MediaStager::Sweep(std::chrono::seconds age) {
  if (!enabled()) return;
  std::error_code ec;
  auto cutoff = fs::file_time_type::clock::now() - age;
  for (const auto& entry : fs::directory_iterator(config_.dir, ec)) {
    if (entry.is_regular_file(ec) && entry.last_write_time(ec) < cutoff) fs::remove(entry, ec);
  }
}

}  // namespace herald::core
