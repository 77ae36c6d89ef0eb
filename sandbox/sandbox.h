// Sandbox: the whole emulator behind one call, Handle(request) -> response.
// It routes a request to the Facebook, Instagram, YouTube, OAuth or admin
// emulator, applies injected faults, and writes the request log. It owns the
// Store and the mutex that guards it. Handle may be called from many threads
// at once; the clock and the media fetcher are borrowed and must outlive it.
#pragma once

#include <mutex>
#include <string>

#include "sandbox/clock.h"
#include "sandbox/config.h"
#include "sandbox/faults.h"
#include "sandbox/http_message.h"
#include "sandbox/media_fetcher.h"
#include "sandbox/request_log.h"
#include "sandbox/store.h"

namespace herald::sandbox {

class Sandbox {
 public:
  Sandbox(SandboxConfig config, const Clock& clock, MediaFetcher& fetcher);
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  // Where the sandbox is reachable, for Location headers and permalinks.
  void SetBaseUrl(const std::string& base_url);
  // Never throws; an unexpected failure becomes a 500 in the platform's shape.
  HttpResponse Handle(const HttpRequest& request);

  FaultSet& faults() { return faults_; }
  RequestLog& log() { return log_; }
  const SandboxConfig& config() const { return config_; }

 private:
  HttpResponse Dispatch(const HttpRequest& request, const FaultRule* fault);
  HttpResponse FaultResponse(const HttpRequest& request, const FaultRule& fault);

  const SandboxConfig config_;
  const Clock& clock_;
  MediaFetcher& fetcher_;
  FaultSet faults_;
  RequestLog log_;
  std::mutex mu_;
  Store store_;           // guarded by mu_
  std::string base_url_;  // guarded by mu_
};

}  // namespace herald::sandbox
