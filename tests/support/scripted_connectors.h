// ScriptedConnectors: a core::ConnectorFactory (daemon/core/connector_factory.h)
// whose connectors answer as the test says, for unit tests of the dispatcher
// and what is built on it, with no plugin, no network and no real time.
//
// Per account, a test gives either a list of step outcomes, handed out in
// order to that account's Step calls (an exhausted list answers FAILED
// "script exhausted", so a test that steps more than it meant fails loudly),
// or a function that decides each step; likewise for find. It can make
// Create fail as a missing plugin (kNotFound) or a plugin that refuses the
// account. Every call is recorded with the clock's time at the call, so a
// test checks what was sent and when.
//
//   herald::testing::FakeClock clock;
//   herald::testing::ScriptedConnectors connectors(&clock);
//   connectors.Script("outbox/a", {Retry(clock.NowMs() + 30'000, "busy"), Published("r1")});
//   ... Dispatcher dispatcher(config, connectors, journal, clock, admission);
//   CHECK(connectors.steps().size() == 2);
//
// Thread-safe: connectors of one factory may run on several workers at once.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/mutex.h"
#include "core/clock.h"
#include "core/connector_factory.h"

namespace herald::testing {

// Outcomes as a connector returns them.
plugin::StepOutcome Published(std::string remote_id, std::string url = "");
plugin::StepOutcome Continue(int64_t at_ms, std::string checkpoint);
plugin::StepOutcome Retry(int64_t at_ms, std::string reason, int32_t http_status = 503);
plugin::StepOutcome AuthExpired(std::string reason);
plugin::StepOutcome Failed(std::string reason, int32_t http_status = 400);
plugin::StepOutcome Unknown(std::string reason);
plugin::FindOutcome Found(std::string remote_id, std::string url = "");
plugin::FindOutcome NotFound(std::string reason);
plugin::FindOutcome CannotTell(std::string reason);

class ScriptedConnectors final : public core::ConnectorFactory {
 public:
  using StepFn = std::function<plugin::StepOutcome(const plugin::PostInput& post,
                                                   const std::optional<std::string>& checkpoint)>;
  using FindFn = std::function<Result<plugin::FindOutcome>(const plugin::PostInput& post)>;

  // `clock` (may be null: calls are then recorded at 0) must outlive this.
  explicit ScriptedConnectors(core::Clock* clock = nullptr);

  // The outcomes `account`'s steps return, in order (appended to any left).
  void Script(const std::string& account, std::vector<plugin::StepOutcome> outcomes);
  // Each step of `account` asks `step` instead (replaces any script).
  void OnStep(const std::string& account, StepFn step);
  // Each find of `account` asks `find`; without one, find answers kNotImplemented.
  void OnFind(const std::string& account, FindFn find);
  // Create for `account` fails with `error` (kNotFound: as a missing plugin).
  void RefuseCreate(const std::string& account, Error error);
  // Redacted() of `account`'s connectors replaces `secret` with "***".
  void AddSecret(const std::string& account, std::string secret);

  struct Call {
    std::string account;
    std::string job_id;
    std::string text;
    int64_t due_ms = 0;                     // the post's due_ms as the connector got it
    std::optional<std::string> checkpoint;  // a step's argument; what a find saw in the post
    int64_t at_ms = 0;                      // the clock's time at the call
  };
  std::vector<Call> steps() const;
  std::vector<Call> finds() const;
  // Connectors made (Create that succeeded) for `account`.
  int created(const std::string& account) const;

  Result<std::unique_ptr<core::AccountConnector>> Create(
      const config::AccountConfig& account) override;

 private:
  class Connector;
  struct Account {
    std::vector<plugin::StepOutcome> script;  // next first
    StepFn step;
    FindFn find;
    std::optional<Error> refuse;
    std::vector<std::string> secrets;
    int created = 0;
  };
  plugin::StepOutcome Step(const std::string& account, const plugin::PostInput& post,
                           const std::optional<std::string>& checkpoint) EXCLUDES(mu_);
  Result<plugin::FindOutcome> Find(const std::string& account, const plugin::PostInput& post)
      EXCLUDES(mu_);
  std::string Redacted(const std::string& account, std::string text) EXCLUDES(mu_);
  int64_t Now() const;

  core::Clock* const clock_;
  mutable Mutex mu_;
  std::map<std::string, Account> accounts_ GUARDED_BY(mu_);
  std::vector<Call> steps_ GUARDED_BY(mu_);
  std::vector<Call> finds_ GUARDED_BY(mu_);
};

}  // namespace herald::testing
