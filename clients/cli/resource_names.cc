#include "clients/cli/resource_names.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/digits.h"

namespace resguardo::cli {

std::string InstitutionName(absl::string_view institution_id) {
  return absl::StrCat("institutions/", institution_id);
}

absl::StatusOr<std::string> CaseNameFromArg(absl::string_view arg) {
  arg = absl::StripAsciiWhitespace(arg);
  if (absl::StartsWith(arg, "institutions/")) {
    std::vector<absl::string_view> parts = absl::StrSplit(arg, '/');
    if (parts.size() == 4 && parts[2] == "cases" && !parts[1].empty() &&
        !parts[3].empty()) {
      return std::string(arg);
    }
    return absl::InvalidArgumentError("not a case name");
  }
  // IEEPCO-2026-000123; the institution id may itself hold '-'.
  std::vector<absl::string_view> parts = absl::StrSplit(arg, '-');
  if (parts.size() < 3 || parts[parts.size() - 2].size() != 4 ||
      !IsAllDigits(parts[parts.size() - 2]) || !IsAllDigits(parts.back())) {
    return absl::InvalidArgumentError("not a folio");
  }
  const size_t prefix_len =
      arg.size() - parts.back().size() - parts[parts.size() - 2].size() - 2;
  const absl::string_view institution = arg.substr(0, prefix_len);
  if (institution.empty()) return absl::InvalidArgumentError("not a folio");
  return absl::StrCat("institutions/", institution, "/cases/", arg);
}

absl::StatusOr<std::string> UserNameFromArg(absl::string_view arg,
                                            absl::string_view institution_id) {
  arg = absl::StripAsciiWhitespace(arg);
  if (absl::StartsWith(arg, "institutions/")) {
    std::vector<absl::string_view> parts = absl::StrSplit(arg, '/');
    if (parts.size() == 4 && parts[2] == "users" && !parts[1].empty() &&
        !parts[3].empty()) {
      return std::string(arg);
    }
    return absl::InvalidArgumentError("not a user name");
  }
  if (arg.empty() || arg.find('/') != absl::string_view::npos ||
      institution_id.empty()) {
    return absl::InvalidArgumentError("not a user id");
  }
  return absl::StrCat("institutions/", institution_id, "/users/", arg);
}

}  // namespace resguardo::cli
