// DeadlineMonitor: raises the deadline alerts of the node's institutions
// (alert_store.h), on the node's Clock:
//   DEADLINE_NEAR    a PENDING referral with deadline_near or less left: to
//                    the receiving institution;
//   DEADLINE_MISSED  a PENDING referral past its accept_deadline: to the
//                    receiving and the sending institution (a referral
//                    found already past its deadline raises only this);
//   MEASURE_EXPIRING a protection measure IN_FORCE or EXTENDED whose
//                    expiry_date is at most measure_expiring_days after
//                    the clock's UTC day: to the case's institution (a
//                    measure without an expiry never; one expired, revoked
//                    or breached no more; an EXTENDED one once per expiry
//                    it is given);
//   FOLLOW_UP_DUE    a case follow-up whose next_due_date is the clock's
//                    UTC day or earlier: to the case's institution;
//   REPARATION_DUE   a reparation measure PENDING or PARTIALLY_COMPLIED
//                    whose due_date is at most measure_expiring_days after
//                    the clock's UTC day (the same horizon as measures):
//                    to the case's institution;
//   REPARATION_OVERDUE such a measure whose due_date has passed (the day
//                    after it began): to the case's institution (a
//                    measure found already overdue raises only this).
//                    Neither once COMPLIED or NOT_COMPLIED.
// and the passes other components add (AddPass: the registry of sanctioned
// persons delists the entries whose term ended), in the same transaction.
// Each (item, kind, institution) raises one alert, ever: the alert's
// dedup_key is stored with it, in the same transaction, so a pass after a
// restart raises nothing twice.
//
// RunOnce() is one pass (tests call it after moving a FakeClock: no
// sleeping). Start() runs a pass every policy.monitor_interval of real time
// on a thread of its own; Stop() ends it.
//
// Thread safety: RunOnce may run concurrently with itself (the store
// serialises writes). Ownership: db and clock are borrowed and must outlive
// the monitor (Stop() before destroying them).
#ifndef RESGUARDO_SERVICES_REFERRALS_DEADLINE_MONITOR_H_
#define RESGUARDO_SERVICES_REFERRALS_DEADLINE_MONITOR_H_

#include <functional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "base/clock.h"
#include "services/referrals/deadline_policy.h"
#include "services/store/database.h"

namespace resguardo::referrals {

class DeadlineMonitor {
 public:
  DeadlineMonitor(store::Database* db, DeadlinePolicy policy,
                  const Clock* clock)
      : db_(db), policy_(std::move(policy)), clock_(clock) {}
  DeadlineMonitor(const DeadlineMonitor&) = delete;
  DeadlineMonitor& operator=(const DeadlineMonitor&) = delete;
  ~DeadlineMonitor() { Stop(); }

  // A pass of another component, run in each RunOnce's write transaction
  // after the monitor's own; returns how many alerts it raised.
  using Pass = std::function<absl::StatusOr<int>(store::WriteTxn& txn)>;
  // REQUIRES: before Start, and not concurrently with RunOnce.
  void AddPass(Pass pass) { passes_.push_back(std::move(pass)); }

  // One pass; returns how many alerts it raised. The store's errors.
  absl::StatusOr<int> RunOnce();

  void Start() ABSL_LOCKS_EXCLUDED(mu_);
  // Idempotent.
  void Stop() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  store::Database* const db_;
  const DeadlinePolicy policy_;
  const Clock* const clock_;
  std::vector<Pass> passes_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace resguardo::referrals

#endif  // RESGUARDO_SERVICES_REFERRALS_DEADLINE_MONITOR_H_
