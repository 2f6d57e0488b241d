#include "services/server/web/connect_call.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "base/status_macros.h"
#include "google/protobuf/util/json_util.h"
#include "services/api/field_violations.h"
#include "services/api/text_rules.h"
#include "services/server/grpc_status.h"
#include "services/server/request_decoder.h"
#include "services/server/web/connect_error.h"

namespace resguardo::server::web {
namespace {

constexpr char kJson[] = "application/json";

// The field path protobuf's JSON parser names in its error, if it names
// one: the "(a.b)" or "a.b:" prefix of its message, made of field-name
// characters only (never the value, which follows it). "" otherwise.
std::string FieldOfParseError(absl::string_view message) {
  // Messages look like "(case_record.personal_data) victim_name: ...",
  // "victim_name: ...", or "Unexpected token. ...".
  std::string path;
  absl::string_view rest = message;
  if (absl::ConsumePrefix(&rest, "(")) {
    size_t close = rest.find(')');
    if (close == absl::string_view::npos) return "";
    path = std::string(rest.substr(0, close));
    rest.remove_prefix(close + 1);
    absl::ConsumePrefix(&rest, " ");
  }
  size_t colon = rest.find(':');
  if (colon != absl::string_view::npos && colon > 0 && colon <= 64) {
    absl::string_view field = rest.substr(0, colon);
    if (std::all_of(field.begin(), field.end(), [](char c) {
          return absl::ascii_isalnum(c) || c == '_';
        })) {
      path = path.empty() ? std::string(field) : absl::StrCat(path, ".", field);
    }
  }
  if (path.empty() || path.size() > 200 ||
      !std::all_of(path.begin(), path.end(), [](char c) {
        return absl::ascii_isalnum(c) || c == '_' || c == '.' || c == '[' ||
               c == ']';
      })) {
    return "";
  }
  return path;
}

}  // namespace

ConnectCall::ConnectCall(HttpRequest request,
                         std::shared_ptr<Responder> responder,
                         size_t max_body_bytes)
    : request_(std::move(request)),
      responder_(std::move(responder)),
      max_body_bytes_(max_body_bytes) {}

absl::Status ConnectCall::ParseTimeout(absl::string_view header,
                                       absl::Duration* timeout) {
  *timeout = absl::InfiniteDuration();
  if (header.empty()) return absl::OkStatus();
  uint64_t ms = 0;
  if (header.size() > 10 ||
      !std::all_of(header.begin(), header.end(),
                   [](char c) { return absl::ascii_isdigit(c); }) ||
      !absl::SimpleAtoi(header, &ms)) {
    api::FieldViolations v;
    v.Add("Connect-Timeout-Ms", "must be 1 to 10 digits (milliseconds)");
    return v.ToStatus();
  }
  *timeout = absl::Milliseconds(ms);
  return absl::OkStatus();
}

std::string ConnectCall::ClientRequestId() const {
  return request_.Header("x-request-id");
}

absl::Time ConnectCall::ClientDeadline() const {
  absl::Duration timeout;
  if (!ParseTimeout(request_.Header("connect-timeout-ms"), &timeout).ok() ||
      timeout == absl::InfiniteDuration()) {
    return absl::InfiniteFuture();  // checked (and refused) by the router
  }
  return request_.received + timeout;
}

absl::Status ConnectCall::DecodeRequest(google::protobuf::Message& request,
                                        size_t /*max_bytes*/) {
  // The listener's own limit: JSON is larger than the binary encoding that
  // limits.max_receive_message_bytes counts.
  if (request_.body_too_large) {
    return CheckRequestSize(request_.declared_body_bytes, max_body_bytes_);
  }
  RETURN_IF_ERROR(CheckRequestSize(request_.body.size(), max_body_bytes_));
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const google::protobuf::util::Status parsed =
      google::protobuf::util::JsonStringToMessage(request_.body, &request,
                                                  options);
  if (!parsed.ok()) {
    request.Clear();
    const std::string field = FieldOfParseError(
        absl::string_view(parsed.message().data(), parsed.message().size()));
    if (!field.empty()) {
      api::FieldViolations v;
      v.Add(field,
            "has a value of the wrong type, or is not a field of the "
            "request; the request was not decoded");
      return v.ToStatus();
    }
    if (!api::Utf8Length(request_.body).has_value()) {
      return absl::InvalidArgumentError(
          "the request body is not UTF-8 text; it was not decoded");
    }
    return absl::InvalidArgumentError(absl::StrCat(
        "the request body is not a ", request.GetDescriptor()->full_name(),
        " message in proto3 JSON (unknown fields are refused); it was not "
        "decoded"));
  }
  // The JSON parser does not check that strings are UTF-8: the binary
  // decoder does, and names the field.
  std::string bytes;
  request.SerializePartialToString(&bytes);
  return server::DecodeRequest(bytes, request);
}

absl::Status ConnectCall::EncodeResponse(
    const google::protobuf::Message& response) {
  response_json_.clear();
  const google::protobuf::util::Status encoded =
      google::protobuf::util::MessageToJsonString(response, &response_json_);
  if (encoded.ok()) return absl::OkStatus();
  return absl::InternalError("web: could not encode the response as JSON");
}

HttpResponse ConnectErrorResponse(const absl::Status& status,
                                  const std::string& request_id) {
  google::rpc::Status public_status = PublicStatus(status, request_id);
  HttpResponse response;
  response.status =
      ConnectHttpStatus(static_cast<absl::StatusCode>(public_status.code()));
  response.headers.emplace_back("Content-Type", kJson);
  if (!request_id.empty()) {
    response.headers.emplace_back("x-request-id", request_id);
  }
  response.body = ConnectErrorJson(public_status);
  return response;
}

void ConnectCall::Finish(const absl::Status& status,
                         const std::string& request_id) {
  if (!status.ok()) {
    HttpResponse response = ConnectErrorResponse(status, request_id);
    // A body left unread cannot be skipped on a kept-alive connection.
    response.close = request_.body_too_large;
    responder_->Respond(std::move(response));
    return;
  }
  HttpResponse response;
  response.status = 200;
  response.headers.emplace_back("Content-Type", kJson);
  response.headers.emplace_back("x-request-id", request_id);
  response.body = std::move(response_json_);
  responder_->Respond(std::move(response));
}

void ConnectCall::StartStream(const std::string& request_id, absl::Time,
                              internal::StreamCaller, internal::StreamNext,
                              internal::StreamHost*) {
  // The router sends server streams elsewhere; never a unary ConnectCall.
  Finish(absl::InternalError("web: a unary call started a stream"), request_id);
}

}  // namespace resguardo::server::web
