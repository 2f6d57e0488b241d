#include "clients/cli/dates.h"

#include "base/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace resguardo::cli {
namespace {

using ::resguardo::testing::StatusIs;

TEST(DatesTest, ParsesARealDay) {
  ASSERT_OK_AND_ASSIGN(google::type::Date d, ParseDate("2026-11-20"));
  EXPECT_EQ(d.year(), 2026);
  EXPECT_EQ(d.month(), 11);
  EXPECT_EQ(d.day(), 20);
  EXPECT_EQ(FormatDate(d), "2026-11-20");
}

TEST(DatesTest, RefusesDaysThatDoNotExist) {
  EXPECT_THAT(ParseDate("2026-02-30"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseDate("2026-02-29"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseDate("2026-04-31"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseDate("2026-13-01"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseDate("2026-00-10"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseDate("2026-01-00"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseDate("1900-02-29"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(DatesTest, AcceptsLeapDays) {
  EXPECT_OK(ParseDate("2024-02-29"));
  EXPECT_OK(ParseDate("2000-02-29"));
}

TEST(DatesTest, RefusesOtherShapes) {
  for (const char* text :
       {"", "2026-1-05", "20261120", "2026/11/20", "20-11-2026", "2026-11-20x",
        "2026-11-2O", "+026-11-20", "2026-11"}) {
    EXPECT_THAT(ParseDate(text), StatusIs(absl::StatusCode::kInvalidArgument))
        << text;
  }
}

TEST(DatesTest, MonthsHaveDayZero) {
  ASSERT_OK_AND_ASSIGN(google::type::Date m, ParseMonth("2026-10"));
  EXPECT_EQ(m.day(), 0);
  EXPECT_EQ(FormatDate(m), "2026-10");
  EXPECT_THAT(ParseMonth("2026-13"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseMonth("2026-10-01"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(FormatDate(google::type::Date()), "");
}

TEST(DatesTest, ParsesTimesInTheGivenZone) {
  absl::TimeZone mexico = absl::FixedTimeZone(-6 * 3600);
  ASSERT_OK_AND_ASSIGN(auto t, ParseTimestamp("2026-11-20 10:30", mexico));
  // 10:30 at UTC-6 is 16:30 UTC.
  EXPECT_EQ(t.seconds(),
            absl::ToUnixSeconds(absl::FromCivil(
                absl::CivilMinute(2026, 11, 20, 16, 30), absl::UTCTimeZone())));
  EXPECT_EQ(FormatTimestamp(t, mexico), "2026-11-20 10:30");
  ASSERT_OK_AND_ASSIGN(auto day, ParseTimestamp("2026-11-20", mexico));
  EXPECT_EQ(FormatTimestamp(day, mexico), "2026-11-20 00:00");
  ASSERT_OK_AND_ASSIGN(auto rfc,
                       ParseTimestamp("2026-11-20T10:30:00-06:00", mexico));
  EXPECT_EQ(rfc.seconds(), t.seconds());
  ASSERT_OK_AND_ASSIGN(auto zulu,
                       ParseTimestamp("2026-11-20T16:30:00Z", mexico));
  EXPECT_EQ(zulu.seconds(), t.seconds());
  EXPECT_THAT(ParseTimestamp("2026-02-30 10:00", mexico),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseTimestamp("yesterday", mexico),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace resguardo::cli
