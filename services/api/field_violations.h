// FieldViolations: collects what is wrong with a request, field by field, and
// turns it into one INVALID_ARGUMENT status that carries a google.rpc
// BadRequest payload (converted to gRPC error details at the service edge).
//
// A description is a text of the error catalogue (error_catalogue.h): it
// says what a valid value looks like, in the caller's language at the edge
// (LocalizedBadRequest), and never repeats the value received (it may be
// personal data). Add takes an ErrorText and nothing else, so a violation
// without a catalogue text does not compile:
//
//   v.Add("parent", ErrorId::kInstitutionName);
//   v.Add("follow_up.notes", {ErrorId::kLength, {0, 20000}});
//
// Not thread-safe; one per request.
#ifndef RESGUARDO_SERVICES_API_FIELD_VIOLATIONS_H_
#define RESGUARDO_SERVICES_API_FIELD_VIOLATIONS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/rpc/error_details.pb.h"
#include "services/api/error_catalogue.h"
#include "services/api/language.h"

namespace resguardo::api {

// The type URL under which a BadRequest travels in an absl::Status payload.
inline constexpr absl::string_view kBadRequestTypeUrl =
    "type.googleapis.com/google.rpc.BadRequest";

struct FieldViolation {
  std::string field;        // request-relative path, e.g. "parent"
  std::string description;  // the text in English
  ErrorText text;           // the catalogue's text
};

class FieldViolations {
 public:
  void Add(absl::string_view field, ErrorText text);
  bool empty() const { return violations_.empty(); }
  const std::vector<FieldViolation>& violations() const { return violations_; }

  // OK when empty; otherwise INVALID_ARGUMENT whose message names the first
  // field ("invalid request field 'parent': ...", and how many more) and whose
  // payload kBadRequestTypeUrl is a serialized google.rpc.BadRequest with
  // every violation, described in English; the catalogue's texts travel
  // beside it for LocalizedBadRequest.
  absl::Status ToStatus() const;

 private:
  std::vector<FieldViolation> violations_;
};

// The violations carried by `status` (empty if none).
std::vector<FieldViolation> ViolationsOf(const absl::Status& status);

// The BadRequest of `status` with its descriptions in `language`; nullopt
// when `status` carries none.
std::optional<google::rpc::BadRequest> LocalizedBadRequest(
    const absl::Status& status, Language language);

}  // namespace resguardo::api

#endif  // RESGUARDO_SERVICES_API_FIELD_VIOLATIONS_H_
