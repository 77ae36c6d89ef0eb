// The control API's handlers over a fake daemon (an in-memory journal, a fake
// clock, a real Admission, a loop the test runs by hand): roles, routes and
// their errors, status, job queries and paging, the job actions' state rules
// and what they schedule, pauses with their causes and the accounts they
// show, the event stream's JSON, reload results and metrics. No socket, no
// real time: what the HTTP server and the daemon add is tested end to end.
#include "control/control_api.h"

#include <unistd.h>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "support/fake_clock.h"
#include "support/memory_journal.h"

// Last: cpprestsdk's U() macro breaks headers that follow it.
#include <cpprest/json.h>
#include "control/api_json.h"

namespace {

using herald::control::AccessRules;
using herald::control::ControlApi;
using herald::control::Request;
using herald::control::Response;
using herald::core::JobEvent;
using herald::core::PauseCause;
using herald::core::PauseScope;
using herald::journal::JobKey;
using herald::journal::JobState;
using web::json::value;

constexpr uid_t kViewerUid = 4242;  // no passwd entry: its groups are just its gid

herald::config::Config TwoAccounts() {
  herald::config::Config config;
  config.calendar_dirs = {"/srv/calendars"};
  for (const char* name : {"instagram/shop", "outbox/local"}) {
    herald::config::AccountConfig account;
    account.name = name;
    account.platform = std::string(name).substr(0, std::string(name).find('/'));
    config.accounts.push_back(account);
  }
  return config;
}

// The daemon as the API sees it; Pause/Resume go to a real Admission, the
// rest is recorded.
class FakeDaemon final : public herald::core::DaemonControl {
 public:
  FakeDaemon() : admission_(config_) {}

  boost::asio::io_context& io() override { return io_; }
  herald::journal::Journal& journal() override { return journal_; }
  const herald::plugin::PluginLoadReport& plugins() const override { return plugins_; }
  const herald::config::Config& config() const override { return config_; }
  herald::core::Admission& admission() override { return admission_; }
  herald::core::Clock& clock() override { return clock_; }
  const herald::core::ApiVersions& api_versions() const override { return api_versions_; }
  const herald::core::QuotaTracker& quota() const override { return quota_tracker; }
  int64_t started_ms() const override { return started_ms_; }
  const std::optional<herald::core::SyncResult>& last_sync() const override { return last_sync_; }
  void RequestReload(std::string why,
                     std::function<void(const herald::core::SyncResult&)> done) override {
    reloads.push_back(why);
    last_sync_ = next_load;
    if (done) done(next_load);
  }
  void Pause(const PauseScope& scope, PauseCause cause, std::string reason,
             std::function<void(herald::Status)> done) override {
    done(admission_.Pause(scope, cause, std::move(reason), clock_.NowMs()));
  }
  void Resume(const PauseScope& scope, std::function<void(herald::Result<bool>)> done) override {
    done(admission_.Resume(scope));
  }
  void Schedule(JobKey key, int64_t at_ms) override { scheduled.emplace_back(key, at_ms); }
  void AddEventSink(std::function<void(const JobEvent&)> sink) override {
    sinks_.push_back(std::move(sink));
  }

  void Emit(const JobEvent& event) {
    for (const auto& sink : sinks_) sink(event);
  }
  // Runs what handlers posted to the loop.
  void RunLoop() {
    io_.restart();
    io_.poll();
  }
  // A pending job `id` of `account` due `due_in_ms` from now.
  JobKey Add(const std::string& id, int64_t due_in_ms,
             const std::string& account = "outbox/local") {
    herald::journal::JobRecord r;
    r.id = id;
    r.calendar_id = "cal";
    r.post_id = "post-" + id;
    r.campaign_id = "spring";
    r.account = account;
    r.platform = account.substr(0, account.find('/'));
    r.due_ms = clock_.NowMs() + due_in_ms;
    r.content_hash = "h";
    r.payload_json = R"({"text":"Hello )" + id + R"("})";
    records_.push_back(r);
    REQUIRE(journal_.ApplyGeneration({"cal"}, records_, ++generation_, clock_.NowMs()).ok());
    return journal_.GetById(id)->key;
  }

  herald::testing::FakeClock clock_;
  herald::testing::MemoryJournal journal_;
  herald::core::QuotaTracker quota_tracker;
  herald::core::SyncResult next_load;
  std::vector<std::string> reloads;
  std::vector<std::pair<JobKey, int64_t>> scheduled;

 private:
  herald::config::Config config_ = TwoAccounts();
  herald::core::Admission admission_;
  herald::plugin::PluginLoadReport plugins_;
  herald::core::ApiVersions api_versions_;
  boost::asio::io_context io_;
  int64_t started_ms_ = herald::testing::FakeClock::kStartMs;
  std::optional<herald::core::SyncResult> last_sync_;
  std::vector<std::function<void(const JobEvent&)>> sinks_;
  std::vector<herald::journal::JobRecord> records_;
  int64_t generation_ = 0;
};

AccessRules Rules() {
  AccessRules rules;
  rules.daemon_uid = ::geteuid();  // the test's own uid is admin
  rules.viewer_users = {kViewerUid};
  return rules;
}

struct Rig {
  FakeDaemon daemon;
  ControlApi api{daemon, Rules(), [](std::function<void()> f) { f(); }, [] { return size_t{3}; }};

  Rig() { api.AttachOnLoop(); }

  // One request, as the HTTP server hands it over; the loop runs until the
  // answer is there.
  Response Call(const std::string& method, const std::string& path, const std::string& body = "",
                std::multimap<std::string, std::string> query = {}, uid_t uid = ::geteuid()) {
    Request request;
    request.method = method;
    request.path = path;
    request.query = std::move(query);
    request.body = body;
    request.peer.uid = uid;
    request.peer.gid = uid == ::geteuid() ? ::getegid() : uid;
    std::optional<Response> answer;
    api.Handle(request, [&](Response r) { answer = std::move(r); });
    daemon.RunLoop();
    REQUIRE(answer);
    return *answer;
  }
};

value Json(const Response& r) {
  INFO(r.body);
  return value::parse(r.body);
}

std::string ErrorCode(const Response& r) { return Json(r).at("error").at("code").as_string(); }

}  // namespace

TEST_CASE("viewers read, admins act; unknown routes and methods say so", "[control][api]") {
  Rig rig;
  CHECK(rig.Call("GET", "/v1/status", "", {}, kViewerUid).status == 200);
  Response refused = rig.Call("POST", "/v1/pause", R"({"scope":"all"})", {}, kViewerUid);
  CHECK(refused.status == 403);
  CHECK(ErrorCode(refused) == "forbidden");
  CHECK(Json(refused).at("error").at("message").as_string().find("needs the admin role") !=
        std::string::npos);
  CHECK(rig.daemon.admission().Paused().empty());
  Response stranger = rig.Call("GET", "/v1/status", "", {}, 4343);
  CHECK(stranger.status == 403);
  Response missing = rig.Call("GET", "/v1/nothing");
  CHECK(missing.status == 404);
  CHECK(ErrorCode(missing) == "not_found");
  Response method = rig.Call("DELETE", "/v1/status");
  CHECK(method.status == 405);
  CHECK(Json(method).at("error").at("message").as_string() ==
        "DELETE is not allowed on /v1/status (use GET)");
}

TEST_CASE("status counts jobs by state and shows the next due job on the daemon's clock",
          "[control][api]") {
  Rig rig;
  rig.daemon.Add("a", 90'000);
  JobKey b = rig.daemon.Add("b", 30'000);
  REQUIRE(rig.daemon.journal().Cancel(rig.daemon.Add("c", 60'000), 0, "no").ok());
  rig.daemon.clock_.Advance(12'000);
  value status = Json(rig.Call("GET", "/v1/status"));
  CHECK(status.at("jobs").at("pending").as_integer() == 2);
  CHECK(status.at("jobs").at("cancelled").as_integer() == 1);
  CHECK(status.at("uptime_s").as_integer() == 12);
  CHECK(status.at("next_due").at("id").as_string() == "b");
  CHECK_FALSE(status.at("next_due").has_field("key"));
  CHECK(status.at("next_due").at("in_s").as_integer() == 18);
  CHECK(status.at("next_due").at("at").as_string() == "2025-03-03T09:00:30.000Z");
  CHECK(status.at("calendars").at("dirs").at(0).as_string() == "/srv/calendars");
  CHECK(status.at("calendars").at("last_load").is_null());
  // A change through the journal shows at the next request.
  REQUIRE(rig.daemon.journal().BeginAttempt(b, rig.daemon.clock_.NowMs()).ok());
  CHECK(Json(rig.Call("GET", "/v1/status")).at("jobs").at("running").as_integer() == 1);
}

TEST_CASE("jobs are filtered and paged; bad filters are 400, unknown ids 404", "[control][api]") {
  Rig rig;
  for (int i = 0; i < 5; ++i) rig.daemon.Add("j" + std::to_string(i), 1000 * (i + 1));
  rig.daemon.Add("ig", 500, "instagram/shop");
  value first = Json(rig.Call("GET", "/v1/jobs", "", {{"platform", "outbox"}, {"limit", "2"}}));
  REQUIRE(first.at("jobs").size() == 2);
  CHECK(first.at("jobs").at(0).at("id").as_string() == "j0");
  std::string cursor = first.at("next_cursor").as_string();
  value second = Json(rig.Call("GET", "/v1/jobs", "",
                               {{"platform", "outbox"}, {"limit", "2"}, {"cursor", cursor}}));
  CHECK(second.at("jobs").at(0).at("id").as_string() == "j2");
  value account = Json(rig.Call("GET", "/v1/jobs", "", {{"account", "instagram/shop"}}));
  REQUIRE(account.at("jobs").size() == 1);
  CHECK(account.at("next_cursor").is_null());

  CHECK(rig.Call("GET", "/v1/jobs", "", {{"state", "bogus"}}).status == 400);
  value either =
      Json(rig.Call("GET", "/v1/jobs", "", {{"state", "published"}, {"state", "pending"}}));
  CHECK(either.at("jobs").size() == 6);
  CHECK(Json(rig.Call("GET", "/v1/jobs", "", {{"state", "published"}})).at("jobs").size() == 0);
  // Any other key given twice is refused, not resolved by a guess.
  Response twice =
      rig.Call("GET", "/v1/jobs", "", {{"account", "outbox/local"}, {"account", "instagram/shop"}});
  CHECK(twice.status == 400);
  CHECK(Json(twice).at("error").at("message").as_string() ==
        "query parameter 'account' is given more than once");
  CHECK(rig.Call("GET", "/v1/jobs", "", {{"limit", "0"}}).status == 400);
  CHECK(rig.Call("GET", "/v1/jobs", "", {{"colour", "red"}}).status == 400);
  CHECK(rig.Call("GET", "/v1/jobs", "", {{"cursor", "x:y"}}).status == 400);
  Response none = rig.Call("GET", "/v1/jobs/nope");
  CHECK(none.status == 404);
  CHECK(Json(none).at("error").at("message").as_string() == "no job with id nope");
  value detail = Json(rig.Call("GET", "/v1/jobs/j1"));
  CHECK(detail.at("rendered").at("text").as_string() == "Hello j1");
  CHECK(detail.at("attempt_history").size() == 0);
}

TEST_CASE("job actions follow the state rules and schedule what is due now", "[control][api]") {
  Rig rig;
  JobKey a = rig.daemon.Add("a", 3'600'000);
  rig.daemon.Add("b", 3'600'000);
  const int64_t now = rig.daemon.clock_.NowMs();

  Response cancelled = rig.Call("POST", "/v1/jobs/a/cancel", R"({"reason":"wrong photo"})");
  CHECK(cancelled.status == 200);
  CHECK(Json(cancelled).at("state").as_string() == "cancelled");
  CHECK(Json(cancelled).at("last_error").as_string() == "wrong photo");
  Response again = rig.Call("POST", "/v1/jobs/a/cancel");
  CHECK(again.status == 409);
  CHECK(ErrorCode(again) == "conflict");
  CHECK(rig.daemon.scheduled.empty());

  Response retried = rig.Call("POST", "/v1/jobs/a/retry");
  CHECK(retried.status == 200);
  CHECK(Json(retried).at("state").as_string() == "pending");
  REQUIRE(rig.daemon.scheduled.size() == 1);
  CHECK(rig.daemon.scheduled[0] == std::pair<JobKey, int64_t>{a, now});

  Response now_please = rig.Call("POST", "/v1/jobs/b/publish-now");
  CHECK(now_please.status == 200);
  CHECK(rig.daemon.scheduled.size() == 2);
  CHECK(rig.daemon.journal().GetById("b")->next_attempt_ms == now);

  CHECK(rig.Call("POST", "/v1/jobs/b/resolve", R"({"outcome":"retry"})").status == 409);
  CHECK(rig.Call("POST", "/v1/jobs/b/resolve", R"({"outcome":"maybe"})").status == 400);
  CHECK(rig.Call("POST", "/v1/jobs/b/cancel", "not json").status == 400);
  CHECK(rig.Call("POST", "/v1/jobs/zzz/retry").status == 404);
}

TEST_CASE("an unknown job is resolved by an admin, with the platform's id", "[control][api]") {
  Rig rig;
  JobKey key = rig.daemon.Add("u", 0);
  auto& journal = rig.daemon.journal();
  REQUIRE(journal.BeginAttempt(key, rig.daemon.clock_.NowMs()).ok());
  herald::journal::AttemptResult lost;
  lost.outcome = herald::journal::AttemptOutcome::kUnknown;
  lost.message = "no answer";
  REQUIRE(journal.FinishAttempt(key, lost).ok());
  Response resolved =
      rig.Call("POST", "/v1/jobs/u/resolve", R"({"outcome":"published","remote_id":"104_99"})");
  CHECK(resolved.status == 200);
  CHECK(Json(resolved).at("state").as_string() == "published");
  CHECK(Json(resolved).at("remote_id").as_string() == "104_99");
}

TEST_CASE("pauses answer their scope and cause; accounts say what needs fixing",
          "[control][api][pause]") {
  Rig rig;
  Response paused = rig.Call("POST", "/v1/pause",
                             R"({"scope":"account","name":"outbox/local","reason":"holiday"})");
  REQUIRE(paused.status == 200);
  CHECK(Json(paused).at("cause").as_string() == "admin");
  CHECK(Json(paused).at("reason").as_string() == "holiday");
  CHECK(rig.Call("POST", "/v1/pause", R"({"scope":"planet","name":"x"})").status == 400);
  CHECK(rig.Call("POST", "/v1/pause", R"({"scope":"account"})").status == 400);

  // The daemon's own pause: no plugin for instagram. It is not an expired
  // credential, and /v1/accounts says so.
  REQUIRE(rig.daemon.admission()
              .Pause({PauseScope::Kind::kAccount, "instagram/shop"}, PauseCause::kNoPlugin,
                     "no plugin for platform instagram", 0)
              .ok());
  value accounts = Json(rig.Call("GET", "/v1/accounts"));
  REQUIRE(accounts.at("accounts").size() == 2);
  CHECK(accounts.at("accounts").at(0).at("name").as_string() == "instagram/shop");
  CHECK(accounts.at("accounts").at(0).at("state").as_string() == "no_plugin");
  CHECK(accounts.at("accounts").at(1).at("state").as_string() == "paused");
  CHECK(accounts.at("accounts").at(1).at("reason").as_string() == "holiday");

  REQUIRE(rig.daemon.admission()
              .Pause({PauseScope::Kind::kAccount, "instagram/shop"}, PauseCause::kAuthExpired,
                     "credentials expired or revoked", 0)
              .ok());
  accounts = Json(rig.Call("GET", "/v1/accounts"));
  CHECK(accounts.at("accounts").at(0).at("state").as_string() == "auth_expired");
  value status = Json(rig.Call("GET", "/v1/status"));
  REQUIRE(status.at("paused").size() == 2);
  CHECK(status.at("paused").at(0).at("cause").as_string() == "auth_expired");

  CHECK(rig.Call("POST", "/v1/resume", R"({"scope":"account","name":"outbox/local"})").status ==
        200);
  Response not_paused =
      rig.Call("POST", "/v1/resume", R"({"scope":"account","name":"outbox/local"})");
  CHECK(not_paused.status == 404);
  CHECK(Json(not_paused).at("error").at("message").as_string() ==
        "scope account outbox/local is not paused");
  accounts = Json(rig.Call("GET", "/v1/accounts"));
  CHECK(accounts.at("accounts").at(1).at("state").as_string() == "ok");
}

TEST_CASE("the event stream carries each job event as a JSON line", "[control][api][events]") {
  Rig rig;
  Response stream = rig.Call("GET", "/v1/events");
  REQUIRE(stream.stream);
  CHECK(stream.content_type == "application/x-ndjson");
  JobEvent published;
  published.kind = JobEvent::Kind::kState;
  published.key = 7;
  published.id = "j7";
  published.account = "outbox/local";
  published.platform = "outbox";
  published.state = JobState::kPublished;
  published.message = "remote-1";
  published.at_ms = herald::testing::FakeClock::kStartMs;
  JobEvent waiting = published;
  waiting.kind = JobEvent::Kind::kWaiting;
  waiting.state = JobState::kPending;
  waiting.wait_reason = herald::core::WaitReason::kRetryAfter;
  waiting.wait_ms = 30'000;
  JobEvent reload;
  reload.kind = JobEvent::Kind::kReload;
  reload.message = "generation 2: ...";
  rig.daemon.Emit(published);
  rig.daemon.Emit(waiting);
  rig.daemon.Emit(reload);
  rig.daemon.RunLoop();
  auto lines = stream.stream->Take([] {});
  REQUIRE(lines.size() == 4);
  value hello = value::parse(lines[0]);
  CHECK(hello.at("type").as_string() == "hello");
  value first = value::parse(lines[1]);
  CHECK(first.at("type").as_string() == "job");
  CHECK(first.at("state").as_string() == "published");
  CHECK(first.at("id").as_string() == "j7");
  value second = value::parse(lines[2]);
  CHECK(second.at("state").as_string() == "waiting");
  CHECK(second.at("wait_reason").as_string() == "retry_after");
  CHECK(second.at("wait_ms").as_integer() == 30'000);
  value third = value::parse(lines[3]);
  CHECK(third.at("type").as_string() == "reload");
  CHECK_FALSE(third.has_field("state"));
}

TEST_CASE("a reload answers its result; metrics count what happened", "[control][api]") {
  Rig rig;
  herald::core::SyncResult result;
  result.generation = 3;
  result.diagnostics.push_back({herald::calendar::Diagnostic::About::kLoad, "", 0, 0,
                                herald::calendar::Severity::kError,
                                "the calendars make 30 posts in all; the limit is 20"});
  rig.daemon.next_load = result;
  value load = Json(rig.Call("POST", "/v1/reload"));
  CHECK(load.at("ok").as_bool() == false);
  CHECK(load.at("generation").as_integer() == 3);
  REQUIRE(load.at("diagnostics").size() == 1);
  CHECK(load.at("diagnostics").at(0).at("about").as_string() == "load");
  CHECK(load.at("diagnostics").at(0).at("file").as_string().empty());
  CHECK(load.at("diagnostics").at(0).at("text").as_string() ==
        "herald: error: the calendars make 30 posts in all; the limit is 20");
  REQUIRE(rig.daemon.reloads.size() == 1);
  CHECK(rig.daemon.reloads[0].find("control API") != std::string::npos);

  rig.daemon.Add("m", 1000);
  Response metrics = rig.Call("GET", "/metrics");
  CHECK(metrics.status == 200);
  CHECK(metrics.body.find("\nherald_jobs{state=\"pending\"} 1\n") != std::string::npos);
  CHECK(metrics.body.find("\nherald_control_connections 3\n") != std::string::npos);
}

TEST_CASE("times read as milliseconds, RFC 3339 or a date; a sign without its offset is refused",
          "[control][api][fuzz]") {
  using herald::control::ParseTime;
  CHECK(*ParseTime("1800000000000", "since") == 1'800'000'000'000);
  CHECK(*ParseTime("2027-01-05T09:00:00Z", "since") == 1'799'139'600'000);
  CHECK(*ParseTime("2027-01-05T10:00:00+01:00", "since") == 1'799'139'600'000);
  CHECK(*ParseTime("2027-01-05", "since") == 1'799'107'200'000);
  // Found by tests/fuzz's control_request target: date::parse negated an
  // offset it never read (undefined) for a sign with no digits after it.
  for (const char* text : {"2026-00-05T09:00:026-\xff\xff", "2027-01-05T09:00:00-",
                           "2027-01-05T09:00:00+x", "2027-01-05T09:00:00-1"}) {
    INFO(text);
    auto t = ParseTime(text, "since");
    REQUIRE_FALSE(t.ok());
    CHECK(t.error().message().find("since: '") == 0);
  }
}
