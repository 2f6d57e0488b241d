// The Connect protocol's form of an error (connectrpc.com/docs/protocol,
// "Error end-of-stream" and "Unary-Response"): the call core's public
// status (grpc_status.h PublicStatus: the same code, message and details a
// gRPC client gets) as a JSON body
//
//   {"code": "invalid_argument", "message": "...",
//    "details": [{"type": "google.rpc.BadRequest", "value": "<base64>",
//                 "debug": {"fieldViolations": [...]}}]}
//
// with the HTTP status of Connect's code mapping. Pure functions;
// thread-safe.
#ifndef RESGUARDO_SERVICES_SERVER_WEB_CONNECT_ERROR_H_
#define RESGUARDO_SERVICES_SERVER_WEB_CONNECT_ERROR_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/rpc/status.pb.h"

namespace resguardo::server::web {

// "invalid_argument", "canceled", ... ("unknown" for anything else).
absl::string_view ConnectCode(absl::StatusCode code);

// The HTTP status Connect maps `code` to (400, 403, 404, 409, 429, 499,
// 500, 501, 503, 504, 401).
int ConnectHttpStatus(absl::StatusCode code);

// The JSON error body of `status` (code not 0).
std::string ConnectErrorJson(const google::rpc::Status& status);

}  // namespace resguardo::server::web

#endif  // RESGUARDO_SERVICES_SERVER_WEB_CONNECT_ERROR_H_
