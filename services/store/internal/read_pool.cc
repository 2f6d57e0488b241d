#include "services/store/internal/read_pool.h"

#include <memory>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "services/store/internal/connection.h"
#include "services/store/transaction.h"

namespace resguardo::store::internal {

ReadPool::ReadPool(std::vector<std::unique_ptr<Connection>> connections,
                   const std::atomic<uint64_t>* ended_batches)
    : size_(connections.size()),
      ended_batches_(ended_batches),
      idle_(std::move(connections)) {}

ReadPool::~ReadPool() { Shutdown(); }

absl::Status ReadPool::Run(absl::FunctionRef<absl::Status(ReadTxn&)> fn) {
  std::unique_ptr<Connection> connection;
  {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(this, &ReadPool::AvailableOrStop));
    if (stopping_) {
      return absl::FailedPreconditionError("store: the database is closed");
    }
    connection = std::move(idle_.back());
    idle_.pop_back();
  }
  // Read before BEGIN (the snapshot starts at the first statement): every
  // batch counted here has committed, or rolled back, before the snapshot.
  const uint64_t floor = ended_batches_->load(std::memory_order_acquire);
  absl::Status status = connection->Control("BEGIN", "begin read");
  if (status.ok()) {
    ReadTxn txn(connection.get(), floor);
    connection->set_user_code(true);
    status = fn(txn);
    connection->set_user_code(false);
  }
  if (connection->in_transaction()) {
    // Ends the snapshot so that checkpoints can move past it.
    absl::Status end = connection->Control("COMMIT", "end read");
    if (!end.ok()) {
      connection->Control("ROLLBACK", "end read").IgnoreError();
      if (status.ok()) status = end;
    }
  }
  absl::MutexLock lock(&mu_);
  idle_.push_back(std::move(connection));
  return status;
}

void ReadPool::Shutdown() {
  absl::MutexLock lock(&mu_);
  if (closed_) return;
  stopping_ = true;
  mu_.Await(absl::Condition(this, &ReadPool::AllReturned));
  idle_.clear();
  closed_ = true;
}

}  // namespace resguardo::store::internal
