// CaseStore: what the registry of sanctioned persons reads from a case and
// the node's moves of the case along the registry (REGISTERED, DELISTED).
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "services/api/field_violations.h"
#include "services/cases/case_store.h"
#include "services/cases/case_transitions.h"
#include "services/cases/internal/case_row.h"
#include "services/cases/internal/case_sealing.h"
#include "services/cases/internal/case_views.h"

namespace resguardo::cases {
namespace {

constexpr char kResolutionNotFound[] = "resolution not found";
constexpr char kSanctionedPersonNotFound[] = "sanctioned person not found";

// "{case}/resolutions/{n}" of "{case}/resolutions/{n}/sanctionedPersons/{k}".
std::optional<std::string> ResolutionOf(absl::string_view person) {
  const size_t at = person.rfind("/sanctionedPersons/");
  if (at == absl::string_view::npos) return std::nullopt;
  return std::string(person.substr(0, at));
}

// "{case}" of "{case}/resolutions/{n}".
std::optional<std::string> CaseOf(absl::string_view resolution) {
  const size_t at = resolution.rfind("/resolutions/");
  if (at == absl::string_view::npos) return std::nullopt;
  return std::string(resolution.substr(0, at));
}

}  // namespace

absl::StatusOr<CaseStore::InscriptionSource> CaseStore::ReadForInscription(
    store::ReadTxn& txn, const auth::Principal& caller,
    absl::string_view sanctioned_person, int aggressor_index) const {
  std::optional<std::string> resolution_name = ResolutionOf(sanctioned_person);
  std::optional<std::string> case_name =
      resolution_name ? CaseOf(*resolution_name) : std::nullopt;
  if (!case_name) return absl::NotFoundError(internal::kCaseNotFound);
  ASSIGN_OR_RETURN(internal::CaseRow row,
                   internal::LoadVisibleCase(txn, caller, *case_name));
  InscriptionSource source;
  source.institution = row.institution;
  source.case_row_id = row.id;
  ASSIGN_OR_RETURN(source.case_view, internal::LoadBasicView(txn, caller, row));
  const v1::Resolution* resolution = nullptr;
  for (const v1::Resolution& r : source.case_view.resolutions()) {
    if (r.name() == *resolution_name) resolution = &r;
  }
  if (resolution == nullptr) return absl::NotFoundError(kResolutionNotFound);
  source.resolution = *resolution;
  const v1::SanctionedPerson* person = nullptr;
  for (const v1::SanctionedPerson& p : resolution->sanctioned_persons()) {
    if (p.name() == sanctioned_person) person = &p;
  }
  if (person == nullptr) {
    return absl::NotFoundError(kSanctionedPersonNotFound);
  }
  source.person = *person;
  if (row.erased) return absl::FailedPreconditionError(internal::kCaseErased);
  ASSIGN_OR_RETURN(crypto::DataKey key,
                   internal::UnwrapKey(*directory_, txn, row));
  ASSIGN_OR_RETURN(v1::CasePersonalData data,
                   internal::OpenPersonalData(key, row));
  if (aggressor_index < 0 || aggressor_index >= data.aggressor_names_size()) {
    api::FieldViolations v;
    v.Add("aggressor_index", api::ErrorId::kAggressorIndex);
    return v.ToStatus();
  }
  source.person_name = data.aggressor_names(aggressor_index);
  return source;
}

absl::Status CaseStore::SetRegistryStatus(store::WriteTxn& txn,
                                          absl::string_view case_name,
                                          v1::CaseStatus status) {
  std::optional<api::CaseName> parsed = api::ParseCaseName(case_name);
  if (!parsed) return absl::NotFoundError(internal::kCaseNotFound);
  ASSIGN_OR_RETURN(std::optional<internal::CaseRow> found,
                   internal::FindCase(txn, parsed->institution, parsed->folio));
  if (!found) return absl::NotFoundError(internal::kCaseNotFound);
  internal::CaseRow& row = *found;
  const bool closed = row.descriptors.status() == v1::CASE_STATUS_CLOSED;
  const v1::CaseStatus from =
      closed ? static_cast<v1::CaseStatus>(row.status_before_close)
             : row.descriptors.status();
  if (from == status) return absl::OkStatus();
  // The end of the last entry delists only a REGISTERED case: one that
  // moved on (before this rule, UpdateCase could) is not moved back.
  if (status == v1::CASE_STATUS_DELISTED &&
      from != v1::CASE_STATUS_REGISTERED) {
    return absl::OkStatus();
  }
  RETURN_IF_ERROR(CheckTransition(row.descriptors.kind(), from, status));
  if (closed) {
    row.status_before_close = status;
  } else {
    row.descriptors.set_status(status);
  }
  RETURN_IF_ERROR(internal::BumpVersion(*directory_, txn, row,
                                        internal::NowMicros(clock_)));
  return internal::UpdateCaseRow(txn, row);
}

}  // namespace resguardo::cases
