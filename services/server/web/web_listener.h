// WebListener: the node's HTTPS listener for browsers and HTTP clients
// (NodeConfig web { }), beside the gRPC one and over the same call core.
//
// Boost.Beast on Boost.Asio (Debian 12 libboost1.81-dev): event-driven — a
// few threads (web.threads) run every connection's handshake, reads and
// writes as asynchronous operations, so that a slow or idle client, a
// keep-alive connection or a call waiting on the database holds no thread
// (calls run on the node's workers and writer, as over gRPC); and the node
// configures OpenSSL itself and reads the verified peer certificate.
//
// TLS: the node's own certificate and key and its client CA (tls { }),
// TLS 1.3 only (the process-wide floor of tls_policy.h, checked, and the
// context's own minimum), a client certificate required and verified at the
// handshake (a client without one, or with one of another CA, never sends
// a request). The caller is the certificate's SPIFFE URI SAN, handed to the
// call core exactly as gRPC's peer_spiffe_id is.
//
// Limits, each explicit (NodeConfig web): connections (one more is closed
// at once), header and body size (431 / resource_exhausted), handshake,
// read (a request's header and body must arrive in time: a client that
// never finishes its request is cut off and holds nothing), idle (between
// keep-alive requests), write timeouts, and requests per connection. A
// server stream's connection (internal/https_session.h) has no read or idle
// timeout while the stream lasts, only the write timeout and TCP keep-alive
// with gRPC's settings (limits.keepalive_time_seconds,
// keepalive_timeout_seconds), and closes when the stream ends.
//
// What it answers: request_router.h; with `metrics`, also GET /metrics,
// which it hands to the call core as any call (metrics_call.h). Every response
// carries Cache-Control: no-store, X-Content-Type-Options: nosniff,
// Referrer-Policy: no-referrer and Strict-Transport-Security, and never an
// Access-Control-* header.
//
// Thread safety: Start and Stop from one thread; the rest is internal.
#ifndef RESGUARDO_SERVICES_SERVER_WEB_WEB_LISTENER_H_
#define RESGUARDO_SERVICES_SERVER_WEB_WEB_LISTENER_H_

#include <functional>
#include <memory>

#include "absl/status/statusor.h"
#include "resguardo/config/v1/node_config.pb.h"
#include "services/server/call_context.h"

namespace resguardo::server {
class CallLog;
class MethodTable;
}  // namespace resguardo::server

namespace resguardo::server::web {

class WebListener {
 public:
  // Listens on config.web().listen_address and serves. `methods` and `log`
  // are borrowed and must outlive the listener. `metrics`, if set, serves
  // GET /metrics (the node's MetricsService::Serve). Errors name the field:
  // FAILED_PRECONDITION (TLS files, the TLS 1.3 floor), UNAVAILABLE
  // (cannot listen).
  static absl::StatusOr<std::unique_ptr<WebListener>> Start(
      const config::v1::NodeConfig& config, const MethodTable* methods,
      CallLog* log,
      std::function<void(std::unique_ptr<CallContext>)> metrics = nullptr);

  virtual ~WebListener() = default;

  // The port it listens on.
  virtual int port() const = 0;

  // Stops accepting and closes every connection; calls in flight finish
  // in the call core, their answers dropped. Idempotent. The listener
  // must outlive the calls it started (the node destroys it last).
  virtual void Stop() = 0;
};

}  // namespace resguardo::server::web

#endif  // RESGUARDO_SERVICES_SERVER_WEB_WEB_LISTENER_H_
