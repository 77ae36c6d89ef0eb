// ConnectorFactory: where the dispatcher gets a connector for an account,
// behind an interface so that its tests script connectors instead of loading
// plugins (tests/support/scripted_connectors.h). PluginConnectors is the real
// one: a plugin::Connector of the account's plugin with an AccountHost (logs,
// HTTP, credentials, the daemon's clock, the quota its requests cost).
//
// An AccountConnector serves one call at a time (the ABI's promise to
// plugins); the dispatcher pools them per account. A factory is thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "common/result.h"
#include "config/config.h"
#include "core/clock.h"
#include "core/quota_tracker.h"
#include "http/http_client.h"
#include "plugin/connector.h"
#include "plugin/plugin_loader.h"

namespace herald::config {
class CredentialStore;
}

namespace herald::core {

class AccountConnector {
 public:
  virtual ~AccountConnector() = default;
  // Never fails as a call: a plugin error is a FAILED outcome.
  virtual plugin::StepOutcome Step(const plugin::PostInput& post,
                                   const std::optional<std::string>& checkpoint) = 0;
  // kNotImplemented when the plugin has no find().
  virtual Result<plugin::FindOutcome> Find(const plugin::PostInput& post) = 0;
  // The files the next Step's requests may send (nullptr: none); the caller
  // keeps them alive while set. Connectors that send no files ignore it.
  virtual void SetBodyFiles(const http::BodyFiles* /*files*/) {}
  // `text` with every secret of the account this connector has seen redacted.
  virtual std::string Redacted(std::string text) = 0;
};

class ConnectorFactory {
 public:
  virtual ~ConnectorFactory() = default;
  // A new connector for `account`, or why not: kNotFound when no plugin for
  // its platform is loaded, another code when the plugin refused to create
  // one (the message names the account and says why, secrets redacted).
  virtual Result<std::unique_ptr<AccountConnector>> Create(
      const config::AccountConfig& account) = 0;
};

class PluginConnectors final : public ConnectorFactory {
 public:
  // Everything given must outlive the factory and its connectors;
  // `credentials` may be null (no credentials file), `quota` too (requests'
  // costs are not counted).
  PluginConnectors(const plugin::PluginLoadReport& plugins, config::CredentialStore* credentials,
                   Clock& clock, QuotaTracker* quota = nullptr,
                   config::HttpConfig http = config::HttpConfig{});

  Result<std::unique_ptr<AccountConnector>> Create(const config::AccountConfig& account) override;

 private:
  const plugin::PluginLoadReport& plugins_;
  config::CredentialStore* const credentials_;
  Clock& clock_;
  QuotaTracker* const quota_;
  const config::HttpConfig http_;
};

}  // namespace herald::core
