#include "services/cases/case_store.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "base/status_macros.h"
#include "crypto/envelope.h"
#include "crypto/record_context.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/util/field_mask_util.h"
#include "services/admin/page_token.h"
#include "services/api/field_violations.h"
#include "services/api/resource_names.h"
#include "services/api/timestamps.h"
#include "services/cases/case_transitions.h"
#include "services/cases/case_validator.h"
#include "services/schema/node_schema.h"
#include "services/store/statement.h"

namespace resguardo::cases {
namespace {

using schema::CodeDimension;

constexpr char kCaseNotFound[] = "case not found";
constexpr char kCaseChanged[] =
    "the case changed since you read it: read it again and retry";
constexpr char kOwnInstitutionOnly[] =
    "the caller may act only for her own institution";
constexpr char kCaseClosed[] = "the case is closed: reopen it first";
constexpr char kCaseErased[] =
    "the personal data of this case was already erased";

// ---------------------------------------------------------------------------
// Conversions between API values and columns.

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
}  // namespace resguardo::cases
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

// ---------------------------------------------------------------------------
// The cases row.

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

constexpr char kCaseColumns[] =
    "id, institution, folio, kind, status, status_before_close, "
    "closure_reason, state_code, municipality_code, reported_date, "
    "incident_month, victim_age_band, victim_position, territorial_level, "
    "normative_system, electoral_stage, aggressor_relation, aggressor_count, "
    "risk_level, filed_by_third_party, create_time, update_time, version, "
    "creator, wrapped_dek, sealed_personal_data, person_key, "
    "personal_data_erased";

// kCaseColumns for lists, whose BASIC views need none of the key and
// sealed columns: NULL in their place spares copying them from every row.
constexpr char kCaseListColumns[] =
    "id, institution, folio, kind, status, status_before_close, "
    "closure_reason, state_code, municipality_code, reported_date, "
    "incident_month, victim_age_band, victim_position, territorial_level, "
    "normative_system, electoral_stage, aggressor_relation, aggressor_count, "
    "risk_level, filed_by_third_party, create_time, update_time, version, "
    "creator, NULL, NULL, NULL, personal_data_erased";

absl::StatusOr<std::optional<std::string>> OptionalBlob(
    const store::Statement& s, int column) {
  if (s.ColumnIsNull(column)) return std::optional<std::string>();
  ASSIGN_OR_RETURN(absl::string_view blob, s.ColumnBlob(column));
  return std::optional<std::string>(std::string(blob));
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
  ASSIGN_OR_RETURN(row.id, integer(0));
  RETURN_IF_ERROR(text(1, &row.institution));
  RETURN_IF_ERROR(text(2, &row.folio));
  ASSIGN_OR_RETURN(int64_t kind, integer(3));
  d.set_kind(static_cast<v1::CaseKind>(kind));
  ASSIGN_OR_RETURN(int64_t status, integer(4));
  d.set_status(static_cast<v1::CaseStatus>(status));
  ASSIGN_OR_RETURN(row.status_before_close, integer(5));
  ASSIGN_OR_RETURN(row.closure_reason, integer(6));
  RETURN_IF_ERROR(text(7, d.mutable_state_code()));
  RETURN_IF_ERROR(text(8, d.mutable_municipality_code()));
  ASSIGN_OR_RETURN(int64_t reported, integer(9));
  SetDate(reported, d.mutable_reported_date());
  ASSIGN_OR_RETURN(int64_t incident, integer(10));
  if (incident != 0) SetDate(incident, d.mutable_incident_month());
  ASSIGN_OR_RETURN(int64_t age_band, integer(11));
  d.set_victim_age_band(static_cast<v1::AgeBand>(age_band));
  ASSIGN_OR_RETURN(int64_t position, integer(12));
  d.set_victim_position(static_cast<v1::VictimPosition>(position));
  ASSIGN_OR_RETURN(int64_t level, integer(13));
  d.set_territorial_level(static_cast<v1::TerritorialLevel>(level));
  ASSIGN_OR_RETURN(int64_t normative, integer(14));
  d.set_normative_system(static_cast<v1::NormativeSystem>(normative));
  ASSIGN_OR_RETURN(int64_t stage, integer(15));
  d.set_electoral_stage(static_cast<v1::ElectoralStage>(stage));
  ASSIGN_OR_RETURN(int64_t relation, integer(16));
  d.set_aggressor_relation(static_cast<v1::AggressorRelation>(relation));
  ASSIGN_OR_RETURN(int64_t count, integer(17));
  d.set_aggressor_count(static_cast<v1::AggressorCount>(count));
  ASSIGN_OR_RETURN(int64_t risk, integer(18));
  d.set_risk_level(static_cast<v1::RiskLevel>(risk));
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

// ---------------------------------------------------------------------------
// Protection measures and follow-ups.

// The measure in kMeasureColumns, from column `first` of the row on.
absl::StatusOr<v1::ProtectionMeasure> ReadMeasure(const store::Statement& s,
                                                  absl::string_view case_name,
                                                  int first = 0) {
  v1::ProtectionMeasure m;
  ASSIGN_OR_RETURN(int64_t seq, s.ColumnInt64(first));
  m.set_name(absl::StrCat(case_name, "/protectionMeasures/", seq));
  ASSIGN_OR_RETURN(int64_t type, s.ColumnInt64(first + 1));
  m.set_type(static_cast<v1::ProtectionMeasureType>(type));
  ASSIGN_OR_RETURN(int64_t status, s.ColumnInt64(first + 2));
  m.set_status(static_cast<v1::ProtectionMeasureStatus>(status));
  ASSIGN_OR_RETURN(absl::string_view authority, s.ColumnText(first + 3));
  m.set_issuing_authority(std::string(authority));
  ASSIGN_OR_RETURN(int64_t issued, s.ColumnInt64(first + 4));
  SetDate(issued, m.mutable_issue_date());
  ASSIGN_OR_RETURN(int64_t expires, s.ColumnInt64(first + 5));
  SetDate(expires, m.mutable_expiry_date());
  ASSIGN_OR_RETURN(int64_t created, s.ColumnInt64(first + 6));
  api::SetTimestamp(created, m.mutable_create_time());
  return m;
}

constexpr char kMeasureColumns[] =
    "seq, type, status, issuing_authority, issue_date, expiry_date, "
    "create_time";

absl::StatusOr<std::vector<v1::ProtectionMeasure>> LoadMeasures(
    store::ReadTxn& txn, const CaseRow& row) {
  ASSIGN_OR_RETURN(store::Statement s,
                   txn.Prepare(absl::StrCat("SELECT ", kMeasureColumns,
                                            " FROM protection_measures WHERE "
                                            "case_id = ?1 ORDER BY seq")));
  RETURN_IF_ERROR(s.BindInt64(1, row.id));
  std::vector<v1::ProtectionMeasure> out;
  const std::string name = row.name();
  while (true) {
    ASSIGN_OR_RETURN(bool found, s.Step());
    if (!found) break;
    ASSIGN_OR_RETURN(v1::ProtectionMeasure m, ReadMeasure(s, name));
    out.push_back(std::move(m));
  }
  return out;
}

// The next sequence number of `table`'s rows of a case.
absl::StatusOr<int64_t> NextSeq(store::ReadTxn& txn, const char* table,
                                int64_t case_id) {
  ASSIGN_OR_RETURN(store::Statement s,
                   txn.Prepare(absl::StrCat("SELECT COALESCE(MAX(seq), 0) + 1 "
                                            "FROM ",
                                            table, " WHERE case_id = ?1")));
  RETURN_IF_ERROR(s.BindInt64(1, case_id));
  ASSIGN_OR_RETURN(bool found, s.Step());
  if (!found) return absl::InternalError("could not number a new row");
  return s.ColumnInt64(0);
}

// The seq of the child (".../followUps/N", ".../protectionMeasures/N")
// that the first request of `use` made, if `use` is a retry.
absl::StatusOr<std::optional<int64_t>> SeqOfRetry(const RequestIds::Use& use) {
  if (use.resource.empty()) return std::optional<int64_t>();
  int64_t seq = 0;
  const size_t slash = use.resource.rfind('/');
  if (slash == std::string::npos ||
      !absl::SimpleAtoi(absl::string_view(use.resource).substr(slash + 1),
                        &seq) ||
      seq < 1) {
    return absl::DataLossError("a stored request id names no child record");
  }
  return std::optional<int64_t>(seq);
}

// ---------------------------------------------------------------------------
// Views.

v1::Case BasicView(const CaseRow& row,
                   std::vector<v1::ProtectionMeasure> measures) {
  v1::Case c;
  c.set_name(row.name());
  c.set_folio(row.folio);
  *c.mutable_descriptors() = row.descriptors;
  api::SetTimestamp(row.create_time, c.mutable_create_time());
  api::SetTimestamp(row.update_time, c.mutable_update_time());
  c.set_etag(absl::StrCat(row.version));
  c.set_personal_data_erased(row.erased);
  for (v1::ProtectionMeasure& m : measures) {
    *c.add_protection_measures() = std::move(m);
  }
  if (row.descriptors.status() == v1::CASE_STATUS_CLOSED) {
    c.set_closure_reason(static_cast<v1::ClosureReason>(row.closure_reason));
  }
  return c;
}

absl::StatusOr<v1::Case> LoadBasicView(store::ReadTxn& txn,
                                       const CaseRow& row) {
  ASSIGN_OR_RETURN(std::vector<v1::ProtectionMeasure> measures,
                   LoadMeasures(txn, row));
  return BasicView(row, std::move(measures));
}

// How many cases one query of LoadListViews covers: its SQL has this many
// parameters, those beyond the cases bound to NULL (which matches nothing),
// so that one prepared statement serves every page size.
constexpr int kIdsPerQuery = 64;

// "SELECT <columns> FROM <table> WHERE case_id IN (?1, ..., ?64) ORDER BY
// case_id, <order>".
std::string SelectForIds(absl::string_view columns, absl::string_view table,
                         absl::string_view order) {
  std::string sql =
      absl::StrCat("SELECT ", columns, " FROM ", table, " WHERE case_id IN (");
  for (int i = 1; i <= kIdsPerQuery; ++i) {
    absl::StrAppend(&sql, i == 1 ? "?" : ", ?", i);
  }
  absl::StrAppend(&sql, ") ORDER BY case_id, ", order);
  return sql;
}

// The BASIC views of `rows` (whose codes are not loaded yet), with their
// codes and protection measures read in one query per kIdsPerQuery cases
// rather than two per case: after any commit, a read transaction decrypts
// and authenticates afresh every page it touches, and a page of codes or
// measures holds those of many consecutive cases.
absl::StatusOr<std::vector<v1::Case>> LoadListViews(
    store::ReadTxn& txn, std::vector<CaseRow>& rows) {
  static const std::string* const kCodesSql = new std::string(SelectForIds(
      "case_id, dimension, code", "case_codes", "dimension, position"));
  static const std::string* const kMeasuresSql =
      new std::string(SelectForIds(absl::StrCat("case_id, ", kMeasureColumns),
                                   "protection_measures", "seq"));
  absl::flat_hash_map<int64_t, size_t> position;
  for (size_t i = 0; i < rows.size(); ++i) position[rows[i].id] = i;
  std::vector<std::vector<v1::ProtectionMeasure>> measures(rows.size());
  for (size_t first = 0; first < rows.size(); first += kIdsPerQuery) {
    ASSIGN_OR_RETURN(store::Statement codes, txn.Prepare(*kCodesSql));
    ASSIGN_OR_RETURN(store::Statement listed, txn.Prepare(*kMeasuresSql));
    for (int p = 0; p < kIdsPerQuery; ++p) {
      const size_t i = first + p;
      if (i < rows.size()) {
        RETURN_IF_ERROR(codes.BindInt64(p + 1, rows[i].id));
        RETURN_IF_ERROR(listed.BindInt64(p + 1, rows[i].id));
      } else {
        RETURN_IF_ERROR(codes.BindNull(p + 1));
        RETURN_IF_ERROR(listed.BindNull(p + 1));
      }
    }
    while (true) {
      ASSIGN_OR_RETURN(bool found, codes.Step());
      if (!found) break;
      ASSIGN_OR_RETURN(int64_t id, codes.ColumnInt64(0));
      ASSIGN_OR_RETURN(int64_t dimension, codes.ColumnInt64(1));
      ASSIGN_OR_RETURN(int64_t code, codes.ColumnInt64(2));
      auto it = position.find(id);
      if (it == position.end()) {
        return absl::InternalError("a code of an unlisted case");
      }
      AddCode(rows[it->second], dimension, code);
    }
    while (true) {
      ASSIGN_OR_RETURN(bool found, listed.Step());
      if (!found) break;
      ASSIGN_OR_RETURN(int64_t id, listed.ColumnInt64(0));
      auto it = position.find(id);
      if (it == position.end()) {
        return absl::InternalError("a measure of an unlisted case");
      }
      ASSIGN_OR_RETURN(v1::ProtectionMeasure m,
                       ReadMeasure(listed, rows[it->second].name(), 1));
      measures[it->second].push_back(std::move(m));
    }
  }
  std::vector<v1::Case> views;
  views.reserve(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    views.push_back(BasicView(rows[i], std::move(measures[i])));
  }
  return views;
}

crypto::RecordContext PersonalDataContext(const CaseRow& row, int64_t version) {
  return crypto::RecordContext{CaseStore::kPersonalDataPurpose, row.institution,
                               row.name(), static_cast<uint64_t>(version)};
}

crypto::RecordContext FollowUpContext(const CaseRow& row,
                                      absl::string_view follow_up_name) {
  return crypto::RecordContext{CaseStore::kFollowUpPurpose, row.institution,
                               std::string(follow_up_name), 1};
}

// A stored record that does not open is damage or tampering, never the
// caller's fault. `what` names the record and `cause` is the crypto
// library's error (it names no key and no plaintext); the client sees
// neither (DATA_LOSS reaches it as a sentence with the request id), the
// node's log does.
absl::Status SealedDataError(absl::string_view what,
                             const absl::Status& cause) {
  return absl::DataLossError(
      absl::StrCat("cases: ", what, " does not open (",
                   cause.ok() ? "it does not parse" : cause.message(),
                   "): it was damaged or altered"));
}

}  // namespace

// ---------------------------------------------------------------------------

absl::StatusOr<std::unique_ptr<CaseStore>> CaseStore::New(
    admin::Directory* directory, const crypto::KeyProvider& keys,
    const Clock* clock) {
  if (directory == nullptr || clock == nullptr) {
    return absl::InvalidArgumentError(
        "CaseStore needs a directory and a clock");
  }
  ASSIGN_OR_RETURN(std::unique_ptr<PersonKeys> persons, PersonKeys::New(keys));
  ASSIGN_OR_RETURN(std::unique_ptr<RequestIds> request_ids,
                   RequestIds::New(keys));
  return std::unique_ptr<CaseStore>(new CaseStore(
      directory, std::move(persons), std::move(request_ids), clock));
}

CaseStore::CaseStore(admin::Directory* directory,
                     std::unique_ptr<PersonKeys> persons,
                     std::unique_ptr<RequestIds> request_ids,
                     const Clock* clock)
    : directory_(directory),
      persons_(std::move(persons)),
      request_ids_(std::move(request_ids)),
      clock_(clock) {}

bool CaseStore::ReadsSealedData(const v1::GetCaseRequest& request) {
  return request.view() == v1::CASE_VIEW_FULL;
}

bool CaseStore::ReadsSealedData(const v1::ListFollowUpsRequest& request) {
  return request.purpose() != v1::ACCESS_PURPOSE_UNSPECIFIED;
}

namespace {

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
    return absl::AbortedError(kCaseChanged);
  }
  return absl::OkStatus();
}

}  // namespace

namespace {

// The unwrapped DEK of a case that still has one.
absl::StatusOr<crypto::DataKey> UnwrapKey(admin::Directory& directory,
                                          store::ReadTxn& txn,
                                          const CaseRow& row) {
  if (!row.wrapped_dek) {
    return absl::FailedPreconditionError(kCaseErased);
  }
  ASSIGN_OR_RETURN(std::shared_ptr<const crypto::Envelope> envelope,
                   directory.EnvelopeFor(txn, row.institution));
  absl::StatusOr<crypto::DataKey> key =
      envelope->Unwrap(*row.wrapped_dek, row.name());
  if (!key.ok()) {
    return SealedDataError("the data key of the case", key.status());
  }
  return key;
}

absl::StatusOr<v1::CasePersonalData> OpenPersonalData(
    const crypto::DataKey& key, const CaseRow& row) {
  if (!row.sealed_personal_data) return v1::CasePersonalData();
  absl::StatusOr<std::string> plain = key.Open(
      *row.sealed_personal_data, PersonalDataContext(row, row.version));
  v1::CasePersonalData data;
  if (!plain.ok() || !data.ParseFromString(*plain)) {
    return SealedDataError("the personal data of the case", plain.status());
  }
  return data;
}

absl::Status SealPersonalData(const crypto::DataKey& key,
                              const v1::CasePersonalData& data, CaseRow& row) {
  std::string plain;
  if (!data.SerializeToString(&plain)) {
    return absl::InternalError("could not serialize personal data");
  }
  ASSIGN_OR_RETURN(std::string sealed,
                   key.Seal(plain, PersonalDataContext(row, row.version)));
  row.sealed_personal_data = std::move(sealed);
  return absl::OkStatus();
}

// Bumps the version of `row` for a write at `now`, re-sealing its personal
// data under the new version.
absl::Status BumpVersion(admin::Directory& directory, store::ReadTxn& txn,
                         CaseRow& row, int64_t now) {
  std::optional<crypto::DataKey> key;
  v1::CasePersonalData data;
  if (!row.erased) {
    ASSIGN_OR_RETURN(key, UnwrapKey(directory, txn, row));
    ASSIGN_OR_RETURN(data, OpenPersonalData(*key, row));
  }
  row.version += 1;
  row.update_time = now;
  if (key) RETURN_IF_ERROR(SealPersonalData(*key, data, row));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<v1::Case> CaseStore::CreateCase(
    store::WriteTxn& txn, const auth::Principal& caller,
    const v1::CreateCaseRequest& request) {
  RETURN_IF_ERROR(ValidateCreateCase(request, Today(clock_)));
  const std::string institution = *api::ParseInstitutionName(request.parent());
  if (!auth::CanActFor(caller, institution, /*admin_method=*/false)) {
    return absl::PermissionDeniedError(kOwnInstitutionOnly);
  }
  ASSIGN_OR_RETURN(RequestIds::Use use,
                   request_ids_->Find(txn, caller, "CreateCase", request,
                                      request.request_id()));
  if (!use.resource.empty()) {
    std::optional<api::CaseName> name = api::ParseCaseName(use.resource);
    std::optional<CaseRow> row;
    if (name) {
      ASSIGN_OR_RETURN(row, FindCase(txn, institution, name->folio));
    }
    if (!row) return absl::InternalError("an idempotent case vanished");
    return LoadBasicView(txn, *row);
  }

  const int64_t now = NowMicros(clock_);
  const int64_t year = Today(clock_).year();
  // The folio: a counter per institution and year (no UPSERT in 3.15).
  ASSIGN_OR_RETURN(store::Statement counter,
                   txn.Prepare("SELECT next FROM folio_counters "
                               "WHERE institution = ?1 AND year = ?2"));
  RETURN_IF_ERROR(counter.BindText(1, institution));
  RETURN_IF_ERROR(counter.BindInt64(2, year));
  ASSIGN_OR_RETURN(bool has_counter, counter.Step());
  int64_t sequence = 1;
  if (has_counter) {
    ASSIGN_OR_RETURN(sequence, counter.ColumnInt64(0));
  }
  RETURN_IF_ERROR(counter.Reset());

  // Every check and every computation that can fail comes before the first
  // change; after it, only the store can fail (the server runs this write
  // without a savepoint: store::Database::Isolation::kChecksFirst).
  CaseRow row;
  row.institution = institution;
  row.folio = api::FormatFolio(institution, static_cast<int>(year), sequence);
  row.descriptors = request.case_record().descriptors();
  row.descriptors.set_status(row.descriptors.filed_by_third_party()
                                 ? v1::CASE_STATUS_PENDING_RATIFICATION
                                 : v1::CASE_STATUS_RECEIVED);
  row.create_time = now;
  row.update_time = now;
  row.version = 1;
  row.creator = api::UserResourceName(caller.institution, caller.user);

  const v1::CasePersonalData& data = request.case_record().personal_data();
  ASSIGN_OR_RETURN(std::shared_ptr<const crypto::Envelope> envelope,
                   directory_->EnvelopeFor(txn, institution));
  ASSIGN_OR_RETURN(crypto::Envelope::NewKey key,
                   envelope->NewDataKey(row.name()));
  row.wrapped_dek = std::move(key.wrapped);
  RETURN_IF_ERROR(SealPersonalData(key.key, data, row));
  ASSIGN_OR_RETURN(row.person_key, persons_->Of(data));

  ASSIGN_OR_RETURN(
      store::Statement bump,
      txn.Prepare(has_counter
                      ? "UPDATE folio_counters SET next = ?3 "
                        "WHERE institution = ?1 AND year = ?2"
                      : "INSERT INTO folio_counters(institution, year, next) "
                        "VALUES (?1, ?2, ?3)"));
  RETURN_IF_ERROR(bump.BindText(1, institution));
  RETURN_IF_ERROR(bump.BindInt64(2, year));
  RETURN_IF_ERROR(bump.BindInt64(3, sequence + 1));
  RETURN_IF_ERROR(bump.Run());
  RETURN_IF_ERROR(InsertCase(txn, row));
  RETURN_IF_ERROR(RequestIds::Record(txn, caller, use, row.name()));
  return BasicView(row, {});
}

absl::StatusOr<v1::Case> CaseStore::GetCase(
    store::ReadTxn& txn, const auth::Principal& caller,
    const v1::GetCaseRequest& request) const {
  RETURN_IF_ERROR(ValidateGetCase(request));
  ASSIGN_OR_RETURN(CaseRow row, LoadVisibleCase(txn, caller, request.name()));
  ASSIGN_OR_RETURN(v1::Case c, LoadBasicView(txn, row));
  if (ReadsSealedData(request) && !row.erased) {
    ASSIGN_OR_RETURN(crypto::DataKey key, UnwrapKey(*directory_, txn, row));
    ASSIGN_OR_RETURN(*c.mutable_personal_data(), OpenPersonalData(key, row));
  }
  return c;
}

absl::StatusOr<v1::ListCasesResponse> CaseStore::ListCases(
    store::ReadTxn& txn, const auth::Principal& caller,
    const v1::ListCasesRequest& request) const {
  RETURN_IF_ERROR(ValidateListCases(request));
  const std::string institution = *api::ParseInstitutionName(request.parent());
  if (!auth::CanActFor(caller, institution, /*admin_method=*/false)) {
    return absl::PermissionDeniedError(kOwnInstitutionOnly);
  }
  // The filters, canonical (sorted, deduplicated), as SQL and as the page
  // token's scope.
  std::set<int> statuses(request.statuses().begin(), request.statuses().end());
  std::set<int> risks(request.risk_levels().begin(),
                      request.risk_levels().end());
  const int64_t from = DateColumn(request.reported_from());
  const int64_t to = DateColumn(request.reported_to());
  const std::string scope = absl::StrCat(
      "ListCases\n", institution, "\nstatuses=", absl::StrJoin(statuses, ","),
      "\nkind=", request.kind(), "\nrisk=", absl::StrJoin(risks, ","),
      "\nstate=", request.state_code(), "\nfrom=", from, "\nto=", to);
  ASSIGN_OR_RETURN(const int64_t after,
                   admin::DecodeRowPosition(request.page_token(), scope));
  const int page_size = admin::EffectivePageSize(
      request.page_size(), kDefaultPageSize, kMaxPageSize);

  std::string sql = absl::StrCat("SELECT ", kCaseListColumns,
                                 " FROM cases WHERE institution = ?1 AND "
                                 "id > ?2");
  int next_param = 3;
  auto in_list = [&](const char* column, const std::set<int>& values) {
    std::vector<std::string> params;
    for (size_t i = 0; i < values.size(); ++i) {
      params.push_back(absl::StrCat("?", next_param++));
    }
    absl::StrAppend(&sql, " AND ", column, " IN (", absl::StrJoin(params, ", "),
                    ")");
  };
  const int status_param = next_param;
  if (!statuses.empty()) in_list("status", statuses);
  const int risk_param = next_param;
  if (!risks.empty()) in_list("risk_level", risks);
  const int kind_param = next_param;
  if (request.kind() != 0) absl::StrAppend(&sql, " AND kind = ?", next_param++);
  const int state_param = next_param;
  if (!request.state_code().empty()) {
    absl::StrAppend(&sql, " AND state_code = ?", next_param++);
  }
  const int from_param = next_param;
  if (from != 0) absl::StrAppend(&sql, " AND reported_date >= ?", next_param++);
  const int to_param = next_param;
  if (to != 0) absl::StrAppend(&sql, " AND reported_date <= ?", next_param++);
  const int limit_param = next_param;
  absl::StrAppend(&sql, " ORDER BY id LIMIT ?", limit_param);

  ASSIGN_OR_RETURN(store::Statement s, txn.Prepare(sql));
  RETURN_IF_ERROR(s.BindText(1, institution));
  RETURN_IF_ERROR(s.BindInt64(2, after));
  int p = status_param;
  for (int v : statuses) RETURN_IF_ERROR(s.BindInt64(p++, v));
  p = risk_param;
  for (int v : risks) RETURN_IF_ERROR(s.BindInt64(p++, v));
  if (request.kind() != 0)
    RETURN_IF_ERROR(s.BindInt64(kind_param, request.kind()));
  if (!request.state_code().empty()) {
    RETURN_IF_ERROR(s.BindText(state_param, request.state_code()));
  }
  if (from != 0) RETURN_IF_ERROR(s.BindInt64(from_param, from));
  if (to != 0) RETURN_IF_ERROR(s.BindInt64(to_param, to));
  RETURN_IF_ERROR(s.BindInt64(limit_param, page_size + 1));

  std::vector<CaseRow> rows;
  rows.reserve(page_size);
  bool more = false;
  while (true) {
    ASSIGN_OR_RETURN(bool found, s.Step());
    if (!found) break;
    if (static_cast<int>(rows.size()) == page_size) {
      more = true;
      break;
    }
    ASSIGN_OR_RETURN(CaseRow row, ReadCaseRow(s));
    rows.push_back(std::move(row));
  }
  v1::ListCasesResponse response;
  ASSIGN_OR_RETURN(std::vector<v1::Case> views, LoadListViews(txn, rows));
  for (v1::Case& view : views) *response.add_cases() = std::move(view);
  if (more) {
    response.set_next_page_token(
        admin::EncodePageToken(scope, absl::StrCat(rows.back().id)));
  }
  return response;
}

absl::StatusOr<v1::Case> CaseStore::UpdateCase(
    store::WriteTxn& txn, const auth::Principal& caller,
    const v1::UpdateCaseRequest& request) {
  RETURN_IF_ERROR(ValidateUpdateCase(request, Today(clock_)));
  ASSIGN_OR_RETURN(CaseRow row,
                   LoadVisibleCase(txn, caller, request.case_record().name()));
  RETURN_IF_ERROR(CheckEtag(row, request.case_record().etag()));
  if (row.descriptors.status() == v1::CASE_STATUS_CLOSED) {
    return absl::FailedPreconditionError(kCaseClosed);
  }
  // The mask, with "descriptors" and "personal_data" expanded to their
  // writable fields (so that the status moves only when named).
  google::protobuf::FieldMask mask;
  bool personal = false;
  bool status = false;
  auto add_fields = [&](const google::protobuf::Descriptor* type,
                        absl::string_view prefix, absl::string_view skip) {
    for (int i = 0; i < type->field_count(); ++i) {
      const std::string& field = type->field(i)->name();
      if (field != skip) mask.add_paths(absl::StrCat(prefix, field));
    }
  };
  for (const std::string& path : request.update_mask().paths()) {
    if (path == "descriptors") {
      add_fields(v1::CaseDescriptors::descriptor(), "descriptors.", "status");
    } else if (path == "personal_data") {
      add_fields(v1::CasePersonalData::descriptor(), "personal_data.", "");
      personal = true;
    } else {
      mask.add_paths(path);
      if (absl::StartsWith(path, "personal_data.")) personal = true;
      if (path == "descriptors.status") status = true;
    }
  }
  if (personal && row.erased) return absl::FailedPreconditionError(kCaseErased);

  // Current values, merged with the request's.
  v1::Case merged;
  *merged.mutable_descriptors() = row.descriptors;
  std::optional<crypto::DataKey> key;
  if (!row.erased) {
    ASSIGN_OR_RETURN(key, UnwrapKey(*directory_, txn, row));
    ASSIGN_OR_RETURN(*merged.mutable_personal_data(),
                     OpenPersonalData(*key, row));
  }
  google::protobuf::util::FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  google::protobuf::util::FieldMaskUtil::MergeMessageTo(request.case_record(),
                                                        mask, options, &merged);

  const v1::CaseDescriptors& d = merged.descriptors();
  if (status) {
    RETURN_IF_ERROR(
        CheckTransition(d.kind(), row.descriptors.status(), d.status()));
  }
  // Rules across descriptors, on the result.
  api::FieldViolations v;
  if (d.kind() == v1::CASE_KIND_GBV && d.conducts_size() > 0) {
    v.Add("case_record.descriptors.conducts",
          "applies to political-violence cases only");
  }
  if (d.kind() == v1::CASE_KIND_POLITICAL_VIOLENCE &&
      d.gbv_incident_types_size() > 0) {
    v.Add("case_record.descriptors.gbv_incident_types",
          "applies to GBV cases only");
  }
  if (d.has_incident_month() && DateColumn(d.incident_month()) / 100 >
                                    DateColumn(d.reported_date()) / 100) {
    v.Add("case_record.descriptors.incident_month",
          "must not be after the reported date");
  }
  RETURN_IF_ERROR(v.ToStatus());

  row.descriptors = d;
  if (personal) {
    ASSIGN_OR_RETURN(row.person_key, persons_->Of(merged.personal_data()));
  }
  row.version += 1;
  row.update_time = NowMicros(clock_);
  if (key) RETURN_IF_ERROR(SealPersonalData(*key, merged.personal_data(), row));
  RETURN_IF_ERROR(UpdateCaseRow(txn, row));
  return LoadBasicView(txn, row);
}

absl::StatusOr<v1::FollowUp> CaseStore::AddFollowUp(
    store::WriteTxn& txn, const auth::Principal& caller,
    const v1::AddFollowUpRequest& request) {
  RETURN_IF_ERROR(ValidateAddFollowUp(request, clock_->Now()));
  ASSIGN_OR_RETURN(CaseRow row, LoadVisibleCase(txn, caller, request.parent()));
  const std::string case_name = row.name();
  ASSIGN_OR_RETURN(RequestIds::Use use,
                   request_ids_->Find(txn, caller, "AddFollowUp", request,
                                      request.request_id()));
  ASSIGN_OR_RETURN(std::optional<int64_t> existing, SeqOfRetry(use));
  if (existing) {
    // A retry: the follow-up created the first time (without notes).
    ASSIGN_OR_RETURN(
        store::Statement s,
        txn.Prepare("SELECT seq, kind, occur_time, next_due_date, author, "
                    "create_time FROM follow_ups WHERE case_id = ?1 AND "
                    "seq = ?2"));
    RETURN_IF_ERROR(s.BindInt64(1, row.id));
    RETURN_IF_ERROR(s.BindInt64(2, *existing));
    ASSIGN_OR_RETURN(bool found, s.Step());
    if (!found) return absl::InternalError("an idempotent follow-up vanished");
    v1::FollowUp f;
    f.set_name(absl::StrCat(case_name, "/followUps/", *existing));
    ASSIGN_OR_RETURN(int64_t kind, s.ColumnInt64(1));
    f.set_kind(static_cast<v1::FollowUpKind>(kind));
    ASSIGN_OR_RETURN(int64_t occur, s.ColumnInt64(2));
    api::SetTimestamp(occur, f.mutable_occur_time());
    ASSIGN_OR_RETURN(int64_t due, s.ColumnInt64(3));
    SetDate(due, f.mutable_next_due_date());
    ASSIGN_OR_RETURN(absl::string_view author, s.ColumnText(4));
    f.set_author(std::string(author));
    ASSIGN_OR_RETURN(int64_t created, s.ColumnInt64(5));
    api::SetTimestamp(created, f.mutable_create_time());
    return f;
  }
  if (row.descriptors.status() == v1::CASE_STATUS_CLOSED) {
    return absl::FailedPreconditionError(kCaseClosed);
  }
  const v1::FollowUp& in = request.follow_up();
  if (!in.notes().empty() && row.erased) {
    return absl::FailedPreconditionError(
        "the personal data of this case was erased: a follow-up on it cannot "
        "carry notes");
  }
  ASSIGN_OR_RETURN(int64_t seq, NextSeq(txn, "follow_ups", row.id));
  v1::FollowUp f;
  f.set_name(absl::StrCat(case_name, "/followUps/", seq));
  f.set_kind(in.kind());
  *f.mutable_occur_time() = in.occur_time();
  if (in.has_next_due_date()) *f.mutable_next_due_date() = in.next_due_date();
  f.set_author(api::UserResourceName(caller.institution, caller.user));
  const int64_t now = NowMicros(clock_);
  api::SetTimestamp(now, f.mutable_create_time());

  std::optional<std::string> sealed;
  if (!in.notes().empty()) {
    ASSIGN_OR_RETURN(crypto::DataKey key, UnwrapKey(*directory_, txn, row));
    ASSIGN_OR_RETURN(sealed,
                     key.Seal(in.notes(), FollowUpContext(row, f.name())));
  }
  ASSIGN_OR_RETURN(
      store::Statement s,
      txn.Prepare("INSERT INTO follow_ups(case_id, seq, kind, occur_time, "
                  "next_due_date, author, create_time, sealed_notes, "
                  "request_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
  RETURN_IF_ERROR(s.BindInt64(1, row.id));
  RETURN_IF_ERROR(s.BindInt64(2, seq));
  RETURN_IF_ERROR(s.BindInt64(3, f.kind()));
  RETURN_IF_ERROR(s.BindInt64(4, api::ToMicros(f.occur_time())));
  RETURN_IF_ERROR(s.BindInt64(5, DateColumn(f.next_due_date())));
  RETURN_IF_ERROR(s.BindText(6, f.author()));
  RETURN_IF_ERROR(s.BindInt64(7, now));
  RETURN_IF_ERROR(sealed ? s.BindBlob(8, *sealed) : s.BindNull(8));
  RETURN_IF_ERROR(s.BindNull(9));  // request ids: request_ids.h
  RETURN_IF_ERROR(s.Run());
  RETURN_IF_ERROR(RequestIds::Record(txn, caller, use, f.name()));
  return f;
}

absl::StatusOr<v1::ListFollowUpsResponse> CaseStore::ListFollowUps(
    store::ReadTxn& txn, const auth::Principal& caller,
    const v1::ListFollowUpsRequest& request) const {
  RETURN_IF_ERROR(ValidateListFollowUps(request));
  ASSIGN_OR_RETURN(CaseRow row, LoadVisibleCase(txn, caller, request.parent()));
  const std::string case_name = row.name();
  const std::string scope = absl::StrCat("ListFollowUps\n", case_name);
  ASSIGN_OR_RETURN(const int64_t after,
                   admin::DecodeRowPosition(request.page_token(), scope));
  const int page_size = admin::EffectivePageSize(
      request.page_size(), kDefaultPageSize, kMaxPageSize);
  const bool with_notes = ReadsSealedData(request) && !row.erased;
  std::optional<crypto::DataKey> key;
  if (with_notes) {
    ASSIGN_OR_RETURN(key, UnwrapKey(*directory_, txn, row));
  }
  ASSIGN_OR_RETURN(
      store::Statement s,
      txn.Prepare("SELECT seq, kind, occur_time, next_due_date, author, "
                  "create_time, sealed_notes FROM follow_ups WHERE "
                  "case_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3"));
  RETURN_IF_ERROR(s.BindInt64(1, row.id));
  RETURN_IF_ERROR(s.BindInt64(2, after));
  RETURN_IF_ERROR(s.BindInt64(3, page_size + 1));
  v1::ListFollowUpsResponse response;
  int64_t last = 0;
  while (true) {
    ASSIGN_OR_RETURN(bool found, s.Step());
    if (!found) break;
    if (response.follow_ups_size() == page_size) {
      response.set_next_page_token(
          admin::EncodePageToken(scope, absl::StrCat(last)));
      break;
    }
    v1::FollowUp* f = response.add_follow_ups();
    ASSIGN_OR_RETURN(last, s.ColumnInt64(0));
    f->set_name(absl::StrCat(case_name, "/followUps/", last));
    ASSIGN_OR_RETURN(int64_t kind, s.ColumnInt64(1));
    f->set_kind(static_cast<v1::FollowUpKind>(kind));
    ASSIGN_OR_RETURN(int64_t occur, s.ColumnInt64(2));
    api::SetTimestamp(occur, f->mutable_occur_time());
    ASSIGN_OR_RETURN(int64_t due, s.ColumnInt64(3));
    SetDate(due, f->mutable_next_due_date());
    ASSIGN_OR_RETURN(absl::string_view author, s.ColumnText(4));
    f->set_author(std::string(author));
    ASSIGN_OR_RETURN(int64_t created, s.ColumnInt64(5));
    api::SetTimestamp(created, f->mutable_create_time());
    if (key && !s.ColumnIsNull(6)) {
      ASSIGN_OR_RETURN(absl::string_view sealed, s.ColumnBlob(6));
      absl::StatusOr<std::string> notes =
          key->Open(sealed, FollowUpContext(row, f->name()));
      if (!notes.ok()) {
        return SealedDataError("the notes of a follow-up", notes.status());
      }
      f->set_notes(*std::move(notes));
    }
  }
  return response;
}

absl::StatusOr<v1::ProtectionMeasure> CaseStore::AddProtectionMeasure(
    store::WriteTxn& txn, const auth::Principal& caller,
    const v1::AddProtectionMeasureRequest& request) {
  RETURN_IF_ERROR(ValidateAddProtectionMeasure(request, Today(clock_)));
  ASSIGN_OR_RETURN(CaseRow row, LoadVisibleCase(txn, caller, request.parent()));
  ASSIGN_OR_RETURN(RequestIds::Use use,
                   request_ids_->Find(txn, caller, "AddProtectionMeasure",
                                      request, request.request_id()));
  ASSIGN_OR_RETURN(std::optional<int64_t> existing, SeqOfRetry(use));
  if (!existing && row.descriptors.status() == v1::CASE_STATUS_CLOSED) {
    return absl::FailedPreconditionError(kCaseClosed);
  }
  int64_t seq = 0;
  if (existing) {
    seq = *existing;
  } else {
    ASSIGN_OR_RETURN(seq, NextSeq(txn, "protection_measures", row.id));
    const v1::ProtectionMeasure& m = request.protection_measure();
    const int64_t now = NowMicros(clock_);
    // The measure is part of the Case resource: a new version. Re-sealed
    // before the first change, as everything that can fail.
    RETURN_IF_ERROR(BumpVersion(*directory_, txn, row, now));
    ASSIGN_OR_RETURN(
        store::Statement s,
        txn.Prepare("INSERT INTO protection_measures(case_id, seq, type, "
                    "status, issuing_authority, issue_date, expiry_date, "
                    "create_time, request_id) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
    RETURN_IF_ERROR(s.BindInt64(1, row.id));
    RETURN_IF_ERROR(s.BindInt64(2, seq));
    RETURN_IF_ERROR(s.BindInt64(3, m.type()));
    RETURN_IF_ERROR(s.BindInt64(4, m.status()));
    RETURN_IF_ERROR(s.BindText(5, m.issuing_authority()));
    RETURN_IF_ERROR(s.BindInt64(6, DateColumn(m.issue_date())));
    RETURN_IF_ERROR(s.BindInt64(7, DateColumn(m.expiry_date())));
    RETURN_IF_ERROR(s.BindInt64(8, now));
    RETURN_IF_ERROR(s.BindNull(9));  // request ids: request_ids.h
    RETURN_IF_ERROR(s.Run());
    RETURN_IF_ERROR(UpdateCaseRow(txn, row));
    RETURN_IF_ERROR(RequestIds::Record(
        txn, caller, use,
        absl::StrCat(row.name(), "/protectionMeasures/", seq)));
  }
  ASSIGN_OR_RETURN(
      store::Statement s,
      txn.Prepare(absl::StrCat("SELECT ", kMeasureColumns,
                               " FROM protection_measures WHERE case_id = ?1 "
                               "AND seq = ?2")));
  RETURN_IF_ERROR(s.BindInt64(1, row.id));
  RETURN_IF_ERROR(s.BindInt64(2, seq));
  ASSIGN_OR_RETURN(bool found, s.Step());
  if (!found) return absl::InternalError("a protection measure vanished");
  return ReadMeasure(s, row.name());
}

absl::StatusOr<v1::Case> CaseStore::CloseCase(
    store::WriteTxn& txn, const auth::Principal& caller,
    const v1::CloseCaseRequest& request) {
  RETURN_IF_ERROR(ValidateCloseCase(request));
  ASSIGN_OR_RETURN(CaseRow row, LoadVisibleCase(txn, caller, request.name()));
  RETURN_IF_ERROR(CheckEtag(row, request.etag()));
  if (row.descriptors.status() == v1::CASE_STATUS_CLOSED) {
    return absl::FailedPreconditionError("the case is already closed");
  }
  row.status_before_close = row.descriptors.status();
  row.closure_reason = request.reason();
  row.descriptors.set_status(v1::CASE_STATUS_CLOSED);
  RETURN_IF_ERROR(BumpVersion(*directory_, txn, row, NowMicros(clock_)));
  RETURN_IF_ERROR(UpdateCaseRow(txn, row));
  return LoadBasicView(txn, row);
}

absl::StatusOr<v1::Case> CaseStore::ReopenCase(
    store::WriteTxn& txn, const auth::Principal& caller,
    const v1::ReopenCaseRequest& request) {
  RETURN_IF_ERROR(ValidateReopenCase(request));
  ASSIGN_OR_RETURN(CaseRow row, LoadVisibleCase(txn, caller, request.name()));
  RETURN_IF_ERROR(CheckEtag(row, request.etag()));
  if (row.descriptors.status() != v1::CASE_STATUS_CLOSED) {
    return absl::FailedPreconditionError("the case is not closed");
  }
  if (!v1::CaseStatus_IsValid(static_cast<int>(row.status_before_close)) ||
      row.status_before_close == v1::CASE_STATUS_UNSPECIFIED ||
      row.status_before_close == v1::CASE_STATUS_CLOSED) {
    return absl::DataLossError("the case's status before closure is invalid");
  }
  row.descriptors.set_status(
      static_cast<v1::CaseStatus>(row.status_before_close));
  row.status_before_close = 0;
  row.closure_reason = 0;
  RETURN_IF_ERROR(BumpVersion(*directory_, txn, row, NowMicros(clock_)));
  RETURN_IF_ERROR(UpdateCaseRow(txn, row));
  return LoadBasicView(txn, row);
}

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
  return LoadBasicView(txn, row);
}

}  // namespace resguardo::cases
