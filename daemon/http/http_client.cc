#include "http/http_client.h"

#include <curl/curl.h>

#include <strings.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <memory>
#include <mutex>
#include <regex>

namespace herald::http {
namespace {

// CURLOPT_PREREQFUNCTION (the never-re-send guard below) came with 7.80.0,
// CURLOPT_PROTOCOLS_STR with 7.85.0. The build refuses older headers
// (daemon/http/CMakeLists.txt); this refuses an older library at run time.
constexpr unsigned kMinimumCurl = 0x075500;

// Empty when libcurl is usable; else why not.
const std::string& GlobalInitOnce() {
  static const std::string problem = [] {
    const curl_version_info_data* v = curl_version_info(CURLVERSION_NOW);
    if (v == nullptr || v->version_num < kMinimumCurl) {
      return std::string("libcurl ") + (v ? v->version : "?") +
             " is older than 7.85.0, which herald needs to refuse other protocols and never "
             "re-send a request";
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
      return std::string("libcurl failed to initialise");
    return std::string();
  }();
  return problem;
}

// A byte range of a file the caller's BodyFiles handed out, read by
// position (pread) by libcurl's read callbacks; the descriptor is not ours.
struct FileRange {
  int fd = -1;
  uint64_t offset = 0;
  uint64_t length = 0;
  uint64_t remaining = 0;
};

// The range [offset, offset+length) of the file `path` names among `files`;
// length UINT64_MAX means "to the end".
std::unique_ptr<FileRange> OpenRange(const BodyFiles* files, const char* path, uint64_t offset,
                                     uint64_t length, std::string& error) {
  if (!path) {
    error = "a file body without a path";
    return nullptr;
  }
  if (!files) {
    error = std::string("this request may not send files (it names ") + path + ")";
    return nullptr;
  }
  Result<BodyFile> file = files->Find(path);
  if (!file.ok()) {
    error = file.error().message();
    return nullptr;
  }
  const uint64_t size = file->size;
  if (offset > size || (length != UINT64_MAX && length > size - offset)) {
    error =
        std::string("body range lies outside ") + path + " (" + std::to_string(size) + " bytes)";
    return nullptr;
  }
  auto range = std::make_unique<FileRange>();
  range->fd = file->fd;
  range->offset = offset;
  range->length = length == UINT64_MAX ? size - offset : length;
  range->remaining = range->length;
  return range;
}

size_t ReadRange(char* buffer, size_t size, size_t nitems, void* userdata) {
  auto* range = static_cast<FileRange*>(userdata);
  size_t want = size * nitems;
  if (want > range->remaining) want = static_cast<size_t>(range->remaining);
  if (want == 0) return 0;
  const uint64_t at = range->offset + (range->length - range->remaining);
  ssize_t got;
  do {
    got = ::pread(range->fd, buffer, want, static_cast<off_t>(at));
  } while (got < 0 && errno == EINTR);
  if (got <= 0) return CURL_READFUNC_ABORT;  // the file shrank or failed: never send short
  range->remaining -= static_cast<uint64_t>(got);
  return static_cast<size_t>(got);
}

int SeekRange(void* userdata, curl_off_t offset, int origin) {
  auto* range = static_cast<FileRange*>(userdata);
  if (origin != SEEK_SET || offset < 0 || static_cast<uint64_t>(offset) > range->length) {
    return CURL_SEEKFUNC_CANTSEEK;
  }
  range->remaining = range->length - static_cast<uint64_t>(offset);
  return CURL_SEEKFUNC_OK;
}

// Where a response's body and headers go, with their caps.
struct Sink {
  std::string* data = nullptr;
  size_t max = 0;
  bool overflowed = false;
};

size_t Append(char* data, size_t size, size_t nitems, void* userdata) {
  auto* sink = static_cast<Sink*>(userdata);
  const size_t n = size * nitems;
  if (sink->data->size() + n > sink->max) {
    sink->overflowed = true;
    return 0;  // libcurl stops with CURLE_WRITE_ERROR
  }
  sink->data->append(data, n);
  return n;
}

// Keeps only the header block of the final response (after 100s).
size_t AppendHeader(char* data, size_t size, size_t nitems, void* userdata) {
  auto* sink = static_cast<Sink*>(userdata);
  const size_t n = size * nitems;
  std::string_view line(data, n);
  if (line.rfind("HTTP/", 0) == 0) {
    sink->data->clear();
    return n;
  }
  if (line == "\r\n") return n;
  if (sink->data->size() + n > sink->max) {
    sink->overflowed = true;
    return 0;
  }
  sink->data->append(line);
  return n;
}

// Sets libcurl options, keeping the first one libcurl refused: a request is
// never made with an option silently missing.
class Options {
 public:
  explicit Options(CURL* curl) : curl_(curl) {}
  template <typename T>
  void Set(CURLoption option, T value, const char* name) {
    if (failed_ != CURLE_OK) return;
    CURLcode code = curl_easy_setopt(curl_, option, value);
    if (code != CURLE_OK) {
      failed_ = code;
      name_ = name;
    }
  }
  void Check(CURLcode code, const char* name) {
    if (failed_ == CURLE_OK && code != CURLE_OK) {
      failed_ = code;
      name_ = name;
    }
  }
  bool ok() const { return failed_ == CURLE_OK; }
  std::string Problem() const {
    return std::string("libcurl refused ") + name_ + ": " + curl_easy_strerror(failed_);
  }

 private:
  CURL* curl_;
  CURLcode failed_ = CURLE_OK;
  const char* name_ = "";
};

#define HERALD_SET(opts, option, value) (opts).Set(option, value, #option)

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && strncasecmp(s.data(), prefix.data(), prefix.size()) == 0;
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

HttpClient::HttpClient(HttpClientOptions options) : options_(options) {
  curl_ = GlobalInitOnce().empty() ? curl_easy_init() : nullptr;
}

HttpClient::~HttpClient() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

int32_t HttpClient::Perform(const herald_http_request& request, HttpResponse& response,
                            const BodyFiles* files) {
  response = HttpResponse{};
  CURL* curl = static_cast<CURL*>(curl_);
  if (!curl) {
    response.error =
        GlobalInitOnce().empty() ? "libcurl could not be initialised" : GlobalInitOnce();
    return HERALD_ERR_HTTP_NOT_SENT;
  }
  const std::string_view url = request.url;
  const bool https = StartsWithNoCase(url, "https://");
  if (!https && !(options_.allow_plain_http && StartsWithNoCase(url, "http://"))) {
    response.error = options_.allow_plain_http
                         ? "only http and https URLs may be requested"
                         : "only https URLs may be requested for this account (its api_base is "
                           "https, or the platform's own)";
    return HERALD_ERR_HTTP_NOT_SENT;
  }
  curl_easy_reset(curl);
  Options opts(curl);
  std::string method = request.method;

  std::unique_ptr<curl_slist, SlistDeleter> headers;
  auto add_header = [&](const std::string& line) {
    curl_slist* grown = curl_slist_append(headers.get(), line.c_str());
    if (grown == nullptr) {
      opts.Check(CURLE_OUT_OF_MEMORY, "a request header");
      return;
    }
    (void)headers.release();
    headers.reset(grown);
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
      HERALD_SET(opts, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.size));
      HERALD_SET(opts, CURLOPT_POSTFIELDS, request.data ? request.data : "");
      break;
    case HERALD_BODY_FILE_RANGE: {
      body_range = OpenRange(files, request.file_path, request.file_offset, request.file_length,
                             response.error);
      if (!body_range) return HERALD_ERR_HTTP_BODY;
      HERALD_SET(opts, CURLOPT_UPLOAD, 1L);
      HERALD_SET(opts, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(body_range->length));
      HERALD_SET(opts, CURLOPT_READFUNCTION, ReadRange);
      HERALD_SET(opts, CURLOPT_READDATA, body_range.get());
      HERALD_SET(opts, CURLOPT_SEEKFUNCTION, SeekRange);
      HERALD_SET(opts, CURLOPT_SEEKDATA, body_range.get());
      break;
    }
    case HERALD_BODY_MULTIPART: {
      mime.reset(curl_mime_init(curl));
      if (!mime) opts.Check(CURLE_OUT_OF_MEMORY, "curl_mime_init");
      for (size_t i = 0; mime && i < request.part_count; ++i) {
        const herald_multipart_part& p = request.parts[i];
        if (!p.name) {
          response.error = "multipart part without a name";
          return HERALD_ERR_HTTP_BODY;
        }
        curl_mimepart* part = curl_mime_addpart(mime.get());
        if (part == nullptr) {
          opts.Check(CURLE_OUT_OF_MEMORY, "curl_mime_addpart");
          break;
        }
        opts.Check(curl_mime_name(part, p.name), "curl_mime_name");
        if (p.filename) opts.Check(curl_mime_filename(part, p.filename), "curl_mime_filename");
        if (p.content_type) opts.Check(curl_mime_type(part, p.content_type), "curl_mime_type");
        if (p.file_path) {
          auto range = OpenRange(files, p.file_path, p.file_offset, p.file_length, response.error);
          if (!range) return HERALD_ERR_HTTP_BODY;
          opts.Check(curl_mime_data_cb(part, static_cast<curl_off_t>(range->length), ReadRange,
                                       SeekRange, nullptr, range.get()),
                     "curl_mime_data_cb");
          part_ranges.push_back(std::move(range));
        } else {
          opts.Check(curl_mime_data(part, p.data ? p.data : "", p.data ? p.size : 0),
                     "curl_mime_data");
        }
      }
      HERALD_SET(opts, CURLOPT_MIMEPOST, mime.get());
      break;
    }
    default:
      response.error = "unknown body kind " + std::to_string(request.body_kind);
      return HERALD_ERR_HTTP_BODY;
  }

  if (method == "GET" && request.body_kind == HERALD_BODY_NONE) {
    HERALD_SET(opts, CURLOPT_HTTPGET, 1L);
  } else if (method == "HEAD") {
    HERALD_SET(opts, CURLOPT_NOBODY, 1L);
  } else if (method != "POST" || request.body_kind == HERALD_BODY_FILE_RANGE) {
    // UPLOAD makes libcurl send PUT; the custom request names the real method.
    HERALD_SET(opts, CURLOPT_CUSTOMREQUEST, method.c_str());
  }
  if (method == "POST" && request.body_kind == HERALD_BODY_NONE) {
    HERALD_SET(opts, CURLOPT_POSTFIELDSIZE, 0L);
    HERALD_SET(opts, CURLOPT_POSTFIELDS, "");
  }

  const char* protocols = options_.allow_plain_http ? "http,https" : "https";
  int64_t timeout = request.timeout_ms > 0 ? request.timeout_ms : options_.default_timeout_ms;
  Sink body{&response.body, options_.max_response_bytes};
  Sink header_block{&response.headers, options_.max_header_bytes};
  char error_buffer[CURL_ERROR_SIZE] = {};
  SendGuard guard;
  guard.idempotent = method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" ||
                     method == "OPTIONS";
  HERALD_SET(opts, CURLOPT_URL, request.url);
  HERALD_SET(opts, CURLOPT_PROTOCOLS_STR, protocols);
  HERALD_SET(opts, CURLOPT_REDIR_PROTOCOLS_STR, protocols);
  HERALD_SET(opts, CURLOPT_FOLLOWLOCATION, 0L);
  HERALD_SET(opts, CURLOPT_HTTPHEADER, headers.get());
  HERALD_SET(opts, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout));
  HERALD_SET(opts, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min<int64_t>(timeout, 10000)));
  HERALD_SET(opts, CURLOPT_NOSIGNAL, 1L);
  HERALD_SET(opts, CURLOPT_TCP_KEEPALIVE, 1L);
  HERALD_SET(opts, CURLOPT_ACCEPT_ENCODING, "");  // decoded bytes count against the cap
  HERALD_SET(opts, CURLOPT_WRITEFUNCTION, Append);
  HERALD_SET(opts, CURLOPT_WRITEDATA, &body);
  HERALD_SET(opts, CURLOPT_HEADERFUNCTION, AppendHeader);
  HERALD_SET(opts, CURLOPT_HEADERDATA, &header_block);
  HERALD_SET(opts, CURLOPT_ERRORBUFFER, error_buffer);
  HERALD_SET(opts, CURLOPT_PREREQFUNCTION, RefuseResend);
  HERALD_SET(opts, CURLOPT_PREREQDATA, &guard);
  if (!opts.ok()) {
    response.error = opts.Problem();
    curl_easy_reset(curl);
    return HERALD_ERR_HTTP_NOT_SENT;
  }

  CURLcode code = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  // Nothing of this call may outlive it inside the handle (the connection does).
  curl_easy_reset(curl);
  if (code == CURLE_ABORTED_BY_CALLBACK && guard.sends > 1) {
    response.body.clear();
    response.headers.clear();
    response.error =
        "the connection closed after the request was sent and before any answer; "
        "not sent again";
    return HERALD_ERR_HTTP_NO_RESPONSE;
  }
  if (code == CURLE_WRITE_ERROR && (body.overflowed || header_block.overflowed)) {
    response.body.clear();
    response.headers.clear();
    response.error =
        body.overflowed
            ? "the answer's body exceeds " + std::to_string(options_.max_response_bytes) + " bytes"
            : "the answer's headers exceed " + std::to_string(options_.max_header_bytes) + " bytes";
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
