// CaseStore::ListCases: a page of an institution's cases, filtered.
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "services/api/error_catalogue.h"
#include "services/api/page_token.h"
#include "services/api/resource_names.h"
#include "services/cases/case_store.h"
#include "services/cases/case_validator.h"
#include "services/cases/internal/case_row.h"
#include "services/cases/internal/case_views.h"
#include "services/store/page_query.h"
#include "services/store/statement.h"

namespace resguardo::cases {
namespace {

using internal::CaseRow;
using internal::DateColumn;
using internal::kCaseListColumns;
using internal::kOwnInstitutionOnly;
using internal::LoadListViews;
using internal::ReadCaseRow;

}  // namespace

absl::StatusOr<v1::ListCasesResponse> CaseStore::ListCases(
    store::ReadTxn& txn, const auth::Principal& caller,
    const v1::ListCasesRequest& request) const {
  RETURN_IF_ERROR(ValidateListCases(request));
  const std::string institution = *api::ParseInstitutionName(request.parent());
  if (!auth::CanActFor(caller, institution, /*admin_method=*/false)) {
    return api::WithErrorText(absl::PermissionDeniedError(kOwnInstitutionOnly),
                              api::ErrorId::kDeniedOwnInstitution);
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
                   api::DecodeRowPosition(request.page_token(), scope));
  const int page_size = api::EffectivePageSize(request.page_size(),
                                               kDefaultPageSize, kMaxPageSize);

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

  std::vector<CaseRow> rows;
  rows.reserve(page_size);
  auto read_row = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(CaseRow row, ReadCaseRow(s));
    rows.push_back(std::move(row));
    return absl::OkStatus();
  };
  ASSIGN_OR_RETURN(const bool more,
                   store::ReadPage(s, limit_param, page_size, read_row));
  v1::ListCasesResponse response;
  ASSIGN_OR_RETURN(std::vector<v1::Case> views,
                   LoadListViews(txn, caller, rows));
  for (v1::Case& view : views) *response.add_cases() = std::move(view);
  if (more) {
    response.set_next_page_token(
        api::EncodePageToken(scope, absl::StrCat(rows.back().id)));
  }
  return response;
}

}  // namespace resguardo::cases
