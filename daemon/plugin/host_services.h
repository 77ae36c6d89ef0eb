// HostServices: what heraldd offers a connector plugin (log, HTTP, the
// account's credentials, the clock), and the adapter that exposes an instance
// through the C table `herald_host_api` of the plugin ABI.
//
// One HostServices object serves one connector handle; it must outlive the
// connector. Every method may be called from any worker thread and must be
// thread-safe; none may throw. The adapter catches everything anyway, because
// nothing may unwind into a plugin, and never answers with a plausible value
// instead: each failure is logged at error level, and the plugin gets a real
// error where the ABI has one (http: HERALD_ERR_HTTP_NO_RESPONSE with
// response->error set, as the request may have left; credential_store:
// HERALD_ERR_INTERNAL). Where it has none, the least wrong answer: now_ms the
// system clock (never 0), credential_get NULL (absent), a lost log line noted.
// The interface exists so tests can substitute the network and the clock.
#pragma once

#include <herald/plugin_abi.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace herald::plugin {

class HostServices {
 public:
  virtual ~HostServices() = default;

  virtual void Log(herald_log_level level, std::string_view message) = 0;

  // Performs one request; fills `response` (whose strings must stay valid
  // until the next Http call on this object). Returns a herald_status.
  virtual int32_t Http(const herald_http_request& request, herald_http_response& response) = 0;

  // The credential `key` of this connector's account, if any.
  virtual std::optional<std::string> CredentialGet(std::string_view key) = 0;

  // Durably stores a refreshed credential. Empty values are refused by the adapter.
  virtual int32_t CredentialStore(std::string_view key, std::string_view value) = 0;

  virtual int64_t NowMs() = 0;
};

// The host API table whose functions forward to the HostServices passed as
// the context. Static storage; valid for the life of the process.
const herald_host_api* HostApiTable();

// The context pointer to hand to a plugin for `services`.
herald_host_ctx* ToHostCtx(HostServices* services);

// Services for a probe connector (the one the loader makes to read describe(),
// and those the calendar load asks validate()): logs through `log_prefix`
// from `min_level` up, refuses HTTP and credentials, real clock.
class ProbeHostServices final : public HostServices {
 public:
  explicit ProbeHostServices(std::string log_prefix, herald_log_level min_level = HERALD_LOG_DEBUG)
      : prefix_(std::move(log_prefix)), min_level_(min_level) {}
  void Log(herald_log_level level, std::string_view message) override;
  int32_t Http(const herald_http_request& request, herald_http_response& response) override;
  std::optional<std::string> CredentialGet(std::string_view key) override;
  int32_t CredentialStore(std::string_view key, std::string_view value) override;
  int64_t NowMs() override;

 private:
  std::string prefix_;
  herald_log_level min_level_;
};

}  // namespace herald::plugin
