#include "core/due_queue.h"

namespace herald::core {

void DueQueue::Schedule(Key job_id, int64_t due_ms) {
  uint64_t seq = next_seq_++;
  live_[job_id] = seq;
  heap_.push(Entry{due_ms, seq, job_id});
}

void DueQueue::Remove(Key job_id) { live_.erase(job_id); }

void DueQueue::DropStale() {
  while (!heap_.empty()) {
    auto it = live_.find(heap_.top().job_id);
    if (it != live_.end() && it->second == heap_.top().seq) return;
    heap_.pop();
  }
}

std::optional<int64_t> DueQueue::NextDue() {
  DropStale();
  if (heap_.empty()) return std::nullopt;
  return heap_.top().due_ms;
}

std::vector<DueQueue::Key> DueQueue::PopDue(int64_t now_ms, size_t max) {
  std::vector<Key> due;
  for (DropStale(); !heap_.empty() && due.size() < max; DropStale()) {
    if (heap_.top().due_ms > now_ms) break;
    live_.erase(heap_.top().job_id);
    due.push_back(heap_.top().job_id);
    heap_.pop();
  }
  return due;
}

}  // namespace herald::core
