#include "core/job_files.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include "calendar/media_probe.h"

namespace herald::core {

Result<int> JobFiles::Add(const std::string& path, const FileRef& ref, bool image_only,
                          plugin::MediaInput* medium, const MediaRecheck& recheck) {
  for (const Entry& e : files_) {
    if (e.path == path) return e.file.fd.get();
  }
  const std::string shown = "`" + (ref.relative.empty() ? path : ref.relative) + "`";
  if (ref.empty() || ref.root.empty()) {
    return Error(ErrorCode::kFailedPrecondition,
                 "media file " + shown +
                     " has no checked reference in this job (it was queued by an older heraldd); "
                     "reload its calendar");
  }
  ConfinedOptions confined;
  confined.folder = "the calendar's folder";
  auto opened = OpenBeneath(ref.root, ref.relative, confined);
  if (!opened.ok()) {
    return Error(opened.error().code() == ErrorCode::kNotFound ? ErrorCode::kNotFound
                                                               : ErrorCode::kInvalidArgument,
                 "media file " + shown + " " + opened.error().message());
  }
  if (!(opened->identity == ref.identity)) {
    // Changed since the calendar was checked: what is there now must pass again.
    const std::string what = "media file " + shown + " changed since its calendar was checked";
    auto info = calendar::ProbeOpenedMedia(opened->fd.get(), opened->identity, ref.relative);
    if (!info.ok()) {
      return Error(ErrorCode::kInvalidArgument, what + ", and now: " + info.error().message());
    }
    const bool was_video = medium != nullptr && medium->kind == HERALD_MEDIA_VIDEO;
    const bool is_video = info->kind == calendar::MediaKind::kVideo;
    if ((image_only && is_video) || (medium != nullptr && was_video != is_video) ||
        (medium != nullptr && !medium->mime_type.empty() && medium->mime_type != info->mime_type)) {
      return Error(ErrorCode::kInvalidArgument, what + " into a " + info->mime_type + " " +
                                                    (is_video ? "video" : "image") +
                                                    "; it is refused");
    }
    if (recheck && medium != nullptr) {
      info->path = path;
      info->file = ref;
      info->file.identity = opened->identity;
      std::vector<std::string> problems = recheck(*info);
      if (!problems.empty()) {
        return Error(ErrorCode::kInvalidArgument, what + ", and now: " + problems.front());
      }
    }
    if (medium != nullptr) medium->size_bytes = static_cast<uint64_t>(opened->identity.size);
    spdlog::warn("{}; it still passes and is sent as it is now", what);
  }
  int fd = opened->fd.get();
  files_.push_back({path, std::move(*opened)});
  return fd;
}

Result<JobFiles> JobFiles::Open(plugin::PostInput& post, const MediaRecheck& recheck) {
  JobFiles out;
  for (plugin::MediaInput& m : post.media) {
    auto fd = out.Add(m.path, m.file, false, &m, recheck);
    if (!fd.ok()) return fd.error();
    out.media_.push_back(*fd);
    if (!m.cover.empty()) {
      auto cover = out.Add(m.cover, m.cover_file, true, nullptr, nullptr);
      if (!cover.ok()) return cover.error();
    }
  }
  return out;
}

Result<http::BodyFile> JobFiles::Find(std::string_view path) const {
  for (const Entry& e : files_) {
    if (e.path != path) continue;
    struct stat st {};
    if (::fstat(e.file.fd.get(), &st) != 0) {
      return Error(ErrorCode::kIo, "cannot examine " + e.path);
    }
    return http::BodyFile{e.file.fd.get(), static_cast<uint64_t>(st.st_size)};
  }
  return Error(
      ErrorCode::kPermissionDenied,
      "the request names " + std::string(path) +
          ", which is not one of this job's media or covers; the host sends no other file");
}

}  // namespace herald::core
