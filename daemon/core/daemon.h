// Daemon: heraldd's long-running heart. It owns the event loop (Boost.Asio,
// one thread) with the scheduler's single timer, the signals (SIGTERM/SIGINT
// stop, SIGHUP reloads), the calendar watch (inotify), the systemd
// notifications and watchdog; and a worker pool where the Dispatcher steps
// connectors and reloads load calendars.
//
// Start-up: lock the state directory, open credentials and the journal, load
// plugins, turn `running` jobs into `unknown` and queue their reconciliation,
// skip posts missed while down (the calendar's late policy), load the
// calendars, fill the queue from the journal, then say READY=1.
//
// Idle costs nothing: with no job due, the loop sleeps until the next due
// instant (the daily horizon refresh and an admin-configured watchdog aside).
//
// Threading: Run() runs the loop on the calling thread; everything that
// touches the queue happens on it. Workers report back by posting to it.
#pragma once

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange unincluded

#include <boost/asio.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/credential_store.h"
#include "core/admission.h"
#include "core/api_versions.h"
#include "core/calendar_sync.h"
#include "core/clock.h"
#include "core/connector_factory.h"
#include "core/daemon_control.h"
#include "core/dispatcher.h"
#include "core/due_queue.h"
#include "core/media_stager.h"
#include "core/quota_tracker.h"
#include "core/worker_pool.h"
#include "journal/journal.h"
#include "journal/state_dir_lock.h"
#include "plugin/plugin_loader.h"

namespace herald::core {

struct DaemonOptions {
  std::vector<std::filesystem::path> plugin_dirs;  // empty: the configuration's
  int workers = 16;                                // connector calls in parallel
  // How much nicer (lower CPU priority) the workers run than the event loop,
  // the journal's writer and the control socket (see worker_pool.h); 0: same.
  int worker_nice = 10;
  std::chrono::milliseconds stop_grace{std::chrono::seconds(30)};
  std::chrono::milliseconds reload_debounce{std::chrono::milliseconds(300)};
  // How long staged media stay published after their post went out.
  std::chrono::milliseconds media_grace{std::chrono::hours(1)};
  // The daemon's clock (not owned; must outlive the Daemon). Null: the system
  // clock. Its timers assume a clock that runs at the system clock's rate.
  Clock* clock = nullptr;
};

class Daemon final : public DaemonControl {
 public:
  Daemon(config::Config config, DaemonOptions options);
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // Starts, runs until SIGTERM/SIGINT, stops. Returns the process exit code:
  // 0 after a clean stop, 1 when start-up failed (with the reason logged).
  int Run();

  // Called on the loop thread in Run(), after a successful start and before
  // READY=1 (the control server starts listening here). An error stops Run().
  void set_start_hook(std::function<Status()> hook) { start_hook_ = std::move(hook); }

  // --- DaemonControl, for the control API (threads: see daemon_control.h). ---
  boost::asio::io_context& io() override { return io_; }
  journal::Journal& journal() override { return *journal_; }
  const plugin::PluginLoadReport& plugins() const override { return plugins_; }
  const config::Config& config() const override { return config_; }
  Admission& admission() override { return *admission_; }
  Clock& clock() override { return clock_; }
  const ApiVersions& api_versions() const override { return api_versions_; }
  const QuotaTracker& quota() const override { return quota_; }
  int64_t started_ms() const override { return started_ms_; }
  const std::optional<SyncResult>& last_sync() const override { return last_sync_; }
  void RequestReload(std::string why,
                     std::function<void(const SyncResult&)> done = nullptr) override;
  void Pause(const PauseScope& scope, PauseCause cause, std::string reason,
             std::function<void(Status)> done) override;
  void Resume(const PauseScope& scope, std::function<void(Result<bool>)> done) override;
  void Schedule(journal::JobKey key, int64_t at_ms) override;
  void AddEventSink(std::function<void(const JobEvent&)> sink) override;
  void Emit(const JobEvent& event);

 private:
  Status Start();
  void ArmTimer();
  void OnTimer();
  void Dispatch(journal::JobKey key);
  void Reconcile(journal::Job job);
  void OnNext(journal::JobKey key, Dispatcher::Next next);
  void StartReload();
  void OnReloaded(SyncResult result);
  Status RebuildQueue();
  void SkipMissed(int64_t now_ms);
  void WatchCalendars();
  void RefreshWatches();
  void ReadInotify();
  void WatchSignals();
  // Credentials are read again on SIGHUP, when their file changes (inotify on
  // its folder) and before a pause for expired credentials is lifted.
  void WatchCredentials();
  void ReadCredentialEvents();
  void ReloadCredentials(std::string why);
  // An error when `scope` is paused for expired credentials that cannot be
  // read again; true otherwise. Any thread.
  Result<bool> CredentialsFor(const PauseScope& scope);
  void StartWatchdog();
  void Stop();
  void RemoveStagedLater(std::vector<std::filesystem::path> files);
  // One warning line per account whose API version expires within 90 days,
  // has expired or is unknown to its connector (at start and once a day).
  void LogApiVersionWarnings();

  config::Config config_;
  DaemonOptions options_;
  SystemClock system_clock_;
  Clock& clock_;
  int64_t started_ms_ = 0;

  boost::asio::io_context io_;
  WorkerPool pool_;
  boost::asio::system_timer timer_{io_};
  boost::asio::steady_timer debounce_{io_};
  boost::asio::steady_timer refresh_{io_};
  boost::asio::steady_timer watchdog_{io_};
  boost::asio::steady_timer stop_timer_{io_};
  boost::asio::signal_set signals_{io_};
  std::unique_ptr<boost::asio::posix::stream_descriptor> inotify_;
  std::vector<char> inotify_buffer_;
  std::unique_ptr<boost::asio::posix::stream_descriptor> cred_inotify_;
  std::vector<char> cred_buffer_;
  boost::asio::steady_timer cred_debounce_{io_};
  // Loop thread only. Watches on the nearest existing parent of a calendar
  // folder that does not exist (yet), dropped once it does; and what was
  // already said, so that each problem is logged once.
  std::set<int> parent_watches_;
  std::set<std::filesystem::path> watch_said_;

  std::optional<journal::StateDirLock> lock_;
  std::unique_ptr<config::CredentialStore> credentials_;
  std::unique_ptr<journal::Journal> journal_;
  plugin::PluginLoadReport plugins_;
  ApiVersions api_versions_;
  QuotaTracker quota_;
  std::unique_ptr<Admission> admission_;
  std::unique_ptr<MediaStager> media_;
  std::unique_ptr<PluginConnectors> connectors_;
  std::unique_ptr<Dispatcher> dispatcher_;
  std::unique_ptr<CalendarSync> sync_;

  // Loop-thread state.
  DueQueue queue_;
  std::set<journal::JobKey> in_flight_;  // handed to a worker, not back yet
  std::set<journal::JobKey> parked_;     // waiting for a Resume
  std::optional<int64_t> armed_for_;
  bool reloading_ = false;
  bool reload_again_ = false;
  bool stopping_ = false;
  bool ready_ = false;  // READY=1 was sent once
  std::optional<SyncResult> last_sync_;
  std::vector<std::function<void(const JobEvent&)>> sinks_;
  std::function<Status()> start_hook_;
  std::vector<std::function<void(const SyncResult&)>> reload_waiters_;  // the reload under way
  std::vector<std::function<void(const SyncResult&)>> next_reload_waiters_;
};

}  // namespace herald::core
