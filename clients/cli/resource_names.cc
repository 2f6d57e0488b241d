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
      !IsAllDigits(parts[parts.size() - 2]) || !IsAllDigits(parts.back()) ||
      parts.back().size() > 12) {
    return absl::InvalidArgumentError("not a folio");
  }
  const absl::string_view number = parts.back();
  const absl::string_view year = parts[parts.size() - 2];
  const size_t prefix_len = arg.size() - number.size() - year.size() - 2;
  // Institution ids are upper case, and the node writes the number with
  // exactly six digits or more, no extra zeros: "ieepco-2026-5" and
  // "IEEPCO-2026-0000005" are IEEPCO-2026-000005.
  const std::string institution =
      absl::AsciiStrToUpper(arg.substr(0, prefix_len));
  if (institution.empty()) return absl::InvalidArgumentError("not a folio");
  absl::string_view digits = number;
  while (digits.size() > 1 && digits.front() == '0') digits.remove_prefix(1);
  const std::string padding(digits.size() < 6 ? 6 - digits.size() : 0, '0');
  const std::string folio =
      absl::StrCat(institution, "-", year, "-", padding, digits);
  return absl::StrCat("institutions/", institution, "/cases/", folio);
}

absl::StatusOr<std::string> ReferralNameFromArg(
    absl::string_view arg, absl::string_view institution_id) {
  arg = absl::StripAsciiWhitespace(arg);
  if (absl::StartsWith(arg, "institutions/")) {
    std::vector<absl::string_view> parts = absl::StrSplit(arg, '/');
    if (parts.size() == 4 && parts[2] == "referrals" && !parts[1].empty() &&
        !parts[3].empty()) {
      return std::string(arg);
    }
    return absl::InvalidArgumentError("not a referral name");
  }
  if (!IsAllDigits(arg) || arg.size() > 18 || institution_id.empty()) {
    return absl::InvalidArgumentError("not a referral number");
  }
  return absl::StrCat("institutions/", institution_id, "/referrals/", arg);
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
