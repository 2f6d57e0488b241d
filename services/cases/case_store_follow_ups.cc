// CaseStore's follow-ups (notes sealed) and protection measures: adding and
// listing.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "crypto/envelope.h"
#include "services/api/page_token.h"
#include "services/api/resource_names.h"
#include "services/api/timestamps.h"
#include "services/cases/case_store.h"
#include "services/cases/case_validator.h"
#include "services/cases/internal/case_row.h"
#include "services/cases/internal/case_sealing.h"
#include "services/cases/internal/case_views.h"
#include "services/store/page_query.h"
#include "services/store/statement.h"

namespace resguardo::cases {
namespace {

using internal::BumpVersion;
using internal::CaseRow;
using internal::DateColumn;
using internal::FollowUpContext;
using internal::kCaseClosed;
using internal::kMeasureColumns;
using internal::LoadVisibleCase;
using internal::NowMicros;
using internal::ReadMeasure;
using internal::SealedDataError;
using internal::SetDate;
using internal::Today;
using internal::UnwrapKey;
using internal::UpdateCaseRow;

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

}  // namespace

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
                   api::DecodeRowPosition(request.page_token(), scope));
  const int page_size = api::EffectivePageSize(request.page_size(),
                                               kDefaultPageSize, kMaxPageSize);
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
  v1::ListFollowUpsResponse response;
  int64_t last = 0;
  auto read_row = [&]() -> absl::Status {
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
    return absl::OkStatus();
  };
  ASSIGN_OR_RETURN(const bool more, store::ReadPage(s, 3, page_size, read_row));
  if (more) {
    response.set_next_page_token(
        api::EncodePageToken(scope, absl::StrCat(last)));
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
  ASSIGN_OR_RETURN(v1::ProtectionMeasure added, ReadMeasure(s, row.name()));
  internal::SetAllowedNextStatuses(caller, row.descriptors.status(), added);
  return added;
}

}  // namespace resguardo::cases
