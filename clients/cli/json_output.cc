#include "clients/cli/json_output.h"

#include "absl/status/status.h"
#include "google/protobuf/util/json_util.h"

namespace resguardo::cli {

absl::StatusOr<std::string> ToJsonLine(const google::protobuf::Message& m) {
  google::protobuf::util::JsonPrintOptions options;
  // Compact: whitespace rules have changed between protobuf releases; the
  // compact form has not.
  options.add_whitespace = false;
  options.preserve_proto_field_names = false;
  options.always_print_enums_as_ints = false;
  std::string out;
  const auto status =
      google::protobuf::util::MessageToJsonString(m, &out, options);
  if (!status.ok()) {
    // The printer's message names a field, never a value.
    return absl::InternalError(std::string(status.message()));
  }
  out.push_back('\n');
  return out;
}

}  // namespace resguardo::cli
