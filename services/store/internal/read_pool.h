// ReadPool: the store's reader connections, lent out one per Database::Read.
//
// Not part of the store's API. Each borrowed connection runs the caller's
// function inside BEGIN ... COMMIT, so the function sees one WAL snapshot:
// everything committed before its first statement, nothing after.
//
// Thread safety: Run may be called from any thread; it blocks while every
// connection is lent out.
#ifndef RESGUARDO_SERVICES_STORE_INTERNAL_READ_POOL_H_
#define RESGUARDO_SERVICES_STORE_INTERNAL_READ_POOL_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "services/store/internal/connection.h"
#include "services/store/transaction.h"

namespace resguardo::store::internal {

class ReadPool {
 public:
  // REQUIRES: `connections` is not empty and each is a reader;
  // `ended_batches` (GroupCommitWriter::ended_batches) outlives the pool.
  ReadPool(std::vector<std::unique_ptr<Connection>> connections,
           const std::atomic<uint64_t>* ended_batches);
  ReadPool(const ReadPool&) = delete;
  ReadPool& operator=(const ReadPool&) = delete;
  ~ReadPool();

  // Borrows a connection and runs `fn` in a read transaction on it.
  // Errors besides fn's: FAILED_PRECONDITION after Shutdown, and SQLite's.
  absl::Status Run(absl::FunctionRef<absl::Status(ReadTxn&)> fn)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Refuses new reads, waits until every connection is back, closes them.
  // Idempotent.
  void Shutdown() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  bool AvailableOrStop() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return stopping_ || !idle_.empty();
  }
  bool AllReturned() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return idle_.size() == size_;
  }

  const size_t size_;
  const std::atomic<uint64_t>* const ended_batches_;
  absl::Mutex mu_;
  std::vector<std::unique_ptr<Connection>> idle_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace resguardo::store::internal

#endif  // RESGUARDO_SERVICES_STORE_INTERNAL_READ_POOL_H_
