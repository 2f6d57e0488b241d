#include "services/cases/internal/case_views.h"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "services/api/timestamps.h"
#include "services/cases/case_transitions.h"
#include "services/cases/internal/resolution_rows.h"
#include "services/cases/measure_transitions.h"
#include "services/store/statement.h"

namespace resguardo::cases::internal {
namespace {

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

}  // namespace

// The measure in kMeasureColumns, from column `first` of the row on.
absl::StatusOr<v1::ProtectionMeasure> ReadMeasure(const store::Statement& s,
                                                  absl::string_view case_name,
                                                  int first) {
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
  // None (0): only requested, or in force indefinitely.
  if (expires != 0) SetDate(expires, m.mutable_expiry_date());
  ASSIGN_OR_RETURN(int64_t created, s.ColumnInt64(first + 6));
  api::SetTimestamp(created, m.mutable_create_time());
  return m;
}

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

void SetAllowedNextStatuses(const auth::Principal& caller,
                            v1::CaseStatus case_status,
                            v1::ProtectionMeasure& measure) {
  measure.clear_allowed_next_statuses();
  for (v1::ProtectionMeasureStatus s : AllowedNextMeasureStatuses(
           caller, case_status, measure.status(), measure.has_expiry_date())) {
    measure.add_allowed_next_statuses(s);
  }
}

v1::Case BasicView(const auth::Principal& caller, const CaseRow& row,
                   std::vector<v1::ProtectionMeasure> measures) {
  v1::Case c;
  c.set_name(row.name());
  c.set_folio(row.folio);
  *c.mutable_descriptors() = row.descriptors;
  api::SetTimestamp(row.create_time, c.mutable_create_time());
  api::SetTimestamp(row.update_time, c.mutable_update_time());
  c.set_etag(absl::StrCat(row.version));
  c.set_personal_data_erased(row.erased);
  const v1::CaseStatus status = row.descriptors.status();
  for (v1::ProtectionMeasure& m : measures) {
    SetAllowedNextStatuses(caller, status, m);
    *c.add_protection_measures() = std::move(m);
  }
  if (status == v1::CASE_STATUS_CLOSED) {
    c.set_closure_reason(static_cast<v1::ClosureReason>(row.closure_reason));
  }
  for (v1::CaseStatus next : AllowedNextStatuses(
           caller, row.descriptors.kind(), status, row.status_before_close)) {
    c.add_allowed_next_statuses(next);
  }
  return c;
}

absl::StatusOr<v1::Case> LoadBasicView(store::ReadTxn& txn,
                                       const auth::Principal& caller,
                                       const CaseRow& row) {
  ASSIGN_OR_RETURN(std::vector<v1::ProtectionMeasure> measures,
                   LoadMeasures(txn, row));
  v1::Case c = BasicView(caller, row, std::move(measures));
  ASSIGN_OR_RETURN(std::vector<v1::Resolution> resolutions,
                   LoadResolutions(txn, caller, row, nullptr));
  for (v1::Resolution& r : resolutions) *c.add_resolutions() = std::move(r);
  return c;
}

// The BASIC views of `rows` (whose codes are not loaded yet), with their
// codes and protection measures read in one query per kIdsPerQuery cases
// rather than two per case: after any commit, a read transaction decrypts
// and authenticates afresh every page it touches, and a page of codes or
// measures holds those of many consecutive cases.
absl::StatusOr<std::vector<v1::Case>> LoadListViews(
    store::ReadTxn& txn, const auth::Principal& caller,
    std::vector<CaseRow>& rows) {
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
    views.push_back(BasicView(caller, rows[i], std::move(measures[i])));
  }
  return views;
}

}  // namespace resguardo::cases::internal
