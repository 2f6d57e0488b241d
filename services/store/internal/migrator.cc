#include "services/store/internal/migrator.h"

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "base/status_macros.h"
#include "services/store/internal/connection.h"
#include "services/store/migration.h"

namespace resguardo::store::internal {
namespace {

// Runs `body` inside BEGIN IMMEDIATE ... COMMIT; rolls back on any error.
template <typename Body>
absl::Status InTransaction(Connection& conn, Body body) {
  RETURN_IF_ERROR(conn.Exec("BEGIN IMMEDIATE", "begin migration"));
  absl::Status status = body();
  if (status.ok()) status = conn.Exec("COMMIT", "commit migration");
  if (!status.ok() && conn.in_transaction()) {
    conn.Exec("ROLLBACK", "roll back migration").IgnoreError();
  }
  return status;
}

absl::Status StepError(int version, const absl::Status& cause) {
  return absl::Status(
      cause.code(), absl::StrCat("store: migration to schema version ", version,
                                 " failed: ", cause.message()));
}

}  // namespace

absl::StatusOr<int> ApplyMigrations(Connection& conn,
                                    absl::Span<const Migration> migrations,
                                    uint32_t application_id) {
  const int latest = migrations.empty() ? 0 : migrations.back().version;
  ASSIGN_OR_RETURN(int64_t version, conn.QueryInt("PRAGMA user_version"));
  ASSIGN_OR_RETURN(int64_t app, conn.QueryInt("PRAGMA application_id"));
  // application_id is a signed 32-bit field in the header.
  const int64_t expected_app = static_cast<int32_t>(application_id);
  if (app == 0) {
    ASSIGN_OR_RETURN(int64_t objects,
                     conn.QueryInt("SELECT count(*) FROM sqlite_master"));
    if (objects != 0 || version != 0) {
      return absl::FailedPreconditionError(absl::StrCat(
          "store: the database file ", conn.path(),
          " is not a Resguardo database (it has tables but no application "
          "id)"));
    }
    RETURN_IF_ERROR(InTransaction(conn, [&] {
      return conn.Exec(absl::StrCat("PRAGMA application_id = ", expected_app),
                       "stamp application id");
    }));
  } else if (app != expected_app) {
    return absl::FailedPreconditionError(
        absl::StrCat("store: the database file ", conn.path(),
                     " belongs to another application (application id ", app,
                     ", expected ", expected_app, ")"));
  }
  if (version > latest) {
    return absl::FailedPreconditionError(absl::StrCat(
        "store: the database file ", conn.path(), " is at schema version ",
        version, ", newer than the latest this program knows (", latest,
        "); refusing to open it (was it written by a newer release?)"));
  }
  for (const Migration& step : migrations) {
    if (step.version <= version) continue;
    absl::Status status = InTransaction(conn, [&]() -> absl::Status {
      // Another process may have migrated the file since the check above;
      // BEGIN IMMEDIATE holds the write lock now.
      ASSIGN_OR_RETURN(int64_t current, conn.QueryInt("PRAGMA user_version"));
      if (current >= step.version) return absl::OkStatus();
      if (current != step.version - 1) {
        return absl::FailedPreconditionError(absl::StrCat(
            "the file is at version ", current, ", not ", step.version - 1));
      }
      RETURN_IF_ERROR(conn.Exec(step.sql, "run step"));
      RETURN_IF_ERROR(
          conn.Exec(absl::StrCat("PRAGMA user_version = ", step.version),
                    "set user_version"));
      ASSIGN_OR_RETURN(std::string violation,
                       conn.QueryText("PRAGMA foreign_key_check"));
      if (!violation.empty()) {
        return absl::FailedPreconditionError(absl::StrCat(
            "it leaves a foreign key violation in table ", violation));
      }
      return absl::OkStatus();
    });
    if (!status.ok()) return StepError(step.version, status);
    version = step.version;
  }
  return static_cast<int>(version);
}

}  // namespace resguardo::store::internal
