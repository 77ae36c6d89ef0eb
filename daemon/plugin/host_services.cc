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

void LogThunk(herald_host_ctx* ctx, int32_t level, const char* message) {
  try {
    if (level < HERALD_LOG_DEBUG || level > HERALD_LOG_ERROR) level = HERALD_LOG_INFO;
    FromCtx(ctx)->Log(static_cast<herald_log_level>(level), message ? message : "");
  } catch (...) {
    // Logging must never unwind into the plugin; a lost line is the lesser harm.
  }
}

int32_t HttpThunk(herald_host_ctx* ctx, const herald_http_request* request,
                  herald_http_response* response) {
  if (!request || !response || !request->method || !request->url) {
    return HERALD_ERR_INVALID_ARGUMENT;
  }
  try {
    return FromCtx(ctx)->Http(*request, *response);
  } catch (...) {
    return HERALD_ERR_INTERNAL;
  }
}

// The returned string must live until the current plugin call returns; one
// slot per thread per key is kept, replaced on the next lookup of that key.
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
    return nullptr;
  }
}

int32_t CredentialStoreThunk(herald_host_ctx* ctx, const char* key, const char* value) {
  if (!key || !*key || !value || !*value) return HERALD_ERR_INVALID_ARGUMENT;
  try {
    return FromCtx(ctx)->CredentialStore(key, value);
  } catch (...) {
    return HERALD_ERR_INTERNAL;
  }
}

int64_t NowThunk(herald_host_ctx* ctx) {
  try {
    return FromCtx(ctx)->NowMs();
  } catch (...) {
    return 0;
  }
}

const herald_host_api kHostApi = {
    sizeof(herald_host_api), LogThunk, HttpThunk, CredentialGetThunk,
    CredentialStoreThunk,    NowThunk,
};

int64_t SystemNowMs() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

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
