#include "services/schema/node_schema.h"

#include <memory>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "base/status_macros.h"
#include "base/testing/status_matchers.h"
#include "crypto/secret_data.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/store/database.h"
#include "services/store/migration.h"
#include "services/store/testing/temp_dir.h"

namespace resguardo::schema {
namespace {

using ::resguardo::testing::IsOk;
using ::resguardo::testing::StatusIs;
using ::testing::IsSupersetOf;

crypto::SecretData TestKey() {
  return crypto::SecretData(std::string(32, 'k'));
}

store::Database::Options Options(bool create) {
  store::Database::Options options;
  options.create_if_missing = create;
  options.read_connections = 1;
  options.migrations = NodeMigrations();
  return options;
}

absl::StatusOr<std::set<std::string>> Objects(store::Database& db,
                                              const std::string& type) {
  return db.Read(
      [&](store::ReadTxn& txn) -> absl::StatusOr<std::set<std::string>> {
        ASSIGN_OR_RETURN(
            store::Statement s,
            txn.Prepare("SELECT name FROM sqlite_master WHERE type = ?1"));
        RETURN_IF_ERROR(s.BindText(1, type));
        std::set<std::string> names;
        while (true) {
          ASSIGN_OR_RETURN(bool row, s.Step());
          if (!row) break;
          ASSIGN_OR_RETURN(absl::string_view name, s.ColumnText(0));
          names.emplace(name);
        }
        return names;
      });
}

TEST(NodeSchemaTest, MigrationsAreValid) {
  EXPECT_OK(store::ValidateMigrations(NodeMigrations()));
}

TEST(NodeSchemaTest, MigratesAnEmptyFileAndReopens) {
  store::testing::TempDir dir;
  const std::string path = dir.File("node.db");
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<store::Database> db,
                         store::Database::Open(path, TestKey(), Options(true)));
    EXPECT_EQ(db->schema_version(), static_cast<int>(NodeMigrations().size()));
    ASSERT_OK_AND_ASSIGN(std::set<std::string> tables, Objects(*db, "table"));
    EXPECT_THAT(tables, IsSupersetOf({"institutions", "kek_versions", "users",
                                      "folio_counters", "cases", "case_codes",
                                      "follow_ups", "protection_measures",
                                      "audit_entries"}));
    ASSERT_OK_AND_ASSIGN(std::set<std::string> triggers,
                         Objects(*db, "trigger"));
    EXPECT_THAT(triggers, IsSupersetOf({"audit_entries_no_update",
                                        "audit_entries_no_delete",
                                        "audit_entries_contiguous"}));
    ASSERT_OK(db->Close());
  }
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<store::Database> db,
                       store::Database::Open(path, TestKey(), Options(false)));
  EXPECT_EQ(db->schema_version(), static_cast<int>(NodeMigrations().size()));
}

TEST(NodeSchemaTest, AuditEntriesAreAppendOnlyAndContiguous) {
  store::testing::TempDir dir;
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<store::Database> db,
      store::Database::Open(dir.File("node.db"), TestKey(), Options(true)));
  auto insert = [&](int64_t idx) {
    return db->Write([&](store::WriteTxn& txn) -> absl::Status {
      ASSIGN_OR_RETURN(
          store::Statement s,
          txn.Prepare(
              "INSERT INTO audit_entries(idx, entry, leaf_hash, time, "
              "institution, actor, method, resource, outcome) "
              "VALUES (?1, x'00', zeroblob(32), 0, '', '', 'm', '', 0)"));
      RETURN_IF_ERROR(s.BindInt64(1, idx));
      return s.Run();
    });
  };
  EXPECT_THAT(insert(1), StatusIs(absl::StatusCode::kFailedPrecondition));
  ASSERT_OK(insert(0));
  EXPECT_THAT(insert(2), StatusIs(absl::StatusCode::kFailedPrecondition));
  ASSERT_OK(insert(1));
  for (const char* sql : {"UPDATE audit_entries SET outcome = 7",
                          "DELETE FROM audit_entries WHERE idx = 1"}) {
    EXPECT_THAT(db->Write([&](store::WriteTxn& txn) -> absl::Status {
      ASSIGN_OR_RETURN(store::Statement s, txn.Prepare(sql));
      return s.Run();
    }),
                StatusIs(absl::StatusCode::kFailedPrecondition))
        << sql;
  }
}

}  // namespace
}  // namespace resguardo::schema
