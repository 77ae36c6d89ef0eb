#include "core/media_stager.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <mutex>

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

// SHA-256 of salt || file bytes, streamed.
Result<std::string> Digest(const std::string& salt, const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Error(ErrorCode::kIo, "cannot read medium " + file.string());
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  EVP_DigestUpdate(ctx, salt.data(), salt.size());
  std::vector<char> buffer(1 << 16);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    if (in.gcount() > 0) EVP_DigestUpdate(ctx, buffer.data(), static_cast<size_t>(in.gcount()));
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, md, &len);
  EVP_MD_CTX_free(ctx);
  return Hex(md, len);
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
    : config_(std::move(config)), salt_file_(std::move(salt_dir) / "media-salt") {}

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
  fs::path tmp = salt_file_.string() + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Error(ErrorCode::kIo, "cannot write " + tmp.string());
  std::string line = salt + "\n";
  bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), salt_file_.c_str()) != 0) {
    return Error(ErrorCode::kIo, "cannot write " + salt_file_.string());
  }
  return salt;
}

Result<std::vector<fs::path>> MediaStager::Stage(plugin::PostInput& post,
                                                 http::HttpClient& client) {
  std::vector<fs::path> staged;
  if (!enabled() || post.media.empty()) return staged;
  auto salt = Salt();
  if (!salt.ok()) return salt.error();
  std::error_code ec;
  fs::create_directories(config_.dir, ec);
  for (plugin::MediaInput& m : post.media) {
    auto digest = Digest(*salt, m.path);
    if (!digest.ok()) return digest.error();
    std::string name = *digest + ExtensionFor(m.mime_type);
    fs::path target = config_.dir / name;
    if (fs::exists(target, ec)) {
      fs::last_write_time(target, fs::file_time_type::clock::now(), ec);  // not swept while in use
    } else {
      fs::path tmp = target.string() + ".tmp" + std::to_string(::gettid());
      fs::copy_file(m.path, tmp, fs::copy_options::overwrite_existing, ec);
      if (!ec) {
        fs::permissions(tmp,
                        fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                            fs::perms::others_read,
                        ec);
      }
      if (ec || ::rename(tmp.c_str(), target.c_str()) != 0) {
        fs::remove(tmp, ec);
        return Error(ErrorCode::kIo, "cannot stage " + m.path + " into " + config_.dir.string());
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
