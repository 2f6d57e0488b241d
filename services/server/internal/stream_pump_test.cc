#include "services/server/internal/stream_pump.h"

#include <atomic>
#include <memory>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "crypto/secret_data.h"
#include "gtest/gtest.h"
#include "services/store/database.h"
#include "services/store/testing/temp_dir.h"

namespace resguardo::server::internal {
namespace {

// Counts what the pump asks of it; ends (Removes itself) when aborted, as
// the node's streams do. Asks the round for `key`, as WatchAlerts asks for
// its institution's last alert.
class CountingStream : public PolledStream {
 public:
  CountingStream(StreamPump* pump, std::string key, std::atomic<int>* reads)
      : pump_(pump), key_(std::move(key)), reads_(reads) {}
  void Poll(store::ReadTxn&, PollRound& round) override {
    ++polls;
    (void)round.Shared(key_, [this]() -> absl::StatusOr<uint64_t> {
      ++*reads_;
      return 0;
    });
  }
  void AfterPoll(const absl::Status& status) override {
    if (status.ok()) ++after_polls;
  }
  void Abort() override {
    ++aborts;
    pump_->Remove(this);
  }
  std::atomic<int> polls{0};
  std::atomic<int> after_polls{0};
  std::atomic<int> aborts{0};

 private:
  StreamPump* const pump_;
  const std::string key_;
  std::atomic<int>* const reads_;
};

class StreamPumpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<crypto::SecretData> key = crypto::SecretData::Random(32);
    ASSERT_TRUE(key.ok());
    store::Database::Options options;
    options.create_if_missing = true;
    options.read_connections = 2;
    options.migrations = {{1, "CREATE TABLE t (x INTEGER);"}};
    absl::StatusOr<std::unique_ptr<store::Database>> db =
        store::Database::Open(dir_.File("db"), *key, options);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
  }
  void TearDown() override {
    if (db_) (void)db_->Close();
  }

  StreamPump::Reader Reader() {
    return [this](absl::FunctionRef<absl::Status(store::ReadTxn&)> fn) {
      ++transactions_;
      return db_->Read([&](store::ReadTxn& txn) { return fn(txn); });
    };
  }

  store::testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  std::atomic<int> transactions_{0};
};

TEST_F(StreamPumpTest, AbortAllEndsOpenStreamsAndRefusesLaterOnes) {
  std::atomic<int> reads{0};
  StreamPump pump(absl::Milliseconds(1), Reader());
  CountingStream open(&pump, "a", &reads);
  ASSERT_TRUE(pump.Add(&open));
  pump.AbortAll();
  EXPECT_EQ(open.aborts, 1);
  // A stream whose start was still being audited when the node began to
  // stop: not added, so it cannot keep the node waiting for it.
  CountingStream late(&pump, "a", &reads);
  EXPECT_FALSE(pump.Add(&late));
  absl::SleepFor(absl::Milliseconds(20));
  EXPECT_EQ(late.polls, 0);
  pump.Stop();
}

// Regression (issue 13 item 12): every stream took a reader connection and
// made its own queries on every poll, so the cost of idle streams grew with
// their number.
TEST_F(StreamPumpTest, ARoundPollsEveryStreamInOneReadAndSharesItsQueries) {
  std::atomic<int> reads{0};
  StreamPump pump(absl::Milliseconds(20), Reader());
  std::vector<std::unique_ptr<CountingStream>> streams;
  for (int i = 0; i < 50; ++i) {
    // 50 watchers of two institutions.
    streams.push_back(
        std::make_unique<CountingStream>(&pump, i % 2 ? "a" : "b", &reads));
    ASSERT_TRUE(pump.Add(streams.back().get()));
  }
  absl::SleepFor(absl::Milliseconds(300));
  pump.Stop();
  const uint64_t rounds = pump.rounds();
  ASSERT_GE(rounds, 2u);
  // One read transaction per round, not per stream.
  EXPECT_EQ(static_cast<uint64_t>(transactions_.load()), rounds);
  // One shared query per institution and round.
  EXPECT_EQ(static_cast<uint64_t>(reads.load()), 2 * rounds);
  for (const auto& s : streams) {
    EXPECT_EQ(static_cast<uint64_t>(s->polls.load()), rounds);
    EXPECT_EQ(s->after_polls.load(), s->polls.load());
    pump.Remove(s.get());
  }
}

}  // namespace
}  // namespace resguardo::server::internal
