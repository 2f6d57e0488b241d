// FieldViolations: collects what is wrong with a request, field by field, and
// turns it into one INVALID_ARGUMENT status that carries a google.rpc
// BadRequest payload (converted to gRPC error details at the service edge).
//
// A description says what a valid value looks like; it never repeats the
// value received (it may be personal data).
//
// Not thread-safe; one per request.
#ifndef RESGUARDO_SERVICES_API_FIELD_VIOLATIONS_H_
#define RESGUARDO_SERVICES_API_FIELD_VIOLATIONS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace resguardo::api {

// The type URL under which a BadRequest travels in an absl::Status payload.
inline constexpr absl::string_view kBadRequestTypeUrl =
    "type.googleapis.com/google.rpc.BadRequest";

struct FieldViolation {
  std::string field;        // request-relative path, e.g. "parent"
  std::string description;  // what a valid value looks like
};

class FieldViolations {
 public:
  void Add(absl::string_view field, absl::string_view description);
  bool empty() const { return violations_.empty(); }
  const std::vector<FieldViolation>& violations() const { return violations_; }

  // OK when empty; otherwise INVALID_ARGUMENT whose message names the first
  // field ("invalid request field 'parent': ...", and how many more) and whose
  // payload kBadRequestTypeUrl is a serialized google.rpc.BadRequest with
  // every violation.
  absl::Status ToStatus() const;

 private:
  std::vector<FieldViolation> violations_;
};

// The violations carried by `status` (empty if none).
std::vector<FieldViolation> ViolationsOf(const absl::Status& status);

}  // namespace resguardo::api

#endif  // RESGUARDO_SERVICES_API_FIELD_VIOLATIONS_H_
