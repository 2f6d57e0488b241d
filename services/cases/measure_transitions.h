// The legal status changes of a protection measure (DOMAIN.md: requested
// → in force → extended │ expired; revoked, breached), made by
// CaseStore::SetProtectionMeasureStatus. One table, consulted there and by
// AllowedNextMeasureStatuses (ProtectionMeasure.allowed_next_statuses):
//
//   from        to
//   REQUESTED   IN_FORCE, REVOKED
//   IN_FORCE    EXTENDED, EXPIRED, REVOKED, BREACHED
//   EXTENDED    EXTENDED (a later expiry), EXPIRED, REVOKED, BREACHED
//   BREACHED    EXPIRED, REVOKED
//   EXPIRED     —
//   REVOKED     —
//
// A measure without an expiry (in force indefinitely) is never EXTENDED.
// Any other change, staying included, is refused.
//
// Pure functions over a constant table; thread-safe.
#ifndef RESGUARDO_SERVICES_CASES_MEASURE_TRANSITIONS_H_
#define RESGUARDO_SERVICES_CASES_MEASURE_TRANSITIONS_H_

#include <vector>

#include "absl/status/status.h"
#include "resguardo/v1/catalogues.pb.h"
#include "services/auth/access_policy.h"

namespace resguardo::cases {

// OK if a measure in `from` (with an expiry or not) may be set to `to`;
// otherwise FAILED_PRECONDITION naming both statuses.
absl::Status CheckMeasureTransition(v1::ProtectionMeasureStatus from,
                                    v1::ProtectionMeasureStatus to,
                                    bool has_expiry);

// The statuses `caller` may set a measure in `from` to now, in the
// catalogue's order: none if her roles do not allow
// SetProtectionMeasureStatus (auth::AccessPolicy::Default()) or the case is
// CLOSED, else every `to` CheckMeasureTransition accepts.
std::vector<v1::ProtectionMeasureStatus> AllowedNextMeasureStatuses(
    const auth::Principal& caller, v1::CaseStatus case_status,
    v1::ProtectionMeasureStatus from, bool has_expiry);

}  // namespace resguardo::cases

#endif  // RESGUARDO_SERVICES_CASES_MEASURE_TRANSITIONS_H_
