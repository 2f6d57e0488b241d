#include "clients/cli/prompter.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "clients/cli/catalogue_codes.h"
#include "clients/cli/dates.h"
#include "clients/cli/messages.h"

namespace resguardo::cli {

absl::StatusOr<std::string> Prompter::ReadLine(absl::string_view question) {
  out_ << question << ": " << std::flush;
  std::string line;
  if (!std::getline(in_, line)) {
    out_ << "\n";
    return absl::CancelledError(Text(lang_, MsgId::kErrPromptEnded));
  }
  return std::string(absl::StripAsciiWhitespace(line));
}

absl::StatusOr<std::string> Prompter::AskText(absl::string_view question) {
  while (true) {
    absl::StatusOr<std::string> line = ReadLine(question);
    if (!line.ok()) return line.status();
    if (!line->empty()) return line;
    out_ << Text(lang_, MsgId::kPromptRequired) << "\n";
  }
}

absl::StatusOr<std::string> Prompter::AskOptionalText(
    absl::string_view question) {
  return ReadLine(Msg(lang_, MsgId::kPromptOptional, question));
}

void Prompter::ListChoices(const google::protobuf::EnumDescriptor* e) {
  const std::vector<const google::protobuf::EnumValueDescriptor*> choices =
      Choices(e);
  for (size_t i = 0; i < choices.size(); ++i) {
    out_ << absl::StrFormat("  %2d) %s — %s\n", i + 1, CodeOf(choices[i]),
                            LabelOf(choices[i], lang_));
  }
}

std::optional<int> Prompter::ChoiceOf(const google::protobuf::EnumDescriptor* e,
                                      absl::string_view answer) {
  const std::vector<const google::protobuf::EnumValueDescriptor*> choices =
      Choices(e);
  int n = 0;
  if (absl::SimpleAtoi(answer, &n)) {
    if (n >= 1 && n <= static_cast<int>(choices.size())) {
      return choices[n - 1]->number();
    }
    return std::nullopt;
  }
  if (auto value = ParseCode(e, answer); value.ok()) return (*value)->number();
  return std::nullopt;
}

absl::StatusOr<int> Prompter::AskChoice(
    absl::string_view question, const google::protobuf::EnumDescriptor* e) {
  const size_t count = Choices(e).size();
  out_ << question << "\n";
  ListChoices(e);
  while (true) {
    absl::StatusOr<std::string> line =
        ReadLine(Msg(lang_, MsgId::kPromptChoice, count));
    if (!line.ok()) return line.status();
    if (std::optional<int> value = ChoiceOf(e, *line)) return *value;
    out_ << Msg(lang_, MsgId::kPromptNotAChoice, count) << "\n";
  }
}

absl::StatusOr<std::vector<int>> Prompter::AskChoices(
    absl::string_view question, const google::protobuf::EnumDescriptor* e) {
  const size_t count = Choices(e).size();
  out_ << question << "\n";
  ListChoices(e);
  while (true) {
    absl::StatusOr<std::string> line =
        ReadLine(Msg(lang_, MsgId::kPromptChoices, count));
    if (!line.ok()) return line.status();
    std::vector<int> values;
    bool all_known = true;
    for (absl::string_view part :
         absl::StrSplit(*line, ',', absl::SkipWhitespace())) {
      std::optional<int> value = ChoiceOf(e, absl::StripAsciiWhitespace(part));
      if (!value) {
        all_known = false;
        break;
      }
      if (std::find(values.begin(), values.end(), *value) == values.end()) {
        values.push_back(*value);
      }
    }
    if (all_known) return values;
    out_ << Msg(lang_, MsgId::kPromptNotAChoice, count) << "\n";
  }
}

absl::StatusOr<google::type::Date> Prompter::AskDate(
    absl::string_view question, std::optional<absl::CivilDay> latest) {
  while (true) {
    absl::StatusOr<std::string> line = ReadLine(question);
    if (!line.ok()) return line.status();
    absl::StatusOr<google::type::Date> date = ParseDate(*line);
    if (!date.ok()) {
      out_ << Text(lang_, MsgId::kHintDate) << "\n";
      continue;
    }
    if (latest.has_value() &&
        absl::CivilDay(date->year(), date->month(), date->day()) > *latest) {
      out_ << Text(lang_, MsgId::kPromptDateInFuture) << "\n";
      continue;
    }
    return date;
  }
}

absl::StatusOr<bool> Prompter::AskYesNo(absl::string_view question) {
  while (true) {
    absl::StatusOr<std::string> line =
        ReadLine(Msg(lang_, MsgId::kPromptYesNo, question));
    if (!line.ok()) return line.status();
    const std::string answer = absl::AsciiStrToLower(*line);
    if (answer.empty() || answer == "n" || answer == "no") return false;
    if (answer == "s" || answer == "si" || answer == "s\xc3\xad" ||
        answer == "y" || answer == "yes") {
      return true;
    }
  }
}

absl::StatusOr<bool> Prompter::Confirm(absl::string_view question,
                                       absl::string_view expected) {
  absl::StatusOr<std::string> line = ReadLine(question);
  if (!line.ok()) return line.status();
  return *line == expected;
}

}  // namespace resguardo::cli
