#include "services/referrals/alert_store.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/status_macros.h"
#include "services/api/error_catalogue.h"
#include "services/api/field_violations.h"
#include "services/api/page_token.h"
#include "services/api/resource_names.h"
#include "services/api/timestamps.h"
#include "services/store/page_query.h"
#include "services/store/statement.h"

namespace resguardo::referrals {
namespace {

std::string TokenScope(absl::string_view institution) {
  return absl::StrCat("WatchAlerts|", institution);
}

std::string ListScope(absl::string_view institution) {
  return absl::StrCat("ListAlerts|", institution);
}

// A ListAlerts page token's position: "{newest}:{before}", the listing's
// newest sequence and the sequence the next page starts below.
struct ListPosition {
  uint64_t newest = 0;
  uint64_t before = 0;
};

std::optional<ListPosition> ParseListPosition(absl::string_view position) {
  std::pair<absl::string_view, absl::string_view> parts =
      absl::StrSplit(position, absl::MaxSplits(':', 1));
  ListPosition p;
  if (!absl::SimpleAtoi(parts.first, &p.newest) ||
      !absl::SimpleAtoi(parts.second, &p.before) || p.before > p.newest + 1) {
    return std::nullopt;
  }
  return p;
}

}  // namespace

// An alert from a row of "SELECT seq, kind, resource, due_time,
// create_time FROM alerts", with its resume token.
absl::StatusOr<v1::Alert> AlertStore::ReadAlert(const store::Statement& query,
                                                absl::string_view institution) {
  v1::Alert alert;
  ASSIGN_OR_RETURN(int64_t seq, query.ColumnInt64(0));
  ASSIGN_OR_RETURN(int64_t kind, query.ColumnInt64(1));
  ASSIGN_OR_RETURN(absl::string_view resource, query.ColumnText(2));
  ASSIGN_OR_RETURN(int64_t due, query.ColumnInt64(3));
  ASSIGN_OR_RETURN(int64_t created, query.ColumnInt64(4));
  alert.set_sequence(static_cast<uint64_t>(seq));
  alert.set_kind(static_cast<v1::AlertKind>(kind));
  alert.set_resource(std::string(resource));
  if (due != 0) api::SetTimestamp(due, alert.mutable_due_time());
  api::SetTimestamp(created, alert.mutable_create_time());
  alert.set_resume_token(ResumeToken(institution, static_cast<uint64_t>(seq)));
  return alert;
}

absl::StatusOr<bool> AlertStore::Raise(store::WriteTxn& txn,
                                       absl::string_view institution,
                                       v1::AlertKind kind,
                                       absl::string_view resource,
                                       absl::Time due, absl::Time now,
                                       std::optional<std::string> dedup_key) {
  if (dedup_key) {
    ASSIGN_OR_RETURN(store::Statement seen,
                     txn.Prepare("SELECT 1 FROM alerts WHERE dedup_key = ?1"));
    RETURN_IF_ERROR(seen.BindText(1, *dedup_key));
    ASSIGN_OR_RETURN(bool exists, seen.Step());
    if (exists) return false;
  }
  ASSIGN_OR_RETURN(uint64_t last, LastSequence(txn, institution));
  ASSIGN_OR_RETURN(
      store::Statement insert,
      txn.Prepare("INSERT INTO alerts(institution, seq, kind, resource, "
                  "due_time, create_time, dedup_key) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
  RETURN_IF_ERROR(insert.BindText(1, institution));
  RETURN_IF_ERROR(insert.BindInt64(2, static_cast<int64_t>(last + 1)));
  RETURN_IF_ERROR(insert.BindInt64(3, kind));
  RETURN_IF_ERROR(insert.BindText(4, resource));
  RETURN_IF_ERROR(insert.BindInt64(
      5, due == absl::InfinitePast() ? 0 : absl::ToUnixMicros(due)));
  RETURN_IF_ERROR(insert.BindInt64(6, absl::ToUnixMicros(now)));
  if (dedup_key) {
    RETURN_IF_ERROR(insert.BindText(7, *dedup_key));
  } else {
    RETURN_IF_ERROR(insert.BindNull(7));
  }
  RETURN_IF_ERROR(insert.Run());
  return true;
}

absl::StatusOr<std::vector<v1::Alert>> AlertStore::ListAfter(
    store::ReadTxn& txn, absl::string_view institution, uint64_t after,
    int limit) {
  ASSIGN_OR_RETURN(
      store::Statement query,
      txn.Prepare("SELECT seq, kind, resource, due_time, create_time "
                  "FROM alerts WHERE institution = ?1 AND seq > ?2 "
                  "ORDER BY seq LIMIT ?3"));
  RETURN_IF_ERROR(query.BindText(1, institution));
  RETURN_IF_ERROR(query.BindInt64(2, static_cast<int64_t>(after)));
  RETURN_IF_ERROR(query.BindInt64(3, limit));
  std::vector<v1::Alert> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    ASSIGN_OR_RETURN(v1::Alert alert, ReadAlert(query, institution));
    out.push_back(std::move(alert));
  }
  return out;
}

absl::StatusOr<uint64_t> AlertStore::LastSequence(
    store::ReadTxn& txn, absl::string_view institution) {
  ASSIGN_OR_RETURN(store::Statement query,
                   txn.Prepare("SELECT COALESCE(MAX(seq), 0) FROM alerts "
                               "WHERE institution = ?1"));
  RETURN_IF_ERROR(query.BindText(1, institution));
  ASSIGN_OR_RETURN(bool row, query.Step());
  if (!row) return uint64_t{0};
  ASSIGN_OR_RETURN(int64_t last, query.ColumnInt64(0));
  return static_cast<uint64_t>(last);
}

absl::StatusOr<std::string> AlertStore::CallersInstitution(
    const auth::Principal& caller, absl::string_view parent) {
  std::optional<std::string> institution = api::ParseInstitutionName(parent);
  if (!institution) {
    api::FieldViolations v;
    v.Add("parent", api::ErrorId::kInstitutionName);
    return v.ToStatus();
  }
  if (*institution != caller.institution) {
    return api::WithErrorText(
        absl::PermissionDeniedError(
            "the caller may act only for her own institution"),
        api::ErrorId::kDeniedOwnInstitution);
  }
  return *std::move(institution);
}

absl::StatusOr<v1::ListAlertsResponse> AlertStore::List(
    store::ReadTxn& txn, const auth::Principal& caller,
    const v1::ListAlertsRequest& request) {
  api::FieldViolations v;
  if (request.page_size() < 0)
    v.Add("page_size", api::ErrorId::kPageSizeNegative);
  if (request.page_token().size() > api::kMaxPageTokenSize) {
    v.Add("page_token", api::ErrorId::kPageTokenForm);
  }
  RETURN_IF_ERROR(v.ToStatus());
  ASSIGN_OR_RETURN(std::string institution,
                   CallersInstitution(caller, request.parent()));
  const std::string scope = ListScope(institution);
  ListPosition at;
  if (request.page_token().empty()) {
    ASSIGN_OR_RETURN(at.newest, LastSequence(txn, institution));
    at.before = at.newest + 1;
  } else {
    std::optional<std::string> position =
        api::DecodePageToken(request.page_token(), scope);
    std::optional<ListPosition> parsed =
        position ? ParseListPosition(*position) : std::nullopt;
    if (!parsed) {
      v.Add("page_token", api::PageTokenViolation(request.page_token(), scope));
      return v.ToStatus();
    }
    at = *parsed;
  }
  const int page_size = api::EffectivePageSize(request.page_size(),
                                               kDefaultPageSize, kMaxPageSize);
  ASSIGN_OR_RETURN(
      store::Statement query,
      txn.Prepare("SELECT seq, kind, resource, due_time, create_time "
                  "FROM alerts WHERE institution = ?1 AND seq < ?2 "
                  "ORDER BY seq DESC LIMIT ?3"));
  RETURN_IF_ERROR(query.BindText(1, institution));
  RETURN_IF_ERROR(query.BindInt64(2, static_cast<int64_t>(at.before)));
  v1::ListAlertsResponse response;
  response.set_resume_token(ResumeToken(institution, at.newest));
  auto read_row = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(*response.add_alerts(), ReadAlert(query, institution));
    return absl::OkStatus();
  };
  ASSIGN_OR_RETURN(const bool more,
                   store::ReadPage(query, 3, page_size, read_row));
  if (more) {
    const uint64_t next_before = response.alerts(page_size - 1).sequence();
    response.set_next_page_token(
        api::EncodePageToken(scope, absl::StrCat(at.newest, ":", next_before)));
  }
  return response;
}

std::string AlertStore::ResumeToken(absl::string_view institution,
                                    uint64_t sequence) {
  return api::EncodePageToken(TokenScope(institution), absl::StrCat(sequence));
}

std::optional<uint64_t> AlertStore::ParseResumeToken(
    absl::string_view institution, absl::string_view token) {
  std::optional<std::string> position =
      api::DecodePageToken(token, TokenScope(institution));
  uint64_t sequence = 0;
  if (!position || !absl::SimpleAtoi(*position, &sequence)) {
    return std::nullopt;
  }
  return sequence;
}

}  // namespace resguardo::referrals
