#include "services/schema/node_schema.h"

#include <array>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/status_macros.h"
#include "base/testing/status_matchers.h"
#include "crypto/secret_data.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/schema/wrapped_keys.h"
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
                                        "audit_entries_no_delete"}));
    ASSERT_OK(db->Close());
  }
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<store::Database> db,
                       store::Database::Open(path, TestKey(), Options(false)));
  EXPECT_EQ(db->schema_version(), static_cast<int>(NodeMigrations().size()));
}

// Migration 9: no query reads the audit log through a secondary index, so
// entries pay for none (each cost a page write per call).
TEST(NodeSchemaTest, AuditEntriesCarryNoSecondaryIndex) {
  store::testing::TempDir dir;
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<store::Database> db,
      store::Database::Open(dir.File("node.db"), TestKey(), Options(true)));
  ASSERT_OK_AND_ASSIGN(
      int64_t indexes,
      db->Read([](store::ReadTxn& txn) -> absl::StatusOr<int64_t> {
        ASSIGN_OR_RETURN(store::Statement s,
                         txn.Prepare("SELECT COUNT(*) FROM sqlite_master "
                                     "WHERE type = 'index' AND tbl_name = "
                                     "'audit_entries'"));
        ASSIGN_OR_RETURN(bool row, s.Step());
        if (!row) return absl::InternalError("no row");
        return s.ColumnInt64(0);
      }));
  EXPECT_EQ(indexes, 0);
}

// Inserts audit entry `idx` naming `prev` as its predecessor (-1: NULL).
absl::Status InsertEntry(store::Database& db, int64_t idx, int64_t prev) {
  return db.Write([&](store::WriteTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(
        store::Statement s,
        txn.Prepare("INSERT INTO audit_entries(idx, entry, leaf_hash, time, "
                    "institution, actor, method, resource, outcome, prev) "
                    "VALUES (?1, x'00', zeroblob(32), 0, '', '', 'm', '', 0, "
                    "?2)"));
    RETURN_IF_ERROR(s.BindInt64(1, idx));
    RETURN_IF_ERROR(prev < 0 ? s.BindNull(2) : s.BindInt64(2, prev));
    return s.Run();
  });
}

absl::Status ExpectRefusedChanges(store::Database& db) {
  for (const char* sql : {"UPDATE audit_entries SET outcome = 7",
                          "DELETE FROM audit_entries WHERE idx = 1"}) {
    absl::Status status = db.Write([&](store::WriteTxn& txn) -> absl::Status {
      ASSIGN_OR_RETURN(store::Statement s, txn.Prepare(sql));
      return s.Run();
    });
    if (status.code() != absl::StatusCode::kFailedPrecondition) {
      return absl::InternalError(sql);
    }
  }
  return absl::OkStatus();
}

TEST(NodeSchemaTest, AuditEntriesAreAppendOnlyAndContiguous) {
  store::testing::TempDir dir;
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<store::Database> db,
      store::Database::Open(dir.File("node.db"), TestKey(), Options(true)));
  const auto refused = StatusIs(absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(InsertEntry(*db, 1, 0), refused) << "no entry 0 yet";
  EXPECT_THAT(InsertEntry(*db, 0, 0), refused) << "entry 0 has no predecessor";
  ASSERT_OK(InsertEntry(*db, 0, -1));
  EXPECT_THAT(InsertEntry(*db, 2, 1), refused) << "a gap";
  EXPECT_THAT(InsertEntry(*db, 2, 0), refused) << "prev is not idx - 1";
  EXPECT_THAT(InsertEntry(*db, 1, -1), refused) << "prev missing";
  EXPECT_THAT(InsertEntry(*db, 0, -1),
              StatusIs(absl::StatusCode::kAlreadyExists));
  ASSERT_OK(InsertEntry(*db, 1, 0));
  ASSERT_OK(InsertEntry(*db, 2, 1));
  EXPECT_OK(ExpectRefusedChanges(*db));
}

// Regression: an INSERT trigger on audit_entries made every insert journal
// (and SQLCipher encrypt) the pages it touched, the costliest part of every
// call. Contiguity is the foreign-key chain's job now.
TEST(NodeSchemaTest, AuditEntriesHaveNoInsertTrigger) {
  store::testing::TempDir dir;
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<store::Database> db,
      store::Database::Open(dir.File("node.db"), TestKey(), Options(true)));
  ASSERT_OK_AND_ASSIGN(
      int64_t insert_triggers,
      db->Read([](store::ReadTxn& txn) -> absl::StatusOr<int64_t> {
        ASSIGN_OR_RETURN(
            store::Statement s,
            txn.Prepare("SELECT count(*) FROM sqlite_master WHERE type = "
                        "'trigger' AND tbl_name = 'audit_entries' AND "
                        "sql LIKE '%INSERT ON%'"));
        RETURN_IF_ERROR(s.Step().status());
        return s.ColumnInt64(0);
      }));
  EXPECT_EQ(insert_triggers, 0);
}

TEST(NodeSchemaTest, MigratesAVersion1AuditLogIntoTheChain) {
  store::testing::TempDir dir;
  const std::string path = dir.File("node.db");
  {
    store::Database::Options v1 = Options(true);
    v1.migrations.resize(1);
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<store::Database> db,
                         store::Database::Open(path, TestKey(), v1));
    for (int64_t idx = 0; idx < 3; ++idx) {
      ASSERT_OK(db->Write([&](store::WriteTxn& txn) -> absl::Status {
        ASSIGN_OR_RETURN(
            store::Statement s,
            txn.Prepare("INSERT INTO audit_entries(idx, entry, leaf_hash, "
                        "time, institution, actor, method, resource, "
                        "outcome) VALUES (?1, x'00', zeroblob(32), 0, '', "
                        "'', 'm', '', 0)"));
        RETURN_IF_ERROR(s.BindInt64(1, idx));
        return s.Run();
      }));
    }
    ASSERT_OK(db->Close());
  }
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<store::Database> db,
                       store::Database::Open(path, TestKey(), Options(false)));
  EXPECT_EQ(db->schema_version(), static_cast<int>(NodeMigrations().size()));
  ASSERT_OK_AND_ASSIGN(
      std::string chain,
      db->Read([](store::ReadTxn& txn) -> absl::StatusOr<std::string> {
        ASSIGN_OR_RETURN(store::Statement s,
                         txn.Prepare("SELECT group_concat(idx || ':' || "
                                     "ifnull(prev, '-'), ' ') FROM "
                                     "(SELECT idx, prev FROM audit_entries "
                                     "ORDER BY idx)"));
        RETURN_IF_ERROR(s.Step().status());
        ASSIGN_OR_RETURN(absl::string_view text, s.ColumnText(0));
        return std::string(text);
      }));
  EXPECT_EQ(chain, "0:- 1:0 2:1");
  EXPECT_THAT(InsertEntry(*db, 4, 3),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  ASSERT_OK(InsertEntry(*db, 3, 2));
  EXPECT_OK(ExpectRefusedChanges(*db));
}

// Migration 12 records the roles every existing user has held: her current
// ones.
TEST(NodeSchemaTest, MigratesVersion9UsersWithTheRolesTheyHold) {
  store::testing::TempDir dir;
  const std::string path = dir.File("node.db");
  {
    store::Database::Options v9 = Options(true);
    v9.migrations.resize(9);
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<store::Database> db,
                         store::Database::Open(path, TestKey(), v9));
    ASSERT_OK(db->Write([&](store::WriteTxn& txn) -> absl::Status {
      RETURN_IF_ERROR(
          txn.Execute("INSERT INTO institutions(id, display_name, kind, "
                      "create_time) VALUES ('IEEPCO', 'IEEPCO', 1, 0)"));
      return txn.Execute(
          "INSERT INTO users(institution, user_id, roles, create_time, "
          "update_time) VALUES ('IEEPCO', 'a', '6', 0, 0), "
          "('IEEPCO', 'b', '2,3', 0, 0)");
    }));
    ASSERT_OK(db->Close());
  }
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<store::Database> db,
                       store::Database::Open(path, TestKey(), Options(false)));
  EXPECT_EQ(db->schema_version(), static_cast<int>(NodeMigrations().size()));
  ASSERT_OK_AND_ASSIGN(
      std::string held,
      db->Read([](store::ReadTxn& txn) -> absl::StatusOr<std::string> {
        ASSIGN_OR_RETURN(store::Statement s,
                         txn.Prepare("SELECT group_concat(user_id || ':' || "
                                     "held_roles, ' ') FROM (SELECT * FROM "
                                     "users ORDER BY user_id)"));
        RETURN_IF_ERROR(s.Step().status());
        ASSIGN_OR_RETURN(absl::string_view text, s.ColumnText(0));
        return std::string(text);
      }));
  EXPECT_EQ(held, "a:6 b:2,3");
}

// Migration 7 fills the statistics masks of existing cases from their
// case_codes rows (each code once, other dimensions ignored) and rebuilds
// cases_stats with them.
TEST(NodeSchemaTest, MigratesVersion6CodesIntoTheStatisticsMasks) {
  store::testing::TempDir dir;
  const std::string path = dir.File("node.db");
  {
    store::Database::Options v6 = Options(true);
    v6.migrations.resize(6);
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<store::Database> db,
                         store::Database::Open(path, TestKey(), v6));
    ASSERT_OK(db->Write([&](store::WriteTxn& txn) -> absl::Status {
      ASSIGN_OR_RETURN(
          store::Statement i,
          txn.Prepare("INSERT INTO institutions(id, display_name, kind, "
                      "create_time) VALUES ('IEEPCO', 'IEEPCO', 1, 0)"));
      RETURN_IF_ERROR(i.Run());
      for (int64_t id : {1, 2, 3}) {
        ASSIGN_OR_RETURN(
            store::Statement c,
            txn.Prepare("INSERT INTO cases(id, institution, folio, kind, "
                        "status, state_code, reported_date, risk_level, "
                        "create_time, update_time, creator) VALUES (?1, "
                        "'IEEPCO', ?1, 1, 1, '20', 20260310, 1, 0, 0, 'x')"));
        RETURN_IF_ERROR(c.BindInt64(1, id));
        RETURN_IF_ERROR(c.Run());
      }
      // (case, dimension, position, code): case 1 has violence types 2 and
      // 5, modality 3, conducts 1 and 22, self-identification 6 and an
      // aggressor category (no mask); case 2 only a GBV incident type (no
      // mask); case 3 nothing.
      for (auto [id, dim, pos, code] :
           std::vector<std::array<int64_t, 4>>{{1, 1, 0, 5},
                                               {1, 1, 1, 2},
                                               {1, 2, 0, 3},
                                               {1, 3, 0, 22},
                                               {1, 3, 1, 1},
                                               {1, 5, 0, 6},
                                               {1, 6, 0, 4},
                                               {2, 4, 0, 2}}) {
        ASSIGN_OR_RETURN(store::Statement s,
                         txn.Prepare("INSERT INTO case_codes(case_id, "
                                     "dimension, position, code) VALUES "
                                     "(?1, ?2, ?3, ?4)"));
        RETURN_IF_ERROR(s.BindInt64(1, id));
        RETURN_IF_ERROR(s.BindInt64(2, dim));
        RETURN_IF_ERROR(s.BindInt64(3, pos));
        RETURN_IF_ERROR(s.BindInt64(4, code));
        RETURN_IF_ERROR(s.Run());
      }
      return absl::OkStatus();
    }));
    ASSERT_OK(db->Close());
  }
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<store::Database> db,
                       store::Database::Open(path, TestKey(), Options(false)));
  EXPECT_EQ(db->schema_version(), static_cast<int>(NodeMigrations().size()));
  ASSERT_OK_AND_ASSIGN(
      std::string masks,
      db->Read([](store::ReadTxn& txn) -> absl::StatusOr<std::string> {
        ASSIGN_OR_RETURN(
            store::Statement s,
            txn.Prepare("SELECT group_concat(m, ' ') FROM (SELECT id || ':' "
                        "|| violence_mask || ',' || modality_mask || ',' || "
                        "conduct_mask || ',' || self_identification_mask AS "
                        "m FROM cases INDEXED BY cases_stats ORDER BY id)"));
        RETURN_IF_ERROR(s.Step().status());
        ASSIGN_OR_RETURN(absl::string_view text, s.ColumnText(0));
        return std::string(text);
      }));
  EXPECT_EQ(masks, absl::StrCat("1:", (1 << 2) | (1 << 5), ",", 1 << 3, ",",
                                (1 << 1) | (1 << 22), ",", 1 << 6,
                                " 2:0,0,0,0 3:0,0,0,0"));
}

// Migration 10: the version-4 statistics ledger moves into stats_charges
// (a budget row becomes a charge over every quarter: its quarters were not
// recorded) and stats_answers (the stored releases), and the old tables go.
TEST(NodeSchemaTest, MigratesVersion9StatisticsLedger) {
  store::testing::TempDir dir;
  const std::string path = dir.File("node.db");
  {
    store::Database::Options v9 = Options(true);
    v9.migrations.resize(9);
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<store::Database> db,
                         store::Database::Open(path, TestKey(), v9));
    ASSERT_OK(db->Write([&](store::WriteTxn& txn) -> absl::Status {
      ASSIGN_OR_RETURN(
          store::Statement b,
          txn.Prepare("INSERT INTO stats_budget VALUES "
                      "('institutions/OBS/users/ana', '2026-Q3', 600000, 7)"));
      RETURN_IF_ERROR(b.Run());
      ASSIGN_OR_RETURN(
          store::Statement r,
          txn.Prepare("INSERT INTO stats_releases VALUES ('2026-Q3', 'q', "
                      "x'0a', 'institutions/OBS/users/ana', 600000, 7)"));
      return r.Run();
    }));
    ASSERT_OK(db->Close());
  }
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<store::Database> db,
                       store::Database::Open(path, TestKey(), Options(false)));
  EXPECT_EQ(db->schema_version(), static_cast<int>(NodeMigrations().size()));
  ASSERT_OK_AND_ASSIGN(
      std::string rows,
      db->Read([](store::ReadTxn& txn) -> absl::StatusOr<std::string> {
        ASSIGN_OR_RETURN(
            store::Statement s,
            txn.Prepare("SELECT (SELECT group_concat(kind || ',' || analyst "
                        "|| ',' || institution || ',' || release_period || "
                        "',' || from_quarter || ',' || to_quarter || ',' || "
                        "amount, ' ') FROM stats_charges) || ' ' || (SELECT "
                        "group_concat(release_period || ',' || query || ',' "
                        "|| epsilon_micro, ' ') FROM stats_answers)"));
        RETURN_IF_ERROR(s.Step().status());
        ASSIGN_OR_RETURN(absl::string_view text, s.ColumnText(0));
        return std::string(text);
      }));
  EXPECT_EQ(rows,
            "1,institutions/OBS/users/ana,OBS,2026-Q3,0,39999,600000 "
            "2026-Q3,q,600000");
  ASSERT_OK_AND_ASSIGN(std::set<std::string> tables, Objects(*db, "table"));
  EXPECT_EQ(tables.count("stats_budget"), 0u);
  EXPECT_EQ(tables.count("stats_releases"), 0u);
}

TEST(NodeSchemaTest, AuditKeysAndCheckpointsAreAppendOnly) {
  store::testing::TempDir dir;
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<store::Database> db,
      store::Database::Open(dir.File("node.db"), TestKey(), Options(true)));
  ASSERT_OK(db->Write([](store::WriteTxn& txn) -> absl::Status {
    RETURN_IF_ERROR(txn.Execute(
        "INSERT INTO audit_signing_keys VALUES (1, zeroblob(32), 0)"));
    return txn.Execute(
        "INSERT INTO audit_checkpoints VALUES (0, 0, zeroblob(32), 'n', 1, 0)");
  }));
  for (const char* sql :
       {"UPDATE audit_signing_keys SET public_key = zeroblob(32)",
        "DELETE FROM audit_signing_keys",
        "UPDATE audit_checkpoints SET tree_size = 5",
        "DELETE FROM audit_checkpoints",
        "INSERT INTO audit_checkpoints VALUES (1, 0, zeroblob(32), 'n', 9, "
        "0)"}) {
    EXPECT_THAT(db->Write([&](store::WriteTxn& txn) -> absl::Status {
      return txn.Execute(sql);
    }),
                StatusIs(absl::StatusCode::kFailedPrecondition))
        << sql;
  }
}

// Every column of the schema that holds a wrapped data key is a place of
// wrapped_keys.h, and every place names a real column: a table added with
// a key and not listed would be left out of the KEK rotation, whose
// retirement would then destroy the KEK version its keys need.
TEST(NodeSchemaTest, EveryWrappedDataKeyColumnIsAPlaceOfTheKekRotation) {
  store::testing::TempDir dir;
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<store::Database> db,
      store::Database::Open(dir.File("node.db"), TestKey(), Options(true)));
  // Columns from each table's CREATE TABLE text, as SQLite keeps it (with
  // any column added later): the store allows no PRAGMA in a transaction,
  // and SQLite 3.15 has no pragma_table_info().
  std::set<std::string> with_keys;
  ASSERT_OK(db->Read([&](store::ReadTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(
        store::Statement s,
        txn.Prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' "
                    "AND sql IS NOT NULL"));
    while (true) {
      ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      ASSIGN_OR_RETURN(absl::string_view table, s.ColumnText(0));
      ASSIGN_OR_RETURN(absl::string_view sql, s.ColumnText(1));
      for (absl::string_view word : absl::StrSplit(
               sql, absl::ByAnyChar(" \n\t(),;\"'`[]"), absl::SkipEmpty())) {
        // A data key wrapped under a KEK, whatever the column's prefix.
        if (absl::StrContains(word, "wrapped_dek")) {
          EXPECT_EQ(word, "wrapped_dek") << table;
          with_keys.insert(std::string(table));
        }
      }
    }
    return absl::OkStatus();
  }));
  std::set<std::string> listed;
  for (const WrappedKeyPlace& p : kWrappedKeyPlaces) listed.insert(p.table);
  EXPECT_EQ(with_keys, listed);
  EXPECT_EQ(listed.size(), static_cast<size_t>(kWrappedKeyPlaceCount));
  // Each place's SQL runs against the schema (a holder's count of keys).
  ASSERT_OK(db->Read([&](store::ReadTxn& txn) -> absl::Status {
    for (const WrappedKeyPlace& p : kWrappedKeyPlaces) {
      ASSIGN_OR_RETURN(store::Statement s,
                       txn.Prepare(absl::StrCat(
                           "SELECT COUNT(*) FROM ", p.from, " WHERE ", p.holder,
                           " = 'IEEPCO' AND ", p.key, " IS NOT NULL")));
      ASSIGN_OR_RETURN(bool row, s.Step());
      EXPECT_TRUE(row) << p.table;
    }
    return absl::OkStatus();
  }));
}

}  // namespace
}  // namespace resguardo::schema
