// WorkerPool: the threads that run connector calls (Dispatcher::Process and
// Reconcile). Each runs at a lower CPU priority than the rest of the daemon
// (a higher nice value, per thread), so that in a burst, when 16 or 32 workers
// want both cores, the event loop, the journal's writer and the control
// socket's thread still run the moment they have work: the scheduler stays on
// time and an admin's `heraldctl status` is answered in milliseconds.
// Raising one's own nice value needs no privilege; when the kernel refuses
// (a seccomp filter, say) the workers run at the daemon's priority and the
// pool says so once.
//
// An asio::thread_pool underneath: an io_context run by the same number of
// threads cost a burst about a fifth more CPU (docs/benchmarks.md, "Daemon").
#pragma once

#include <utility>

#include <boost/asio/thread_pool.hpp>
#include <string>

namespace herald::core {

class WorkerPool {
 public:
  // Starts `threads` (at least one) threads, each `nice_increment` (0..19)
  // nicer than the thread that makes the pool.
  WorkerPool(size_t threads, int nice_increment);
  // Stop() and Join().
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  boost::asio::thread_pool::executor_type executor() { return pool_.get_executor(); }
  // Work not yet started is dropped; calls under way finish.
  void Stop();
  void Join();

  // Empty when every thread took its priority; else why not (for the log).
  // Settled when the constructor returns.
  const std::string& priority_problem() const { return priority_problem_; }

 private:
  boost::asio::thread_pool pool_;
  std::string priority_problem_;  // written before the constructor returns
};

}  // namespace herald::core
