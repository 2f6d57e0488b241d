// StreamPump: one thread that, every `interval`, asks each open server
// stream (e.g. WatchAlerts) to look for something new to send. Streams are
// polled rather than woken by the writes that feed them because those
// writes commit in the store's group-commit batches, far from any stream;
// the interval bounds the delay (NodeConfig referrals.alert_poll_interval_ms).
//
// A stream is Add()ed once started and Remove()d from its OnDone. Remove
// waits for every Poll or Abort of that stream running on another thread to
// return (not for one running on its own thread: a reaction gRPC ran
// inline), so a stream is never deleted under a running Poll.
//
// Thread safety: thread-safe.
#ifndef RESGUARDO_SERVICES_SERVER_INTERNAL_STREAM_PUMP_H_
#define RESGUARDO_SERVICES_SERVER_INTERNAL_STREAM_PUMP_H_

#include <map>
#include <set>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace resguardo::server::internal {

class PolledStream {
 public:
  virtual ~PolledStream() = default;
  // Looks for new responses and starts writing them; never blocks on the
  // client.
  virtual void Poll() = 0;
  // Ends the stream (UNAVAILABLE: the node is stopping).
  virtual void Abort() = 0;
};

class StreamPump {
 public:
  explicit StreamPump(absl::Duration interval);
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

 private:
  void Loop() ABSL_LOCKS_EXCLUDED(mu_);
  // Runs fn(s) outside the lock if `s` is still open, marked busy.
  template <typename Fn>
  void WithStream(PolledStream* s, Fn fn) ABSL_LOCKS_EXCLUDED(mu_);

  const absl::Duration interval_;
  absl::Mutex mu_;
  std::set<PolledStream*> streams_ ABSL_GUARDED_BY(mu_);
  std::map<PolledStream*, int> busy_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool aborted_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace resguardo::server::internal

#endif  // RESGUARDO_SERVICES_SERVER_INTERNAL_STREAM_PUMP_H_
