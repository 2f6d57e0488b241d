// The stored rows of a case's resolutions (node_schema.cc, version 13):
// resolutions, their sanctioned persons, appeals and reparation measures,
// read into v1 messages and written from them; the record contexts of
// their sealed fields (a resolution's notes, a measure's description, under
// the case's DEK). Internal to services/cases.
#ifndef RESGUARDO_SERVICES_CASES_INTERNAL_RESOLUTION_ROWS_H_
#define RESGUARDO_SERVICES_CASES_INTERNAL_RESOLUTION_ROWS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "crypto/envelope.h"
#include "resguardo/v1/case.pb.h"
#include "services/auth/access_policy.h"
#include "services/cases/internal/case_row.h"
#include "services/cases/resolution_rules.h"
#include "services/store/transaction.h"

namespace resguardo::cases::internal {

// Purpose labels of the RecordContexts (stable: stored ciphertexts depend
// on them); the record's name is the resolution's or the measure's, its
// version 1.
inline constexpr char kResolutionNotesPurpose[] = "case.resolution_notes";
inline constexpr char kReparationDescriptionPurpose[] =
    "case.reparation_description";

// The case's resolutions in order, each with its sanctioned persons,
// appeals and reparation measures (with the compliance statuses `caller`
// may set). The sealed fields are opened with `key` when it is given
// (DATA_LOSS if one does not open), left empty otherwise.
absl::StatusOr<std::vector<v1::Resolution>> LoadResolutions(
    store::ReadTxn& txn, const auth::Principal& caller, const CaseRow& row,
    const crypto::DataKey* key);

// The route's view of the last of `resolutions`.
CurrentResolution CurrentOf(const std::vector<v1::Resolution>& resolutions);

// `text` sealed for the record `name` under `purpose`; nullopt for "".
absl::StatusOr<std::optional<std::string>> SealField(const crypto::DataKey* key,
                                                     absl::string_view purpose,
                                                     const CaseRow& row,
                                                     absl::string_view name,
                                                     absl::string_view text);

// Inserts resolution `r` (its name set) without its children.
absl::Status InsertResolution(store::WriteTxn& txn, const CaseRow& row,
                              int64_t seq, const v1::Resolution& r,
                              const std::optional<std::string>& sealed_notes,
                              int64_t now);
// Replaces the sanctioned persons of resolution `seq` with `persons`.
absl::Status WriteSanctionedPersons(
    store::WriteTxn& txn, const CaseRow& row, int64_t seq,
    const google::protobuf::RepeatedPtrField<v1::SanctionedPerson>& persons);
absl::Status InsertReparationMeasure(
    store::WriteTxn& txn, const CaseRow& row, int64_t resolution_seq,
    int64_t seq, const v1::ReparationMeasure& m,
    const std::optional<std::string>& sealed_description, int64_t now);
absl::Status InsertAppeal(store::WriteTxn& txn, const CaseRow& row,
                          int64_t resolution_seq, int64_t seq,
                          const v1::Appeal& a);

}  // namespace resguardo::cases::internal

#endif  // RESGUARDO_SERVICES_CASES_INTERNAL_RESOLUTION_ROWS_H_
