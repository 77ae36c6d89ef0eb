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
// Not thread-safe: one client per connector, whose calls the host serializes.
#pragma once

#include <herald/plugin_abi.h>

#include <cstdint>
#include <string>
#include <vector>

namespace herald::http {

struct HttpResponse {
  int32_t status = 0;
  std::string headers;  // "Name: value\r\n" lines of the final response
  std::string body;
  std::string error;  // transport error in words; empty when an answer came
};

class HttpClient {
 public:
  // `default_timeout_ms` applies when a request gives none.
  explicit HttpClient(int64_t default_timeout_ms = 30000);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Performs `request`; returns HERALD_OK when an HTTP answer (any status)
  // came back, else a herald_status transport error with response.error set.
  int32_t Perform(const herald_http_request& request, HttpResponse& response);

 private:
  void* curl_;  // CURL*, opaque so that curl.h stays out of every includer
  int64_t default_timeout_ms_;
};

// `text` with every occurrence of each secret (of 4+ characters) and every
// value of well-known secret query/form parameters (access_token,
// refresh_token, client_secret, code, password) replaced by "***".
std::string Redact(std::string text, const std::vector<std::string>& secrets);

}  // namespace herald::http
