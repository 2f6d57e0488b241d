#include "services/server/internal/worker_pool.h"

#include <atomic>

#include "absl/synchronization/notification.h"
#include "gtest/gtest.h"

namespace resguardo::server::internal {
namespace {

TEST(WorkerPoolTest, RunsEveryScheduledTaskBeforeStopReturns) {
  std::atomic<int> ran{0};
  WorkerPool pool(4, 1000);
  for (int i = 0; i < 500; ++i) {
    ASSERT_TRUE(pool.TrySchedule([&ran] { ran.fetch_add(1); }));
  }
  pool.Stop();
  EXPECT_EQ(ran.load(), 500);
}

TEST(WorkerPoolTest, RefusesWhenTheQueueIsFull) {
  WorkerPool pool(1, 1);
  absl::Notification release;
  absl::Notification started;
  ASSERT_TRUE(pool.TrySchedule([&] {
    started.Notify();
    release.WaitForNotification();
  }));
  started.WaitForNotification();
  EXPECT_TRUE(pool.TrySchedule([] {}));   // waits in the queue
  EXPECT_FALSE(pool.TrySchedule([] {}));  // the queue holds one
  release.Notify();
  pool.Stop();
}

TEST(WorkerPoolTest, RefusesAfterStop) {
  WorkerPool pool(2, 10);
  pool.Stop();
  EXPECT_FALSE(pool.TrySchedule([] {}));
}

}  // namespace
}  // namespace resguardo::server::internal
