// --json: an error as one JSON object on standard error, so that a script
// reads a refusal as it reads a result (standard output stays data):
//
//   {"error": {"code": "INVALID_ARGUMENT", "exitCode": 7,
//              "message": "...", "details": ["the node's reason"],
//              "fieldViolations": [{"field": "...", "flag": "--state",
//                                   "description": "..."}],
//              "requestId": "..."}}
//
// `code` is google.rpc.Code's name for the node's errors and "USAGE" or
// "LOCAL" for the CLI's own; texts are in the user's language and never
// hold a value she sent (the node's descriptions never do; the CLI's name
// flags, not values).
#ifndef RESGUARDO_CLIENTS_CLI_JSON_ERROR_H_
#define RESGUARDO_CLIENTS_CLI_JSON_ERROR_H_

#include <string>

#include "absl/strings/string_view.h"
#include "clients/cli/exit_codes.h"
#include "clients/cli/rpc_error.h"

namespace resguardo::cli {

// The node's error (DescribeRpcError) and its request id, ending in "\n".
std::string JsonRpcError(const RpcErrorReport& report,
                         absl::string_view request_id);

// A refusal of the CLI itself, before or without a call ("USAGE" for a
// mistake in the command line, "LOCAL" for the rest), ending in "\n".
std::string JsonLocalError(absl::string_view code, ExitCode exit_code,
                           absl::string_view message);

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_JSON_ERROR_H_
