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
#include "absl/time/time.h"

namespace resguardo::v1 {
class AddFollowUpRequest;
class AddProtectionMeasureRequest;
class CloseCaseRequest;
class CreateCaseRequest;
class EraseCasePersonalDataRequest;
class GetCaseRequest;
class ListCasesRequest;
class ListFollowUpsRequest;
class ReopenCaseRequest;
class SetProtectionMeasureStatusRequest;
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

// name is a case name; view a CaseView; FULL needs a purpose ("purpose").
absl::Status ValidateGetCase(const v1::GetCaseRequest& request);

// parent, page_size (not negative), page_token (at most 512 bytes: its binding
// to the filters is checked by the store), catalogue filters, state_code, and
// reported_from <= reported_to (full dates, either may be absent).
absl::Status ValidateListCases(const v1::ListCasesRequest& request);

// parent is a case name; follow_up.kind required; occur_time required, not
// after `now`; next_due_date optional, a real date; notes up to 20,000
// characters (multi-line); request_id 1–64 characters when given.
absl::Status ValidateAddFollowUp(const v1::AddFollowUpRequest& request,
                                 absl::Time now);

// parent is a case name; page_size not negative; page_token at most 512 bytes;
// purpose a catalogue value when set.
absl::Status ValidateListFollowUps(const v1::ListFollowUpsRequest& request);

// parent is a case name; type and status required; issuing_authority 1–200
// characters; issue_date required, not after `today`; expiry_date required
// for an EXTENDED measure, optional otherwise, not before issue_date;
// request_id as above.
absl::Status ValidateAddProtectionMeasure(
    const v1::AddProtectionMeasureRequest& request, absl::CivilDay today);

// name a protection measure's, etag and status required; expiry_date
// required with EXTENDED, optional with IN_FORCE, absent otherwise.
absl::Status ValidateSetProtectionMeasureStatus(
    const v1::SetProtectionMeasureStatusRequest& request);

// name, etag and reason required.
absl::Status ValidateCloseCase(const v1::CloseCaseRequest& request);
// name and etag required.
absl::Status ValidateReopenCase(const v1::ReopenCaseRequest& request);
// name, etag and reason required.
absl::Status ValidateEraseCasePersonalData(
    const v1::EraseCasePersonalDataRequest& request);

// A CURP (Clave Única de Registro de Población): 18 characters, four letters,
// a valid birth date YYMMDD, sex (H, M or X), a state code, three internal
// consonants, the homoclave and a check digit that matches.
bool IsValidCurp(absl::string_view curp);

}  // namespace resguardo::cases

#endif  // RESGUARDO_SERVICES_CASES_CASE_VALIDATOR_H_
