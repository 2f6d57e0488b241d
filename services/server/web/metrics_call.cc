#include "services/server/web/metrics_call.h"

#include <utility>

#include "google/protobuf/wrappers.pb.h"
#include "services/server/grpc_status.h"
#include "services/server/web/connect_call.h"

namespace resguardo::server::web {

absl::Status MetricsCall::DecodeRequest(google::protobuf::Message& /*request*/,
                                        size_t /*max_bytes*/) {
  if (request_.body_too_large || !request_.body.empty()) {
    return absl::InvalidArgumentError("GET /metrics takes no body");
  }
  return absl::OkStatus();
}

absl::Status MetricsCall::EncodeResponse(
    const google::protobuf::Message& response) {
  const auto* text =
      google::protobuf::DynamicCastToGenerated<google::protobuf::StringValue>(
          &response);
  if (text == nullptr) {
    return absl::InternalError("web: /metrics answered with no exposition");
  }
  exposition_ = text->value();
  return absl::OkStatus();
}

void MetricsCall::Finish(const google::rpc::Status& answer,
                         const std::string& request_id) {
  if (answer.code() != 0) {
    HttpResponse response = ConnectErrorResponse(answer, request_id);
    response.close = request_.body_too_large;
    responder_->Respond(std::move(response));
    return;
  }
  HttpResponse response;
  response.status = 200;
  response.headers.emplace_back("Content-Type",
                                "text/plain; version=0.0.4; charset=utf-8");
  response.headers.emplace_back("x-request-id", request_id);
  response.body = std::move(exposition_);
  responder_->Respond(std::move(response));
}

void MetricsCall::StartStream(const std::string& request_id,
                              absl::Time /*start*/,
                              internal::StreamCaller caller,
                              internal::StreamNext /*next*/,
                              internal::StreamHost* /*host*/) {
  // The metrics are unary: never reached.
  Finish(PublicStatus(absl::InternalError("web: /metrics started a stream"),
                      request_id, caller.language),
         request_id);
}

}  // namespace resguardo::server::web
