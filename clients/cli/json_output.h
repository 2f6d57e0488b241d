// --json: the response message in protobuf's canonical JSON mapping, one
// object per line, so that scripts can read it with any protobuf JSON parser
// (or jq) and its shape follows the .proto files, not the CLI's tables.
#ifndef RESGUARDO_CLIENTS_CLI_JSON_OUTPUT_H_
#define RESGUARDO_CLIENTS_CLI_JSON_OUTPUT_H_

#include <string>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"

namespace resguardo::cli {

// Canonical JSON (lowerCamelCase names, enums by value name, defaults
// omitted) on one line, followed by "\n".
absl::StatusOr<std::string> ToJsonLine(const google::protobuf::Message& m);

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_JSON_OUTPUT_H_
