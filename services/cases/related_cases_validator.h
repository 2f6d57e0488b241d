// Validation of the requests of the related cases of a woman
// (related_cases.h): GetRelatedCases, RecordCoordinationConsent and
// WithdrawCoordinationConsent. INVALID_ARGUMENT with one field violation per
// bad field (api/field_violations.h), never repeating a value.
//
// Thread-safe (pure functions).
#ifndef RESGUARDO_SERVICES_CASES_RELATED_CASES_VALIDATOR_H_
#define RESGUARDO_SERVICES_CASES_RELATED_CASES_VALIDATOR_H_

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "resguardo/v1/case_service.pb.h"

namespace resguardo::cases {

// The most institutions a consent may name.
inline constexpr int kMaxConsentInstitutions = 50;

// name: a case name; purpose: required.
absl::Status ValidateGetRelatedCases(const v1::GetRelatedCasesRequest& request);

// name, etag; consent.given_by and consent.method required;
// consent.give_time required, from 2000 and not after `now` (five minutes'
// leeway for clocks); either all_institutions with no institutions, or
// 1–kMaxConsentInstitutions distinct institution ids (their existence and
// that none is the case's own are the store's to check).
absl::Status ValidateRecordCoordinationConsent(
    const v1::RecordCoordinationConsentRequest& request, absl::Time now);

// name, etag.
absl::Status ValidateWithdrawCoordinationConsent(
    const v1::WithdrawCoordinationConsentRequest& request);

}  // namespace resguardo::cases

#endif  // RESGUARDO_SERVICES_CASES_RELATED_CASES_VALIDATOR_H_
