// Migration: one numbered step of a database schema.
//
// The domain code that owns tables (cases, referrals, audit...) lists its
// schema as Migrations and passes the list in Database::Options. Database
// applies, in order, every step whose version is above the file's
// `PRAGMA user_version`, each in its own transaction together with the new
// user_version, so that a file is always at exactly one known version. A file
// whose version is above the last step's is refused (FAILED_PRECONDITION):
// it was written by a newer program.
//
// Rules: versions are 1, 2, 3... with no gaps; a released step is never
// edited, only followed by a new one. A step runs inside a transaction, so
// it cannot change `PRAGMA foreign_keys` or `journal_mode`; after it runs,
// `PRAGMA foreign_key_check` must find no violation or the step is rolled
// back.
#ifndef RESGUARDO_SERVICES_STORE_MIGRATION_H_
#define RESGUARDO_SERVICES_STORE_MIGRATION_H_

#include <string>

#include "absl/status/status.h"
#include "absl/types/span.h"

namespace resguardo::store {

struct Migration {
  int version = 0;
  // One or more SQL statements, without parameters.
  std::string sql;
};

// OK if the versions are 1..N in order and no step is empty; otherwise
// INVALID_ARGUMENT naming the first bad step.
absl::Status ValidateMigrations(absl::Span<const Migration> migrations);

}  // namespace resguardo::store

#endif  // RESGUARDO_SERVICES_STORE_MIGRATION_H_
