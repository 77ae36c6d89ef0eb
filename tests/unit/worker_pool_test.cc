// WorkerPool: its threads run the work posted to it, each at the nice value it
// was asked for, and the threads that made it keep theirs.
#include <catch2/catch.hpp>

#include <sys/resource.h>
#include <unistd.h>

#include <utility>

#include <algorithm>
#include <atomic>
#include <boost/asio/post.hpp>
#include <cerrno>
#include <future>
#include <memory>
#include <mutex>
#include <set>
#include <vector>

#include "core/worker_pool.h"

using herald::core::WorkerPool;

namespace {

int NiceOf(pid_t tid) {
  errno = 0;
  int nice = ::getpriority(PRIO_PROCESS, static_cast<id_t>(tid));
  REQUIRE(errno == 0);
  return nice;
}

// Runs `n` tasks that each wait until all have started, so each lands on its
// own thread, and returns the threads' (tid, nice).
std::set<std::pair<pid_t, int>> ThreadsOf(WorkerPool& pool, int n) {
  std::mutex mu;
  std::set<std::pair<pid_t, int>> seen;
  std::vector<std::future<void>> done;
  auto all_started = std::make_shared<std::promise<void>>();
  std::shared_future<void> go = all_started->get_future().share();
  std::atomic<int> started{0};
  for (int i = 0; i < n; ++i) {
    auto task = std::make_shared<std::promise<void>>();
    done.push_back(task->get_future());
    boost::asio::post(pool.executor(), [&, task, go] {
      {
        std::lock_guard lock(mu);
        seen.insert({::gettid(), NiceOf(::gettid())});
      }
      if (++started == n) all_started->set_value();
      go.wait();
      task->set_value();
    });
  }
  for (auto& f : done) f.get();
  return seen;
}

}  // namespace

TEST_CASE("workers run at the daemon's nice value plus the increment", "[worker_pool]") {
  const int base = NiceOf(::gettid());
  const int increment = 7;
  WorkerPool pool(4, increment);
  CHECK(pool.priority_problem().empty());
  auto threads = ThreadsOf(pool, 4);
  REQUIRE(threads.size() == 4);
  for (const auto& [tid, nice] : threads) {
    CHECK(tid != ::gettid());
    CHECK(nice == std::min(base + increment, 19));
  }
  // The thread that made the pool keeps its own priority.
  CHECK(NiceOf(::gettid()) == base);
}

TEST_CASE("an increment of 0 leaves the workers at the daemon's priority", "[worker_pool]") {
  const int base = NiceOf(::gettid());
  WorkerPool pool(2, 0);
  for (const auto& [tid, nice] : ThreadsOf(pool, 2)) CHECK(nice == base);
}

TEST_CASE("stop drops work not yet started and joins", "[worker_pool]") {
  WorkerPool pool(1, 0);
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::atomic<int> ran{0};
  std::promise<void> first_started;
  boost::asio::post(pool.executor(), [&, gate] {
    first_started.set_value();
    gate.wait();
    ++ran;
  });
  boost::asio::post(pool.executor(), [&] { ++ran; });
  first_started.get_future().wait();
  pool.Stop();
  release.set_value();
  pool.Join();
  CHECK(ran == 1);
}
