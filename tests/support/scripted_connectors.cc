#include "scripted_connectors.h"

namespace herald::testing {

plugin::StepOutcome Published(std::string remote_id, std::string url) {
  plugin::StepOutcome o;
  o.kind = HERALD_OUTCOME_PUBLISHED;
  o.remote_id = std::move(remote_id);
  o.url = std::move(url);
  o.http_status = 200;
  return o;
}

plugin::StepOutcome Continue(int64_t at_ms, std::string checkpoint) {
  plugin::StepOutcome o;
  o.kind = HERALD_OUTCOME_CONTINUE;
  o.at_ms = at_ms;
  o.checkpoint = std::move(checkpoint);
  return o;
}

plugin::StepOutcome Retry(int64_t at_ms, std::string reason, int32_t http_status) {
  plugin::StepOutcome o;
  o.kind = HERALD_OUTCOME_RETRY;
  o.at_ms = at_ms;
  o.reason = std::move(reason);
  o.http_status = http_status;
  return o;
}

plugin::StepOutcome AuthExpired(std::string reason) {
  plugin::StepOutcome o;
  o.kind = HERALD_OUTCOME_AUTH_EXPIRED;
  o.reason = std::move(reason);
  o.http_status = 401;
  return o;
}

plugin::StepOutcome Failed(std::string reason, int32_t http_status) {
  plugin::StepOutcome o;
  o.kind = HERALD_OUTCOME_FAILED;
  o.reason = std::move(reason);
  o.http_status = http_status;
  return o;
}

plugin::StepOutcome Unknown(std::string reason) {
  plugin::StepOutcome o;
  o.kind = HERALD_OUTCOME_UNKNOWN;
  o.reason = std::move(reason);
  return o;
}

plugin::FindOutcome Found(std::string remote_id, std::string url) {
  return {HERALD_FIND_FOUND, std::move(remote_id), std::move(url), ""};
}

plugin::FindOutcome NotFound(std::string reason) {
  return {HERALD_FIND_NOT_FOUND, "", "", std::move(reason)};
}

plugin::FindOutcome CannotTell(std::string reason) {
  return {HERALD_FIND_CANNOT_TELL, "", "", std::move(reason)};
}

class ScriptedConnectors::Connector final : public core::AccountConnector {
 public:
  Connector(ScriptedConnectors& factory, std::string account)
      : factory_(factory), account_(std::move(account)) {}

  plugin::StepOutcome Step(const plugin::PostInput& post,
                           const std::optional<std::string>& checkpoint) override {
    return factory_.Step(account_, post, checkpoint);
  }
  Result<plugin::FindOutcome> Find(const plugin::PostInput& post) override {
    return factory_.Find(account_, post);
  }
  std::string Redacted(std::string text) override {
    return factory_.Redacted(account_, std::move(text));
  }

 private:
  ScriptedConnectors& factory_;
  const std::string account_;
};

ScriptedConnectors::ScriptedConnectors(core::Clock* clock) : clock_(clock) {}

int64_t ScriptedConnectors::Now() const { return clock_ ? clock_->NowMs() : 0; }

void ScriptedConnectors::Script(const std::string& account,
                                std::vector<plugin::StepOutcome> outcomes) {
  MutexLock lock(mu_);
  Account& a = accounts_[account];
  a.step = nullptr;
  a.script.insert(a.script.end(), outcomes.begin(), outcomes.end());
}

void ScriptedConnectors::OnStep(const std::string& account, StepFn step) {
  MutexLock lock(mu_);
  accounts_[account].step = std::move(step);
}

void ScriptedConnectors::OnFind(const std::string& account, FindFn find) {
  MutexLock lock(mu_);
  accounts_[account].find = std::move(find);
}

void ScriptedConnectors::RefuseCreate(const std::string& account, Error error) {
  MutexLock lock(mu_);
  accounts_[account].refuse = std::move(error);
}

void ScriptedConnectors::AddSecret(const std::string& account, std::string secret) {
  MutexLock lock(mu_);
  accounts_[account].secrets.push_back(std::move(secret));
}

std::vector<ScriptedConnectors::Call> ScriptedConnectors::steps() const {
  MutexLock lock(mu_);
  return steps_;
}

std::vector<ScriptedConnectors::Call> ScriptedConnectors::finds() const {
  MutexLock lock(mu_);
  return finds_;
}

int ScriptedConnectors::created(const std::string& account) const {
  MutexLock lock(mu_);
  auto it = accounts_.find(account);
  return it == accounts_.end() ? 0 : it->second.created;
}

Result<std::unique_ptr<core::AccountConnector>> ScriptedConnectors::Create(
    const config::AccountConfig& account) {
  MutexLock lock(mu_);
  Account& a = accounts_[account.name];
  if (a.refuse) return *a.refuse;
  ++a.created;
  return std::unique_ptr<core::AccountConnector>(std::make_unique<Connector>(*this, account.name));
}

plugin::StepOutcome ScriptedConnectors::Step(const std::string& account,
                                             const plugin::PostInput& post,
                                             const std::optional<std::string>& checkpoint) {
  const int64_t now = Now();
  StepFn step;
  {
    MutexLock lock(mu_);
    steps_.push_back({account, post.job_id, post.text, post.due_ms, checkpoint, now});
    Account& a = accounts_[account];
    if (!a.step) {
      if (a.script.empty()) return Failed("script exhausted: no outcome left for " + account, 0);
      plugin::StepOutcome next = a.script.front();
      a.script.erase(a.script.begin());
      return next;
    }
    step = a.step;
  }
  return step(post, checkpoint);  // outside the lock: it may use the factory
}

Result<plugin::FindOutcome> ScriptedConnectors::Find(const std::string& account,
                                                     const plugin::PostInput& post) {
  const int64_t now = Now();
  FindFn find;
  {
    MutexLock lock(mu_);
    finds_.push_back({account, post.job_id, post.text, post.due_ms, post.checkpoint, now});
    find = accounts_[account].find;
  }
  if (!find) return Error(ErrorCode::kNotImplemented, "the scripted connector has no find()");
  return find(post);
}

std::string ScriptedConnectors::Redacted(const std::string& account, std::string text) {
  MutexLock lock(mu_);
  for (const std::string& secret : accounts_[account].secrets) {
    for (size_t at = text.find(secret); !secret.empty() && at != std::string::npos;
         at = text.find(secret, at + 3)) {
      text.replace(at, secret.size(), "***");
    }
  }
  return text;
}

}  // namespace herald::testing
