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
// Thread safety: the services' handlers are thread-safe. The MethodTable
// must outlive the gRPC server.
#ifndef RESGUARDO_SERVICES_SERVER_GRPC_TRANSPORT_H_
#define RESGUARDO_SERVICES_SERVER_GRPC_TRANSPORT_H_

#include <memory>
#include <vector>

#include "grpcpp/impl/service_type.h"

namespace resguardo::server {

class MethodTable;

// One grpc::Service per service of `methods`, to register with the gRPC
// server builder.
std::vector<std::unique_ptr<grpc::Service>> GrpcServices(
    const MethodTable& methods);

}  // namespace resguardo::server

#endif  // RESGUARDO_SERVICES_SERVER_GRPC_TRANSPORT_H_
