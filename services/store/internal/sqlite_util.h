// RAII handles for SQLite's C objects and the conversion of SQLite result
// codes to absl::Status.
//
// Not part of the store's API: only services/store/ includes this header.
//
// Error messages name the operation and SQLite's own message
// (sqlite3_errmsg). SQLite's messages are built from the schema and the SQL
// text, never from bound values, so the personal data that the store's
// callers bind as parameters cannot appear in them; the SQL text itself is
// never copied into a status.
#ifndef RESGUARDO_SERVICES_STORE_INTERNAL_SQLITE_UTIL_H_
#define RESGUARDO_SERVICES_STORE_INTERNAL_SQLITE_UTIL_H_

#include <sqlite3.h>

#include <memory>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace resguardo::store::internal {

struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct SqliteFinalizer {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};

using SqlitePtr = std::unique_ptr<sqlite3, SqliteCloser>;
using StatementPtr = std::unique_ptr<sqlite3_stmt, SqliteFinalizer>;

// The canonical code for a SQLite result code (primary or extended):
// BUSY/LOCKED -> UNAVAILABLE, CONSTRAINT_PRIMARYKEY/UNIQUE -> ALREADY_EXISTS,
// other CONSTRAINT -> FAILED_PRECONDITION, CORRUPT -> DATA_LOSS,
// NOTADB -> FAILED_PRECONDITION, FULL/IOERR -> UNAVAILABLE (a storage
// condition, storage_status.h), NOMEM -> RESOURCE_EXHAUSTED,
// INTERRUPT -> CANCELLED, ABORT -> ABORTED, TOOBIG/MISMATCH ->
// INVALID_ARGUMENT, READONLY/CANTOPEN/PERM/AUTH -> FAILED_PRECONDITION,
// anything else -> INTERNAL.
absl::StatusCode CodeForSqliteResult(int rc);

// A status for the failed SQLite call `rc` on `db` (may be null) during
// `context` ("prepare", "step", "commit"...). CORRUPT and NOTADB name the file
// `path` and say that it does not open with this key or is damaged; FULL and
// IOERR are marked as storage conditions (StorageUnavailableError).
absl::Status SqliteError(sqlite3* db, int rc, absl::string_view context,
                         absl::string_view path);

}  // namespace resguardo::store::internal

#endif  // RESGUARDO_SERVICES_STORE_INTERNAL_SQLITE_UTIL_H_
