#include "core/worker_pool.h"

#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <cerrno>
#include <cstring>
#include <latch>
#include <memory>

#include "common/mutex.h"

namespace herald::core {

WorkerPool::WorkerPool(size_t threads, int nice_increment) : pool_(std::max<size_t>(threads, 1)) {
  threads = std::max<size_t>(threads, 1);
  errno = 0;
  const int base = ::getpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()));
  const int nice = std::clamp((errno == 0 ? base : 0) + std::max(nice_increment, 0), -20, 19);
  // One set-up task per thread: each waits until all have started, so no
  // thread takes two. Shared, as the tasks may still be returning from the
  // latch when the constructor goes on.
  struct SetUp {
    explicit SetUp(size_t n) : all_started(static_cast<std::ptrdiff_t>(n)) {}
    std::latch all_started;
    Mutex mu;
    std::string problem GUARDED_BY(mu);
  };
  auto setup = std::make_shared<SetUp>(threads);
  for (size_t i = 0; i < threads; ++i) {
    boost::asio::post(pool_, [setup, nice, nice_increment] {
      ::pthread_setname_np(::pthread_self(), "herald-worker");
      // On Linux a thread id names one thread: this changes only this one.
      if (nice_increment > 0 &&
          ::setpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()), nice) != 0) {
        const int error = errno;
        MutexLock lock(setup->mu);
        setup->problem = std::string("workers keep the daemon's CPU priority: setpriority: ") +
                         std::strerror(error);
      }
      setup->all_started.arrive_and_wait();
    });
  }
  setup->all_started.wait();
  MutexLock lock(setup->mu);
  priority_problem_ = setup->problem;
}

WorkerPool::~WorkerPool() {
  Stop();
  Join();
}

void WorkerPool::Stop() { pool_.stop(); }

void WorkerPool::Join() { pool_.join(); }

}  // namespace herald::core
