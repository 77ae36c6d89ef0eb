// MediaStager: makes a post's media fetchable by URL for platforms that pull
// media themselves (Instagram always, Facebook for URL uploads). The daemon's
// configuration names a local folder that a web server publishes (the admin's
// nginx, or a static server in the demo) and its public base URL. Before an
// attempt, each medium is copied there under an unguessable, content-addressed
// name (SHA-256 of a per-installation secret salt and the file's bytes), and
// the URL is checked to answer 200 with the right content type (pre-flight).
// Staged files are removed a grace period after their post was published
// (RemoveLater), and a sweep removes anything older than a day.
//
// The bytes come from the attempt's confined descriptors (JobFiles), never
// from a path, so only a job's own checked media can be published. A staged
// copy gets exactly media.mode (0640 unless configured: the web server reads
// it through its group, media.group) whatever the umask; the folder, when
// heraldd creates it, gets the matching search bits and nothing more.
//
// Thread-safe: Stage may run on many workers at once (copies go through a
// temporary file and rename, so two stagings of one file do not clash).
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "config/config.h"
#include "core/job_files.h"
#include "http/http_client.h"
#include "plugin/connector.h"

namespace herald::core {

class MediaStager {
 public:
  // `salt_dir` (the state directory) keeps the salt file, made on first use.
  MediaStager(config::MediaConfig config, std::filesystem::path salt_dir);

  bool enabled() const { return !config_.public_base_url.empty() && !config_.dir.empty(); }

  // Stages every medium of `post` (read from `files`, opened for it) and sets
  // its public_url. Returns the staged file paths. kUnavailable when the
  // pre-flight fails (retry later), kIo when the copy fails.
  Result<std::vector<std::filesystem::path>> Stage(plugin::PostInput& post, const JobFiles& files,
                                                   http::HttpClient& client);

  // The pre-flight's client options (plain http only when the public URL is http).
  http::HttpClientOptions PreflightOptions() const;

  // Removes staged files older than `age`.
  void Sweep(std::chrono::seconds age);

 private:
  Result<std::string> Salt();
  Status PrepareFolder();
  const config::MediaConfig config_;
  std::optional<gid_t> group_;  // media.group resolved
  const std::filesystem::path salt_file_;
};

}  // namespace herald::core
