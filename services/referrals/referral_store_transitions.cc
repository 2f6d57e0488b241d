// ReferralStore's transitions: accept, reject, complete and withdraw, each one
// Transition that Apply checks and makes.

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/status_macros.h"
#include "services/api/error_catalogue.h"
#include "services/api/text_rules.h"
#include "services/referrals/alert_store.h"
#include "services/referrals/internal/referral_row.h"
#include "services/referrals/referral_store.h"
#include "services/referrals/referral_validator.h"
#include "services/store/statement.h"

namespace resguardo::referrals {
namespace {

using internal::kChanged;
using internal::Load;
using internal::Row;
using internal::Side;
using internal::StatusWord;
using internal::ToBasic;

}  // namespace

struct ReferralStore::Transition {
  std::string name;
  std::string etag;
  std::vector<int> from;  // allowed statuses
  int to = 0;
  const char* verb = "";
  const char* done = "";  // the verb's participle, for messages
  // Which side may make it; both when both are set.
  bool sender = false;
  bool receiver = false;
  // Extra column to set (reject_reason, outcome, withdrawal_reason).
  const char* column = nullptr;
  int value = 0;
  bool shred = false;
};

absl::StatusOr<v1::Referral> ReferralStore::Apply(store::WriteTxn& txn,
                                                  const auth::Principal& caller,
                                                  const Transition& t) {
  ASSIGN_OR_RETURN(auto loaded, Load(txn, caller, t.name));
  Row& row = loaded.first;
  const Side side = loaded.second;
  if (side == Side::kSender && !t.sender) {
    return api::WithErrorText(
        absl::PermissionDeniedError(absl::StrCat(
            "only the receiving institution may ", t.verb, " a referral")),
        api::ErrorId::kDeniedReceiverOnly);
  }
  if (side == Side::kReceiver && !t.receiver) {
    return api::WithErrorText(
        absl::PermissionDeniedError(
            t.shred ? "the receiving institution may withdraw a referral only "
                      "to record the victim's withdrawal of consent"
                    : absl::StrCat("only the sending institution may ", t.verb,
                                   " a referral")),
        t.shred ? api::ErrorId::kDeniedReceiverWithdraw
                : api::ErrorId::kDeniedSenderOnly);
  }
  if (absl::StrCat(row.version) != t.etag) return absl::AbortedError(kChanged);
  bool allowed = false;
  for (int from : t.from) allowed |= row.status == from;
  if (!allowed) {
    return absl::FailedPreconditionError(absl::StrCat("a referral in status ",
                                                      StatusWord(row.status),
                                                      " cannot be ", t.done));
  }
  const absl::Time now = clock_->Now();
  row.status = t.to;
  row.version += 1;
  row.update_time = absl::ToUnixMicros(now);
  std::string sql =
      "UPDATE referrals SET status = ?1, version = ?2, update_time = ?3";
  if (t.column != nullptr) absl::StrAppend(&sql, ", ", t.column, " = ?4");
  if (t.shred) absl::StrAppend(&sql, ", sealed_shared = NULL");
  // When it was accepted, for statistics (time to acceptance).
  if (t.to == v1::REFERRAL_STATUS_ACCEPTED) {
    absl::StrAppend(&sql, ", accept_time = ?3");
  }
  absl::StrAppend(&sql, " WHERE id = ?5");
  ASSIGN_OR_RETURN(store::Statement update, txn.Prepare(sql));
  RETURN_IF_ERROR(update.BindInt64(1, row.status));
  RETURN_IF_ERROR(update.BindInt64(2, row.version));
  RETURN_IF_ERROR(update.BindInt64(3, row.update_time));
  if (t.column != nullptr) RETURN_IF_ERROR(update.BindInt64(4, t.value));
  RETURN_IF_ERROR(update.BindInt64(5, row.id));
  RETURN_IF_ERROR(update.Run());
  if (t.shred) {
    // Crypto-shredding: the receiver's wrapped DEK goes now (secure_delete
    // is on, so its bytes do not linger in free pages).
    ASSIGN_OR_RETURN(store::Statement del,
                     txn.Prepare("DELETE FROM referral_keys WHERE "
                                 "referral_id = ?1 AND holder = ?2"));
    RETURN_IF_ERROR(del.BindInt64(1, row.id));
    RETURN_IF_ERROR(del.BindText(2, row.receiving));
    RETURN_IF_ERROR(del.Run());
    row.destroyed = true;
  }
  if (t.column != nullptr) {
    if (std::string(t.column) == "reject_reason") row.reject_reason = t.value;
    if (std::string(t.column) == "outcome") row.outcome = t.value;
    if (std::string(t.column) == "withdrawal_reason") {
      row.withdrawal_reason = t.value;
    }
  }
  return ToBasic(row, now);
}

absl::StatusOr<v1::Referral> ReferralStore::AcceptReferral(
    store::WriteTxn& txn, const auth::Principal& caller,
    const v1::AcceptReferralRequest& request) {
  RETURN_IF_ERROR(ValidateTransition(request.name(), request.etag(), "", true));
  Transition t;
  t.name = request.name();
  t.etag = request.etag();
  t.from = {v1::REFERRAL_STATUS_PENDING};
  t.to = v1::REFERRAL_STATUS_ACCEPTED;
  t.verb = "accept";
  t.done = "accepted";
  t.receiver = true;
  return Apply(txn, caller, t);
}

absl::StatusOr<v1::Referral> ReferralStore::RejectReferral(
    store::WriteTxn& txn, const auth::Principal& caller,
    const v1::RejectReferralRequest& request) {
  RETURN_IF_ERROR(ValidateTransition(
      request.name(), request.etag(), "reason",
      request.reason() != v1::REFERRAL_REJECT_REASON_UNSPECIFIED &&
          v1::ReferralRejectReason_IsValid(request.reason())));
  Transition t;
  t.name = request.name();
  t.etag = request.etag();
  t.from = {v1::REFERRAL_STATUS_PENDING};
  t.to = v1::REFERRAL_STATUS_REJECTED;
  t.verb = "reject";
  t.done = "rejected";
  t.receiver = true;
  t.column = "reject_reason";
  t.value = request.reason();
  // An institution that declined the referral has no need to know: its copy
  // goes as on withdrawal.
  t.shred = true;
  return Apply(txn, caller, t);
}

absl::StatusOr<v1::Referral> ReferralStore::CompleteReferral(
    store::WriteTxn& txn, const auth::Principal& caller,
    const v1::CompleteReferralRequest& request) {
  RETURN_IF_ERROR(ValidateTransition(
      request.name(), request.etag(), "outcome",
      request.outcome() != v1::REFERRAL_OUTCOME_UNSPECIFIED &&
          v1::ReferralOutcome_IsValid(request.outcome())));
  Transition t;
  t.name = request.name();
  t.etag = request.etag();
  t.from = {v1::REFERRAL_STATUS_ACCEPTED};
  t.to = v1::REFERRAL_STATUS_COMPLETED;
  t.verb = "complete";
  t.done = "completed";
  t.receiver = true;
  t.column = "outcome";
  t.value = request.outcome();
  return Apply(txn, caller, t);
}

absl::StatusOr<v1::Referral> ReferralStore::WithdrawReferral(
    store::WriteTxn& txn, const auth::Principal& caller,
    const v1::WithdrawReferralRequest& request) {
  RETURN_IF_ERROR(ValidateTransition(
      request.name(), request.etag(), "reason",
      request.reason() != v1::REFERRAL_WITHDRAWAL_REASON_UNSPECIFIED &&
          v1::ReferralWithdrawalReason_IsValid(request.reason())));
  Transition t;
  t.name = request.name();
  t.etag = request.etag();
  t.from = {v1::REFERRAL_STATUS_PENDING, v1::REFERRAL_STATUS_ACCEPTED};
  // A victim may withdraw her consent after the service too: the receiver's
  // copy must still go (the outcome stays recorded).
  if (request.reason() == v1::REFERRAL_WITHDRAWAL_REASON_CONSENT_WITHDRAWN) {
    t.from.push_back(v1::REFERRAL_STATUS_COMPLETED);
  }
  t.to = v1::REFERRAL_STATUS_WITHDRAWN;
  t.verb = "withdraw";
  t.done = "withdrawn";
  t.sender = true;
  // The receiver records only the victim's withdrawal of consent.
  t.receiver =
      request.reason() == v1::REFERRAL_WITHDRAWAL_REASON_CONSENT_WITHDRAWN;
  t.column = "withdrawal_reason";
  t.value = request.reason();
  t.shred = true;
  return Apply(txn, caller, t);
}

}  // namespace resguardo::referrals
