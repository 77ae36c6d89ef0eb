#include "journal/group_commit_writer.h"

#include <pthread.h>

#include <exception>
#include <utility>

namespace herald::journal {

GroupCommitWriter::GroupCommitWriter(Db& db, Hook after_commit)
    : db_(db), after_commit_(std::move(after_commit)), thread_([this] { Loop(); }) {}

GroupCommitWriter::~GroupCommitWriter() {
  {
    MutexLock lock(mu_);
    stop_ = true;
  }
  work_ready_.NotifyOne();
  thread_.join();
}

Status GroupCommitWriter::Run(Work work) {
  Request request{std::move(work), Status::Ok(), false};
  MutexLock lock(mu_);
  if (stop_) return Error(ErrorCode::kUnavailable, "journal: closing");
  queue_.push_back(&request);
  work_ready_.NotifyOne();
  while (!request.done) work_done_.Wait(mu_);
  return std::move(request.result);
}

JournalStats GroupCommitWriter::Stats() const {
  MutexLock lock(mu_);
  return stats_;
}

void GroupCommitWriter::Loop() {
  ::pthread_setname_np(::pthread_self(), "herald-journal");
  mu_.Lock();
  for (;;) {
    while (!stop_ && queue_.empty()) work_ready_.Wait(mu_);
    if (queue_.empty()) break;  // stop_ and drained
    std::deque<Request*> batch;
    batch.swap(queue_);
    mu_.Unlock();
    int64_t changes_before = sqlite3_total_changes64(db_.handle());
    CommitBatch(batch);
    uint64_t rows = static_cast<uint64_t>(sqlite3_total_changes64(db_.handle()) - changes_before);
    if (rows > 0 && after_commit_) after_commit_(db_);
    mu_.Lock();
    stats_.commits += 1;
    stats_.changes += batch.size();
    stats_.rows_written += rows;
    for (Request* request : batch) request->done = true;
    work_done_.NotifyAll();
  }
  mu_.Unlock();
}

void GroupCommitWriter::CommitBatch(std::deque<Request*>& batch) {
  Status begun = db_.Exec("BEGIN IMMEDIATE");
  if (!begun.ok()) {
    for (Request* request : batch) request->result = begun;
    return;
  }
  for (Request* request : batch) {
    Status savepoint = db_.Exec("SAVEPOINT unit");
    if (!savepoint.ok()) {
      request->result = savepoint;
      continue;
    }
    try {
      request->result = request->work(db_);
    } catch (const std::exception& e) {
      request->result = Error(ErrorCode::kInternal, std::string("journal: ") + e.what());
    }
    if (request->result.ok()) {
      request->result = db_.Exec("RELEASE unit");
    } else {
      (void)db_.Exec("ROLLBACK TO unit");
      (void)db_.Exec("RELEASE unit");
    }
  }
  Status committed = db_.Exec("COMMIT");
  if (committed.ok()) return;
  (void)db_.Exec("ROLLBACK");
  for (Request* request : batch) {
    if (request->result.ok()) request->result = committed;
  }
}

}  // namespace herald::journal
