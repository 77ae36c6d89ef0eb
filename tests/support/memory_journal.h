// MemoryJournal: a journal::Journal (daemon/journal/journal.h) held in
// memory, for unit tests of the modules above the journal (the dispatcher,
// calendar sync, the control API) that must neither touch a disk nor wait for
// an fsync. It keeps the interface's whole contract: the same state machine,
// the same errors (codes and texts), the same orders of reads, the same reload
// rules, the same summary; tests/unit/journal_contract_test.cc runs one suite
// against it and against the SQLite journal, so the two cannot drift apart.
//
// What differs from SQLite, on purpose:
//  - nothing is on disk: a change is "durable" once its call returns;
//  - every mutating call is its own commit (Stats().commits == changes; the
//    group commit is SQLite's writer's, tested in journal_test.cc);
//  - Reopen() gives a second journal over a copy of this one's state, as a
//    daemon restarted on the same file finds it (running jobs still running,
//    for RecoverAfterCrash), so crash-recovery tests need no file either;
//  - set_fault() makes chosen calls fail, as a full disk or a broken file
//    would: the hook is asked before each call (reads included) with the
//    call's name ("BeginAttempt", "Get", ...; see journal.h) and the job's
//    key (0 when the call is not about one job); an Error it returns is that
//    call's answer, and the call changes nothing.
//
//   herald::testing::MemoryJournal journal;
//   journal.set_fault([](std::string_view call, herald::journal::JobKey) {
//     return call == "FinishAttempt"
//                ? std::optional<herald::Error>({herald::ErrorCode::kIo, "disk full"})
//                : std::nullopt;
//   });
//
// Thread-safe: one mutex guards everything; calls may come from any thread,
// and the fault hook runs under it (it must not call the journal).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/mutex.h"
#include "journal/journal.h"

namespace herald::testing {

class MemoryJournal final : public journal::Journal {
 public:
  using Fault = std::function<std::optional<Error>(std::string_view call, journal::JobKey key)>;

  MemoryJournal();
  MemoryJournal(const MemoryJournal&) = delete;
  MemoryJournal& operator=(const MemoryJournal&) = delete;

  // A new journal holding what this one holds now, as reopening the file
  // after a crash would find it; counters start again, no fault is set.
  std::unique_ptr<MemoryJournal> Reopen() const;

  // Null clears it.
  void set_fault(Fault fault);

  Result<journal::ReloadDiff> ApplyGeneration(const std::vector<std::string>& calendar_ids,
                                              const std::vector<journal::JobRecord>& jobs,
                                              int64_t generation, int64_t now_ms) override;
  Result<std::map<std::string, std::string>> CalendarFiles() override;
  Status SetCalendarFiles(const std::map<std::string, std::string>& id_by_file) override;
  Status RecordCalendarLoad(const journal::CalendarLoad& load) override;
  Result<std::vector<journal::CalendarLoad>> CalendarLoads(size_t limit) override;
  Result<std::vector<journal::PendingEntry>> LoadPending() override;
  Result<std::optional<journal::PendingEntry>> NextDue() override;
  Result<journal::StartedAttempt> BeginAttempt(journal::JobKey key, int64_t now_ms) override;
  Status FinishAttempt(journal::JobKey key, const journal::AttemptResult& result) override;
  Result<std::vector<journal::Job>> RecoverAfterCrash(int64_t now_ms) override;
  Status AwaitAdmin(journal::JobKey key, int64_t now_ms, const std::string& why) override;
  Status Resolve(journal::JobKey key, const journal::Resolution& resolution) override;
  Result<std::vector<journal::PauseRecord>> Pauses() override;
  Status SavePause(const journal::PauseRecord& pause) override;
  Status DropPause(const std::string& scope, const std::string& name) override;
  Status Cancel(journal::JobKey key, int64_t now_ms, const std::string& reason) override;
  Status Retry(journal::JobKey key, int64_t at_ms, int64_t now_ms) override;
  Status Reschedule(journal::JobKey key, int64_t at_ms, int64_t now_ms) override;
  Result<journal::Job> Get(journal::JobKey key) override;
  Result<journal::Job> GetById(const std::string& id) override;
  Result<journal::JobPage> List(const journal::JobQuery& query) override;
  Result<journal::StateCounts> CountByState() override;
  Result<std::vector<journal::Attempt>> Attempts(journal::JobKey key) override;
  journal::JournalStats Stats() const override;
  journal::JournalSummary Summary() const override;

 private:
  struct Row {
    journal::Job job;
    std::string cancelled_by;  // "", "admin" or "reload"
    std::vector<journal::Attempt> attempts;
  };
  struct State {
    std::map<journal::JobKey, Row> rows;
    std::unordered_map<std::string, journal::JobKey> by_id;
    journal::JobKey next_key = 1;
    std::map<std::string, std::string> calendar_files;
    std::vector<journal::CalendarLoad> loads;  // oldest first
    std::map<std::pair<std::string, std::string>, journal::PauseRecord> pauses;
  };

  // What the fault hook says about `call`.
  std::optional<Error> Faulted(std::string_view call, journal::JobKey key) const REQUIRES(mu_);
  // Ends a mutating call that reached the writer: counts it and, when it
  // wrote rows, refreshes the summary.
  void Committed(uint64_t rows) REQUIRES(mu_);
  void RefreshSummary() REQUIRES(mu_);
  Row* Find(journal::JobKey key) REQUIRES(mu_);
  std::vector<journal::PendingEntry> Pending() const REQUIRES(mu_);
  // A one-row transition allowed only from `from`, counted as one commit:
  // not found, illegal, or `apply` changes the row.
  Status Transition(std::string_view call, journal::JobKey key,
                    std::initializer_list<journal::JobState> from, const char* action,
                    const std::function<void(Row&)>& apply) REQUIRES(mu_);

  mutable Mutex mu_;
  State state_ GUARDED_BY(mu_);
  Fault fault_ GUARDED_BY(mu_);
  journal::JournalStats stats_ GUARDED_BY(mu_);
  journal::JournalSummary summary_ GUARDED_BY(mu_);
};

}  // namespace herald::testing
