#include "services/cases/related_cases_validator.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "services/api/field_violations.h"
#include "services/api/resource_names.h"
#include "services/cases/case_validator.h"

namespace resguardo::cases {
namespace {

using api::ErrorId;
using api::FieldViolations;

// Name and etag are checked as ReopenCase checks them.
absl::Status NameAndEtag(const std::string& name, const std::string& etag) {
  v1::ReopenCaseRequest same;
  same.set_name(name);
  same.set_etag(etag);
  return ValidateReopenCase(same);
}

}  // namespace

absl::Status ValidateGetRelatedCases(
    const v1::GetRelatedCasesRequest& request) {
  FieldViolations v;
  if (!api::ParseCaseName(request.name())) v.Add("name", ErrorId::kCaseName);
  if (request.purpose() == v1::ACCESS_PURPOSE_UNSPECIFIED ||
      !v1::AccessPurpose_IsValid(request.purpose())) {
    v.Add("purpose", ErrorId::kRequired);
  }
  return v.ToStatus();
}

absl::Status ValidateRecordCoordinationConsent(
    const v1::RecordCoordinationConsentRequest& request, absl::Time now) {
  FieldViolations v;
  for (const api::FieldViolation& f :
       api::ViolationsOf(NameAndEtag(request.name(), request.etag()))) {
    v.Add(f.field, f.text);
  }
  const v1::CoordinationConsent& c = request.consent();
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
  if (c.all_institutions()) {
    if (c.institutions_size() > 0) {
      v.Add("consent.institutions", ErrorId::kAllOrSomeInstitutions);
    }
  } else if (c.institutions_size() == 0) {
    v.Add("consent.institutions", ErrorId::kRequired);
  } else if (c.institutions_size() > kMaxConsentInstitutions) {
    v.Add("consent.institutions",
          {ErrorId::kAtMostValues, {kMaxConsentInstitutions}});
  } else {
    std::set<std::string> seen;
    for (int i = 0; i < c.institutions_size(); ++i) {
      const std::string field = absl::StrCat("consent.institutions[", i, "]");
      if (!api::IsValidInstitutionId(c.institutions(i))) {
        v.Add(field, ErrorId::kInstitutionId);
      } else if (!seen.insert(c.institutions(i)).second) {
        v.Add(field, ErrorId::kRepeatedCode);
      }
    }
  }
  return v.ToStatus();
}

absl::Status ValidateWithdrawCoordinationConsent(
    const v1::WithdrawCoordinationConsentRequest& request) {
  return NameAndEtag(request.name(), request.etag());
}

}  // namespace resguardo::cases
