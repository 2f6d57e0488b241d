// The registry_entries row: its columns, reading and writing it, the
// sealing of the person's name, and the entry as the API returns it.
// Internal to services/registry.
#ifndef RESGUARDO_SERVICES_REGISTRY_INTERNAL_REGISTRY_ROW_H_
#define RESGUARDO_SERVICES_REGISTRY_INTERNAL_REGISTRY_ROW_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "resguardo/v1/registry_service.pb.h"
#include "services/admin/directory.h"
#include "services/store/statement.h"
#include "services/store/transaction.h"

namespace resguardo::registry::internal {

// Purpose label of the person name's RecordContext (stable: stored
// ciphertexts depend on it).
inline constexpr char kPersonNamePurpose[] = "registry.person_name";

inline constexpr char kEntryNotFound[] = "registry entry not found";

struct RegistryRow {
  int64_t id = 0;
  std::string institution;
  int64_t seq = 0;
  int64_t case_id = 0;
  std::string sanctioned_person;
  // The public fields but the person's name, as stored (status, dates and
  // delisting included).
  v1::RegistryEntry entry;
  std::string wrapped_dek;
  std::string sealed_person_name;
  int64_t create_time = 0;
  int64_t update_time = 0;
  int64_t version = 1;

  std::string name() const;
};

inline constexpr char kRowColumns[] =
    "id, institution, seq, case_id, sanctioned_person, entry, wrapped_dek, "
    "sealed_person_name, create_time, update_time, version";

absl::StatusOr<RegistryRow> ReadRow(const store::Statement& s);
// Every row of `s` (SELECT kRowColumns ...).
absl::StatusOr<std::vector<RegistryRow>> ReadRows(store::Statement& s);

// Inserts `row` (its id is set). The status, state and dates columns come
// from row.entry.
absl::Status InsertRow(store::WriteTxn& txn, RegistryRow& row);
// Writes the entry, status and version of `row`.
absl::Status UpdateRow(store::WriteTxn& txn, const RegistryRow& row);

// The entry `institution`/`seq`, or nullopt.
absl::StatusOr<std::optional<RegistryRow>> FindRow(
    store::ReadTxn& txn, absl::string_view institution, int64_t seq);

// Seals `person_name` under a new data key of the entry (row.wrapped_dek,
// row.sealed_person_name). REQUIRES: row.institution and row.seq set.
absl::Status SealPersonName(admin::Directory& directory, store::ReadTxn& txn,
                            absl::string_view person_name, RegistryRow& row);
// The person's name; DATA_LOSS when it does not open.
absl::StatusOr<std::string> OpenPersonName(admin::Directory& directory,
                                           store::ReadTxn& txn,
                                           const RegistryRow& row);

// The entry as the API returns it: with its name, person's name, times and
// etag; with `sanctioned_person` only when `with_link` (a user of the
// entry's institution).
v1::RegistryEntry View(const RegistryRow& row, std::string person_name,
                       bool with_link);

}  // namespace resguardo::registry::internal

#endif  // RESGUARDO_SERVICES_REGISTRY_INTERNAL_REGISTRY_ROW_H_
