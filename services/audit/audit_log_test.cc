#include "services/audit/audit_log.h"

#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "base/status_macros.h"
#include "base/testing/status_matchers.h"
#include "crypto/secret_data.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "openssl/sha.h"
#include "services/schema/node_schema.h"
#include "services/store/database.h"
#include "services/store/testing/temp_dir.h"

namespace resguardo::audit {
namespace {

using ::resguardo::testing::IsOk;
using ::resguardo::testing::StatusIs;
using ::testing::HasSubstr;

crypto::SecretData TestKey() {
  return crypto::SecretData(std::string(32, 'a'));
}

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    ASSERT_NO_FATAL_FAILURE(Open(true));
  }

  void Open(bool create) {
    store::Database::Options options;
    options.create_if_missing = create;
    options.read_connections = 2;
    options.migrations = schema::NodeMigrations();
    ASSERT_OK_AND_ASSIGN(
        db_, store::Database::Open(dir_.File("node.db"), TestKey(), options));
  }

  static v1::AuditEntry Entry(absl::string_view method) {
    v1::AuditEntry e;
    e.set_actor("institutions/IEEPCO/users/ana");
    e.set_institution("IEEPCO");
    e.add_roles(v1::ROLE_CASEWORKER);
    e.set_method(std::string(method));
    e.set_resource("institutions/IEEPCO/cases/IEEPCO-2026-000001");
    e.set_request_id("req-1");
    return e;
  }

  std::vector<StoredEntry> All() {
    auto entries = db_->Read([](store::ReadTxn& txn) {
      return AuditLog::ReadEntries(txn, 0, 10000);
    });
    EXPECT_OK(entries);
    return entries.ok() ? *entries : std::vector<StoredEntry>{};
  }

  store::testing::TempDir dir_;
  FakeClock clock_{absl::FromUnixSeconds(1767225600)};  // 2026-01-01
  AuditLog log_{&clock_};
  std::unique_ptr<store::Database> db_;
};

TEST_F(AuditLogTest, IndicesStartAtZeroAndTheTimeIsSet) {
  ASSERT_OK_AND_ASSIGN(uint64_t a, log_.AppendDurably(*db_, Entry("/m/A")));
  clock_.Advance(absl::Seconds(3));
  ASSERT_OK_AND_ASSIGN(uint64_t b, log_.AppendDurably(*db_, Entry("/m/B")));
  EXPECT_EQ(a, 0u);
  EXPECT_EQ(b, 1u);
  std::vector<StoredEntry> all = All();
  ASSERT_EQ(all.size(), 2u);
  v1::AuditEntry parsed;
  ASSERT_TRUE(parsed.ParseFromString(all[1].bytes));
  EXPECT_EQ(parsed.index(), 1u);
  EXPECT_EQ(parsed.method(), "/m/B");
  EXPECT_EQ(parsed.time().seconds(), 1767225603);
}

TEST_F(AuditLogTest, AGivenTimeIsKept) {
  v1::AuditEntry e = Entry("/m/A");
  e.mutable_time()->set_seconds(42);
  ASSERT_OK(log_.AppendDurably(*db_, e));
  v1::AuditEntry parsed;
  ASSERT_TRUE(parsed.ParseFromString(All()[0].bytes));
  EXPECT_EQ(parsed.time().seconds(), 42);
}

TEST_F(AuditLogTest, LeafIsSha256OfZeroByteAndTheStoredBytes) {
  ASSERT_OK(log_.AppendDurably(*db_, Entry("/m/A")));
  StoredEntry e = All().at(0);
  std::string input = std::string(1, '\0') + e.bytes;
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(),
         digest);
  EXPECT_EQ(e.leaf_hash,
            std::string(reinterpret_cast<char*>(digest), sizeof(digest)));
  // The stored bytes are the deterministic serialization of the entry.
  v1::AuditEntry parsed;
  ASSERT_TRUE(parsed.ParseFromString(e.bytes));
  std::string again;
  ASSERT_TRUE(parsed.SerializeToString(&again));
  EXPECT_EQ(again, e.bytes);
}

TEST_F(AuditLogTest, ARolledBackEntryConsumesNoIndex) {
  ASSERT_OK(log_.AppendDurably(*db_, Entry("/m/A")));
  absl::Status failed = db_->Write([&](store::WriteTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(uint64_t index, log_.Append(txn, Entry("/m/Lost")));
    EXPECT_EQ(index, 1u);
    return absl::AbortedError("the write failed after its entry");
  });
  EXPECT_THAT(failed, StatusIs(absl::StatusCode::kAborted));
  ASSERT_OK_AND_ASSIGN(uint64_t next, log_.AppendDurably(*db_, Entry("/m/B")));
  EXPECT_EQ(next, 1u);
  std::vector<StoredEntry> all = All();
  ASSERT_EQ(all.size(), 2u);
  v1::AuditEntry parsed;
  ASSERT_TRUE(parsed.ParseFromString(all[1].bytes));
  EXPECT_EQ(parsed.method(), "/m/B");
}

TEST_F(AuditLogTest, AWriteAndItsEntryCommitTogether) {
  ASSERT_OK(db_->Write([&](store::WriteTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(uint64_t a, log_.Append(txn, Entry("/m/A")));
    ASSIGN_OR_RETURN(uint64_t b, log_.Append(txn, Entry("/m/B")));
    EXPECT_EQ(a + 1, b);
    return absl::OkStatus();
  }));
  EXPECT_EQ(All().size(), 2u);
}

TEST_F(AuditLogTest, ConcurrentAppendsAreContiguous) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 50;
  absl::Mutex mu;
  std::set<uint64_t> indices;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto index = log_.AppendDurably(*db_, Entry(absl::StrCat("/m/", t)));
        ASSERT_TRUE(index.ok()) << index.status();
        absl::MutexLock lock(&mu);
        EXPECT_TRUE(indices.insert(*index).second);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  ASSERT_EQ(indices.size(), static_cast<size_t>(kThreads * kPerThread));
  EXPECT_EQ(*indices.begin(), 0u);
  EXPECT_EQ(*indices.rbegin(),
            static_cast<uint64_t>(kThreads * kPerThread - 1));
  EXPECT_OK(db_->Read([](store::ReadTxn& txn) {
    return AuditLog::VerifyStoredEntries(txn, 0, kThreads * kPerThread);
  }));
}

TEST_F(AuditLogTest, EntriesSurviveReopen) {
  for (int i = 0; i < 5; ++i) {
    ASSERT_OK(log_.AppendDurably(*db_, Entry("/m/A")));
  }
  std::vector<StoredEntry> before = All();
  ASSERT_OK(db_->Close());
  db_.reset();
  ASSERT_NO_FATAL_FAILURE(Open(false));
  std::vector<StoredEntry> after = All();
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i].bytes, before[i].bytes);
    EXPECT_EQ(after[i].leaf_hash, before[i].leaf_hash);
  }
  ASSERT_OK_AND_ASSIGN(uint64_t next, log_.AppendDurably(*db_, Entry("/m/B")));
  EXPECT_EQ(next, 5u);
}

TEST_F(AuditLogTest, VerifyFindsAMissingRange) {
  ASSERT_OK(log_.AppendDurably(*db_, Entry("/m/A")));
  EXPECT_THAT(db_->Read([](store::ReadTxn& txn) {
    return AuditLog::VerifyStoredEntries(txn, 0, 2);
  }),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("beyond the end")));
  EXPECT_OK(db_->Read([](store::ReadTxn& txn) {
    return AuditLog::VerifyStoredEntries(txn, 0, 1);
  }));
}

TEST_F(AuditLogTest, OversizedFieldsAndBadOutcomesAreRefused) {
  v1::AuditEntry e = Entry("/m/A");
  e.set_note(std::string(65, 'n'));
  EXPECT_THAT(log_.AppendDurably(*db_, e),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("note")));
  e = Entry("/m/A");
  e.set_outcome(99);
  EXPECT_THAT(
      log_.AppendDurably(*db_, e),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("outcome")));
  EXPECT_TRUE(All().empty());
}

TEST_F(AuditLogTest, ReadRangesAreChecked) {
  EXPECT_THAT(db_->Read([](store::ReadTxn& txn) {
    return AuditLog::ReadEntries(txn, 5, 4).status();
  }),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(db_->Read([](store::ReadTxn& txn) {
    return AuditLog::ReadEntries(txn, 0, 10001).status();
  }),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace resguardo::audit
