#include "control/event_hub.h"

#include <algorithm>

namespace herald::control {

void EventHub::Subscribe(std::shared_ptr<LineStream> stream) {
  MutexLock lock(mu_);
  streams_.push_back(std::move(stream));
  count_ = streams_.size();
}

void EventHub::Publish(const std::string& line) {
  std::vector<std::shared_ptr<LineStream>> streams;
  {
    MutexLock lock(mu_);
    streams_.erase(
        std::remove_if(streams_.begin(), streams_.end(), [](const auto& s) { return s->closed(); }),
        streams_.end());
    count_ = streams_.size();
    streams = streams_;
  }
  for (const auto& s : streams) s->Push(line);
}

void EventHub::CloseAll() {
  std::vector<std::shared_ptr<LineStream>> streams;
  {
    MutexLock lock(mu_);
    streams.swap(streams_);
    count_ = 0;
  }
  for (const auto& s : streams) s->Close();
}

}  // namespace herald::control
