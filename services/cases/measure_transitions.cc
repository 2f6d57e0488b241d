#include "services/cases/measure_transitions.h"

#include <map>
#include <set>

#include "absl/strings/str_cat.h"

namespace resguardo::cases {
namespace {

using S = v1::ProtectionMeasureStatus;
constexpr S kRequested = v1::PROTECTION_MEASURE_STATUS_REQUESTED;
constexpr S kInForce = v1::PROTECTION_MEASURE_STATUS_IN_FORCE;
constexpr S kExtended = v1::PROTECTION_MEASURE_STATUS_EXTENDED;
constexpr S kExpired = v1::PROTECTION_MEASURE_STATUS_EXPIRED;
constexpr S kRevoked = v1::PROTECTION_MEASURE_STATUS_REVOKED;
constexpr S kBreached = v1::PROTECTION_MEASURE_STATUS_BREACHED;

const std::map<S, std::set<S>>& Table() {
  static const auto* table = new std::map<S, std::set<S>>{
      {kRequested, {kInForce, kRevoked}},
      {kInForce, {kExtended, kExpired, kRevoked, kBreached}},
      {kExtended, {kExtended, kExpired, kRevoked, kBreached}},
      {kBreached, {kExpired, kRevoked}},
  };
  return *table;
}

}  // namespace

absl::Status CheckMeasureTransition(S from, S to, bool has_expiry) {
  auto it = Table().find(from);
  if (it == Table().end() || it->second.count(to) == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("a protection measure cannot move from ",
                     v1::ProtectionMeasureStatus_Name(from), " to ",
                     v1::ProtectionMeasureStatus_Name(to)));
  }
  if (to == kExtended && !has_expiry) {
    return absl::FailedPreconditionError(
        "a protection measure without an expiry cannot be extended");
  }
  return absl::OkStatus();
}

std::vector<S> AllowedNextMeasureStatuses(const auth::Principal& caller,
                                          v1::CaseStatus case_status, S from,
                                          bool has_expiry) {
  std::vector<S> out;
  if (case_status == v1::CASE_STATUS_CLOSED ||
      !auth::AccessPolicy::Default()
           .Check(caller,
                  "/resguardo.v1.CaseService/SetProtectionMeasureStatus")
           .ok()) {
    return out;
  }
  for (int s = v1::ProtectionMeasureStatus_MIN;
       s <= v1::ProtectionMeasureStatus_MAX; ++s) {
    if (!v1::ProtectionMeasureStatus_IsValid(s)) continue;
    if (CheckMeasureTransition(from, static_cast<S>(s), has_expiry).ok()) {
      out.push_back(static_cast<S>(s));
    }
  }
  return out;
}

}  // namespace resguardo::cases
