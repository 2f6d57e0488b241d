#include "services/server/web/connect_error.h"

#include <memory>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/util/json_util.h"
#include "services/server/call_log.h"

namespace resguardo::server::web {

absl::string_view ConnectCode(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kCancelled:
      return "canceled";
    case absl::StatusCode::kInvalidArgument:
      return "invalid_argument";
    case absl::StatusCode::kDeadlineExceeded:
      return "deadline_exceeded";
    case absl::StatusCode::kNotFound:
      return "not_found";
    case absl::StatusCode::kAlreadyExists:
      return "already_exists";
    case absl::StatusCode::kPermissionDenied:
      return "permission_denied";
    case absl::StatusCode::kResourceExhausted:
      return "resource_exhausted";
    case absl::StatusCode::kFailedPrecondition:
      return "failed_precondition";
    case absl::StatusCode::kAborted:
      return "aborted";
    case absl::StatusCode::kOutOfRange:
      return "out_of_range";
    case absl::StatusCode::kUnimplemented:
      return "unimplemented";
    case absl::StatusCode::kInternal:
      return "internal";
    case absl::StatusCode::kUnavailable:
      return "unavailable";
    case absl::StatusCode::kDataLoss:
      return "data_loss";
    case absl::StatusCode::kUnauthenticated:
      return "unauthenticated";
    default:
      return "unknown";
  }
}

int ConnectHttpStatus(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kCancelled:
      return 499;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kOutOfRange:
      return 400;
    case absl::StatusCode::kDeadlineExceeded:
      return 504;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kAborted:
      return 409;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kResourceExhausted:
      return 429;
    case absl::StatusCode::kUnimplemented:
      return 501;
    case absl::StatusCode::kUnavailable:
      return 503;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    default:  // unknown, internal, data_loss
      return 500;
  }
}

namespace {

// The detail's message as JSON, for "debug" ("" when its type is not
// compiled into the node).
std::string DebugJson(const google::protobuf::Any& any) {
  const absl::string_view type_name =
      absl::StripPrefix(any.type_url(), "type.googleapis.com/");
  const google::protobuf::Descriptor* type =
      google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(
          std::string(type_name));
  if (type == nullptr) return "";
  const google::protobuf::Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(type);
  if (prototype == nullptr) return "";
  std::unique_ptr<google::protobuf::Message> message(prototype->New());
  if (!message->ParseFromString(any.value())) return "";
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(*message, &json).ok()) {
    return "";
  }
  return json;
}

}  // namespace

std::string ConnectErrorJson(const google::rpc::Status& status) {
  const auto code = static_cast<absl::StatusCode>(status.code());
  std::string json =
      absl::StrCat("{\"code\":\"", ConnectCode(code),
                   "\",\"message\":", CallLog::JsonQuote(status.message()));
  if (status.details_size() > 0) {
    absl::StrAppend(&json, ",\"details\":[");
    for (int i = 0; i < status.details_size(); ++i) {
      const google::protobuf::Any& any = status.details(i);
      if (i > 0) absl::StrAppend(&json, ",");
      // Connect: the type's full name, the value in standard base64
      // without padding.
      std::string value = absl::Base64Escape(any.value());
      while (!value.empty() && value.back() == '=') value.pop_back();
      absl::StrAppend(&json, "{\"type\":",
                      CallLog::JsonQuote(absl::StripPrefix(
                          any.type_url(), "type.googleapis.com/")),
                      ",\"value\":\"", value, "\"");
      std::string debug = DebugJson(any);
      if (!debug.empty()) absl::StrAppend(&json, ",\"debug\":", debug);
      absl::StrAppend(&json, "}");
    }
    absl::StrAppend(&json, "]");
  }
  absl::StrAppend(&json, "}");
  return json;
}

}  // namespace resguardo::server::web
