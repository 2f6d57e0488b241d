// Parsing and formatting of resource names (AIP-122):
//   institutions/{institution}
//   institutions/{institution}/cases/{folio}
//   institutions/{institution}/users/{user}
//   institutions/{institution}/cases/{folio}/protectionMeasures/{n}
//   institutions/{institution}/cases/{folio}/resolutions/{n}
//   {resolution}/appeals/{k}, {resolution}/reparationMeasures/{m}
// and of the identifiers inside them. Pure functions; thread-safe.
#ifndef RESGUARDO_SERVICES_API_RESOURCE_NAMES_H_
#define RESGUARDO_SERVICES_API_RESOURCE_NAMES_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace resguardo::api {

// 2–32 characters: A–Z, 0–9, '-', starting with a letter.
bool IsValidInstitutionId(absl::string_view id);
// 1–63 characters: a–z, 0–9, '.', '_', '-', starting with a letter or digit.
bool IsValidUserId(absl::string_view id);

struct CaseName {
  std::string institution;
  std::string folio;
};
struct UserName {
  std::string institution;
  std::string user;
};
struct MeasureName {
  CaseName case_name;
  int64_t seq = 0;  // >= 1
};
struct ResolutionName {
  CaseName case_name;
  int64_t seq = 0;  // >= 1
};
// An appeal or a reparation measure of a resolution.
struct ResolutionChildName {
  ResolutionName resolution;
  int64_t seq = 0;  // >= 1
};

// Whether `name` is a resource name the audit log may record as a call's
// resource: institutions/{institution} followed by at most four
// {collection}/{id} pairs of the API's collections (cases, users,
// followUps, protectionMeasures, referrals, resolutions, appeals,
// reparationMeasures, registryEntries), each id 1–64 of A–Z, a–z,
// 0–9, '.', '_', '-'. Checks the shape only, not that the resource exists.
bool IsAuditableResourceName(absl::string_view name);

// nullopt when `name` is not of the form; never echoes it in errors.
std::optional<std::string> ParseInstitutionName(absl::string_view name);
std::optional<CaseName> ParseCaseName(absl::string_view name);
std::optional<UserName> ParseUserName(absl::string_view name);
std::optional<MeasureName> ParseMeasureName(absl::string_view name);
std::optional<ResolutionName> ParseResolutionName(absl::string_view name);
std::optional<ResolutionChildName> ParseAppealName(absl::string_view name);
std::optional<ResolutionChildName> ParseReparationMeasureName(
    absl::string_view name);

std::string InstitutionName(absl::string_view institution);
std::string CaseResourceName(absl::string_view institution,
                             absl::string_view folio);
std::string UserResourceName(absl::string_view institution,
                             absl::string_view user);
std::string ResolutionResourceName(const CaseName& case_name, int64_t seq);

// A folio is {institution}-{year}-{sequence of 6 or more digits}, e.g.
// IEEPCO-2026-000123.
std::string FormatFolio(absl::string_view institution, int year,
                        int64_t sequence);
bool IsValidFolio(absl::string_view institution, absl::string_view folio);

}  // namespace resguardo::api

#endif  // RESGUARDO_SERVICES_API_RESOURCE_NAMES_H_
