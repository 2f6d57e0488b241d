// Asks a person, one question at a time, for what a command still needs.
// Used only when stdin is a terminal: scripts (stdin not a TTY) get a usage
// error naming the missing flag instead of a prompt that would hang them.
//
// Questions and choices go to `out` (stderr in the CLI, so that stdout stays
// clean for --json). Not thread-safe.
#ifndef RESGUARDO_CLIENTS_CLI_PROMPTER_H_
#define RESGUARDO_CLIENTS_CLI_PROMPTER_H_

#include <istream>
#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "clients/cli/language.h"
#include "google/protobuf/descriptor.h"
#include "google/type/date.pb.h"

namespace resguardo::cli {

class Prompter {
 public:
  // A wrong answer is asked again, at most this many times in all.
  static constexpr int kMaxAttempts = 3;

  Prompter(std::istream& in, std::ostream& out, Lang lang)
      : in_(in), out_(out), lang_(lang) {}

  // A non-empty line of text. CANCELLED at end of input;
  // INVALID_ARGUMENT after kMaxAttempts empty answers.
  absl::StatusOr<std::string> AskText(absl::string_view question);

  // One catalogue value: the choices are listed numbered with their labels
  // in the prompter's language; the answer is a number or a code. Returns the
  // value's number.
  absl::StatusOr<int> AskChoice(absl::string_view question,
                                const google::protobuf::EnumDescriptor* e);

  // A real date YYYY-MM-DD.
  absl::StatusOr<google::type::Date> AskDate(absl::string_view question);

  // True if the answer equals `expected` exactly (e.g. the folio to erase).
  absl::StatusOr<bool> Confirm(absl::string_view question,
                               absl::string_view expected);

 private:
  // One trimmed line; CANCELLED at end of input.
  absl::StatusOr<std::string> ReadLine(absl::string_view question);

  std::istream& in_;
  std::ostream& out_;
  Lang lang_;
};

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_PROMPTER_H_
