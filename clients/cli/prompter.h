// Asks a person, one question at a time, for what a command still needs.
// Used only when stdin is a terminal: scripts (stdin not a TTY) get a usage
// error naming the missing flag instead of a prompt that would hang them.
//
// Questions and choices go to `out` (stderr in the CLI, so that stdout stays
// clean for --json). Not thread-safe.
#ifndef RESGUARDO_CLIENTS_CLI_PROMPTER_H_
#define RESGUARDO_CLIENTS_CLI_PROMPTER_H_

#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "clients/cli/language.h"
#include "google/protobuf/descriptor.h"
#include "google/type/date.pb.h"

namespace resguardo::cli {

class Prompter {
 public:
  Prompter(std::istream& in, std::ostream& out, Lang lang)
      : in_(in), out_(out), lang_(lang) {}

  // A wrong answer is said and asked again, as often as it takes: nothing
  // typed before is lost. Only the end of input (Ctrl-D) stops a question,
  // with CANCELLED.

  // A non-empty line of text.
  absl::StatusOr<std::string> AskText(absl::string_view question);

  // A line that may be empty (Enter skips an optional field).
  absl::StatusOr<std::string> AskOptionalText(absl::string_view question);

  // One catalogue value: the choices are listed numbered with their labels
  // in the prompter's language; the answer is a number, a code or a label
  // in either language. Returns the value's number.
  absl::StatusOr<int> AskChoice(absl::string_view question,
                                const google::protobuf::EnumDescriptor* e);

  // Any number of values of a catalogue, listed as AskChoice does, given on
  // one line separated by commas ("1, 3" or "C03, C05"); an empty line is
  // none. Returns the values' numbers, in the order typed, without repeats.
  absl::StatusOr<std::vector<int>> AskChoices(
      absl::string_view question, const google::protobuf::EnumDescriptor* e);

  // A real date YYYY-MM-DD, not after `latest` when given (a complaint is
  // not received in the future).
  absl::StatusOr<google::type::Date> AskDate(
      absl::string_view question,
      std::optional<absl::CivilDay> latest = std::nullopt);

  // Yes or no ("s", "sí", "y", "yes" / "n", "no"; empty is no).
  absl::StatusOr<bool> AskYesNo(absl::string_view question);

  // A line of its own on the prompt's output (a hint after a wrong answer).
  void Say(absl::string_view text) { out_ << text << "\n"; }

  // True if the answer equals `expected` exactly (e.g. the folio to erase).
  absl::StatusOr<bool> Confirm(absl::string_view question,
                               absl::string_view expected);

 private:
  // One trimmed line; CANCELLED at end of input.
  absl::StatusOr<std::string> ReadLine(absl::string_view question);
  // Numbers the choices of `e` on `out_`.
  void ListChoices(const google::protobuf::EnumDescriptor* e);
  // The value `answer` names: its number in the list, a code or a label.
  std::optional<int> ChoiceOf(const google::protobuf::EnumDescriptor* e,
                              absl::string_view answer);

  std::istream& in_;
  std::ostream& out_;
  Lang lang_;
};

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_PROMPTER_H_
