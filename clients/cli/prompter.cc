#include "clients/cli/prompter.h"

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
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
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    absl::StatusOr<std::string> line = ReadLine(question);
    if (!line.ok()) return line.status();
    if (!line->empty()) return line;
    out_ << Text(lang_, MsgId::kPromptRequired) << "\n";
  }
  return absl::InvalidArgumentError(Text(lang_, MsgId::kErrPromptGaveUp));
}

absl::StatusOr<int> Prompter::AskChoice(
    absl::string_view question, const google::protobuf::EnumDescriptor* e) {
  const std::vector<const google::protobuf::EnumValueDescriptor*> choices =
      Choices(e);
  out_ << question << "\n";
  for (size_t i = 0; i < choices.size(); ++i) {
    out_ << absl::StrFormat("  %2d) %s — %s\n", i + 1, CodeOf(choices[i]),
                            LabelOf(choices[i], lang_));
  }
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    absl::StatusOr<std::string> line =
        ReadLine(Msg(lang_, MsgId::kPromptChoice, choices.size()));
    if (!line.ok()) return line.status();
    int n = 0;
    if (absl::SimpleAtoi(*line, &n) && n >= 1 &&
        n <= static_cast<int>(choices.size())) {
      return choices[n - 1]->number();
    }
    if (auto value = ParseCode(e, *line); value.ok()) {
      return (*value)->number();
    }
    out_ << Msg(lang_, MsgId::kPromptNotAChoice, choices.size()) << "\n";
  }
  return absl::InvalidArgumentError(Text(lang_, MsgId::kErrPromptGaveUp));
}

absl::StatusOr<google::type::Date> Prompter::AskDate(
    absl::string_view question) {
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    absl::StatusOr<std::string> line = ReadLine(question);
    if (!line.ok()) return line.status();
    if (auto date = ParseDate(*line); date.ok()) return date;
    out_ << Text(lang_, MsgId::kHintDate) << "\n";
  }
  return absl::InvalidArgumentError(Text(lang_, MsgId::kErrPromptGaveUp));
}

absl::StatusOr<bool> Prompter::Confirm(absl::string_view question,
                                       absl::string_view expected) {
  absl::StatusOr<std::string> line = ReadLine(question);
  if (!line.ok()) return line.status();
  return *line == expected;
}

}  // namespace resguardo::cli
