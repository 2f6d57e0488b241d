// The cases row: the columns of a case and their mapping to API values,
// reading, finding and writing a row with its codes (case_codes and the
// codes' masks), and the look-up of a case the caller may see. Internal to
// services/cases (CaseStore's files); nothing outside uses it.
#ifndef RESGUARDO_SERVICES_CASES_INTERNAL_CASE_ROW_H_
#define RESGUARDO_SERVICES_CASES_INTERNAL_CASE_ROW_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "base/clock.h"
#include "google/type/date.pb.h"
#include "resguardo/v1/case.pb.h"
#include "services/api/resource_names.h"
#include "services/auth/access_policy.h"
#include "services/store/statement.h"
#include "services/store/transaction.h"

namespace resguardo::cases::internal {

inline constexpr char kCaseNotFound[] = "case not found";
inline constexpr char kCaseChanged[] =
    "the case changed since you read it: read it again and retry";
inline constexpr char kOwnInstitutionOnly[] =
    "the caller may act only for her own institution";
inline constexpr char kCaseClosed[] = "the case is closed: reopen it first";
inline constexpr char kCaseErased[] =
    "the personal data of this case was already erased";

// The stored row of a case.
struct CaseRow {
  int64_t id = 0;
  std::string institution;
  std::string folio;
  v1::CaseDescriptors descriptors;  // status included; codes loaded apart
  int64_t status_before_close = 0;
  int64_t closure_reason = 0;
  int64_t create_time = 0;
  int64_t update_time = 0;
  int64_t version = 0;
  std::string creator;
  std::optional<std::string> wrapped_dek;
  std::optional<std::string> sealed_personal_data;
  std::optional<std::string> person_key;
  bool erased = false;
  std::optional<std::string> request_id;

  std::string name() const { return api::CaseResourceName(institution, folio); }
};

// kCaseColumns for lists, whose BASIC views need none of the key and
// sealed columns: NULL in their place spares copying them from every row.
inline constexpr char kCaseListColumns[] =
    "id, institution, folio, kind, status, status_before_close, "
    "closure_reason, state_code, municipality_code, reported_date, "
    "incident_month, victim_age_band, victim_position, territorial_level, "
    "normative_system, electoral_stage, aggressor_relation, aggressor_count, "
    "risk_level, filed_by_third_party, create_time, update_time, version, "
    "creator, NULL, NULL, NULL, personal_data_erased";

int64_t NowMicros(const Clock* clock);

// yyyymmdd (0 when unset); incident months are yyyymm00.
int64_t DateColumn(const google::type::Date& d);
void SetDate(int64_t column, google::type::Date* out);

absl::CivilDay Today(const Clock* clock);

// A row of `SELECT <kCaseColumns or kCaseListColumns>`, codes not loaded.
absl::StatusOr<CaseRow> ReadCaseRow(const store::Statement& s);

// Appends a stored case_codes row to the descriptors of `row`.
void AddCode(CaseRow& row, int64_t dimension, int64_t code);

// The case `institution`/`folio` with its codes, or nullopt.
absl::StatusOr<std::optional<CaseRow>> FindCase(store::ReadTxn& txn,
                                                absl::string_view institution,
                                                absl::string_view folio);

// Inserts `row` (row.id is set from the new rowid).
absl::Status InsertCase(store::WriteTxn& txn, CaseRow& row);

// Writes every mutable column of `row` (and its codes).
absl::Status UpdateCaseRow(store::WriteTxn& txn, const CaseRow& row);

// The case named `name` if the caller may see it; NOT_FOUND, the same for a
// case of another institution and for none, otherwise.
absl::StatusOr<CaseRow> LoadVisibleCase(store::ReadTxn& txn,
                                        const auth::Principal& caller,
                                        absl::string_view name);

// ABORTED kCaseChanged unless `etag` is the row's version.
absl::Status CheckEtag(const CaseRow& row, absl::string_view etag);

}  // namespace resguardo::cases::internal

#endif  // RESGUARDO_SERVICES_CASES_INTERNAL_CASE_ROW_H_
