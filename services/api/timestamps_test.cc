#include "services/api/timestamps.h"

#include "gtest/gtest.h"

namespace resguardo::api {
namespace {

TEST(TimestampsTest, SplitsMicrosIntoSecondsAndNanos) {
  const google::protobuf::Timestamp t = ToTimestamp(1767225600123456);
  EXPECT_EQ(t.seconds(), 1767225600);
  EXPECT_EQ(t.nanos(), 123456000);
  EXPECT_EQ(ToMicros(t), 1767225600123456);
}

TEST(TimestampsTest, EpochIsZero) {
  const google::protobuf::Timestamp t = ToTimestamp(0);
  EXPECT_EQ(t.seconds(), 0);
  EXPECT_EQ(t.nanos(), 0);
  EXPECT_EQ(ToMicros(t), 0);
}

TEST(TimestampsTest, TruncatesSubMicrosecondNanos) {
  google::protobuf::Timestamp t;
  t.set_seconds(10);
  t.set_nanos(999);
  EXPECT_EQ(ToMicros(t), 10000000);
}

TEST(TimestampsTest, SetTimestampOverwrites) {
  google::protobuf::Timestamp t;
  t.set_seconds(99);
  t.set_nanos(5);
  SetTimestamp(2000001, &t);
  EXPECT_EQ(t.seconds(), 2);
  EXPECT_EQ(t.nanos(), 1000);
}

// Regression: micros before the epoch gave negative nanos (seconds 0, nanos
// -1000 for -1 µs), an invalid Timestamp that protobuf's JSON and time
// utilities refuse.
TEST(TimestampsTest, NegativeMicrosGiveNonNegativeNanos) {
  google::protobuf::Timestamp t = ToTimestamp(-1);
  EXPECT_EQ(t.seconds(), -1);
  EXPECT_EQ(t.nanos(), 999999000);
  EXPECT_EQ(ToMicros(t), -1);

  t = ToTimestamp(-1500000);
  EXPECT_EQ(t.seconds(), -2);
  EXPECT_EQ(t.nanos(), 500000000);
  EXPECT_EQ(ToMicros(t), -1500000);

  t = ToTimestamp(-2000000);
  EXPECT_EQ(t.seconds(), -2);
  EXPECT_EQ(t.nanos(), 0);
  EXPECT_EQ(ToMicros(t), -2000000);
}

// 0001-01-01T00:00:00.000001Z, the earliest time the audit reader accepts.
TEST(TimestampsTest, RoundTripsTheEarliestAcceptedTime) {
  const int64_t micros = -62135596800LL * 1000000 + 1;
  const google::protobuf::Timestamp t = ToTimestamp(micros);
  EXPECT_EQ(t.seconds(), -62135596800LL);
  EXPECT_EQ(t.nanos(), 1000);
  EXPECT_EQ(ToMicros(t), micros);
}

}  // namespace
}  // namespace resguardo::api
