#include "clients/cli/input_files.h"

#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "clients/cli/messages.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/json_util.h"

namespace resguardo::cli {
namespace {

// Keeps only where the first error is: protobuf's default collector logs the
// offending token, which may be a victim's name.
class FirstErrorPosition : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& /*message*/) override {
    if (line_ < 0) {
      line_ = line;
      column_ = column;
    }
  }
  void AddWarning(int, google::protobuf::io::ColumnNumber,
                  const std::string&) override {}
  int line() const { return line_; }
  int column() const { return column_; }

 private:
  int line_ = -1;
  int column_ = -1;
};

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
  if (absl::EndsWithIgnoreCase(path, ".json")) {
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;
    if (!google::protobuf::util::JsonStringToMessage(text, message, options)
             .ok()) {
      // The parser's message may quote the value it choked on.
      return absl::InvalidArgumentError(
          Msg(lang, MsgId::kErrInputNotJson, path,
              message->GetDescriptor()->full_name()));
    }
    return absl::OkStatus();
  }
  google::protobuf::TextFormat::Parser parser;
  FirstErrorPosition errors;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(text, message)) {
    return absl::InvalidArgumentError(
        Msg(lang, MsgId::kErrInputNotTextproto, path, errors.line() + 1,
            errors.column() + 1, message->GetDescriptor()->full_name()));
  }
  return absl::OkStatus();
}

absl::Status ReadMessageFile(const std::string& path,
                             std::istream& stdin_stream, Lang lang,
                             google::protobuf::Message* message) {
  absl::StatusOr<std::string> text = ReadTextFile(path, stdin_stream, lang);
  if (!text.ok()) return text.status();
  return ParseMessageText(*text, path, lang, message);
}

}  // namespace resguardo::cli
