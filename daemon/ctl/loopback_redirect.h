// LoopbackRedirect: the OAuth redirect target of `heraldctl connect`, an HTTP
// listener on http://127.0.0.1:PORT/callback (RFC 8252 section 7.3; cpprest's
// http_listener). It answers the browser's one redirect, checks the `state`
// parameter and hands the authorization code (or the refusal) to the waiting
// thread.
//
// The code and the state are secrets of the flow: they never appear in an
// error message or in the page shown to the browser.
//
// Thread-safety: Start, redirect_uri and Wait are called from one thread; the
// listener's handler runs on cpprest's threads and only fulfils a promise.
// The destructor closes the listener.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "common/result.h"

namespace herald::ctl {

class LoopbackRedirect {
 public:
  // Listens on 127.0.0.1:`port` (0: a free ephemeral port). `expected_state`
  // is the state sent in the authorization URL. kIo when it cannot listen.
  static Result<std::unique_ptr<LoopbackRedirect>> Start(int port, std::string expected_state);

  ~LoopbackRedirect();
  LoopbackRedirect(const LoopbackRedirect&) = delete;
  LoopbackRedirect& operator=(const LoopbackRedirect&) = delete;

  // "http://127.0.0.1:PORT/callback".
  const std::string& redirect_uri() const { return redirect_uri_; }

  // Blocks until the browser reaches /callback or `timeout` passes. The code,
  // else kPermissionDenied (the user refused: the platform's error),
  // kInvalidArgument (state mismatch, no code) or kUnavailable (timeout).
  Result<std::string> Wait(std::chrono::seconds timeout);

  struct State;  // shared with the listener's handler

 private:
  LoopbackRedirect() = default;
  std::string redirect_uri_;
  std::shared_ptr<State> state_;
};

}  // namespace herald::ctl
