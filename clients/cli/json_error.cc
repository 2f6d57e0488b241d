#include "clients/cli/json_error.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "clients/cli/json_output.h"
#include "google/protobuf/struct.pb.h"

namespace resguardo::cli {
namespace {

using google::protobuf::Struct;

void Put(Struct& s, const char* key, absl::string_view text) {
  (*s.mutable_fields())[key].set_string_value(std::string(text));
}

// {"error": {...}} on one line; a plain object if the JSON printer fails
// (it cannot for a Struct of strings and numbers).
std::string Wrapped(const Struct& error) {
  Struct outer;
  *(*outer.mutable_fields())["error"].mutable_struct_value() = error;
  absl::StatusOr<std::string> line = ToJsonLine(outer);
  return line.ok() ? *line : "{\"error\": {}}\n";
}

}  // namespace

std::string JsonRpcError(const RpcErrorReport& report,
                         absl::string_view request_id) {
  Struct error;
  Put(error, "code", report.code);
  (*error.mutable_fields())["exitCode"].set_number_value(report.exit_code);
  Put(error, "message", report.sentence);
  // The violations' lines are fieldViolations; any other line (the node's
  // reason) goes in details.
  if (report.violations.empty() && !report.details.empty()) {
    auto* details = (*error.mutable_fields())["details"].mutable_list_value();
    for (const std::string& line : report.details) {
      details->add_values()->set_string_value(line);
    }
  }
  if (!report.violations.empty()) {
    auto* list =
        (*error.mutable_fields())["fieldViolations"].mutable_list_value();
    for (const RpcErrorReport::Violation& v : report.violations) {
      Struct one;
      Put(one, "field", v.field);
      if (!v.flag.empty()) Put(one, "flag", v.flag);
      Put(one, "description", v.description);
      *list->add_values()->mutable_struct_value() = std::move(one);
    }
  }
  if (!request_id.empty()) Put(error, "requestId", request_id);
  return Wrapped(error);
}

std::string JsonLocalError(absl::string_view code, ExitCode exit_code,
                           absl::string_view message) {
  Struct error;
  Put(error, "code", code);
  (*error.mutable_fields())["exitCode"].set_number_value(exit_code);
  Put(error, "message", message);
  return Wrapped(error);
}

}  // namespace resguardo::cli
