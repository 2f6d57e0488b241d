// RelatedCases: what a woman's other cases may tell the institution that
// reads one of hers (issue 19; DESIGN.md §3, the person key), and her
// consent to coordination between institutions that lets it name them.
//
// Two cases are related when they carry the same person key (person_key.h:
// the same CURP, or the same name and birth date, at any institution of the
// node). The answer never holds another case's folio, personal data,
// follow-ups or measures: only that it exists (own institution), how many
// there are (other institutions), and — with the consent recorded on the
// case read — which institutions hold them, with their status and dates.
//
// Who learns what (GetRelatedCases):
//   - registrar: only related_case_at_own_institution (to avoid a
//     duplicate);
//   - caseworker, supervisor: also the count of her cases at other
//     institutions and, for those the consent names, the institution, the
//     case's status, reported date and times.
// Shelters. Only public authorities — institutions of kind
// ELECTORAL_INSTITUTE or PROSECUTOR — are ever counted or named. A case
// held by any other institution (SERVICE_PROVIDER, which is what a shelter
// is; OVERSIGHT; an unknown kind) is left out entirely, so that neither a
// name nor a difference of counts can point at the shelter where she is.
// An institution that ever received a referral for the SHELTER service is
// left out too, whatever its kind.
// Erasure. A case whose personal data was erased has no person key
// (CaseStore::EraseCasePersonalData): asked about, it answers nothing;
// other cases never find it.
//
// Every operation runs in the caller's transaction and takes the caller's
// principal; the case is looked up as CaseStore does (NOT_FOUND "case not
// found" for another institution's or none). RecordConsent and
// WithdrawConsent bump the case's version (its etag; stale: ABORTED), make
// every check before their first change (store::Database::Isolation::
// kChecksFirst) and answer the case's BASIC view.
//
// Audit (for the server): the entry's resource is request.name; for Get its
// purpose is request.purpose (a read of personal data: its entry durable
// before the answer leaves). No entry holds the consent's content or
// another institution's name.
//
// Thread safety: thread-safe. Ownership: the Directory and the clock are
// borrowed and must outlive the object.
#ifndef RESGUARDO_SERVICES_CASES_RELATED_CASES_H_
#define RESGUARDO_SERVICES_CASES_RELATED_CASES_H_

#include <memory>

#include "absl/status/statusor.h"
#include "base/clock.h"
#include "resguardo/v1/case_service.pb.h"
#include "services/admin/directory.h"
#include "services/auth/access_policy.h"
#include "services/store/transaction.h"

namespace resguardo::cases {

class RelatedCases {
 public:
  // INVALID_ARGUMENT for a null directory or clock.
  static absl::StatusOr<std::unique_ptr<RelatedCases>> New(
      admin::Directory* directory, const Clock* clock);

  RelatedCases(const RelatedCases&) = delete;
  RelatedCases& operator=(const RelatedCases&) = delete;

  // What the caller may know of the woman's other cases (see above).
  // INVALID_ARGUMENT naming "name" or "purpose"; NOT_FOUND.
  absl::StatusOr<v1::RelatedCases> Get(
      store::ReadTxn& txn, const auth::Principal& caller,
      const v1::GetRelatedCasesRequest& request) const;

  // Records (or replaces) the consent. INVALID_ARGUMENT naming the field
  // (also "consent.institutions[i]" for an institution the node does not
  // have, or the case's own); FAILED_PRECONDITION on a closed or erased
  // case; ABORTED for a stale etag.
  absl::StatusOr<v1::Case> RecordConsent(
      store::WriteTxn& txn, const auth::Principal& caller,
      const v1::RecordCoordinationConsentRequest& request);

  // Deletes the consent. FAILED_PRECONDITION "no consent to coordination is
  // recorded on this case"; ABORTED for a stale etag.
  absl::StatusOr<v1::Case> WithdrawConsent(
      store::WriteTxn& txn, const auth::Principal& caller,
      const v1::WithdrawCoordinationConsentRequest& request);

 private:
  RelatedCases(admin::Directory* directory, const Clock* clock)
      : directory_(directory), clock_(clock) {}

  admin::Directory* const directory_;
  const Clock* const clock_;
};

}  // namespace resguardo::cases

#endif  // RESGUARDO_SERVICES_CASES_RELATED_CASES_H_
