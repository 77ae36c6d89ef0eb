#include "sandbox/media_fetcher.h"

#include <curl/curl.h>

#include <memory>

namespace herald::sandbox {

const char* MediaTypeName(MediaType type) {
  switch (type) {
    case MediaType::kJpeg:
      return "image/jpeg";
    case MediaType::kPng:
      return "image/png";
    case MediaType::kGif:
      return "image/gif";
    case MediaType::kWebp:
      return "image/webp";
    case MediaType::kMp4:
      return "video/mp4";
    case MediaType::kQuickTime:
      return "video/quicktime";
    case MediaType::kUnknown:
      break;
  }
  return "application/octet-stream";
}

MediaType SniffMediaType(std::string_view head) {
  auto starts = [&](std::string_view magic, size_t at = 0) {
    return head.size() >= at + magic.size() && head.substr(at, magic.size()) == magic;
  };
  if (starts("\xFF\xD8\xFF")) return MediaType::kJpeg;
  if (starts("\x89PNG\r\n\x1A\n")) return MediaType::kPng;
  if (starts("GIF87a") || starts("GIF89a")) return MediaType::kGif;
  if (starts("RIFF") && starts("WEBP", 8)) return MediaType::kWebp;
  if (starts("ftypqt", 4)) return MediaType::kQuickTime;
  if (starts("ftyp", 4)) return MediaType::kMp4;
  return MediaType::kUnknown;
}

namespace {

struct Download {
  std::string head;
  int64_t size = 0;
  int64_t max_bytes = 0;
  bool too_large = false;
};

size_t OnData(char* data, size_t size, size_t count, void* user) {
  auto* download = static_cast<Download*>(user);
  size_t bytes = size * count;
  download->size += static_cast<int64_t>(bytes);
  if (download->size > download->max_bytes) {
    download->too_large = true;
    return 0;  // aborts the transfer
  }
  if (download->head.size() < 64) {
    download->head.append(data, std::min(bytes, 64 - download->head.size()));
  }
  return bytes;
}

}  // namespace

Result<FetchedMedia> CurlMediaFetcher::Fetch(const std::string& url, int64_t max_bytes) {
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
    return Error(ErrorCode::kInvalidArgument, "not an http(s) URL");
  }
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return Error(ErrorCode::kInternal, "curl_easy_init failed");
  Download download;
  download.max_bytes = max_bytes;
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, 10L);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, OnData);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &download);
  CURLcode code = curl_easy_perform(curl.get());
  if (download.too_large) return Error(ErrorCode::kInvalidArgument, "media larger than allowed");
  if (code == CURLE_OPERATION_TIMEDOUT) return Error(ErrorCode::kUnavailable, "download timed out");
  if (code != CURLE_OK) return Error(ErrorCode::kUnavailable, curl_easy_strerror(code));
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status >= 400) return Error(ErrorCode::kNotFound, "HTTP " + std::to_string(status));
  return FetchedMedia{SniffMediaType(download.head), download.size};
}

}  // namespace herald::sandbox
