#include "http/http_client.h"

#include <curl/curl.h>

#include <cstdio>
#include <memory>
#include <mutex>
#include <regex>

namespace herald::http {
namespace {

void GlobalInitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// A byte range of a file, read sequentially by libcurl's read callbacks.
struct FileRange {
  std::FILE* file = nullptr;
  uint64_t offset = 0;
  uint64_t remaining = 0;
  uint64_t length = 0;
  ~FileRange() {
    if (file) std::fclose(file);
  }
};

// Opens `path` at [offset, offset+length); length UINT64_MAX means "to the end".
std::unique_ptr<FileRange> OpenRange(const char* path, uint64_t offset, uint64_t length,
                                     std::string& error) {
  auto range = std::make_unique<FileRange>();
  range->file = path ? std::fopen(path, "rb") : nullptr;
  if (!range->file) {
    error = std::string("cannot open request body file ") + (path ? path : "(null)");
    return nullptr;
  }
  if (std::fseek(range->file, 0, SEEK_END) != 0) {
    error = std::string("cannot seek in ") + path;
    return nullptr;
  }
  auto size = static_cast<uint64_t>(std::ftell(range->file));
  if (offset > size || (length != UINT64_MAX && length > size - offset)) {
    error =
        std::string("body range lies outside ") + path + " (" + std::to_string(size) + " bytes)";
    return nullptr;
  }
  range->offset = offset;
  range->length = length == UINT64_MAX ? size - offset : length;
  range->remaining = range->length;
  if (std::fseek(range->file, static_cast<long>(offset), SEEK_SET) != 0) {
    error = std::string("cannot seek in ") + path;
    return nullptr;
  }
  return range;
}

size_t ReadRange(char* buffer, size_t size, size_t nitems, void* userdata) {
  auto* range = static_cast<FileRange*>(userdata);
  size_t want = size * nitems;
  if (want > range->remaining) want = static_cast<size_t>(range->remaining);
  if (want == 0) return 0;
  size_t got = std::fread(buffer, 1, want, range->file);
  if (got == 0) return CURL_READFUNC_ABORT;
  range->remaining -= got;
  return got;
}

int SeekRange(void* userdata, curl_off_t offset, int origin) {
  auto* range = static_cast<FileRange*>(userdata);
  if (origin != SEEK_SET || offset < 0 || static_cast<uint64_t>(offset) > range->length) {
    return CURL_SEEKFUNC_CANTSEEK;
  }
  if (std::fseek(range->file, static_cast<long>(range->offset + offset), SEEK_SET) != 0) {
    return CURL_SEEKFUNC_FAIL;
  }
  range->remaining = range->length - static_cast<uint64_t>(offset);
  return CURL_SEEKFUNC_OK;
}

size_t Append(char* data, size_t size, size_t nitems, void* userdata) {
  static_cast<std::string*>(userdata)->append(data, size * nitems);
  return size * nitems;
}

// Keeps only the header block of the final response (after redirects and 100s).
size_t AppendHeader(char* data, size_t size, size_t nitems, void* userdata) {
  auto* headers = static_cast<std::string*>(userdata);
  std::string line(data, size * nitems);
  if (line.rfind("HTTP/", 0) == 0) {
    headers->clear();
    return size * nitems;
  }
  if (line != "\r\n") headers->append(line);
  return size * nitems;
}

bool NotSent(CURLcode code) {
  switch (code) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_OUT_OF_MEMORY:
      return true;
    default:
      return false;
  }
}

// libcurl silently re-sends a request whose reused connection closed before
// any answer (it takes the connection for stale). For a POST that may already
// have created a post, that is a duplicate: the second send is refused here,
// and the outcome becomes "no response" for the caller to reconcile.
struct SendGuard {
  bool idempotent = true;
  int sends = 0;
};

int RefuseResend(void* userdata, char*, char*, int, int) {
  auto* guard = static_cast<SendGuard*>(userdata);
  if (++guard->sends > 1 && !guard->idempotent) return CURL_PREREQFUNC_ABORT;
  return CURL_PREREQFUNC_OK;
}

struct SlistDeleter {
  void operator()(curl_slist* s) const { curl_slist_free_all(s); }
};
struct MimeDeleter {
  void operator()(curl_mime* m) const { curl_mime_free(m); }
};

}  // namespace

HttpClient::HttpClient(int64_t default_timeout_ms) : default_timeout_ms_(default_timeout_ms) {
  GlobalInitOnce();
  curl_ = curl_easy_init();
}

HttpClient::~HttpClient() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

int32_t HttpClient::Perform(const herald_http_request& request, HttpResponse& response) {
  response = HttpResponse{};
  CURL* curl = static_cast<CURL*>(curl_);
  if (!curl) {
    response.error = "libcurl could not be initialised";
    return HERALD_ERR_HTTP_NOT_SENT;
  }
  curl_easy_reset(curl);
  std::string method = request.method;

  std::unique_ptr<curl_slist, SlistDeleter> headers;
  auto add_header = [&](const std::string& line) {
    headers.reset(curl_slist_append(headers.release(), line.c_str()));
  };
  for (size_t i = 0; i < request.header_count; ++i) {
    const herald_header& h = request.headers[i];
    if (h.name && h.value) add_header(std::string(h.name) + ": " + h.value);
  }
  add_header("Expect:");  // no 100-continue round trip before bodies

  std::unique_ptr<FileRange> body_range;
  std::vector<std::unique_ptr<FileRange>> part_ranges;
  std::unique_ptr<curl_mime, MimeDeleter> mime;

  switch (request.body_kind) {
    case HERALD_BODY_NONE:
      break;
    case HERALD_BODY_MEMORY:
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.size));
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.data ? request.data : "");
      break;
    case HERALD_BODY_FILE_RANGE: {
      body_range =
          OpenRange(request.file_path, request.file_offset, request.file_length, response.error);
      if (!body_range) return HERALD_ERR_HTTP_BODY;
      curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
      curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(body_range->length));
      curl_easy_setopt(curl, CURLOPT_READFUNCTION, ReadRange);
      curl_easy_setopt(curl, CURLOPT_READDATA, body_range.get());
      curl_easy_setopt(curl, CURLOPT_SEEKFUNCTION, SeekRange);
      curl_easy_setopt(curl, CURLOPT_SEEKDATA, body_range.get());
      break;
    }
    case HERALD_BODY_MULTIPART: {
      mime.reset(curl_mime_init(curl));
      for (size_t i = 0; i < request.part_count; ++i) {
        const herald_multipart_part& p = request.parts[i];
        if (!p.name) {
          response.error = "multipart part without a name";
          return HERALD_ERR_HTTP_BODY;
        }
        curl_mimepart* part = curl_mime_addpart(mime.get());
        curl_mime_name(part, p.name);
        if (p.filename) curl_mime_filename(part, p.filename);
        if (p.content_type) curl_mime_type(part, p.content_type);
        if (p.file_path) {
          auto range = OpenRange(p.file_path, p.file_offset, p.file_length, response.error);
          if (!range) return HERALD_ERR_HTTP_BODY;
          curl_mime_data_cb(part, static_cast<curl_off_t>(range->length), ReadRange, SeekRange,
                            nullptr, range.get());
          part_ranges.push_back(std::move(range));
        } else {
          curl_mime_data(part, p.data ? p.data : "", p.data ? p.size : 0);
        }
      }
      curl_easy_setopt(curl, CURLOPT_MIMEPOST, mime.get());
      break;
    }
    default:
      response.error = "unknown body kind " + std::to_string(request.body_kind);
      return HERALD_ERR_HTTP_BODY;
  }

  if (method == "GET" && request.body_kind == HERALD_BODY_NONE) {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  } else if (method == "HEAD") {
    curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  } else if (method != "POST" || request.body_kind == HERALD_BODY_FILE_RANGE) {
    // UPLOAD makes libcurl send PUT; the custom request names the real method.
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  }
  if (method == "POST" && request.body_kind == HERALD_BODY_NONE) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, 0L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, "");
  }

  int64_t timeout = request.timeout_ms > 0 ? request.timeout_ms : default_timeout_ms_;
  curl_easy_setopt(curl, CURLOPT_URL, request.url);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(std::min<int64_t>(timeout, 10000)));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Append);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, AppendHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);
  char error_buffer[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  SendGuard guard;
  guard.idempotent = method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" ||
                     method == "OPTIONS";
  curl_easy_setopt(curl, CURLOPT_PREREQFUNCTION, RefuseResend);
  curl_easy_setopt(curl, CURLOPT_PREREQDATA, &guard);

  CURLcode code = curl_easy_perform(curl);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(curl, CURLOPT_MIMEPOST, nullptr);
  if (code == CURLE_ABORTED_BY_CALLBACK && guard.sends > 1) {
    response.body.clear();
    response.headers.clear();
    response.error =
        "the connection closed after the request was sent and before any answer; "
        "not sent again";
    return HERALD_ERR_HTTP_NO_RESPONSE;
  }
  if (code != CURLE_OK) {
    response.body.clear();
    response.headers.clear();
    // The message names the failure, never the URL (which may carry a token).
    response.error = error_buffer[0]
                         ? std::string(curl_easy_strerror(code)) + ": " + Redact(error_buffer, {})
                         : std::string(curl_easy_strerror(code));
    return NotSent(code) ? HERALD_ERR_HTTP_NOT_SENT : HERALD_ERR_HTTP_NO_RESPONSE;
  }
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int32_t>(status);
  return HERALD_OK;
}

std::string Redact(std::string text, const std::vector<std::string>& secrets) {
  for (const std::string& secret : secrets) {
    if (secret.size() < 4) continue;
    for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 3)) {
      text.replace(at, secret.size(), "***");
    }
  }
  static const std::regex kParams(
      R"(((?:access_token|refresh_token|client_secret|code|password|input_token|fb_exchange_token)=)[^&\s"]+)",
      std::regex::icase);
  text = std::regex_replace(text, kParams, "$1***");
  static const std::regex kBearer(R"((Bearer|OAuth)\s+[A-Za-z0-9._~+/=-]+)", std::regex::icase);
  return std::regex_replace(text, kBearer, "$1 ***");
}

}  // namespace herald::http
