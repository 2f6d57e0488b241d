// ReferralStore's follow-ups: the receiving institution's notes on a referral
// (sealed), and listing them.

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/status_macros.h"
#include "crypto/envelope.h"
#include "crypto/record_context.h"
#include "services/api/error_catalogue.h"
#include "services/api/field_violations.h"
#include "services/api/page_token.h"
#include "services/api/resource_names.h"
#include "services/api/text_rules.h"
#include "services/api/timestamps.h"
#include "services/referrals/alert_store.h"
#include "services/referrals/internal/referral_row.h"
#include "services/referrals/referral_store.h"
#include "services/referrals/referral_validator.h"
#include "services/store/page_query.h"
#include "services/store/statement.h"

namespace resguardo::referrals {
namespace {

using internal::Load;
using internal::Row;
using internal::Side;
using internal::StatusWord;

}  // namespace

absl::StatusOr<v1::ReferralFollowUp> ReferralStore::AddReferralFollowUp(
    store::WriteTxn& txn, const auth::Principal& caller,
    const v1::AddReferralFollowUpRequest& request) {
  const absl::Time now = clock_->Now();
  {
    api::FieldViolations v;
    if (!ParseReferralName(request.parent())) {
      v.Add("parent", api::ErrorId::kReferralName);
    }
    const v1::ReferralFollowUp& f = request.follow_up();
    if (f.kind() == v1::FOLLOW_UP_KIND_UNSPECIFIED ||
        !v1::FollowUpKind_IsValid(f.kind())) {
      v.Add("follow_up.kind", api::ErrorId::kRequired);
    }
    const auto& t = f.occur_time();
    if (!f.has_occur_time() || t.seconds() < 946684800 || t.nanos() < 0 ||
        t.nanos() > 999999999 ||
        absl::FromUnixSeconds(t.seconds()) > now + absl::Minutes(5)) {
      v.Add("follow_up.occur_time", {api::ErrorId::kTimeFromNotFuture, {2000}});
    }
    api::CheckText(v, "follow_up.notes", f.notes(), 0, 20000,
                   api::Lines::kMulti);
    RETURN_IF_ERROR(v.ToStatus());
  }
  ASSIGN_OR_RETURN(auto loaded, Load(txn, caller, request.parent()));
  const Row& row = loaded.first;
  if (loaded.second != Side::kReceiver) {
    return api::WithErrorText(
        absl::PermissionDeniedError(
            "only the receiving institution records follow-ups on a referral"),
        api::ErrorId::kDeniedReceiverOnly);
  }
  if (row.status != v1::REFERRAL_STATUS_ACCEPTED &&
      row.status != v1::REFERRAL_STATUS_COMPLETED) {
    return absl::FailedPreconditionError(
        absl::StrCat("a referral in status ", StatusWord(row.status),
                     " takes no follow-ups: accept it first"));
  }
  int64_t seq = 0;
  {
    ASSIGN_OR_RETURN(store::Statement q,
                     txn.Prepare("SELECT COALESCE(MAX(seq), 0) + 1 FROM "
                                 "referral_follow_ups WHERE referral_id = ?1"));
    RETURN_IF_ERROR(q.BindInt64(1, row.id));
    ASSIGN_OR_RETURN(bool found, q.Step());
    (void)found;
    ASSIGN_OR_RETURN(seq, q.ColumnInt64(0));
  }
  const std::string name = absl::StrCat(row.name(), "/followUps/", seq);
  std::optional<std::string> wrapped, sealed;
  if (!request.follow_up().notes().empty()) {
    ASSIGN_OR_RETURN(std::shared_ptr<const crypto::Envelope> envelope,
                     directory_->EnvelopeFor(txn, row.receiving));
    ASSIGN_OR_RETURN(crypto::Envelope::NewKey key, envelope->NewDataKey(name));
    ASSIGN_OR_RETURN(
        sealed, key.key.Seal(request.follow_up().notes(),
                             crypto::RecordContext{kFollowUpNotesPurpose,
                                                   row.receiving, name, 1}));
    key.key.Destroy();
    wrapped = std::move(key.wrapped);
  }
  const std::string author =
      api::UserResourceName(caller.institution, caller.user);
  ASSIGN_OR_RETURN(
      store::Statement insert,
      txn.Prepare("INSERT INTO referral_follow_ups(referral_id, seq, kind, "
                  "occur_time, author, create_time, wrapped_dek, "
                  "sealed_notes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
  RETURN_IF_ERROR(insert.BindInt64(1, row.id));
  RETURN_IF_ERROR(insert.BindInt64(2, seq));
  RETURN_IF_ERROR(insert.BindInt64(3, request.follow_up().kind()));
  RETURN_IF_ERROR(
      insert.BindInt64(4, api::ToMicros(request.follow_up().occur_time())));
  RETURN_IF_ERROR(insert.BindText(5, author));
  RETURN_IF_ERROR(insert.BindInt64(6, absl::ToUnixMicros(now)));
  if (wrapped) {
    RETURN_IF_ERROR(insert.BindBlob(7, *wrapped));
    RETURN_IF_ERROR(insert.BindBlob(8, *sealed));
  } else {
    RETURN_IF_ERROR(insert.BindNull(7));
    RETURN_IF_ERROR(insert.BindNull(8));
  }
  RETURN_IF_ERROR(insert.Run());
  v1::ReferralFollowUp out;
  out.set_name(name);
  out.set_kind(request.follow_up().kind());
  *out.mutable_occur_time() = request.follow_up().occur_time();
  out.set_author(author);
  api::SetTimestamp(absl::ToUnixMicros(now), out.mutable_create_time());
  return out;
}

absl::StatusOr<v1::ListReferralFollowUpsResponse>
ReferralStore::ListReferralFollowUps(
    store::ReadTxn& txn, const auth::Principal& caller,
    const v1::ListReferralFollowUpsRequest& request) const {
  if (!ParseReferralName(request.parent())) {
    api::FieldViolations v;
    v.Add("parent", api::ErrorId::kReferralName);
    return v.ToStatus();
  }
  {
    api::FieldViolations v;
    if (!v1::AccessPurpose_IsValid(request.purpose())) {
      v.Add("purpose", api::ErrorId::kNotInCatalogue);
    }
    if (request.page_size() < 0) {
      v.Add("page_size", api::ErrorId::kPageSizeNegative);
    }
    RETURN_IF_ERROR(v.ToStatus());
  }
  const std::string scope = absl::StrCat(
      "ListReferralFollowUps|", request.parent(), "|", request.purpose());
  ASSIGN_OR_RETURN(const int64_t after,
                   api::DecodeRowPosition(request.page_token(), scope));
  const int page_size = api::EffectivePageSize(request.page_size(),
                                               kDefaultPageSize, kMaxPageSize);
  ASSIGN_OR_RETURN(auto loaded, Load(txn, caller, request.parent()));
  const Row& row = loaded.first;
  const bool notes = ReadsSealedData(request);
  if (notes && loaded.second != Side::kReceiver) {
    return api::WithErrorText(
        absl::PermissionDeniedError(
            "only the receiving institution reads its follow-ups' notes"),
        api::ErrorId::kDeniedReceiverOnly);
  }
  std::shared_ptr<const crypto::Envelope> envelope;
  if (notes) {
    ASSIGN_OR_RETURN(envelope, directory_->EnvelopeFor(txn, row.receiving));
  }
  ASSIGN_OR_RETURN(
      store::Statement q,
      txn.Prepare("SELECT seq, kind, occur_time, author, create_time, "
                  "wrapped_dek, sealed_notes FROM referral_follow_ups WHERE "
                  "referral_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3"));
  RETURN_IF_ERROR(q.BindInt64(1, row.id));
  RETURN_IF_ERROR(q.BindInt64(2, after));
  v1::ListReferralFollowUpsResponse response;
  int64_t last_seq = 0;
  auto read_row = [&]() -> absl::Status {
    v1::ReferralFollowUp* f = response.add_follow_ups();
    ASSIGN_OR_RETURN(int64_t seq, q.ColumnInt64(0));
    last_seq = seq;
    ASSIGN_OR_RETURN(int64_t kind, q.ColumnInt64(1));
    ASSIGN_OR_RETURN(int64_t occur, q.ColumnInt64(2));
    ASSIGN_OR_RETURN(absl::string_view author, q.ColumnText(3));
    ASSIGN_OR_RETURN(int64_t created, q.ColumnInt64(4));
    f->set_name(absl::StrCat(row.name(), "/followUps/", seq));
    f->set_kind(static_cast<v1::FollowUpKind>(kind));
    api::SetTimestamp(occur, f->mutable_occur_time());
    f->set_author(std::string(author));
    api::SetTimestamp(created, f->mutable_create_time());
    if (notes && !q.ColumnIsNull(5) && !q.ColumnIsNull(6)) {
      ASSIGN_OR_RETURN(absl::string_view wrapped, q.ColumnBlob(5));
      ASSIGN_OR_RETURN(absl::string_view sealed, q.ColumnBlob(6));
      absl::StatusOr<crypto::DataKey> key =
          envelope->Unwrap(wrapped, f->name());
      absl::StatusOr<std::string> plain =
          key.ok()
              ? key->Open(sealed,
                          crypto::RecordContext{kFollowUpNotesPurpose,
                                                row.receiving, f->name(), 1})
              : key.status();
      if (!plain.ok()) {
        return absl::DataLossError("a follow-up's notes do not open");
      }
      f->set_notes(*plain);
    }
    return absl::OkStatus();
  };
  ASSIGN_OR_RETURN(const bool more, store::ReadPage(q, 3, page_size, read_row));
  if (more) {
    response.set_next_page_token(
        api::EncodePageToken(scope, absl::StrCat(last_seq)));
  }
  return response;
}

}  // namespace resguardo::referrals
