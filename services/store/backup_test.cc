#include "services/store/backup.h"

#include <sys/stat.h>

#include <atomic>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/testing/status_matchers.h"
#include "crypto/secret_data.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/store/database.h"
#include "services/store/statement.h"
#include "services/store/testing/flip_byte.h"
#include "services/store/testing/temp_dir.h"
#include "services/store/transaction.h"

namespace resguardo::store {
namespace {

using ::resguardo::testing::IsOk;
using ::resguardo::testing::StatusIs;
using ::testing::AnyOf;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kCanary[] = "CANARY-backup-Maria-Luisa-Tzotzil-5521";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in),
                     std::istreambuf_iterator<char>());
}

Database::Options TestOptions() {
  Database::Options options;
  options.create_if_missing = true;
  options.read_connections = 1;
  // Each note also moves `tally` to its id, in the same transaction: a copy
  // of one committed state has max(notes.id) == tally.last.
  options.migrations = {
      {1,
       "CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT NOT NULL);"
       "CREATE TABLE tally(one INTEGER PRIMARY KEY CHECK (one = 1), "
       "last INTEGER NOT NULL);"
       "INSERT INTO tally VALUES (1, 0);"},
      {2, "CREATE INDEX notes_by_body ON notes(body)"}};
  return options;
}

absl::StatusOr<int64_t> AddNote(Database& db) {
  return db.Write([](WriteTxn& txn) -> absl::StatusOr<int64_t> {
    ASSIGN_OR_RETURN(Statement s,
                     txn.Prepare("INSERT INTO notes(body) VALUES (?1)"));
    RETURN_IF_ERROR(s.BindText(1, kCanary));
    RETURN_IF_ERROR(s.Run());
    const int64_t id = txn.LastInsertRowId();
    ASSIGN_OR_RETURN(Statement t,
                     txn.Prepare("UPDATE tally SET last = ?1 WHERE one = 1"));
    RETURN_IF_ERROR(t.BindInt64(1, id));
    RETURN_IF_ERROR(t.Run());
    return id;
  });
}

struct Counts {
  int64_t notes = 0;
  int64_t max_id = 0;
  int64_t tally = 0;
};

absl::StatusOr<Counts> Count(Database& db) {
  return db.Read([](ReadTxn& txn) -> absl::StatusOr<Counts> {
    Counts c;
    ASSIGN_OR_RETURN(Statement s,
                     txn.Prepare("SELECT count(*), coalesce(max(id), 0), "
                                 "(SELECT last FROM tally) FROM notes"));
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return absl::InternalError("no row");
    ASSIGN_OR_RETURN(c.notes, s.ColumnInt64(0));
    ASSIGN_OR_RETURN(c.max_id, s.ColumnInt64(1));
    ASSIGN_OR_RETURN(c.tally, s.ColumnInt64(2));
    return c;
  });
}

class BackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(key_, crypto::SecretData::Random(32));
    db_path_ = absl::StrCat(dir_.path(), "/live.db");
    out_ = absl::StrCat(dir_.path(), "/backup.db");
    ASSERT_OK_AND_ASSIGN(db_, Database::Open(db_path_, key_, TestOptions()));
    for (int i = 0; i < 200; ++i) ASSERT_THAT(AddNote(*db_).status(), IsOk());
  }

  store::testing::TempDir dir_;
  crypto::SecretData key_;
  std::string db_path_;
  std::string out_;
  std::unique_ptr<Database> db_;
};

TEST_F(BackupTest, CopiesOneCommittedStateWhileWritesGoOn) {
  std::atomic<bool> stop{false};
  std::atomic<int64_t> acknowledged{0};
  std::thread writer([&] {
    while (!stop.load()) {
      absl::StatusOr<int64_t> id = AddNote(*db_);
      if (id.ok()) acknowledged.store(*id);
    }
  });
  const int64_t before = acknowledged.load() > 0 ? acknowledged.load() : 200;
  absl::StatusOr<BackupFile> file = WriteBackup(db_path_, key_, out_);
  const int64_t after_backup = acknowledged.load();
  stop = true;
  writer.join();
  ASSERT_THAT(file.status(), IsOk());
  EXPECT_EQ(file->path, out_);
  EXPECT_EQ(file->sha256_hex.size(), 64u);
  struct stat st;
  ASSERT_EQ(stat(out_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(static_cast<uint64_t>(st.st_size), file->bytes);

  // The copy opens as a database of this schema (user_version and
  // application id travelled) and holds one committed state: no torn write,
  // every note acknowledged before the backup began, none after it ended.
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> copy,
                       Database::Open(out_, key_, [] {
                         Database::Options o = TestOptions();
                         o.create_if_missing = false;
                         return o;
                       }()));
  ASSERT_OK_AND_ASSIGN(Counts c, Count(*copy));
  EXPECT_EQ(c.max_id, c.tally);
  EXPECT_EQ(c.notes, c.max_id);
  EXPECT_GE(c.max_id, before);
  EXPECT_LE(c.max_id, after_backup + 1);
}

TEST_F(BackupTest, TheCopyIsEncryptedAndNeedsTheKey) {
  ASSERT_THAT(WriteBackup(db_path_, key_, out_).status(), IsOk());
  const std::string bytes = ReadFile(out_);
  ASSERT_GT(bytes.size(), 4096u);
  EXPECT_NE(bytes.substr(0, 15), "SQLite format 3");
  EXPECT_EQ(bytes.find(kCanary), std::string::npos);
  EXPECT_EQ(bytes.find("CREATE TABLE"), std::string::npos);

  EXPECT_THAT(CheckBackupFile(out_, key_), IsOk());
  ASSERT_OK_AND_ASSIGN(crypto::SecretData other,
                       crypto::SecretData::Random(32));
  EXPECT_THAT(CheckBackupFile(out_, other),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST_F(BackupTest, RekeyedCopyOpensOnlyWithTheNewKey) {
  ASSERT_OK_AND_ASSIGN(crypto::SecretData new_key,
                       crypto::SecretData::Random(32));
  ASSERT_THAT(WriteRekeyedCopy(db_path_, key_, new_key, out_).status(), IsOk());
  const std::string bytes = ReadFile(out_);
  EXPECT_NE(bytes.substr(0, 15), "SQLite format 3");
  EXPECT_EQ(bytes.find(kCanary), std::string::npos);
  EXPECT_THAT(CheckBackupFile(out_, new_key), IsOk());
  EXPECT_THAT(CheckBackupFile(out_, key_),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  // Every committed note, under the new key; the live file keeps its own.
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> copy,
                       Database::Open(out_, new_key, [] {
                         Database::Options o = TestOptions();
                         o.create_if_missing = false;
                         return o;
                       }()));
  ASSERT_OK_AND_ASSIGN(Counts c, Count(*copy));
  EXPECT_EQ(c.notes, 200);
  EXPECT_EQ(c.tally, 200);
  EXPECT_THAT(CheckBackupFile(db_path_, key_), IsOk());
}

TEST_F(BackupTest, CheckCatchesAFlippedByte) {
  ASSERT_THAT(WriteBackup(db_path_, key_, out_).status(), IsOk());
  ASSERT_THAT(CheckBackupFile(out_, key_), IsOk());
  const std::string bytes = ReadFile(out_);
  // A byte in the middle of the third page (the notes' data).
  ASSERT_TRUE(store::testing::FlipByte(out_, 2 * 4096 + 1000));
  EXPECT_THAT(CheckBackupFile(out_, key_),
              AnyOf(StatusIs(absl::StatusCode::kDataLoss),
                    StatusIs(absl::StatusCode::kFailedPrecondition)));
  EXPECT_EQ(ReadFile(out_).size(), bytes.size());  // Checked, not changed.
}

TEST_F(BackupTest, RefusesAPlaintextFile) {
  {
    std::ofstream plain(out_, std::ios::binary);
    std::string page(8192, '\0');
    page.replace(0, 16, std::string("SQLite format 3\0", 16));
    plain << page;
  }
  EXPECT_THAT(
      CheckBackupFile(out_, key_),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("PLAINTEXT")));
}

TEST_F(BackupTest, NeverWritesOverAnExistingFile) {
  {
    std::ofstream existing(out_);
    existing << "keep me";
  }
  EXPECT_THAT(WriteBackup(db_path_, key_, out_).status(),
              StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_EQ(ReadFile(out_), "keep me");
}

TEST_F(BackupTest, WrongKeyLeavesNoFile) {
  ASSERT_OK_AND_ASSIGN(crypto::SecretData other,
                       crypto::SecretData::Random(32));
  EXPECT_THAT(WriteBackup(db_path_, other, out_).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  struct stat st;
  EXPECT_NE(stat(out_.c_str(), &st), 0);
  EXPECT_THAT(
      WriteBackup(absl::StrCat(dir_.path(), "/none.db"), key_, out_).status(),
      StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(BackupTest, RestorePutsTheCopyInPlaceButNeverOverADatabase) {
  ASSERT_THAT(WriteBackup(db_path_, key_, out_).status(), IsOk());
  ASSERT_OK_AND_ASSIGN(Counts original, Count(*db_));
  // Over the live database (and its WAL): refused, nothing touched.
  EXPECT_THAT(RestoreBackupFile(out_, key_, db_path_),
              StatusIs(absl::StatusCode::kAlreadyExists));
  ASSERT_OK_AND_ASSIGN(Counts still, Count(*db_));
  EXPECT_EQ(still.notes, original.notes);

  const std::string restored = absl::StrCat(dir_.path(), "/new/resguardo.db");
  ASSERT_THAT(RestoreBackupFile(out_, key_, restored), IsOk());
  struct stat st;
  ASSERT_EQ(stat(restored.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_NE(stat((restored + ".restoring").c_str(), &st), 0);
  Database::Options o = TestOptions();
  o.create_if_missing = false;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Database> db,
                       Database::Open(restored, key_, o));
  ASSERT_OK_AND_ASSIGN(Counts c, Count(*db));
  EXPECT_EQ(c.notes, original.notes);

  // A damaged backup is not put in place.
  ASSERT_TRUE(store::testing::FlipByte(out_, 2 * 4096 + 1000));
  const std::string again = absl::StrCat(dir_.path(), "/again/resguardo.db");
  EXPECT_THAT(RestoreBackupFile(out_, key_, again), Not(IsOk()));
  EXPECT_NE(stat(again.c_str(), &st), 0);
}

}  // namespace
}  // namespace resguardo::store
