#include "core/account_host.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "config/credential_store.h"

namespace herald::core {

http::HttpClientOptions HttpOptionsFor(const config::AccountConfig& account,
                                       const config::HttpConfig& http) {
  http::HttpClientOptions o;
  o.max_response_bytes = http.max_response_bytes;
  // The real platforms, and any https base, are https only.
  o.allow_plain_http = account.api_base.rfind("http://", 0) == 0;
  return o;
}

AccountHost::AccountHost(std::string account, std::string credentials_ref,
                         config::CredentialStore* credentials, Clock* clock,
                         http::HttpClientOptions http)
    : account_(std::move(account)),
      credentials_ref_(std::move(credentials_ref)),
      credentials_(credentials),
      clock_(clock),
      client_(http) {}

void AccountHost::RememberSecret(const std::string& value) {
  MutexLock lock(mu_);
  if (std::find(secrets_.begin(), secrets_.end(), value) == secrets_.end()) {
    secrets_.push_back(value);
  }
}

std::string AccountHost::Redacted(std::string text) {
  MutexLock lock(mu_);
  return http::Redact(std::move(text), secrets_);
}

void AccountHost::Log(herald_log_level level, std::string_view message) {
  static constexpr spdlog::level::level_enum kLevels[] = {spdlog::level::debug, spdlog::level::info,
                                                          spdlog::level::warn, spdlog::level::err};
  spdlog::log(kLevels[level], "{}: {}", account_, Redacted(std::string(message)));
}

int32_t AccountHost::Http(const herald_http_request& request, herald_http_response& response) {
  for (size_t i = 0; i < request.secret_count; ++i) {
    if (request.secrets[i] && *request.secrets[i]) RememberSecret(request.secrets[i]);
  }
  auto started = std::chrono::steady_clock::now();
  int32_t rc = client_.Perform(request, last_response_, body_files_);
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::steady_clock::now() - started)
                    .count();
  if (spdlog::should_log(spdlog::level::debug)) {
    spdlog::debug(
        "{}: HTTP {} {} -> {} in {} us", account_, request.method, Redacted(request.url),
        rc == HERALD_OK ? std::to_string(last_response_.status) : Redacted(last_response_.error),
        micros);
  }
  if (rc != HERALD_OK) last_response_.error = Redacted(last_response_.error);
  // The platform charges a request that reached it, whatever the answer.
  if (quota_ && rc != HERALD_ERR_HTTP_NOT_SENT &&
      HERALD_HAS_FIELD(&request, herald_http_request, quota_units) && request.quota_units > 0) {
    quota_->Add(account_, request.quota_bucket ? request.quota_bucket : "", request.quota_units,
                clock_->NowMs());
  }
  response.status = last_response_.status;
  response.headers = last_response_.headers.c_str();
  response.headers_size = last_response_.headers.size();
  response.body = last_response_.body.data();
  response.body_size = last_response_.body.size();
  response.error = last_response_.error.empty() ? nullptr : last_response_.error.c_str();
  return rc;
}

std::optional<std::string> AccountHost::CredentialGet(std::string_view key) {
  if (!credentials_ || credentials_ref_.empty()) return std::nullopt;
  auto secret = credentials_->Lookup(credentials_ref_, std::string(key));
  if (!secret.ok()) return std::nullopt;
  RememberSecret(secret->value);
  {
    MutexLock lock(mu_);
    origin_ = secret->origin;  // what a refresh in this call derives from
  }
  return std::move(secret->value);
}

int32_t AccountHost::CredentialStore(std::string_view key, std::string_view value) {
  if (!credentials_ || credentials_ref_.empty()) return HERALD_ERR_NOT_FOUND;
  RememberSecret(std::string(value));
  std::string origin;
  {
    MutexLock lock(mu_);
    origin = origin_;
  }
  std::string warning;
  Status stored = credentials_->Store(credentials_ref_, std::string(key), std::string(value),
                                      &origin, &warning);
  if (!stored.ok()) {
    spdlog::error("{}: cannot store refreshed credential {}: {}", account_, key,
                  Redacted(stored.error().message()));
    return stored.error().code() == ErrorCode::kInvalidArgument ? HERALD_ERR_INVALID_ARGUMENT
                                                                : HERALD_ERR_INTERNAL;
  }
  if (!warning.empty()) spdlog::warn("{}: {}", account_, warning);
  MutexLock lock(mu_);
  origin_ = origin;  // a refresh stores several keys; each follows the last
  return HERALD_OK;
}

}  // namespace herald::core
