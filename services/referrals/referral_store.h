// ReferralStore: referrals (canalizaciones) of cases between the node's
// institutions, with the victim's consent, under need-to-know (DESIGN.md §3,
// §4; issue 4). The domain logic under ReferralService; no gRPC here. Each
// operation runs in the caller's store transaction, takes the caller's
// auth::Principal and the v1 request, validates the request first
// (referral_validator.h) and makes every check (lookups, key unwrapping,
// sealing) before its first change, so that the server can run it without a
// savepoint (store::Database::Isolation::kChecksFirst).
//
// Sides. A referral is institutions/{sender}/referrals/{id}. The sending and
// the receiving institution address it by that name; for any other
// institution, and for a referral that does not exist, every operation
// answers NOT_FOUND "referral not found" (the same message).
//
// Consent. CreateReferral needs exactly one of:
//   - consent (given_by, method, give_time not in the future, scope);
//   - risk_override (reason 10–2000 characters, scope): callers with the
//     supervisor role only (PERMISSION_DENIED otherwise), and only for a case
//     of HIGH or CRITICAL risk (FAILED_PRECONDITION otherwise). The audit
//     entry's note is kOverrideAuditNote; the reason is sealed for the
//     sending institution only (never audited, never returned).
// Neither: FAILED_PRECONDITION "the victim's consent is required ...".
// The case must be the caller's institution's (NOT_FOUND "case not found"
// otherwise), not closed and not erased (FAILED_PRECONDITION).
//
// The receiver's copy. At creation the scope's fields of the case's personal
// data (SharedSubset) and the note are serialized as a v1::Referral holding
// only shared_data and note, sealed under a fresh DEK with
// RecordContext{kSharedDataPurpose, receiving institution, referral name, 1}
// (the copy is written once and never changes; the 1 is its own version),
// and the DEK is wrapped by the RECEIVING institution's KEK (key name = the
// referral name) into referral_keys(referral, holder = receiver). The
// sender's copy of nothing: the sender reads its own case.
//
// Reads. BASIC (both sides): descriptors, consent metadata, deadlines,
// status. FULL: receiving institution only (PERMISSION_DENIED for the
// sender: it reads its own case), caseworker or supervisor, with a purpose
// (INVALID_ARGUMENT "purpose" without one); returns shared_data (only the
// scope's fields: the others are not in the copy) and note. After
// withdrawal FULL fails with FAILED_PRECONDITION "the shared data of this
// referral was destroyed" (the referral itself still exists for both sides,
// so NOT_FOUND would be false).
//
// Transitions (FAILED_PRECONDITION "a referral in status X cannot ..."
// otherwise; the etag is required, stale → ABORTED):
//   Accept    PENDING → ACCEPTED       receiver
//   Reject    PENDING → REJECTED       receiver, reason code; destroys
//             the receiver's copy as Withdraw does (no need to know)
//   Complete  ACCEPTED → COMPLETED     receiver, outcome code
//   Withdraw  PENDING|ACCEPTED → WITHDRAWN: sender (SENDER_DECISION or
//             CONSENT_WITHDRAWN), receiver (CONSENT_WITHDRAWN only,
//             PERMISSION_DENIED otherwise). Deletes the receiver's wrapped
//             DEK and its sealed copy in the same transaction.
// The wrong side gets PERMISSION_DENIED "only the receiving institution
// may ..." (it can see the referral, so this reveals nothing).
//
// Alerts. CreateReferral raises NEW_REFERRAL to the receiver
// (alert_store.h) in the same transaction.
//
// Errors never contain personal data.
//
// Thread safety: thread-safe. Ownership: the Directory, the CaseStore and
// the clock are borrowed and must outlive the ReferralStore.
#ifndef RESGUARDO_SERVICES_REFERRALS_REFERRAL_STORE_H_
#define RESGUARDO_SERVICES_REFERRALS_REFERRAL_STORE_H_

#include <memory>

#include "absl/status/statusor.h"
#include "base/clock.h"
#include "resguardo/v1/referral_service.pb.h"
#include "services/admin/directory.h"
#include "services/auth/access_policy.h"
#include "services/cases/case_store.h"
#include "services/referrals/deadline_policy.h"
#include "services/store/transaction.h"

namespace resguardo::referrals {

class ReferralStore {
 public:
  static constexpr char kSharedDataPurpose[] = "referral.shared_data";
  static constexpr char kSenderNotesPurpose[] = "referral.sender_notes";
  static constexpr char kFollowUpNotesPurpose[] = "referral.follow_up";
  static constexpr char kOverrideAuditNote[] = "override:imminent-risk";
  static constexpr int kDefaultPageSize = 50;
  static constexpr int kMaxPageSize = 500;

  // INVALID_ARGUMENT for a null pointer.
  static absl::StatusOr<std::unique_ptr<ReferralStore>> New(
      admin::Directory* directory, cases::CaseStore* cases,
      DeadlinePolicy policy, const Clock* clock);

  ReferralStore(const ReferralStore&) = delete;
  ReferralStore& operator=(const ReferralStore&) = delete;

  // A retry (the caller's request_id with the same request): returns that
  // referral (BASIC) and writes nothing; the caller's request_id reused for
  // another request: INVALID_ARGUMENT naming request_id
  // (cases/request_ids.h). `override_used` is set to whether
  // a new referral was made under a risk override (for the audit note).
  absl::StatusOr<v1::Referral> CreateReferral(
      store::WriteTxn& txn, const auth::Principal& caller,
      const v1::CreateReferralRequest& request, bool* override_used);
  absl::StatusOr<v1::Referral> GetReferral(
      store::ReadTxn& txn, const auth::Principal& caller,
      const v1::GetReferralRequest& request) const;
  // Newest first; the page token is bound to the parent, box and filters.
  absl::StatusOr<v1::ListReferralsResponse> ListReferrals(
      store::ReadTxn& txn, const auth::Principal& caller,
      const v1::ListReferralsRequest& request) const;
  absl::StatusOr<v1::Referral> AcceptReferral(
      store::WriteTxn& txn, const auth::Principal& caller,
      const v1::AcceptReferralRequest& request);
  absl::StatusOr<v1::Referral> RejectReferral(
      store::WriteTxn& txn, const auth::Principal& caller,
      const v1::RejectReferralRequest& request);
  absl::StatusOr<v1::Referral> CompleteReferral(
      store::WriteTxn& txn, const auth::Principal& caller,
      const v1::CompleteReferralRequest& request);
  absl::StatusOr<v1::Referral> WithdrawReferral(
      store::WriteTxn& txn, const auth::Principal& caller,
      const v1::WithdrawReferralRequest& request);
  // Receiving institution only (PERMISSION_DENIED for the sender), on an
  // ACCEPTED or COMPLETED referral (FAILED_PRECONDITION otherwise). Notes
  // sealed under a fresh DEK wrapped by the receiver's KEK, context
  // {kFollowUpNotesPurpose, receiver, follow-up name, 1}.
  absl::StatusOr<v1::ReferralFollowUp> AddReferralFollowUp(
      store::WriteTxn& txn, const auth::Principal& caller,
      const v1::AddReferralFollowUpRequest& request);
  // Both sides; notes only for the receiving institution with a purpose
  // (PERMISSION_DENIED for the sender asking with one). Paged as
  // ListReferrals (kDefaultPageSize, kMaxPageSize), in order of seq.
  absl::StatusOr<v1::ListReferralFollowUpsResponse> ListReferralFollowUps(
      store::ReadTxn& txn, const auth::Principal& caller,
      const v1::ListReferralFollowUpsRequest& request) const;

  // The fields of `data` that `scope` lets travel (the others empty).
  static v1::CasePersonalData SharedSubset(const v1::CasePersonalData& data,
                                           v1::SharingScope scope);
  static bool ReadsSealedData(const v1::GetReferralRequest& request);
  static bool ReadsSealedData(const v1::ListReferralFollowUpsRequest& request);

  const DeadlinePolicy& policy() const { return policy_; }

 private:
  ReferralStore(admin::Directory* directory, cases::CaseStore* cases,
                DeadlinePolicy policy, const Clock* clock)
      : directory_(directory),
        cases_(cases),
        policy_(std::move(policy)),
        clock_(clock) {}

  struct Transition;
  absl::StatusOr<v1::Referral> Apply(store::WriteTxn& txn,
                                     const auth::Principal& caller,
                                     const Transition& transition);

  admin::Directory* const directory_;
  cases::CaseStore* const cases_;
  const DeadlinePolicy policy_;
  const Clock* const clock_;
};

}  // namespace resguardo::referrals

#endif  // RESGUARDO_SERVICES_REFERRALS_REFERRAL_STORE_H_
