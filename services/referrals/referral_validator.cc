#include "services/referrals/referral_validator.h"

#include <set>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/api/error_catalogue.h"
#include "services/api/field_violations.h"
#include "services/api/page_token.h"
#include "services/api/resource_names.h"
#include "services/api/text_rules.h"

namespace resguardo::referrals {
namespace {

using api::ErrorId;
using api::FieldViolations;

void CheckScope(FieldViolations& v, absl::string_view field, int scope) {
  if (scope == v1::SHARING_SCOPE_UNSPECIFIED ||
      !v1::SharingScope_IsValid(scope)) {
    v.Add(field, ErrorId::kConsentScope);
  }
}

void CheckEtag(FieldViolations& v, absl::string_view etag) {
  int64_t version = 0;
  if (etag.empty()) {
    v.Add("etag", ErrorId::kEtagRequired);
  } else if (!absl::SimpleAtoi(etag, &version) || version < 1) {
    v.Add("etag", ErrorId::kEtagForm);
  }
}

}  // namespace

std::optional<ReferralName> ParseReferralName(absl::string_view name) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 4 || parts[0] != "institutions" ||
      parts[2] != "referrals" || !api::IsValidInstitutionId(parts[1])) {
    return std::nullopt;
  }
  ReferralName out;
  if (parts[3].empty() || parts[3].size() > 18 || parts[3][0] == '0') {
    return std::nullopt;
  }
  for (char c : parts[3]) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  if (!absl::SimpleAtoi(parts[3], &out.id) || out.id < 1) return std::nullopt;
  out.institution = std::string(parts[1]);
  return out;
}

std::string ReferralResourceName(absl::string_view institution, int64_t id) {
  return api::ReferralResourceName(institution, id);
}

absl::Status ValidateCreateReferral(const v1::CreateReferralRequest& request,
                                    absl::Time now) {
  FieldViolations v;
  const v1::Referral& r = request.referral();
  if (!api::ParseCaseName(r.case_())) {
    v.Add("referral.case", ErrorId::kCaseName);
  }
  if (!api::IsValidInstitutionId(r.receiving_institution())) {
    v.Add("referral.receiving_institution", ErrorId::kInstitutionId);
  }
  if (r.services_size() == 0) {
    v.Add("referral.services", ErrorId::kServicesRequired);
  } else {
    std::set<int> seen;
    for (int s : r.services()) {
      if (s == v1::REFERRAL_SERVICE_KIND_UNSPECIFIED ||
          !v1::ReferralServiceKind_IsValid(s)) {
        v.Add("referral.services", ErrorId::kNotAService);
        break;
      }
      if (!seen.insert(s).second) {
        v.Add("referral.services", ErrorId::kRepeatedService);
        break;
      }
    }
  }
  api::CheckText(v, "referral.note", r.note(), 0, 2000, api::Lines::kMulti);
  if (!request.request_id().empty()) {
    api::CheckText(v, "request_id", request.request_id(), 1, 64);
  }
  if (request.has_consent() && request.has_risk_override()) {
    v.Add("risk_override", ErrorId::kConsentOrOverride);
  }
  if (request.has_consent()) {
    const v1::Consent& c = request.consent();
    if (c.given_by() == v1::CONSENT_GIVER_UNSPECIFIED ||
        !v1::ConsentGiver_IsValid(c.given_by())) {
      v.Add("consent.given_by", ErrorId::kConsentGiver);
    }
    if (c.method() == v1::CONSENT_METHOD_UNSPECIFIED ||
        !v1::ConsentMethod_IsValid(c.method())) {
      v.Add("consent.method", ErrorId::kConsentMethod);
    }
    const auto& t = c.give_time();
    if (!c.has_give_time() || (t.seconds() == 0 && t.nanos() == 0)) {
      v.Add("consent.give_time", ErrorId::kRequired);
    } else if (t.nanos() < 0 || t.nanos() > 999999999 ||
               t.seconds() < 946684800 /* 2000-01-01 */ ||
               absl::FromUnixSeconds(t.seconds()) > now + absl::Minutes(5)) {
      v.Add("consent.give_time", {ErrorId::kTimeFromNotFuture, {2000}});
    }
    CheckScope(v, "consent.scope", c.scope());
  }
  if (request.has_risk_override()) {
    api::CheckText(v, "risk_override.reason", request.risk_override().reason(),
                   10, 2000, api::Lines::kMulti);
    CheckScope(v, "risk_override.scope", request.risk_override().scope());
  }
  return v.ToStatus();
}

absl::Status ValidateGetReferral(const v1::GetReferralRequest& request) {
  FieldViolations v;
  if (!ParseReferralName(request.name())) {
    v.Add("name", ErrorId::kReferralName);
  }
  if (!v1::ReferralView_IsValid(request.view())) {
    v.Add("view", ErrorId::kViewBasicOrFull);
  }
  if (request.view() == v1::REFERRAL_VIEW_FULL &&
      (request.purpose() == v1::ACCESS_PURPOSE_UNSPECIFIED ||
       !v1::AccessPurpose_IsValid(request.purpose()))) {
    v.Add("purpose", ErrorId::kPurposeForFullView);
  }
  return v.ToStatus();
}

absl::Status ValidateListReferrals(const v1::ListReferralsRequest& request) {
  FieldViolations v;
  if (!api::ParseInstitutionName(request.parent())) {
    v.Add("parent", ErrorId::kInstitutionName);
  }
  if (request.box() == v1::REFERRAL_BOX_UNSPECIFIED ||
      !v1::ReferralBox_IsValid(request.box())) {
    v.Add("box", ErrorId::kBoxRequired);
  }
  if (request.page_size() < 0) v.Add("page_size", ErrorId::kPageSizeNegative);
  // Each filter is a set: repeats are allowed and count once, but no more
  // values than the catalogue has (the request's work stays bounded).
  if (request.statuses_size() > v1::ReferralStatus_MAX) {
    v.Add("statuses", {ErrorId::kAtMostValues, {v1::ReferralStatus_MAX}});
  } else {
    for (int s : request.statuses()) {
      if (s == v1::REFERRAL_STATUS_UNSPECIFIED ||
          !v1::ReferralStatus_IsValid(s)) {
        v.Add("statuses", ErrorId::kNotAReferralStatus);
        break;
      }
    }
  }
  if (request.services_size() > v1::ReferralServiceKind_MAX) {
    v.Add("services", {ErrorId::kAtMostValues, {v1::ReferralServiceKind_MAX}});
  } else {
    for (int s : request.services()) {
      if (s == v1::REFERRAL_SERVICE_KIND_UNSPECIFIED ||
          !v1::ReferralServiceKind_IsValid(s)) {
        v.Add("services", ErrorId::kNotAService);
        break;
      }
    }
  }
  return v.ToStatus();
}

absl::Status ValidateTransition(absl::string_view name, absl::string_view etag,
                                absl::string_view reason_field,
                                bool reason_valid) {
  FieldViolations v;
  if (!ParseReferralName(name)) {
    v.Add("name", ErrorId::kReferralName);
  }
  CheckEtag(v, etag);
  if (!reason_field.empty() && !reason_valid) {
    v.Add(reason_field, ErrorId::kNotInCatalogue);
  }
  return v.ToStatus();
}

}  // namespace resguardo::referrals
