#include "services/store/statement.h"

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "base/status_macros.h"
#include "base/testing/status_matchers.h"
#include "crypto/secret_data.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/store/database.h"
#include "services/store/testing/temp_dir.h"
#include "services/store/transaction.h"

namespace resguardo::store {
namespace {

using ::resguardo::testing::IsOk;
using ::resguardo::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kCanary[] = "CANARY-Maria-Lopez-CURP-LOMA800101MOCPRR09";

class StatementTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    ASSERT_OK_AND_ASSIGN(crypto::SecretData key,
                         crypto::SecretData::Random(32));
    Database::Options options;
    options.create_if_missing = true;
    options.read_connections = 2;
    options.migrations = {
        {1,
         "CREATE TABLE t(id INTEGER PRIMARY KEY, i INTEGER, r REAL, s TEXT, "
         "b BLOB, u TEXT UNIQUE, CHECK (i IS NULL OR i >= 0))"}};
    ASSERT_OK_AND_ASSIGN(db_, Database::Open(dir_.File("s.db"), key, options));
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(StatementTest, BindsAndReadsEveryType) {
  const std::string blob("\x00\x01\xff", 3);
  ASSERT_OK_AND_ASSIGN(
      int64_t id, db_->Write([&](WriteTxn& txn) -> absl::StatusOr<int64_t> {
        ASSIGN_OR_RETURN(Statement s,
                         txn.Prepare("INSERT INTO t(i, r, s, b, u) "
                                     "VALUES (?1, ?2, ?3, ?4, ?5)"));
        RETURN_IF_ERROR(s.BindInt64(1, -1 + 2));
        RETURN_IF_ERROR(s.BindDouble(2, 2.5));
        RETURN_IF_ERROR(s.BindText(3, "texto ñ"));
        RETURN_IF_ERROR(s.BindBlob(4, blob));
        RETURN_IF_ERROR(s.BindNull(5));
        RETURN_IF_ERROR(s.Run());
        return txn.LastInsertRowId();
      }));
  EXPECT_THAT(db_->Read([&](ReadTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(Statement s,
                     txn.Prepare("SELECT i, r, s, b, u FROM t WHERE id = ?1"));
    RETURN_IF_ERROR(s.BindInt64(1, id));
    ASSIGN_OR_RETURN(bool row, s.Step());
    EXPECT_TRUE(row);
    EXPECT_EQ(s.ColumnCount(), 5);
    EXPECT_THAT(s.ColumnInt64(0), IsOk());
    EXPECT_EQ(*s.ColumnInt64(0), 1);
    EXPECT_EQ(*s.ColumnDouble(1), 2.5);
    EXPECT_EQ(*s.ColumnText(2), "texto ñ");
    EXPECT_EQ(*s.ColumnBlob(3), blob);
    EXPECT_TRUE(s.ColumnIsNull(4));
    ASSIGN_OR_RETURN(row, s.Step());
    EXPECT_FALSE(row);
    return absl::OkStatus();
  }),
              IsOk());
}

TEST_F(StatementTest, EmptyTextAndBlobAreNotNull) {
  ASSERT_OK(db_->Write([](WriteTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(Statement s,
                     txn.Prepare("INSERT INTO t(s, b) VALUES (?1, ?2)"));
    RETURN_IF_ERROR(s.BindText(1, absl::string_view()));
    RETURN_IF_ERROR(s.BindBlob(2, ""));
    return s.Run();
  }));
  ASSERT_OK(db_->Read([](ReadTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(Statement s, txn.Prepare("SELECT s, b FROM t"));
    ASSIGN_OR_RETURN(bool row, s.Step());
    EXPECT_TRUE(row);
    EXPECT_FALSE(s.ColumnIsNull(0));
    EXPECT_FALSE(s.ColumnIsNull(1));
    EXPECT_EQ(*s.ColumnText(0), "");
    EXPECT_EQ(*s.ColumnBlob(1), "");
    return absl::OkStatus();
  }));
}

TEST_F(StatementTest, ColumnAccessorsAreStrictAboutTypeAndRange) {
  ASSERT_OK(db_->Read([](ReadTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(Statement s, txn.Prepare("SELECT 7, 'x', NULL"));
    ASSIGN_OR_RETURN(bool row, s.Step());
    EXPECT_TRUE(row);
    EXPECT_THAT(s.ColumnText(0),
                StatusIs(absl::StatusCode::kFailedPrecondition,
                         HasSubstr("holds INTEGER, not TEXT")));
    EXPECT_THAT(s.ColumnInt64(1),
                StatusIs(absl::StatusCode::kFailedPrecondition));
    EXPECT_THAT(s.ColumnInt64(2),
                StatusIs(absl::StatusCode::kFailedPrecondition,
                         HasSubstr("holds NULL")));
    EXPECT_THAT(s.ColumnInt64(3), StatusIs(absl::StatusCode::kOutOfRange));
    EXPECT_THAT(s.ColumnInt64(-1), StatusIs(absl::StatusCode::kOutOfRange));
    return absl::OkStatus();
  }));
}

TEST_F(StatementTest, BindIndexOutOfRangeIsInternal) {
  EXPECT_THAT(db_->Read([](ReadTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(Statement s, txn.Prepare("SELECT ?1"));
    return s.BindInt64(2, 1);
  }),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("out of range")));
}

TEST_F(StatementTest, ConstraintErrorsDoNotContainBoundValues) {
  auto insert = [&](absl::string_view u) {
    return db_->Write([&](WriteTxn& txn) -> absl::Status {
      ASSIGN_OR_RETURN(Statement s,
                       txn.Prepare("INSERT INTO t(u) VALUES (?1)"));
      RETURN_IF_ERROR(s.BindText(1, u));
      return s.Run();
    });
  };
  ASSERT_OK(insert(kCanary));
  absl::Status unique = insert(kCanary);
  EXPECT_THAT(unique, StatusIs(absl::StatusCode::kAlreadyExists,
                               HasSubstr("UNIQUE constraint failed: t.u")));
  EXPECT_THAT(std::string(unique.message()), Not(HasSubstr("CANARY")));

  absl::Status check = db_->Write([&](WriteTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(Statement s,
                     txn.Prepare("INSERT INTO t(i, s) VALUES (?1, ?2)"));
    RETURN_IF_ERROR(s.BindInt64(1, -424242));
    RETURN_IF_ERROR(s.BindText(2, kCanary));
    return s.Run();
  });
  EXPECT_THAT(check, StatusIs(absl::StatusCode::kFailedPrecondition,
                              HasSubstr("CHECK constraint failed")));
  EXPECT_THAT(std::string(check.message()), Not(HasSubstr("CANARY")));
  EXPECT_THAT(std::string(check.message()), Not(HasSubstr("424242")));
}

TEST_F(StatementTest, PrepareRejectsBadSqlWithoutEchoingIt) {
  ASSERT_OK(db_->Read([](ReadTxn& txn) -> absl::Status {
    EXPECT_THAT(txn.Prepare("SELECT 1; SELECT 2"),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("exactly one SQL statement")));
    EXPECT_THAT(txn.Prepare("  "), StatusIs(absl::StatusCode::kInvalidArgument,
                                            HasSubstr("empty")));
    auto bad = txn.Prepare("SELECT * FROM no_such_table_x");
    EXPECT_THAT(
        bad, StatusIs(absl::StatusCode::kInternal, HasSubstr("no such table")));
    return absl::OkStatus();
  }));
}

TEST_F(StatementTest, TransactionFunctionsCannotControlTheTransaction) {
  for (const char* sql :
       {"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT x", "RELEASE request",
        "PRAGMA key = 'x'", "PRAGMA foreign_keys = OFF",
        "ATTACH DATABASE '/tmp/x.db' AS x"}) {
    SCOPED_TRACE(sql);
    EXPECT_THAT(db_->Write([&](WriteTxn& txn) -> absl::Status {
      return txn.Prepare(sql).status();
    }),
                StatusIs(absl::StatusCode::kFailedPrecondition,
                         HasSubstr("not allowed inside a transaction")));
    EXPECT_THAT(db_->Write([&](WriteTxn& txn) { return txn.Execute(sql); }),
                StatusIs(absl::StatusCode::kFailedPrecondition,
                         HasSubstr("not allowed inside a transaction")));
    EXPECT_THAT(db_->Read([&](ReadTxn& txn) -> absl::Status {
      return txn.Prepare(sql).status();
    }),
                StatusIs(absl::StatusCode::kFailedPrecondition));
  }
  // The writer still works afterwards.
  EXPECT_OK(db_->Write([](WriteTxn& txn) {
    return txn.Execute("INSERT INTO t(i) VALUES (1)");
  }));
}

TEST_F(StatementTest, ReadTransactionsCannotWrite) {
  EXPECT_THAT(db_->Read([](ReadTxn& txn) -> absl::Status {
    return txn.Prepare("INSERT INTO t(i) VALUES (1)").status();
  }),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("cannot run a statement that writes")));
}

// WriteTxn::ReadOnly: a read inside a write transaction sees the batch's
// writes so far and cannot write — not even with a statement the writer
// prepared (and cached) before.
TEST_F(StatementTest, AReadOnlyPartOfAWriteCannotWrite) {
  constexpr char kInsert[] = "INSERT INTO t(i) VALUES (?1)";
  ASSERT_OK(db_->Write([&](WriteTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(Statement insert, txn.Prepare(kInsert));
    RETURN_IF_ERROR(insert.BindInt64(1, 7));
    return insert.Run();
  }));
  int64_t seen = -1;
  absl::Status refused = absl::OkStatus();
  absl::Status kept_refused = absl::OkStatus();
  absl::Status execute_refused = absl::OkStatus();
  ASSERT_OK(db_->Write([&](WriteTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(Statement insert, txn.Prepare(kInsert));
    RETURN_IF_ERROR(insert.BindInt64(1, 8));
    RETURN_IF_ERROR(insert.Run());
    ASSIGN_OR_RETURN(Statement kept, txn.Prepare(kInsert));
    RETURN_IF_ERROR(txn.ReadOnly([&](ReadTxn& read) -> absl::Status {
      refused = read.Prepare(kInsert).status();
      // Prepared before, and kept; or the write transaction itself.
      RETURN_IF_ERROR(kept.BindInt64(1, 10));
      kept_refused = kept.Run();
      execute_refused = txn.Execute("INSERT INTO t(i) VALUES (11)");
      ASSIGN_OR_RETURN(Statement count, read.Prepare("SELECT COUNT(*) FROM t"));
      ASSIGN_OR_RETURN(bool row, count.Step());
      if (!row) return absl::InternalError("no row");
      ASSIGN_OR_RETURN(seen, count.ColumnInt64(0));
      return absl::OkStatus();
    }));
    // Writable again once the read-only part is over.
    ASSIGN_OR_RETURN(Statement again, txn.Prepare(kInsert));
    RETURN_IF_ERROR(again.BindInt64(1, 9));
    return again.Run();
  }));
  for (const absl::Status& status : {refused, kept_refused, execute_refused}) {
    EXPECT_THAT(status,
                StatusIs(absl::StatusCode::kFailedPrecondition,
                         HasSubstr("cannot run a statement that writes")));
  }
  EXPECT_EQ(seen, 2) << "the read sees the batch's own earlier write";
  ASSERT_OK_AND_ASSIGN(
      int64_t rows, db_->Read([](ReadTxn& txn) -> absl::StatusOr<int64_t> {
        ASSIGN_OR_RETURN(Statement count,
                         txn.Prepare("SELECT COUNT(*) FROM t"));
        ASSIGN_OR_RETURN(bool row, count.Step());
        if (!row) return absl::InternalError("no row");
        return count.ColumnInt64(0);
      }));
  EXPECT_EQ(rows, 3);
}

TEST_F(StatementTest, CachedStatementsComeBackResetAndUnbound) {
  for (int i = 0; i < 3; ++i) {
    ASSERT_OK(db_->Read([&](ReadTxn& txn) -> absl::Status {
      ASSIGN_OR_RETURN(Statement s, txn.Prepare("SELECT ?1"));
      // A statement returned to the cache keeps no binding from last time.
      ASSIGN_OR_RETURN(bool row, s.Step());
      EXPECT_TRUE(row);
      EXPECT_TRUE(s.ColumnIsNull(0));
      RETURN_IF_ERROR(s.BindText(1, kCanary));
      // Two live statements with the same text are both usable.
      ASSIGN_OR_RETURN(Statement other, txn.Prepare("SELECT ?1"));
      RETURN_IF_ERROR(other.BindInt64(1, 5));
      ASSIGN_OR_RETURN(row, other.Step());
      EXPECT_EQ(*other.ColumnInt64(0), 5);
      return absl::OkStatus();
    }));
  }
}

}  // namespace
}  // namespace resguardo::store
