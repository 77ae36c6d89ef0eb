// HttpClient: the host's outbound HTTP, behind the plugin ABI's http service.
// libcurl appears only here. One client owns one libcurl easy handle, so
// successive requests through it reuse the connection (keep-alive). Bodies come
// from memory, from a file range (streamed, never loaded whole) or as
// multipart/form-data parts that may themselves be file ranges. Proxies come
// from the usual environment variables (libcurl's own handling).
//
// Transport failures are classified for exactly-once publishing: a failure
// before the request could have reached the server is HERALD_ERR_HTTP_NOT_SENT
// (safe to retry); anything after is HERALD_ERR_HTTP_NO_RESPONSE (unknown).
//
// What it will do is only what the caller meant: http and https only (https
// only unless the options allow plain http), no redirect followed, response
// bodies and header blocks capped, every libcurl option checked as it is set.
// A file body is read only from a descriptor the caller's BodyFiles hands out
// for the path the request names (the host gives a job's own media, opened
// confined), never by opening the path.
//
// Not thread-safe: one client per connector, whose calls the host serializes.
#pragma once

#include <herald/plugin_abi.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace herald::http {

struct HttpClientOptions {
  int64_t default_timeout_ms = 30000;  // when a request gives none
  // The largest response body kept; a longer answer fails the request as
  // HERALD_ERR_HTTP_NO_RESPONSE (it was sent, and what came back is unusable).
  size_t max_response_bytes = 16u << 20;
  size_t max_header_bytes = 256u << 10;
  bool allow_plain_http = false;  // false: https only
};

// A file a request body may be read from: an open descriptor (the provider's,
// valid during Perform) and its size.
struct BodyFile {
  int fd = -1;
  uint64_t size = 0;
};

// The files requests may send, by the path they name. The interface exists
// so the host can hand out only a job's confined descriptors.
class BodyFiles {
 public:
  virtual ~BodyFiles() = default;
  // kPermissionDenied (with a sentence) for a path that is not one of them.
  virtual Result<BodyFile> Find(std::string_view path) const = 0;
};

struct HttpResponse {
  int32_t status = 0;
  std::string headers;  // "Name: value\r\n" lines of the final response
  std::string body;
  std::string error;  // transport error in words; empty when an answer came
};

class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Performs `request`; returns HERALD_OK when an HTTP answer (any status)
  // came back, else a herald_status transport error with response.error set.
  // File bodies come from `files`; without it, a request with one fails
  // (HERALD_ERR_HTTP_BODY) before anything is sent.
  int32_t Perform(const herald_http_request& request, HttpResponse& response,
                  const BodyFiles* files = nullptr);

  const HttpClientOptions& options() const { return options_; }

 private:
  void* curl_;  // CURL*, opaque so that curl.h stays out of every includer
  const HttpClientOptions options_;
};

// `text` with every occurrence of each secret (of 4+ characters) and every
// value of well-known secret query/form parameters (access_token,
// refresh_token, client_secret, code, password) replaced by "***".
std::string Redact(std::string text, const std::vector<std::string>& secrets);

}  // namespace herald::http
