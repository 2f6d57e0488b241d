// ConnectCall: the web listener's side of one call of the Connect protocol
// (JSON), handed to the call core as its CallContext (call_context.h): a
// unary call (application/json) or a server stream's (application/
// connect+json, connect_stream.h). It reads:
//   - the peer: the client certificate the connection's TLS handshake
//     verified (no header, cookie or token can name or change the caller);
//   - x-request-id, and Connect-Timeout-Ms as the client's deadline;
//   - the body, proto3 JSON (protobuf's JsonStringToMessage, unknown fields
//     refused), re-checked as the binary decoder checks gRPC's bytes so that
//     a string that is not UTF-8 is refused naming its field;
// and answers 200 with the response as JSON (json_encoder.h, what
// MessageToJsonString would write), or the Connect error of the call
// core's public status (connect_error.h), with x-request-id.
//
// A server stream's request body is one envelope (connect_envelope.h)
// around the JSON; a Connect-Content-Encoding other than identity is
// UNIMPLEMENTED (the node compresses nothing), a message flagged compressed
// or an envelope that is not exactly the body INVALID_ARGUMENT — refused by
// the call core like any request that does not decode (audited, logged).
// Its answer is always 200 application/connect+json: a refusal before the
// stream starts is its end-of-stream message with the error; once admitted
// the stream goes on in a ConnectStream.
//
// Refusals of the body never repeat it: a body that is not JSON, or not
// the method's request, is INVALID_ARGUMENT naming the field where the
// parser says which and it is a field of the request (its path in the
// request's own field names, never a key or value of the client's), the
// message type otherwise; a body over the listener's limit is
// RESOURCE_EXHAUSTED.
//
// Thread safety: as CallContext.
#ifndef RESGUARDO_SERVICES_SERVER_WEB_CONNECT_CALL_H_
#define RESGUARDO_SERVICES_SERVER_WEB_CONNECT_CALL_H_

#include <cstddef>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "services/server/call_context.h"
#include "services/server/web/http_exchange.h"

namespace resguardo::server::web {

class ConnectCall final : public CallContext {
 public:
  // `responder` outlives the call (the connection keeps it until it has
  // answered). `max_body_bytes` is the listener's limit. `method` is the
  // full method name; `stream` whether it is a server stream.
  ConnectCall(HttpRequest request, std::shared_ptr<Responder> responder,
              size_t max_body_bytes, std::string method, bool stream);

  // The Connect-Timeout-Ms header: at most 10 digits (Connect's rule);
  // absent: no deadline. INVALID_ARGUMENT otherwise.
  static absl::Status ParseTimeout(absl::string_view header,
                                   absl::Duration* timeout);

  v1::Transport transport() const override {
    return v1::TRANSPORT_CONNECT_JSON;
  }
  std::string ClientRequestId() const override;
  std::string AcceptLanguage() const override;
  absl::Time ClientDeadline() const override;
  bool IsCancelled() const override { return responder_->closed(); }
  VerifiedPeer Peer() const override { return responder_->peer(); }
  void SetRequestId(const std::string& request_id) override {
    request_id_ = request_id;
  }
  absl::Status DecodeRequest(google::protobuf::Message& request,
                             size_t max_bytes) override;
  absl::Status EncodeResponse(
      const google::protobuf::Message& response) override;
  void Finish(const google::rpc::Status& answer,
              const std::string& request_id) override;
  void StartStream(const std::string& request_id, absl::Time start,
                   internal::StreamCaller caller, internal::StreamNext next,
                   internal::StreamHost* host) override;

 private:
  const HttpRequest request_;
  const std::shared_ptr<Responder> responder_;
  const size_t max_body_bytes_;
  const std::string method_;
  const bool stream_;
  std::string request_id_;
  std::string response_json_;
};

// The request body as proto3 JSON of `request`'s type (unknown fields
// refused), checked as the binary decoder checks gRPC's bytes. The refusals
// of the header comment.
absl::Status DecodeJsonRequest(absl::string_view json,
                               google::protobuf::Message& request);

// The Connect error response of `answer` (a public status, code not 0),
// with x-request-id.
HttpResponse ConnectErrorResponse(const google::rpc::Status& answer,
                                  const std::string& request_id);

}  // namespace resguardo::server::web

#endif  // RESGUARDO_SERVICES_SERVER_WEB_CONNECT_CALL_H_
