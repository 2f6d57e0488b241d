// CaseStore: the cases of the node's institutions — descriptors in columns,
// personal data and follow-up notes sealed per case (envelope encryption,
// DESIGN.md §3–4), follow-ups, protection measures, closure and erasure.
// The domain logic under CaseService; no gRPC here.
//
// Each operation runs in the caller's store transaction, takes the caller's
// auth::Principal and the v1 request, validates the request first
// (case_validator.h; today = the clock's UTC day) and returns v1 messages.
//
// Authorisation. The server checks the role × method table
// (auth::AccessPolicy) before calling; CaseStore scopes by institution:
//   - CreateCase / ListCases into another institution's parent:
//     PERMISSION_DENIED ("the caller may act only for her own institution");
//   - any operation on a case of another institution, and on a case that
//     does not exist: NOT_FOUND with the SAME message ("case not found"), so
//     that the answer does not reveal whether the case exists.
//
// Versions and etags. A case's etag is its version as a decimal string.
// Writes that change the Case resource (UpdateCase, AddProtectionMeasure,
// SetProtectionMeasureStatus, CloseCase, ReopenCase, EraseCasePersonalData,
// and every resolution write)
// bump the version and, while
// the personal data exists, re-seal it under the new version (a ciphertext
// rolled back to an older row does not open). Update/Close/Reopen/Erase
// and SetProtectionMeasureStatus require the etag: stale → ABORTED "the
// case changed since you read it".
// AddFollowUp does not change the Case resource and does not bump it.
//
// Sealing. Every case has its own DEK, wrapped by its institution's KEK
// (key name = the case's resource name). Personal data: a serialized
// v1::CasePersonalData sealed with RecordContext{"case.personal_data",
// institution id, case resource name, version}. Follow-up notes:
// RecordContext{"case.follow_up", institution id, follow-up resource name,
// 1}. A person key (person_key.h) is stored beside the case.
//
// Views. Every operation returns the BASIC view (descriptors, protection
// measures, resolutions without their sealed fields — ListCases' views
// carry no resolutions —, times, etag, no personal data; with the statuses
// the caller
// may move the case and each measure to: allowed_next_statuses) except GetCase
// with view FULL, which requires a purpose and returns the personal data and
// the resolutions' sealed fields (none once erased: personal_data_erased is
// true and personal_data empty).
//
// Audit (for the server's per-call wrapper). The audit entry's resource is:
//   CreateCase            the returned Case.name (request.parent on failure)
//   AddFollowUp           the returned FollowUp.name (request.parent on
//                         failure); AddProtectionMeasure, AddResolution,
//                         FileAppeal and AddReparationMeasure likewise
//   UpdateResolution      request.resolution.name
//   ListCases             request.parent; ListFollowUps request.parent
//   UpdateCase            request.case_record.name
//   others                request.name (SetProtectionMeasureStatus: the
//                         measure's)
// and its purpose is request.purpose for GetCase (FULL) and ListFollowUps.
// Every write operation makes all its checks (validation, lookups, key
// unwrapping, sealing) before its first change, so that the server can run
// it without a savepoint (store::Database::Isolation::kChecksFirst): an
// error after a change can only be damage or a bug.
//
// Writes: call the operation and AuditLog::Append in the same
// Database::Write function; if the operation fails, return its error from
// the function (nothing is written) and record the refusal with
// AuditLog::AppendDurably. Reads of sealed data (GetCase FULL,
// ListFollowUps with a purpose — see ReadsSealedData): run the read, then
// AppendDurably the entry (or, for a read run read-only inside a
// Database::Write, Append it in that same function), and only then send
// the data; if the append fails, fail the call.
//
// Errors never contain personal data (nor folios of other institutions).
// Other codes: INVALID_ARGUMENT naming the field (incl. "page_token"),
// FAILED_PRECONDITION for an illegal transition or an operation a closed or
// erased case does not allow; the store's and crypto's errors (INTERNAL,
// DATA_LOSS) otherwise.
//
// Thread safety: thread-safe. Ownership: the Directory and the clock are not
// owned and must outlive the CaseStore; the KeyProvider is used only in
// New().
#ifndef RESGUARDO_SERVICES_CASES_CASE_STORE_H_
#define RESGUARDO_SERVICES_CASES_CASE_STORE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "base/clock.h"
#include "crypto/key_provider.h"
#include "resguardo/v1/case.pb.h"
#include "resguardo/v1/case_service.pb.h"
#include "services/admin/directory.h"
#include "services/auth/access_policy.h"
#include "services/cases/person_key.h"
#include "services/cases/request_ids.h"
#include "services/store/transaction.h"

namespace resguardo::cases {

class CaseStore {
 public:
  // Purpose labels of the RecordContexts (stable: stored ciphertexts depend
  // on them).
  static constexpr char kPersonalDataPurpose[] = "case.personal_data";
  static constexpr char kFollowUpPurpose[] = "case.follow_up";
  // ListCases: page_size 0 means this; more than kMaxPageSize means
  // kMaxPageSize (AIP-158).
  static constexpr int kDefaultPageSize = 50;
  static constexpr int kMaxPageSize = 500;

  // Errors: INVALID_ARGUMENT for a null directory or clock; the provider's.
  static absl::StatusOr<std::unique_ptr<CaseStore>> New(
      admin::Directory* directory, const crypto::KeyProvider& keys,
      const Clock* clock);

  CaseStore(const CaseStore&) = delete;
  CaseStore& operator=(const CaseStore&) = delete;

  // Registers a case in the caller's institution with folio
  // {INSTITUTION}-{UTC year}-{000001…} (a counter per institution and year).
  // Status RECEIVED, or PENDING_RATIFICATION when filed_by_third_party; the
  // status and other output-only fields of the request are ignored. A retry
  // (the caller's request_id with the same request) returns the case made
  // first (current BASIC view) and writes nothing; the caller's request_id
  // reused for another request is INVALID_ARGUMENT naming request_id
  // (request_ids.h). A colleague's request ids are not the caller's.
  absl::StatusOr<v1::Case> CreateCase(store::WriteTxn& txn,
                                      const auth::Principal& caller,
                                      const v1::CreateCaseRequest& request);

  // BASIC or FULL (FULL needs request.purpose: INVALID_ARGUMENT on
  // "purpose" otherwise). DATA_LOSS / INTERNAL if the sealed data does not
  // open.
  absl::StatusOr<v1::Case> GetCase(store::ReadTxn& txn,
                                   const auth::Principal& caller,
                                   const v1::GetCaseRequest& request) const;

  // The institution's cases (BASIC view) in creation order, filtered (each
  // repeated filter matches any of its values; reported_from/to inclusive).
  // The page token is bound to the parent and the filters: reused with
  // others it is INVALID_ARGUMENT on "page_token".
  absl::StatusOr<v1::ListCasesResponse> ListCases(
      store::ReadTxn& txn, const auth::Principal& caller,
      const v1::ListCasesRequest& request) const;

  // Applies the fields of update_mask (descriptors.*, personal_data.*,
  // descriptors.status along case_transitions.h). FAILED_PRECONDITION on a
  // closed case, on personal_data paths of an erased case, and for an
  // illegal transition (naming both statuses).
  absl::StatusOr<v1::Case> UpdateCase(store::WriteTxn& txn,
                                      const auth::Principal& caller,
                                      const v1::UpdateCaseRequest& request);

  // Adds a follow-up (author = the caller; notes sealed). FAILED_PRECONDITION
  // on a closed case, and for notes on an erased case. request_id as for
  // CreateCase.
  absl::StatusOr<v1::FollowUp> AddFollowUp(
      store::WriteTxn& txn, const auth::Principal& caller,
      const v1::AddFollowUpRequest& request);

  // The case's follow-ups in order; notes only when request.purpose is set
  // (and the case is not erased).
  absl::StatusOr<v1::ListFollowUpsResponse> ListFollowUps(
      store::ReadTxn& txn, const auth::Principal& caller,
      const v1::ListFollowUpsRequest& request) const;

  // FAILED_PRECONDITION on a closed case. request_id as for CreateCase.
  absl::StatusOr<v1::ProtectionMeasure> AddProtectionMeasure(
      store::WriteTxn& txn, const auth::Principal& caller,
      const v1::AddProtectionMeasureRequest& request);

  // Moves the measure request.name to request.status along
  // measure_transitions.h (FAILED_PRECONDITION otherwise, and on a closed
  // case), with request.expiry_date when given (an extension's must be after
  // the current expiry; none may be before the issue date: INVALID_ARGUMENT
  // on "expiry_date"). The measure is part of the case: request.etag is the
  // case's (stale: ABORTED) and the case's version is bumped. NOT_FOUND
  // "protection measure not found" for a measure the case does not have.
  // Returns the case (BASIC view).
  absl::StatusOr<v1::Case> SetProtectionMeasureStatus(
      store::WriteTxn& txn, const auth::Principal& caller,
      const v1::SetProtectionMeasureStatusRequest& request);

  // FAILED_PRECONDITION "the case is already closed". Remembers the status
  // before the closure and the reason.
  absl::StatusOr<v1::Case> CloseCase(store::WriteTxn& txn,
                                     const auth::Principal& caller,
                                     const v1::CloseCaseRequest& request);

  // FAILED_PRECONDITION "the case is not closed". Back to the status before
  // the closure; the closure reason is cleared.
  absl::StatusOr<v1::Case> ReopenCase(store::WriteTxn& txn,
                                      const auth::Principal& caller,
                                      const v1::ReopenCaseRequest& request);

  // Crypto-shredding: deletes the wrapped DEK, the sealed personal data,
  // every follow-up's sealed notes and the person key; the descriptors,
  // follow-ups' descriptors, protection measures and the audit trail stay.
  // FAILED_PRECONDITION "the personal data of this case was already erased".
  absl::StatusOr<v1::Case> EraseCasePersonalData(
      store::WriteTxn& txn, const auth::Principal& caller,
      const v1::EraseCasePersonalDataRequest& request);

  // Resolutions (case_store_resolutions.cc; the rules: resolution_rules.h,
  // the fields: resolution_validator.h). Each write bumps the case's
  // version; FAILED_PRECONDITION on a closed case. The sealed fields (a
  // resolution's notes, a reparation measure's description) are sealed
  // under the case's DEK: FAILED_PRECONDITION on an erased case when one is
  // given. NOT_FOUND "resolution not found" / "appeal not found" /
  // "reparation measure not found" for a record the case does not have.
  // Dates: a resolution not before the case's reported_date (INVALID_ARGUMENT
  // on "resolution.resolution_date"); a measure's due date, an appeal's
  // filing and the final date not before the resolution's; an appeal's
  // outcome not before its filing; the final date not before the last
  // appeal's outcome. request_id as for CreateCase.
  absl::StatusOr<v1::Resolution> AddResolution(
      store::WriteTxn& txn, const auth::Principal& caller,
      const v1::AddResolutionRequest& request);
  absl::StatusOr<v1::Case> UpdateResolution(
      store::WriteTxn& txn, const auth::Principal& caller,
      const v1::UpdateResolutionRequest& request);
  absl::StatusOr<v1::Appeal> FileAppeal(store::WriteTxn& txn,
                                        const auth::Principal& caller,
                                        const v1::FileAppealRequest& request);
  absl::StatusOr<v1::Case> DecideAppeal(store::WriteTxn& txn,
                                        const auth::Principal& caller,
                                        const v1::DecideAppealRequest& request);
  absl::StatusOr<v1::Case> SetResolutionFinal(
      store::WriteTxn& txn, const auth::Principal& caller,
      const v1::SetResolutionFinalRequest& request);
  absl::StatusOr<v1::ReparationMeasure> AddReparationMeasure(
      store::WriteTxn& txn, const auth::Principal& caller,
      const v1::AddReparationMeasureRequest& request);
  absl::StatusOr<v1::Case> SetReparationMeasureStatus(
      store::WriteTxn& txn, const auth::Principal& caller,
      const v1::SetReparationMeasureStatusRequest& request);
  // What the registry of sanctioned persons (services/registry) takes from
  // a case to inscribe one of its resolution's sanctioned persons.
  struct InscriptionSource {
    std::string institution;
    // The case's row id (for the registry's rows).
    int64_t case_row_id = 0;
    // The case's BASIC view (descriptors, resolutions, etag).
    v1::Case case_view;
    // The resolution and the sanctioned person named by the request.
    v1::Resolution resolution;
    v1::SanctionedPerson person;
    // aggressor_names[aggressor_index] of the case's sealed personal data.
    std::string person_name;
  };

  // Reads, for an inscription, the sanctioned person `sanctioned_person`
  // (institutions/{i}/cases/{folio}/resolutions/{n}/sanctionedPersons/{k})
  // of a case of the caller's institution and the name the caller chose
  // among the case's sealed aggressor_names: a read of sealed data (the
  // caller audits it). NOT_FOUND "case not found" for a case of another
  // institution or none; NOT_FOUND naming the resolution or the sanctioned
  // person; INVALID_ARGUMENT on "aggressor_index" when the case has no such
  // name; FAILED_PRECONDITION kCaseErased once its personal data is erased.
  absl::StatusOr<InscriptionSource> ReadForInscription(
      store::ReadTxn& txn, const auth::Principal& caller,
      absl::string_view sanctioned_person, int aggressor_index) const;

  // The node's own move of the case `case_name` along the registry
  // (RegistryStore): to REGISTERED when a first person is inscribed, to
  // DELISTED when its last entry ends. Bumps the case's version (a new
  // etag). Nothing changes when the case is in `status` already, nor on
  // DELISTED when the case (or, closed, the status it will reopen in) is
  // not REGISTERED; a closed case stays closed and will reopen in `status`.
  // FAILED_PRECONDITION when case_transitions.h does not allow the move;
  // NOT_FOUND when the case does not exist.
  absl::Status SetRegistryStatus(store::WriteTxn& txn,
                                 absl::string_view case_name,
                                 v1::CaseStatus status);

  // True if answering `request` hands out sealed data (so its audit entry
  // must be durable first).
  static bool ReadsSealedData(const v1::GetCaseRequest& request);
  static bool ReadsSealedData(const v1::ListFollowUpsRequest& request);

  // The request ids of the node's create methods (request_ids.h), for the
  // other stores that take one (ReferralStore).
  const RequestIds& request_ids() const { return *request_ids_; }

 private:
  CaseStore(admin::Directory* directory, std::unique_ptr<PersonKeys> persons,
            std::unique_ptr<RequestIds> request_ids, const Clock* clock);

  admin::Directory* const directory_;
  const std::unique_ptr<PersonKeys> persons_;
  const std::unique_ptr<RequestIds> request_ids_;
  const Clock* const clock_;
};

}  // namespace resguardo::cases

#endif  // RESGUARDO_SERVICES_CASES_CASE_STORE_H_
