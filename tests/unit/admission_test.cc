// Admission: concurrency caps per account and per platform, token-bucket rate
// limits (a refusal takes nothing), the platform's block after Retry-After,
// and pauses by scope with their typed cause. Time is passed in: no clock.
#include "core/admission.h"

#include <catch2/catch.hpp>

#include <optional>
#include <string_view>

#include "support/memory_journal.h"

namespace {

using herald::core::Admission;
using herald::core::JobMeta;
using herald::core::PauseCause;
using herald::core::PauseScope;
using herald::core::WaitReason;
using Kind = Admission::Decision::Kind;

herald::config::Config TwoAccounts() {
  herald::config::Config config;
  for (const char* name : {"instagram/cafe", "instagram/shop"}) {  // sorted, as loaded
    herald::config::AccountConfig account;
    account.name = name;
    account.platform = "instagram";
    config.accounts.push_back(account);
  }
  return config;
}

const JobMeta kCafe{"instagram/cafe", "instagram", "summer"};  // accounts[0]
const JobMeta kShop{"instagram/shop", "instagram", "spring"};  // accounts[1]

}  // namespace

TEST_CASE("concurrency caps hold jobs back until a slot is released", "[admission]") {
  herald::config::Config config = TwoAccounts();
  config.accounts[1].limits.concurrency = 1;  // instagram/shop
  config.platforms["instagram"].concurrency = 2;
  Admission admission(config);
  const JobMeta& capped = kShop;
  const JobMeta& free = kCafe;

  CHECK(admission.TryAdmit(capped, 1000).kind == Kind::kAdmit);
  auto second = admission.TryAdmit(capped, 1000);
  CHECK(second.kind == Kind::kWait);
  CHECK(second.wait == WaitReason::kAccountConcurrency);
  CHECK(second.until_ms == 2000);
  CHECK(admission.TryAdmit(free, 1000).kind == Kind::kAdmit);
  auto third = admission.TryAdmit(free, 1000);  // the platform's two slots are taken
  CHECK(third.kind == Kind::kWait);
  CHECK(third.wait == WaitReason::kPlatformConcurrency);
  admission.Release(capped);
  CHECK(admission.TryAdmit(free, 1001).kind == Kind::kAdmit);
}

TEST_CASE("a rate limit refuses without taking, and names its wait", "[admission]") {
  herald::config::Config config = TwoAccounts();
  config.platforms["instagram"].rate_limit = herald::config::RateLimit{1.0, 1};  // 1 a second
  config.accounts[1].limits.rate_limit = herald::config::RateLimit{0.001, 1};  // shop: 1 in 1000 s
  Admission admission(config);

  CHECK(admission.TryAdmit(kCafe, 0).kind == Kind::kAdmit);  // takes the platform's token
  admission.Release(kCafe);
  auto platform_wait = admission.TryAdmit(kShop, 0);
  CHECK(platform_wait.kind == Kind::kWait);
  CHECK(platform_wait.wait == WaitReason::kRateLimit);
  CHECK(platform_wait.until_ms == 1000);
  // The platform refused, so the account's own bucket kept its one token.
  CHECK(admission.TryAdmit(kShop, 1000).kind == Kind::kAdmit);
  admission.Release(kShop);
  // Now it is gone: the account waits for its own refill, though the
  // platform has a token again.
  auto account_wait = admission.TryAdmit(kShop, 2000);
  CHECK(account_wait.kind == Kind::kWait);
  CHECK(account_wait.until_ms == 1'001'000);
  CHECK(admission.TryAdmit(kCafe, 2000).kind == Kind::kAdmit);
}

TEST_CASE("a platform's Retry-After blocks the account until then", "[admission]") {
  const herald::config::Config config = TwoAccounts();
  Admission admission(config);
  admission.Block(kShop.account, 30'000);
  auto held = admission.TryAdmit(kShop, 1000);
  CHECK(held.kind == Kind::kWait);
  CHECK(held.wait == WaitReason::kRateLimit);
  CHECK(held.until_ms == 30'000);
  CHECK(admission.TryAdmit(kCafe, 1000).kind == Kind::kAdmit);
  CHECK(admission.TryAdmit(kShop, 30'001).kind == Kind::kAdmit);
}

TEST_CASE("a spent quota holds the account until its reset, and says so", "[admission]") {
  const herald::config::Config config = TwoAccounts();
  Admission admission(config);
  admission.Block(kShop.account, 3'600'000, WaitReason::kQuota);
  // A later Retry-After that ends sooner does not hide the quota.
  admission.Block(kShop.account, 60'000);
  auto held = admission.TryAdmit(kShop, 1000);
  CHECK(held.kind == Kind::kWait);
  CHECK(held.wait == WaitReason::kQuota);
  CHECK(held.until_ms == 3'600'000);
  CHECK(admission.TryAdmit(kCafe, 1000).kind == Kind::kAdmit);
  CHECK(admission.TryAdmit(kShop, 3'600'001).kind == Kind::kAdmit);
}

TEST_CASE("pauses apply by scope and keep their cause", "[admission][pause]") {
  const herald::config::Config config = TwoAccounts();
  Admission admission(config);
  const uint64_t generation = admission.pause_generation();
  REQUIRE(
      admission.Pause({PauseScope::Kind::kCampaign, "spring"}, PauseCause::kAdmin, "holiday", 10)
          .ok());
  CHECK(admission.pause_generation() > generation);
  auto paused = admission.TryAdmit(kShop, 20);
  CHECK(paused.kind == Kind::kPaused);
  CHECK(paused.reason == "campaign spring is paused: holiday");
  CHECK(admission.TryAdmit(kCafe, 20).kind == Kind::kAdmit);
  admission.Release(kCafe);

  REQUIRE(admission
              .Pause({PauseScope::Kind::kAccount, kCafe.account}, PauseCause::kAuthExpired,
                     "credentials expired or revoked: token revoked", 30)
              .ok());
  REQUIRE(admission
              .Pause({PauseScope::Kind::kPlatform, "youtube"}, PauseCause::kNoPlugin,
                     "no plugin for platform youtube", 40)
              .ok());
  CHECK(admission.IsPaused(kCafe));
  CHECK(admission.IsPaused({"youtube/tv", "youtube", "spring"}));
  auto list = admission.Paused();
  REQUIRE(list.size() == 3);
  CHECK(list[0].scope.kind == PauseScope::Kind::kPlatform);
  CHECK(list[0].cause == PauseCause::kNoPlugin);
  CHECK(list[1].cause == PauseCause::kAuthExpired);
  CHECK(list[1].since_ms == 30);
  CHECK(list[2].cause == PauseCause::kAdmin);

  // An admin's pause of a scope paused for another cause replaces it.
  REQUIRE(admission
              .Pause({PauseScope::Kind::kAccount, kCafe.account}, PauseCause::kAdmin, "by hand", 50)
              .ok());
  CHECK(admission.Paused()[1].cause == PauseCause::kAdmin);
  CHECK(*admission.Resume({PauseScope::Kind::kAccount, kCafe.account}));
  CHECK_FALSE(*admission.Resume({PauseScope::Kind::kAccount, kCafe.account}));
  CHECK_FALSE(admission.IsPaused(kCafe));

  REQUIRE(
      admission.Pause({PauseScope::Kind::kAll, ""}, PauseCause::kAdmin, "maintenance", 60).ok());
  CHECK(admission.TryAdmit(kCafe, 70).reason == "all is paused: maintenance");
}

TEST_CASE("causes and wait reasons have the control API's words", "[admission]") {
  using herald::core::ToString;
  CHECK(std::string(ToString(PauseCause::kAdmin)) == "admin");
  CHECK(std::string(ToString(PauseCause::kAuthExpired)) == "auth_expired");
  CHECK(std::string(ToString(PauseCause::kNoPlugin)) == "no_plugin");
  CHECK(std::string(ToString(PauseCause::kConnectorFailed)) == "connector_failed");
  CHECK(std::string(ToString(WaitReason::kAccountConcurrency)) == "account_concurrency");
  CHECK(std::string(ToString(WaitReason::kPlatformConcurrency)) == "platform_concurrency");
  CHECK(std::string(ToString(WaitReason::kRateLimit)) == "rate_limit");
  CHECK(std::string(ToString(WaitReason::kRetryAfter)) == "retry_after");
  CHECK(std::string(ToString(WaitReason::kQuota)) == "quota");
  CHECK(std::string(ToString(WaitReason::kPaused)) == "paused");
}

TEST_CASE(
    "an admin's pause and an expired credential's survive a restart; the others are found again",
    "[admission][pause][journal]") {
  const herald::config::Config config = TwoAccounts();
  herald::testing::MemoryJournal journal;
  {
    Admission admission(config);
    admission.set_journal(&journal);
    REQUIRE(admission.Restore().ok());
    CHECK(admission.Paused().empty());
    REQUIRE(
        admission.Pause({PauseScope::Kind::kCampaign, "spring"}, PauseCause::kAdmin, "holiday", 10)
            .ok());
    REQUIRE(admission
                .Pause({PauseScope::Kind::kAccount, kCafe.account}, PauseCause::kAuthExpired,
                       "credentials expired or revoked: token revoked", 20)
                .ok());
    REQUIRE(admission
                .Pause({PauseScope::Kind::kPlatform, "youtube"}, PauseCause::kNoPlugin,
                       "no plugin for platform youtube", 30)
                .ok());
    REQUIRE(
        admission.Pause({PauseScope::Kind::kAll, ""}, PauseCause::kAdmin, "maintenance", 40).ok());
    REQUIRE(*admission.Resume({PauseScope::Kind::kAll, ""}));
  }
  // What a kill leaves: the journal as it was, a new Admission over it.
  auto reopened = journal.Reopen();
  Admission after(config);
  after.set_journal(reopened.get());
  REQUIRE(after.Restore().ok());
  auto list = after.Paused();
  REQUIRE(list.size() == 2);
  CHECK(list[0].scope == PauseScope{PauseScope::Kind::kAccount, kCafe.account});
  CHECK(list[0].cause == PauseCause::kAuthExpired);
  CHECK(list[0].reason == "credentials expired or revoked: token revoked");
  CHECK(list[0].since_ms == 20);
  CHECK(list[1].scope == PauseScope{PauseScope::Kind::kCampaign, "spring"});
  CHECK(list[1].cause == PauseCause::kAdmin);
  CHECK(list[1].reason == "holiday");
  CHECK(after.TryAdmit(kShop, 50).kind == Kind::kPaused);
  CHECK(after.TryAdmit(kCafe, 50).kind == Kind::kPaused);

  // A pause that is not journaled replaces a journaled one: the journal forgets it.
  REQUIRE(after
              .Pause({PauseScope::Kind::kAccount, kCafe.account}, PauseCause::kConnectorFailed,
                     "account instagram/cafe is not configured", 60)
              .ok());
  REQUIRE(*after.Resume({PauseScope::Kind::kCampaign, "spring"}));
  auto kept = reopened->Pauses();
  REQUIRE(kept.ok());
  CHECK(kept->empty());
}

TEST_CASE("a pause the journal refuses holds until heraldd stops; a refused resume keeps it",
          "[admission][pause][journal]") {
  const herald::config::Config config = TwoAccounts();
  herald::testing::MemoryJournal journal;
  Admission admission(config);
  admission.set_journal(&journal);
  journal.set_fault(
      [](std::string_view call, herald::journal::JobKey) -> std::optional<herald::Error> {
        if (call == "SavePause" || call == "DropPause") {
          return herald::Error(herald::ErrorCode::kIo, "journal: disk full");
        }
        return std::nullopt;
      });
  herald::Status saved = admission.Pause({PauseScope::Kind::kAccount, kShop.account},
                                         PauseCause::kAdmin, "holiday", 10);
  CHECK_FALSE(saved.ok());
  CHECK(admission.IsPaused(kShop));
  auto resumed = admission.Resume({PauseScope::Kind::kAccount, kShop.account});
  CHECK_FALSE(resumed.ok());
  CHECK(admission.IsPaused(kShop));
  journal.set_fault(nullptr);
  REQUIRE(*admission.Resume({PauseScope::Kind::kAccount, kShop.account}));
  CHECK_FALSE(admission.IsPaused(kShop));
  // A scope that was not paused writes nothing.
  const auto commits = journal.Stats().commits;
  CHECK_FALSE(*admission.Resume({PauseScope::Kind::kAccount, kShop.account}));
  CHECK(journal.Stats().commits == commits);
}
