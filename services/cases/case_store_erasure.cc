// CaseStore::EraseCasePersonalData: crypto-shredding of a case's personal data.

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/status_macros.h"
#include "services/cases/case_store.h"
#include "services/cases/case_validator.h"
#include "services/cases/internal/case_row.h"
#include "services/cases/internal/case_views.h"
#include "services/store/statement.h"

namespace resguardo::cases {
namespace {

using internal::CaseRow;
using internal::CheckEtag;
using internal::kCaseErased;
using internal::LoadBasicView;
using internal::LoadVisibleCase;
using internal::NowMicros;
using internal::UpdateCaseRow;

}  // namespace

absl::StatusOr<v1::Case> CaseStore::EraseCasePersonalData(
    store::WriteTxn& txn, const auth::Principal& caller,
    const v1::EraseCasePersonalDataRequest& request) {
  RETURN_IF_ERROR(ValidateEraseCasePersonalData(request));
  ASSIGN_OR_RETURN(CaseRow row, LoadVisibleCase(txn, caller, request.name()));
  RETURN_IF_ERROR(CheckEtag(row, request.etag()));
  if (row.erased) return absl::FailedPreconditionError(kCaseErased);
  // Crypto-shredding: the wrapped DEK goes, and with it every ciphertext;
  // the ciphertexts are deleted too (secure_delete overwrites them).
  row.wrapped_dek.reset();
  row.sealed_personal_data.reset();
  row.person_key.reset();
  row.erased = true;
  row.version += 1;
  row.update_time = NowMicros(clock_);
  RETURN_IF_ERROR(UpdateCaseRow(txn, row));
  ASSIGN_OR_RETURN(store::Statement notes,
                   txn.Prepare("UPDATE follow_ups SET sealed_notes = NULL "
                               "WHERE case_id = ?1"));
  RETURN_IF_ERROR(notes.BindInt64(1, row.id));
  RETURN_IF_ERROR(notes.Run());
  // The resolutions' sealed fields go too; their coded fields stay.
  for (const char* sql :
       {"UPDATE resolutions SET sealed_notes = NULL WHERE case_id = ?1",
        "UPDATE reparation_measures SET sealed_description = NULL WHERE "
        "case_id = ?1"}) {
    ASSIGN_OR_RETURN(store::Statement sealed, txn.Prepare(sql));
    RETURN_IF_ERROR(sealed.BindInt64(1, row.id));
    RETURN_IF_ERROR(sealed.Run());
  }
  // The erasure reaches every institution the case was referred to: the
  // copies its referrals gave them (services/referrals) and their wrapped
  // keys go in the same transaction; those referrals stay, with their
  // shared data destroyed.
  ASSIGN_OR_RETURN(store::Statement keys,
                   txn.Prepare("DELETE FROM referral_keys WHERE referral_id IN "
                               "(SELECT id FROM referrals WHERE sending = ?1 "
                               "AND case_folio = ?2)"));
  RETURN_IF_ERROR(keys.BindText(1, row.institution));
  RETURN_IF_ERROR(keys.BindText(2, row.folio));
  RETURN_IF_ERROR(keys.Run());
  ASSIGN_OR_RETURN(
      store::Statement copies,
      txn.Prepare("UPDATE referrals SET sealed_shared = NULL, version = "
                  "version + 1, update_time = ?3 WHERE sending = ?1 AND "
                  "case_folio = ?2 AND sealed_shared IS NOT NULL"));
  RETURN_IF_ERROR(copies.BindText(1, row.institution));
  RETURN_IF_ERROR(copies.BindText(2, row.folio));
  RETURN_IF_ERROR(copies.BindInt64(3, row.update_time));
  RETURN_IF_ERROR(copies.Run());
  return LoadBasicView(txn, caller, row);
}

}  // namespace resguardo::cases
