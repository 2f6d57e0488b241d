#include "services/store/database.h"

#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "base/status_macros.h"
#include "base/testing/status_matchers.h"
#include "crypto/secret_data.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/store/statement.h"
#include "services/store/testing/temp_dir.h"
#include "services/store/transaction.h"

namespace resguardo::store {
namespace {

using ::resguardo::testing::IsOk;
using ::resguardo::testing::StatusIs;
using ::testing::AnyOf;
using ::testing::HasSubstr;

constexpr char kCanary[] = "CANARY-7f3a-Guadalupe-Hernandez-Sanchez";
constexpr char kKeyOrDamaged[] =
    "does not open with this node's key, or is damaged";
constexpr int kPageSize = 4096;

// What SQLCipher reports for a page that fails its HMAC depends on the page:
// NOTADB (FAILED_PRECONDITION) for page 1, CORRUPT (DATA_LOSS) for others.
auto DamagedOrWrongKey() {
  return AnyOf(StatusIs(absl::StatusCode::kDataLoss, HasSubstr(kKeyOrDamaged)),
               StatusIs(absl::StatusCode::kFailedPrecondition,
                        HasSubstr(kKeyOrDamaged)));
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in),
                     std::istreambuf_iterator<char>());
}

void WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

off_t FileSize(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? st.st_size : -1;
}

Database::Options TestOptions() {
  Database::Options options;
  options.create_if_missing = true;
  options.read_connections = 2;
  options.migrations = {
      {1, "CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT NOT NULL)"}};
  return options;
}

absl::Status AddNote(Database& db, absl::string_view body) {
  return db.Write([&](WriteTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(Statement s,
                     txn.Prepare("INSERT INTO notes(body) VALUES (?1)"));
    RETURN_IF_ERROR(s.BindText(1, body));
    return s.Run();
  });
}

// Reads every row, so that every page of the table is decrypted.
absl::StatusOr<int64_t> CountNoteBytes(Database& db) {
  return db.Read([](ReadTxn& txn) -> absl::StatusOr<int64_t> {
    ASSIGN_OR_RETURN(Statement s,
                     txn.Prepare("SELECT total(length(body)) FROM notes"));
    RETURN_IF_ERROR(s.Step().status());
    ASSIGN_OR_RETURN(double total, s.ColumnDouble(0));
    return static_cast<int64_t>(total);
  });
}

class DatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    ASSERT_OK_AND_ASSIGN(key_, crypto::SecretData::Random(32));
    path_ = dir_.File("node.db");
  }

  // A closed database of about 20 pages, all in the main file.
  void MakeDatabaseOfManyPages() {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> db,
                         Database::Open(path_, key_, TestOptions()));
    for (int i = 0; i < 40; ++i) {
      ASSERT_OK(AddNote(*db, std::string(2000, 'a' + i % 26)));
    }
    ASSERT_OK(db->Close());
    ASSERT_LE(FileSize(path_ + "-wal"), 0) << "checkpointed at close";
    ASSERT_GE(FileSize(path_), 20 * kPageSize);
  }

  testing::TempDir dir_;
  crypto::SecretData key_;
  std::string path_;
};

TEST_F(DatabaseTest, CreatesTheFileWithOwnerOnlyPermissions) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> db,
                       Database::Open(path_, key_, TestOptions()));
  ASSERT_OK(AddNote(*db, "x"));
  struct stat st;
  ASSERT_EQ(stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  ASSERT_EQ(stat((path_ + "-wal").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  EXPECT_EQ(db->schema_version(), 1);
  EXPECT_EQ(db->path(), path_);
}

TEST_F(DatabaseTest, RefusesAKeyThatIsNot32Bytes) {
  crypto::SecretData short_key(std::string(16, 'k'));
  EXPECT_THAT(Database::Open(path_, short_key, TestOptions()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("must be 32 bytes")));
}

TEST_F(DatabaseTest, RefusesBadOptions) {
  Database::Options options = TestOptions();
  options.read_connections = 0;
  EXPECT_THAT(Database::Open(path_, key_, options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("read_connections")));
  options = TestOptions();
  options.max_batch_size = 0;
  EXPECT_THAT(Database::Open(path_, key_, options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("max_batch_size")));
}

TEST_F(DatabaseTest, AMissingFileIsNotFoundUnlessCreating) {
  Database::Options options = TestOptions();
  options.create_if_missing = false;
  EXPECT_THAT(Database::Open(path_, key_, options),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr(path_)));
  EXPECT_EQ(FileSize(path_), -1) << "nothing created";
}

TEST_F(DatabaseTest, AnEmptyFileIsRefusedUnlessCreating) {
  WriteFile(path_, "");
  Database::Options options = TestOptions();
  options.create_if_missing = false;
  EXPECT_THAT(
      Database::Open(path_, key_, options),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("is empty")));
}

TEST_F(DatabaseTest, ReopensWithTheSameKey) {
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> db,
                         Database::Open(path_, key_, TestOptions()));
    ASSERT_OK(AddNote(*db, "hola"));
  }
  Database::Options options = TestOptions();
  options.create_if_missing = false;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> db,
                       Database::Open(path_, key_, options));
  EXPECT_THAT(CountNoteBytes(*db), IsOk());
  EXPECT_EQ(*CountNoteBytes(*db), 4);
}

TEST_F(DatabaseTest, AWrongKeyIsRefusedAtOpen) {
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> db,
                         Database::Open(path_, key_, TestOptions()));
    ASSERT_OK(AddNote(*db, kCanary));
  }
  ASSERT_OK_AND_ASSIGN(crypto::SecretData other,
                       crypto::SecretData::Random(32));
  auto db = Database::Open(path_, other, TestOptions());
  EXPECT_THAT(db, StatusIs(absl::StatusCode::kFailedPrecondition,
                           HasSubstr(absl::StrCat("the database file ", path_,
                                                  " ", kKeyOrDamaged))));
  // The right key still opens it: a failed open changed nothing.
  EXPECT_OK(Database::Open(path_, key_, TestOptions()));
}

TEST_F(DatabaseTest, AFileThatIsNotADatabaseIsRefused) {
  WriteFile(path_, std::string(8 * kPageSize, '\x5a'));
  EXPECT_THAT(Database::Open(path_, key_, TestOptions()),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr(kKeyOrDamaged)));
}

TEST_F(DatabaseTest, AnUnencryptedSqliteFileIsRefused) {
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(raw, "CREATE TABLE notes(body TEXT)", nullptr, nullptr,
                         nullptr),
            SQLITE_OK);
  sqlite3_close(raw);
  EXPECT_THAT(Database::Open(path_, key_, TestOptions()),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr(kKeyOrDamaged)));
}

TEST_F(DatabaseTest, AnotherApplicationsDatabaseIsRefused) {
  Database::Options options = TestOptions();
  options.application_id = 0x01020304;
  ASSERT_OK(Database::Open(path_, key_, options));
  EXPECT_THAT(Database::Open(path_, key_, TestOptions()),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("belongs to another application")));
}

TEST_F(DatabaseTest, AFileTruncatedToHalfIsRefused) {
  MakeDatabaseOfManyPages();
  const std::string bytes = ReadFile(path_);
  WriteFile(path_, bytes.substr(0, bytes.size() / 2));
  // The header's page count no longer matches the file: SQLite refuses the
  // file at the first read, which Open does.
  EXPECT_THAT(Database::Open(path_, key_, TestOptions()),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr(absl::StrCat("the database file ", path_, " ",
                                              kKeyOrDamaged))));
}

TEST_F(DatabaseTest, AFileTruncatedAtAPageBoundaryIsRefused) {
  MakeDatabaseOfManyPages();
  const std::string bytes = ReadFile(path_);
  WriteFile(path_, bytes.substr(0, (bytes.size() / kPageSize / 2) * kPageSize));
  EXPECT_THAT(Database::Open(path_, key_, TestOptions()),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr(kKeyOrDamaged)));
}

// The file is a plain SQLCipher 3 database under the raw key: an operator
// with the key can open it with the sqlcipher shell
// (PRAGMA key = "x'<hex>'"; PRAGMA cipher_page_size = 4096;).
TEST_F(DatabaseTest, OpensWithSqlcipherRawKeySyntax) {
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> db,
                         Database::Open(path_, key_, TestOptions()));
    ASSERT_OK(AddNote(*db, "hola"));
  }
  std::string hex;
  for (unsigned char c : key_.UnsafeRawBytes()) {
    absl::StrAppend(&hex, absl::Hex(c, absl::kZeroPad2));
  }
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &raw), SQLITE_OK);
  const std::string pragmas = absl::StrCat(
      "PRAGMA key = \"x'", hex, "'\"; PRAGMA cipher_page_size = 4096;");
  ASSERT_EQ(sqlite3_exec(raw, pragmas.c_str(), nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(
      sqlite3_prepare_v2(raw, "SELECT body FROM notes", -1, &stmt, nullptr),
      SQLITE_OK)
      << sqlite3_errmsg(raw);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)),
               "hola");
  sqlite3_finalize(stmt);
  sqlite3_close(raw);
}

TEST_F(DatabaseTest, ATamperedPageFailsTheReadThatTouchesIt) {
  MakeDatabaseOfManyPages();
  std::string bytes = ReadFile(path_);
  const size_t pages = bytes.size() / kPageSize;
  // Flip bytes in the middle of the last page, which holds notes' rows.
  const size_t middle = (pages - 1) * kPageSize + kPageSize / 2;
  for (size_t i = middle; i < middle + 4; ++i) bytes[i] ^= 0x01;
  WriteFile(path_, bytes);

  Database::Options options = TestOptions();
  options.create_if_missing = false;
  // The schema (page 1) is intact, so the file opens...
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> db,
                       Database::Open(path_, key_, options));
  // ... and the read that reaches the tampered page fails, clearly.
  EXPECT_THAT(CountNoteBytes(*db),
              StatusIs(absl::StatusCode::kDataLoss,
                       HasSubstr(absl::StrCat("the database file ", path_, " ",
                                              kKeyOrDamaged))));
  // The store stays usable for what is intact.
  EXPECT_OK(db->Read([](ReadTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(Statement s, txn.Prepare("SELECT count(*) FROM "
                                              "sqlite_master"));
    return s.Step().status();
  }));
}

TEST_F(DatabaseTest, IntegrityCheckAtOpenFindsATamperedPage) {
  MakeDatabaseOfManyPages();
  std::string bytes = ReadFile(path_);
  const size_t middle = 5 * kPageSize + kPageSize / 2;
  bytes[middle] ^= 0x80;
  WriteFile(path_, bytes);
  Database::Options options = TestOptions();
  options.verify_integrity_on_open = true;
  EXPECT_THAT(Database::Open(path_, key_, options),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr(kKeyOrDamaged)));
}

TEST_F(DatabaseTest, ATamperedFirstPageIsRefusedAtOpen) {
  MakeDatabaseOfManyPages();
  std::string bytes = ReadFile(path_);
  bytes[kPageSize / 2] ^= 0x01;
  WriteFile(path_, bytes);
  EXPECT_THAT(Database::Open(path_, key_, TestOptions()), DamagedOrWrongKey());
}

TEST_F(DatabaseTest, ACanaryIsNeitherInTheFileNorInTheWal) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> db,
                       Database::Open(path_, key_, TestOptions()));
  for (int i = 0; i < 50; ++i) ASSERT_OK(AddNote(*db, kCanary));

  // While open, the committed pages sit in the WAL.
  const std::string wal = ReadFile(path_ + "-wal");
  const std::string main = ReadFile(path_);
  ASSERT_GT(wal.size(), 0u);
  EXPECT_EQ(wal.find("CANARY"), std::string::npos);
  EXPECT_EQ(main.find("CANARY"), std::string::npos);
  EXPECT_EQ(main.find("SQLite format 3"), std::string::npos)
      << "even the header is encrypted";

  // And through the store it reads back.
  EXPECT_OK(db->Read([](ReadTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(Statement s,
                     txn.Prepare("SELECT body FROM notes WHERE id = 1"));
    ASSIGN_OR_RETURN(bool row, s.Step());
    EXPECT_TRUE(row);
    EXPECT_EQ(*s.ColumnText(0), kCanary);
    return absl::OkStatus();
  }));

  ASSERT_OK(db->Close());
  const std::string closed = ReadFile(path_);
  ASSERT_GT(closed.size(), 0u);
  EXPECT_EQ(closed.find("CANARY"), std::string::npos);
  EXPECT_EQ(ReadFile(path_ + "-wal").find("CANARY"), std::string::npos);
}

TEST_F(DatabaseTest, ReadersSeeCommittedWritesAndKeepTheirSnapshot) {
  Database::Options options = TestOptions();
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> db,
                       Database::Open(path_, key_, options));
  ASSERT_OK(AddNote(*db, "uno"));
  EXPECT_EQ(*CountNoteBytes(*db), 3) << "a returned Write is visible";

  ASSERT_OK(db->Read([&](ReadTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(Statement s, txn.Prepare("SELECT count(*) FROM notes"));
    RETURN_IF_ERROR(s.Step().status());
    EXPECT_EQ(*s.ColumnInt64(0), 1);
    RETURN_IF_ERROR(s.Reset());
    // Committed while this read is open: not in its snapshot...
    EXPECT_OK(AddNote(*db, "dos"));
    RETURN_IF_ERROR(s.Step().status());
    EXPECT_EQ(*s.ColumnInt64(0), 1);
    return absl::OkStatus();
  }));
  // ... but in the next one.
  EXPECT_EQ(*CountNoteBytes(*db), 6);
}

TEST_F(DatabaseTest, ForeignKeysAreEnforced) {
  Database::Options options = TestOptions();
  options.migrations.push_back(
      {2, "CREATE TABLE tags(note INTEGER NOT NULL REFERENCES notes(id))"});
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> db,
                       Database::Open(path_, key_, options));
  EXPECT_THAT(db->Write([](WriteTxn& txn) {
    return txn.Execute("INSERT INTO tags(note) VALUES (999)");
  }),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("FOREIGN KEY constraint failed")));
}

TEST_F(DatabaseTest, CheckpointsTheWalInTheBackground) {
  Database::Options options = TestOptions();
  options.wal_checkpoint_pages = 8;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> db,
                       Database::Open(path_, key_, options));
  for (int i = 0; i < 40; ++i) {
    ASSERT_OK(AddNote(*db, std::string(2000, 'a' + i % 26)));
  }
  // The checkpointer runs on its own thread: wait for it (without a bound
  // here; ctest's timeout ends a test that hangs).
  while (db->write_stats().checkpoints == 0) {
    absl::SleepFor(absl::Milliseconds(1));
  }
  EXPECT_EQ(db->write_stats().failed_checkpoints, 0u)
      << "a checkpoint failed (not merely skipped for the writer's own)";
  // What was copied into the file reads back after a reopen.
  ASSERT_OK(db->Close());
  ASSERT_OK_AND_ASSIGN(db, Database::Open(path_, key_, options));
  ASSERT_OK_AND_ASSIGN(int64_t bytes, CountNoteBytes(*db));
  EXPECT_EQ(bytes, 40 * 2000);
}

TEST_F(DatabaseTest, CloseIsIdempotentAndRefusesLaterCalls) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> db,
                       Database::Open(path_, key_, TestOptions()));
  ASSERT_OK(AddNote(*db, "x"));
  EXPECT_OK(db->Close());
  EXPECT_OK(db->Close());
  EXPECT_THAT(AddNote(*db, "y"), StatusIs(absl::StatusCode::kFailedPrecondition,
                                          HasSubstr("closed")));
  EXPECT_THAT(
      CountNoteBytes(*db),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("closed")));
}

}  // namespace
}  // namespace resguardo::store
