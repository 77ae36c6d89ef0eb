#include "core/daemon.h"

#include <spdlog/spdlog.h>
#include <sys/inotify.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>

#include "common/private_file.h"
#include "core/load_context.h"
#include "journal/sqlite_journal.h"

namespace herald::core {
namespace asio = boost::asio;

namespace {

constexpr int64_t kLateToleranceMs = 60'000;
// At most this many due jobs are handed out per timer wake-up, so the loop
// stays responsive (the control API shares it) during a burst.
constexpr size_t kDispatchBatch = 512;
// Jobs are handed to a worker this long before they are due, so that "attempt
// started" is durable (an fsync) by the due instant; the worker then waits for
// the instant itself before the request leaves (Dispatcher::Process).
constexpr int64_t kLeadMs = 5;

void Notify(const char* state) { sd_notify(0, state); }

std::string FormatUtcMs(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

Daemon::Daemon(config::Config config, DaemonOptions options)
    : config_(std::move(config)),
      options_(std::move(options)),
      clock_(options_.clock ? *options_.clock : system_clock_),
      pool_(static_cast<size_t>(std::max(1, options_.workers)), options_.worker_nice) {
  if (!pool_.priority_problem().empty()) spdlog::warn("{}", pool_.priority_problem());
}

Daemon::~Daemon() {
  pool_.Stop();
  pool_.Join();
}

Status Daemon::Start() {
  started_ms_ = clock_.NowMs();
  // The state directory is heraldd's alone (0700) when it makes it.
  std::error_code ec;
  std::filesystem::create_directories(config_.state_dir.parent_path(), ec);
  if (auto made = MakeDirectory(config_.state_dir, 0700); !made.ok()) return made.error();
  auto lock = journal::StateDirLock::Acquire(config_.state_dir);
  if (!lock.ok()) return lock.error();
  lock_.emplace(std::move(*lock));

  if (!config_.credentials_file.empty()) {
    // Refreshed tokens live beside the journal, layered over the admin's
    // file, which may be read-only (ProtectSystem=strict).
    auto store =
        config::CredentialStore::Open(config_.credentials_file, ::geteuid(),
                                      config::CredentialStore::RefreshedLayerIn(config_.state_dir));
    if (!store.ok()) return store.error();
    credentials_ = std::move(*store);
    if (Status refs = config::VerifyCredentialReferences(config_, *credentials_); !refs.ok()) {
      return refs;
    }
  }

  auto dirs = options_.plugin_dirs.empty() ? config_.plugin_dirs : options_.plugin_dirs;
  plugins_ = plugin::LoadPlugins(dirs);
  for (const auto& problem : plugins_.problems) spdlog::error("{}", problem.ToString());
  for (const auto& p : plugins_.plugins) {
    spdlog::info("plugin {} {} from {}", p->platform(), p->version(), p->path().string());
  }
  for (const auto& account : config_.accounts) {
    if (!plugins_.Find(account.platform)) {
      spdlog::error("account {}: no plugin for platform {} is loaded; its posts wait, paused",
                    account.name, account.platform);
    }
  }
  const auto descriptions = DescribeAccounts(config_, plugins_);
  api_versions_ = ApiVersions::FromDescriptions(descriptions);
  for (const auto& [account, limits] : descriptions) {
    auto spec = ParseQuotaSpec(limits);
    if (!spec.ok()) {
      spdlog::warn("account {}: its quota cannot be read: {}", account, spec.error().message());
    } else if (*spec) {
      quota_.Configure(account, std::move(**spec));
    }
  }
  if (const char* fixed = std::getenv("HERALD_TEST_TODAY"); fixed && *fixed) {
    spdlog::warn("HERALD_TEST_TODAY is set: API versions are judged as on {} (a test setting)",
                 FormatDay(TodayUtc(clock_.NowMs())));
  }
  LogApiVersionWarnings();

  auto journal = journal::OpenSqliteJournal(config_.state_dir / "journal.db");
  if (!journal.ok()) return journal.error();
  journal_ = std::move(*journal);

  admission_ = std::make_unique<Admission>(config_);
  admission_->set_journal(journal_.get());
  // Pauses set by an admin or for refused credentials before we stopped.
  if (Status restored = admission_->Restore(); !restored.ok()) return restored.error();
  const auto restored = admission_->Paused();
  for (const auto& p : restored) {
    spdlog::info("{}{}{} is paused ({}, since {}): {}", ToString(p.scope.kind),
                 p.scope.name.empty() ? "" : " ", p.scope.name, ToString(p.cause),
                 FormatUtcMs(p.since_ms), p.reason);
  }
  media_ = std::make_unique<MediaStager>(config_.media, config_.state_dir);
  media_->Sweep(std::chrono::hours(24));
  connectors_ = std::make_unique<PluginConnectors>(plugins_, credentials_.get(), clock_, &quota_,
                                                   config_.http);
  dispatcher_ = std::make_unique<Dispatcher>(config_, *connectors_, *journal_, clock_, *admission_,
                                             media_.get());
  dispatcher_->set_quota_tracker(&quota_);
  dispatcher_->set_event_sink(
      [this](const JobEvent& e) { asio::post(io_, [this, e] { Emit(e); }); });
  for (const auto& account : config_.accounts) {
    // An admin's or an expired-credentials pause restored above stays what it was.
    const PauseScope scope{PauseScope::Kind::kAccount, account.name};
    bool paused = std::any_of(restored.begin(), restored.end(),
                              [&](const PausedScope& p) { return p.scope == scope; });
    if (!plugins_.Find(account.platform) && !paused) {
      (void)admission_->Pause({PauseScope::Kind::kAccount, account.name}, PauseCause::kNoPlugin,
                              "no plugin for platform " + account.platform, started_ms_);
    }
  }

  // Recovery: whatever was running when we stopped may or may not have reached
  // the platform. Each becomes unknown and is reconciled before any retry, as
  // is every unknown job an earlier start left unsettled and no admin has.
  auto interrupted = journal_->RecoverAfterCrash(started_ms_);
  if (!interrupted.ok()) return interrupted.error();
  for (auto& job : *interrupted) {
    spdlog::warn("job {} on {}: outcome unknown ({}), reconciling", job.record.id,
                 job.record.account, job.last_error);
    Reconcile(std::move(job));
  }

  sync_ = std::make_unique<CalendarSync>(*journal_, config_.calendar_dirs,
                                         MakeLoadContext(config_, plugins_));
  SkipMissed(started_ms_);
  SyncResult first = sync_->Sync(clock_.NowMs());
  bool applied = first.applied;
  OnReloaded(std::move(first));
  // With every calendar broken (or none at all), the journal's pending jobs
  // are still the last good state: they are scheduled all the same.
  if (!applied) {
    if (Status rebuilt = RebuildQueue(); !rebuilt.ok()) return rebuilt;
  }
  return Status::Ok();
}

void Daemon::SkipMissed(int64_t now_ms) {
  auto pending = journal_->LoadPending();
  if (!pending.ok()) return;
  for (const auto& entry : *pending) {
    if (entry.next_attempt_ms + kLateToleranceMs >= now_ms) break;  // sorted by time
    auto job = journal_->Get(entry.key);
    if (!job.ok() || job->attempts > 0 || job->checkpoint) continue;
    if (job->record.due_ms + job->record.late_grace_ms + kLateToleranceMs >= now_ms) continue;
    std::string why = "missed: due at " + FormatUtcMs(job->record.due_ms) +
                      " while heraldd was not running, beyond its calendar's late policy";
    if (journal_->Cancel(entry.key, now_ms, why).ok()) {
      spdlog::warn("job {} on {}: {}", job->record.id, job->record.account, why);
    }
  }
}

Status Daemon::RebuildQueue() {
  auto pending = journal_->LoadPending();
  if (!pending.ok()) return pending.error();
  DueQueue fresh;
  fresh.Reserve(pending->size());
  for (const auto& entry : *pending) {
    if (!in_flight_.count(entry.key)) fresh.Schedule(entry.key, entry.next_attempt_ms);
  }
  queue_ = std::move(fresh);
  parked_.clear();
  ArmTimer();
  return Status::Ok();
}

void Daemon::ArmTimer() {
  if (stopping_) return;
  auto next = queue_.NextDue();
  if (!next) {
    if (armed_for_) timer_.cancel();
    armed_for_.reset();
    return;
  }
  if (armed_for_ == *next) return;
  armed_for_ = *next;
  // A system timer, so that a change of the wall clock moves it too; armed
  // for the clock's distance to the instant (the clock runs at its rate).
  timer_.expires_after(std::chrono::milliseconds(*next - kLeadMs - clock_.NowMs()));
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;  // re-armed or stopping
    armed_for_.reset();
    OnTimer();
  });
}

void Daemon::OnTimer() {
  if (stopping_) return;
  auto due = queue_.PopDue(clock_.NowMs() + kLeadMs, kDispatchBatch);
  for (journal::JobKey key : due) Dispatch(key);
  if (due.size() == kDispatchBatch) {
    asio::post(io_, [this] { OnTimer(); });
    return;
  }
  ArmTimer();
}

void Daemon::Dispatch(journal::JobKey key) {
  if (!in_flight_.insert(key).second) return;
  asio::post(pool_.executor(), [this, key] {
    Dispatcher::Next next = dispatcher_->Process(key);
    asio::post(io_, [this, key, next] { OnNext(key, next); });
  });
}

void Daemon::Reconcile(journal::Job job) {
  journal::JobKey key = job.key;
  in_flight_.insert(key);
  asio::post(pool_.executor(), [this, job = std::move(job)] {
    Dispatcher::Next next = dispatcher_->Reconcile(job);
    asio::post(io_, [this, key = job.key, next] { OnNext(key, next); });
  });
}

void Daemon::RemoveStagedLater(std::vector<std::filesystem::path> files) {
  auto timer = std::make_shared<asio::steady_timer>(io_, options_.media_grace);
  timer->async_wait([timer, files = std::move(files)](const boost::system::error_code& ec) {
    if (ec) return;  // stopping: the start-up sweep removes them later
    std::error_code rm;
    for (const auto& f : files) std::filesystem::remove(f, rm);
  });
}

void Daemon::OnNext(journal::JobKey key, Dispatcher::Next next) {
  in_flight_.erase(key);
  if (!next.staged.empty()) RemoveStagedLater(std::move(next.staged));
  switch (next.kind) {
    case Dispatcher::Next::Kind::kNone:
      break;
    case Dispatcher::Next::Kind::kSchedule:
      queue_.Schedule(key, next.at_ms);
      break;
    case Dispatcher::Next::Kind::kPark:
      parked_.insert(key);
      break;
  }
  if (stopping_) {
    if (in_flight_.empty()) io_.stop();
    return;
  }
  ArmTimer();
}

void Daemon::Schedule(journal::JobKey key, int64_t at_ms) {
  parked_.erase(key);
  if (in_flight_.count(key)) return;
  queue_.Schedule(key, at_ms);
  ArmTimer();
}

void Daemon::Pause(const PauseScope& scope, PauseCause cause, std::string reason,
                   std::function<void(Status)> done) {
  // The journal's write waits for an fsync: never on the loop, which keeps time.
  asio::post(pool_.executor(),
             [this, scope, cause, reason = std::move(reason), done = std::move(done)]() mutable {
               Status saved = admission_->Pause(scope, cause, std::move(reason), clock_.NowMs());
               if (!saved.ok()) {
                 spdlog::error(
                     "{} {}: paused, but the pause could not be journaled ({}); it holds until "
                     "heraldd stops",
                     ToString(scope.kind), scope.name, saved.error().message());
               }
               asio::post(io_, [done = std::move(done), saved]() mutable {
                 if (done) done(std::move(saved));
               });
             });
}

void Daemon::Resume(const PauseScope& scope, std::function<void(Result<bool>)> done) {
  asio::post(pool_.executor(), [this, scope, done = std::move(done)]() mutable {
    Result<bool> lifted = CredentialsFor(scope);
    if (lifted.ok()) {
      lifted = admission_->Resume(scope);
      if (!lifted.ok()) {
        lifted = Error(lifted.error().code(), "still paused: the resume could not be journaled (" +
                                                  lifted.error().message() + ")");
      }
    }
    asio::post(io_, [this, lifted = std::move(lifted), done = std::move(done)]() mutable {
      if (lifted.ok() && *lifted) {
        int64_t now = clock_.NowMs();
        for (journal::JobKey key : parked_) queue_.Schedule(key, now);
        parked_.clear();
        ArmTimer();
      }
      if (done) done(std::move(lifted));
    });
  });
}

Result<bool> Daemon::CredentialsFor(const PauseScope& scope) {
  // Lifting a pause for refused credentials: the reconnected ones must be
  // readable now, or the account would send its old token again.
  const auto paused = admission_->Paused();
  bool expired = std::any_of(paused.begin(), paused.end(), [&](const PausedScope& p) {
    return p.scope == scope && p.cause == PauseCause::kAuthExpired;
  });
  if (!expired || !credentials_) return true;
  if (Status read = credentials_->Reload(); !read.ok()) {
    return Error(ErrorCode::kFailedPrecondition,
                 "still paused: its credentials cannot be read again, so it would send the "
                 "expired ones (" +
                     read.error().message() + ")");
  }
  return true;
}

void Daemon::ReloadCredentials(std::string why) {
  if (!credentials_) return;
  asio::post(pool_.executor(), [this, why = std::move(why)] {
    if (Status read = credentials_->Reload(); !read.ok()) {
      spdlog::error("credentials ({}): {}; heraldd keeps using what it read before", why,
                    read.error().message());
    } else {
      spdlog::info("credentials read again ({})", why);
    }
  });
}

void Daemon::WatchCredentials() {
  if (!credentials_) return;
  int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) {
    spdlog::warn("inotify unavailable ({}); credentials are read again on SIGHUP and as used",
                 std::strerror(errno));
    return;
  }
  cred_inotify_ = std::make_unique<asio::posix::stream_descriptor>(io_, fd);
  const auto folder = config_.credentials_file.parent_path().empty()
                          ? std::filesystem::path(".")
                          : config_.credentials_file.parent_path();
  // The folder, not the file: heraldctl connect replaces the file by rename.
  if (::inotify_add_watch(fd, folder.c_str(), IN_CLOSE_WRITE | IN_MOVED_TO | IN_ATTRIB) < 0) {
    spdlog::warn("cannot watch {}: {}; credentials are read again on SIGHUP and as used",
                 folder.string(), std::strerror(errno));
    cred_inotify_.reset();
    return;
  }
  cred_buffer_.resize(16 * 1024);
  ReadCredentialEvents();
}

void Daemon::ReadCredentialEvents() {
  cred_inotify_->async_read_some(
      asio::buffer(cred_buffer_), [this](const boost::system::error_code& ec, size_t n) {
        if (ec || stopping_) return;
        const std::string name = config_.credentials_file.filename().string();
        bool ours = false;
        for (size_t at = 0; at + sizeof(inotify_event) <= n;) {
          const auto* e = reinterpret_cast<const inotify_event*>(cred_buffer_.data() + at);
          if (e->len > 0 && name == e->name) ours = true;
          at += sizeof(inotify_event) + e->len;
        }
        if (ours) {
          cred_debounce_.expires_after(options_.reload_debounce);
          cred_debounce_.async_wait([this](const boost::system::error_code& e) {
            if (!e) ReloadCredentials("the file changed");
          });
        }
        ReadCredentialEvents();
      });
}

void Daemon::AddEventSink(std::function<void(const JobEvent&)> sink) {
  sinks_.push_back(std::move(sink));
}

void Daemon::Emit(const JobEvent& event) {
  for (const auto& sink : sinks_) sink(event);
}

void Daemon::RequestReload(std::string why, std::function<void(const SyncResult&)> done) {
  if (stopping_) return;
  spdlog::info("reloading calendars ({})", why);
  if (reloading_) {
    // The reload under way may have read the files before this change.
    reload_again_ = true;
    if (done) next_reload_waiters_.push_back(std::move(done));
    return;
  }
  if (done) reload_waiters_.push_back(std::move(done));
  StartReload();
}

void Daemon::StartReload() {
  reloading_ = true;
  if (ready_) Notify("RELOADING=1");
  asio::post(pool_.executor(), [this] {
    SyncResult result = sync_->Sync(clock_.NowMs());
    asio::post(io_,
               [this, result = std::move(result)]() mutable { OnReloaded(std::move(result)); });
  });
}

void Daemon::OnReloaded(SyncResult result) {
  reloading_ = false;
  for (const auto& d : result.diagnostics) {
    if (d.severity == calendar::Severity::kError) {
      spdlog::error("{}", d.ToString());
    } else {
      spdlog::warn("{}", d.ToString());
    }
  }
  if (!result.error.empty()) spdlog::error("calendar reload failed: {}", result.error);
  spdlog::info("calendars: {}", result.Summary());
  if (result.applied) {
    if (Status rebuilt = RebuildQueue(); !rebuilt.ok()) {
      spdlog::error("cannot read pending jobs from the journal: {}", rebuilt.error().message());
    }
  }
  JobEvent event;
  event.kind = JobEvent::Kind::kReload;
  event.message = result.Summary();
  event.at_ms = clock_.NowMs();
  Emit(event);
  for (auto& waiter : reload_waiters_) waiter(result);
  reload_waiters_ = std::move(next_reload_waiters_);
  next_reload_waiters_.clear();
  last_sync_ = std::move(result);
  if (ready_) Notify("READY=1");
  if (reload_again_ && !stopping_) {
    reload_again_ = false;
    StartReload();
  }
}

void Daemon::WatchCalendars() {
  int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) {
    spdlog::warn("inotify unavailable ({}); calendars reload on SIGHUP only", std::strerror(errno));
    return;
  }
  inotify_ = std::make_unique<asio::posix::stream_descriptor>(io_, fd);
  inotify_buffer_.resize(64 * 1024);
  RefreshWatches();
  ReadInotify();
}

// Watches every calendar folder and its immediate sub-folders (media/,
// audiences/), those created since included; inotify gives a path watched
// twice the same watch. A folder that does not exist is waited for through
// its nearest existing parent, whose watch is dropped once the folder is back.
void Daemon::RefreshWatches() {
  namespace fs = std::filesystem;
  const int fd = inotify_->native_handle();
  const uint32_t mask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE;
  auto add = [&](const fs::path& path) {
    int wd = ::inotify_add_watch(fd, path.c_str(), mask);
    if (wd < 0 && watch_said_.insert(path).second) {
      spdlog::warn("cannot watch {}: {}", path.string(), std::strerror(errno));
    }
    return wd;
  };
  std::set<int> needed, parents;
  for (const auto& dir : config_.calendar_dirs) {
    std::error_code ec;
    if (fs::is_directory(dir, ec)) {
      if (watch_said_.erase(dir)) spdlog::info("calendar folder {} is there now", dir.string());
      needed.insert(add(dir));
      for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (entry.is_directory(ec)) needed.insert(add(entry.path()));
      }
      continue;
    }
    fs::path parent = dir.parent_path();
    while (parent.has_relative_path() && !fs::is_directory(parent, ec)) {
      parent = parent.parent_path();
    }
    if (watch_said_.insert(dir).second) {
      spdlog::warn("calendar folder {} does not exist; watching {} for it", dir.string(),
                   parent.string());
    }
    parents.insert(add(parent));
  }
  for (int wd : parent_watches_) {
    if (!parents.count(wd) && !needed.count(wd)) ::inotify_rm_watch(fd, wd);
  }
  parents.erase(-1);
  parent_watches_ = std::move(parents);
}

void Daemon::ReadInotify() {
  inotify_->async_read_some(asio::buffer(inotify_buffer_),
                            [this](const boost::system::error_code& ec, size_t) {
                              if (ec || stopping_) return;
                              RefreshWatches();  // a folder may have appeared
                              // Editors write in bursts (temp file, rename, chmod): reload once
                              // they settle.
                              debounce_.expires_after(options_.reload_debounce);
                              debounce_.async_wait([this](const boost::system::error_code& e) {
                                if (!e) RequestReload("calendar files changed");
                              });
                              ReadInotify();
                            });
}

void Daemon::WatchSignals() {
  signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    if (signal == SIGHUP) {
      ReloadCredentials("SIGHUP");
      RequestReload("SIGHUP");
      WatchSignals();
      return;
    }
    spdlog::info("received {}; stopping", signal == SIGTERM ? "SIGTERM" : "SIGINT");
    Stop();
  });
}

void Daemon::StartWatchdog() {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return;
  watchdog_.expires_after(std::chrono::microseconds(usec / 2));
  watchdog_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopping_) return;
    Notify("WATCHDOG=1");
    StartWatchdog();
  });
}

void Daemon::Stop() {
  if (stopping_) return;
  stopping_ = true;
  Notify("STOPPING=1");
  timer_.cancel();
  refresh_.cancel();
  watchdog_.cancel();
  debounce_.cancel();
  signals_.cancel();
  if (inotify_) inotify_->close();
  if (cred_inotify_) cred_inotify_->close();
  cred_debounce_.cancel();
  if (in_flight_.empty()) {
    io_.stop();
    return;
  }
  spdlog::info("waiting up to {} ms for {} job(s) in flight", options_.stop_grace.count(),
               in_flight_.size());
  stop_timer_.expires_after(options_.stop_grace);
  stop_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    spdlog::warn(
        "{} job(s) still in flight after the grace period; they stay 'running' in the "
        "journal and are reconciled at the next start",
        in_flight_.size());
    io_.stop();
  });
}

void Daemon::LogApiVersionWarnings() {
  for (const ApiVersionReport& r : api_versions_.Assess(TodayUtc(clock_.NowMs()))) {
    if (r.warns()) spdlog::warn("{}", r.message);
  }
}

int Daemon::Run() {
  if (Status started = Start(); !started.ok()) {
    spdlog::critical("cannot start: {}", started.error().message());
    return 1;
  }
  if (start_hook_) {
    if (Status hooked = start_hook_(); !hooked.ok()) {
      spdlog::critical("cannot start: {}", hooked.error().message());
      return 1;
    }
  }
  WatchSignals();
  signals_.add(SIGTERM);
  signals_.add(SIGINT);
  signals_.add(SIGHUP);
  WatchCalendars();
  WatchCredentials();
  StartWatchdog();
  // The horizon moves forward: re-expand the calendars once a day.
  std::function<void()> refresh = [this, &refresh] {
    refresh_.expires_after(std::chrono::hours(24));
    refresh_.async_wait([this, &refresh](const boost::system::error_code& ec) {
      if (ec || stopping_) return;
      RequestReload("daily horizon refresh");
      media_->Sweep(std::chrono::hours(24));
      LogApiVersionWarnings();
      refresh();
    });
  };
  refresh();
  spdlog::info("heraldd ready: {} pending job(s), next due {}", queue_.size(),
               queue_.NextDue() ? FormatUtcMs(*queue_.NextDue()) : std::string("none"));
  ready_ = true;
  Notify("READY=1");
  io_.run();

  if (!in_flight_.empty()) {
    spdlog::default_logger()->flush();
    // Workers are blocked in connector calls that cannot be interrupted; the
    // journal already holds every change durably, so leave without joining.
    std::_Exit(0);
  }
  pool_.Stop();
  pool_.Join();
  spdlog::info("heraldd stopped");
  return 0;
}

}  // namespace herald::core
