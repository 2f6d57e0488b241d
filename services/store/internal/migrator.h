// Applies a Migration list (migration.h) to the writer connection at open.
//
// Not part of the store's API.
#ifndef RESGUARDO_SERVICES_STORE_INTERNAL_MIGRATOR_H_
#define RESGUARDO_SERVICES_STORE_INTERNAL_MIGRATOR_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "services/store/internal/connection.h"
#include "services/store/migration.h"

namespace resguardo::store::internal {

// Checks that the file belongs to `application_id` (PRAGMA application_id; a
// new, empty file is stamped with it), then applies every step above the
// file's user_version. Returns the resulting schema version.
// REQUIRES: ValidateMigrations(migrations) is OK; no transaction is open.
// Errors: FAILED_PRECONDITION (another application's file, a version newer
// than `migrations` knows, a step that fails or breaks a foreign key; the
// message names the step), plus the SQLite errors of sqlite_util.h.
absl::StatusOr<int> ApplyMigrations(Connection& connection,
                                    absl::Span<const Migration> migrations,
                                    uint32_t application_id);

}  // namespace resguardo::store::internal

#endif  // RESGUARDO_SERVICES_STORE_INTERNAL_MIGRATOR_H_
