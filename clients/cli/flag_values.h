// Typed values from parsed flags, with errors in the user's language that
// name the flag and say what a valid value looks like (never echoing the
// value typed: it may be personal data put in the wrong flag).
#ifndef RESGUARDO_CLIENTS_CLI_FLAG_VALUES_H_
#define RESGUARDO_CLIENTS_CLI_FLAG_VALUES_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "clients/cli/flag_parser.h"
#include "clients/cli/language.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/type/date.pb.h"

namespace resguardo::cli {

// A FlagSpec for a catalogue code.
FlagSpec CodeFlag(std::string name, const google::protobuf::EnumDescriptor* e,
                  MsgId help, bool repeatable = false);

// The value number of a code flag; nullopt when absent. INVALID_ARGUMENT for
// an unknown code, listing the valid ones.
absl::StatusOr<std::optional<int>> GetCode(
    const ParsedFlags& flags, absl::string_view name,
    const google::protobuf::EnumDescriptor* e, Lang lang);

// Every value of a repeatable code flag (empty when absent).
absl::StatusOr<std::vector<int>> GetCodes(
    const ParsedFlags& flags, absl::string_view name,
    const google::protobuf::EnumDescriptor* e, Lang lang);

absl::StatusOr<std::optional<google::type::Date>> GetDate(
    const ParsedFlags& flags, absl::string_view name, Lang lang);
absl::StatusOr<std::optional<google::type::Date>> GetMonth(
    const ParsedFlags& flags, absl::string_view name, Lang lang);
absl::StatusOr<std::optional<google::protobuf::Timestamp>> GetTimestamp(
    const ParsedFlags& flags, absl::string_view name, absl::TimeZone zone,
    Lang lang);
// A whole number in [min, max].
absl::StatusOr<std::optional<int>> GetInt(const ParsedFlags& flags,
                                          absl::string_view name, int min,
                                          int max, Lang lang);

// An INEGI state code: "20", or "9" padded to "09"; 01–32.
absl::StatusOr<std::optional<std::string>> GetStateCode(
    const ParsedFlags& flags, absl::string_view name, Lang lang);

// Validates and normalises a state code typed anywhere (flag or prompt).
absl::StatusOr<std::string> NormaliseStateCode(absl::string_view text);

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_FLAG_VALUES_H_
