// The field checks of resolutions, in the order of case.proto.
#include "services/cases/resolution_validator.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "services/api/error_catalogue.h"
#include "services/api/field_violations.h"
#include "services/api/resource_names.h"
#include "services/api/text_rules.h"
#include "services/cases/internal/field_checks.h"

namespace resguardo::cases {
namespace {

using api::CheckText;
using api::ErrorId;
using api::FieldViolations;
using api::Lines;
using internal::CheckAnyDate;
using internal::CheckCaseName;
using internal::CheckDate;
using internal::CheckEnum;
using internal::CheckEtag;
using internal::CheckRequestId;

// The registry term's bounds (RegistryTerm in case.proto).
constexpr int kMaxTermYears = 30;
constexpr int kMaxTermMonths = 120;
constexpr int kMaxTermDays = 1000;

void CheckFine(FieldViolations& v, const std::string& field,
               const google::type::Money& m) {
  // Whole centavos: nanos a multiple of 10,000,000.
  const bool positive = m.units() > 0 || (m.units() == 0 && m.nanos() > 0);
  if (m.currency_code() != "MXN" || !positive || m.nanos() < 0 ||
      m.nanos() > 999999999 || m.nanos() % 10000000 != 0 ||
      m.units() > 1000000000000) {
    v.Add(field, ErrorId::kFineAmount);
  }
}

void CheckSanctionedPerson(FieldViolations& v, const std::string& p,
                           const v1::SanctionedPerson& person) {
  CheckEnum(v, p + "qualification", person.qualification(), true,
            v1::FaultQualification_IsValid);
  if (person.sanctions().empty()) v.Add(p + "sanctions", ErrorId::kRequired);
  std::set<int> seen;
  bool inscription = false;
  for (int i = 0; i < person.sanctions_size(); ++i) {
    const v1::Sanction& s = person.sanctions(i);
    const std::string f = absl::StrCat(p, "sanctions[", i, "].");
    if (s.type() == 0 || !v1::SanctionType_IsValid(s.type())) {
      v.Add(f + "type", ErrorId::kNotInCatalogue);
      continue;
    }
    if (!seen.insert(s.type()).second) {
      v.Add(f + "type", ErrorId::kRepeatedCode);
    }
    if (s.type() == v1::SANCTION_TYPE_NONE && person.sanctions_size() > 1) {
      v.Add(f + "type", ErrorId::kSanctionNoneAlone);
    }
    if (s.type() == v1::SANCTION_TYPE_FINE) {
      if (!s.has_fine_amount()) {
        v.Add(f + "fine_amount", ErrorId::kRequired);
      } else {
        CheckFine(v, f + "fine_amount", s.fine_amount());
      }
    } else if (s.has_fine_amount()) {
      v.Add(f + "fine_amount", ErrorId::kOnlyWithFine);
    }
    inscription |= s.type() == v1::SANCTION_TYPE_REGISTRY_INSCRIPTION;
  }
  if (inscription && !person.has_registry_term()) {
    v.Add(p + "registry_term", ErrorId::kTermWithInscription);
  } else if (!inscription && person.has_registry_term()) {
    v.Add(p + "registry_term", ErrorId::kOnlyWithInscription);
  } else if (inscription) {
    const v1::RegistryTerm& t = person.registry_term();
    if (t.years() < 0 || t.years() > kMaxTermYears || t.months() < 0 ||
        t.months() > kMaxTermMonths || t.days() < 0 ||
        t.days() > kMaxTermDays ||
        (t.years() == 0 && t.months() == 0 && t.days() == 0)) {
      v.Add(p + "registry_term", ErrorId::kRegistryTerm);
    }
  }
}

void CheckReparationMeasure(FieldViolations& v, const std::string& p,
                            const v1::ReparationMeasure& m) {
  CheckEnum(v, p + "kind", m.kind(), true, v1::ReparationMeasureKind_IsValid);
  CheckText(v, p + "responsible_authority", m.responsible_authority(), 1, 200);
  CheckAnyDate(v, p + "due_date", m.due_date(), true);
  CheckText(v, p + "description", m.description(), 0, 2000, Lines::kMulti);
}

void CheckResolutionName(FieldViolations& v, const std::string& field,
                         absl::string_view name) {
  if (!api::ParseResolutionName(name)) v.Add(field, ErrorId::kResolutionName);
}

}  // namespace

absl::Status ValidateResolution(const v1::Resolution& r, absl::CivilDay today,
                                const std::string& p) {
  FieldViolations v;
  CheckText(v, p + "resolving_authority", r.resolving_authority(), 1, 200);
  CheckText(v, p + "file_number", r.file_number(), 1, 100);
  CheckDate(v, p + "resolution_date", r.resolution_date(), true, today);
  CheckEnum(v, p + "outcome", r.outcome(), true, v1::ResolutionOutcome_IsValid);
  const bool proven = r.outcome() == v1::RESOLUTION_OUTCOME_PROVEN;
  if (proven != (r.sanctioned_persons_size() > 0) &&
      r.outcome() != v1::RESOLUTION_OUTCOME_UNSPECIFIED) {
    v.Add(p + "sanctioned_persons", ErrorId::kSanctionedPersonsWhenProven);
  }
  if (r.sanctioned_persons_size() > kMaxSanctionedPersons) {
    v.Add(p + "sanctioned_persons",
          {ErrorId::kAtMostValues, {kMaxSanctionedPersons}});
  } else {
    for (int i = 0; i < r.sanctioned_persons_size(); ++i) {
      CheckSanctionedPerson(v, absl::StrCat(p, "sanctioned_persons[", i, "]."),
                            r.sanctioned_persons(i));
    }
  }
  if (r.reparation_measures_size() > kMaxReparationMeasures) {
    v.Add(p + "reparation_measures",
          {ErrorId::kAtMostValues, {kMaxReparationMeasures}});
  } else {
    for (int i = 0; i < r.reparation_measures_size(); ++i) {
      CheckReparationMeasure(v,
                             absl::StrCat(p, "reparation_measures[", i, "]."),
                             r.reparation_measures(i));
    }
  }
  CheckText(v, p + "notes", r.notes(), 0, 20000, Lines::kMulti);
  return v.ToStatus();
}

absl::Status ValidateAddResolution(const v1::AddResolutionRequest& request,
                                   absl::CivilDay today) {
  FieldViolations v;
  CheckCaseName(v, "parent", request.parent());
  CheckRequestId(v, request.request_id());
  if (!request.has_resolution()) v.Add("resolution", ErrorId::kRequired);
  RETURN_IF_ERROR(v.ToStatus());
  return ValidateResolution(request.resolution(), today, "resolution.");
}

absl::Status ValidateUpdateResolution(
    const v1::UpdateResolutionRequest& request) {
  static const std::set<std::string>* const kPaths = new std::set<std::string>{
      "resolving_authority", "file_number", "resolution_date", "outcome",
      "sanctioned_persons",  "notes"};
  FieldViolations v;
  CheckResolutionName(v, "resolution.name", request.resolution().name());
  CheckEtag(v, "etag", request.etag());
  if (request.update_mask().paths().empty()) {
    v.Add("update_mask", ErrorId::kUpdateMaskRequired);
  }
  std::set<std::string> seen;
  for (int i = 0; i < request.update_mask().paths_size(); ++i) {
    const std::string& path = request.update_mask().paths(i);
    const std::string f = absl::StrCat("update_mask.paths[", i, "]");
    if (kPaths->count(path) == 0) {
      v.Add(f, ErrorId::kNotUpdatable);
    } else if (!seen.insert(path).second) {
      v.Add(f, ErrorId::kRepeatedPath);
    }
  }
  return v.ToStatus();
}

absl::Status ValidateFileAppeal(const v1::FileAppealRequest& request,
                                absl::CivilDay today) {
  FieldViolations v;
  CheckResolutionName(v, "parent", request.parent());
  CheckRequestId(v, request.request_id());
  const v1::Appeal& a = request.appeal();
  CheckDate(v, "appeal.filed_date", a.filed_date(), true, today);
  CheckText(v, "appeal.reviewing_authority", a.reviewing_authority(), 1, 200);
  CheckText(v, "appeal.file_number", a.file_number(), 0, 100);
  return v.ToStatus();
}

absl::Status ValidateDecideAppeal(const v1::DecideAppealRequest& request,
                                  absl::CivilDay today) {
  FieldViolations v;
  if (!api::ParseAppealName(request.name())) {
    v.Add("name", ErrorId::kAppealName);
  }
  CheckEtag(v, "etag", request.etag());
  CheckEnum(v, "outcome", request.outcome(), true, v1::AppealOutcome_IsValid);
  if (request.outcome() == v1::APPEAL_OUTCOME_PENDING) {
    v.Add("outcome", ErrorId::kAppealOutcomeDecided);
  }
  CheckDate(v, "outcome_date", request.outcome_date(), true, today);
  return v.ToStatus();
}

absl::Status ValidateSetResolutionFinal(
    const v1::SetResolutionFinalRequest& request, absl::CivilDay today) {
  FieldViolations v;
  CheckResolutionName(v, "name", request.name());
  CheckEtag(v, "etag", request.etag());
  CheckDate(v, "final_date", request.final_date(), true, today);
  return v.ToStatus();
}

absl::Status ValidateAddReparationMeasure(
    const v1::AddReparationMeasureRequest& request) {
  FieldViolations v;
  CheckResolutionName(v, "parent", request.parent());
  CheckRequestId(v, request.request_id());
  if (!request.has_reparation_measure()) {
    v.Add("reparation_measure", ErrorId::kRequired);
    return v.ToStatus();
  }
  CheckReparationMeasure(v, "reparation_measure.",
                         request.reparation_measure());
  return v.ToStatus();
}

absl::Status ValidateSetReparationMeasureStatus(
    const v1::SetReparationMeasureStatusRequest& request) {
  FieldViolations v;
  if (!api::ParseReparationMeasureName(request.name())) {
    v.Add("name", ErrorId::kReparationMeasureName);
  }
  CheckEtag(v, "etag", request.etag());
  CheckEnum(v, "status", request.status(), true,
            v1::ReparationComplianceStatus_IsValid);
  return v.ToStatus();
}

}  // namespace resguardo::cases
