// A case's views as the API returns them to a caller: its protection
// measures and the BASIC view (descriptors, measures, times, etag; no
// personal data), for one case or a page of them, each with the statuses
// that caller may move the case and its measures to now
// (allowed_next_statuses: case_transitions.h, measure_transitions.h).
// Internal to services/cases.
#ifndef RESGUARDO_SERVICES_CASES_INTERNAL_CASE_VIEWS_H_
#define RESGUARDO_SERVICES_CASES_INTERNAL_CASE_VIEWS_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "resguardo/v1/case.pb.h"
#include "services/auth/access_policy.h"
#include "services/cases/internal/case_row.h"
#include "services/store/statement.h"
#include "services/store/transaction.h"

namespace resguardo::cases::internal {

inline constexpr char kMeasureColumns[] =
    "seq, type, status, issuing_authority, issue_date, expiry_date, "
    "create_time";

// The measure in kMeasureColumns, from column `first` of the row on.
absl::StatusOr<v1::ProtectionMeasure> ReadMeasure(const store::Statement& s,
                                                  absl::string_view case_name,
                                                  int first = 0);

// The case's protection measures in order.
absl::StatusOr<std::vector<v1::ProtectionMeasure>> LoadMeasures(
    store::ReadTxn& txn, const CaseRow& row);

// Sets the measure's allowed_next_statuses for `caller`, the measure being
// of a case in `case_status`.
void SetAllowedNextStatuses(const auth::Principal& caller,
                            v1::CaseStatus case_status,
                            v1::ProtectionMeasure& measure);

v1::Case BasicView(const auth::Principal& caller, const CaseRow& row,
                   std::vector<v1::ProtectionMeasure> measures);

// The BASIC view of `row`, its measures and resolutions (without their
// sealed fields) read.
absl::StatusOr<v1::Case> LoadBasicView(store::ReadTxn& txn,
                                       const auth::Principal& caller,
                                       const CaseRow& row);

// The BASIC views of `rows` (whose codes are not loaded yet), codes and
// measures read a batch of cases per query.
absl::StatusOr<std::vector<v1::Case>> LoadListViews(
    store::ReadTxn& txn, const auth::Principal& caller,
    std::vector<CaseRow>& rows);

}  // namespace resguardo::cases::internal

#endif  // RESGUARDO_SERVICES_CASES_INTERNAL_CASE_VIEWS_H_
