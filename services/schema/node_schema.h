// The schema of a node's database: one ordered list of migrations for every
// table of the node (institutions, keys, users, cases and what belongs to
// them, the audit log). Pass it as store::Database::Options::migrations.
//
// Conventions of the tables (see node_schema.cc for the SQL):
//   - times are INTEGER microseconds since the Unix epoch (UTC);
//   - calendar dates are INTEGER yyyymmdd, months INTEGER yyyymm;
//   - catalogue values are their proto enum numbers;
//   - everything that identifies or narrates a person is only ever stored
//     sealed (BLOB columns named sealed_* / wrapped_dek); no other column
//     may hold personal data.
//
// Rules (migration.h): a released step is never edited, only followed by a
// new one. SQLite 3.15.2: no UPSERT, no RETURNING, no window functions.
//
// Thread-safe (returns a fresh copy).
#ifndef RESGUARDO_SERVICES_SCHEMA_NODE_SCHEMA_H_
#define RESGUARDO_SERVICES_SCHEMA_NODE_SCHEMA_H_

#include <vector>

#include "services/store/migration.h"

namespace resguardo::schema {

// The node's migrations, versions 1..N in order.
std::vector<store::Migration> NodeMigrations();

// Values of case_codes.dimension: one per multi-valued descriptor of
// v1::CaseDescriptors. Stable: stored in files.
enum class CodeDimension : int {
  kViolenceType = 1,
  kModality = 2,
  kConduct = 3,
  kGbvIncidentType = 4,
  kSelfIdentification = 5,
  kAggressorCategory = 6,
};

}  // namespace resguardo::schema

#endif  // RESGUARDO_SERVICES_SCHEMA_NODE_SCHEMA_H_
