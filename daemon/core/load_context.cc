#include "core/load_context.h"

#include <spdlog/spdlog.h>

#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "core/account_spec.h"
#include "core/job_payload.h"
#include "plugin/connector.h"
#include "plugin/host_services.h"

// Last: its U() macro breaks fmt and Boost headers that follow it.
#include <cpprest/json.h>

namespace herald::core {
namespace {

// The plugins' validate(), through one connector per configured account made
// with the account's settings but no credentials and no network (validate()
// may judge a post by the account's settings; it never calls out). Null when
// no account's plugin has validate().
std::function<std::vector<calendar::JobProblem>(const calendar::Job&)> ConnectorChecks(
    const config::Config& config, const plugin::PluginLoadReport& plugins) {
  struct Checkers {
    // No HTTP, no credentials; warnings and errors only: a plugin's info
    // lines at create() would fill every load's log. Outlives the connectors.
    plugin::ProbeHostServices host{"validate", HERALD_LOG_WARN};
    std::mutex mu;  // a connector serves one call at a time
    std::map<std::string, std::unique_ptr<plugin::Connector>> by_account;
  };
  auto checkers = std::make_shared<Checkers>();
  for (const auto& account : config.accounts) {
    auto p = plugins.Find(account.platform);
    if (!p || !p->has_validate()) continue;
    auto connector = plugin::Connector::Create(p, AccountSpecOf(account), &checkers->host);
    if (connector.ok()) {
      checkers->by_account[account.name] = std::move(*connector);
    } else {
      spdlog::warn("account {}: its posts are not checked by its plugin's validate(): {}",
                   account.name, connector.error().message());
    }
  }
  if (checkers->by_account.empty()) return nullptr;
  return [checkers](const calendar::Job& job) {
    std::vector<calendar::JobProblem> problems;
    auto it = checkers->by_account.find(job.account);
    if (it == checkers->by_account.end()) return problems;
    journal::Job stored;
    stored.record = ToJobRecord(job);
    auto post = ToPostInput(stored);
    if (!post.ok()) return problems;
    Result<std::string> answer = [&] {
      std::lock_guard lock(checkers->mu);
      return it->second->Validate(*post);
    }();
    if (!answer.ok()) {
      problems.push_back({"", "its connector's validate() failed: " + answer.error().message()});
      return problems;
    }
    try {
      const web::json::value issues = web::json::value::parse(*answer);
      if (!issues.is_array()) throw std::invalid_argument("not a JSON array");
      for (const auto& issue : issues.as_array()) {
        problems.push_back({issue.has_string_field("field") ? issue.at("field").as_string() : "",
                            issue.has_string_field("message") ? issue.at("message").as_string()
                                                              : issue.serialize()});
      }
    } catch (const std::exception& e) {
      problems.push_back({"", std::string("its connector's validate() answered something that "
                                          "is not a list of problems: ") +
                                  e.what()});
    }
    return problems;
  };
}

}  // namespace

calendar::LoadContext MakeLimitsContext(const plugin::PluginLoadReport& plugins) {
  calendar::LoadContext context;
  context.accounts_known = false;
  context.limits_known = true;
  for (const auto& plugin : plugins.plugins) {
    auto limits = calendar::ParsePlatformLimits(plugin->limits_json());
    if (limits.ok()) {
      context.limits[plugin->platform()] = std::move(*limits);
    } else {
      spdlog::warn(
          "plugin {}: its describe() limits are unreadable ({}); posts for {} are not "
          "checked against limits",
          plugin->path().string(), limits.error().message(), plugin->platform());
    }
  }
  return context;
}

calendar::LoadContext MakeLoadContext(const config::Config& config,
                                      const plugin::PluginLoadReport& plugins) {
  calendar::LoadContext context = MakeLimitsContext(plugins);
  for (const auto& account : config.accounts) context.accounts.push_back(account.name);
  context.accounts_known = true;
  context.check_job = ConnectorChecks(config, plugins);
  return context;
}

}  // namespace herald::core
