// WorkerPool: a fixed set of threads that run the node's calls.
//
// gRPC's callback API runs a method handler on one of gRPC's own threads,
// which must not block. A call of this node waits on the database (a read
// connection, or the group commit's fsync), so each handler hands its work
// to this pool and returns at once; the worker finishes the call. With many
// workers waiting on the writer at once, one commit covers many calls (group
// commit, services/store/database.h).
//
// Thread safety: thread-safe.
#ifndef RESGUARDO_SERVICES_SERVER_INTERNAL_WORKER_POOL_H_
#define RESGUARDO_SERVICES_SERVER_INTERNAL_WORKER_POOL_H_

#include <cstddef>
#include <deque>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"

namespace resguardo::server::internal {

class WorkerPool {
 public:
  // Starts `threads` workers; at most `max_queued` tasks wait for one.
  // REQUIRES: threads >= 1, max_queued >= 1.
  WorkerPool(int threads, size_t max_queued);
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;
  // Stop()s.
  ~WorkerPool();

  // Queues `task`. False, without running it, when the queue is full or the
  // pool is stopped; the caller then refuses the call.
  bool TrySchedule(absl::AnyInvocable<void() &&> task) ABSL_LOCKS_EXCLUDED(mu_);

  // Refuses new tasks, runs every queued one, and joins the workers.
  // Idempotent. REQUIRES: not called from a worker, nor from two threads
  // at once.
  void Stop() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  void Loop() ABSL_LOCKS_EXCLUDED(mu_);
  bool HasWorkOrStopping() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return stopping_ || !queue_.empty();
  }

  const size_t max_queued_;
  absl::Mutex mu_;
  std::deque<absl::AnyInvocable<void() &&>> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace resguardo::server::internal

#endif  // RESGUARDO_SERVICES_SERVER_INTERNAL_WORKER_POOL_H_
