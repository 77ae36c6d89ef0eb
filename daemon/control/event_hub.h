// EventHub: fans event lines (newline-delimited JSON) out to the clients of
// GET /v1/events. A subscriber is a LineStream; a closed one (client gone, or
// too slow) is dropped at the next Publish.
//
// Thread-safe: Subscribe, Publish and subscribers() from any thread.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "common/mutex.h"
#include "control/http_server.h"

namespace herald::control {

class EventHub {
 public:
  void Subscribe(std::shared_ptr<LineStream> stream);
  void Publish(const std::string& line);
  // A cheap check so producers can skip building lines nobody reads.
  size_t subscribers() const { return count_.load(std::memory_order_relaxed); }
  // Closes every stream (at shutdown).
  void CloseAll();

 private:
  Mutex mu_;
  std::vector<std::shared_ptr<LineStream>> streams_ GUARDED_BY(mu_);
  std::atomic<size_t> count_{0};
};

}  // namespace herald::control
