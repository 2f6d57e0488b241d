// GroupCommitWriter: the store's single writer thread.
//
// Not part of the store's API; Database::Write is its front door (see
// database.h for the contract callers rely on).
//
// Callers Submit a transaction function and block, or SubmitAsync one and
// are called back once its batch has ended, on the writer's completion
// thread: the writer hands each batch's callbacks over in one piece and
// goes on with the next batch while they run. The writer thread takes up
// to
// max_batch_size queued requests, opens one transaction (BEGIN IMMEDIATE),
// runs each request, and then COMMITs once. Only after COMMIT returns (with
// synchronous=FULL in WAL mode: the WAL is fsynced) does any caller of the
// batch learn its result; if COMMIT fails, every request of the batch that
// had succeeded gets the commit's error instead. So one fsync serves a whole
// batch, and no caller is told OK for a write that was not durable.
//
// A request of WriteIsolation::kSavepoint runs in its own SAVEPOINT —
// released if the function returns OK, rolled back and released if it
// fails, so a failing request takes only its own writes with it. One of
// kChecksFirst runs without one. If a request fails after it changed the
// database without a savepoint (Connection::writes() moved), or leaves the
// transaction unusable (a page that failed its authentication check puts
// SQLite's pager in an error state until the transaction ends), the writer
// rolls the transaction back and runs the rest of the batch in a new one:
// the kChecksFirst requests that had succeeded before it run again there
// (at most kMaxRuns times in all), the kSavepoint ones are told UNAVAILABLE.
//
// Storage conditions (storage_status.h: disk full, I/O errors) make the
// writer unwritable() until a transaction commits again; while unwritable
// and idle it probes every storage_probe_interval with a one-page write,
// so that it notices by itself when the condition clears. A listener hears
// each change.
//
// Thread safety: Submit may be called from any thread except the writer
// thread itself (a transaction function that calls Submit gets
// FAILED_PRECONDITION instead of a deadlock).
#ifndef RESGUARDO_SERVICES_STORE_INTERNAL_GROUP_COMMIT_WRITER_H_
#define RESGUARDO_SERVICES_STORE_INTERNAL_GROUP_COMMIT_WRITER_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/store/internal/connection.h"
#include "services/store/transaction.h"

namespace resguardo::store::internal {

// See Database::Isolation.
enum class WriteIsolation { kSavepoint, kChecksFirst };

struct WriterOptions {
  size_t max_batch_size = 512;
  size_t max_queued_writes = 8192;
  // How long Submit waits for room in a full queue before RESOURCE_EXHAUSTED.
  absl::Duration queue_full_wait = absl::Seconds(1);
  // Longest wait for a batch to fill up under load (see Linger()).
  absl::Duration max_linger = absl::Milliseconds(2);
  // While unwritable, how often an idle writer tries a one-page write.
  absl::Duration storage_probe_interval = absl::Seconds(1);
};

// Counters since the writer started; see Database::WriteStats.
struct WriterCounters {
  uint64_t requests = 0;
  uint64_t requests_committed = 0;
  uint64_t requests_failed = 0;
  uint64_t transactions = 0;
  uint64_t commits = 0;
  uint64_t failed_commits = 0;
  uint64_t largest_batch = 0;
  // Requests in the queue now (not yet taken into a batch).
  uint64_t queued = 0;
};

// One ended batch, for the node's metrics: how many requests it took,
// whether it committed, and how long its COMMIT took (with
// synchronous=FULL in WAL mode: writing the WAL frames and the fsync that
// makes them durable; zero when nothing was committed).
struct BatchReport {
  size_t requests = 0;
  bool committed = false;
  absl::Duration commit_time;
};

class GroupCommitWriter {
 public:
  // Starts the writer thread. `connection` must outlive this object (or at
  // least its Shutdown()); the writer is its only user.
  GroupCommitWriter(Connection* connection, const WriterOptions& options);
  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;
  ~GroupCommitWriter();

  // Runs `fn` in the next batch and returns once that batch has committed
  // (fn's status, or the commit's error) or been rolled back.
  // Errors besides fn's: RESOURCE_EXHAUSTED (queue full for queue_full_wait),
  // FAILED_PRECONDITION (shut down, or called from the writer thread),
  // UNAVAILABLE (another request of the batch hit a storage error that made
  // SQLite roll the whole transaction back: this write was not made), and
  // the SQLite errors of BEGIN/SAVEPOINT/COMMIT.
  absl::Status Submit(absl::FunctionRef<absl::Status(WriteTxn&)> fn,
                      WriteIsolation isolation) ABSL_LOCKS_EXCLUDED(mu_);

  // Queues `fn` for the next batch without waiting. OK means queued: `done`
  // is then called exactly once, on the completion thread, with what Submit
  // would have returned, after the batch has committed or been rolled back
  // (and after the waiting Submit callers of that batch were released).
  // Callbacks run one at a time, batch after batch, in queue order. An
  // error means not queued, and neither `fn` nor `done` is ever called:
  // RESOURCE_EXHAUSTED when the queue is full (no wait), FAILED_PRECONDITION
  // when shut down. May be called from any thread (from `done`, for
  // instance). `done` runs outside every lock of the writer; it should be
  // short (the callbacks after it wait), but the writer does not wait for
  // it.
  //
  // The room counts the requests queued and those run but not yet answered:
  // when answers back up (a stuck callback), new requests are refused
  // rather than committed for callers who would not hear of it. With
  // `reserved`, the request may also take the reserve: room for
  // max_queued_writes / 4 (at least 64) more requests beyond
  // max_queued_writes, kept for what must still be written when the queue
  // is full of new work (the audit entries of refusals).
  absl::Status SubmitAsync(absl::AnyInvocable<absl::Status(WriteTxn&)> fn,
                           WriteIsolation isolation,
                           absl::AnyInvocable<void(absl::Status)> done,
                           bool reserved = false) ABSL_LOCKS_EXCLUDED(mu_);

  // Refuses new requests, runs every queued one, answers them, and joins
  // both threads. Idempotent. Called from a `done` (on the completion
  // thread, which cannot join itself) it only refuses new requests; the
  // destructor, on another thread, does the rest.
  void Shutdown() ABSL_LOCKS_EXCLUDED(mu_);

  WriterCounters counters() const ABSL_LOCKS_EXCLUDED(mu_);

  // False from a batch that failed on a storage condition until a
  // transaction (a batch's or a probe's) commits again.
  bool writable() const { return writable_.load(std::memory_order_acquire); }
  // `listener(writable, cause)` is called on the writer thread at each
  // change of writable(), with the storage error when it becomes false.
  // It must be short and must not call Submit. Replaces the previous one.
  using WritableListener =
      std::function<void(bool writable, const absl::Status& cause)>;
  void SetWritableListener(WritableListener listener)
      ABSL_LOCKS_EXCLUDED(listener_mu_);
  // `listener(report)` is called on the writer thread after each batch
  // ends, before its callers learn their results. It must be short and
  // must not call Submit. Replaces the previous one.
  using BatchListener = std::function<void(const BatchReport& report)>;
  void SetBatchListener(BatchListener listener)
      ABSL_LOCKS_EXCLUDED(listener_mu_);

  // Most runs of one kChecksFirst request in one batch (see above).
  static constexpr int kMaxRuns = 3;

  // How many batches have ended (committed or rolled back); incremented
  // after a batch's last transaction ended, before its WriteTxn::AfterBatch
  // functions run and its callers learn their results.
  const std::atomic<uint64_t>* ended_batches() const { return &ended_batches_; }

 private:
  struct Request {
    Request(absl::AnyInvocable<absl::Status(WriteTxn&)> f, WriteIsolation i)
        : fn(std::move(f)), isolation(i) {}
    // Submit's: a FunctionRef (held inline, no allocation); SubmitAsync's:
    // the caller's function.
    absl::AnyInvocable<absl::Status(WriteTxn&)> fn;
    WriteIsolation isolation;
    absl::Status result;  // Written by the writer thread before `done`.
    int runs = 0;         // In the current batch; the writer thread's.
    bool done = false;    // Guarded by mu_.
    // Set for SubmitAsync's requests, which the writer owns until it hands
    // them to the completion thread, which deletes them after calling it.
    absl::AnyInvocable<void(absl::Status)> on_done;
  };

  void Loop() ABSL_LOCKS_EXCLUDED(mu_);
  // The completion thread: answers the SubmitAsync requests of each ended
  // batch, in order, and deletes them.
  void Complete() ABSL_LOCKS_EXCLUDED(done_mu_);
  bool CompletionsOrStop() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(done_mu_) {
    return done_stopping_ || !completions_.empty();
  }
  enum class Outcome { kCommitted, kNothingToCommit, kFailed };
  // Runs one batch and fills in every request's result: in one transaction,
  // or in one per stretch between kChecksFirst requests that failed after a
  // change. The outcome is that of the last transaction.
  Outcome RunBatch(const std::vector<Request*>& batch);
  // Counts the batch's results and releases its Submit callers; moves its
  // SubmitAsync requests to `owned`, to be answered without the lock.
  void Account(const std::vector<Request*>& batch, Outcome outcome,
               std::vector<Request*>& owned) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  enum class Step {
    kDone,            // The request ran; its result says how.
    kUndoBatch,       // A kChecksFirst request failed after a change.
    kLostTransaction  // SQLite rolled the transaction back, or a savepoint
                      // statement failed: the batch must be abandoned.
  };
  Step RunRequest(Request& request);
  // False when the current transaction can no longer read (see above).
  bool TransactionUsable();
  // After a batch: updates writable() from its outcome and results.
  void NoteStorage(const std::vector<Request*>& batch, Outcome outcome);
  void SetWritable(bool writable, const absl::Status& cause)
      ABSL_LOCKS_EXCLUDED(listener_mu_);
  // A transaction that rewrites page 1 as it is (user_version) and commits.
  absl::Status ProbeStorage();
  // Gives `status` to the requests of batch[first...] that have succeeded.
  void FailFrom(const std::vector<Request*>& batch, size_t first,
                const absl::Status& status);
  bool WorkOrStop() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return stopping_ || !queue_.empty();
  }
  bool RoomOrStop() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return stopping_ || queue_.size() < options_.max_queued_writes;
  }
  bool EnoughOrStop() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return stopping_ || queue_.size() >= wanted_;
  }
  // Waits a little for the next batch to grow, when recent batches were
  // large.
  void Linger() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  Connection* const connection_;
  const WriterOptions options_;
  std::atomic<bool> writable_{true};
  absl::Mutex listener_mu_;
  WritableListener listener_ ABSL_GUARDED_BY(listener_mu_);
  BatchListener batch_listener_ ABSL_GUARDED_BY(listener_mu_);
  std::atomic<uint64_t> ended_batches_{0};
  // The current batch's WriteTxn::AfterBatch functions; the writer
  // thread's own.
  std::vector<absl::AnyInvocable<void(uint64_t)>> after_batch_;

  mutable absl::Mutex mu_;
  std::deque<Request*> queue_ ABSL_GUARDED_BY(mu_);
  size_t wanted_ ABSL_GUARDED_BY(mu_) = 0;  // For EnoughOrStop.
  // Of the last batch; the writer thread's own.
  size_t last_batch_size_ = 0;
  absl::Duration last_batch_time_;
  // How long the current batch's COMMIT took; the writer thread's own.
  absl::Duration last_commit_time_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  WriterCounters counters_ ABSL_GUARDED_BY(mu_);

  // Batches' answered-to-be SubmitAsync requests, handed from the writer
  // thread to the completion thread.
  mutable absl::Mutex done_mu_ ABSL_ACQUIRED_AFTER(mu_);
  std::deque<std::vector<Request*>> completions_ ABSL_GUARDED_BY(done_mu_);
  bool done_stopping_ ABSL_GUARDED_BY(done_mu_) = false;
  // SubmitAsync requests taken from the queue but not yet answered (counted
  // in the room); incremented under mu_ as they leave the queue.
  std::atomic<size_t> unanswered_{0};

  absl::Mutex join_mu_;
  std::thread thread_;             // Joined once, under join_mu_.
  std::thread completion_thread_;  // Joined once, after thread_.
  std::thread::id thread_id_;
  std::thread::id completion_thread_id_;
};

}  // namespace resguardo::store::internal

#endif  // RESGUARDO_SERVICES_STORE_INTERNAL_GROUP_COMMIT_WRITER_H_
