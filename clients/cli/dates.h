// Dates and times as a person types and reads them: YYYY-MM-DD for days,
// YYYY-MM for months, and the local time zone for instants.
#ifndef RESGUARDO_CLIENTS_CLI_DATES_H_
#define RESGUARDO_CLIENTS_CLI_DATES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/type/date.pb.h"

namespace resguardo::cli {

// A real calendar day "YYYY-MM-DD" (2026-02-30 is refused; leap years
// honoured). INVALID_ARGUMENT otherwise. The range check against "today" is
// the server's: the CLI's clock may be wrong.
absl::StatusOr<google::type::Date> ParseDate(absl::string_view text);

// A month "YYYY-MM", as a Date with day 0 (google.type.Date's convention).
absl::StatusOr<google::type::Date> ParseMonth(absl::string_view text);

// "2026-11-20", "2026-11" for a month (day 0); "" when unset (year 0).
std::string FormatDate(const google::type::Date& date);

// "YYYY-MM-DD", "YYYY-MM-DD HH:MM" or "YYYY-MM-DDTHH:MM[:SS]" in `zone`, or
// RFC 3339 with an offset. INVALID_ARGUMENT otherwise.
absl::StatusOr<google::protobuf::Timestamp> ParseTimestamp(
    absl::string_view text, absl::TimeZone zone);

// "YYYY-MM-DD HH:MM" in `zone`; "" when unset.
std::string FormatTimestamp(const google::protobuf::Timestamp& ts,
                            absl::TimeZone zone);

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_DATES_H_
