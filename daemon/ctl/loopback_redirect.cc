#include <utility>

#include "ctl/loopback_redirect.h"

#include "common/leak_check.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cpprest/http_listener.h>
#include <cpprest/uri.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <future>
#include <map>
#include <optional>

namespace herald::ctl {

using web::http::experimental::listener::http_listener;

struct LoopbackRedirect::State {
  std::string expected_state;
  std::atomic<bool> answered{false};
  std::promise<Result<std::string>> outcome;
  std::unique_ptr<http_listener> listener;
};

namespace {

// A port that was free a moment ago on 127.0.0.1.
Result<int> FreeLoopbackPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Error(ErrorCode::kIo, std::string("socket: ") + std::strerror(errno));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  int port = -1;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0) {
    port = ntohs(address.sin_port);
  }
  int saved = errno;
  ::close(fd);
  if (port < 0) {
    return Error(ErrorCode::kIo,
                 std::string("cannot find a free port on 127.0.0.1: ") + std::strerror(saved));
  }
  return port;
}

std::string Page(const std::string& title, const std::string& text) {
  return "<!doctype html><html><head><meta charset=\"utf-8\"><title>herald: " + title +
         "</title></head><body><h1>" + title + "</h1><p>" + text + "</p></body></html>\n";
}

// Keeps printable ASCII of a platform's error text (which comes from the URL
// the browser was sent to), so a terminal escape cannot ride along.
std::string Printable(const std::string& text) {
  std::string out;
  for (char c : text.substr(0, 200)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  return out;
}

std::string HtmlEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else if (c == '"')
      out += "&quot;";
    else
      out += c;
  }
  return out;
}

// Compares without an early exit, so timing says nothing about the state.
bool SameSecret(const std::string& a, const std::string& b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return diff == 0;
}

void Handle(const std::shared_ptr<LoopbackRedirect::State>& state,
            web::http::http_request request) {
  using web::http::status_codes;
  if (request.method() != web::http::methods::GET) {
    request.reply(status_codes::MethodNotAllowed).wait();
    return;
  }
  std::map<std::string, std::string> query;
  try {
    for (const auto& [key, value] : web::uri::split_query(request.request_uri().query())) {
      std::string decoded = value;
      for (char& c : decoded) {
        if (c == '+') c = ' ';
      }
      query[web::uri::decode(key)] = web::uri::decode(decoded);
    }
  } catch (const std::exception&) {
    request.reply(status_codes::BadRequest, Page("bad request", "The query is malformed."),
                  "text/html; charset=utf-8");
    return;
  }
  if (state->answered.exchange(true)) {
    request.reply(
        status_codes::Conflict,
        Page("already answered", "herald already received an answer; this one is ignored."),
        "text/html; charset=utf-8");
    return;
  }
  Result<std::string> outcome = Error(ErrorCode::kInternal, "");
  std::string title, text;
  if (!SameSecret(query["state"], state->expected_state)) {
    outcome = Error(ErrorCode::kInvalidArgument,
                    "the redirect's state parameter does not match the one herald sent (a stale "
                    "or forged redirect); the code was not used");
    title = "refused";
    text =
        "The answer does not belong to this connection attempt. Start again with heraldctl "
        "connect.";
  } else if (!query["error"].empty()) {
    std::string reason = Printable(query["error"]);
    if (!query["error_description"].empty()) {
      reason += " (" + Printable(query["error_description"]) + ")";
    } else if (!query["error_reason"].empty()) {
      reason += " (" + Printable(query["error_reason"]) + ")";
    }
    outcome = Error(ErrorCode::kPermissionDenied, "the authorization was refused: " + reason);
    title = "not connected";
    text = "The platform answered: " + HtmlEscape(reason) + ".";
  } else if (query["code"].empty()) {
    outcome = Error(ErrorCode::kInvalidArgument, "the redirect carries no authorization code");
    title = "not connected";
    text = "The platform sent no authorization code.";
  } else {
    outcome = query["code"];
    title = "authorized";
    text =
        "herald received the authorization. You can close this window and return to the "
        "terminal.";
  }
  request
      .reply(outcome.ok() ? status_codes::OK : status_codes::BadRequest, Page(title, text),
             "text/html; charset=utf-8")
      .wait();
  state->outcome.set_value(std::move(outcome));
}

}  // namespace

Result<std::unique_ptr<LoopbackRedirect>> LoopbackRedirect::Start(int port,
                                                                  std::string expected_state) {
  std::unique_ptr<LoopbackRedirect> redirect(new LoopbackRedirect());
  redirect->state_ = std::make_shared<State>();
  redirect->state_->expected_state = std::move(expected_state);
  std::string last_error;
  for (int attempt = 0; attempt < 5; ++attempt) {
    int chosen = port;
    if (port == 0) {
      Result<int> free_port = FreeLoopbackPort();
      if (!free_port) return free_port.error();
      chosen = *free_port;
    }
    std::string uri = "http://127.0.0.1:" + std::to_string(chosen) + "/callback";
    try {
      auto listener = std::make_unique<http_listener>(uri);
      std::weak_ptr<State> weak = redirect->state_;
      listener->support([weak](web::http::http_request request) {
        if (auto state = weak.lock()) {
          Handle(state, std::move(request));
        } else {
          request.reply(web::http::status_codes::ServiceUnavailable);
        }
      });
      listener->open().wait();
      redirect->state_->listener = std::move(listener);
      redirect->redirect_uri_ = uri;
      return redirect;
    } catch (const std::exception& e) {
      last_error = e.what();
    }
    if (port != 0) break;
  }
  return Error(ErrorCode::kIo, "cannot listen on 127.0.0.1:" + std::to_string(port) +
                                   " for the OAuth redirect: " + last_error);
}

LoopbackRedirect::~LoopbackRedirect() {
  if (!state_ || !state_->listener) return;
  // heraldctl connect ends right after (see common/leak_check.h).
  CheckLeaksBeforeTeardown();
  try {
    state_->listener->close().wait();
  } catch (const std::exception&) {
    // Closing at exit: nothing left to do with the error.
  }
}

Result<std::string> LoopbackRedirect::Wait(std::chrono::seconds timeout) {
  std::future<Result<std::string>> future = state_->outcome.get_future();
  if (future.wait_for(timeout) != std::future_status::ready) {
    return Error(ErrorCode::kUnavailable, "no redirect reached " + redirect_uri_ + " within " +
                                              std::to_string(timeout.count()) + " s");
  }
  return future.get();
}

}  // namespace herald::ctl
