// Group commit: many callers' writes in one transaction, each in its own
// savepoint or checked first, acknowledged only after the COMMIT.
#include <atomic>
#include <cstdint>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
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
using ::testing::HasSubstr;

class GroupCommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    ASSERT_OK_AND_ASSIGN(key_, crypto::SecretData::Random(32));
    path_ = dir_.File("g.db");
    options_.create_if_missing = true;
    options_.read_connections = 2;
    options_.migrations = {
        {1,
         "CREATE TABLE items(writer INTEGER NOT NULL, n INTEGER NOT NULL, "
         "PRIMARY KEY (writer, n));"
         "CREATE TABLE parents(id INTEGER PRIMARY KEY);"
         "CREATE TABLE children(parent INTEGER NOT NULL REFERENCES "
         "parents(id) DEFERRABLE INITIALLY DEFERRED)"}};
    ASSERT_OK_AND_ASSIGN(db_, Database::Open(path_, key_, options_));
  }

  absl::Status Insert(
      int64_t writer, int64_t n,
      Database::Isolation isolation = Database::Isolation::kSavepoint) {
    return db_->Write(isolation, [&](WriteTxn& txn) -> absl::Status {
      ASSIGN_OR_RETURN(Statement s, txn.Prepare("INSERT INTO items(writer, n) "
                                                "VALUES (?1, ?2)"));
      RETURN_IF_ERROR(s.BindInt64(1, writer));
      RETURN_IF_ERROR(s.BindInt64(2, n));
      return s.Run();
    });
  }

  absl::StatusOr<int64_t> Count(absl::string_view where) {
    const std::string sql = absl::StrCat("SELECT count(*) FROM items ", where);
    return db_->Read([&](ReadTxn& txn) -> absl::StatusOr<int64_t> {
      ASSIGN_OR_RETURN(Statement s, txn.Prepare(sql));
      RETURN_IF_ERROR(s.Step().status());
      return s.ColumnInt64(0);
    });
  }

  // Holds the writer thread inside a transaction function until Release(),
  // so that the requests submitted meanwhile queue up for one batch.
  void BlockWriter() {
    gate_ = std::thread([this] {
      EXPECT_OK(db_->Write([this](WriteTxn&) {
        entered_.Notify();
        release_.WaitForNotification();
        return absl::OkStatus();
      }));
    });
    entered_.WaitForNotification();
  }
  void Release() {
    release_.Notify();
    gate_.join();
  }
  void WaitForQueued(uint64_t requests) {
    while (db_->write_stats().requests < requests) {
      absl::SleepFor(absl::Milliseconds(1));
    }
  }

  testing::TempDir dir_;
  crypto::SecretData key_;
  std::string path_;
  Database::Options options_;
  std::unique_ptr<Database> db_;
  std::thread gate_;
  absl::Notification entered_;
  absl::Notification release_;
};

TEST_F(GroupCommitTest, EightThreadsTimesFiveHundredWritesAreAllDurable) {
  constexpr int kThreads = 8;
  constexpr int kWrites = 500;
  const absl::Time start = absl::Now();
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t] {
      for (int i = 0; i < kWrites; ++i) ASSERT_OK(Insert(t, i));
    });
  }
  for (std::thread& thread : threads) thread.join();
  const absl::Duration elapsed = absl::Now() - start;

  const Database::WriteStats stats = db_->write_stats();
  std::cout << "[ stats    ] " << stats.requests << " writes in "
            << stats.commits << " commits (largest batch "
            << stats.largest_batch << ") in " << elapsed << ": "
            << static_cast<int>(kThreads * kWrites /
                                absl::ToDoubleSeconds(elapsed))
            << " durable writes/s\n";
  EXPECT_EQ(stats.requests, uint64_t{kThreads * kWrites});
  EXPECT_EQ(stats.requests_committed, uint64_t{kThreads * kWrites});
  EXPECT_EQ(stats.failed_commits, 0u);
  EXPECT_LT(stats.commits, stats.requests) << "no batch held two requests";
  EXPECT_GT(stats.largest_batch, 1u);

  ASSERT_OK(db_->Close());
  db_.reset();
  options_.create_if_missing = false;
  ASSERT_OK_AND_ASSIGN(db_, Database::Open(path_, key_, options_));
  EXPECT_THAT(Count(""), IsOk());
  EXPECT_EQ(*Count(""), kThreads * kWrites);
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(*Count(absl::StrCat("WHERE writer = ", t)), kWrites);
  }
}

TEST_F(GroupCommitTest, TheBatchListenerAndTheQueueDepthSayWhatTheWriterDid) {
  absl::Mutex mu;
  std::vector<Database::BatchReport> reports;
  db_->SetBatchListener([&](const Database::BatchReport& report) {
    absl::MutexLock lock(&mu);
    reports.push_back(report);
  });
  // Five writes queue behind a held writer: the queue says 5, and they
  // commit in one batch once it is released.
  BlockWriter();
  std::vector<std::thread> writers;
  for (int i = 0; i < 5; ++i) {
    writers.emplace_back([this, i] { EXPECT_OK(Insert(1, i)); });
  }
  WaitForQueued(6);
  EXPECT_EQ(db_->write_stats().queued, 5u);
  Release();
  for (std::thread& t : writers) t.join();
  EXPECT_EQ(db_->write_stats().queued, 0u);
  // A batch whose only write fails commits nothing.
  EXPECT_FALSE(
      db_->Write([](WriteTxn&) { return absl::InvalidArgumentError("no"); })
          .ok());
  db_->SetBatchListener(nullptr);
  absl::MutexLock lock(&mu);
  ASSERT_GE(reports.size(), 3u);
  EXPECT_EQ(reports[0].requests, 1u);  // the gate
  size_t committed = 0;
  for (size_t i = 1; i + 1 < reports.size(); ++i) {
    EXPECT_TRUE(reports[i].committed);
    EXPECT_GT(reports[i].commit_time, absl::ZeroDuration());
    committed += reports[i].requests;
  }
  EXPECT_EQ(committed, 5u);
  EXPECT_FALSE(reports.back().committed);
  EXPECT_EQ(reports.back().commit_time, absl::ZeroDuration());
}

TEST_F(GroupCommitTest, AFailingRequestRollsBackOnlyItself) {
  BlockWriter();
  absl::Status first, failing, last;
  std::thread a([&] { first = Insert(1, 1); });
  WaitForQueued(2);
  std::thread b([&] {
    failing = db_->Write([](WriteTxn& txn) -> absl::Status {
      // Writes, then fails: its row must not survive.
      RETURN_IF_ERROR(
          txn.Execute("INSERT INTO items(writer, n) VALUES (2, 1)"));
      return absl::InvalidArgumentError("the request is invalid");
    });
  });
  WaitForQueued(3);
  std::thread c([&] { last = Insert(3, 1); });
  WaitForQueued(4);
  Release();
  a.join();
  b.join();
  c.join();

  EXPECT_OK(first);
  EXPECT_THAT(failing, StatusIs(absl::StatusCode::kInvalidArgument,
                                HasSubstr("the request is invalid")));
  EXPECT_OK(last);
  EXPECT_EQ(*Count("WHERE writer = 1"), 1);
  EXPECT_EQ(*Count("WHERE writer = 2"), 0);
  EXPECT_EQ(*Count("WHERE writer = 3"), 1);
  const Database::WriteStats stats = db_->write_stats();
  EXPECT_EQ(stats.largest_batch, 3u) << "the three requests shared a batch";
  EXPECT_EQ(stats.requests_failed, 1u);
}

TEST_F(GroupCommitTest, AChecksFirstRequestThatFailsBeforeAChangeCostsNothing) {
  ASSERT_OK(Insert(2, 1));
  BlockWriter();
  absl::Status first, refused, duplicate, last;
  std::thread a(
      [&] { first = Insert(1, 1, Database::Isolation::kChecksFirst); });
  WaitForQueued(3);
  std::thread b([&] {
    refused = db_->Write(
        Database::Isolation::kChecksFirst, [](WriteTxn& txn) -> absl::Status {
          ASSIGN_OR_RETURN(Statement s,
                           txn.Prepare("SELECT count(*) FROM items"));
          RETURN_IF_ERROR(s.Step().status());
          return absl::NotFoundError("no such case");
        });
  });
  WaitForQueued(4);
  // A statement that fails changes nothing either (SQLite undoes it).
  std::thread c(
      [&] { duplicate = Insert(2, 1, Database::Isolation::kChecksFirst); });
  WaitForQueued(5);
  std::thread d(
      [&] { last = Insert(3, 1, Database::Isolation::kChecksFirst); });
  WaitForQueued(6);
  Release();
  a.join();
  b.join();
  c.join();
  d.join();

  EXPECT_OK(first);
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(duplicate, StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_OK(last);
  EXPECT_EQ(*Count("WHERE writer = 1"), 1);
  EXPECT_EQ(*Count("WHERE writer = 2"), 1);
  EXPECT_EQ(*Count("WHERE writer = 3"), 1);
  const Database::WriteStats stats = db_->write_stats();
  EXPECT_EQ(stats.largest_batch, 4u) << "the four requests shared a batch";
  EXPECT_EQ(stats.failed_commits, 0u);
}

TEST_F(GroupCommitTest,
       AChecksFirstRequestThatFailsAfterAChangeUndoesTheBatch) {
  BlockWriter();
  absl::Status before, failing, after;
  std::thread a([&] { before = Insert(1, 1); });
  WaitForQueued(2);
  std::thread b([&] {
    failing = db_->Write(
        Database::Isolation::kChecksFirst, [](WriteTxn& txn) -> absl::Status {
          // Changes, then fails: without a savepoint of its
          // own, only the whole transaction can take the
          // change back.
          RETURN_IF_ERROR(
              txn.Execute("INSERT INTO items(writer, n) VALUES (2, 1)"));
          return absl::DataLossError("a sealed record broke");
        });
  });
  WaitForQueued(3);
  std::thread c(
      [&] { after = Insert(3, 1, Database::Isolation::kChecksFirst); });
  WaitForQueued(4);
  Release();
  a.join();
  b.join();
  c.join();

  EXPECT_THAT(failing, StatusIs(absl::StatusCode::kDataLoss,
                                HasSubstr("a sealed record broke")));
  // The write that had succeeded in the same transaction was taken back with
  // it, and says "retry"; the one after it ran in a new transaction.
  EXPECT_THAT(before, StatusIs(absl::StatusCode::kUnavailable,
                               HasSubstr("the write was not made; retry")));
  EXPECT_OK(after);
  EXPECT_EQ(*Count("WHERE writer = 1"), 0);
  EXPECT_EQ(*Count("WHERE writer = 2"), 0) << "no half-made write survives";
  EXPECT_EQ(*Count("WHERE writer = 3"), 1);
  EXPECT_EQ(db_->write_stats().failed_commits, 0u);
  EXPECT_OK(Insert(1, 1));
  EXPECT_EQ(*Count(""), 2);
}

// Regression (issue 13 item 18): a read that met a damaged page left SQLite's
// transaction unable to read any other page, so the other requests of its
// batch failed with INTERNAL ("SQL logic error") and the batch's COMMIT
// failed too, although each succeeded when run again alone.
TEST_F(GroupCommitTest, ADamagedPageFailsOnlyTheRequestThatReadsIt) {
  constexpr int kRows = 200;
  ASSERT_OK(db_->Write([](WriteTxn& txn) -> absl::Status {
    RETURN_IF_ERROR(
        txn.Execute("CREATE TABLE blobs(id INTEGER PRIMARY KEY, b BLOB)"));
    for (int i = 0; i < kRows; ++i) {
      RETURN_IF_ERROR(txn.Execute(absl::StrCat("INSERT INTO blobs VALUES (", i,
                                               ", randomblob(1500))")));
    }
    return absl::OkStatus();
  }));
  ASSERT_OK(db_->Close());  // Checkpoints the WAL into the file.
  {
    std::ifstream file(path_, std::ios::binary | std::ios::ate);
    const std::streamoff pages = file.tellg() / 4096;
    ASSERT_GE(pages, 50);
    ASSERT_TRUE(testing::FlipByte(path_, (pages / 2) * 4096 + 2000));
  }
  ASSERT_OK_AND_ASSIGN(db_, Database::Open(path_, key_, options_));
  auto read_blob = [](ReadTxn& txn, int id) -> absl::Status {
    ASSIGN_OR_RETURN(Statement s,
                     txn.Prepare("SELECT length(b) FROM blobs WHERE id = ?1"));
    RETURN_IF_ERROR(s.BindInt64(1, id));
    ASSIGN_OR_RETURN(bool row, s.Step());
    return row ? absl::OkStatus() : absl::NotFoundError("no blob");
  };
  // Which rows sit on the damaged page, read alone on a reader.
  int damaged = -1;
  std::vector<int> intact;
  for (int id = 0; id < kRows; ++id) {
    absl::Status read =
        db_->Read([&](ReadTxn& txn) { return read_blob(txn, id); });
    if (read.ok()) {
      intact.push_back(id);
    } else {
      ASSERT_THAT(read, StatusIs(absl::StatusCode::kDataLoss));
      damaged = id;
    }
  }
  ASSERT_GE(damaged, 0) << "no row on the flipped page";
  ASSERT_GE(intact.size(), 4u);

  // In one batch: reads of intact rows with a write each, and a read of the
  // damaged row in the middle, all without savepoints (as the node's calls);
  // then one with a savepoint.
  auto read_then_insert = [&](int id, int writer) {
    return db_->Write(Database::Isolation::kChecksFirst,
                      [&, id, writer](WriteTxn& txn) -> absl::Status {
                        RETURN_IF_ERROR(read_blob(txn, id));
                        return txn.Execute(absl::StrCat(
                            "INSERT INTO items VALUES (", writer, ", 1)"));
                      });
  };
  BlockWriter();
  absl::Status before, before_savepoint, bad, after, after_savepoint;
  std::thread a([&] { before = read_then_insert(intact[0], 1); });
  WaitForQueued(2);
  std::thread b([&] { before_savepoint = Insert(2, 1); });
  WaitForQueued(3);
  std::thread c([&] {
    bad = db_->Write(Database::Isolation::kChecksFirst,
                     [&](WriteTxn& txn) { return read_blob(txn, damaged); });
  });
  WaitForQueued(4);
  std::thread d([&] { after = read_then_insert(intact.back(), 3); });
  WaitForQueued(5);
  std::thread e([&] { after_savepoint = Insert(4, 1); });
  WaitForQueued(6);
  Release();
  for (std::thread* t : {&a, &b, &c, &d, &e}) t->join();

  EXPECT_THAT(bad, StatusIs(absl::StatusCode::kDataLoss,
                            HasSubstr("does not open with this node's key, "
                                      "or is damaged")));
  // The checks-first request before it ran again in a new transaction; the
  // ones after it ran there.
  EXPECT_OK(before);
  EXPECT_OK(after);
  EXPECT_OK(after_savepoint);
  // A savepoint request is run at most once: it says "retry".
  EXPECT_THAT(before_savepoint,
              StatusIs(absl::StatusCode::kUnavailable,
                       HasSubstr("the write was not made; retry")));
  EXPECT_EQ(*Count("WHERE writer = 1"), 1);
  EXPECT_EQ(*Count("WHERE writer = 2"), 0);
  EXPECT_EQ(*Count("WHERE writer = 3"), 1);
  EXPECT_EQ(*Count("WHERE writer = 4"), 1);
  EXPECT_EQ(db_->write_stats().failed_commits, 0u);
}

TEST_F(GroupCommitTest, AFailedCommitFailsEveryRequestOfTheBatch) {
  BlockWriter();
  absl::Status good, violating;
  std::thread a([&] { good = Insert(1, 1); });
  WaitForQueued(2);
  // A deferred foreign key is checked only at COMMIT, so this request's
  // savepoint succeeds and the whole batch's COMMIT fails.
  std::thread b([&] {
    violating = db_->Write([](WriteTxn& txn) {
      return txn.Execute("INSERT INTO children(parent) VALUES (404)");
    });
  });
  WaitForQueued(3);
  Release();
  a.join();
  b.join();

  EXPECT_THAT(good, StatusIs(absl::StatusCode::kFailedPrecondition,
                             HasSubstr("could not be committed")));
  EXPECT_THAT(violating, StatusIs(absl::StatusCode::kFailedPrecondition,
                                  HasSubstr("FOREIGN KEY constraint failed")));
  EXPECT_EQ(*Count(""), 0) << "nothing reported as failed was written";
  EXPECT_EQ(db_->write_stats().failed_commits, 1u);
  // The writer goes on.
  EXPECT_OK(Insert(1, 2));
  EXPECT_EQ(*Count(""), 1);
}

// Regression: the other requests of a batch that SQLite rolled back were
// told ABORTED, which callers cannot tell from a stale etag.
TEST_F(GroupCommitTest, ABatchRolledBackBySqliteIsUnavailableForTheOthers) {
  // RAISE(ROLLBACK) makes SQLite roll back the whole transaction, as a
  // storage error (disk full, I/O error) does.
  ASSERT_OK(db_->Write([](WriteTxn& txn) {
    return txn.Execute(
        "CREATE TABLE doomed(x INTEGER);"
        "CREATE TRIGGER doomed_rolls_back BEFORE INSERT ON doomed "
        "BEGIN SELECT RAISE(ROLLBACK, 'storage gone'); END");
  }));
  BlockWriter();
  absl::Status before, failing, after;
  std::thread a([&] { before = Insert(1, 1); });
  WaitForQueued(3);
  std::thread b([&] {
    failing = db_->Write([](WriteTxn& txn) {
      return txn.Execute("INSERT INTO doomed(x) VALUES (1)");
    });
  });
  WaitForQueued(4);
  std::thread c([&] { after = Insert(3, 1); });
  WaitForQueued(5);
  Release();
  a.join();
  b.join();
  c.join();

  EXPECT_THAT(failing, StatusIs(absl::StatusCode::kFailedPrecondition,
                                HasSubstr("storage gone")));
  // The write that had succeeded and the one that never ran were not made,
  // and say so with a code that means "retry", not "conflict".
  EXPECT_THAT(before, StatusIs(absl::StatusCode::kUnavailable,
                               HasSubstr("the write was not made; retry")));
  EXPECT_THAT(after, StatusIs(absl::StatusCode::kUnavailable,
                              HasSubstr("the write was not made; retry")));
  EXPECT_EQ(*Count(""), 0) << "nothing of the rolled-back batch was written";
  EXPECT_EQ(db_->write_stats().failed_commits, 1u);
  // The writer goes on, and the retried writes succeed.
  EXPECT_OK(Insert(1, 1));
  EXPECT_OK(Insert(3, 1));
  EXPECT_EQ(*Count(""), 2);
}

TEST_F(GroupCommitTest, ReturnsTheFunctionsValueAfterTheCommit) {
  auto value = db_->Write([](WriteTxn& txn) -> absl::StatusOr<std::string> {
    RETURN_IF_ERROR(txn.Execute("INSERT INTO items VALUES (9, 9)"));
    return std::string("folio-9");
  });
  ASSERT_OK(value);
  EXPECT_EQ(*value, "folio-9");
  auto failed = db_->Write([](WriteTxn&) -> absl::StatusOr<int> {
    return absl::NotFoundError("no such case");
  });
  EXPECT_THAT(failed, StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(GroupCommitTest, AFullQueueIsResourceExhausted) {
  db_.reset();
  options_.max_queued_writes = 1;
  options_.queue_full_wait = absl::ZeroDuration();
  ASSERT_OK_AND_ASSIGN(db_, Database::Open(path_, key_, options_));
  BlockWriter();
  absl::Status queued;
  std::thread a([&] { queued = Insert(1, 1); });
  WaitForQueued(2);
  EXPECT_THAT(Insert(2, 1), StatusIs(absl::StatusCode::kResourceExhausted,
                                     HasSubstr("write queue is full")));
  Release();
  a.join();
  EXPECT_OK(queued);
}

TEST_F(GroupCommitTest, WriteFromInsideAWriteIsRefused) {
  EXPECT_THAT(db_->Write([this](WriteTxn&) { return Insert(1, 1); }),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("inside a write transaction function")));
  EXPECT_EQ(*Count(""), 0);
}

TEST_F(GroupCommitTest, CloseCommitsEveryQueuedWrite) {
  BlockWriter();
  constexpr int kQueued = 20;
  std::vector<absl::Status> results(kQueued);
  std::vector<std::thread> threads;
  for (int i = 0; i < kQueued; ++i) {
    threads.emplace_back([this, i, &results] { results[i] = Insert(1, i); });
  }
  WaitForQueued(kQueued + 1);
  absl::Status closed;
  std::thread closer([&] { closed = db_->Close(); });
  absl::SleepFor(absl::Milliseconds(20));  // Let Close start waiting.
  Release();
  closer.join();
  for (std::thread& thread : threads) thread.join();
  EXPECT_OK(closed);
  for (const absl::Status& result : results) EXPECT_OK(result);

  db_.reset();
  ASSERT_OK_AND_ASSIGN(db_, Database::Open(path_, key_, options_));
  EXPECT_EQ(*Count(""), kQueued);
}

TEST_F(GroupCommitTest, ConcurrentReadersSeeOnlyCommittedBatches) {
  // Each write inserts two rows; a reader must never see an odd count.
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int i = 0; i < 200; ++i) {
      ASSERT_OK(db_->Write([i](WriteTxn& txn) {
        return txn.Execute(absl::StrCat("INSERT INTO items VALUES (1, ", 2 * i,
                                        "), (1, ", 2 * i + 1, ")"));
      }));
    }
    done = true;
  });
  int reads = 0;
  while (!done) {
    ASSERT_OK_AND_ASSIGN(int64_t n, Count(""));
    EXPECT_EQ(n % 2, 0);
    ++reads;
  }
  writer.join();
  EXPECT_GT(reads, 0);
  EXPECT_EQ(*Count(""), 400);
}

TEST_F(GroupCommitTest, WriteAsyncAnswersOnceAfterItsBatchCommitted) {
  BlockWriter();
  absl::Notification answered;
  absl::Status result = absl::UnknownError("not answered");
  int calls = 0;
  ASSERT_OK(db_->WriteAsync(
      Database::Isolation::kChecksFirst,
      [](WriteTxn& txn) {
        return txn.Execute("INSERT INTO items VALUES (5, 1)");
      },
      [&](absl::Status status) {
        ++calls;
        result = status;
        answered.Notify();
      }));
  // Queued behind the blocked batch: not run, not answered.
  absl::SleepFor(absl::Milliseconds(20));
  EXPECT_FALSE(answered.HasBeenNotified());
  EXPECT_EQ(*Count("WHERE writer = 5"), 0);
  Release();
  answered.WaitForNotification();
  EXPECT_OK(result);
  EXPECT_EQ(*Count("WHERE writer = 5"), 1);
  // A failing function's error reaches `done`, and nothing is written.
  absl::Notification failed;
  ASSERT_OK(db_->WriteAsync(
      Database::Isolation::kSavepoint,
      [](WriteTxn& txn) -> absl::Status {
        RETURN_IF_ERROR(txn.Execute("INSERT INTO items VALUES (5, 2)"));
        return absl::NotFoundError("no such case");
      },
      [&](absl::Status status) {
        EXPECT_THAT(status, StatusIs(absl::StatusCode::kNotFound));
        failed.Notify();
      }));
  failed.WaitForNotification();
  EXPECT_EQ(*Count("WHERE writer = 5"), 1);
  EXPECT_EQ(calls, 1);
}

TEST_F(GroupCommitTest, WriteAsyncOnAFullQueueIsRefusedAtOnce) {
  db_.reset();
  options_.max_queued_writes = 1;
  ASSERT_OK_AND_ASSIGN(db_, Database::Open(path_, key_, options_));
  BlockWriter();
  absl::Notification first_done;
  ASSERT_OK(db_->WriteAsync(
      Database::Isolation::kChecksFirst,
      [](WriteTxn& txn) {
        return txn.Execute("INSERT INTO items VALUES (6, 1)");
      },
      [&](absl::Status status) {
        EXPECT_OK(status);
        first_done.Notify();
      }));
  bool ran = false;
  const absl::Time before = absl::Now();
  EXPECT_THAT(db_->WriteAsync(
                  Database::Isolation::kChecksFirst,
                  [&](WriteTxn&) {
                    ran = true;
                    return absl::OkStatus();
                  },
                  [&](absl::Status) { ran = true; }),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       HasSubstr("write queue is full")));
  EXPECT_LT(absl::Now() - before, absl::Milliseconds(500));  // no wait
  // The reserve (max(64, 1 / 4) here) still takes what must be written.
  absl::Notification reserved_done;
  ASSERT_OK(db_->WriteAsync(
      Database::Isolation::kChecksFirst,
      [](WriteTxn& txn) {
        return txn.Execute("INSERT INTO items VALUES (6, 2)");
      },
      [&](absl::Status status) {
        EXPECT_OK(status);
        reserved_done.Notify();
      },
      Database::Room::kReserved));
  Release();
  reserved_done.WaitForNotification();
  EXPECT_EQ(*Count("WHERE writer = 6"), 2);
  first_done.WaitForNotification();
  db_->Close().IgnoreError();
  EXPECT_FALSE(ran);
}

TEST_F(GroupCommitTest, ASlowAnswerDoesNotHoldUpTheWriter) {
  // Answers run on the store's completion thread: while one is stuck (a
  // response that cannot be sent, a log that blocks), later batches still
  // commit, and their answers wait their turn, in order.
  absl::Notification first_answering;
  absl::Notification unblock;
  // Whatever fails below, the stuck answer is let go (or Close would hang).
  absl::Cleanup let_go = [&] {
    if (!unblock.HasBeenNotified()) unblock.Notify();
  };
  std::vector<int> order;  // Written only on the completion thread.
  ASSERT_OK(db_->WriteAsync(
      Database::Isolation::kChecksFirst,
      [](WriteTxn& txn) {
        return txn.Execute("INSERT INTO items VALUES (8, 1)");
      },
      [&](absl::Status status) {
        EXPECT_OK(status);
        first_answering.Notify();
        unblock.WaitForNotification();
        order.push_back(1);
      }));
  first_answering.WaitForNotification();
  absl::Notification second_answered;
  ASSERT_OK(db_->WriteAsync(
      Database::Isolation::kChecksFirst,
      [](WriteTxn& txn) {
        return txn.Execute("INSERT INTO items VALUES (8, 2)");
      },
      [&](absl::Status status) {
        EXPECT_OK(status);
        order.push_back(2);
        second_answered.Notify();
      }));
  // A blocking write commits (and returns) while the first answer is stuck.
  absl::Notification third_committed;
  std::thread third([&] {
    EXPECT_OK(db_->Write([](WriteTxn& txn) {
      return txn.Execute("INSERT INTO items VALUES (8, 3)");
    }));
    third_committed.Notify();
  });
  const bool committed =
      third_committed.WaitForNotificationWithTimeout(absl::Seconds(10));
  if (!committed) unblock.Notify();  // Fail, rather than hang.
  EXPECT_TRUE(committed) << "the writer waited for an answer";
  third.join();
  EXPECT_EQ(*Count("WHERE writer = 8"), 3);
  EXPECT_FALSE(second_answered.HasBeenNotified());
  if (!unblock.HasBeenNotified()) unblock.Notify();
  second_answered.WaitForNotification();
  EXPECT_THAT(order, ::testing::ElementsAre(1, 2));
}

TEST_F(GroupCommitTest, AnswersThatBackUpTakeTheQueuesRoom) {
  // Committed but unanswered requests count against the queue's room: with
  // the answers stuck, new work is refused instead of being committed for
  // callers who would never hear of it.
  db_.reset();
  options_.max_queued_writes = 2;
  ASSERT_OK_AND_ASSIGN(db_, Database::Open(path_, key_, options_));
  absl::Notification unblock;
  absl::Cleanup let_go = [&] {
    if (!unblock.HasBeenNotified()) unblock.Notify();
  };
  std::atomic<int> answered{0};
  auto write = [&](int n, bool block) {
    return db_->WriteAsync(
        Database::Isolation::kChecksFirst,
        [n](WriteTxn& txn) {
          return txn.Execute(
              absl::StrCat("INSERT INTO items VALUES (9, ", n, ")"));
        },
        [&, block](absl::Status status) {
          EXPECT_OK(status);
          if (block) unblock.WaitForNotification();
          ++answered;
        });
  };
  ASSERT_OK(write(1, /*block=*/true));
  ASSERT_OK(write(2, /*block=*/false));
  // Both commit (the writer does not wait for answers); neither is
  // answered while the first answer is stuck.
  while (*Count("WHERE writer = 9") < 2) absl::SleepFor(absl::Milliseconds(1));
  EXPECT_THAT(write(3, /*block=*/false),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       HasSubstr("write queue is full")));
  EXPECT_EQ(answered.load(), 0);
  unblock.Notify();
  while (answered.load() < 2) absl::SleepFor(absl::Milliseconds(1));
  // Answered: the room is back.
  absl::Notification fourth;
  ASSERT_OK(db_->WriteAsync(
      Database::Isolation::kChecksFirst,
      [](WriteTxn& txn) {
        return txn.Execute("INSERT INTO items VALUES (9, 4)");
      },
      [&](absl::Status status) {
        EXPECT_OK(status);
        fourth.Notify();
      }));
  fourth.WaitForNotification();
  EXPECT_EQ(*Count("WHERE writer = 9"), 3);
}

TEST_F(GroupCommitTest, ADoneMayQueueTheNextWriteAndCloseAnswersEveryOne) {
  // Each answer queues the next write from the completion thread (as the
  // node queues a refusal's audit entry); Close drains them, and a write
  // queued after the writer stopped is refused, not lost in silence.
  std::atomic<int> answered{0};
  std::atomic<int> refused{0};
  std::function<void(int)> chain = [&](int n) {
    absl::Status queued = db_->WriteAsync(
        Database::Isolation::kChecksFirst,
        [n](WriteTxn& txn) {
          return txn.Execute(
              absl::StrCat("INSERT INTO items VALUES (7, ", n, ")"));
        },
        [&, n](absl::Status status) {
          EXPECT_OK(status);
          ++answered;
          if (n < 50) chain(n + 1);
        });
    if (!queued.ok()) {
      EXPECT_THAT(queued, StatusIs(absl::StatusCode::kFailedPrecondition));
      ++refused;
    }
  };
  chain(1);
  while (answered < 10) absl::SleepFor(absl::Milliseconds(1));
  ASSERT_OK(db_->Close());
  const int written = answered.load();
  EXPECT_GE(written, 10);
  // The chain ends with its 50th write, or with the one refusal after Close.
  EXPECT_EQ(refused.load(), written == 50 ? 0 : 1);
  ASSERT_OK_AND_ASSIGN(db_, Database::Open(path_, key_, options_));
  EXPECT_EQ(*Count("WHERE writer = 7"), written);
}

}  // namespace
}  // namespace resguardo::store
