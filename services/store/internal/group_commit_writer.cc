#include "services/store/internal/group_commit_writer.h"

#include <algorithm>
#include <cstddef>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/store/internal/connection.h"
#include "services/store/storage_status.h"
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
  WriterCounters counters = counters_;
  counters.queued = queue_.size();
  return counters;
}

void GroupCommitWriter::SetBatchListener(BatchListener listener) {
  absl::MutexLock lock(&listener_mu_);
  batch_listener_ = std::move(listener);
}

void GroupCommitWriter::Loop() {
  std::vector<Request*> batch;
  batch.reserve(options_.max_batch_size);
  std::vector<Request*> owned;
  while (true) {
    bool probe = false;
    {
      absl::MutexLock lock(&mu_);
      const absl::Condition work(this, &GroupCommitWriter::WorkOrStop);
      if (writable()) {
        mu_.Await(work);
      } else {
        probe = !mu_.AwaitWithTimeout(work, options_.storage_probe_interval);
      }
    }
    if (probe) {
      if (ProbeStorage().ok()) SetWritable(true, absl::OkStatus());
      continue;
    }
    {
      absl::MutexLock lock(&mu_);
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
    NoteStorage(batch, outcome);
    last_batch_time_ = absl::Now() - batch_start;
    last_batch_size_ = batch.size();
    {
      absl::MutexLock lock(&listener_mu_);
      if (batch_listener_) {
        batch_listener_(
            BatchReport{batch.size(), outcome == Outcome::kCommitted,
                        outcome == Outcome::kCommitted ? last_commit_time_
                                                       : absl::ZeroDuration()});
      }
    }
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

void GroupCommitWriter::SetWritableListener(WritableListener listener) {
  absl::MutexLock lock(&listener_mu_);
  listener_ = std::move(listener);
}

void GroupCommitWriter::SetWritable(bool writable, const absl::Status& cause) {
  if (writable_.exchange(writable, std::memory_order_acq_rel) == writable) {
    return;
  }
  absl::MutexLock lock(&listener_mu_);
  if (listener_) listener_(writable, cause);
}

void GroupCommitWriter::NoteStorage(const std::vector<Request*>& batch,
                                    Outcome outcome) {
  if (outcome == Outcome::kCommitted) {
    SetWritable(true, absl::OkStatus());
    return;
  }
  for (const Request* request : batch) {
    if (IsStorageUnavailable(request->result)) {
      SetWritable(false, request->result);
      return;
    }
  }
}

absl::Status GroupCommitWriter::ProbeStorage() {
  absl::Status status = connection_->Control("BEGIN IMMEDIATE", "begin");
  if (!status.ok()) return status;
  absl::StatusOr<int64_t> version =
      connection_->QueryInt("PRAGMA user_version");
  status = version.status();
  if (status.ok()) {
    // The same value: a write of page 1 that changes nothing.
    status = connection_->Exec(absl::StrCat("PRAGMA user_version = ", *version),
                               "storage probe");
  }
  if (status.ok()) status = connection_->Control("COMMIT", "commit");
  if (!status.ok() && connection_->in_transaction()) {
    connection_->Control("ROLLBACK", "rollback").IgnoreError();
  }
  return status;
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

bool GroupCommitWriter::TransactionUsable() {
  // A page that fails its authentication check puts SQLite's pager in an
  // error state for the rest of the transaction: every later statement of
  // it, reads of intact pages included, fails with SQLITE_ERROR, and so
  // does COMMIT. A statement that fetches a page (page 1, always cached)
  // tells the two apart.
  return connection_
      ->Control("SELECT 1 FROM sqlite_master LIMIT 1", "check the transaction")
      .ok();
}

GroupCommitWriter::Step GroupCommitWriter::RunRequest(Request& request) {
  ++request.runs;
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
  if (!status.ok() && !TransactionUsable()) {
    // fn met a damaged page (its own DATA_LOSS): the transaction is dead,
    // but the other requests need not be.
    return Step::kUndoBatch;
  }
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
  for (Request* request : batch) {
    request->result = absl::OkStatus();
    request->runs = 0;
  }
  // The requests of the current transaction, in order; the others of the
  // batch have their final result.
  std::vector<Request*> pending = batch;
  std::vector<Request*> next;
  while (true) {
    absl::Status begin = connection_->Control("BEGIN IMMEDIATE", "begin");
    if (!begin.ok()) {
      FailFrom(pending, 0, begin);
      return Outcome::kFailed;
    }
    size_t succeeded = 0;
    size_t i = 0;
    Step step = Step::kDone;
    for (; i < pending.size(); ++i) {
      step = RunRequest(*pending[i]);
      if (step != Step::kDone) break;
      if (pending[i]->result.ok()) ++succeeded;
    }
    if (step == Step::kLostTransaction) {
      // UNAVAILABLE, not ABORTED: ABORTED means a conflict the caller must
      // resolve (a stale etag); this write was merely not made, and the
      // same request may simply be retried. A storage condition (disk
      // full) stays one, so that the caller is told what is wrong.
      const absl::Status& cause = pending[i]->result;
      const absl::Status lost =
          IsStorageUnavailable(cause)
              ? StorageUnavailableError(absl::StrCat(
                    "store: the batch that held this write was rolled back "
                    "after a storage error (",
                    cause.message(), "); the write was not made; retry"))
              : absl::UnavailableError(
                    "store: the batch that held this write was rolled back "
                    "after another write's storage error; the write was not "
                    "made; retry");
      for (size_t j = 0; j < pending.size(); ++j) {
        if (j != i && (j > i || pending[j]->result.ok())) {
          pending[j]->result = lost;
        }
      }
      if (connection_->in_transaction()) {
        connection_->Control("ROLLBACK", "rollback").IgnoreError();
      }
      return Outcome::kFailed;
    }
    if (step == Step::kUndoBatch) {
      // pending[i] failed after it changed the database (without a
      // savepoint of its own), or left the transaction unusable (a damaged
      // page): only rolling back the whole transaction takes that back.
      absl::Status rollback = connection_->Control("ROLLBACK", "rollback");
      if (connection_->in_transaction()) {
        // Never commit a half-made write: refuse this batch, and the next
        // BEGIN fails until the connection is out of this transaction.
        FailFrom(pending, 0,
                 rollback.ok() ? absl::InternalError("store: could not roll "
                                                     "back a failed write")
                               : rollback);
        return Outcome::kFailed;
      }
      // The requests that had succeeded before it run again in a new
      // transaction, after which the rest of the batch goes on: one
      // request's failure does not fail the others. A kChecksFirst function
      // may be run again (database.h); a kSavepoint one, and one that has
      // run kMaxRuns times, is told UNAVAILABLE instead.
      const absl::Status undone = absl::UnavailableError(
          "store: the batch that held this write was rolled back because "
          "another request of it failed; the write was not made; retry");
      next.clear();
      for (size_t j = 0; j < pending.size(); ++j) {
        if (j == i) continue;
        Request* request = pending[j];
        if (j < i) {
          if (!request->result.ok()) continue;  // Its final result.
          if (request->isolation != WriteIsolation::kChecksFirst ||
              request->runs >= kMaxRuns) {
            request->result = undone;
            continue;
          }
        }
        next.push_back(request);
      }
      pending.swap(next);
      if (pending.empty()) return Outcome::kNothingToCommit;
      continue;
    }
    if (succeeded == 0) {
      // Nothing to make durable; skip the fsync.
      connection_->Control("ROLLBACK", "rollback").IgnoreError();
      return Outcome::kNothingToCommit;
    }
    const absl::Time commit_start = absl::Now();
    absl::Status commit = connection_->Control("COMMIT", "commit");
    last_commit_time_ = absl::Now() - commit_start;
    if (!commit.ok()) {
      if (connection_->in_transaction()) {
        connection_->Control("ROLLBACK", "rollback").IgnoreError();
      }
      const std::string message = absl::StrCat(
          "store: the batch could not be committed, so this "
          "write was not made: ",
          commit.message());
      FailFrom(pending, 0,
               IsStorageUnavailable(commit)
                   ? StorageUnavailableError(message)
                   : absl::Status(commit.code(), message));
      return Outcome::kFailed;
    }
    return Outcome::kCommitted;
  }
}

}  // namespace resguardo::store::internal
