#include "services/store/internal/group_commit_writer.h"

#include <algorithm>
#include <cstddef>
#include <thread>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "services/store/internal/connection.h"
#include "services/store/transaction.h"

namespace resguardo::store::internal {

GroupCommitWriter::GroupCommitWriter(Connection* connection,
                                     const WriterOptions& options)
    : connection_(connection), options_(options) {
  thread_ = std::thread([this] { Loop(); });
  thread_id_ = thread_.get_id();
}

GroupCommitWriter::~GroupCommitWriter() { Shutdown(); }

absl::Status GroupCommitWriter::Submit(
    absl::FunctionRef<absl::Status(WriteTxn&)> fn) {
  if (std::this_thread::get_id() == thread_id_) {
    return absl::FailedPreconditionError(
        "store: Write called from inside a write transaction function; it "
        "would wait for itself");
  }
  Request request(fn);
  absl::MutexLock lock(&mu_);
  if (!RoomOrStop() &&
      !mu_.AwaitWithTimeout(
          absl::Condition(this, &GroupCommitWriter::RoomOrStop),
          options_.queue_full_wait)) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "store: the write queue is full (", options_.max_queued_writes,
        " requests waiting); try again later"));
  }
  if (stopping_) {
    return absl::FailedPreconditionError("store: the database is closed");
  }
  queue_.push_back(&request);
  ++counters_.requests;
  mu_.Await(absl::Condition(&request.done));
  return request.result;
}

void GroupCommitWriter::Shutdown() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  absl::MutexLock join_lock(&join_mu_);
  if (thread_.joinable()) thread_.join();
}

WriterCounters GroupCommitWriter::counters() const {
  absl::MutexLock lock(&mu_);
  return counters_;
}

void GroupCommitWriter::Loop() {
  std::vector<Request*> batch;
  batch.reserve(options_.max_batch_size);
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(this, &GroupCommitWriter::WorkOrStop));
      if (queue_.empty()) return;  // Stopping, and drained.
      const size_t n = std::min(queue_.size(), options_.max_batch_size);
      batch.assign(queue_.begin(), queue_.begin() + n);
      queue_.erase(queue_.begin(), queue_.begin() + n);
    }
    const Outcome outcome = RunBatch(batch);
    absl::MutexLock lock(&mu_);
    ++counters_.transactions;
    if (outcome == Outcome::kCommitted) ++counters_.commits;
    if (outcome == Outcome::kFailed) ++counters_.failed_commits;
    counters_.largest_batch =
        std::max<uint64_t>(counters_.largest_batch, batch.size());
    for (Request* request : batch) {
      if (request->result.ok()) {
        ++counters_.requests_committed;
      } else {
        ++counters_.requests_failed;
      }
      // After this the caller may return and destroy *request.
      request->done = true;
    }
  }
}

void GroupCommitWriter::FailAll(const std::vector<Request*>& batch,
                                const absl::Status& status) {
  for (Request* request : batch) {
    if (request->result.ok()) request->result = status;
  }
}

bool GroupCommitWriter::RunRequest(Request& request) {
  absl::Status status = connection_->Exec("SAVEPOINT request", "savepoint");
  if (!status.ok()) {
    request.result = status;
    return false;
  }
  WriteTxn txn(connection_);
  connection_->set_user_code(true);
  status = request.fn(txn);
  connection_->set_user_code(false);
  if (!connection_->in_transaction()) {
    // SQLite rolled the whole transaction back (e.g. disk full, I/O error):
    // the batch's earlier requests are gone as well.
    request.result =
        status.ok() ? absl::InternalError(
                          "store: the transaction was rolled back by SQLite")
                    : status;
    return false;
  }
  if (status.ok()) {
    status = connection_->Exec("RELEASE request", "release savepoint");
    if (!status.ok()) {
      request.result = status;
      return false;
    }
    request.result = absl::OkStatus();
    return true;
  }
  request.result = status;
  absl::Status undo =
      connection_->Exec("ROLLBACK TO request", "roll back savepoint");
  if (undo.ok()) undo = connection_->Exec("RELEASE request", "release");
  return undo.ok();
}

GroupCommitWriter::Outcome GroupCommitWriter::RunBatch(
    const std::vector<Request*>& batch) {
  for (Request* request : batch) request->result = absl::OkStatus();
  absl::Status begin = connection_->Exec("BEGIN IMMEDIATE", "begin");
  if (!begin.ok()) {
    FailAll(batch, begin);
    return Outcome::kFailed;
  }
  size_t succeeded = 0;
  for (size_t i = 0; i < batch.size(); ++i) {
    if (!RunRequest(*batch[i])) {
      // UNAVAILABLE, not ABORTED: ABORTED means a conflict the caller must
      // resolve (a stale etag); this write was merely not made, and the same
      // request may simply be retried.
      const absl::Status lost = absl::UnavailableError(
          "store: the batch that held this write was rolled back after "
          "another write's storage error; the write was not made; retry");
      for (size_t j = 0; j < batch.size(); ++j) {
        if (j != i && (j > i || batch[j]->result.ok())) {
          batch[j]->result = lost;
        }
      }
      if (connection_->in_transaction()) {
        connection_->Exec("ROLLBACK", "rollback").IgnoreError();
      }
      return Outcome::kFailed;
    }
    if (batch[i]->result.ok()) ++succeeded;
  }
  if (succeeded == 0) {
    // Nothing to make durable; skip the fsync.
    connection_->Exec("ROLLBACK", "rollback").IgnoreError();
    return Outcome::kNothingToCommit;
  }
  absl::Status commit = connection_->Exec("COMMIT", "commit");
  if (!commit.ok()) {
    if (connection_->in_transaction()) {
      connection_->Exec("ROLLBACK", "rollback").IgnoreError();
    }
    FailAll(batch, absl::Status(commit.code(),
                                absl::StrCat("store: the batch could not be "
                                             "committed, so this write was not "
                                             "made: ",
                                             commit.message())));
    return Outcome::kFailed;
  }
  return Outcome::kCommitted;
}

}  // namespace resguardo::store::internal
