#include "services/store/migration.h"

#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/testing/status_matchers.h"
#include "crypto/secret_data.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/store/database.h"
#include "services/store/statement.h"
#include "services/store/testing/temp_dir.h"
#include "services/store/transaction.h"

namespace resguardo::store {
namespace {

using ::resguardo::testing::IsOk;
using ::resguardo::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

// A small schema history in the style the domain code will use: tables,
// a column added later, an index, and a data fix-up.
std::vector<Migration> History() {
  return {
      {1, "CREATE TABLE cases(id TEXT PRIMARY KEY, status INTEGER NOT NULL)"},
      {2,
       "CREATE TABLE follow_ups(case_id TEXT NOT NULL REFERENCES "
       "cases(id), n INTEGER NOT NULL, PRIMARY KEY (case_id, n))"},
      {3,
       "ALTER TABLE cases ADD COLUMN risk INTEGER NOT NULL DEFAULT 0;"
       "CREATE INDEX cases_by_status ON cases(status, risk)"},
      {4, "UPDATE cases SET risk = 1 WHERE status = 2"},
  };
}

std::vector<Migration> FirstSteps(int k) {
  std::vector<Migration> all = History();
  return std::vector<Migration>(all.begin(), all.begin() + k);
}

class MigrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    ASSERT_OK_AND_ASSIGN(key_, crypto::SecretData::Random(32));
    path_ = dir_.File("m.db");
  }

  absl::StatusOr<std::unique_ptr<Database>> OpenWith(
      std::vector<Migration> migrations) {
    Database::Options options;
    options.create_if_missing = true;
    options.read_connections = 1;
    options.migrations = std::move(migrations);
    return Database::Open(path_, key_, options);
  }

  // The objects of the schema, in a stable order.
  static absl::StatusOr<std::string> Schema(Database& db) {
    return db.Read([](ReadTxn& txn) -> absl::StatusOr<std::string> {
      ASSIGN_OR_RETURN(Statement s,
                       txn.Prepare("SELECT type, name FROM sqlite_master "
                                   "ORDER BY type, name"));
      std::string out;
      while (true) {
        ASSIGN_OR_RETURN(bool row, s.Step());
        if (!row) break;
        ASSIGN_OR_RETURN(absl::string_view type, s.ColumnText(0));
        ASSIGN_OR_RETURN(absl::string_view name, s.ColumnText(1));
        absl::StrAppend(&out, type, ":", name, " ");
      }
      return out;
    });
  }

  testing::TempDir dir_;
  crypto::SecretData key_;
  std::string path_;
};

constexpr char kLatestSchema[] =
    "index:cases_by_status index:sqlite_autoindex_cases_1 "
    "index:sqlite_autoindex_follow_ups_1 table:cases table:follow_ups ";

TEST_F(MigrationTest, FromAnEmptyFileToTheLatestVersion) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> db, OpenWith(History()));
  EXPECT_EQ(db->schema_version(), 4);
  EXPECT_THAT(Schema(*db), IsOk());
  EXPECT_EQ(*Schema(*db), kLatestSchema);
}

TEST_F(MigrationTest, FromEachEarlierVersionToTheLatest) {
  for (int k = 0; k <= 4; ++k) {
    SCOPED_TRACE(absl::StrCat("created at version ", k));
    ::unlink(path_.c_str());
    {
      ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> db,
                           OpenWith(FirstSteps(k)));
      ASSERT_EQ(db->schema_version(), k);
      if (k >= 1) {
        // Data written at version k survives the later steps.
        ASSERT_OK(db->Write([](WriteTxn& txn) {
          return txn.Execute("INSERT INTO cases(id, status) VALUES ('c', 2)");
        }));
      }
    }
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> db, OpenWith(History()));
    EXPECT_EQ(db->schema_version(), 4);
    EXPECT_EQ(*Schema(*db), kLatestSchema);
    if (k >= 1) {
      EXPECT_OK(db->Read([k](ReadTxn& txn) -> absl::Status {
        ASSIGN_OR_RETURN(Statement s, txn.Prepare("SELECT risk FROM cases"));
        ASSIGN_OR_RETURN(bool row, s.Step());
        EXPECT_TRUE(row);
        EXPECT_EQ(*s.ColumnInt64(0), k >= 4 ? 0 : 1)
            << "step 4 ran exactly when the file was below version 4";
        return absl::OkStatus();
      }));
    }
  }
}

TEST_F(MigrationTest, ReopeningAtTheLatestVersionChangesNothing) {
  { ASSERT_OK(OpenWith(History())); }
  for (int i = 0; i < 2; ++i) {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> db, OpenWith(History()));
    EXPECT_EQ(db->schema_version(), 4);
    EXPECT_EQ(*Schema(*db), kLatestSchema);
  }
}

TEST_F(MigrationTest, AFileNewerThanTheCodeIsRefused) {
  { ASSERT_OK(OpenWith(History())); }
  EXPECT_THAT(OpenWith(FirstSteps(2)),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("is at schema version 4, newer than the "
                                 "latest this program knows (2)")));
}

TEST_F(MigrationTest, AFailingStepIsRolledBackAndNamed) {
  std::vector<Migration> steps = FirstSteps(2);
  steps.push_back({3, "CREATE TABLE partial(x); CREATE TABLE cases(x)"});
  EXPECT_THAT(OpenWith(steps),
              StatusIs(absl::StatusCode::kInternal,
                       HasSubstr("migration to schema version 3 failed")));
  // The file stayed at version 2, without the step's first table.
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> db, OpenWith(FirstSteps(2)));
  EXPECT_EQ(db->schema_version(), 2);
  EXPECT_THAT(*Schema(*db), Not(HasSubstr("partial")));
}

TEST_F(MigrationTest, AStepThatBreaksAForeignKeyIsRolledBack) {
  std::vector<Migration> steps = FirstSteps(2);
  steps.push_back(
      {3, "INSERT INTO follow_ups(case_id, n) VALUES ('missing', 1)"});
  // foreign_keys=ON makes the INSERT itself fail inside the step.
  EXPECT_THAT(OpenWith(steps),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("migration to schema version 3 failed")));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> db, OpenWith(FirstSteps(2)));
  EXPECT_EQ(db->schema_version(), 2);
}

TEST(ValidateMigrationsTest, RequiresOneTwoThreeWithoutGaps) {
  EXPECT_OK(ValidateMigrations({}));
  EXPECT_OK(ValidateMigrations({{1, "SELECT 1"}, {2, "SELECT 2"}}));
  EXPECT_THAT(ValidateMigrations({{1, "SELECT 1"}, {3, "SELECT 3"}}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("migration #2 has version 3")));
  EXPECT_THAT(ValidateMigrations({{0, "SELECT 1"}}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ValidateMigrations({{1, "  "}}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("version 1 has no SQL")));
}

TEST_F(MigrationTest, OpenRefusesAnInvalidList) {
  EXPECT_THAT(OpenWith({{2, "CREATE TABLE x(y)"}}),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace resguardo::store
