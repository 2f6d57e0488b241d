// CaseStore::SetProtectionMeasureStatus: a protection measure's status
// along measure_transitions.h, and its expiry when extended.
#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "services/api/field_violations.h"
#include "services/api/resource_names.h"
#include "services/cases/case_store.h"
#include "services/cases/case_validator.h"
#include "services/cases/internal/case_row.h"
#include "services/cases/internal/case_sealing.h"
#include "services/cases/internal/case_views.h"
#include "services/cases/measure_transitions.h"
#include "services/store/statement.h"

namespace resguardo::cases {

absl::StatusOr<v1::Case> CaseStore::SetProtectionMeasureStatus(
    store::WriteTxn& txn, const auth::Principal& caller,
    const v1::SetProtectionMeasureStatusRequest& request) {
  RETURN_IF_ERROR(ValidateSetProtectionMeasureStatus(request));
  const api::MeasureName name = *api::ParseMeasureName(request.name());
  ASSIGN_OR_RETURN(internal::CaseRow row,
                   internal::LoadVisibleCase(
                       txn, caller,
                       api::CaseResourceName(name.case_name.institution,
                                             name.case_name.folio)));
  ASSIGN_OR_RETURN(
      store::Statement find,
      txn.Prepare(absl::StrCat("SELECT ", internal::kMeasureColumns,
                               " FROM protection_measures WHERE case_id = ?1 "
                               "AND seq = ?2")));
  RETURN_IF_ERROR(find.BindInt64(1, row.id));
  RETURN_IF_ERROR(find.BindInt64(2, name.seq));
  ASSIGN_OR_RETURN(bool found, find.Step());
  if (!found) return absl::NotFoundError("protection measure not found");
  ASSIGN_OR_RETURN(v1::ProtectionMeasure measure,
                   internal::ReadMeasure(find, row.name()));
  RETURN_IF_ERROR(find.Reset());
  RETURN_IF_ERROR(internal::CheckEtag(row, request.etag()));
  if (row.descriptors.status() == v1::CASE_STATUS_CLOSED) {
    return absl::FailedPreconditionError(internal::kCaseClosed);
  }
  RETURN_IF_ERROR(CheckMeasureTransition(measure.status(), request.status(),
                                         measure.has_expiry_date()));
  // The new expiry: later than the one it extends; not before the issue.
  int64_t expiry = internal::DateColumn(measure.expiry_date());
  if (request.has_expiry_date()) {
    const int64_t wanted = internal::DateColumn(request.expiry_date());
    api::FieldViolations v;
    if (request.status() == v1::PROTECTION_MEASURE_STATUS_EXTENDED &&
        wanted <= expiry) {
      v.Add("expiry_date", "must be after the current expiry date");
    } else if (wanted < internal::DateColumn(measure.issue_date())) {
      v.Add("expiry_date", "must not be before the issue date");
    }
    RETURN_IF_ERROR(v.ToStatus());
    expiry = wanted;
  }

  // The measure is part of the Case resource: a new version, re-sealed
  // before the first change (store::Database::Isolation::kChecksFirst).
  RETURN_IF_ERROR(internal::BumpVersion(*directory_, txn, row,
                                        internal::NowMicros(clock_)));
  ASSIGN_OR_RETURN(store::Statement update,
                   txn.Prepare("UPDATE protection_measures SET status = ?3, "
                               "expiry_date = ?4 WHERE case_id = ?1 AND "
                               "seq = ?2"));
  RETURN_IF_ERROR(update.BindInt64(1, row.id));
  RETURN_IF_ERROR(update.BindInt64(2, name.seq));
  RETURN_IF_ERROR(update.BindInt64(3, request.status()));
  RETURN_IF_ERROR(update.BindInt64(4, expiry));
  RETURN_IF_ERROR(update.Run());
  RETURN_IF_ERROR(internal::UpdateCaseRow(txn, row));
  return internal::LoadBasicView(txn, caller, row);
}

}  // namespace resguardo::cases
