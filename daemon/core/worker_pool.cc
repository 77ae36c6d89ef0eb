#include "core/worker_pool.h"

#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <latch>
#include <mutex>

namespace herald::core {

WorkerPool::WorkerPool(size_t threads, int nice_increment)
    : io_(static_cast<int>(std::max<size_t>(threads, 1))), guard_(io_.get_executor()) {
  threads = std::max<size_t>(threads, 1);
  errno = 0;
  const int base = ::getpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()));
  const int nice = std::clamp((errno == 0 ? base : 0) + std::max(nice_increment, 0), -20, 19);
  std::mutex mu;
  std::latch started(static_cast<std::ptrdiff_t>(threads));
  threads_.reserve(threads);
  for (size_t i = 0; i < threads; ++i) {
    threads_.emplace_back([this, nice, nice_increment, &mu, &started] {
      ::pthread_setname_np(::pthread_self(), "herald-worker");
      // On Linux a thread id names one thread: this changes only this one.
      if (nice_increment > 0 &&
          ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), nice) != 0) {
        const int error = errno;
        std::lock_guard lock(mu);
        priority_problem_ = std::string("workers keep the daemon's CPU priority: setpriority: ") +
                            std::strerror(error);
      }
      started.count_down();
      io_.run();
    });
  }
  started.wait();
}

WorkerPool::~WorkerPool() {
  Stop();
  Join();
}

void WorkerPool::Stop() {
  guard_.reset();
  io_.stop();
}

void WorkerPool::Join() {
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

}  // namespace herald::core
