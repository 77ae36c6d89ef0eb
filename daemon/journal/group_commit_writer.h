// GroupCommitWriter: the journal's single writer thread. Callers hand it a unit
// of work and block; the thread takes every unit queued so far, runs them in one
// transaction (each inside its own savepoint, so one failing unit does not undo
// the others), commits once, and only then releases the callers. N concurrent
// callers thus share one fsync, and each caller's change is durable when its
// call returns. Internal to herald_journal.
//
// After each batch that wrote rows, and before its callers are released, the
// thread runs the optional `after_commit` hook on the Db (the journal reads its
// live figures there), so a caller sees them updated once Run returns.
//
// Owns its thread; uses (does not own) the Db, which only this thread touches
// after construction. Run() may be called from any thread except the writer's
// own (a unit of work must not call Run).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <thread>

#include "common/mutex.h"
#include "common/result.h"
#include "journal/job.h"
#include "journal/sqlite_db.h"

namespace herald::journal {

class GroupCommitWriter {
 public:
  // A unit of work: runs on the writer thread inside the open transaction.
  using Work = std::function<Status(Db&)>;

  using Hook = std::function<void(Db&)>;

  explicit GroupCommitWriter(Db& db, Hook after_commit = {});
  // Finishes every queued unit, then joins the thread.
  ~GroupCommitWriter();
  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;

  // Runs `work` and returns once its transaction is committed (durable), or
  // with the unit's error, or with the commit's error (then nothing of it stays).
  Status Run(Work work);

  JournalStats Stats() const;

 private:
  struct Request {
    Work work;
    Status result;
    bool done = false;  // set under mu_ once result is final
  };
  void Loop() EXCLUDES(mu_);
  void CommitBatch(std::deque<Request*>& batch) EXCLUDES(mu_);

  Db& db_;
  Hook after_commit_;
  mutable Mutex mu_;
  CondVar work_ready_;  // signalled when queue_ grows or stop_ is set
  CondVar work_done_;   // signalled when a batch is finished
  std::deque<Request*> queue_ GUARDED_BY(mu_);
  bool stop_ GUARDED_BY(mu_) = false;
  JournalStats stats_ GUARDED_BY(mu_);
  std::thread thread_;  // last: starts after the members above exist
};

}  // namespace herald::journal
