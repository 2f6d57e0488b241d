#include "services/server/grpc_status.h"

#include <optional>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/any.pb.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "services/api/error_catalogue.h"
#include "services/api/field_violations.h"
#include "services/store/storage_status.h"

namespace resguardo::server {

absl::string_view CodeName(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return "OK";
    case absl::StatusCode::kCancelled:
      return "CANCELLED";
    case absl::StatusCode::kUnknown:
      return "UNKNOWN";
    case absl::StatusCode::kInvalidArgument:
      return "INVALID_ARGUMENT";
    case absl::StatusCode::kDeadlineExceeded:
      return "DEADLINE_EXCEEDED";
    case absl::StatusCode::kNotFound:
      return "NOT_FOUND";
    case absl::StatusCode::kAlreadyExists:
      return "ALREADY_EXISTS";
    case absl::StatusCode::kPermissionDenied:
      return "PERMISSION_DENIED";
    case absl::StatusCode::kResourceExhausted:
      return "RESOURCE_EXHAUSTED";
    case absl::StatusCode::kFailedPrecondition:
      return "FAILED_PRECONDITION";
    case absl::StatusCode::kAborted:
      return "ABORTED";
    case absl::StatusCode::kOutOfRange:
      return "OUT_OF_RANGE";
    case absl::StatusCode::kUnimplemented:
      return "UNIMPLEMENTED";
    case absl::StatusCode::kInternal:
      return "INTERNAL";
    case absl::StatusCode::kUnavailable:
      return "UNAVAILABLE";
    case absl::StatusCode::kDataLoss:
      return "DATA_LOSS";
    case absl::StatusCode::kUnauthenticated:
      return "UNAUTHENTICATED";
    default:
      return "UNKNOWN";
  }
}

google::rpc::Status PublicStatus(const absl::Status& status,
                                 absl::string_view request_id,
                                 api::Language language) {
  google::rpc::Status details;
  if (status.ok()) return details;
  absl::StatusCode code = status.code();
  int raw = static_cast<int>(code);
  if (raw < 1 || raw > 16) code = absl::StatusCode::kUnknown;
  std::string message(status.message());
  api::ErrorText localized =
      api::ErrorTextOf(status).value_or(api::ErrorIdForCode(code));
  if (store::IsStorageUnavailable(status)) {
    // The store's message names SQLite codes and the file; the caller needs
    // only to know that it is the node's storage and that retrying helps.
    code = absl::StatusCode::kUnavailable;
    message = absl::StrCat(store::kStorageUnavailableClientMessage,
                           " (request id ", request_id, ")");
    localized = api::ErrorId::kStorageUnavailable;
  } else if (code == absl::StatusCode::kInternal ||
             code == absl::StatusCode::kUnknown ||
             code == absl::StatusCode::kDataLoss) {
    message = absl::StrCat(
        "the node could not complete the call; its operator can look it up "
        "by request id ",
        request_id);
    localized = api::ErrorIdForCode(code);
  }
  details.set_code(static_cast<int>(code));
  details.set_message(message);
  if (code != absl::StatusCode::kInternal &&
      code != absl::StatusCode::kUnknown &&
      code != absl::StatusCode::kDataLoss) {
    const std::optional<google::rpc::BadRequest> bad_request =
        api::LocalizedBadRequest(status, language);
    status.ForEachPayload(
        [&](absl::string_view type_url, const absl::Cord& payload) {
          if (!absl::StartsWith(type_url, "type.googleapis.com/")) return;
          google::protobuf::Any* any = details.add_details();
          any->set_type_url(std::string(type_url));
          if (type_url == api::kBadRequestTypeUrl && bad_request.has_value()) {
            any->set_value(bad_request->SerializeAsString());
          } else {
            any->set_value(std::string(payload));
          }
        });
  }
  google::rpc::LocalizedMessage localized_message;
  localized_message.set_locale(std::string(api::LanguageTag(language)));
  localized_message.set_message(api::Render(localized, language));
  details.add_details()->PackFrom(localized_message);
  return details;
}

grpc::Status ToGrpcStatus(const google::rpc::Status& public_status) {
  if (public_status.code() == 0) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(public_status.code()),
                      public_status.message(),
                      public_status.SerializeAsString());
}

grpc::Status ToGrpcStatus(const absl::Status& status,
                          absl::string_view request_id,
                          api::Language language) {
  if (status.ok()) return grpc::Status::OK;
  return ToGrpcStatus(PublicStatus(status, request_id, language));
}

}  // namespace resguardo::server
