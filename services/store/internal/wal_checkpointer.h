// WalCheckpointer: copies the committed pages of the WAL into the database file
// on a thread of its own.
//
// Not part of the store's API. SQLite's automatic checkpoint runs inside the
// COMMIT that takes the WAL past its threshold, on the committing thread: on
// the store's single writer, every queued write would wait while it copies a
// thousand pages and fsyncs the database file. Instead the writer connection
// reports the size of the WAL after each commit (Connection::SetWalHook) and
// this thread runs a PASSIVE checkpoint on its own connection, which never
// blocks the writer or the readers. Pages are copied as they are in the WAL,
// encrypted; nothing is decrypted here.
//
// SQLite starts the WAL over at the next write once a checkpoint has copied
// all of it and no reader still uses it; Database::Close makes the last,
// truncating checkpoint after Stop().
//
// Thread safety: NoteWalFrames and counters may be called from any thread;
// Stop from one thread.
#ifndef RESGUARDO_SERVICES_STORE_INTERNAL_WAL_CHECKPOINTER_H_
#define RESGUARDO_SERVICES_STORE_INTERNAL_WAL_CHECKPOINTER_H_

#include <cstdint>
#include <memory>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "services/store/internal/connection.h"

namespace resguardo::store::internal {

class WalCheckpointer {
 public:
  struct Counters {
    uint64_t checkpoints = 0;  // Checkpoints run (not counting those
                               // skipped while the writer ran one).
    uint64_t failures = 0;     // ... that returned an error.
    absl::Status last_error;
  };

  // Starts the thread. `connection` is used only by it. A checkpoint runs
  // once the WAL holds at least `threshold_frames` pages.
  // REQUIRES: threshold_frames >= 1.
  WalCheckpointer(std::unique_ptr<Connection> connection, int threshold_frames);
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;
  // Stop()s.
  ~WalCheckpointer();

  // The WAL holds `frames` pages after a commit. Cheap: wakes the thread
  // only when a checkpoint is due.
  void NoteWalFrames(int frames) ABSL_LOCKS_EXCLUDED(mu_);

  // Waits for a checkpoint in progress, stops the thread and closes the
  // connection. Idempotent.
  void Stop() ABSL_LOCKS_EXCLUDED(mu_);

  Counters counters() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  void Loop() ABSL_LOCKS_EXCLUDED(mu_);
  bool DueOrStopping() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return due_ || stopping_;
  }

  std::unique_ptr<Connection> connection_;  // Only the thread uses it.
  const int threshold_frames_;

  mutable absl::Mutex mu_;
  bool due_ ABSL_GUARDED_BY(mu_) = false;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  Counters counters_ ABSL_GUARDED_BY(mu_);

  absl::Mutex join_mu_;
  std::thread thread_;  // Joined once, under join_mu_.
};

}  // namespace resguardo::store::internal

#endif  // RESGUARDO_SERVICES_STORE_INTERNAL_WAL_CHECKPOINTER_H_
