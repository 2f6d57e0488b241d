#include "services/referrals/internal/referral_row.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "base/status_macros.h"
#include "services/api/resource_names.h"
#include "services/api/timestamps.h"
#include "services/referrals/referral_store.h"
#include "services/store/statement.h"

namespace resguardo::referrals::internal {

absl::StatusOr<Row> ReadRow(const store::Statement& s) {
  Row r;
  ASSIGN_OR_RETURN(r.id, s.ColumnInt64(0));
  ASSIGN_OR_RETURN(absl::string_view sending, s.ColumnText(1));
  ASSIGN_OR_RETURN(absl::string_view receiving, s.ColumnText(2));
  ASSIGN_OR_RETURN(absl::string_view folio, s.ColumnText(3));
  r.sending = std::string(sending);
  r.receiving = std::string(receiving);
  r.case_folio = std::string(folio);
  int64_t v = 0;
  ASSIGN_OR_RETURN(r.services, s.ColumnInt64(4));
  ASSIGN_OR_RETURN(v, s.ColumnInt64(5));
  r.status = static_cast<int>(v);
  ASSIGN_OR_RETURN(v, s.ColumnInt64(6));
  r.risk_level = static_cast<int>(v);
  ASSIGN_OR_RETURN(v, s.ColumnInt64(7));
  r.scope = static_cast<int>(v);
  ASSIGN_OR_RETURN(v, s.ColumnInt64(8));
  r.given_by = static_cast<int>(v);
  ASSIGN_OR_RETURN(v, s.ColumnInt64(9));
  r.method = static_cast<int>(v);
  ASSIGN_OR_RETURN(r.consent_time, s.ColumnInt64(10));
  ASSIGN_OR_RETURN(v, s.ColumnInt64(11));
  r.risk_override = v != 0;
  ASSIGN_OR_RETURN(r.accept_deadline, s.ColumnInt64(12));
  ASSIGN_OR_RETURN(v, s.ColumnInt64(13));
  r.reject_reason = static_cast<int>(v);
  ASSIGN_OR_RETURN(v, s.ColumnInt64(14));
  r.outcome = static_cast<int>(v);
  ASSIGN_OR_RETURN(v, s.ColumnInt64(15));
  r.withdrawal_reason = static_cast<int>(v);
  ASSIGN_OR_RETURN(r.create_time, s.ColumnInt64(16));
  ASSIGN_OR_RETURN(r.update_time, s.ColumnInt64(17));
  ASSIGN_OR_RETURN(r.version, s.ColumnInt64(18));
  ASSIGN_OR_RETURN(v, s.ColumnInt64(19));
  r.destroyed = v != 0;
  return r;
}

v1::Referral ToBasic(const Row& r, absl::Time now) {
  v1::Referral out;
  out.set_name(r.name());
  out.set_case_(api::CaseResourceName(r.sending, r.case_folio));
  out.set_sending_institution(r.sending);
  out.set_receiving_institution(r.receiving);
  for (int s = 1; s < 63; ++s) {
    if (r.services & (int64_t{1} << s)) {
      out.add_services(static_cast<v1::ReferralServiceKind>(s));
    }
  }
  out.set_status(static_cast<v1::ReferralStatus>(r.status));
  if (!r.risk_override) {
    v1::Consent* c = out.mutable_consent();
    c->set_given_by(static_cast<v1::ConsentGiver>(r.given_by));
    c->set_method(static_cast<v1::ConsentMethod>(r.method));
    api::SetTimestamp(r.consent_time, c->mutable_give_time());
    c->set_scope(static_cast<v1::SharingScope>(r.scope));
  }
  out.set_risk_override(r.risk_override);
  out.set_scope(static_cast<v1::SharingScope>(r.scope));
  out.set_risk_level(static_cast<v1::RiskLevel>(r.risk_level));
  api::SetTimestamp(r.accept_deadline, out.mutable_accept_deadline());
  out.set_overdue(r.status == v1::REFERRAL_STATUS_PENDING &&
                  absl::ToUnixMicros(now) > r.accept_deadline);
  out.set_reject_reason(static_cast<v1::ReferralRejectReason>(r.reject_reason));
  out.set_outcome(static_cast<v1::ReferralOutcome>(r.outcome));
  out.set_withdrawal_reason(
      static_cast<v1::ReferralWithdrawalReason>(r.withdrawal_reason));
  out.set_shared_data_destroyed(r.destroyed);
  api::SetTimestamp(r.create_time, out.mutable_create_time());
  api::SetTimestamp(r.update_time, out.mutable_update_time());
  out.set_etag(absl::StrCat(r.version));
  return out;
}

// The referral `name` as `caller` may see it, and the caller's side.
absl::StatusOr<std::pair<Row, Side>> Load(store::ReadTxn& txn,
                                          const auth::Principal& caller,
                                          absl::string_view name) {
  std::optional<ReferralName> parsed = ParseReferralName(name);
  if (!parsed) return absl::NotFoundError(kNotFound);
  ASSIGN_OR_RETURN(store::Statement q,
                   txn.Prepare(absl::StrCat("SELECT ", kColumns,
                                            " FROM referrals WHERE id = ?1 "
                                            "AND sending = ?2")));
  RETURN_IF_ERROR(q.BindInt64(1, parsed->id));
  RETURN_IF_ERROR(q.BindText(2, parsed->institution));
  ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found) return absl::NotFoundError(kNotFound);
  ASSIGN_OR_RETURN(Row row, ReadRow(q));
  if (caller.institution == row.sending) {
    return std::make_pair(std::move(row), Side::kSender);
  }
  if (caller.institution == row.receiving) {
    return std::make_pair(std::move(row), Side::kReceiver);
  }
  return absl::NotFoundError(kNotFound);
}

crypto::RecordContext SharedContext(const Row& row) {
  return crypto::RecordContext{ReferralStore::kSharedDataPurpose, row.receiving,
                               row.name(), 1};
}

const char* StatusWord(int status) {
  switch (status) {
    case v1::REFERRAL_STATUS_PENDING:
      return "PENDING";
    case v1::REFERRAL_STATUS_ACCEPTED:
      return "ACCEPTED";
    case v1::REFERRAL_STATUS_REJECTED:
      return "REJECTED";
    case v1::REFERRAL_STATUS_COMPLETED:
      return "COMPLETED";
    case v1::REFERRAL_STATUS_WITHDRAWN:
      return "WITHDRAWN";
    default:
      return "UNKNOWN";
  }
}

}  // namespace resguardo::referrals::internal
