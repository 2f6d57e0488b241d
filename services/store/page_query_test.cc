#include "services/store/page_query.h"

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/status.h"
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

using ::resguardo::testing::StatusIs;
using ::testing::ElementsAre;

// The numbers 1..`count` after `after`, `page_size` at a time.
struct Page {
  std::vector<int64_t> rows;
  bool more = false;
};

class PageQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(crypto::SecretData key,
                         crypto::SecretData::Random(32));
    Database::Options options;
    options.create_if_missing = true;
    ASSERT_OK_AND_ASSIGN(db_, Database::Open(dir_.File("p.db"), key, options));
  }

  absl::StatusOr<Page> Read(int count, int64_t after, int page_size) {
    return db_->Read([&](ReadTxn& txn) -> absl::StatusOr<Page> {
      ASSIGN_OR_RETURN(
          Statement q,
          txn.Prepare("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 "
                      "FROM n WHERE x < ?1) SELECT x FROM n WHERE x > ?2 "
                      "ORDER BY x LIMIT ?3"));
      RETURN_IF_ERROR(q.BindInt64(1, count));
      RETURN_IF_ERROR(q.BindInt64(2, after));
      Page page;
      ASSIGN_OR_RETURN(page.more,
                       ReadPage(q, 3, page_size, [&]() -> absl::Status {
                         ASSIGN_OR_RETURN(int64_t x, q.ColumnInt64(0));
                         page.rows.push_back(x);
                         return absl::OkStatus();
                       }));
      return page;
    });
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(PageQueryTest, AFullPageWithRowsAfterItHasANextPage) {
  ASSERT_OK_AND_ASSIGN(Page page, Read(5, 0, 2));
  EXPECT_THAT(page.rows, ElementsAre(1, 2));
  EXPECT_TRUE(page.more);
  ASSERT_OK_AND_ASSIGN(page, Read(5, 2, 2));
  EXPECT_THAT(page.rows, ElementsAre(3, 4));
  EXPECT_TRUE(page.more);
}

TEST_F(PageQueryTest, TheLastPageHasNoNextPageEvenWhenFull) {
  ASSERT_OK_AND_ASSIGN(Page page, Read(5, 4, 2));
  EXPECT_THAT(page.rows, ElementsAre(5));
  EXPECT_FALSE(page.more);
  ASSERT_OK_AND_ASSIGN(page, Read(4, 2, 2));
  EXPECT_THAT(page.rows, ElementsAre(3, 4));
  EXPECT_FALSE(page.more);
  ASSERT_OK_AND_ASSIGN(page, Read(4, 4, 2));
  EXPECT_THAT(page.rows, ElementsAre());
  EXPECT_FALSE(page.more);
}

TEST_F(PageQueryTest, AnErrorOfTheRowReaderStopsThePage) {
  absl::Status status = db_->Read([&](ReadTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(Statement q, txn.Prepare("SELECT 1 LIMIT ?1"));
    int calls = 0;
    absl::StatusOr<bool> more = ReadPage(q, 1, 5, [&] {
      ++calls;
      return absl::DataLossError("row");
    });
    EXPECT_EQ(calls, 1);
    return more.status();
  });
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kDataLoss));
}

}  // namespace
}  // namespace resguardo::store
