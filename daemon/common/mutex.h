// Mutex, MutexLock and CondVar: std::mutex and std::condition_variable with
// Clang's thread-safety annotations, so that "guarded by mu_" is checked by
// the compiler (-Wthread-safety, the clang build of scripts/test) instead of
// only written. libstdc++'s std::mutex carries no annotations; this is the
// shape LevelDB's port::Mutex gives it.
//
//   Mutex mu_;
//   int count_ GUARDED_BY(mu_) = 0;
//   void Add() EXCLUDES(mu_) { MutexLock lock(mu_); ++count_; }
//   void AddLocked() REQUIRES(mu_) { ++count_; }
//
// A wait is a loop on the caller's condition, so that the analysis sees every
// guarded read under the lock:
//
//   MutexLock lock(mu_);
//   while (!done_) done_changed_.Wait(mu_);
//
// Under GCC the annotations expand to nothing. Not copyable.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

#if defined(__clang__)
#define HERALD_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define HERALD_THREAD_ANNOTATION(x)
#endif

#define CAPABILITY(x) HERALD_THREAD_ANNOTATION(capability(x))
#define SCOPED_CAPABILITY HERALD_THREAD_ANNOTATION(scoped_lockable)
#define GUARDED_BY(x) HERALD_THREAD_ANNOTATION(guarded_by(x))
#define PT_GUARDED_BY(x) HERALD_THREAD_ANNOTATION(pt_guarded_by(x))
#define REQUIRES(...) HERALD_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define EXCLUDES(...) HERALD_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
#define ACQUIRED_BEFORE(...) HERALD_THREAD_ANNOTATION(acquired_before(__VA_ARGS__))
#define ACQUIRE(...) HERALD_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define RELEASE(...) HERALD_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define ASSERT_CAPABILITY(x) HERALD_THREAD_ANNOTATION(assert_capability(x))
#define NO_THREAD_SAFETY_ANALYSIS HERALD_THREAD_ANNOTATION(no_thread_safety_analysis)

namespace herald {

class CondVar;

class CAPABILITY("mutex") Mutex {
 public:
  Mutex() = default;
  Mutex(const Mutex&) = delete;
  Mutex& operator=(const Mutex&) = delete;

  void Lock() ACQUIRE() { mu_.lock(); }
  void Unlock() RELEASE() { mu_.unlock(); }

 private:
  friend class CondVar;
  std::mutex mu_;
};

// Holds a Mutex for its scope.
class SCOPED_CAPABILITY MutexLock {
 public:
  explicit MutexLock(Mutex& mu) ACQUIRE(mu) : mu_(mu) { mu_.Lock(); }
  ~MutexLock() RELEASE() { mu_.Unlock(); }
  MutexLock(const MutexLock&) = delete;
  MutexLock& operator=(const MutexLock&) = delete;

 private:
  Mutex& mu_;
};

class CondVar {
 public:
  CondVar() = default;
  CondVar(const CondVar&) = delete;
  CondVar& operator=(const CondVar&) = delete;

  // Releases `mu` while waiting for a notification (or a spurious wake-up)
  // and holds it again on return.
  void Wait(Mutex& mu) REQUIRES(mu) {
    std::unique_lock<std::mutex> lock(mu.mu_, std::adopt_lock);
    cv_.wait(lock);
    lock.release();
  }
  // As Wait; false when `deadline` passed first.
  bool WaitUntil(Mutex& mu, std::chrono::steady_clock::time_point deadline) REQUIRES(mu) {
    std::unique_lock<std::mutex> lock(mu.mu_, std::adopt_lock);
    bool woken = cv_.wait_until(lock, deadline) == std::cv_status::no_timeout;
    lock.release();
    return woken;
  }

  void NotifyOne() { cv_.notify_one(); }
  void NotifyAll() { cv_.notify_all(); }

 private:
  std::condition_variable cv_;
};

}  // namespace herald
