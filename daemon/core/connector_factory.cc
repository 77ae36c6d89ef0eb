#include "core/connector_factory.h"

#include "core/account_host.h"
#include "core/account_spec.h"

namespace herald::core {
namespace {

class PluginConnector final : public AccountConnector {
 public:
  PluginConnector(std::unique_ptr<AccountHost> host, std::unique_ptr<plugin::Connector> connector)
      : host_(std::move(host)), connector_(std::move(connector)) {}

  plugin::StepOutcome Step(const plugin::PostInput& post,
                           const std::optional<std::string>& checkpoint) override {
    return connector_->Step(post, checkpoint);
  }
  Result<plugin::FindOutcome> Find(const plugin::PostInput& post) override {
    return connector_->Find(post);
  }
  void SetBodyFiles(const http::BodyFiles* files) override { host_->SetBodyFiles(files); }
  std::string Redacted(std::string text) override { return host_->Redacted(std::move(text)); }

 private:
  std::unique_ptr<AccountHost> host_;  // outlives the connector (declared first)
  std::unique_ptr<plugin::Connector> connector_;
};

}  // namespace

PluginConnectors::PluginConnectors(const plugin::PluginLoadReport& plugins,
                                   config::CredentialStore* credentials, Clock& clock,
                                   QuotaTracker* quota, config::HttpConfig http)
    : plugins_(plugins),
      credentials_(credentials),
      clock_(clock),
      quota_(quota),
      http_(std::move(http)) {}

Result<std::unique_ptr<AccountConnector>> PluginConnectors::Create(
    const config::AccountConfig& account) {
  auto plugin = plugins_.Find(account.platform);
  if (!plugin) {
    return Error(ErrorCode::kNotFound, "no connector plugin for platform " + account.platform);
  }
  auto host = std::make_unique<AccountHost>(account.name, account.credentials, credentials_,
                                            &clock_, HttpOptionsFor(account, http_));
  host->set_quota_tracker(quota_);
  auto connector = plugin::Connector::Create(plugin, AccountSpecOf(account), host.get());
  if (!connector.ok()) {
    ErrorCode code = connector.error().code() == ErrorCode::kNotFound ? ErrorCode::kInternal
                                                                      : connector.error().code();
    return Error(
        code, "connector for " + account.name + ": " + host->Redacted(connector.error().message()));
  }
  return std::unique_ptr<AccountConnector>(
      std::make_unique<PluginConnector>(std::move(host), std::move(*connector)));
}

}  // namespace herald::core
