// Validation of ReferralService requests: INVALID_ARGUMENT with one
// google.rpc.BadRequest field violation per bad field (field_violations.h),
// never echoing a value. What needs the store (the case exists, the
// receiving institution exists, the caller's side) is checked by
// ReferralStore.
//
// Pure functions; thread-safe.
#ifndef RESGUARDO_SERVICES_REFERRALS_REFERRAL_VALIDATOR_H_
#define RESGUARDO_SERVICES_REFERRALS_REFERRAL_VALIDATOR_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "resguardo/v1/referral_service.pb.h"

namespace resguardo::referrals {

struct ReferralName {
  std::string institution;  // the sending institution
  int64_t id = 0;
};

// institutions/{institution}/referrals/{positive decimal id}; nullopt
// otherwise.
std::optional<ReferralName> ParseReferralName(absl::string_view name);
std::string ReferralResourceName(absl::string_view institution, int64_t id);

// Fields: referral.case, referral.receiving_institution, referral.services,
// referral.note, request_id, consent.*, risk_override.*. Both consent and
// risk_override: a violation on "risk_override". Neither is NOT checked
// here (it is FAILED_PRECONDITION, by the store).
absl::Status ValidateCreateReferral(const v1::CreateReferralRequest& request,
                                    absl::Time now);
absl::Status ValidateGetReferral(const v1::GetReferralRequest& request);
absl::Status ValidateListReferrals(const v1::ListReferralsRequest& request);
// name and etag; `reason_field` names the reason/outcome field to require
// (empty for none) and `reason_valid` says whether its value is valid.
absl::Status ValidateTransition(absl::string_view name, absl::string_view etag,
                                absl::string_view reason_field,
                                bool reason_valid);

}  // namespace resguardo::referrals

#endif  // RESGUARDO_SERVICES_REFERRALS_REFERRAL_VALIDATOR_H_
