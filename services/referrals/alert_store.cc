#include "services/referrals/alert_store.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "services/api/page_token.h"
#include "services/api/timestamps.h"
#include "services/store/statement.h"

namespace resguardo::referrals {
namespace {

std::string TokenScope(absl::string_view institution) {
  return absl::StrCat("WatchAlerts|", institution);
}

}  // namespace

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
    alert.set_resume_token(
        ResumeToken(institution, static_cast<uint64_t>(seq)));
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
