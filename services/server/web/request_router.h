// RequestRouter: what the web listener answers to each request, before any
// call runs — the browser defences — and where a request goes.
//
//   - An API path is "/<package>.<Service>/<Method>" (two segments, a '.'
//     in the first and none in the second). It must be a POST with Content-Type
//     application/json (unary; application/connect+json for a server stream)
//     and a Connect-Protocol-Version: 1 header: a cross-site form or fetch
//     cannot send these without a CORS preflight, and the listener answers no
//     preflight (OPTIONS is 405) and sends no Access-Control-* header. A
//     method the node serves (MethodTable, looked up by the path: no route
//     per method) goes to the call core as a ConnectCall; anything else is
//     refused with a Connect error (405, 415, 400, 404) and one log line
//     with fixed fields (the path is not logged: it is the client's text).
//   - "/metrics" (when the node serves its metrics): GET only, no body; it
//     goes to the call core as a MetricsCall (metrics_call.h), where it is
//     authenticated, authorized (the monitor role alone), audited and
//     logged as any call; the query string is ignored.
//   - Any other path is a static file (static_files.h): GET or HEAD only.
//
// Thread safety: thread-safe.
#ifndef RESGUARDO_SERVICES_SERVER_WEB_REQUEST_ROUTER_H_
#define RESGUARDO_SERVICES_SERVER_WEB_REQUEST_ROUTER_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <utility>

#include "services/server/call_log.h"
#include "services/server/method_table.h"
#include "services/server/web/http_exchange.h"
#include "services/server/web/static_files.h"

namespace resguardo::server::web {

class RequestRouter {
 public:
  // Runs one call of a method outside the method table.
  using Serve = std::function<void(std::unique_ptr<CallContext>)>;

  // Borrows `methods` and `log`, which must outlive the router. `metrics`
  // serves GET /metrics; unset, /metrics is a static path like any other.
  RequestRouter(const MethodTable* methods, CallLog* log,
                const StaticFiles* files, size_t max_body_bytes,
                Serve metrics = nullptr)
      : methods_(methods),
        log_(log),
        files_(files),
        max_body_bytes_(max_body_bytes),
        metrics_(std::move(metrics)) {}

  // Answers `request` through `responder`, now or once its call finishes.
  void Handle(HttpRequest request, std::shared_ptr<Responder> responder) const;

  // Refuses a request whose body is over twice the listener's limit, before
  // it is read (resource_exhausted, logged; the connection closes), in the
  // language of its Accept-Language header.
  void RefuseTooLarge(std::shared_ptr<Responder> responder,
                      absl::string_view accept_language) const;

 private:
  // A refusal before any call (so before the call core reads the caller's
  // language): a Connect error in the language of `accept_language`,
  // logged.
  void Refuse(Responder& responder, int http_status, absl::Status status,
              const char* reason, bool close,
              absl::string_view accept_language) const;

  const MethodTable* const methods_;
  CallLog* const log_;
  const StaticFiles* const files_;
  const size_t max_body_bytes_;
  const Serve metrics_;
};

}  // namespace resguardo::server::web

#endif  // RESGUARDO_SERVICES_SERVER_WEB_REQUEST_ROUTER_H_
