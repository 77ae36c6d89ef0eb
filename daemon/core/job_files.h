// JobFiles: the files one attempt of a job may read, its media and their
// covers, opened confined (common/confined_file.h) beneath their calendar's
// folder when the attempt starts and held open until it ends. Each is
// compared with the identity its calendar's check recorded (device, inode,
// size, mtime); a file that changed is probed again from the descriptor and
// refused unless it is still an image or video of the same kind and type
// (and, when the caller gives one, within the platform's limits).
//
// Everything the daemon reads for the attempt comes from these descriptors:
// the media stager copies from them, and the host's HTTP service sends a
// file body only when the path a plugin names is one of them (BodyFiles).
// A plugin that names any other file, by mistake or because a response or a
// calendar told it to, gets HERALD_ERR_HTTP_BODY and nothing is read.
//
// Not thread-safe: one attempt's, on the worker that runs it.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/model.h"
#include "common/confined_file.h"
#include "common/result.h"
#include "http/http_client.h"
#include "plugin/connector.h"

namespace herald::core {

// Problems with a changed medium under the platform's limits (sentences);
// empty when it still passes.
using MediaRecheck = std::function<std::vector<std::string>(const calendar::MediaInfo&)>;

class JobFiles final : public http::BodyFiles {
 public:
  JobFiles() = default;
  JobFiles(JobFiles&&) = default;
  JobFiles& operator=(JobFiles&&) = default;

  // Opens every medium and cover of `post`. A medium that changed but still
  // passes has its size updated in `post`. kInvalidArgument when a file is
  // refused (a link, outside, not a plain file, changed into something else),
  // kNotFound when one is gone, kFailedPrecondition when the job carries no
  // checked reference for a file; every error means the attempt must fail.
  static Result<JobFiles> Open(plugin::PostInput& post, const MediaRecheck& recheck = nullptr);

  Result<http::BodyFile> Find(std::string_view path) const override;

  // The descriptor of post.media[i] as given to Open.
  int media_fd(size_t i) const { return media_[i]; }

 private:
  struct Entry {
    std::string path;  // as the plugin names it
    ConfinedFile file;
  };
  Result<int> Add(const std::string& path, const FileRef& ref, bool image_only,
                  plugin::MediaInput* medium, const MediaRecheck& recheck);

  std::vector<Entry> files_;
  std::vector<int> media_;  // descriptor per medium
};

}  // namespace herald::core
