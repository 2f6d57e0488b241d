// Resource names (AIP-122) from what a person types: a folio
// ("IEEPCO-2026-000123") or a full name ("institutions/IEEPCO/cases/...").
#ifndef RESGUARDO_CLIENTS_CLI_RESOURCE_NAMES_H_
#define RESGUARDO_CLIENTS_CLI_RESOURCE_NAMES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace resguardo::cli {

// "institutions/IEEPCO".
std::string InstitutionName(absl::string_view institution_id);

// A case's name from its folio (the institution is the folio's prefix before
// -YEAR-NUMBER), written as the node writes it whatever the case of the
// letters and the zeros typed ("ieepco-2026-5" → IEEPCO-2026-000005), or
// from its full name, returned as given. INVALID_ARGUMENT if `arg` is
// neither.
absl::StatusOr<std::string> CaseNameFromArg(absl::string_view arg);

// A referral's name from its number, which is within the sender's
// institution (`institution_id`, the caller's: "2" →
// institutions/IEEPCO/referrals/2), or from its full name (a received
// referral: the sender's institution is in it). INVALID_ARGUMENT otherwise.
absl::StatusOr<std::string> ReferralNameFromArg(
    absl::string_view arg, absl::string_view institution_id);

// A user's name from "ana.lopez" (in `institution_id`) or from a full name.
// INVALID_ARGUMENT if `arg` is empty or a malformed full name.
absl::StatusOr<std::string> UserNameFromArg(absl::string_view arg,
                                            absl::string_view institution_id);

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_RESOURCE_NAMES_H_
