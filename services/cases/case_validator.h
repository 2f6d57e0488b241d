// Validation of CaseService requests: every field, before anything is
// stored. A failure is INVALID_ARGUMENT naming the first field, with every
// violation in a google.rpc.BadRequest payload (services/api/
// field_violations.h). Descriptions never repeat the value received.
//
// Checks that need stored state (does the case exist, is the etag current, is
// this status transition legal) belong to the case store, not here.
//
// Pure functions; thread-safe.
#ifndef RESGUARDO_SERVICES_CASES_CASE_VALIDATOR_H_
#define RESGUARDO_SERVICES_CASES_CASE_VALIDATOR_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace resguardo::v1 {
class CreateCaseRequest;
class UpdateCaseRequest;
}  // namespace resguardo::v1

namespace resguardo::cases {

// `today` is the node's current day: no date may be after it.
absl::Status ValidateCreateCase(const v1::CreateCaseRequest& request,
                                absl::CivilDay today);

// Validates the name, the etag, the mask (known, writable paths only) and the
// new value of every field the mask names.
absl::Status ValidateUpdateCase(const v1::UpdateCaseRequest& request,
                                absl::CivilDay today);

// A CURP (Clave Única de Registro de Población): 18 characters, four letters,
// a valid birth date YYMMDD, sex (H, M or X), a state code, three internal
// consonants, the homoclave and a check digit that matches.
bool IsValidCurp(absl::string_view curp);

}  // namespace resguardo::cases

#endif  // RESGUARDO_SERVICES_CASES_CASE_VALIDATOR_H_
