// What every platform emulator (facebook, instagram, youtube, oauth, admin)
// receives for one request: the configuration, the Store with its lock held,
// the request time, the media fetcher, the fault taken for this request and
// the sandbox's own base URL. Lives for one Sandbox::Handle call, on the
// calling thread.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "sandbox/clock.h"
#include "sandbox/config.h"
#include "sandbox/faults.h"
#include "sandbox/http_message.h"
#include "sandbox/media_fetcher.h"
#include "sandbox/store.h"

namespace herald::sandbox {

class FaultSet;
class RequestLog;

struct EmulatorContext {
  const SandboxConfig& config;
  Store& store;                        // guarded by `lock`
  std::unique_lock<std::mutex>& lock;  // held on entry and on return; may be released
                                       // around slow work that touches no state (downloads)
  TimePoint now;
  MediaFetcher& fetcher;
  const FaultRule* fault;  // taken for this request, or nullptr
  std::string base_url;    // "http://127.0.0.1:PORT", no trailing slash
  FaultSet& faults;
  RequestLog& log;
};

// "/v21.0/123/feed" -> {"v21.0", "123", "feed"}; empty segments dropped.
std::vector<std::string> SplitPath(const std::string& path);
// True for "v21.0", "v3.2" (the Graph API's version prefix).
bool IsGraphVersion(const std::string& segment);
// The access token from the access_token parameter or an Authorization
// header ("Bearer x" or "OAuth x"); "" when absent.
std::string AccessToken(const HttpRequest& request);
// "2025-03-01T09:30:00+0000", the Graph API's time format.
std::string GraphTime(TimePoint time);
// "2025-03-01T09:30:00Z", Google's RFC 3339 format.
std::string GoogleTime(TimePoint time);

}  // namespace herald::sandbox
