// HttpRequest, HttpResponse and Responder: one request of the web listener
// and its answer, as plain values, so that what decides the answer (the
// router, the Connect adapter, static files) does not depend on the HTTP
// library (Boost.Beast stays in internal/http_session.cc).
//
// Thread safety: a Responder's methods may be called from any thread:
// Respond once per request, or StartStream once and then Send and EndStream.
#ifndef RESGUARDO_SERVICES_SERVER_WEB_HTTP_EXCHANGE_H_
#define RESGUARDO_SERVICES_SERVER_WEB_HTTP_EXCHANGE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/server/call_context.h"

namespace resguardo::server::web {

struct HttpRequest {
  std::string method;  // "POST", "GET", ...
  std::string target;  // as sent: path and maybe "?query"
  // Header names in lower case; a repeated header keeps its first value.
  std::map<std::string, std::string> headers;
  std::string body;
  // The body was larger than the listener accepts and was not read; its
  // declared length is `declared_body_bytes`.
  bool body_too_large = false;
  uint64_t declared_body_bytes = 0;
  // When the request's header arrived.
  absl::Time received;

  // The header's value, or "" (`name` in lower case).
  std::string Header(absl::string_view name) const {
    auto it = headers.find(std::string(name));
    return it == headers.end() ? "" : it->second;
  }
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // Close the connection after this answer (an unread body, a refusal the
  // client may repeat on a broken connection).
  bool close = false;
};

// The connection's side of one request: its verified peer and where its
// answer goes.
class Responder {
 public:
  virtual ~Responder() = default;
  // The peer the connection's TLS handshake verified.
  virtual const VerifiedPeer& peer() const = 0;
  // Whether the connection has closed (the client left, a timeout).
  virtual bool closed() const = 0;
  // Sends `response` (with the listener's security headers added). Once.
  virtual void Respond(HttpResponse response) = 0;

  // A streamed answer instead of Respond: sends `head` (its status and
  // headers, with the security headers; its body is ignored) with a chunked
  // body that Send and EndStream fill, and watches the connection, which
  // nothing else reads meanwhile: `gone` is called once, on the
  // connection's thread, if the client closes it or a write fails or times
  // out before EndStream. The connection closes after the stream.
  virtual void StartStream(HttpResponse head,
                           absl::AnyInvocable<void()> gone) = 0;
  // Sends `bytes` as the next part of the body; `written(ok)` once they
  // have been written (or not: the connection is gone).
  virtual void Send(std::string bytes,
                    absl::AnyInvocable<void(bool ok)> written) = 0;
  // Sends `bytes` as the last part of the body, ends the answer and closes
  // the connection. Once; nothing is sent after it.
  virtual void EndStream(std::string bytes) = 0;
};

}  // namespace resguardo::server::web

#endif  // RESGUARDO_SERVICES_SERVER_WEB_HTTP_EXCHANGE_H_
