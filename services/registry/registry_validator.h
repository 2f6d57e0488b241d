// Checks of RegistryService requests before any lookup (field violations,
// INVALID_ARGUMENT naming each field; api/error_catalogue.h), and the term
// arithmetic of an entry. Pure functions; thread-safe.
#ifndef RESGUARDO_SERVICES_REGISTRY_REGISTRY_VALIDATOR_H_
#define RESGUARDO_SERVICES_REGISTRY_REGISTRY_VALIDATOR_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "google/type/date.pb.h"
#include "resguardo/v1/case.pb.h"
#include "resguardo/v1/registry_service.pb.h"

namespace resguardo::registry {

// An entry's name: institutions/{institution}/registryEntries/{seq}.
struct EntryName {
  std::string institution;
  int64_t seq = 0;  // >= 1
};
std::optional<EntryName> ParseEntryName(absl::string_view name);

// The case of a sanctioned person's name
// (institutions/{i}/cases/{folio}/resolutions/{n}/sanctionedPersons/{k}),
// or nullopt when the name is not of that form.
std::optional<std::string> CaseOfSanctionedPerson(absl::string_view name);

// yyyymmdd of a date (0 when unset), and back.
int64_t DateColumn(const google::type::Date& date);
google::type::Date DateOf(int64_t yyyymmdd);
absl::CivilDay CivilDayOf(int64_t yyyymmdd);
int64_t DateColumn(absl::CivilDay day);

// The end of a term that starts on `start`: start plus the years and months
// (a day the month does not have is its last day: 31 January plus a month
// is 28 or 29 February), then the days.
absl::CivilDay TermEnd(absl::CivilDay start, const v1::RegistryTerm& term);

absl::Status ValidateInscribe(const v1::InscribeRequest& request,
                              absl::CivilDay today);
absl::Status ValidateListRegistryEntries(
    const v1::ListRegistryEntriesRequest& request);
absl::Status ValidateSearchRegistry(const v1::SearchRegistryRequest& request);
absl::Status ValidateDelistRegistryEntry(
    const v1::DelistRegistryEntryRequest& request, absl::CivilDay today);
absl::Status ValidateExportRegistry(const v1::ExportRegistryRequest& request);

}  // namespace resguardo::registry

#endif  // RESGUARDO_SERVICES_REGISTRY_REGISTRY_VALIDATOR_H_
