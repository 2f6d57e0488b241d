#include "services/store/internal/wal_checkpointer.h"

#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "services/store/internal/connection.h"

namespace resguardo::store::internal {

WalCheckpointer::WalCheckpointer(std::unique_ptr<Connection> connection,
                                 int threshold_frames)
    : connection_(std::move(connection)), threshold_frames_(threshold_frames) {
  thread_ = std::thread([this] { Loop(); });
}

WalCheckpointer::~WalCheckpointer() { Stop(); }

void WalCheckpointer::NoteWalFrames(int frames) {
  if (frames < threshold_frames_) return;
  absl::MutexLock lock(&mu_);
  due_ = true;
}

void WalCheckpointer::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  absl::MutexLock join_lock(&join_mu_);
  if (thread_.joinable()) thread_.join();
  connection_.reset();
}

WalCheckpointer::Counters WalCheckpointer::counters() const {
  absl::MutexLock lock(&mu_);
  return counters_;
}

void WalCheckpointer::Loop() {
  while (true) {
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(this, &WalCheckpointer::DueOrStopping));
      if (stopping_) return;
      due_ = false;
    }
    // A failed checkpoint loses nothing: the pages stay in the WAL, which
    // the next checkpoint copies (and every commit is already durable in
    // it). The error is kept for the store's counters. BUSY (UNAVAILABLE)
    // only means that the writer was running a checkpoint itself
    // (Database's WAL hook); the next commit asks again.
    absl::Status status = connection_->CheckpointPassive();
    absl::MutexLock lock(&mu_);
    if (absl::IsUnavailable(status)) continue;
    ++counters_.checkpoints;
    if (!status.ok()) {
      ++counters_.failures;
      counters_.last_error = std::move(status);
    }
  }
}

}  // namespace resguardo::store::internal
