// Turns a failed call's grpc::Status into sentences a person can act on, in
// her language, and into the exit code scripts branch on.
//
// The node's google.rpc.BadRequest field violations (in the
// grpc-status-details-bin trailer) name the request fields; the CLI names the
// flag the user typed for that field when it knows one. Descriptions, and
// the google.rpc.LocalizedMessage shown when there are no violations, are
// the node's, in the language the CLI asked for (accept-language); they
// never contain the value sent. The node's English message is not shown.
#ifndef RESGUARDO_CLIENTS_CLI_RPC_ERROR_H_
#define RESGUARDO_CLIENTS_CLI_RPC_ERROR_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "clients/cli/exit_codes.h"
#include "clients/cli/language.h"
#include "grpcpp/support/status.h"

namespace resguardo::cli {

struct RpcErrorReport {
  // The code's name ("PERMISSION_DENIED").
  std::string code;
  // One sentence for the code ("The node rejected the request: ...").
  std::string sentence;
  // One line per field violation, or the node's localized message when it
  // helps.
  std::vector<std::string> details;
  // The field violations as the node sent them: the request field, the flag
  // that sets it ("" if none) and the node's description in the user's
  // language.
  struct Violation {
    std::string field;
    std::string flag;
    std::string description;
  };
  std::vector<Violation> violations;
  ExitCode exit_code = kExitRefused;
};

ExitCode ExitCodeFor(grpc::StatusCode code);

// The code's canonical name ("PERMISSION_DENIED"), as in google.rpc.Code.
std::string CodeName(grpc::StatusCode code);

// REQUIRES: !status.ok().
RpcErrorReport DescribeRpcError(const grpc::Status& status, Lang lang);

// The user-facing name of a request field path:
// "case_record.descriptors.state_code" → "--state (descriptors.state_code)".
std::string FieldDisplayName(absl::string_view field_path);

// The flag that sets a request field ("" if none): "--state" for
// "case_record.descriptors.state_code".
std::string FlagOfField(absl::string_view field_path);

// The whole report as text lines for stderr, ending with the request id.
std::string FormatRpcError(const RpcErrorReport& report,
                           absl::string_view request_id, Lang lang);

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_RPC_ERROR_H_
