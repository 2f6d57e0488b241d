// ReferralStore: creating, reading and listing referrals. The follow-ups
// and transitions are in referral_store_follow_ups.cc and
// referral_store_transitions.cc; the row they share is in
// internal/referral_row.h.
#include "services/referrals/referral_store.h"

#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
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
#include "services/referrals/referral_validator.h"
#include "services/store/page_query.h"
#include "services/store/statement.h"

namespace resguardo::referrals {
namespace {

using internal::kColumns;
using internal::kDestroyed;
using internal::Load;
using internal::ReadRow;
using internal::Row;
using internal::SharedContext;
using internal::Side;
using internal::ToBasic;

}  // namespace

absl::StatusOr<std::unique_ptr<ReferralStore>> ReferralStore::New(
    admin::Directory* directory, cases::CaseStore* cases, DeadlinePolicy policy,
    const Clock* clock) {
  if (directory == nullptr || cases == nullptr || clock == nullptr) {
    return absl::InvalidArgumentError(
        "ReferralStore needs a directory, a case store and a clock");
  }
  return std::unique_ptr<ReferralStore>(
      new ReferralStore(directory, cases, std::move(policy), clock));
}

v1::CasePersonalData ReferralStore::SharedSubset(
    const v1::CasePersonalData& data, v1::SharingScope scope) {
  if (scope == v1::SHARING_SCOPE_FULL) return data;
  v1::CasePersonalData out;
  if (scope != v1::SHARING_SCOPE_CONTACT_ONLY &&
      scope != v1::SHARING_SCOPE_CONTACT_AND_NARRATIVE) {
    return out;
  }
  out.set_victim_name(data.victim_name());
  out.set_contact_phone(data.contact_phone());
  out.set_contact_email(data.contact_email());
  if (scope == v1::SHARING_SCOPE_CONTACT_AND_NARRATIVE) {
    out.set_narrative(data.narrative());
  }
  return out;
}

bool ReferralStore::ReadsSealedData(const v1::GetReferralRequest& request) {
  return request.view() == v1::REFERRAL_VIEW_FULL;
}

bool ReferralStore::ReadsSealedData(
    const v1::ListReferralFollowUpsRequest& request) {
  return request.purpose() != v1::ACCESS_PURPOSE_UNSPECIFIED;
}

absl::StatusOr<v1::Referral> ReferralStore::CreateReferral(
    store::WriteTxn& txn, const auth::Principal& caller,
    const v1::CreateReferralRequest& request, bool* override_used) {
  *override_used = false;
  const absl::Time now = clock_->Now();
  RETURN_IF_ERROR(ValidateCreateReferral(request, now));
  const v1::Referral& in = request.referral();
  const api::CaseName case_name = *api::ParseCaseName(in.case_());
  if (case_name.institution != caller.institution) {
    return absl::NotFoundError("case not found");
  }
  if (in.receiving_institution() == caller.institution) {
    api::FieldViolations v;
    v.Add("referral.receiving_institution",
          api::ErrorId::kOtherReceivingInstitution);
    return v.ToStatus();
  }
  const bool by_override = request.has_risk_override();
  if (!request.has_consent() && !by_override) {
    return api::WithErrorText(
        absl::FailedPreconditionError(
            "the victim's consent is required to refer a case (or, for "
            "imminent risk, a supervisor's risk_override)"),
        api::ErrorId::kConsentRequired);
  }
  if (by_override && !caller.Has(v1::ROLE_SUPERVISOR)) {
    return api::WithErrorText(
        absl::PermissionDeniedError("only a supervisor may refer a case "
                                    "without consent (risk_override)"),
        api::ErrorId::kDeniedOverrideSupervisor);
  }
  // Idempotent retry: the caller's request id with the same request.
  ASSIGN_OR_RETURN(cases::RequestIds::Use use,
                   cases_->request_ids().Find(txn, caller, "CreateReferral",
                                              request, request.request_id()));
  if (!use.resource.empty()) {
    ASSIGN_OR_RETURN(auto loaded, Load(txn, caller, use.resource));
    return ToBasic(loaded.first, now);
  }
  {
    ASSIGN_OR_RETURN(store::Statement q,
                     txn.Prepare("SELECT 1 FROM institutions WHERE id = ?1"));
    RETURN_IF_ERROR(q.BindText(1, in.receiving_institution()));
    ASSIGN_OR_RETURN(bool found, q.Step());
    if (!found) {
      api::FieldViolations v;
      v.Add("referral.receiving_institution",
            api::ErrorId::kReceivingInstitutionOfNode);
      return v.ToStatus();
    }
  }
  // The case, with its personal data (the caller's own institution's case;
  // CaseStore answers NOT_FOUND for anything else).
  v1::GetCaseRequest get;
  get.set_name(in.case_());
  get.set_view(v1::CASE_VIEW_FULL);
  get.set_purpose(v1::ACCESS_PURPOSE_REFERRAL);
  ASSIGN_OR_RETURN(v1::Case the_case, cases_->GetCase(txn, caller, get));
  if (the_case.descriptors().status() == v1::CASE_STATUS_CLOSED) {
    return absl::FailedPreconditionError(
        "the case is closed: reopen it before referring it");
  }
  if (the_case.personal_data_erased()) {
    return absl::FailedPreconditionError(
        "the personal data of this case was erased: nothing can be shared");
  }
  const v1::RiskLevel risk = the_case.descriptors().risk_level();
  if (by_override && risk != v1::RISK_LEVEL_HIGH &&
      risk != v1::RISK_LEVEL_CRITICAL) {
    return absl::FailedPreconditionError(
        "a risk override is only for a case of HIGH or CRITICAL risk");
  }
  int64_t case_id = 0;
  {
    ASSIGN_OR_RETURN(
        store::Statement q,
        txn.Prepare("SELECT id FROM cases WHERE institution = ?1 AND "
                    "folio = ?2"));
    RETURN_IF_ERROR(q.BindText(1, case_name.institution));
    RETURN_IF_ERROR(q.BindText(2, case_name.folio));
    ASSIGN_OR_RETURN(bool found, q.Step());
    if (!found) return absl::NotFoundError("case not found");
    ASSIGN_OR_RETURN(case_id, q.ColumnInt64(0));
  }
  int64_t id = 0;
  {
    // Writes are serialised by the store's one writer.
    ASSIGN_OR_RETURN(store::Statement q,
                     txn.Prepare("SELECT COALESCE(MAX(id), 0) + 1 FROM "
                                 "referrals"));
    ASSIGN_OR_RETURN(bool found, q.Step());
    (void)found;
    ASSIGN_OR_RETURN(id, q.ColumnInt64(0));
  }
  const v1::SharingScope scope =
      by_override ? request.risk_override().scope() : request.consent().scope();
  std::vector<v1::ReferralServiceKind> services;
  int64_t mask = 0;
  for (int s : in.services()) {
    services.push_back(static_cast<v1::ReferralServiceKind>(s));
    mask |= int64_t{1} << s;
  }
  Row row;
  row.id = id;
  row.sending = caller.institution;
  row.receiving = in.receiving_institution();
  row.case_folio = case_name.folio;
  row.services = mask;
  row.status = v1::REFERRAL_STATUS_PENDING;
  row.risk_level = risk;
  row.scope = scope;
  if (!by_override) {
    row.given_by = request.consent().given_by();
    row.method = request.consent().method();
    row.consent_time = api::ToMicros(request.consent().give_time());
  }
  row.risk_override = by_override;
  const absl::Time deadline = now + policy_.AcceptWithin(services, risk);
  row.accept_deadline = absl::ToUnixMicros(deadline);
  row.create_time = row.update_time = absl::ToUnixMicros(now);
  row.version = 1;
  const std::string name = row.name();

  // The receiver's copy: the scope's fields and the note, under a new DEK
  // wrapped by the RECEIVING institution's KEK.
  ASSIGN_OR_RETURN(std::shared_ptr<const crypto::Envelope> receiver_envelope,
                   directory_->EnvelopeFor(txn, row.receiving));
  ASSIGN_OR_RETURN(crypto::Envelope::NewKey receiver_key,
                   receiver_envelope->NewDataKey(name));
  v1::Referral shared;
  *shared.mutable_shared_data() = SharedSubset(the_case.personal_data(), scope);
  shared.set_note(in.note());
  std::string plain;
  if (!shared.SerializeToString(&plain)) {
    return absl::InternalError("could not serialize the shared data");
  }
  ASSIGN_OR_RETURN(std::string sealed_shared,
                   receiver_key.key.Seal(plain, SharedContext(row)));
  receiver_key.key.Destroy();
  std::optional<crypto::Envelope::NewKey> sender_key;
  std::optional<std::string> sealed_sender;
  if (by_override) {
    ASSIGN_OR_RETURN(std::shared_ptr<const crypto::Envelope> sender_envelope,
                     directory_->EnvelopeFor(txn, row.sending));
    ASSIGN_OR_RETURN(sender_key, sender_envelope->NewDataKey(name));
    v1::RiskOverride reason;
    reason.set_reason(request.risk_override().reason());
    std::string reason_plain;
    reason.SerializeToString(&reason_plain);
    ASSIGN_OR_RETURN(
        sealed_sender,
        sender_key->key.Seal(
            reason_plain,
            crypto::RecordContext{kSenderNotesPurpose, row.sending, name, 1}));
    sender_key->key.Destroy();
  }

  // Changes from here on.
  ASSIGN_OR_RETURN(
      store::Statement insert,
      txn.Prepare(
          "INSERT INTO referrals(id, sending, receiving, case_id, case_folio, "
          "services, status, risk_level, scope, consent_given_by, "
          "consent_method, consent_time, risk_override, accept_deadline, "
          "create_time, update_time, version, creator, request_id, "
          "sealed_shared, sealed_sender) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
          "?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?15, 1, ?16, ?17, ?18, "
          "?19)"));
  RETURN_IF_ERROR(insert.BindInt64(1, id));
  RETURN_IF_ERROR(insert.BindText(2, row.sending));
  RETURN_IF_ERROR(insert.BindText(3, row.receiving));
  RETURN_IF_ERROR(insert.BindInt64(4, case_id));
  RETURN_IF_ERROR(insert.BindText(5, row.case_folio));
  RETURN_IF_ERROR(insert.BindInt64(6, mask));
  RETURN_IF_ERROR(insert.BindInt64(7, row.status));
  RETURN_IF_ERROR(insert.BindInt64(8, row.risk_level));
  RETURN_IF_ERROR(insert.BindInt64(9, row.scope));
  RETURN_IF_ERROR(insert.BindInt64(10, row.given_by));
  RETURN_IF_ERROR(insert.BindInt64(11, row.method));
  RETURN_IF_ERROR(insert.BindInt64(12, row.consent_time));
  RETURN_IF_ERROR(insert.BindInt64(13, by_override ? 1 : 0));
  RETURN_IF_ERROR(insert.BindInt64(14, row.accept_deadline));
  RETURN_IF_ERROR(insert.BindInt64(15, row.create_time));
  RETURN_IF_ERROR(insert.BindText(
      16, api::UserResourceName(caller.institution, caller.user)));
  RETURN_IF_ERROR(insert.BindNull(17));  // request ids: request_ids.h
  RETURN_IF_ERROR(insert.BindBlob(18, sealed_shared));
  if (sealed_sender) {
    RETURN_IF_ERROR(insert.BindBlob(19, *sealed_sender));
  } else {
    RETURN_IF_ERROR(insert.BindNull(19));
  }
  RETURN_IF_ERROR(insert.Run());
  auto store_key = [&](const std::string& holder,
                       const std::string& wrapped) -> absl::Status {
    ASSIGN_OR_RETURN(store::Statement k,
                     txn.Prepare("INSERT INTO referral_keys(referral_id, "
                                 "holder, wrapped_dek) VALUES (?1, ?2, ?3)"));
    RETURN_IF_ERROR(k.BindInt64(1, id));
    RETURN_IF_ERROR(k.BindText(2, holder));
    RETURN_IF_ERROR(k.BindBlob(3, wrapped));
    return k.Run();
  };
  RETURN_IF_ERROR(store_key(row.receiving, receiver_key.wrapped));
  if (sender_key) RETURN_IF_ERROR(store_key(row.sending, sender_key->wrapped));
  ASSIGN_OR_RETURN(
      bool raised,
      AlertStore::Raise(txn, row.receiving, v1::ALERT_KIND_NEW_REFERRAL, name,
                        deadline, now, std::nullopt));
  (void)raised;
  RETURN_IF_ERROR(cases::RequestIds::Record(txn, caller, use, name));
  *override_used = by_override;
  return ToBasic(row, now);
}

absl::StatusOr<v1::Referral> ReferralStore::GetReferral(
    store::ReadTxn& txn, const auth::Principal& caller,
    const v1::GetReferralRequest& request) const {
  RETURN_IF_ERROR(ValidateGetReferral(request));
  ASSIGN_OR_RETURN(auto loaded, Load(txn, caller, request.name()));
  const Row& row = loaded.first;
  v1::Referral out = ToBasic(row, clock_->Now());
  if (!ReadsSealedData(request)) return out;
  if (loaded.second != Side::kReceiver) {
    return api::WithErrorText(
        absl::PermissionDeniedError(
            "only the receiving institution reads a referral's shared data; "
            "the sending institution reads its own case"),
        api::ErrorId::kDeniedReferralSharedData);
  }
  if (!caller.Has(v1::ROLE_CASEWORKER) && !caller.Has(v1::ROLE_SUPERVISOR)) {
    return api::WithErrorText(
        absl::PermissionDeniedError(
            "the FULL view of a referral is for caseworkers and supervisors"),
        api::ErrorId::kDeniedReferralFullView);
  }
  ASSIGN_OR_RETURN(
      store::Statement q,
      txn.Prepare("SELECT r.sealed_shared, k.wrapped_dek FROM referrals r "
                  "LEFT JOIN referral_keys k ON k.referral_id = r.id AND "
                  "k.holder = r.receiving WHERE r.id = ?1"));
  RETURN_IF_ERROR(q.BindInt64(1, row.id));
  ASSIGN_OR_RETURN(bool found, q.Step());
  if (!found || q.ColumnIsNull(0) || q.ColumnIsNull(1)) {
    return absl::FailedPreconditionError(kDestroyed);
  }
  ASSIGN_OR_RETURN(absl::string_view sealed, q.ColumnBlob(0));
  ASSIGN_OR_RETURN(absl::string_view wrapped, q.ColumnBlob(1));
  ASSIGN_OR_RETURN(std::shared_ptr<const crypto::Envelope> envelope,
                   directory_->EnvelopeFor(txn, row.receiving));
  absl::StatusOr<crypto::DataKey> key = envelope->Unwrap(wrapped, row.name());
  if (!key.ok()) {
    return absl::DataLossError("the referral's shared data does not open");
  }
  absl::StatusOr<std::string> plain = key->Open(sealed, SharedContext(row));
  v1::Referral shared;
  if (!plain.ok() || !shared.ParseFromString(*plain)) {
    return absl::DataLossError("the referral's shared data does not open");
  }
  *out.mutable_shared_data() = std::move(*shared.mutable_shared_data());
  out.set_note(shared.note());
  return out;
}

absl::StatusOr<v1::ListReferralsResponse> ReferralStore::ListReferrals(
    store::ReadTxn& txn, const auth::Principal& caller,
    const v1::ListReferralsRequest& request) const {
  RETURN_IF_ERROR(ValidateListReferrals(request));
  const std::string institution = *api::ParseInstitutionName(request.parent());
  if (institution != caller.institution) {
    return api::WithErrorText(
        absl::PermissionDeniedError(
            "the caller may act only for her own institution"),
        api::ErrorId::kDeniedOwnInstitution);
  }
  const bool inbox = request.box() == v1::REFERRAL_BOX_INBOX;
  // Both filters as sets (validated: small enum values), so repeats count
  // once and the page token's scope is canonical; the values go into bound
  // parameters, never into the SQL text.
  const std::set<int> statuses(request.statuses().begin(),
                               request.statuses().end());
  int64_t status_mask = 0;
  for (int s : statuses) status_mask |= int64_t{1} << s;
  int64_t service_mask = 0;
  for (int s : request.services()) service_mask |= int64_t{1} << s;
  const std::string scope = absl::StrCat(
      "ListReferrals|", institution, "|", request.box(), "|", status_mask, "|",
      service_mask, "|", request.overdue_only() ? 1 : 0);
  // Position: the last id given (newest first), or for overdue_only the
  // last (accept_deadline, id) given (most overdue first: the indexes
  // referrals_inbox_overdue / referrals_outbox_overdue serve it).
  int64_t before = INT64_MAX;
  int64_t after_deadline = INT64_MIN;
  int64_t after_id = 0;
  if (!request.page_token().empty()) {
    std::optional<std::string> pos =
        api::DecodePageToken(request.page_token(), scope);
    bool ok = pos.has_value();
    if (ok && request.overdue_only()) {
      std::vector<std::string> parts = absl::StrSplit(*pos, ':');
      ok = parts.size() == 2 && absl::SimpleAtoi(parts[0], &after_deadline) &&
           absl::SimpleAtoi(parts[1], &after_id);
    } else if (ok) {
      ok = absl::SimpleAtoi(*pos, &before) && before >= 1;
    }
    if (!ok) {
      api::FieldViolations v;
      v.Add("page_token", api::PageTokenViolation(request.page_token(), scope));
      return v.ToStatus();
    }
  }
  const int page_size = api::EffectivePageSize(request.page_size(),
                                               kDefaultPageSize, kMaxPageSize);
  const absl::Time now = clock_->Now();
  const char* side = inbox ? "receiving" : "sending";
  std::string sql;
  if (request.overdue_only()) {
    // Overdue: PENDING and past the deadline, whatever the status filter.
    sql = absl::StrCat("SELECT ", kColumns, " FROM referrals WHERE ", side,
                       " = ?1 AND status = ", v1::REFERRAL_STATUS_PENDING,
                       " AND accept_deadline < ?4 AND (accept_deadline > ?6 "
                       "OR (accept_deadline = ?6 AND id > ?7))");
    if (service_mask != 0) absl::StrAppend(&sql, " AND (services & ?3) != 0");
    absl::StrAppend(&sql, " ORDER BY accept_deadline, id LIMIT ?5");
  } else {
    sql = absl::StrCat("SELECT ", kColumns, " FROM referrals WHERE ", side,
                       " = ?1 AND id < ?2");
    if (!statuses.empty()) {
      // ?8, ?9, ...: one parameter per distinct status (at most 5), so the
      // index on (side, status, id) still serves the filter.
      absl::StrAppend(&sql, " AND status IN (");
      for (size_t i = 0; i < statuses.size(); ++i) {
        absl::StrAppend(&sql, i == 0 ? "" : ", ", "?", 8 + i);
      }
      absl::StrAppend(&sql, ")");
    }
    if (service_mask != 0) absl::StrAppend(&sql, " AND (services & ?3) != 0");
    absl::StrAppend(&sql, " ORDER BY id DESC LIMIT ?5");
  }
  ASSIGN_OR_RETURN(store::Statement q, txn.Prepare(sql));
  RETURN_IF_ERROR(q.BindText(1, institution));
  if (!request.overdue_only()) RETURN_IF_ERROR(q.BindInt64(2, before));
  if (!request.overdue_only()) {
    int param = 8;
    for (int s : statuses) RETURN_IF_ERROR(q.BindInt64(param++, s));
  }
  if (service_mask != 0) RETURN_IF_ERROR(q.BindInt64(3, service_mask));
  if (request.overdue_only()) {
    RETURN_IF_ERROR(q.BindInt64(4, absl::ToUnixMicros(now)));
    RETURN_IF_ERROR(q.BindInt64(6, after_deadline));
    RETURN_IF_ERROR(q.BindInt64(7, after_id));
  }
  v1::ListReferralsResponse response;
  Row last;
  auto read_row = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(last, ReadRow(q));
    *response.add_referrals() = ToBasic(last, now);
    return absl::OkStatus();
  };
  ASSIGN_OR_RETURN(const bool more, store::ReadPage(q, 5, page_size, read_row));
  if (more) {
    response.set_next_page_token(api::EncodePageToken(
        scope, request.overdue_only()
                   ? absl::StrCat(last.accept_deadline, ":", last.id)
                   : absl::StrCat(last.id)));
  }
  return response;
}

}  // namespace resguardo::referrals
