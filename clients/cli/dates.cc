#include "clients/cli/dates.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "base/digits.h"

namespace resguardo::cli {
namespace {

bool IsLeap(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int DaysIn(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeap(year) ? 29 : kDays[month - 1];
}

// Parses "YYYY-MM" into year and month (1..12).
bool ParseYearMonth(absl::string_view text, int* year, int* month) {
  if (text.size() != 7 || text[4] != '-') return false;
  absl::string_view y = text.substr(0, 4), m = text.substr(5, 2);
  if (!IsAllDigits(y) || !IsAllDigits(m)) return false;
  if (!absl::SimpleAtoi(y, year) || !absl::SimpleAtoi(m, month)) return false;
  return *year >= 1 && *month >= 1 && *month <= 12;
}

}  // namespace

absl::StatusOr<google::type::Date> ParseDate(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  int year = 0, month = 0, day = 0;
  if (text.size() != 10 || text[7] != '-' ||
      !ParseYearMonth(text.substr(0, 7), &year, &month) ||
      !IsAllDigits(text.substr(8, 2)) ||
      !absl::SimpleAtoi(text.substr(8, 2), &day) || day < 1 ||
      day > DaysIn(year, month)) {
    return absl::InvalidArgumentError("expected a real date YYYY-MM-DD");
  }
  google::type::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

absl::StatusOr<google::type::Date> ParseMonth(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  int year = 0, month = 0;
  if (!ParseYearMonth(text, &year, &month)) {
    return absl::InvalidArgumentError("expected a month YYYY-MM");
  }
  google::type::Date date;
  date.set_year(year);
  date.set_month(month);
  return date;
}

std::string FormatDate(const google::type::Date& date) {
  if (date.year() == 0) return "";
  if (date.day() == 0) {
    return absl::StrFormat("%04d-%02d", date.year(), date.month());
  }
  return absl::StrFormat("%04d-%02d-%02d", date.year(), date.month(),
                         date.day());
}

absl::StatusOr<google::protobuf::Timestamp> ParseTimestamp(
    absl::string_view text, absl::TimeZone zone) {
  std::string s(absl::StripAsciiWhitespace(text));
  absl::Time t;
  std::string err;
  bool ok = false;
  if (s.size() == 10) {
    if (absl::StatusOr<google::type::Date> d = ParseDate(s); d.ok()) {
      t = absl::FromCivil(absl::CivilDay(d->year(), d->month(), d->day()),
                          zone);
      ok = true;
    }
  } else {
    std::string local = absl::StrReplaceAll(s, {{" ", "T"}});
    ok = absl::ParseTime("%Y-%m-%dT%H:%M:%E*S%Ez", local, &t, &err) ||
         absl::ParseTime("%Y-%m-%dT%H:%M:%E*SZ", local, absl::UTCTimeZone(), &t,
                         &err) ||
         absl::ParseTime("%Y-%m-%dT%H:%M:%S", local, zone, &t, &err) ||
         absl::ParseTime("%Y-%m-%dT%H:%M", local, zone, &t, &err);
  }
  if (!ok) {
    return absl::InvalidArgumentError(
        "expected YYYY-MM-DD, YYYY-MM-DD HH:MM or RFC 3339");
  }
  const int64_t seconds = absl::ToUnixSeconds(t);
  google::protobuf::Timestamp ts;
  ts.set_seconds(seconds);
  ts.set_nanos(static_cast<int32_t>(
      absl::ToInt64Nanoseconds(t - absl::FromUnixSeconds(seconds))));
  return ts;
}

std::string FormatTimestamp(const google::protobuf::Timestamp& ts,
                            absl::TimeZone zone) {
  if (ts.seconds() == 0 && ts.nanos() == 0) return "";
  return absl::FormatTime("%Y-%m-%d %H:%M", absl::FromUnixSeconds(ts.seconds()),
                          zone);
}

}  // namespace resguardo::cli
