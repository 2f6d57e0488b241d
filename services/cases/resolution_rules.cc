#include "services/cases/resolution_rules.h"

#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "services/api/error_catalogue.h"

namespace resguardo::cases {
namespace {

using api::ErrorId;

absl::Status Refused(absl::string_view why, ErrorId id) {
  return api::WithErrorText(absl::FailedPreconditionError(why), id);
}

bool Revoked(const CurrentResolution& c) {
  return c.last_appeal == v1::APPEAL_OUTCOME_REVOKED ||
         c.last_appeal == v1::APPEAL_OUTCOME_REMANDED;
}

}  // namespace

absl::Status CheckRouteRecords(v1::CaseStatus from, v1::CaseStatus to,
                               const CurrentResolution& c) {
  if (from == to) return absl::OkStatus();
  switch (to) {
    case v1::CASE_STATUS_RESOLVED:
      if (!c.exists || c.has_appeal) {
        return Refused("RESOLVED needs a recorded resolution without appeal",
                       ErrorId::kRouteNeedsResolution);
      }
      break;
    case v1::CASE_STATUS_APPEALED:
      if (!c.exists || c.last_appeal != v1::APPEAL_OUTCOME_PENDING) {
        return Refused("APPEALED needs a pending appeal of the resolution",
                       ErrorId::kRouteNeedsAppeal);
      }
      break;
    case v1::CASE_STATUS_FINAL:
      if (!c.exists || !c.final) {
        return Refused("FINAL needs the date the resolution became final",
                       ErrorId::kRouteNeedsFinalDate);
      }
      break;
    default:
      break;
  }
  return absl::OkStatus();
}

absl::Status CheckAddResolution(v1::CaseKind kind, v1::CaseStatus status,
                                const CurrentResolution& c) {
  if (kind != v1::CASE_KIND_POLITICAL_VIOLENCE) {
    return Refused("only a political-violence case has resolutions",
                   ErrorId::kResolutionPoliticalViolenceOnly);
  }
  if ((status == v1::CASE_STATUS_SENT_TO_COURT && !c.exists) ||
      (status == v1::CASE_STATUS_APPEALED && c.exists && Revoked(c))) {
    return absl::OkStatus();
  }
  return Refused("a resolution cannot be recorded in this status",
                 ErrorId::kResolutionNotNow);
}

absl::Status CheckResolutionOpen(bool is_current, const CurrentResolution& c) {
  if (!is_current) {
    return Refused("only the current resolution can change",
                   ErrorId::kResolutionNotCurrent);
  }
  if (c.final) {
    return Refused("the resolution is final", ErrorId::kResolutionIsFinal);
  }
  return absl::OkStatus();
}

absl::Status CheckFileAppeal(bool is_current, const CurrentResolution& c) {
  if (absl::Status s = CheckResolutionOpen(is_current, c); !s.ok()) return s;
  if (c.last_appeal == v1::APPEAL_OUTCOME_PENDING) {
    return Refused("the resolution has a pending appeal",
                   ErrorId::kAppealPending);
  }
  if (Revoked(c)) {
    return Refused("the resolution was revoked or remanded",
                   ErrorId::kResolutionRevoked);
  }
  return absl::OkStatus();
}

absl::Status CheckSetFinal(bool is_current, const CurrentResolution& c) {
  return CheckFileAppeal(is_current, c);
}

absl::Status CheckAddReparation(bool is_current) {
  if (!is_current) {
    return Refused("only the current resolution takes reparation measures",
                   ErrorId::kResolutionNotCurrent);
  }
  return absl::OkStatus();
}

absl::Status CheckReparationTransition(v1::ReparationComplianceStatus from,
                                       v1::ReparationComplianceStatus to) {
  using S = v1::ReparationComplianceStatus;
  static const auto* const kTable = new std::map<S, std::set<S>>{
      {v1::REPARATION_COMPLIANCE_STATUS_PENDING,
       {v1::REPARATION_COMPLIANCE_STATUS_PARTIALLY_COMPLIED,
        v1::REPARATION_COMPLIANCE_STATUS_COMPLIED,
        v1::REPARATION_COMPLIANCE_STATUS_NOT_COMPLIED}},
      {v1::REPARATION_COMPLIANCE_STATUS_PARTIALLY_COMPLIED,
       {v1::REPARATION_COMPLIANCE_STATUS_COMPLIED,
        v1::REPARATION_COMPLIANCE_STATUS_NOT_COMPLIED}},
      {v1::REPARATION_COMPLIANCE_STATUS_NOT_COMPLIED,
       {v1::REPARATION_COMPLIANCE_STATUS_PARTIALLY_COMPLIED,
        v1::REPARATION_COMPLIANCE_STATUS_COMPLIED}},
  };
  auto it = kTable->find(from);
  if (it != kTable->end() && it->second.count(to) > 0) return absl::OkStatus();
  return Refused(absl::StrCat("a reparation measure cannot move from ",
                              v1::ReparationComplianceStatus_Name(from), " to ",
                              v1::ReparationComplianceStatus_Name(to)),
                 ErrorId::kReparationTransition);
}

std::vector<v1::ReparationComplianceStatus> AllowedNextReparationStatuses(
    const auth::Principal& caller, v1::CaseStatus case_status,
    v1::ReparationComplianceStatus from) {
  std::vector<v1::ReparationComplianceStatus> out;
  if (case_status == v1::CASE_STATUS_CLOSED ||
      !auth::AccessPolicy::Default()
           .Check(caller,
                  "/resguardo.v1.CaseService/SetReparationMeasureStatus")
           .ok()) {
    return out;
  }
  for (int s = v1::ReparationComplianceStatus_MIN;
       s <= v1::ReparationComplianceStatus_MAX; ++s) {
    if (!v1::ReparationComplianceStatus_IsValid(s)) continue;
    const auto to = static_cast<v1::ReparationComplianceStatus>(s);
    if (CheckReparationTransition(from, to).ok()) out.push_back(to);
  }
  return out;
}

}  // namespace resguardo::cases
