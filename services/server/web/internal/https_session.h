// HttpsSession: one TLS connection of the web listener (web_listener.h),
// with Boost.Beast: the handshake, then requests one at a time (no
// pipelining), each read with the listener's limits and timeouts, handed to
// the RequestRouter, and answered (with the security headers every answer
// carries) once its call finishes, on the connection's strand.
//
// A server stream's answer (Responder::StartStream) is a chunked body
// written as the stream sends, each write within the write timeout; while
// it lasts no read or idle timeout applies (a quiet stream is healthy), the
// connection is read only to learn that the client left, and TCP
// keep-alive probes it as gRPC pings its connections (limits.
// keepalive_time_seconds, then keepalive_timeout_seconds for the answer).
// The connection closes when the stream ends.
//
// Thread safety: every operation of a session runs on its strand; Respond
// (from any thread) posts to it.
#ifndef RESGUARDO_SERVICES_SERVER_WEB_INTERNAL_HTTPS_SESSION_H_
#define RESGUARDO_SERVICES_SERVER_WEB_INTERNAL_HTTPS_SESSION_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "boost/asio/ip/tcp.hpp"
#include "boost/asio/ssl/context.hpp"
#include "services/server/web/request_router.h"

namespace resguardo::server::web::internal {

struct SessionLimits {
  size_t max_header_bytes = 16 * 1024;
  size_t max_body_bytes = 4 << 20;
  int handshake_timeout_seconds = 10;
  int read_timeout_seconds = 30;
  int idle_timeout_seconds = 60;
  int write_timeout_seconds = 30;
  uint32_t max_requests_per_connection = 1000;
  // A streaming connection idle this long is probed; closed when the probe
  // is not answered within the timeout (TCP keep-alive).
  int keepalive_time_seconds = 7200;
  int keepalive_timeout_seconds = 20;
};

// Starts serving `socket` (already accepted, on its own strand).
// `open_connections` counts the session until it ends; `router` and `tls`
// must outlive it (the listener keeps them until its io_context is gone).
void StartHttpsSession(boost::asio::ip::tcp::socket socket,
                       boost::asio::ssl::context& tls,
                       const SessionLimits& limits, const RequestRouter* router,
                       std::shared_ptr<std::atomic<int>> open_connections);

}  // namespace resguardo::server::web::internal

#endif  // RESGUARDO_SERVICES_SERVER_WEB_INTERNAL_HTTPS_SESSION_H_
