// DueQueue: the scheduler's in-memory min-heap of "job X is due at T".
// Scheduling a job again moves it (the old entry is dropped lazily), so the
// heap holds at most one live entry per job. Pure data: no clock, no timer;
// the event loop asks NextDue() to arm its one timer and PopDue(now) when it
// fires. Not thread-safe: the event-loop thread owns it.
#pragma once

#include <cstdint>
#include <optional>
#include <queue>
#include <unordered_map>
#include <vector>

namespace herald::core {

// Jobs are named by the journal's compact JobKey.
class DueQueue {
 public:
  using Key = std::int64_t;

  // Adds `job_id` due at `due_ms`, or moves it there if already queued.
  void Schedule(Key job_id, int64_t due_ms);
  // Forgets `job_id` if queued.
  void Remove(Key job_id);
  bool Contains(Key job_id) const { return live_.count(job_id) != 0; }
  // The earliest due instant, if any job is queued.
  std::optional<int64_t> NextDue();
  // Removes and returns the jobs due at or before `now_ms`, earliest first,
  // at most `max` of them.
  std::vector<Key> PopDue(int64_t now_ms, size_t max = SIZE_MAX);
  size_t size() const { return live_.size(); }
  void Reserve(size_t n) { live_.reserve(n); }

 private:
  struct Entry {
    int64_t due_ms;
    uint64_t seq;  // tells a live entry from a stale one of the same job
    Key job_id;
    bool operator>(const Entry& o) const {
      return due_ms != o.due_ms ? due_ms > o.due_ms : seq > o.seq;
    }
  };
  void DropStale();

  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap_;
  std::unordered_map<Key, uint64_t> live_;  // job id -> seq of its live entry
  uint64_t next_seq_ = 0;
};

}  // namespace herald::core
