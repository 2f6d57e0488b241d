#include "services/server/internal/stream_pump.h"

#include <atomic>

#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace resguardo::server::internal {
namespace {

// Counts what the pump asks of it; ends (Removes itself) when aborted, as
// the node's streams do.
class CountingStream : public PolledStream {
 public:
  explicit CountingStream(StreamPump* pump) : pump_(pump) {}
  void Poll() override { ++polls; }
  void Abort() override {
    ++aborts;
    pump_->Remove(this);
  }
  std::atomic<int> polls{0};
  std::atomic<int> aborts{0};

 private:
  StreamPump* const pump_;
};

TEST(StreamPumpTest, AbortAllEndsOpenStreamsAndRefusesLaterOnes) {
  StreamPump pump(absl::Milliseconds(1));
  CountingStream open(&pump);
  ASSERT_TRUE(pump.Add(&open));
  pump.AbortAll();
  EXPECT_EQ(open.aborts, 1);
  // A stream whose start was still being audited when the node began to
  // stop: not added, so it cannot keep the node waiting for it.
  CountingStream late(&pump);
  EXPECT_FALSE(pump.Add(&late));
  absl::SleepFor(absl::Milliseconds(20));
  EXPECT_EQ(late.polls, 0);
  pump.Stop();
}

}  // namespace
}  // namespace resguardo::server::internal
