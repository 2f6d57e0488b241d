// MetricsCall: the web listener's side of one GET /metrics, handed to the
// call core as its CallContext (call_context.h), so that a scrape is a
// call like any other: the client certificate the connection's TLS
// handshake verified is the caller, authenticated and authorized (the
// monitor role alone: auth/access_policy.h), audited (transport
// TRANSPORT_HTTPS) and logged by the call core. It reads x-request-id and
// accept-language; a scrape has no deadline of its own (the node's
// default) and no body (one is INVALID_ARGUMENT). It answers 200 with the
// exposition as text/plain; version=0.0.4 (the response is a
// google.protobuf.StringValue holding it), or the call core's public
// status as a Connect JSON error with the matching HTTP status (401, 403,
// 429, 503...), with x-request-id.
//
// Thread safety: as CallContext.
#ifndef RESGUARDO_SERVICES_SERVER_WEB_METRICS_CALL_H_
#define RESGUARDO_SERVICES_SERVER_WEB_METRICS_CALL_H_

#include <cstddef>
#include <memory>
#include <string>

#include "services/server/call_context.h"
#include "services/server/web/http_exchange.h"

namespace resguardo::server::web {

// The path the node serves its metrics on.
inline constexpr char kMetricsPath[] = "/metrics";

class MetricsCall final : public CallContext {
 public:
  // `responder` outlives the call (the connection keeps it until it has
  // answered).
  MetricsCall(HttpRequest request, std::shared_ptr<Responder> responder)
      : request_(std::move(request)), responder_(std::move(responder)) {}

  v1::Transport transport() const override { return v1::TRANSPORT_HTTPS; }
  std::string ClientRequestId() const override {
    return request_.Header("x-request-id");
  }
  std::string AcceptLanguage() const override {
    return request_.Header("accept-language");
  }
  absl::Time ClientDeadline() const override { return absl::InfiniteFuture(); }
  bool IsCancelled() const override { return responder_->closed(); }
  VerifiedPeer Peer() const override { return responder_->peer(); }
  void SetRequestId(const std::string& /*request_id*/) override {}
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
  std::string exposition_;
};

}  // namespace resguardo::server::web

#endif  // RESGUARDO_SERVICES_SERVER_WEB_METRICS_CALL_H_
