#include "services/store/internal/sqlite_util.h"

#include <sqlite3.h>

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "services/store/storage_status.h"

namespace resguardo::store::internal {

absl::StatusCode CodeForSqliteResult(int rc) {
  switch (rc) {
    case SQLITE_CONSTRAINT_PRIMARYKEY:
    case SQLITE_CONSTRAINT_UNIQUE:
      return absl::StatusCode::kAlreadyExists;
    default:
      break;
  }
  switch (rc & 0xff) {
    case SQLITE_OK:
      return absl::StatusCode::kOk;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::StatusCode::kUnavailable;
    case SQLITE_CONSTRAINT:
      return absl::StatusCode::kFailedPrecondition;
    case SQLITE_CORRUPT:
      return absl::StatusCode::kDataLoss;
    case SQLITE_NOTADB:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return absl::StatusCode::kFailedPrecondition;
    case SQLITE_FULL:
    case SQLITE_IOERR:
      return absl::StatusCode::kUnavailable;
    case SQLITE_NOMEM:
      return absl::StatusCode::kResourceExhausted;
    case SQLITE_INTERRUPT:
      return absl::StatusCode::kCancelled;
    case SQLITE_ABORT:
      return absl::StatusCode::kAborted;
    case SQLITE_TOOBIG:
    case SQLITE_MISMATCH:
      return absl::StatusCode::kInvalidArgument;
    default:
      return absl::StatusCode::kInternal;
  }
}

absl::Status SqliteError(sqlite3* db, int rc, absl::string_view context,
                         absl::string_view path) {
  const absl::StatusCode code = CodeForSqliteResult(rc);
  const int primary = rc & 0xff;
  if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT) {
    return absl::Status(
        code, absl::StrCat("the database file ", path,
                           " does not open with this node's key, or is "
                           "damaged (",
                           context, ": ", sqlite3_errstr(rc), ")"));
  }
  // sqlite3_errmsg describes the most recent failure on `db`; when the
  // failing call was not made on `db` (or there is no `db`), fall back to the
  // generic text of the code.
  std::string detail = sqlite3_errstr(rc);
  if (db != nullptr &&
      (sqlite3_extended_errcode(db) == rc || sqlite3_errcode(db) == primary)) {
    detail = sqlite3_errmsg(db);
  }
  std::string message = absl::StrCat("store: ", context, " failed: ", detail,
                                     " (SQLite code ", rc, ")");
  if (primary == SQLITE_FULL || primary == SQLITE_IOERR) {
    // The file system, not the request: retryable once it clears.
    return StorageUnavailableError(message);
  }
  return absl::Status(code, std::move(message));
}

}  // namespace resguardo::store::internal
