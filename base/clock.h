// Clock: the node's source of time, injected so that a test can fix it and a
// deadline test needs no sleeping.
//
// Thread safety: implementations must allow concurrent Now() calls.
#ifndef RESGUARDO_BASE_CLOCK_H_
#define RESGUARDO_BASE_CLOCK_H_

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace resguardo {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;

  // The process's real clock. Never null; not owned by the caller.
  static const Clock* Real();
};

class RealClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

inline const Clock* Clock::Real() {
  static const RealClock* clock = new RealClock();
  return clock;
}

// A clock that moves only when told. For tests and simulations.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(absl::Time start) : now_(start) {}
  absl::Time Now() const override {
    absl::MutexLock lock(&mu_);
    return now_;
  }
  void Advance(absl::Duration d) {
    absl::MutexLock lock(&mu_);
    now_ += d;
  }
  void Set(absl::Time t) {
    absl::MutexLock lock(&mu_);
    now_ = t;
  }

 private:
  mutable absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
};

}  // namespace resguardo

#endif  // RESGUARDO_BASE_CLOCK_H_
