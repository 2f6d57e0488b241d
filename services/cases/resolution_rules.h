// The rules that tie a case's route to its resolution records (DOMAIN.md,
// the route; CaseService's comments in case_service.proto), and the
// compliance changes of a reparation measure. Consulted by CaseStore
// (UpdateCase and the resolution operations, resolutions.cc) and for
// ReparationMeasure.allowed_next_statuses, so that no client copies them.
//
//   UpdateCase to RESOLVED   the current resolution (the last recorded)
//                            exists and has no appeal
//   UpdateCase to APPEALED   the current resolution has a PENDING appeal
//   UpdateCase to FINAL      the current resolution has its final_date
//   AddResolution            a POLITICAL_VIOLENCE case SENT_TO_COURT with
//                            no resolution, or APPEALED whose current
//                            resolution's last appeal REVOKED or REMANDED it
//   correct / appeal / final only the current resolution, not final; no
//                            appeal while one is PENDING; final only with
//                            no PENDING appeal and not revoked or remanded
//   add reparation measure   only to the current resolution (final or not)
//
// Compliance of a reparation measure:
//   PENDING              PARTIALLY_COMPLIED, COMPLIED, NOT_COMPLIED
//   PARTIALLY_COMPLIED   COMPLIED, NOT_COMPLIED
//   NOT_COMPLIED         PARTIALLY_COMPLIED, COMPLIED
//   COMPLIED             —
//
// Every refusal is FAILED_PRECONDITION with its error catalogue text.
// Pure functions; thread-safe.
#ifndef RESGUARDO_SERVICES_CASES_RESOLUTION_RULES_H_
#define RESGUARDO_SERVICES_CASES_RESOLUTION_RULES_H_

#include <vector>

#include "absl/status/status.h"
#include "resguardo/v1/catalogues.pb.h"
#include "services/auth/access_policy.h"

namespace resguardo::cases {

// What the route needs to know of a case's current resolution.
struct CurrentResolution {
  bool exists = false;
  bool final = false;  // final_date set
  bool has_appeal = false;
  // The last appeal's outcome (UNSPECIFIED without one).
  v1::AppealOutcome last_appeal = v1::APPEAL_OUTCOME_UNSPECIFIED;
};

// OK unless `to` (!= from) is RESOLVED, APPEALED or FINAL and `current`
// lacks what it needs.
absl::Status CheckRouteRecords(v1::CaseStatus from, v1::CaseStatus to,
                               const CurrentResolution& current);

// AddResolution's rule on a case of `kind` in `status`.
absl::Status CheckAddResolution(v1::CaseKind kind, v1::CaseStatus status,
                                const CurrentResolution& current);

// Correcting, appealing or declaring final the resolution; `is_current`:
// it is the last recorded.
absl::Status CheckResolutionOpen(bool is_current,
                                 const CurrentResolution& current);
absl::Status CheckFileAppeal(bool is_current, const CurrentResolution& current);
absl::Status CheckSetFinal(bool is_current, const CurrentResolution& current);

// Adding a reparation measure: only to the current resolution (final or
// not: a final resolution orders its reparations), never to one an appeal
// replaced.
absl::Status CheckAddReparation(bool is_current);

absl::Status CheckReparationTransition(v1::ReparationComplianceStatus from,
                                       v1::ReparationComplianceStatus to);

// The statuses `caller` may set a reparation measure in `from` to: none if
// her roles do not allow SetReparationMeasureStatus or the case is CLOSED.
std::vector<v1::ReparationComplianceStatus> AllowedNextReparationStatuses(
    const auth::Principal& caller, v1::CaseStatus case_status,
    v1::ReparationComplianceStatus from);

}  // namespace resguardo::cases

#endif  // RESGUARDO_SERVICES_CASES_RESOLUTION_RULES_H_
