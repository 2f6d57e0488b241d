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

}  // namespace
}  // namespace resguardo::api
