// MessageText: a message that a person wrote in a file — protobuf text
// format, or protobuf JSON — read the way the CLI teaches her to write it.
//
// Beyond protobuf's own parsers it accepts, for an enum field, the catalogue
// code, the full value name or the label in either language
// (catalogue_codes.h: `kind: POLITICAL_VIOLENCE`, `risk_level: "Alto"`,
// `"kind": "CASE_KIND_GBV"`), and for a google.type.Date a string
// "YYYY-MM-DD" (or "YYYY-MM" for a month); a google.protobuf.Timestamp may be
// an RFC 3339 string. Anything else is protobuf's usual form.
//
// An error names what a person can act on: the field's path from the file's
// top ("descriptors.conducts[1]"), the line and column where it is (text
// format; JSON gives the path only, and the line and column of a syntax
// error), and why — never the value read, which may be personal data.
//
// Thread-safe (no state).
#ifndef RESGUARDO_CLIENTS_CLI_MESSAGE_TEXT_H_
#define RESGUARDO_CLIENTS_CLI_MESSAGE_TEXT_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace resguardo::cli {

struct MessageTextError {
  enum class Reason {
    kSyntax,        // not text format / not JSON at all
    kUnknownField,  // no such field here
    kNotACode,      // an enum value that no code or label names
    kWrongType,     // e.g. a text where a number or a { block } goes
    kOutOfRange,    // a number too large for its field
    kSetTwice,      // a field that holds one value given twice
    kBadDate,       // a date that is not YYYY-MM-DD (or a time not RFC 3339)
  };
  Reason reason = Reason::kSyntax;
  std::string field;  // path from the top; "" for a syntax error
  int line = 0;       // 1-based; 0 when not known (JSON values)
  int column = 0;     // 1-based; 0 when not known
  // What a valid value looks like, from the schema (never from the input):
  // the codes of a catalogue, or a type such as "int32".
  std::string expected;
};

enum class MessageTextFormat { kTextFormat, kJson };

// Clears `message` and fills it from `text`. On an error `message` holds
// whatever was read before it; the caller must discard it.
std::optional<MessageTextError> ParseMessageTextInto(
    absl::string_view text, MessageTextFormat format,
    google::protobuf::Message* message);

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_MESSAGE_TEXT_H_
