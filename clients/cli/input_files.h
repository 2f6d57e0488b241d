// Reading what the user prepared in files: a whole message (--from-file,
// --personal-data-file) or one text (--narrative-file). Personal data comes
// from files or prompts rather than flags because a flag's value stays in the
// shell history and is visible to every user of the machine in the process
// list (ps).
//
// Error messages name the file and, for a message, the line; never the
// content, which may be personal data.
#ifndef RESGUARDO_CLIENTS_CLI_INPUT_FILES_H_
#define RESGUARDO_CLIENTS_CLI_INPUT_FILES_H_

#include <istream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "clients/cli/language.h"
#include "google/protobuf/message.h"

namespace resguardo::cli {

// The whole file; "-" reads `stdin_stream`. A final newline is dropped (an
// editor adds one). INVALID_ARGUMENT in `lang` naming the file if unreadable.
absl::StatusOr<std::string> ReadTextFile(const std::string& path,
                                         std::istream& stdin_stream, Lang lang);

// Parses `text` into `message`: protobuf JSON when `path` ends in ".json",
// text format otherwise, enum values as catalogue codes or labels and dates
// as YYYY-MM-DD (message_text.h). Unknown fields are errors.
// INVALID_ARGUMENT in `lang` naming `path`, the field's path and why, and
// for text format the line and column; `message` is left empty.
absl::Status ParseMessageText(const std::string& text, const std::string& path,
                              Lang lang, google::protobuf::Message* message);

// ReadTextFile + ParseMessageText.
absl::Status ReadMessageFile(const std::string& path,
                             std::istream& stdin_stream, Lang lang,
                             google::protobuf::Message* message);

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_INPUT_FILES_H_
