// What an auditor types to filter audit entries, as the node stores it: a
// method by its short name ("GetCase", "CaseService/GetCase") as the full
// gRPC method, a folio as the case's resource name, an outcome by its name
// ("not-found", "PERMISSION_DENIED") or number as a google.rpc.Code.
#ifndef RESGUARDO_CLIENTS_CLI_AUDIT_FILTERS_H_
#define RESGUARDO_CLIENTS_CLI_AUDIT_FILTERS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace resguardo::cli {

// "/resguardo.v1.CaseService/GetCase" from "GetCase", "getcase",
// "CaseService/GetCase", "resguardo.v1.CaseService.GetCase" or the full
// method itself; the services are resguardo.v1's and gRPC's health.
// NOT_FOUND for a name no method has; INVALID_ARGUMENT for a short name two
// services share.
absl::StatusOr<std::string> FullMethodName(absl::string_view typed);

// The resource name of a folio ("ieepco-2026-5"); anything else as typed.
std::string ResourceFilter(absl::string_view typed);

// A google.rpc.Code from its number (0-16) or its name, case-insensitive,
// '-' or ' ' for '_' ("not-found"). NOT_FOUND otherwise.
absl::StatusOr<int> OutcomeCode(absl::string_view typed);

// The google.rpc.Code name of `code` ("NOT_FOUND"); "?" outside 0-16.
const char* OutcomeName(int code);

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_AUDIT_FILTERS_H_
