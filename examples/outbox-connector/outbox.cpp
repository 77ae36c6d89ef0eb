// outbox: a complete herald connector that "publishes" by appending each post
// as one JSON line to a local file. Useful for rehearsals and as a template.
//
// Account config (config_json):  {"path": "/var/lib/herald/outbox.jsonl"}
//
// Each line: {"job_id":..., "account":..., "due_ms":..., "text":..., "link":...,
//             "media":[paths...], "post": <post_json>}
// The remote id of a post is its line number. Publishing is idempotent: a job
// already in the file is reported as published again, never appended twice,
// and find() answers from the same scan. Several connector objects (accounts)
// may share one file: an exclusive flock() covers each scan + append.
#include <herald/plugin.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

// Reads the string value of a top-level key of a flat JSON object. Enough for
// this example's one-key config; a real connector should use a JSON library.
std::optional<std::string> JsonStringField(std::string_view json, std::string_view key) {
  std::string quoted = herald::JsonQuote(key);
  std::size_t at = json.find(quoted);
  if (at == std::string_view::npos) return std::nullopt;
  std::size_t i = at + quoted.size();
  auto skip_ws = [&] {
    while (i < json.size() &&
           (json[i] == ' ' || json[i] == '\t' || json[i] == '\n' || json[i] == '\r'))
      ++i;
  };
  skip_ws();
  if (i >= json.size() || json[i] != ':') return std::nullopt;
  ++i;
  skip_ws();
  if (i >= json.size() || json[i] != '"') return std::nullopt;
  std::string out;
  for (++i; i < json.size(); ++i) {
    char c = json[i];
    if (c == '"') return out;
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    if (++i >= json.size()) return std::nullopt;
    switch (json[i]) {
      case '"':
        out.push_back('"');
        break;
      case '\\':
        out.push_back('\\');
        break;
      case '/':
        out.push_back('/');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 't':
        out.push_back('\t');
        break;
      default:
        return std::nullopt;  // \uXXXX and friends: not needed for a path here
    }
  }
  return std::nullopt;
}

// A file descriptor, closed on scope exit.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

std::string Errno(const char* what, const std::string& path) {
  return std::string(what) + " " + path + ": " + std::strerror(errno);
}

class OutboxConnector {
 public:
  static constexpr const char* kPlatform = "outbox";
  static constexpr const char* kVersion = "1.0.0";
  static constexpr const char* kDescription = "Appends each post as a JSON line to a local file";

  // Never refuses: the host probes create() with an empty config ("{}") to read
  // Describe(). A missing or relative path is reported by Validate() and Step().
  OutboxConnector(herald::Host host, const herald::Account& account)
      : host_(host), account_(account.platform + "/" + account.name) {
    std::optional<std::string> path = JsonStringField(account.config_json, "path");
    if (path && !path->empty() && (*path)[0] == '/') path_ = *path;
    if (account.name.empty()) return;  // the load-time probe: nothing to say
    if (path_.empty()) {
      host_.Warn(ConfigProblem());
    } else {
      host_.Info("outbox for " + account_ + " writes to " + path_);
    }
  }

  herald::Limits Describe() const {
    herald::ImageLimits image;  // any image type, any size
    herald::VideoLimits video;  // any video type, any size or length
    return herald::Limits()
        .TextMax(100000)
        .LinkAllowed(true)
        .MediaRequired(false)
        .MediaMaxCount(100)
        .Image(image)
        .Video(video);
  }

  std::vector<herald::Issue> Validate(const herald::Post& post) const {
    std::vector<herald::Issue> issues;
    if (path_.empty()) issues.push_back({"account", ConfigProblem()});
    if (post.text().empty()) issues.push_back({"text", "the outbox does not accept an empty text"});
    return issues;
  }

  herald::Outcome Step(const herald::Post& post, std::optional<std::string_view> /*checkpoint*/) {
    if (path_.empty()) return herald::Outcome::Failed(ConfigProblem());
    Fd fd(::open(path_.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0640));
    if (fd.get() < 0) {
      // A missing directory or a permission problem will not fix itself.
      if (errno == ENOENT || errno == EACCES || errno == EISDIR || errno == ENOTDIR)
        return herald::Outcome::Failed(Errno("cannot open", path_));
      return herald::Outcome::Retry(0, Errno("cannot open", path_));
    }
    if (::flock(fd.get(), LOCK_EX) != 0)
      return herald::Outcome::Retry(0, Errno("cannot lock", path_));

    Scan scan = ScanFor(fd.get(), post.job_id());
    if (scan.error) return herald::Outcome::Retry(0, *scan.error);
    if (scan.found_line) {
      host_.Info("job " + std::string(post.job_id()) + " already in the outbox");
      return Published(*scan.found_line);
    }
    // A file whose last line lacks its newline (a torn write) gets one first,
    // so our line stays a line of its own.
    std::string line = scan.ends_with_newline ? "" : "\n";
    line += LineFor(post) + "\n";
    std::size_t line_number = scan.lines + (scan.ends_with_newline ? 1 : 2);

    std::size_t written = 0;
    while (written < line.size()) {
      ssize_t n = ::write(fd.get(), line.data() + written, line.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        // Nothing written: a clean retry. Part written: the next scan decides.
        if (written == 0) return herald::Outcome::Retry(0, Errno("cannot write", path_));
        return herald::Outcome::Unknown(Errno("partial write to", path_));
      }
      written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd.get()) != 0) return herald::Outcome::Unknown(Errno("cannot fsync", path_));
    host_.Info("job " + std::string(post.job_id()) + " appended as line " +
               std::to_string(line_number));
    return Published(line_number);
  }

  herald::FindResult Find(const herald::Post& post) {
    if (path_.empty()) return herald::FindResult::CannotTell(ConfigProblem());
    Fd fd(::open(path_.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) {
      if (errno == ENOENT) return herald::FindResult::NotFound("the outbox file does not exist");
      return herald::FindResult::CannotTell(Errno("cannot open", path_));
    }
    if (::flock(fd.get(), LOCK_SH) != 0)
      return herald::FindResult::CannotTell(Errno("cannot lock", path_));
    Scan scan = ScanFor(fd.get(), post.job_id());
    if (scan.error) return herald::FindResult::CannotTell(*scan.error);
    if (!scan.found_line) return herald::FindResult::NotFound("job not in " + path_);
    return herald::FindResult::Found(std::to_string(*scan.found_line), UrlFor(*scan.found_line));
  }

 private:
  struct Scan {
    std::size_t lines = 0;
    bool ends_with_newline = true;
    std::optional<std::size_t> found_line;
    std::optional<std::string> error;
  };

  // Reads the whole file from the start, counting lines and looking for the
  // line that begins with this job's id (LineFor writes job_id first).
  Scan ScanFor(int fd, std::string_view job_id) const {
    Scan scan;
    std::string prefix = "{\"job_id\":" + herald::JsonQuote(job_id) + ",";
    std::string current;
    char buf[65536];
    off_t offset = 0;
    for (;;) {
      ssize_t n = ::pread(fd, buf, sizeof buf, offset);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        scan.error = Errno("cannot read", path_);
        return scan;
      }
      if (n == 0) break;
      offset += n;
      for (ssize_t i = 0; i < n; ++i) {
        if (buf[i] != '\n') {
          if (current.size() < prefix.size()) current.push_back(buf[i]);
          continue;
        }
        ++scan.lines;
        if (!scan.found_line && current == prefix) scan.found_line = scan.lines;
        current.clear();
      }
      scan.ends_with_newline = buf[n - 1] == '\n';
    }
    return scan;
  }

  std::string LineFor(const herald::Post& post) const {
    std::string line = "{\"job_id\":" + herald::JsonQuote(post.job_id()) + ",";
    line += "\"account\":" + herald::JsonQuote(post.account()) + ",";
    line += "\"due_ms\":" + std::to_string(post.due_ms()) + ",";
    line += "\"text\":" + herald::JsonQuote(post.text()) + ",";
    line += "\"link\":" + (post.link() ? herald::JsonQuote(*post.link()) : std::string("null"));
    line += ",\"media\":[";
    for (std::size_t i = 0; i < post.media_count(); ++i) {
      if (i) line += ",";
      line += herald::JsonQuote(post.media(i).path());
    }
    line += "],\"post\":";
    // post_json is JSON already; it must stay on one line for the file to stay JSON Lines.
    std::string_view pj = post.post_json();
    if (pj.empty()) {
      line += "null";
    } else {
      for (char c : pj) line.push_back(c == '\n' || c == '\r' ? ' ' : c);
    }
    return line + "}";
  }

  std::string ConfigProblem() const {
    return "outbox account " + account_ + ": config needs {\"path\": \"/absolute/file.jsonl\"}";
  }

  herald::Outcome Published(std::size_t line) const {
    return herald::Outcome::Published(std::to_string(line), UrlFor(line));
  }
  std::string UrlFor(std::size_t line) const {
    return "file://" + path_ + "#L" + std::to_string(line);
  }

  herald::Host host_;
  std::string account_;
  std::string path_;
};

}  // namespace

HERALD_PLUGIN(OutboxConnector)
