#include "clients/cli/input_files.h"

#include <fstream>
#include <optional>
#include <sstream>

#include "absl/strings/match.h"
#include "clients/cli/message_text.h"
#include "clients/cli/messages.h"

namespace resguardo::cli {
namespace {

// The reason of `error` as a sentence in `lang`.
std::string ReasonText(const MessageTextError& error, Lang lang) {
  using Reason = MessageTextError::Reason;
  switch (error.reason) {
    case Reason::kUnknownField:
      return Text(lang, MsgId::kErrInputUnknownField);
    case Reason::kNotACode:
      return Msg(lang, MsgId::kErrInputNotACode, error.expected);
    case Reason::kWrongType:
      return Msg(lang, MsgId::kErrInputWrongType, error.expected);
    case Reason::kOutOfRange:
      return Msg(lang, MsgId::kErrInputOutOfRange, error.expected);
    case Reason::kSetTwice:
      return Text(lang, MsgId::kErrInputSetTwice);
    case Reason::kBadDate:
      return Text(lang, MsgId::kErrInputBadDate);
    case Reason::kSyntax:
      break;
  }
  return "";
}

}  // namespace

absl::StatusOr<std::string> ReadTextFile(const std::string& path,
                                         std::istream& stdin_stream,
                                         Lang lang) {
  std::stringstream content;
  if (path == "-") {
    content << stdin_stream.rdbuf();
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      return absl::InvalidArgumentError(
          Msg(lang, MsgId::kErrInputUnreadable, path));
    }
    content << in.rdbuf();
  }
  std::string text = content.str();
  if (!text.empty() && text.back() == '\n') text.pop_back();
  if (!text.empty() && text.back() == '\r') text.pop_back();
  return text;
}

absl::Status ParseMessageText(const std::string& text, const std::string& path,
                              Lang lang, google::protobuf::Message* message) {
  const bool json = absl::EndsWithIgnoreCase(path, ".json");
  std::optional<MessageTextError> error = ParseMessageTextInto(
      text, json ? MessageTextFormat::kJson : MessageTextFormat::kTextFormat,
      message);
  if (!error.has_value()) return absl::OkStatus();
  message->Clear();  // nothing half-read goes on
  if (error->reason == MessageTextError::Reason::kSyntax) {
    return absl::InvalidArgumentError(
        Msg(lang, json ? MsgId::kErrInputNotJson : MsgId::kErrInputNotTextproto,
            path, error->line, error->column));
  }
  if (error->line > 0) {
    return absl::InvalidArgumentError(
        Msg(lang, MsgId::kErrInputFieldAt, path, error->line, error->column,
            error->field, ReasonText(*error, lang)));
  }
  return absl::InvalidArgumentError(Msg(lang, MsgId::kErrInputField, path,
                                        error->field,
                                        ReasonText(*error, lang)));
}

absl::Status ReadMessageFile(const std::string& path,
                             std::istream& stdin_stream, Lang lang,
                             google::protobuf::Message* message) {
  absl::StatusOr<std::string> text = ReadTextFile(path, stdin_stream, lang);
  if (!text.ok()) return text.status();
  return ParseMessageText(*text, path, lang, message);
}

}  // namespace resguardo::cli
