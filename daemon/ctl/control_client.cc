#include "ctl/control_client.h"

#include <curl/curl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace herald::ctl {

namespace {

size_t Collect(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

struct StreamState {
  const std::function<bool(const std::string&)>* on_line;
  std::string pending;
  bool stopped = false;
};

size_t Lines(char* data, size_t size, size_t n, void* user) {
  auto* s = static_cast<StreamState*>(user);
  s->pending.append(data, size * n);
  size_t start = 0, nl;
  while ((nl = s->pending.find('\n', start)) != std::string::npos) {
    if (!(*s->on_line)(s->pending.substr(start, nl - start))) {
      s->stopped = true;
      return 0;  // aborts the transfer
    }
    start = nl + 1;
  }
  s->pending.erase(0, start);
  return size * n;
}

}  // namespace

ControlClient::ControlClient(std::string socket_path) : socket_path_(std::move(socket_path)) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
  curl_ = curl_easy_init();
}

ControlClient::~ControlClient() {
  if (curl_) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

namespace {

Error TransportError(const std::string& socket, CURLcode code) {
  struct stat st {};
  if (::stat(socket.c_str(), &st) != 0) {
    return Error(ErrorCode::kUnavailable,
                 "heraldd is not running: no control socket at " + socket +
                     " (start it, or point --socket / HERALD_SOCKET elsewhere)");
  }
  if (::access(socket.c_str(), R_OK | W_OK) != 0 && errno == EACCES) {
    return Error(ErrorCode::kPermissionDenied,
                 "permission denied on " + socket +
                     ": you need to be in the socket's group (see control.group)");
  }
  if (code == CURLE_COULDNT_CONNECT) {
    return Error(ErrorCode::kUnavailable,
                 "heraldd is not running: nothing answers on " + socket + " (a stale socket?)");
  }
  return Error(ErrorCode::kIo,
               std::string("talking to heraldd on ") + socket + ": " + curl_easy_strerror(code));
}

}  // namespace

Result<HttpReply> ControlClient::Call(const std::string& method, const std::string& path,
                                      const std::string& body) {
  CURL* c = static_cast<CURL*>(curl_);
  if (!c) return Error(ErrorCode::kInternal, "libcurl did not initialize");
  curl_easy_reset(c);
  HttpReply reply;
  std::string url = "http://herald" + path;
  curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, socket_path_.c_str());
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 300L);
  curl_slist* headers = nullptr;
  if (method == "POST") {
    headers = curl_slist_append(headers, "Content-Type: application/json");
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  }
  CURLcode code = curl_easy_perform(c);
  if (headers) curl_slist_free_all(headers);
  if (code != CURLE_OK) return TransportError(socket_path_, code);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply.status);
  return reply;
}

Status ControlClient::Stream(const std::string& path,
                             const std::function<bool(const std::string&)>& on_line) {
  CURL* c = static_cast<CURL*>(curl_);
  if (!c) return Error(ErrorCode::kInternal, "libcurl did not initialize");
  curl_easy_reset(c);
  StreamState state{&on_line, {}, false};
  std::string url = "http://herald" + path;
  curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, socket_path_.c_str());
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Lines);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &state);
  curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
  CURLcode code = curl_easy_perform(c);
  if (state.stopped || code == CURLE_OK) return Status::Ok();
  if (code == CURLE_HTTP_RETURNED_ERROR) {
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (status == 403) {
      return Error(ErrorCode::kPermissionDenied, "heraldd refused: this needs the viewer role");
    }
    return Error(ErrorCode::kIo, "heraldd answered HTTP " + std::to_string(status));
  }
  return TransportError(socket_path_, code);
}

}  // namespace herald::ctl
