// The gRPC listener's side of every call (a thin adapter, DESIGN.md §2):
// builds, from the MethodTable (method_table.h), one grpc::Service per
// resguardo.v1 service whose methods gRPC hands over as raw bytes — unary
// and server-streaming alike — and hands each call to the call core as a
// CallContext (call_context.h) that reads gRPC's side of it:
//
//   - the peer: the auth context's peer_spiffe_id, which gRPC sets from the
//     client certificate it verified at the handshake (server_credentials.h);
//   - x-request-id metadata in, and the call's request id back as initial
//     metadata;
//   - the client's deadline and cancellation;
//   - the request's bytes, decoded by request_decoder.h (protobuf binary):
//     a request gRPC's typed handlers could not parse (a string field that
//     is not UTF-8) reaches the call core, which refuses, audits and logs it
//     (INVALID_ARGUMENT naming the field) instead of gRPC answering
//     UNIMPLEMENTED before the node sees it;
//   - the answer: the response's bytes and ToGrpcStatus (grpc_status.h).
//
// The services keep their names and methods, so server reflection lists
// them as before.
//
// The node's other gRPC services (grpc.health.v1.Health, server reflection:
// health_service.h, reflection_service.h) need no user and are not in the
// MethodTable; they too receive raw bytes, and hand each request to the
// call core through NewGrpcCall (CallRunner::DecodeOrRefuse), so that one
// that does not decode is refused, audited and logged the same way.
//
// Thread safety: the services' handlers are thread-safe. The MethodTable
// must outlive the gRPC server.
#ifndef RESGUARDO_SERVICES_SERVER_GRPC_TRANSPORT_H_
#define RESGUARDO_SERVICES_SERVER_GRPC_TRANSPORT_H_

#include <memory>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "grpcpp/impl/service_type.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/status.h"
#include "services/server/call_context.h"

namespace resguardo::server {

class MethodTable;

// One grpc::Service per service of `methods`, to register with the gRPC
// server builder.
std::vector<std::unique_ptr<grpc::Service>> GrpcServices(
    const MethodTable& methods);

// gRPC's side of one request of a service outside the MethodTable, for
// CallRunner::DecodeOrRefuse: reads the peer, x-request-id, the deadline
// and `request`'s bytes like the contexts of the MethodTable's services;
// its Finish ends the call through `finish` with the public status
// (ToGrpcStatus). It encodes no response: the service answers a decoded
// request itself. `context` and `request` must outlive it.
std::unique_ptr<CallContext> NewGrpcCall(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    absl::AnyInvocable<void(grpc::Status)> finish);

}  // namespace resguardo::server

#endif  // RESGUARDO_SERVICES_SERVER_GRPC_TRANSPORT_H_
