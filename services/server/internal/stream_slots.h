// StreamSlots: how many server streams are open, per user and for the whole
// node, and whether one more may open (NodeConfig limits.max_streams,
// limits.max_streams_per_user; the health service's watches use a
// per-node count alone). A stream takes a slot once it is authorized and
// before it starts; it gives it back when it ends, or when its start fails.
//
// Thread safety: thread-safe.
#ifndef RESGUARDO_SERVICES_SERVER_INTERNAL_STREAM_SLOTS_H_
#define RESGUARDO_SERVICES_SERVER_INTERNAL_STREAM_SLOTS_H_

#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace resguardo::server::internal {

class StreamSlots {
 public:
  // REQUIRES: 1 <= per_user <= total.
  StreamSlots(int total, int per_user) : total_(total), per_user_(per_user) {}
  StreamSlots(const StreamSlots&) = delete;
  StreamSlots& operator=(const StreamSlots&) = delete;

  // Takes a slot for `user` (any key naming one user; empty for streams
  // without a user, counted against the total only). RESOURCE_EXHAUSTED,
  // saying which limit, when the user or the node has none left.
  absl::Status Acquire(absl::string_view user) ABSL_LOCKS_EXCLUDED(mu_);
  // Gives back a slot Acquire gave `user`.
  void Release(absl::string_view user) ABSL_LOCKS_EXCLUDED(mu_);

  int open() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  const int total_;
  const int per_user_;
  mutable absl::Mutex mu_;
  int open_ ABSL_GUARDED_BY(mu_) = 0;
  absl::flat_hash_map<std::string, int> per_user_open_ ABSL_GUARDED_BY(mu_);
};

}  // namespace resguardo::server::internal

#endif  // RESGUARDO_SERVICES_SERVER_INTERNAL_STREAM_SLOTS_H_
