#include "control/control_api.h"

#include <unistd.h>

#include <algorithm>
#include <charconv>

// Last: cpprestsdk's U() macro breaks fmt and Boost headers that follow it.
#include "control/api_json.h"
#include "control/job_actions.h"

namespace herald::control {

namespace {

using web::json::value;
std::string Who(const PeerCredentials& peer) { return "uid " + std::to_string(peer.uid); }

// Splits "/v1/jobs/ID/action" into its parts.
std::vector<std::string> Segments(const std::string& path) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    size_t j = path.find('/', i);
    parts.push_back(path.substr(i, j == std::string::npos ? std::string::npos : j - i));
    if (j == std::string::npos) break;
    i = j;
  }
  return parts;
}

}  // namespace

ControlApi::ControlApi(core::DaemonControl& daemon, AccessRules rules,
                       std::function<void(std::function<void()>)> post_to_server,
                       std::function<size_t()> open_connections)
    : daemon_(daemon),
      rules_(std::move(rules)),
      post_to_server_(std::move(post_to_server)),
      open_connections_(std::move(open_connections)) {}

void ControlApi::AttachOnLoop() {
  TakeLastSync();
  daemon_.AddEventSink([this](const core::JobEvent& e) { OnEvent(e); });
}

void ControlApi::TakeLastSync() {
  const auto& last = daemon_.last_sync();
  MutexLock lock(mu_);
  last_sync_ = last ? std::make_shared<const core::SyncResult>(*last) : nullptr;
}

void ControlApi::OnEvent(const core::JobEvent& event) {
  metrics_.RecordEvent(event);
  if (event.kind == core::JobEvent::Kind::kReload) {
    // The daemon stores the result right after telling its sinks: read it then.
    boost::asio::post(daemon_.io(), [this] {
      TakeLastSync();
      std::shared_ptr<const core::SyncResult> last;
      {
        MutexLock lock(mu_);
        last = last_sync_;
      }
      if (last)
        metrics_.RecordReload(last->applied && last->error_count() == 0 && last->error.empty());
    });
  }
  if (events_.subscribers() == 0) return;
  post_to_server_([this, event] { events_.Publish(EventJson(event).serialize()); });
}

Role ControlApi::RoleOf(const PeerCredentials& peer) {
  auto now = std::chrono::steady_clock::now();
  {
    MutexLock lock(mu_);
    auto it = roles_.find({peer.uid, peer.gid});
    if (it != roles_.end() && it->second.until > now) return it->second.role;
  }
  // Group membership comes from the name service: cache it briefly.
  Role role = Decide(IdentifyPeer(peer.uid, peer.gid), rules_);
  MutexLock lock(mu_);
  if (roles_.size() > 1024) roles_.clear();
  roles_[{peer.uid, peer.gid}] = {role, now + std::chrono::seconds(5)};
  return role;
}

void ControlApi::Handle(Request request, Reply reply) {
  std::vector<std::string> parts = Segments(request.path);
  const std::string& method = request.method;
  // Each route: the methods it takes and the role it needs.
  Role needed = Role::kViewer;
  std::string allowed;
  std::function<void()> run;
  bool reads_query = false;  // only the routes that set it read request.query

  auto route = [&](const char* m, Role role, std::function<void()> fn) {
    allowed += allowed.empty() ? m : std::string(", ") + m;
    if (method == m) {
      needed = role;
      run = std::move(fn);
    }
  };
  bool v1 = !parts.empty() && parts[0] == "v1";
  size_t n = parts.size();
  if (n == 1 && parts[0] == "metrics") {
    route("GET", Role::kViewer, [&] { Metrics(reply); });
  } else if (v1 && n == 2 && parts[1] == "status") {
    route("GET", Role::kViewer, [&] { Status(reply); });
  } else if (v1 && n == 2 && parts[1] == "jobs") {
    route("GET", Role::kViewer, [&] { Jobs(request, reply); });
    reads_query = true;
  } else if (v1 && n == 3 && parts[1] == "jobs") {
    route("GET", Role::kViewer, [&] { JobDetail(parts[2], reply); });
  } else if (v1 && n == 4 && parts[1] == "jobs" &&
             (parts[3] == "retry" || parts[3] == "cancel" || parts[3] == "publish-now" ||
              parts[3] == "resolve")) {
    route("POST", Role::kAdmin, [&] { JobAction(parts[2], parts[3], request, reply); });
  } else if (v1 && n == 2 && (parts[1] == "pause" || parts[1] == "resume")) {
    route("POST", Role::kAdmin, [&] { PauseOrResume(parts[1] == "pause", request, reply); });
  } else if (v1 && n == 2 && parts[1] == "reload") {
    route("POST", Role::kAdmin, [&] { Reload(request, reply); });
  } else if (v1 && n == 2 && parts[1] == "plugins") {
    route("GET", Role::kViewer, [&] { Plugins(reply); });
  } else if (v1 && n == 2 && parts[1] == "accounts") {
    route("GET", Role::kViewer, [&] { Accounts(reply); });
  } else if (v1 && n == 2 && parts[1] == "events") {
    route("GET", Role::kViewer, [&] { Events(reply); });
  }
  if (allowed.empty()) {
    return reply(ErrorResponse(404, "not_found", "no such endpoint: " + request.path));
  }
  if (!run) {
    return reply(
        ErrorResponse(405, "method_not_allowed",
                      method + " is not allowed on " + request.path + " (use " + allowed + ")"));
  }
  Role role = RoleOf(request.peer);
  if (role < needed) {
    return reply(ErrorResponse(
        403, "forbidden",
        std::string("this needs the ") + ToString(needed) + " role; " + Who(request.peer) +
            (role == Role::kNone ? " has no role" : std::string(" has ") + ToString(role)) +
            " (see control.viewers / control.admins in herald.yaml)"));
  }
  // Nothing sent is silently ignored: a body or a query where the endpoint
  // reads none is refused rather than dropped.
  if (method == "GET" && !request.body.empty()) {
    return reply(ErrorResponse(400, "invalid_argument",
                               "GET " + request.path + " takes no body; send none"));
  }
  if (!reads_query && !request.query.empty()) {
    return reply(ErrorResponse(400, "invalid_argument",
                               request.path + " takes no query parameters (got '" +
                                   request.query.begin()->first +
                                   "'); a POST's fields go in its JSON body"));
  }
  run();
}

void ControlApi::Status(Reply& reply) {
  // Everything here is read without I/O: the journal's live figures, the
  // pauses, the last load. The rendered body is kept and served again while
  // none of its inputs changed, which under a poller's load is most requests.
  const journal::JournalSummary summary = daemon_.journal().Summary();
  const uint64_t pause_generation = daemon_.admission().pause_generation();
  std::shared_ptr<const core::SyncResult> last;
  {
    MutexLock lock(mu_);
    last = last_sync_;
  }
  const int64_t now = daemon_.clock().NowMs();
  const int64_t uptime_s = (now - daemon_.started_ms()) / 1000;
  const int64_t next_in_s = summary.next_due ? (summary.next_due->next_attempt_ms - now) / 1000 : 0;
  StatusKey key{summary.version, pause_generation, last,
                uptime_s,        next_in_s,        core::TodayUtc(now).time_since_epoch().count()};
  if (status_body_.empty() || !(key == status_key_)) {
    status_body_ = RenderStatus(summary, last.get(), uptime_s, next_in_s);
    status_key_ = std::move(key);
  }
  Response r;
  r.body = status_body_;
  reply(std::move(r));
}

std::string ControlApi::RenderStatus(const journal::JournalSummary& summary,
                                     const core::SyncResult* last, int64_t uptime_s,
                                     int64_t next_in_s) {
  value j = value::object();
  j[U("version")] = Str(HERALD_VERSION);
  j[U("pid")] = value::number(static_cast<int64_t>(::getpid()));
  j[U("started")] = Str(TimeText(daemon_.started_ms()));
  j[U("uptime_s")] = value::number(uptime_s);
  value jobs = value::object();
  for (int s = 0; s < journal::kJobStateCount; ++s) {
    jobs[journal::ToString(static_cast<journal::JobState>(s))] =
        value::number(summary.counts.by_state[s]);
  }
  j[U("jobs")] = jobs;
  if (summary.next_due) {
    value due = value::object();
    due[U("at")] = Str(TimeText(summary.next_due->next_attempt_ms));
    if (auto next = daemon_.journal().Get(summary.next_due->key); next.ok()) {
      due[U("id")] = Str(next->record.id);
    }
    due[U("in_s")] = value::number(next_in_s);
    j[U("next_due")] = due;
  } else {
    j[U("next_due")] = value::null();
  }
  std::vector<value> paused;
  for (const auto& p : daemon_.admission().Paused()) paused.push_back(ScopeJson(p));
  j[U("paused")] = value::array(paused);
  std::vector<value> plugins;
  for (const auto& p : daemon_.plugins().plugins) plugins.push_back(Str(p->platform()));
  j[U("plugins")] = value::array(plugins);
  value calendars = value::object();
  std::vector<value> dirs;
  for (const auto& d : daemon_.config().calendar_dirs) dirs.push_back(Str(d.string()));
  calendars[U("dirs")] = value::array(dirs);
  calendars[U("last_load")] = last ? SyncJson(*last) : value::null();
  j[U("calendars")] = calendars;
  // Accounts whose API version expires within 90 days, has expired or is unknown.
  std::vector<value> api_warnings;
  for (const auto& r : daemon_.api_versions().Assess(core::TodayUtc(daemon_.clock().NowMs()))) {
    if (!r.warns()) continue;
    value w = ApiVersionJson(r);
    w[U("account")] = Str(r.account);
    api_warnings.push_back(w);
  }
  j[U("api_warnings")] = value::array(api_warnings);
  return Json(200, j).body;
}

void ControlApi::Jobs(const Request& request, Reply& reply) {
  journal::JobQuery query;
  std::string platform, member;
  size_t limit = 100;
  for (const auto& [key, val] : request.query) {
    // Only `state` may repeat (either of them); any other key given twice is
    // refused rather than resolved by a guess.
    if (key != "state" && request.query.count(key) > 1) {
      return reply(ErrorResponse(400, "invalid_argument",
                                 "query parameter '" + key + "' is given more than once"));
    }
    if (key == "state") {
      auto state = journal::ParseJobState(val);
      if (!state) {
        return reply(ErrorResponse(400, "invalid_argument",
                                   "state: '" + val +
                                       "' is not one of pending, running, published, failed, "
                                       "cancelled, unknown"));
      }
      // ?state=a&state=b: either.
      if (std::find(query.states.begin(), query.states.end(), *state) == query.states.end()) {
        query.states.push_back(*state);
      }
    } else if (key == "campaign") {
      query.campaign_id = val;
    } else if (key == "account") {
      query.account = val;
    } else if (key == "platform") {
      platform = val;
    } else if (key == "member") {
      member = val;
    } else if (key == "from" || key == "to") {
      auto t = ParseTime(val, key.c_str());
      if (!t.ok()) return reply(FromError(t.error()));
      (key == "from" ? query.due_from_ms : query.due_to_ms) = *t;
    } else if (key == "limit") {
      int64_t l = 0;
      auto [end, ec] = std::from_chars(val.data(), val.data() + val.size(), l);
      if (ec != std::errc() || end != val.data() + val.size() || l < 1 || l > 1000) {
        return reply(ErrorResponse(400, "invalid_argument", "limit: must be 1..1000"));
      }
      limit = static_cast<size_t>(l);
    } else if (key == "cursor") {
      query.cursor = val;
    } else {
      return reply(ErrorResponse(400, "invalid_argument",
                                 "unknown filter '" + key +
                                     "' (state, campaign, account, platform, member, from, "
                                     "to, limit, cursor)"));
    }
  }
  // The journal filters by state, campaign, account and time; platform and
  // member are filtered here. Each journal page is taken whole, so the cursor
  // stays exact; a scan stops after kMaxScan rows with a cursor to go on from.
  constexpr size_t kMaxScan = 20000;
  std::vector<value> out;
  size_t scanned = 0;
  std::string cursor = query.cursor;
  for (;;) {
    query.cursor = cursor;
    query.limit = limit - out.size();
    auto page = daemon_.journal().List(query);
    if (!page.ok()) return reply(FromError(page.error()));
    for (const auto& job : page->jobs) {
      if (!platform.empty() && job.record.platform != platform) continue;
      if (!member.empty() && job.record.member_key != member) continue;
      out.push_back(JobJson(job));
    }
    scanned += page->jobs.size();
    cursor = page->next_cursor;
    if (cursor.empty() || out.size() >= limit || scanned >= kMaxScan) break;
  }
  value j = value::object();
  j[U("jobs")] = value::array(out);
  j[U("next_cursor")] = cursor.empty() ? value::null() : Str(cursor);
  reply(Json(200, j));
}

void ControlApi::JobDetail(const std::string& id, Reply& reply) {
  auto job = daemon_.journal().GetById(id);
  if (!job.ok()) return reply(FromError(job.error()));
  auto attempts = daemon_.journal().Attempts(job->key);
  if (!attempts.ok()) return reply(FromError(attempts.error()));
  value j = JobJson(*job);
  std::vector<value> list;
  for (const auto& a : *attempts) list.push_back(AttemptJson(a));
  j[U("attempt_history")] = value::array(list);
  std::error_code ec;
  value post = value::parse(job->record.payload_json, ec);
  j[U("rendered")] = ec ? Str(job->record.payload_json) : post;
  j[U("checkpoint")] = job->checkpoint ? Str(*job->checkpoint) : value::null();
  reply(Json(200, j));
}

void ControlApi::JobAction(const std::string& id, const std::string& action, const Request& request,
                           Reply& reply) {
  auto body = ParseObject(request.body, JobActionFields(action));
  if (!body.ok()) return reply(FromError(body.error()));
  auto& journal = daemon_.journal();
  const int64_t now = daemon_.clock().NowMs();
  auto done = ApplyJobAction(journal, id, action, *body, Who(request.peer), now);
  if (!done.ok()) return reply(FromError(done.error()));
  const journal::JobKey key = done->key;
  if (done->schedule) {
    boost::asio::post(daemon_.io(), [this, key, now] { daemon_.Schedule(key, now); });
  }
  auto after = journal.Get(key);
  if (!after.ok()) return reply(FromError(after.error()));
  reply(Json(200, JobJson(*after)));
}

herald::Status ControlApi::ScopeExists(const core::PauseScope& scope) {
  const auto& accounts = daemon_.config().accounts;
  switch (scope.kind) {
    case core::PauseScope::Kind::kAll:
      return {};
    case core::PauseScope::Kind::kAccount:
      if (std::any_of(accounts.begin(), accounts.end(),
                      [&](const auto& a) { return a.name == scope.name; })) {
        return {};
      }
      return Error(ErrorCode::kNotFound, "no account '" + scope.name + "' in herald.yaml");
    case core::PauseScope::Kind::kPlatform:
      if (std::any_of(accounts.begin(), accounts.end(),
                      [&](const auto& a) { return a.platform == scope.name; })) {
        return {};
      }
      return Error(ErrorCode::kNotFound,
                   "no account on platform '" + scope.name + "' in herald.yaml");
    case core::PauseScope::Kind::kCampaign: {
      journal::JobQuery query;
      query.campaign_id = scope.name;
      query.limit = 1;
      auto page = daemon_.journal().List(query);
      if (!page.ok()) return page.error();
      if (!page->jobs.empty()) return {};
      return Error(ErrorCode::kNotFound,
                   "no campaign '" + scope.name + "' in the loaded calendars' posts");
    }
  }
  return {};
}

void ControlApi::PauseOrResume(bool pause, const Request& request, Reply& reply) {
  auto body =
      ParseObject(request.body, pause ? std::vector<std::string_view>{"scope", "name", "reason"}
                                      : std::vector<std::string_view>{"scope", "name"});
  if (!body.ok()) return reply(FromError(body.error()));
  auto scope = ParseScope(*body);
  if (!scope.ok()) return reply(FromError(scope.error()));
  // Pausing a name that matches nothing would look like success and hold
  // nothing back (a typo in an account's name): say so instead.
  if (pause) {
    if (herald::Status exists = ScopeExists(*scope); !exists.ok())
      return reply(FromError(exists.error()));
  }
  auto reason = StringField(*body, "reason", "paused by an admin (" + Who(request.peer) + ")");
  if (!reason.ok()) return reply(FromError(reason.error()));
  if (pause) {
    boost::asio::post(daemon_.io(), [this, scope = *scope, reason = *reason, reply] {
      daemon_.Pause(
          scope, core::PauseCause::kAdmin, reason,
          [this, scope, reason, reply](herald::Status saved) {
            if (!saved.ok()) {
              return reply(ErrorResponse(
                  500, "internal",
                  "paused until heraldd stops, but not saved: " + saved.error().message()));
            }
            core::PausedScope p{scope, core::PauseCause::kAdmin, reason, daemon_.clock().NowMs()};
            reply(Json(200, ScopeJson(p)));
          });
    });
    return;
  }
  boost::asio::post(daemon_.io(), [this, scope = *scope, reply] {
    daemon_.Resume(scope, [this, scope, reply](herald::Result<bool> was) {
      if (!was.ok()) {
        // 409 when the account's credentials cannot be read; 500 when the
        // journal refused: either way the scope stays paused.
        return reply(
            FromError(Error(was.error().code(), std::string(core::ToString(scope.kind)) +
                                                    (scope.name.empty() ? "" : " ") + scope.name +
                                                    ": " + was.error().message())));
      }
      if (!*was) {
        return reply(ErrorResponse(404, "not_found",
                                   std::string("scope ") + core::ToString(scope.kind) +
                                       (scope.name.empty() ? "" : " " + scope.name) +
                                       " is not paused"));
      }
      core::PausedScope p{scope, core::PauseCause::kAdmin, "", daemon_.clock().NowMs()};
      reply(Json(200, ScopeJson(p)));
    });
  });
}

void ControlApi::Reload(const Request& request, Reply& reply) {
  auto body = ParseObject(request.body, {});
  if (!body.ok()) return reply(FromError(body.error()));
  std::string why = "control API (" + Who(request.peer) + ")";
  boost::asio::post(daemon_.io(), [this, why, reply] {
    daemon_.RequestReload(why, [this, reply](const core::SyncResult& result) {
      // Rendered on the control thread: the loop only copies the result.
      post_to_server_([reply, result] { reply(Json(200, SyncJson(result))); });
    });
  });
}

void ControlApi::Plugins(Reply& reply) {
  const auto& report = daemon_.plugins();
  std::vector<value> plugins, problems;
  for (const auto& p : report.plugins) {
    value j = value::object();
    j[U("platform")] = Str(p->platform());
    j[U("version")] = Str(p->version());
    j[U("description")] = Str(p->description());
    j[U("path")] = Str(p->path().string());
    plugins.push_back(j);
  }
  for (const auto& p : report.problems) problems.push_back(Str(p.ToString()));
  value j = value::object();
  j[U("plugins")] = value::array(plugins);
  j[U("problems")] = value::array(problems);
  reply(Json(200, j));
}

void ControlApi::Accounts(Reply& reply) {
  auto paused = daemon_.admission().Paused();
  std::vector<value> list;
  for (const auto& account : daemon_.config().accounts) {
    value j = value::object();
    j[U("name")] = Str(account.name);
    j[U("platform")] = Str(account.platform);
    bool loaded = std::any_of(daemon_.plugins().plugins.begin(), daemon_.plugins().plugins.end(),
                              [&](const auto& p) { return p->platform() == account.platform; });
    j[U("plugin_loaded")] = value::boolean(loaded);
    j[U("has_credentials")] = value::boolean(!account.credentials.empty());
    j[U("api_base")] = Str(account.api_base);
    std::string state = "ok", reason;
    for (const auto& p : paused) {
      bool applies =
          p.scope.kind == core::PauseScope::Kind::kAll ||
          (p.scope.kind == core::PauseScope::Kind::kPlatform && p.scope.name == account.platform) ||
          (p.scope.kind == core::PauseScope::Kind::kAccount && p.scope.name == account.name);
      if (!applies) continue;
      // What needs fixing (credentials, a plugin, a connector's settings)
      // says more than an admin's pause of a wider scope.
      reason = p.reason;
      if (p.cause != core::PauseCause::kAdmin) {
        state = core::ToString(p.cause);
        break;
      }
      state = "paused";
    }
    // A spent platform quota holds the account's work until its reset.
    auto quota = daemon_.quota().Read(account.name, daemon_.clock().NowMs());
    if (state == "ok" && quota && quota->exhausted_until_ms > 0) {
      state = "quota_exhausted";
      reason = "the platform's quota is spent until " + TimeText(quota->exhausted_until_ms) + ": " +
               quota->reason;
    }
    j[U("quota")] = quota ? QuotaJson(*quota) : value::null();
    j[U("state")] = Str(state);
    j[U("reason")] = Str(reason);
    auto api =
        daemon_.api_versions().AssessAccount(account.name, core::TodayUtc(daemon_.clock().NowMs()));
    j[U("api")] = api ? ApiVersionJson(*api) : value::null();
    list.push_back(j);
  }
  value j = value::object();
  j[U("accounts")] = value::array(list);
  reply(Json(200, j));
}

void ControlApi::Events(Reply& reply) {
  auto stream = std::make_shared<LineStream>();
  value hello = value::object();
  hello[U("type")] = Str("hello");
  hello[U("at")] = Str(TimeText(daemon_.clock().NowMs()));
  stream->Push(hello.serialize());
  events_.Subscribe(stream);
  Response r;
  r.content_type = "application/x-ndjson";
  r.stream = stream;
  reply(std::move(r));
}

void ControlApi::Metrics(Reply& reply) {
  MetricsGauges gauges;
  gauges.jobs = daemon_.journal().Summary().counts;
  gauges.paused_scopes = daemon_.admission().Paused().size();
  gauges.control_connections = open_connections_ ? open_connections_() : 0;
  gauges.event_subscribers = events_.subscribers();
  const int64_t now = daemon_.clock().NowMs();
  gauges.uptime_ms = now - daemon_.started_ms();
  gauges.api_versions = daemon_.api_versions().Assess(core::TodayUtc(now));
  gauges.quota = daemon_.quota().ReadAll(now);
  Response r;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  r.body = metrics_.Render(gauges);
  reply(std::move(r));
}

}  // namespace herald::control
