#include "services/cases/internal/case_row.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "base/status_macros.h"
#include "services/api/error_catalogue.h"
#include "services/api/resource_names.h"
#include "services/schema/node_schema.h"
#include "services/store/statement.h"

namespace resguardo::cases::internal {
namespace {

using schema::CodeDimension;

// The multi-valued descriptors and their case_codes dimension.
struct Dimension {
  CodeDimension dimension;
  const google::protobuf::RepeatedField<int>& (*get)(
      const v1::CaseDescriptors&);
  google::protobuf::RepeatedField<int>* (*mutable_field)(v1::CaseDescriptors*);
};

const Dimension kDimensions[] = {
    {CodeDimension::kViolenceType,
     [](const v1::CaseDescriptors& d) -> const auto& {return d.violence_types();
}  // namespace
, [](v1::CaseDescriptors* d) { return d->mutable_violence_types(); }
}  // namespace resguardo::cases::internal
, {CodeDimension::kModality,
   [](const v1::CaseDescriptors& d) -> const auto& {return d.modalities();
}
, [](v1::CaseDescriptors* d) { return d->mutable_modalities(); }
}
, {CodeDimension::kConduct,
   [](const v1::CaseDescriptors& d) -> const auto& {return d.conducts();
}
, [](v1::CaseDescriptors* d) { return d->mutable_conducts(); }
}
, {CodeDimension::kGbvIncidentType,
   [](const v1::CaseDescriptors& d) -> const auto& {
                                        return d.gbv_incident_types();
}
, [](v1::CaseDescriptors* d) { return d->mutable_gbv_incident_types(); }
}
, {CodeDimension::kSelfIdentification,
   [](const v1::CaseDescriptors& d) -> const auto& {
                                        return d.self_identification();
}
, [](v1::CaseDescriptors* d) { return d->mutable_self_identification(); }
}
, {CodeDimension::kAggressorCategory,
   [](const v1::CaseDescriptors& d) -> const auto& {
                                        return d.aggressor_categories();
}
, [](v1::CaseDescriptors* d) { return d->mutable_aggressor_categories(); }
}
,
}
;

constexpr char kCaseColumns[] =
    "id, institution, folio, kind, status, status_before_close, "
    "closure_reason, state_code, municipality_code, reported_date, "
    "incident_month, victim_age_band, victim_position, territorial_level, "
    "normative_system, electoral_stage, aggressor_relation, aggressor_count, "
    "risk_level, filed_by_third_party, create_time, update_time, version, "
    "creator, wrapped_dek, sealed_personal_data, person_key, "
    "personal_data_erased";

absl::StatusOr<std::optional<std::string>> OptionalBlob(
    const store::Statement& s, int column) {
  if (s.ColumnIsNull(column)) return std::optional<std::string>();
  ASSIGN_OR_RETURN(absl::string_view blob, s.ColumnBlob(column));
  return std::optional<std::string>(std::string(blob));
}

absl::Status LoadCodes(store::ReadTxn& txn, CaseRow& row) {
  ASSIGN_OR_RETURN(store::Statement s,
                   txn.Prepare("SELECT dimension, code FROM case_codes "
                               "WHERE case_id = ?1 "
                               "ORDER BY dimension, position"));
  RETURN_IF_ERROR(s.BindInt64(1, row.id));
  while (true) {
    ASSIGN_OR_RETURN(bool found, s.Step());
    if (!found) break;
    ASSIGN_OR_RETURN(int64_t dimension, s.ColumnInt64(0));
    ASSIGN_OR_RETURN(int64_t code, s.ColumnInt64(1));
    AddCode(row, dimension, code);
  }
  return absl::OkStatus();
}

// A multi-valued dimension's codes as a bit mask, for the statistics scan
// (node_schema.cc migration 7). Their catalogues' codes are all below 63.
int64_t CodeMask(const google::protobuf::RepeatedField<int>& codes) {
  int64_t m = 0;
  for (int code : codes) {
    if (code >= 1 && code <= 62) m |= int64_t{1} << code;
  }
  return m;
}

// Binds the columns shared by INSERT and UPDATE (see WriteCaseRow), the
// codes' masks included: written with the row, not by a second UPDATE.
absl::Status BindCaseRow(store::Statement& s, const CaseRow& row) {
  const v1::CaseDescriptors& d = row.descriptors;
  auto blob = [&](int index, const std::optional<std::string>& value) {
    return value ? s.BindBlob(index, *value) : s.BindNull(index);
  };
  RETURN_IF_ERROR(s.BindText(1, row.institution));
  RETURN_IF_ERROR(s.BindText(2, row.folio));
  RETURN_IF_ERROR(s.BindInt64(3, d.kind()));
  RETURN_IF_ERROR(s.BindInt64(4, d.status()));
  RETURN_IF_ERROR(s.BindInt64(5, row.status_before_close));
  RETURN_IF_ERROR(s.BindInt64(6, row.closure_reason));
  RETURN_IF_ERROR(s.BindText(7, d.state_code()));
  RETURN_IF_ERROR(s.BindText(8, d.municipality_code()));
  RETURN_IF_ERROR(s.BindInt64(9, DateColumn(d.reported_date())));
  RETURN_IF_ERROR(s.BindInt64(10, DateColumn(d.incident_month())));
  RETURN_IF_ERROR(s.BindInt64(11, d.victim_age_band()));
  RETURN_IF_ERROR(s.BindInt64(12, d.victim_position()));
  RETURN_IF_ERROR(s.BindInt64(13, d.territorial_level()));
  RETURN_IF_ERROR(s.BindInt64(14, d.normative_system()));
  RETURN_IF_ERROR(s.BindInt64(15, d.electoral_stage()));
  RETURN_IF_ERROR(s.BindInt64(16, d.aggressor_relation()));
  RETURN_IF_ERROR(s.BindInt64(17, d.aggressor_count()));
  RETURN_IF_ERROR(s.BindInt64(18, d.risk_level()));
  RETURN_IF_ERROR(s.BindInt64(19, d.filed_by_third_party() ? 1 : 0));
  RETURN_IF_ERROR(s.BindInt64(20, row.create_time));
  RETURN_IF_ERROR(s.BindInt64(21, row.update_time));
  RETURN_IF_ERROR(s.BindInt64(22, row.version));
  RETURN_IF_ERROR(s.BindText(23, row.creator));
  RETURN_IF_ERROR(blob(24, row.wrapped_dek));
  RETURN_IF_ERROR(blob(25, row.sealed_personal_data));
  RETURN_IF_ERROR(blob(26, row.person_key));
  RETURN_IF_ERROR(s.BindInt64(27, row.erased ? 1 : 0));
  if (row.request_id) {
    RETURN_IF_ERROR(s.BindText(28, *row.request_id));
  } else {
    RETURN_IF_ERROR(s.BindNull(28));
  }
  RETURN_IF_ERROR(s.BindInt64(30, CodeMask(d.violence_types())));
  RETURN_IF_ERROR(s.BindInt64(31, CodeMask(d.modalities())));
  RETURN_IF_ERROR(s.BindInt64(32, CodeMask(d.conducts())));
  RETURN_IF_ERROR(s.BindInt64(33, CodeMask(d.self_identification())));
  return absl::OkStatus();
}

absl::Status WriteCodes(store::WriteTxn& txn, const CaseRow& row) {
  ASSIGN_OR_RETURN(store::Statement clear,
                   txn.Prepare("DELETE FROM case_codes WHERE case_id = ?1"));
  RETURN_IF_ERROR(clear.BindInt64(1, row.id));
  RETURN_IF_ERROR(clear.Run());
  ASSIGN_OR_RETURN(store::Statement insert,
                   txn.Prepare("INSERT INTO case_codes(case_id, dimension, "
                               "position, code) VALUES (?1, ?2, ?3, ?4)"));
  for (const Dimension& dim : kDimensions) {
    const auto& codes = dim.get(row.descriptors);
    for (int i = 0; i < codes.size(); ++i) {
      RETURN_IF_ERROR(insert.BindInt64(1, row.id));
      RETURN_IF_ERROR(insert.BindInt64(2, static_cast<int>(dim.dimension)));
      RETURN_IF_ERROR(insert.BindInt64(3, i));
      RETURN_IF_ERROR(insert.BindInt64(4, codes.Get(i)));
      RETURN_IF_ERROR(insert.Run());
    }
  }
  return absl::OkStatus();
}

// Reads column `column` of `s`, a code, into the field of `d` that `set`
// sets.
template <typename Enum>
absl::Status ReadCode(const store::Statement& s, int column,
                      void (v1::CaseDescriptors::*set)(Enum),
                      v1::CaseDescriptors& d) {
  ASSIGN_OR_RETURN(int64_t code, s.ColumnInt64(column));
  (d.*set)(static_cast<Enum>(code));
  return absl::OkStatus();
}

}  // namespace

int64_t NowMicros(const Clock* clock) {
  return absl::ToUnixMicros(clock->Now());
}

// yyyymmdd (0 when unset); incident months are yyyymm00.
int64_t DateColumn(const google::type::Date& d) {
  return int64_t{d.year()} * 10000 + d.month() * 100 + d.day();
}

void SetDate(int64_t column, google::type::Date* out) {
  if (column == 0) return;
  out->set_year(static_cast<int32_t>(column / 10000));
  out->set_month(static_cast<int32_t>(column / 100 % 100));
  out->set_day(static_cast<int32_t>(column % 100));
}

absl::CivilDay Today(const Clock* clock) {
  return absl::ToCivilDay(clock->Now(), absl::UTCTimeZone());
}

absl::StatusOr<CaseRow> ReadCaseRow(const store::Statement& s) {
  CaseRow row;
  auto text = [&](int c, std::string* out) -> absl::Status {
    ASSIGN_OR_RETURN(absl::string_view v, s.ColumnText(c));
    *out = std::string(v);
    return absl::OkStatus();
  };
  auto integer = [&](int c) { return s.ColumnInt64(c); };
  v1::CaseDescriptors& d = row.descriptors;
  auto code = [&](int c, auto set) { return ReadCode(s, c, set, d); };
  using D = v1::CaseDescriptors;
  ASSIGN_OR_RETURN(row.id, integer(0));
  RETURN_IF_ERROR(text(1, &row.institution));
  RETURN_IF_ERROR(text(2, &row.folio));
  RETURN_IF_ERROR(code(3, &D::set_kind));
  RETURN_IF_ERROR(code(4, &D::set_status));
  ASSIGN_OR_RETURN(row.status_before_close, integer(5));
  ASSIGN_OR_RETURN(row.closure_reason, integer(6));
  RETURN_IF_ERROR(text(7, d.mutable_state_code()));
  RETURN_IF_ERROR(text(8, d.mutable_municipality_code()));
  ASSIGN_OR_RETURN(int64_t reported, integer(9));
  SetDate(reported, d.mutable_reported_date());
  ASSIGN_OR_RETURN(int64_t incident, integer(10));
  if (incident != 0) SetDate(incident, d.mutable_incident_month());
  RETURN_IF_ERROR(code(11, &D::set_victim_age_band));
  RETURN_IF_ERROR(code(12, &D::set_victim_position));
  RETURN_IF_ERROR(code(13, &D::set_territorial_level));
  RETURN_IF_ERROR(code(14, &D::set_normative_system));
  RETURN_IF_ERROR(code(15, &D::set_electoral_stage));
  RETURN_IF_ERROR(code(16, &D::set_aggressor_relation));
  RETURN_IF_ERROR(code(17, &D::set_aggressor_count));
  RETURN_IF_ERROR(code(18, &D::set_risk_level));
  ASSIGN_OR_RETURN(int64_t third_party, integer(19));
  d.set_filed_by_third_party(third_party != 0);
  ASSIGN_OR_RETURN(row.create_time, integer(20));
  ASSIGN_OR_RETURN(row.update_time, integer(21));
  ASSIGN_OR_RETURN(row.version, integer(22));
  RETURN_IF_ERROR(text(23, &row.creator));
  ASSIGN_OR_RETURN(row.wrapped_dek, OptionalBlob(s, 24));
  ASSIGN_OR_RETURN(row.sealed_personal_data, OptionalBlob(s, 25));
  ASSIGN_OR_RETURN(row.person_key, OptionalBlob(s, 26));
  ASSIGN_OR_RETURN(int64_t erased, integer(27));
  row.erased = erased != 0;
  return row;
}

// Appends a stored case_codes row to the descriptors of `row`.
void AddCode(CaseRow& row, int64_t dimension, int64_t code) {
  for (const Dimension& dim : kDimensions) {
    if (static_cast<int64_t>(dim.dimension) == dimension) {
      dim.mutable_field(&row.descriptors)->Add(static_cast<int>(code));
    }
  }
}

// The case `institution`/`folio` with its codes, or nullopt.
absl::StatusOr<std::optional<CaseRow>> FindCase(store::ReadTxn& txn,
                                                absl::string_view institution,
                                                absl::string_view folio) {
  ASSIGN_OR_RETURN(store::Statement s,
                   txn.Prepare(absl::StrCat("SELECT ", kCaseColumns,
                                            " FROM cases WHERE institution = "
                                            "?1 AND folio = ?2")));
  RETURN_IF_ERROR(s.BindText(1, institution));
  RETURN_IF_ERROR(s.BindText(2, folio));
  ASSIGN_OR_RETURN(bool found, s.Step());
  if (!found) return std::optional<CaseRow>();
  ASSIGN_OR_RETURN(CaseRow row, ReadCaseRow(s));
  RETURN_IF_ERROR(LoadCodes(txn, row));
  return std::optional<CaseRow>(std::move(row));
}

// Inserts `row` (row.id is set from the new rowid).
absl::Status InsertCase(store::WriteTxn& txn, CaseRow& row) {
  ASSIGN_OR_RETURN(
      store::Statement s,
      txn.Prepare(
          "INSERT INTO cases(institution, folio, kind, status, "
          "status_before_close, closure_reason, state_code, "
          "municipality_code, reported_date, incident_month, victim_age_band, "
          "victim_position, territorial_level, normative_system, "
          "electoral_stage, aggressor_relation, aggressor_count, risk_level, "
          "filed_by_third_party, create_time, update_time, version, creator, "
          "wrapped_dek, sealed_personal_data, person_key, "
          "personal_data_erased, request_id, violence_mask, modality_mask, "
          "conduct_mask, self_identification_mask) VALUES (?1, ?2, ?3, ?4, "
          "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
          "?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?30, ?31, ?32, "
          "?33)"));
  RETURN_IF_ERROR(BindCaseRow(s, row));
  RETURN_IF_ERROR(s.Run());
  row.id = txn.LastInsertRowId();
  return WriteCodes(txn, row);
}

// Writes every mutable column of `row` (and its codes).
absl::Status UpdateCaseRow(store::WriteTxn& txn, const CaseRow& row) {
  ASSIGN_OR_RETURN(
      store::Statement s,
      txn.Prepare(
          "UPDATE cases SET kind = ?3, status = ?4, status_before_close = ?5, "
          "closure_reason = ?6, state_code = ?7, municipality_code = ?8, "
          "reported_date = ?9, incident_month = ?10, victim_age_band = ?11, "
          "victim_position = ?12, territorial_level = ?13, "
          "normative_system = ?14, electoral_stage = ?15, "
          "aggressor_relation = ?16, aggressor_count = ?17, risk_level = ?18, "
          "filed_by_third_party = ?19, update_time = ?21, version = ?22, "
          "wrapped_dek = ?24, sealed_personal_data = ?25, person_key = ?26, "
          "personal_data_erased = ?27, violence_mask = ?30, "
          "modality_mask = ?31, conduct_mask = ?32, "
          "self_identification_mask = ?33 "
          "WHERE id = ?29"));
  // Parameters 1, 2, 20, 23 and 28 are bound but unused: the columns they
  // hold never change.
  RETURN_IF_ERROR(BindCaseRow(s, row));
  RETURN_IF_ERROR(s.BindInt64(29, row.id));
  RETURN_IF_ERROR(s.Run());
  if (txn.Changes() != 1) return absl::InternalError("a case row vanished");
  return WriteCodes(txn, row);
}

// The case named `name` if the caller may see it; NOT_FOUND, the same for a
// case of another institution and for none, otherwise.
absl::StatusOr<CaseRow> LoadVisibleCase(store::ReadTxn& txn,
                                        const auth::Principal& caller,
                                        absl::string_view name) {
  std::optional<api::CaseName> parsed = api::ParseCaseName(name);
  if (!parsed ||
      !auth::CanActFor(caller, parsed->institution, /*admin_method=*/false)) {
    return absl::NotFoundError(kCaseNotFound);
  }
  ASSIGN_OR_RETURN(std::optional<CaseRow> row,
                   FindCase(txn, parsed->institution, parsed->folio));
  if (!row) return absl::NotFoundError(kCaseNotFound);
  return *std::move(row);
}

absl::Status CheckEtag(const CaseRow& row, absl::string_view etag) {
  if (etag != absl::StrCat(row.version)) {
    return api::WithErrorText(absl::AbortedError(kCaseChanged),
                              api::ErrorId::kCaseChanged);
  }
  return absl::OkStatus();
}

}  // namespace resguardo::cases::internal
