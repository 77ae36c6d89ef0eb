// AccountHost: the host services one connector instance of one account gets:
// logs through spdlog (tagged with the account, secrets redacted), HTTP through
// its own HttpClient (so its connection is kept alive between calls), the
// account's credentials from the CredentialStore, and the daemon's clock.
// A request body may name a file only while the dispatcher has handed the
// current attempt's files (SetBodyFiles): then the job's own media and covers
// are sent from their confined descriptors, and any other path is refused.
//
// One AccountHost per Connector; it must outlive the connector. The ABI
// promises one call at a time per connector, so Http() needs no lock; the
// secret list is shared with Log(), which a plugin may call from helper
// threads, so it is guarded.
#pragma once

#include <string>
#include <vector>

#include "common/mutex.h"
#include "config/config.h"
#include "core/clock.h"
#include "core/quota_tracker.h"
#include "http/http_client.h"
#include "plugin/host_services.h"

namespace herald::config {
class CredentialStore;
}

namespace herald::core {

// The host HTTP client's options for `account`'s connectors: plain http only
// when its api_base is http (the sandbox on loopback), the response cap.
http::HttpClientOptions HttpOptionsFor(const config::AccountConfig& account,
                                       const config::HttpConfig& http);

class AccountHost final : public plugin::HostServices {
 public:
  // `credentials` (nullable) and `clock` must outlive this object.
  AccountHost(std::string account, std::string credentials_ref,
              config::CredentialStore* credentials, Clock* clock, http::HttpClientOptions http);

  // The files requests may send until the next call (nullptr: none). The
  // caller keeps them alive while they are set. Same thread as the plugin calls.
  void SetBodyFiles(const http::BodyFiles* files) { body_files_ = files; }

  void Log(herald_log_level level, std::string_view message) override;
  int32_t Http(const herald_http_request& request, herald_http_response& response) override;
  std::optional<std::string> CredentialGet(std::string_view key) override;
  int32_t CredentialStore(std::string_view key, std::string_view value) override;
  int64_t NowMs() override { return clock_->NowMs(); }

  // `text` with every secret this host has handed out or been given redacted.
  std::string Redacted(std::string text);
  // Where the quota cost of each request sent is added (nullable; set
  // before the connector's first call, outlives this host).
  void set_quota_tracker(QuotaTracker* quota) { quota_ = quota; }

 private:
  void RememberSecret(const std::string& value);

  const std::string account_;
  const std::string credentials_ref_;
  config::CredentialStore* const credentials_;
  Clock* const clock_;
  QuotaTracker* quota_ = nullptr;
  http::HttpClient client_;
  const http::BodyFiles* body_files_ = nullptr;
  http::HttpResponse last_response_;  // what the plugin's response points into
  Mutex mu_;
  std::vector<std::string> secrets_ GUARDED_BY(mu_);
  std::string origin_ GUARDED_BY(mu_);  // the admin's entry the last credential came from
};

}  // namespace herald::core
