// StreamPump: one thread that, every `interval`, asks each open server
// stream (e.g. WatchAlerts) to look for something new to send. Streams are
// polled rather than woken by the writes that feed them because those
// writes commit in the store's group-commit batches, far from any stream;
// the interval bounds the delay (NodeConfig referrals.alert_poll_interval_ms).
//
// One round polls every open stream inside ONE read transaction (one
// reader connection, one snapshot), and hands each the round's PollRound,
// where streams share what they all need to know — e.g. the last alert of
// an institution, read once per round for all its watchers — so that an
// idle stream costs no reader connection and no query of its own. What a
// poll found is written (or the stream ended) after the transaction, in
// AfterPoll: nothing that waits on the client or the writer runs inside it.
//
// A stream is Add()ed once started and Remove()d from its OnDone. Remove
// waits for every Poll, AfterPoll or Abort of that stream running on
// another thread to return (not for one running on its own thread: a
// reaction gRPC ran inline), so a stream is never deleted under a running
// Poll.
//
// Thread safety: thread-safe. Poll and AfterPoll of a stream run on the
// pump's thread only.
#ifndef RESGUARDO_SERVICES_SERVER_INTERNAL_STREAM_PUMP_H_
#define RESGUARDO_SERVICES_SERVER_INTERNAL_STREAM_PUMP_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/functional/any_invocable.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/store/transaction.h"

namespace resguardo::server::internal {

// What the streams of one round share: values computed once per round and
// key (e.g. "alerts/IEEPCO" → the institution's last alert sequence).
// Not thread-safe: used on the pump's thread, inside the round's read.
class PollRound {
 public:
  // The value of `key` in this round: `compute()` the first time, the
  // stored value (or error) afterwards.
  absl::StatusOr<uint64_t> Shared(
      const std::string& key,
      absl::FunctionRef<absl::StatusOr<uint64_t>()> compute);
  // How many distinct keys were computed (for tests).
  size_t computed() const { return values_.size(); }

 private:
  absl::flat_hash_map<std::string, absl::StatusOr<uint64_t>> values_;
};

class PolledStream {
 public:
  virtual ~PolledStream() = default;
  // Inside the round's read transaction: looks for new responses (keeps
  // them for AfterPoll); must not block on the client or the writer.
  virtual void Poll(store::ReadTxn& txn, PollRound& round) = 0;
  // After the round's transaction: starts writing what Poll found, or ends
  // the stream with Poll's error; `round` is the transaction's own status
  // (an error ends a stream whose Poll did not run to completion).
  virtual void AfterPoll(const absl::Status& round) = 0;
  // Ends the stream (UNAVAILABLE: the node is stopping).
  virtual void Abort() = 0;
};

class StreamPump {
 public:
  // Runs `fn` in one read transaction (Database::Read).
  using Reader = absl::AnyInvocable<absl::Status(
      absl::FunctionRef<absl::Status(store::ReadTxn&)> fn)>;

  StreamPump(absl::Duration interval, Reader reader);
  StreamPump(const StreamPump&) = delete;
  StreamPump& operator=(const StreamPump&) = delete;
  // Stop()s.
  ~StreamPump();

  // False, without adding it, once AbortAll() has run: a stream whose start
  // was still being audited then must end at once, not run on.
  bool Add(PolledStream* stream) ABSL_LOCKS_EXCLUDED(mu_);
  void Remove(PolledStream* stream) ABSL_LOCKS_EXCLUDED(mu_);
  // Abort()s every open stream (they Remove themselves as they end).
  void AbortAll() ABSL_LOCKS_EXCLUDED(mu_);
  // Ends the thread. Idempotent.
  void Stop() ABSL_LOCKS_EXCLUDED(mu_);

  // Read transactions the pump has run (one per round with open streams).
  uint64_t rounds() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  void Loop() ABSL_LOCKS_EXCLUDED(mu_);
  // Marks the streams still open busy, and returns them.
  std::vector<PolledStream*> Acquire(const std::vector<PolledStream*>& streams)
      ABSL_LOCKS_EXCLUDED(mu_);
  void Release(PolledStream* s) ABSL_LOCKS_EXCLUDED(mu_);

  const absl::Duration interval_;
  Reader reader_;
  mutable absl::Mutex mu_;
  std::set<PolledStream*> streams_ ABSL_GUARDED_BY(mu_);
  std::map<PolledStream*, int> busy_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool aborted_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t rounds_ ABSL_GUARDED_BY(mu_) = 0;
  std::thread thread_;
};

}  // namespace resguardo::server::internal

#endif  // RESGUARDO_SERVICES_SERVER_INTERNAL_STREAM_PUMP_H_
