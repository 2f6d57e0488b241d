#include "services/store/internal/group_commit_writer.h"

#include <algorithm>
#include <cstddef>
#include <thread>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/store/internal/connection.h"
#include "services/store/transaction.h"

namespace resguardo::store::internal {

GroupCommitWriter::GroupCommitWriter(Connection* connection,
                                     const WriterOptions& options)
    : connection_(connection), options_(options) {
  completion_thread_ = std::thread([this] { Complete(); });
  completion_thread_id_ = completion_thread_.get_id();
  thread_ = std::thread([this] { Loop(); });
  thread_id_ = thread_.get_id();
}

GroupCommitWriter::~GroupCommitWriter() { Shutdown(); }

absl::Status GroupCommitWriter::Submit(
    absl::FunctionRef<absl::Status(WriteTxn&)> fn, WriteIsolation isolation) {
  if (std::this_thread::get_id() == thread_id_) {
    return absl::FailedPreconditionError(
        "store: Write called from inside a write transaction function; it "
        "would wait for itself");
  }
  Request request(fn, isolation);
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

absl::Status GroupCommitWriter::SubmitAsync(
    absl::AnyInvocable<absl::Status(WriteTxn&)> fn, WriteIsolation isolation,
    absl::AnyInvocable<void(absl::Status)> done, bool reserved) {
  const size_t room =
      reserved ? options_.max_queued_writes +
                     std::max<size_t>(64, options_.max_queued_writes / 4)
               : options_.max_queued_writes;
  absl::MutexLock lock(&mu_);
  if (stopping_) {
    return absl::FailedPreconditionError("store: the database is closed");
  }
  if (queue_.size() + unanswered_.load(std::memory_order_relaxed) >= room) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "store: the write queue is full (", options_.max_queued_writes,
        " requests waiting); try again later"));
  }
  auto* request = new Request(std::move(fn), isolation);
  request->on_done = std::move(done);
  queue_.push_back(request);
  ++counters_.requests;
  return absl::OkStatus();
}

void GroupCommitWriter::Shutdown() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (std::this_thread::get_id() == completion_thread_id_) return;
  absl::MutexLock join_lock(&join_mu_);
  if (thread_.joinable()) thread_.join();
  // The writer has drained its queue and handed over every batch; a
  // callback that queues a new write now gets FAILED_PRECONDITION.
  {
    absl::MutexLock lock(&done_mu_);
    done_stopping_ = true;
  }
  if (completion_thread_.joinable()) completion_thread_.join();
}

WriterCounters GroupCommitWriter::counters() const {
  absl::MutexLock lock(&mu_);
  return counters_;
}

void GroupCommitWriter::Loop() {
  std::vector<Request*> batch;
  batch.reserve(options_.max_batch_size);
  std::vector<Request*> owned;
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(this, &GroupCommitWriter::WorkOrStop));
      if (queue_.empty()) return;  // Stopping, and drained.
      Linger();
      const size_t n = std::min(queue_.size(), options_.max_batch_size);
      batch.assign(queue_.begin(), queue_.begin() + n);
      queue_.erase(queue_.begin(), queue_.begin() + n);
      // From the queue to unanswered in one step, for SubmitAsync's room.
      size_t async = 0;
      for (const Request* request : batch) async += request->on_done ? 1 : 0;
      unanswered_.fetch_add(async, std::memory_order_relaxed);
    }
    const absl::Time batch_start = absl::Now();
    const Outcome outcome = RunBatch(batch);
    last_batch_time_ = absl::Now() - batch_start;
    last_batch_size_ = batch.size();
    const uint64_t ended =
        ended_batches_.fetch_add(1, std::memory_order_acq_rel) + 1;
    for (auto& fn : after_batch_) std::move(fn)(ended);
    after_batch_.clear();
    owned.clear();
    {
      absl::MutexLock lock(&mu_);
      Account(batch, outcome, owned);
    }
    // SubmitAsync's requests are answered on the completion thread (their
    // callbacks may send responses and queue new writes), while this thread
    // goes on with the next batch.
    if (!owned.empty()) {
      absl::MutexLock lock(&done_mu_);
      completions_.push_back(std::move(owned));
      owned = std::vector<Request*>();
    }
  }
}

void GroupCommitWriter::Complete() {
  std::deque<std::vector<Request*>> ready;
  while (true) {
    {
      absl::MutexLock lock(&done_mu_);
      done_mu_.Await(
          absl::Condition(this, &GroupCommitWriter::CompletionsOrStop));
      if (completions_.empty()) return;  // Stopping, and drained.
      ready.swap(completions_);
    }
    for (std::vector<Request*>& batch : ready) {
      for (Request* request : batch) {
        std::move(request->on_done)(std::move(request->result));
        delete request;
        unanswered_.fetch_sub(1, std::memory_order_relaxed);
      }
    }
    ready.clear();
  }
}

void GroupCommitWriter::Account(const std::vector<Request*>& batch,
                                Outcome outcome, std::vector<Request*>& owned) {
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
    if (request->on_done) {
      owned.push_back(request);
    } else {
      // After this the caller may return and destroy *request.
      request->done = true;
    }
  }
}

void GroupCommitWriter::Linger() {
  // Under load, the callers of the batch just committed are being answered
  // and will be back with their next writes; a commit that waits for a few
  // of them serves more requests with one fsync and one encryption of each
  // page the batch shares (the page costs most of a small write). So when
  // the queue holds less than half the last batch, wait for that much, but
  // never longer than the last batch took (a bounded share of the writer's
  // time) nor than options_.max_linger. After a batch of one, as at low
  // load, the queue is never below half of it and nothing waits.
  wanted_ = (last_batch_size_ + 1) / 2;
  if (queue_.size() >= wanted_) return;
  mu_.AwaitWithTimeout(absl::Condition(this, &GroupCommitWriter::EnoughOrStop),
                       std::min(last_batch_time_, options_.max_linger));
}

void GroupCommitWriter::FailFrom(const std::vector<Request*>& batch,
                                 size_t first, const absl::Status& status) {
  for (size_t i = first; i < batch.size(); ++i) {
    if (batch[i]->result.ok()) batch[i]->result = status;
  }
}

GroupCommitWriter::Step GroupCommitWriter::RunRequest(Request& request) {
  const bool savepoint = request.isolation == WriteIsolation::kSavepoint;
  if (savepoint) {
    absl::Status status =
        connection_->Control("SAVEPOINT request", "savepoint");
    if (!status.ok()) {
      request.result = status;
      return Step::kLostTransaction;
    }
  }
  const uint64_t writes_before = connection_->writes();
  WriteTxn txn(connection_, &after_batch_);
  connection_->set_user_code(true);
  absl::Status status = request.fn(txn);
  connection_->set_user_code(false);
  if (!connection_->in_transaction()) {
    // SQLite rolled the whole transaction back (e.g. disk full, I/O error):
    // the batch's earlier requests are gone as well.
    request.result =
        status.ok() ? absl::InternalError(
                          "store: the transaction was rolled back by SQLite")
                    : status;
    return Step::kLostTransaction;
  }
  request.result = status;
  if (!savepoint) {
    // A failed statement changes nothing, so a function that failed before
    // any statement of it changed the database leaves nothing to undo.
    if (status.ok() || connection_->writes() == writes_before) {
      return Step::kDone;
    }
    return Step::kUndoBatch;
  }
  if (status.ok()) {
    absl::Status release =
        connection_->Control("RELEASE request", "release savepoint");
    if (!release.ok()) {
      request.result = release;
      return Step::kLostTransaction;
    }
    return Step::kDone;
  }
  absl::Status undo =
      connection_->Control("ROLLBACK TO request", "roll back savepoint");
  if (undo.ok()) undo = connection_->Control("RELEASE request", "release");
  return undo.ok() ? Step::kDone : Step::kLostTransaction;
}

GroupCommitWriter::Outcome GroupCommitWriter::RunBatch(
    const std::vector<Request*>& batch) {
  for (Request* request : batch) request->result = absl::OkStatus();
  // The first request of the current transaction: the requests before it
  // ran in transactions that were rolled back, and have their final result.
  size_t first = 0;
  while (true) {
    absl::Status begin = connection_->Control("BEGIN IMMEDIATE", "begin");
    if (!begin.ok()) {
      FailFrom(batch, first, begin);
      return Outcome::kFailed;
    }
    size_t succeeded = 0;
    size_t i = first;
    for (; i < batch.size(); ++i) {
      const Step step = RunRequest(*batch[i]);
      if (step == Step::kUndoBatch) break;
      if (step == Step::kLostTransaction) {
        // UNAVAILABLE, not ABORTED: ABORTED means a conflict the caller must
        // resolve (a stale etag); this write was merely not made, and the
        // same request may simply be retried.
        const absl::Status lost = absl::UnavailableError(
            "store: the batch that held this write was rolled back after "
            "another write's storage error; the write was not made; retry");
        for (size_t j = first; j < batch.size(); ++j) {
          if (j != i && (j > i || batch[j]->result.ok())) {
            batch[j]->result = lost;
          }
        }
        if (connection_->in_transaction()) {
          connection_->Control("ROLLBACK", "rollback").IgnoreError();
        }
        return Outcome::kFailed;
      }
      if (batch[i]->result.ok()) ++succeeded;
    }
    if (i < batch.size()) {
      // batch[i] ran without a savepoint and failed after it changed the
      // database: only rolling back the whole transaction takes that back.
      absl::Status rollback = connection_->Control("ROLLBACK", "rollback");
      if (connection_->in_transaction()) {
        // Never commit a half-made write: refuse this batch, and the next
        // BEGIN fails until the connection is out of this transaction.
        FailFrom(batch, first,
                 rollback.ok() ? absl::InternalError("store: could not roll "
                                                     "back a failed write")
                               : rollback);
        return Outcome::kFailed;
      }
      const absl::Status undone = absl::UnavailableError(
          "store: the batch that held this write was rolled back because "
          "another write failed after changing the database; the write was "
          "not made; retry");
      for (size_t j = first; j < i; ++j) {
        if (batch[j]->result.ok()) batch[j]->result = undone;
      }
      first = i + 1;
      if (first == batch.size()) return Outcome::kNothingToCommit;
      continue;
    }
    if (succeeded == 0) {
      // Nothing to make durable; skip the fsync.
      connection_->Control("ROLLBACK", "rollback").IgnoreError();
      return Outcome::kNothingToCommit;
    }
    absl::Status commit = connection_->Control("COMMIT", "commit");
    if (!commit.ok()) {
      if (connection_->in_transaction()) {
        connection_->Control("ROLLBACK", "rollback").IgnoreError();
      }
      FailFrom(batch, first,
               absl::Status(commit.code(),
                            absl::StrCat("store: the batch could not be "
                                         "committed, so this write was not "
                                         "made: ",
                                         commit.message())));
      return Outcome::kFailed;
    }
    return Outcome::kCommitted;
  }
}

}  // namespace resguardo::store::internal
