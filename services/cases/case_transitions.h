// The legal status transitions of a case along the route of DOMAIN.md: the
// political-violence route (special sanctioning procedure) and the shorter
// GBV route. One table, consulted by CaseStore::UpdateCase; CloseCase's
// and ReopenCase's rules are here too, and AllowedNextStatuses answers from
// these same functions which moves a caller may make (Case.
// allowed_next_statuses), so that no client and no other file copies them.
//
//   from                   to (POLITICAL_VIOLENCE)            to (GBV)
//   RECEIVED               PENDING_RATIFICATION, FIRST_CONTACT  same
//   PENDING_RATIFICATION   FIRST_CONTACT                        same
//   FIRST_CONTACT          ADMISSIBILITY                        —
//   ADMISSIBILITY          DISMISSED, REROUTED, ADMITTED        —
//   ADMITTED               INVESTIGATION                        —
//   INVESTIGATION          SENT_TO_COURT                        —
//   SENT_TO_COURT          RESOLVED                             —
//   RESOLVED               APPEALED, FINAL                      —
//   APPEALED               RESOLVED (remanded), FINAL           —
//   FINAL                  REGISTERED, COMPLIANCE_MONITORING    —
//   REGISTERED             DELISTED                             —
//   DELISTED               COMPLIANCE_MONITORING                —
//
// REGISTERED and DELISTED are the registry's moves (a move by the node:
// CaseStore::SetRegistryStatus): a case is REGISTERED at its first
// inscription and stays so while any of its registry entries is in force;
// it is DELISTED when the last one ends. So no update moves a case out of
// REGISTERED (closing it is CloseCase's, allowed from any status: the
// registry entries stay in force and a closed case reopens in the status
// the registry left it).
//
// CLOSED is reached only through CloseCase (from any status but CLOSED,
// including a declined ratification: PENDING_RATIFICATION → CLOSED with
// reason NOT_RATIFIED) and left only through ReopenCase (back to the status
// before the closure). "Staying" (from == to) is not a transition and is
// always allowed.
//
// Pure functions over a constant table; thread-safe.
#ifndef RESGUARDO_SERVICES_CASES_CASE_TRANSITIONS_H_
#define RESGUARDO_SERVICES_CASES_CASE_TRANSITIONS_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "resguardo/v1/catalogues.pb.h"
#include "services/auth/access_policy.h"

namespace resguardo::cases {

// True if UpdateCase may move a case of `kind` from `from` to `to`
// (from == to included). Never true for CLOSED on either side (when
// from != to).
bool IsLegalTransition(v1::CaseKind kind, v1::CaseStatus from,
                       v1::CaseStatus to);

// OK if legal; otherwise FAILED_PRECONDITION naming both statuses, e.g.
// "a case cannot move from CASE_STATUS_RECEIVED to CASE_STATUS_RESOLVED".
// Moving to or from CLOSED says to use CloseCase / ReopenCase.
absl::Status CheckTransition(v1::CaseKind kind, v1::CaseStatus from,
                             v1::CaseStatus to);

// The statuses reachable from `from` in one UpdateCase (for clients that
// offer a choice), excluding `from` itself.
// CheckTransition for a user's UpdateCase: REGISTERED and DELISTED are set
// only by the registry (CaseStore::SetRegistryStatus, a move by the node),
// so a user asking for them gets FAILED_PRECONDITION with the catalogue's
// kCaseStatusByRegistry; a user moving a REGISTERED case elsewhere, while
// its registry entries are in force, kCaseRegistryInForce; any other move
// as CheckTransition.
absl::Status CheckUserTransition(v1::CaseKind kind, v1::CaseStatus from,
                                 v1::CaseStatus to);

// Whether only the registry sets `status` (REGISTERED, DELISTED).
bool IsRegistryStatus(v1::CaseStatus status);

std::vector<v1::CaseStatus> NextStatuses(v1::CaseKind kind,
                                         v1::CaseStatus from);

// CloseCase's rule: OK unless the case is already CLOSED
// (FAILED_PRECONDITION "the case is already closed").
absl::Status CheckClose(v1::CaseStatus from);

// ReopenCase's rule: the status a case in `from`, closed from
// `before_close` (as stored), goes back to. FAILED_PRECONDITION "the case
// is not closed" unless `from` is CLOSED; DATA_LOSS when `before_close` is
// not a status a case can have been closed from.
absl::StatusOr<v1::CaseStatus> ReopenedStatus(v1::CaseStatus from,
                                              int64_t before_close);

// The statuses `caller` may move a case of `kind` in `from` (closed from
// `before_close`, when closed) to now, in this order: NextStatuses if her
// roles allow UpdateCase; CLOSED if they allow CloseCase and CheckClose
// passes; the ReopenedStatus if they allow ReopenCase and it is one. Roles
// are auth::AccessPolicy::Default()'s.
std::vector<v1::CaseStatus> AllowedNextStatuses(const auth::Principal& caller,
                                                v1::CaseKind kind,
                                                v1::CaseStatus from,
                                                int64_t before_close);

}  // namespace resguardo::cases

#endif  // RESGUARDO_SERVICES_CASES_CASE_TRANSITIONS_H_
