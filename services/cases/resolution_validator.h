// The field checks of a case's resolutions and their requests
// (v1.Resolution, AddResolutionRequest … SetReparationMeasureStatusRequest)
// against the catalogues: each violation names its field, in the caller's
// language from the error catalogue. Rules that need the stored case (a date
// not before the case's reported date or the resolution's, which resolution
// is current) are the store's (resolutions.h). today is the clock's UTC day.
//
// Pure functions; thread-safe.
#ifndef RESGUARDO_SERVICES_CASES_RESOLUTION_VALIDATOR_H_
#define RESGUARDO_SERVICES_CASES_RESOLUTION_VALIDATOR_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "resguardo/v1/case.pb.h"
#include "resguardo/v1/case_service.pb.h"

namespace resguardo::cases {

// The most sanctioned persons and reparation measures of one resolution.
inline constexpr int kMaxSanctionedPersons = 50;
inline constexpr int kMaxReparationMeasures = 50;

// A resolution's input fields (output-only ones ignored), each under
// `prefix` ("resolution."): authority, file number, date (not in the
// future), outcome, the sanctioned persons (only when PROVEN) with their
// sanctions, fine and term, the reparation measures, the notes.
absl::Status ValidateResolution(const v1::Resolution& resolution,
                                absl::CivilDay today,
                                const std::string& prefix);

absl::Status ValidateAddResolution(const v1::AddResolutionRequest& request,
                                   absl::CivilDay today);
// Name, etag and the mask's paths (the merged resolution is checked with
// ValidateResolution by the store).
absl::Status ValidateUpdateResolution(
    const v1::UpdateResolutionRequest& request);
absl::Status ValidateFileAppeal(const v1::FileAppealRequest& request,
                                absl::CivilDay today);
absl::Status ValidateDecideAppeal(const v1::DecideAppealRequest& request,
                                  absl::CivilDay today);
absl::Status ValidateSetResolutionFinal(
    const v1::SetResolutionFinalRequest& request, absl::CivilDay today);
absl::Status ValidateAddReparationMeasure(
    const v1::AddReparationMeasureRequest& request);
absl::Status ValidateSetReparationMeasureStatus(
    const v1::SetReparationMeasureStatusRequest& request);

}  // namespace resguardo::cases

#endif  // RESGUARDO_SERVICES_CASES_RESOLUTION_VALIDATOR_H_
