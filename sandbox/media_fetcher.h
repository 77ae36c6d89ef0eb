// Downloads the media an Instagram container names (image_url, video_url),
// as the real platform does, and recognises its type by magic bytes. An
// interface so unit tests can serve media without a network. Implementations
// are safe to call from any thread; each call is independent.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "daemon/common/result.h"

namespace herald::sandbox {

enum class MediaType { kJpeg, kPng, kGif, kWebp, kMp4, kQuickTime, kUnknown };
const char* MediaTypeName(MediaType type);
// Recognises a file from its first bytes.
MediaType SniffMediaType(std::string_view head);

struct FetchedMedia {
  MediaType type = MediaType::kUnknown;
  int64_t size = 0;
};

class MediaFetcher {
 public:
  virtual ~MediaFetcher() = default;
  // Errors: kNotFound (HTTP error status), kUnavailable (cannot connect or
  // timed out), kInvalidArgument (not http(s), or larger than max_bytes).
  virtual Result<FetchedMedia> Fetch(const std::string& url, int64_t max_bytes) = 0;
};

// Downloads with libcurl: 10 s timeout, up to 5 redirects, keeps only the
// first bytes and the size.
class CurlMediaFetcher final : public MediaFetcher {
 public:
  Result<FetchedMedia> Fetch(const std::string& url, int64_t max_bytes) override;
};

}  // namespace herald::sandbox
