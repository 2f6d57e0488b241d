#include "services/referrals/referral_validator.h"

#include <set>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/api/field_violations.h"
#include "services/api/page_token.h"
#include "services/api/resource_names.h"
#include "services/api/text_rules.h"

namespace resguardo::referrals {
namespace {

using api::FieldViolations;

void CheckScope(FieldViolations& v, absl::string_view field, int scope) {
  if (scope == v1::SHARING_SCOPE_UNSPECIFIED ||
      !v1::SharingScope_IsValid(scope)) {
    v.Add(field, "is required: CONTACT_ONLY, CONTACT_AND_NARRATIVE or FULL");
  }
}

void CheckEtag(FieldViolations& v, absl::string_view etag) {
  int64_t version = 0;
  if (etag.empty()) {
    v.Add("etag", "is required: the etag of the referral as last read");
  } else if (!absl::SimpleAtoi(etag, &version) || version < 1) {
    v.Add("etag", "must be an etag returned by the server");
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
  return absl::StrCat("institutions/", institution, "/referrals/", id);
}

absl::Status ValidateCreateReferral(const v1::CreateReferralRequest& request,
                                    absl::Time now) {
  FieldViolations v;
  const v1::Referral& r = request.referral();
  if (!api::ParseCaseName(r.case_())) {
    v.Add("referral.case",
          "must be a case name: institutions/{institution}/cases/{folio}");
  }
  if (!api::IsValidInstitutionId(r.receiving_institution())) {
    v.Add("referral.receiving_institution", "must be an institution id");
  }
  if (r.services_size() == 0) {
    v.Add("referral.services", "at least one referral service is required");
  } else {
    std::set<int> seen;
    for (int s : r.services()) {
      if (s == v1::REFERRAL_SERVICE_KIND_UNSPECIFIED ||
          !v1::ReferralServiceKind_IsValid(s)) {
        v.Add("referral.services", "must be referral services");
        break;
      }
      if (!seen.insert(s).second) {
        v.Add("referral.services", "must not repeat a service");
        break;
      }
    }
  }
  api::CheckText(v, "referral.note", r.note(), 0, 2000, api::Lines::kMulti);
  if (!request.request_id().empty()) {
    api::CheckText(v, "request_id", request.request_id(), 1, 64);
  }
  if (request.has_consent() && request.has_risk_override()) {
    v.Add("risk_override", "give either consent or risk_override, not both");
  }
  if (request.has_consent()) {
    const v1::Consent& c = request.consent();
    if (c.given_by() == v1::CONSENT_GIVER_UNSPECIFIED ||
        !v1::ConsentGiver_IsValid(c.given_by())) {
      v.Add("consent.given_by", "is required: VICTIM or LEGAL_REPRESENTATIVE");
    }
    if (c.method() == v1::CONSENT_METHOD_UNSPECIFIED ||
        !v1::ConsentMethod_IsValid(c.method())) {
      v.Add("consent.method", "is required: IN_PERSON, IN_WRITING or RECORDED");
    }
    const auto& t = c.give_time();
    if (!c.has_give_time() || (t.seconds() == 0 && t.nanos() == 0)) {
      v.Add("consent.give_time", "is required");
    } else if (t.nanos() < 0 || t.nanos() > 999999999 ||
               t.seconds() < 946684800 /* 2000-01-01 */ ||
               absl::FromUnixSeconds(t.seconds()) > now + absl::Minutes(5)) {
      v.Add("consent.give_time",
            "must be a valid time from 2000 on and not in the future");
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
    v.Add("name",
          "must be a referral name: institutions/{institution}/referrals/{id}");
  }
  if (!v1::ReferralView_IsValid(request.view())) {
    v.Add("view", "must be BASIC or FULL");
  }
  if (request.view() == v1::REFERRAL_VIEW_FULL &&
      (request.purpose() == v1::ACCESS_PURPOSE_UNSPECIFIED ||
       !v1::AccessPurpose_IsValid(request.purpose()))) {
    v.Add("purpose", "the FULL view requires a declared purpose");
  }
  return v.ToStatus();
}

absl::Status ValidateListReferrals(const v1::ListReferralsRequest& request) {
  FieldViolations v;
  if (!api::ParseInstitutionName(request.parent())) {
    v.Add("parent", "must be institutions/{institution}");
  }
  if (request.box() == v1::REFERRAL_BOX_UNSPECIFIED ||
      !v1::ReferralBox_IsValid(request.box())) {
    v.Add("box", "is required: INBOX or OUTBOX");
  }
  if (request.page_size() < 0) v.Add("page_size", api::kNegativePageSize);
  // Each filter is a set: repeats are allowed and count once, but no more
  // values than the catalogue has (the request's work stays bounded).
  if (request.statuses_size() > v1::ReferralStatus_MAX) {
    v.Add("statuses", absl::StrCat("at most ", int{v1::ReferralStatus_MAX},
                                   " values (each status once)"));
  } else {
    for (int s : request.statuses()) {
      if (s == v1::REFERRAL_STATUS_UNSPECIFIED ||
          !v1::ReferralStatus_IsValid(s)) {
        v.Add("statuses", "must be referral statuses");
        break;
      }
    }
  }
  if (request.services_size() > v1::ReferralServiceKind_MAX) {
    v.Add("services", absl::StrCat("at most ", int{v1::ReferralServiceKind_MAX},
                                   " values (each service once)"));
  } else {
    for (int s : request.services()) {
      if (s == v1::REFERRAL_SERVICE_KIND_UNSPECIFIED ||
          !v1::ReferralServiceKind_IsValid(s)) {
        v.Add("services", "must be referral services");
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
    v.Add("name",
          "must be a referral name: institutions/{institution}/referrals/{id}");
  }
  CheckEtag(v, etag);
  if (!reason_field.empty() && !reason_valid) {
    v.Add(reason_field, "is required: a value of its catalogue");
  }
  return v.ToStatus();
}

}  // namespace resguardo::referrals
