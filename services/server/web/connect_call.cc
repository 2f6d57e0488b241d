#include "services/server/web/connect_call.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "base/status_macros.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/json_util.h"
#include "services/api/error_catalogue.h"
#include "services/api/field_violations.h"
#include "services/api/text_rules.h"
#include "services/server/grpc_status.h"
#include "services/server/request_decoder.h"
#include "services/server/web/connect_envelope.h"
#include "services/server/web/connect_error.h"
#include "services/server/web/connect_stream.h"
#include "services/server/web/json_encoder.h"

namespace resguardo::server::web {
namespace {

constexpr char kJson[] = "application/json";
constexpr char kConnectJson[] = "application/connect+json";

// The field path protobuf's JSON parser names in its error, if it names
// one ("(case_record.descriptors) risk_level: ..." or "risk_level: ..."),
// as the request's own field names (snake_case, as gRPC's violations), and
// only when every part is a field of `type`: the client's own text (an
// unknown key, a value) is never repeated. "" otherwise.
std::string FieldOfParseError(absl::string_view message,
                              const google::protobuf::Descriptor& type) {
  std::vector<std::string> parts;
  absl::string_view rest = message;
  if (absl::ConsumePrefix(&rest, "(")) {
    const size_t close = rest.find(')');
    if (close == absl::string_view::npos) return "";
    for (absl::string_view part : absl::StrSplit(rest.substr(0, close), '.')) {
      parts.emplace_back(part);
    }
    rest.remove_prefix(close + 1);
    absl::ConsumePrefix(&rest, " ");
  }
  const size_t colon = rest.find(':');
  if (colon != absl::string_view::npos && colon > 0 && colon <= 64) {
    parts.emplace_back(rest.substr(0, colon));
  }
  if (parts.empty() || parts.size() > 16) return "";
  const google::protobuf::Descriptor* current = &type;
  std::vector<std::string> names;
  for (const std::string& part : parts) {
    if (current == nullptr) return "";
    const google::protobuf::FieldDescriptor* field =
        current->FindFieldByName(part);
    if (field == nullptr) field = current->FindFieldByCamelcaseName(part);
    if (field == nullptr) {
      for (int i = 0; i < current->field_count(); ++i) {
        if (current->field(i)->json_name() == part) field = current->field(i);
      }
    }
    if (field == nullptr) return "";
    names.push_back(field->name());
    current = field->message_type();
  }
  return absl::StrJoin(names, ".");
}

}  // namespace

ConnectCall::ConnectCall(HttpRequest request,
                         std::shared_ptr<Responder> responder,
                         size_t max_body_bytes, std::string method, bool stream)
    : request_(std::move(request)),
      responder_(std::move(responder)),
      max_body_bytes_(max_body_bytes),
      method_(std::move(method)),
      stream_(stream) {}

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
    v.Add("Connect-Timeout-Ms", {api::ErrorId::kTimeoutHeader, {10}});
    return v.ToStatus();
  }
  *timeout = absl::Milliseconds(ms);
  return absl::OkStatus();
}

std::string ConnectCall::ClientRequestId() const {
  return request_.Header("x-request-id");
}

std::string ConnectCall::AcceptLanguage() const {
  return request_.Header("accept-language");
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
  if (!stream_) return DecodeJsonRequest(request_.body, request);
  const std::string encoding =
      absl::AsciiStrToLower(request_.Header("connect-content-encoding"));
  if (!encoding.empty() && encoding != "identity") {
    return api::WithErrorText(
        absl::UnimplementedError(
            "Connect-Content-Encoding: the node supports no compression "
            "(identity only); send the message uncompressed"),
        api::ErrorId::kCompressionNotAccepted);
  }
  absl::StatusOr<absl::string_view> message =
      SingleEnvelopeMessage(request_.body);
  if (!message.ok()) return message.status();
  return DecodeJsonRequest(*message, request);
}

absl::Status DecodeJsonRequest(absl::string_view json,
                               google::protobuf::Message& request) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const google::protobuf::util::Status parsed =
      google::protobuf::util::JsonStringToMessage(
          google::protobuf::StringPiece(json.data(), json.size()), &request,
          options);
  if (!parsed.ok()) {
    request.Clear();
    const std::string field = FieldOfParseError(
        absl::string_view(parsed.message().data(), parsed.message().size()),
        *request.GetDescriptor());
    if (!field.empty()) {
      api::FieldViolations v;
      v.Add(field, api::ErrorId::kWrongJsonType);
      return v.ToStatus();
    }
    if (!api::Utf8Length(json).has_value()) {
      return api::WithErrorText(
          absl::InvalidArgumentError(
              "the request body is not UTF-8 text; it was not decoded"),
          api::ErrorId::kRequestNotDecoded);
    }
    return api::WithErrorText(
        absl::InvalidArgumentError(absl::StrCat(
            "the request body is not a ", request.GetDescriptor()->full_name(),
            " message in proto3 JSON (unknown fields are refused); it was not "
            "decoded")),
        api::ErrorId::kRequestNotDecoded);
  }
  // The JSON parser does not check that strings are UTF-8: the binary
  // decoder does, and names the field.
  std::string bytes;
  request.SerializePartialToString(&bytes);
  return server::DecodeRequest(bytes, request);
}

absl::Status ConnectCall::EncodeResponse(
    const google::protobuf::Message& response) {
  if (stream_) return absl::OkStatus();  // each message as it is sent
  return EncodeJson(response, &response_json_);
}

HttpResponse ConnectErrorResponse(const google::rpc::Status& answer,
                                  const std::string& request_id) {
  HttpResponse response;
  response.status =
      ConnectHttpStatus(static_cast<absl::StatusCode>(answer.code()));
  response.headers.emplace_back("Content-Type", kJson);
  if (!request_id.empty()) {
    response.headers.emplace_back("x-request-id", request_id);
  }
  response.body = ConnectErrorJson(answer);
  return response;
}

void ConnectCall::Finish(const google::rpc::Status& answer,
                         const std::string& request_id) {
  if (stream_) {
    // Refused before it started: a stream's answer is 200 and its error
    // (the same public status a unary call's error carries) travels in the
    // end-of-stream message.
    HttpResponse response;
    response.status = 200;
    response.headers.emplace_back("Content-Type", kConnectJson);
    response.headers.emplace_back("x-request-id", request_id);
    response.body = EndOfStream(answer);
    response.close = request_.body_too_large;
    responder_->Respond(std::move(response));
    return;
  }
  if (answer.code() != 0) {
    HttpResponse response = ConnectErrorResponse(answer, request_id);
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

void ConnectCall::StartStream(const std::string& request_id, absl::Time start,
                              internal::StreamCaller caller,
                              internal::StreamNext next,
                              internal::StreamHost* host) {
  if (!stream_) {
    // MethodTable checks the kinds: a unary method never starts a stream.
    Finish(
        PublicStatus(absl::InternalError("web: a unary call started a stream"),
                     request_id, caller.language),
        request_id);
    return;
  }
  std::make_shared<ConnectStream>(method_, responder_, ClientDeadline())
      ->Start(request_id, start, std::move(caller), std::move(next), host);
}

}  // namespace resguardo::server::web
