// SnapshotCache: never serves what a committed write replaced, even when a
// read of an older snapshot offers it afterwards.
#include "services/store/snapshot_cache.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
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

using ::testing::Eq;
using ::testing::Optional;

class SnapshotCacheTest : public ::testing::Test {
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
         "CREATE TABLE kv(k TEXT PRIMARY KEY, v TEXT NOT NULL);"
         "INSERT INTO kv VALUES ('a', 'old'), ('b', 'b1');"}};
    ASSERT_OK_AND_ASSIGN(db_, Database::Open(dir_.File("c.db"), key, options));
  }

  static absl::StatusOr<std::string> Load(ReadTxn& txn, const std::string& k) {
    ASSIGN_OR_RETURN(Statement s, txn.Prepare("SELECT v FROM kv WHERE k = ?1"));
    RETURN_IF_ERROR(s.BindText(1, k));
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return absl::NotFoundError("no such key");
    ASSIGN_OR_RETURN(absl::string_view v, s.ColumnText(0));
    return std::string(v);
  }

  static std::string Value(const absl::StatusOr<std::string>& v) {
    return v.ok() ? *v : absl::StrCat("error: ", v.status().ToString());
  }

  // The cache's read path: a hit, or a load offered to the cache.
  absl::StatusOr<std::string> CachedRead(const std::string& k) {
    return db_->Read([&](ReadTxn& txn) -> absl::StatusOr<std::string> {
      if (std::optional<std::string> hit = cache_.Get(k)) return *hit;
      ASSIGN_OR_RETURN(std::string v, Load(txn, k));
      cache_.Offer(txn, k, v);
      return v;
    });
  }

  // The cache's write path.
  absl::Status Set(const std::string& k, const std::string& v,
                   bool fail_after = false) {
    return db_->Write([&](WriteTxn& txn) -> absl::Status {
      ASSIGN_OR_RETURN(Statement s,
                       txn.Prepare("UPDATE kv SET v = ?2 WHERE k = ?1"));
      RETURN_IF_ERROR(s.BindText(1, k));
      RETURN_IF_ERROR(s.BindText(2, v));
      RETURN_IF_ERROR(s.Run());
      cache_.Invalidate(txn, k);
      if (fail_after) return absl::AbortedError("rolled back");
      return absl::OkStatus();
    });
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
  SnapshotCache<std::string, std::string> cache_{16};
};

TEST_F(SnapshotCacheTest, AHitServesWithoutTheDatabaseAndAWriteDropsIt) {
  ASSERT_EQ(Value(CachedRead("a")), "old");
  EXPECT_THAT(cache_.Get("a"), Optional(Eq(std::string("old"))));
  ASSERT_OK(Set("a", "new"));
  // Dropped before Write returned.
  EXPECT_EQ(cache_.Get("a"), std::nullopt);
  EXPECT_EQ(Value(CachedRead("a")), "new");
  EXPECT_THAT(cache_.Get("a"), Optional(Eq(std::string("new"))));
}

TEST_F(SnapshotCacheTest, AReadOfAnOlderSnapshotCannotPutBackAReplacedValue) {
  // A reader loads "old", then — while its snapshot is still open — a write
  // replaces it and returns; the reader's late offer must not be kept.
  absl::Notification loaded;
  absl::Notification written;
  std::optional<std::string> seen;
  std::thread reader([&] {
    EXPECT_OK(db_->Read([&](ReadTxn& txn) -> absl::Status {
      ASSIGN_OR_RETURN(std::string v, Load(txn, "a"));
      seen = v;
      loaded.Notify();
      written.WaitForNotification();
      cache_.Offer(txn, "a", v);
      return absl::OkStatus();
    }));
  });
  loaded.WaitForNotification();
  ASSERT_OK(Set("a", "new"));
  written.Notify();
  reader.join();
  EXPECT_EQ(seen, "old");
  EXPECT_EQ(cache_.Get("a"), std::nullopt);
  EXPECT_EQ(Value(CachedRead("a")), "new");
}

TEST_F(SnapshotCacheTest, AWriteFunctionsOfferIsIgnored) {
  // A write function sees its batch's uncommitted writes.
  EXPECT_THAT(db_->Write([&](WriteTxn& txn) -> absl::Status {
    RETURN_IF_ERROR(txn.Execute("UPDATE kv SET v = 'x' WHERE k = 'a'"));
    cache_.Offer(txn, "a", "x");
    return absl::AbortedError("rolled back");
  }),
              ::resguardo::testing::StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(cache_.Get("a"), std::nullopt);
  EXPECT_EQ(Value(CachedRead("a")), "old");
}

TEST_F(SnapshotCacheTest, ARolledBackWriteStillDrops) {
  ASSERT_EQ(Value(CachedRead("a")), "old");
  EXPECT_THAT(Set("a", "never", /*fail_after=*/true),
              ::resguardo::testing::StatusIs(absl::StatusCode::kAborted));
  EXPECT_EQ(cache_.Get("a"), std::nullopt);
  EXPECT_EQ(Value(CachedRead("a")), "old");
}

TEST_F(SnapshotCacheTest, InvalidateAllDropsEverything) {
  ASSERT_OK(CachedRead("a").status());
  ASSERT_OK(CachedRead("b").status());
  ASSERT_EQ(cache_.size(), 2u);
  ASSERT_OK(db_->Write([&](WriteTxn& txn) {
    cache_.InvalidateAll(txn);
    return absl::OkStatus();
  }));
  EXPECT_EQ(cache_.size(), 0u);
}

TEST_F(SnapshotCacheTest, StaysWithinItsCapacity) {
  ASSERT_OK(db_->Write([](WriteTxn& txn) -> absl::Status {
    for (int i = 0; i < 40; ++i) {
      RETURN_IF_ERROR(txn.Execute(
          absl::StrCat("INSERT INTO kv VALUES ('k", i, "', 'v", i, "')")));
    }
    return absl::OkStatus();
  }));
  for (int i = 0; i < 40; ++i) {
    ASSERT_EQ(Value(CachedRead(absl::StrCat("k", i))), absl::StrCat("v", i));
  }
  EXPECT_EQ(cache_.size(), 16u);
}

}  // namespace
}  // namespace resguardo::store
