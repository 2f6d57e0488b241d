#include "services/api/resource_names.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

namespace resguardo::api {
namespace {

bool IsUpperAlnumOrDash(char c) {
  return (c >= 'A' && c <= 'Z') || absl::ascii_isdigit(c) || c == '-';
}
bool IsLowerUserChar(char c) {
  return (c >= 'a' && c <= 'z') || absl::ascii_isdigit(c) || c == '.' ||
         c == '_' || c == '-';
}

bool IsResourceIdChar(char c) {
  return absl::ascii_isalnum(c) || c == '.' || c == '_' || c == '-';
}

}  // namespace

bool IsAuditableResourceName(absl::string_view name) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() < 2 || parts.size() % 2 != 0 || parts.size() > 10) {
    return false;
  }
  if (parts[0] != "institutions" || !IsValidInstitutionId(parts[1])) {
    return false;
  }
  for (size_t i = 2; i < parts.size(); i += 2) {
    if (parts[i] != "cases" && parts[i] != "users" && parts[i] != "followUps" &&
        parts[i] != "protectionMeasures" && parts[i] != "referrals" &&
        parts[i] != "resolutions" && parts[i] != "appeals" &&
        parts[i] != "reparationMeasures" && parts[i] != "registryEntries") {
      return false;
    }
    const absl::string_view id = parts[i + 1];
    if (id.empty() || id.size() > 64) return false;
    for (char c : id) {
      if (!IsResourceIdChar(c)) return false;
    }
  }
  return true;
}

bool IsValidInstitutionId(absl::string_view id) {
  if (id.size() < 2 || id.size() > 32) return false;
  if (!(id[0] >= 'A' && id[0] <= 'Z')) return false;
  for (char c : id) {
    if (!IsUpperAlnumOrDash(c)) return false;
  }
  return true;
}

bool IsValidUserId(absl::string_view id) {
  if (id.empty() || id.size() > 63) return false;
  if (!((id[0] >= 'a' && id[0] <= 'z') || absl::ascii_isdigit(id[0]))) {
    return false;
  }
  for (char c : id) {
    if (!IsLowerUserChar(c)) return false;
  }
  return true;
}

std::optional<std::string> ParseInstitutionName(absl::string_view name) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 2 || parts[0] != "institutions" ||
      !IsValidInstitutionId(parts[1])) {
    return std::nullopt;
  }
  return std::string(parts[1]);
}

std::optional<CaseName> ParseCaseName(absl::string_view name) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 4 || parts[0] != "institutions" || parts[2] != "cases" ||
      !IsValidInstitutionId(parts[1]) || !IsValidFolio(parts[1], parts[3])) {
    return std::nullopt;
  }
  return CaseName{std::string(parts[1]), std::string(parts[3])};
}

std::optional<UserName> ParseUserName(absl::string_view name) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 4 || parts[0] != "institutions" || parts[2] != "users" ||
      !IsValidInstitutionId(parts[1]) || !IsValidUserId(parts[3])) {
    return std::nullopt;
  }
  return UserName{std::string(parts[1]), std::string(parts[3])};
}

namespace {

// `name` split at its last "/{collection}/": the parent and the child's
// number (1 or more, no leading zero), or nullopt.
std::optional<std::pair<absl::string_view, int64_t>> SplitChild(
    absl::string_view name, absl::string_view collection) {
  const std::string marker = absl::StrCat("/", collection, "/");
  const size_t slash = name.rfind(marker);
  if (slash == absl::string_view::npos) return std::nullopt;
  const absl::string_view seq = name.substr(slash + marker.size());
  int64_t n = 0;
  if (seq.empty() || seq.size() > 18 || seq[0] == '0' ||
      !std::all_of(seq.begin(), seq.end(),
                   [](char c) { return c >= '0' && c <= '9'; }) ||
      !absl::SimpleAtoi(seq, &n)) {
    return std::nullopt;
  }
  return std::make_pair(name.substr(0, slash), n);
}

std::optional<ResolutionChildName> ParseResolutionChild(
    absl::string_view name, absl::string_view collection) {
  auto split = SplitChild(name, collection);
  if (!split) return std::nullopt;
  std::optional<ResolutionName> resolution = ParseResolutionName(split->first);
  if (!resolution) return std::nullopt;
  return ResolutionChildName{*std::move(resolution), split->second};
}

}  // namespace

std::optional<MeasureName> ParseMeasureName(absl::string_view name) {
  auto split = SplitChild(name, "protectionMeasures");
  if (!split) return std::nullopt;
  std::optional<CaseName> case_name = ParseCaseName(split->first);
  if (!case_name) return std::nullopt;
  return MeasureName{*std::move(case_name), split->second};
}

std::optional<ResolutionName> ParseResolutionName(absl::string_view name) {
  auto split = SplitChild(name, "resolutions");
  if (!split) return std::nullopt;
  std::optional<CaseName> case_name = ParseCaseName(split->first);
  if (!case_name) return std::nullopt;
  return ResolutionName{*std::move(case_name), split->second};
}

std::optional<ResolutionChildName> ParseAppealName(absl::string_view name) {
  return ParseResolutionChild(name, "appeals");
}

std::optional<ResolutionChildName> ParseReparationMeasureName(
    absl::string_view name) {
  return ParseResolutionChild(name, "reparationMeasures");
}

std::string ResolutionResourceName(const CaseName& case_name, int64_t seq) {
  return absl::StrCat(CaseResourceName(case_name.institution, case_name.folio),
                      "/resolutions/", seq);
}

std::string InstitutionName(absl::string_view institution) {
  return absl::StrCat("institutions/", institution);
}
std::string CaseResourceName(absl::string_view institution,
                             absl::string_view folio) {
  return absl::StrCat("institutions/", institution, "/cases/", folio);
}
std::string UserResourceName(absl::string_view institution,
                             absl::string_view user) {
  return absl::StrCat("institutions/", institution, "/users/", user);
}

std::string FormatFolio(absl::string_view institution, int year,
                        int64_t sequence) {
  return absl::StrFormat("%s-%04d-%06d", institution, year, sequence);
}

bool IsValidFolio(absl::string_view institution, absl::string_view folio) {
  if (!absl::ConsumePrefix(&folio, institution) ||
      !absl::ConsumePrefix(&folio, "-")) {
    return false;
  }
  if (folio.size() < 4 + 1 + 6 || folio.size() > 4 + 1 + 12 ||
      folio[4] != '-') {
    return false;
  }
  for (size_t i = 0; i < folio.size(); ++i) {
    if (i == 4) continue;
    if (!absl::ascii_isdigit(folio[i])) return false;
  }
  return true;
}

}  // namespace resguardo::api
