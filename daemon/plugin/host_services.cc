#include "plugin/host_services.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <exception>
#include <string>
#include <thread>
#include <unordered_map>

namespace herald::plugin {
namespace {

HostServices* FromCtx(herald_host_ctx* ctx) { return reinterpret_cast<HostServices*>(ctx); }

int64_t SystemNowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// What an exception says, for the log (the services' own logger redacts secrets).
std::string WhatOf(std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& x) {
    return x.what();
  } catch (...) {
    return "an exception that is not a std::exception";
  }
}

// A host service failed inside a thunk: logged at error level through the
// services (which redact what they know to be secret), else through spdlog
// without the exception's text (it might hold a secret nobody redacted).
void LogHostFailure(herald_host_ctx* ctx, const std::string& what, std::exception_ptr e) noexcept {
  try {
    FromCtx(ctx)->Log(HERALD_LOG_ERROR, "host error: " + what + ": " + WhatOf(e));
    return;
  } catch (...) {
  }
  try {
    spdlog::error("host error: {} (and the plugin's logger failed too)", what);
  } catch (...) {
    // Nothing is left to report through; the caller still returns an error.
  }
}

void LogThunk(herald_host_ctx* ctx, int32_t level, const char* message) {
  try {
    if (level < HERALD_LOG_DEBUG || level > HERALD_LOG_ERROR) level = HERALD_LOG_INFO;
    FromCtx(ctx)->Log(static_cast<herald_log_level>(level), message ? message : "");
  } catch (...) {
    // The line itself is not repeated: the logger that failed would have redacted it.
    try {
      spdlog::error("host error: a plugin's log line was lost (the host's logger failed)");
    } catch (...) {
    }
  }
}

// The answer the plugin gets when the host failed making the request: no
// HTTP answer and a transport error it can act on. The request may have left
// before the failure, so it is "no response" (a creating request becomes
// unknown and is reconciled), never a plausible success.
int32_t HttpHostFailure(herald_http_response* response, const char* error) {
  response->status = 0;
  response->headers = nullptr;
  response->headers_size = 0;
  response->body = nullptr;
  response->body_size = 0;
  response->error = error;
  return HERALD_ERR_HTTP_NO_RESPONSE;
}

int32_t HttpThunk(herald_host_ctx* ctx, const herald_http_request* request,
                  herald_http_response* response) {
  if (!response) return HERALD_ERR_INVALID_ARGUMENT;
  if (!request || !request->method || !request->url) {
    response->status = 0;
    response->error = "the request has no method or no URL";
    return HERALD_ERR_INVALID_ARGUMENT;
  }
  try {
    int32_t rc = FromCtx(ctx)->Http(*request, *response);
    if (rc != HERALD_OK && !(response->error && *response->error)) {
      // The ABI promises the plugin a reason with every transport error.
      FromCtx(ctx)->Log(HERALD_LOG_ERROR, std::string("host error: HTTP ") + request->method +
                                              " failed (status " + std::to_string(rc) +
                                              ") without saying why");
      response->error = "the host's HTTP layer failed without saying why (see the daemon's log)";
    }
    return rc;
  } catch (...) {
    LogHostFailure(ctx, std::string("HTTP ") + request->method + " failed in the host",
                   std::current_exception());
    return HttpHostFailure(response,
                           "the host failed while making the request (see the daemon's log); "
                           "it may have reached the platform");
  }
}

// The returned string must live until the current plugin call returns; one
// slot per thread per key is kept, replaced on the next lookup of that key.
// The ABI has no error for a lookup: a failure is logged and reads as absent.
const char* CredentialGetThunk(herald_host_ctx* ctx, const char* key) {
  if (!key) return nullptr;
  try {
    auto value = FromCtx(ctx)->CredentialGet(key);
    if (!value) return nullptr;
    thread_local std::unordered_map<std::string, std::string> slots;
    std::string& slot = slots[key];
    slot = std::move(*value);
    return slot.c_str();
  } catch (...) {
    LogHostFailure(ctx, std::string("cannot read credential ") + key, std::current_exception());
    return nullptr;
  }
}

int32_t CredentialStoreThunk(herald_host_ctx* ctx, const char* key, const char* value) {
  if (!key || !*key || !value || !*value) return HERALD_ERR_INVALID_ARGUMENT;
  try {
    return FromCtx(ctx)->CredentialStore(key, value);
  } catch (...) {
    LogHostFailure(ctx, std::string("cannot store credential ") + key, std::current_exception());
    return HERALD_ERR_INTERNAL;
  }
}

// The ABI's clock has no error value, and 0 (1970) would make every wait a
// plugin computes from it wrong: when the host's clock fails, the failure is
// logged and the system clock, which the daemon's clock follows, answers.
int64_t NowThunk(herald_host_ctx* ctx) {
  try {
    return FromCtx(ctx)->NowMs();
  } catch (...) {
    LogHostFailure(ctx, "the host's clock failed; answering with the system clock",
                   std::current_exception());
    return SystemNowMs();
  }
}

const herald_host_api kHostApi = {
    sizeof(herald_host_api), LogThunk, HttpThunk, CredentialGetThunk,
    CredentialStoreThunk,    NowThunk,
};

}  // namespace

const herald_host_api* HostApiTable() { return &kHostApi; }

herald_host_ctx* ToHostCtx(HostServices* services) {
  return reinterpret_cast<herald_host_ctx*>(services);
}

void ProbeHostServices::Log(herald_log_level level, std::string_view message) {
  static constexpr spdlog::level::level_enum kLevels[] = {spdlog::level::debug, spdlog::level::info,
                                                          spdlog::level::warn, spdlog::level::err};
  if (level < min_level_) return;
  spdlog::log(kLevels[level], "{}: {}", prefix_, message);
}

int32_t ProbeHostServices::Http(const herald_http_request&, herald_http_response& response) {
  response.status = 0;
  response.error = "HTTP is not available while the host probes a plugin";
  return HERALD_ERR_HTTP_NOT_SENT;
}

std::optional<std::string> ProbeHostServices::CredentialGet(std::string_view) {
  return std::nullopt;
}

int32_t ProbeHostServices::CredentialStore(std::string_view, std::string_view) {
  return HERALD_ERR_INVALID_ARGUMENT;
}

int64_t ProbeHostServices::NowMs() { return SystemNowMs(); }

}  // namespace herald::plugin
