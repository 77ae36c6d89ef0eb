// DaemonControl: what the control API reads of the running daemon and asks
// of it, behind an interface so that the API's handlers are unit-tested over
// a fake (tests/unit/control_api_test.cc) instead of a whole daemon. Daemon
// is the real one.
//
// Threads, as Daemon promises them: io() is the scheduler's loop; Pause,
// Resume, Schedule, RequestReload and AddEventSink, and last_sync(), are for
// that loop only (post to io()); journal(), admission(), clock(), config(),
// plugins(), api_versions(), quota() and started_ms() may be used from any
// thread.
#pragma once

#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange unincluded

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "config/config.h"
#include "core/admission.h"
#include "core/api_versions.h"
#include "core/calendar_sync.h"
#include "core/clock.h"
#include "core/job_event.h"
#include "core/quota_tracker.h"
#include "journal/journal.h"
#include "plugin/plugin_loader.h"

namespace herald::core {

class DaemonControl {
 public:
  virtual ~DaemonControl() = default;

  virtual boost::asio::io_context& io() = 0;
  virtual journal::Journal& journal() = 0;
  virtual const plugin::PluginLoadReport& plugins() const = 0;
  virtual const config::Config& config() const = 0;
  virtual Admission& admission() = 0;
  virtual Clock& clock() = 0;
  // Each account's API version (read at start); assess it with TodayUtc.
  virtual const ApiVersions& api_versions() const = 0;
  // Each account's estimated use of its platform's daily quota.
  virtual const QuotaTracker& quota() const = 0;
  virtual int64_t started_ms() const = 0;
  // The last calendar load's result (none before the first).
  virtual const std::optional<SyncResult>& last_sync() const = 0;

  // Reloads the calendars (now, or after the reload under way); `done`, if
  // given, is called on the loop with the result.
  virtual void RequestReload(std::string why,
                             std::function<void(const SyncResult&)> done = nullptr) = 0;
  // Pauses `scope`; it is journaled off the loop (a journaled cause survives a
  // restart), then `done` is called on the loop, with an error when the
  // journal refused it (the pause then holds only until heraldd stops).
  virtual void Pause(const PauseScope& scope, PauseCause cause, std::string reason,
                     std::function<void(Status)> done) = 0;
  // Lifts the pause of `scope` (journaled off the loop); `done` on the loop:
  // false when the scope was not paused, an error (still paused) when the
  // journal refused. Once lifted, the scope's parked jobs are due again.
  virtual void Resume(const PauseScope& scope, std::function<void(Result<bool>)> done) = 0;
  // Puts a pending job (back) on the queue at `at_ms`.
  virtual void Schedule(journal::JobKey key, int64_t at_ms) = 0;
  // `sink` sees every job event and reload, on the loop.
  virtual void AddEventSink(std::function<void(const JobEvent&)> sink) = 0;
};

}  // namespace herald::core
