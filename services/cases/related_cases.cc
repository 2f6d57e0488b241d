#include "services/cases/related_cases.h"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "base/status_macros.h"
#include "services/api/field_violations.h"
#include "services/api/resource_names.h"
#include "services/api/timestamps.h"
#include "services/cases/internal/case_row.h"
#include "services/cases/internal/case_sealing.h"
#include "services/cases/internal/case_views.h"
#include "services/cases/related_cases_validator.h"
#include "services/store/statement.h"

namespace resguardo::cases {
namespace {

using internal::CaseRow;

constexpr char kNoConsent[] =
    "no consent to coordination is recorded on this case";

// A public authority: the only kinds whose cases are counted or named.
bool IsPublicAuthority(int64_t kind) {
  return kind == v1::INSTITUTION_KIND_ELECTORAL_INSTITUTE ||
         kind == v1::INSTITUTION_KIND_PROSECUTOR;
}

bool FollowsCases(const auth::Principal& caller) {
  return caller.Has(v1::ROLE_CASEWORKER) || caller.Has(v1::ROLE_SUPERVISOR);
}

// The consent recorded on case `case_id`, if any.
absl::StatusOr<std::optional<v1::CoordinationConsent>> LoadConsent(
    store::ReadTxn& txn, int64_t case_id) {
  ASSIGN_OR_RETURN(store::Statement s,
                   txn.Prepare("SELECT given_by, method, give_time, "
                               "all_institutions, institutions, recorder, "
                               "record_time FROM coordination_consents "
                               "WHERE case_id = ?1"));
  RETURN_IF_ERROR(s.BindInt64(1, case_id));
  ASSIGN_OR_RETURN(bool found, s.Step());
  if (!found) return std::optional<v1::CoordinationConsent>();
  v1::CoordinationConsent c;
  ASSIGN_OR_RETURN(int64_t given_by, s.ColumnInt64(0));
  ASSIGN_OR_RETURN(int64_t method, s.ColumnInt64(1));
  ASSIGN_OR_RETURN(int64_t give_time, s.ColumnInt64(2));
  ASSIGN_OR_RETURN(int64_t all, s.ColumnInt64(3));
  ASSIGN_OR_RETURN(absl::string_view institutions, s.ColumnText(4));
  ASSIGN_OR_RETURN(absl::string_view recorder, s.ColumnText(5));
  ASSIGN_OR_RETURN(int64_t record_time, s.ColumnInt64(6));
  c.set_given_by(static_cast<v1::ConsentGiver>(given_by));
  c.set_method(static_cast<v1::ConsentMethod>(method));
  *c.mutable_give_time() = api::ToTimestamp(give_time);
  c.set_all_institutions(all != 0);
  for (absl::string_view id :
       absl::StrSplit(institutions, ',', absl::SkipEmpty())) {
    c.add_institutions(std::string(id));
  }
  c.set_recorder(std::string(recorder));
  *c.mutable_record_time() = api::ToTimestamp(record_time);
  return std::optional<v1::CoordinationConsent>(std::move(c));
}

bool Covers(const std::optional<v1::CoordinationConsent>& consent,
            const std::string& institution) {
  if (!consent) return false;
  if (consent->all_institutions()) return true;
  for (const std::string& id : consent->institutions()) {
    if (id == institution) return true;
  }
  return false;
}

// The case named `name` that the caller may change: its etag current, not
// closed, not erased.
absl::StatusOr<CaseRow> LoadWritableCase(store::ReadTxn& txn,
                                         const auth::Principal& caller,
                                         const std::string& name,
                                         const std::string& etag) {
  ASSIGN_OR_RETURN(CaseRow row, internal::LoadVisibleCase(txn, caller, name));
  RETURN_IF_ERROR(internal::CheckEtag(row, etag));
  if (row.descriptors.status() == v1::CASE_STATUS_CLOSED) {
    return absl::FailedPreconditionError(internal::kCaseClosed);
  }
  if (row.erased) return absl::FailedPreconditionError(internal::kCaseErased);
  return row;
}

// The institutions the consent names must be the node's, and not the
// case's own.
absl::Status CheckConsentInstitutions(store::ReadTxn& txn, const CaseRow& row,
                                      const v1::CoordinationConsent& consent) {
  api::FieldViolations v;
  ASSIGN_OR_RETURN(store::Statement exists,
                   txn.Prepare("SELECT 1 FROM institutions WHERE id = ?1"));
  for (int i = 0; i < consent.institutions_size(); ++i) {
    const std::string field = absl::StrCat("consent.institutions[", i, "]");
    if (consent.institutions(i) == row.institution) {
      v.Add(field, api::ErrorId::kOtherThanCaseInstitution);
      continue;
    }
    RETURN_IF_ERROR(exists.BindText(1, consent.institutions(i)));
    ASSIGN_OR_RETURN(bool found, exists.Step());
    RETURN_IF_ERROR(exists.Reset());
    if (!found) v.Add(field, api::ErrorId::kReceivingInstitutionOfNode);
  }
  return v.ToStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<RelatedCases>> RelatedCases::New(
    admin::Directory* directory, const Clock* clock) {
  if (directory == nullptr || clock == nullptr) {
    return absl::InvalidArgumentError(
        "RelatedCases needs a directory and a clock");
  }
  return std::unique_ptr<RelatedCases>(new RelatedCases(directory, clock));
}

absl::StatusOr<v1::RelatedCases> RelatedCases::Get(
    store::ReadTxn& txn, const auth::Principal& caller,
    const v1::GetRelatedCasesRequest& request) const {
  RETURN_IF_ERROR(ValidateGetRelatedCases(request));
  ASSIGN_OR_RETURN(CaseRow row,
                   internal::LoadVisibleCase(txn, caller, request.name()));
  v1::RelatedCases out;
  // Erased: her key went with her data; nothing is related any more.
  if (row.erased || !row.person_key) return out;
  const bool follows = FollowsCases(caller);
  std::optional<v1::CoordinationConsent> consent;
  if (follows) {
    ASSIGN_OR_RETURN(consent, LoadConsent(txn, row.id));
    if (consent) *out.mutable_coordination_consent() = *consent;
  }
  // Shelters are left out by kind and by the referrals they received
  // (services is a mask of 1 << ReferralServiceKind).
  ASSIGN_OR_RETURN(
      store::Statement s,
      txn.Prepare(absl::StrCat(
          "SELECT c.institution, i.kind, i.display_name, c.status, "
          "c.reported_date, c.create_time, c.update_time, EXISTS (SELECT 1 "
          "FROM referrals r WHERE r.receiving = c.institution AND "
          "(r.services & ",
          int64_t{1} << v1::REFERRAL_SERVICE_KIND_SHELTER,
          ") != 0) FROM cases c JOIN institutions i ON i.id = c.institution "
          "WHERE c.person_key = ?1 AND c.id != ?2 AND "
          "c.personal_data_erased = 0 ORDER BY c.create_time, c.id")));
  RETURN_IF_ERROR(s.BindBlob(1, *row.person_key));
  RETURN_IF_ERROR(s.BindInt64(2, row.id));
  while (true) {
    ASSIGN_OR_RETURN(bool found, s.Step());
    if (!found) break;
    ASSIGN_OR_RETURN(absl::string_view institution, s.ColumnText(0));
    if (institution == caller.institution) {
      out.set_related_case_at_own_institution(true);
      continue;
    }
    ASSIGN_OR_RETURN(int64_t kind, s.ColumnInt64(1));
    ASSIGN_OR_RETURN(int64_t received_shelter_referral, s.ColumnInt64(7));
    if (!follows || !IsPublicAuthority(kind) || received_shelter_referral) {
      continue;
    }
    out.set_other_institutions_case_count(out.other_institutions_case_count() +
                                          1);
    const std::string id(institution);
    if (!Covers(consent, id)) continue;
    v1::RelatedCase* related = out.add_related_cases();
    related->set_institution(absl::StrCat("institutions/", id));
    ASSIGN_OR_RETURN(absl::string_view display_name, s.ColumnText(2));
    related->set_institution_display_name(std::string(display_name));
    related->set_institution_kind(static_cast<v1::InstitutionKind>(kind));
    ASSIGN_OR_RETURN(int64_t status, s.ColumnInt64(3));
    related->set_status(static_cast<v1::CaseStatus>(status));
    ASSIGN_OR_RETURN(int64_t reported, s.ColumnInt64(4));
    internal::SetDate(reported, related->mutable_reported_date());
    ASSIGN_OR_RETURN(int64_t create_time, s.ColumnInt64(5));
    ASSIGN_OR_RETURN(int64_t update_time, s.ColumnInt64(6));
    *related->mutable_create_time() = api::ToTimestamp(create_time);
    *related->mutable_update_time() = api::ToTimestamp(update_time);
  }
  return out;
}

absl::StatusOr<v1::Case> RelatedCases::RecordConsent(
    store::WriteTxn& txn, const auth::Principal& caller,
    const v1::RecordCoordinationConsentRequest& request) {
  RETURN_IF_ERROR(ValidateRecordCoordinationConsent(request, clock_->Now()));
  ASSIGN_OR_RETURN(CaseRow row, LoadWritableCase(txn, caller, request.name(),
                                                 request.etag()));
  const v1::CoordinationConsent& consent = request.consent();
  RETURN_IF_ERROR(CheckConsentInstitutions(txn, row, consent));
  const int64_t now = internal::NowMicros(clock_);
  RETURN_IF_ERROR(internal::BumpVersion(*directory_, txn, row, now));
  ASSIGN_OR_RETURN(
      store::Statement put,
      txn.Prepare("INSERT OR REPLACE INTO coordination_consents(case_id, "
                  "given_by, method, give_time, all_institutions, "
                  "institutions, recorder, record_time) VALUES (?1, ?2, ?3, "
                  "?4, ?5, ?6, ?7, ?8)"));
  RETURN_IF_ERROR(put.BindInt64(1, row.id));
  RETURN_IF_ERROR(put.BindInt64(2, consent.given_by()));
  RETURN_IF_ERROR(put.BindInt64(3, consent.method()));
  RETURN_IF_ERROR(put.BindInt64(4, api::ToMicros(consent.give_time())));
  RETURN_IF_ERROR(put.BindInt64(5, consent.all_institutions() ? 1 : 0));
  RETURN_IF_ERROR(put.BindText(6, absl::StrJoin(consent.institutions(), ",")));
  RETURN_IF_ERROR(
      put.BindText(7, api::UserResourceName(caller.institution, caller.user)));
  RETURN_IF_ERROR(put.BindInt64(8, now));
  RETURN_IF_ERROR(put.Run());
  RETURN_IF_ERROR(internal::UpdateCaseRow(txn, row));
  return internal::LoadBasicView(txn, caller, row);
}

absl::StatusOr<v1::Case> RelatedCases::WithdrawConsent(
    store::WriteTxn& txn, const auth::Principal& caller,
    const v1::WithdrawCoordinationConsentRequest& request) {
  RETURN_IF_ERROR(ValidateWithdrawCoordinationConsent(request));
  ASSIGN_OR_RETURN(CaseRow row, LoadWritableCase(txn, caller, request.name(),
                                                 request.etag()));
  ASSIGN_OR_RETURN(std::optional<v1::CoordinationConsent> consent,
                   LoadConsent(txn, row.id));
  if (!consent) return absl::FailedPreconditionError(kNoConsent);
  RETURN_IF_ERROR(internal::BumpVersion(*directory_, txn, row,
                                        internal::NowMicros(clock_)));
  ASSIGN_OR_RETURN(
      store::Statement del,
      txn.Prepare("DELETE FROM coordination_consents WHERE case_id = ?1"));
  RETURN_IF_ERROR(del.BindInt64(1, row.id));
  RETURN_IF_ERROR(del.Run());
  RETURN_IF_ERROR(internal::UpdateCaseRow(txn, row));
  return internal::LoadBasicView(txn, caller, row);
}

}  // namespace resguardo::cases
