// DecodedService<Generated>: a gRPC service of the node whose unary methods
// gRPC hands to the call core as raw bytes, so that the call core decodes
// them (call_runner.h step 0, request_decoder.h). With gRPC's own typed
// handlers a request that does not parse (a string field that is not UTF-8)
// is answered UNIMPLEMENTED by gRPC 1.51's callback layer before any of the
// node's code runs: unlogged, unaudited, and telling the client that the
// method does not exist.
//
// A service derives from DecodedService<v1::X::CallbackService>, keeps its
// typed handlers (the generated virtual methods, which stay thin), and names
// each unary method once in its constructor:
//
//   CaseService::CaseService(CallRunner* runner, ...) {
//     Decode(runner, kCreateCase, &CaseService::CreateCase);
//     ...
//   }
//
// A method not named keeps gRPC's typed handler. Server-streaming methods
// keep gRPC's typed handler (see SECURITY.md §4.4).
//
// Thread safety: Decode runs in the constructor only; the handlers it
// installs are thread-safe. The CallRunner must outlive the gRPC server.
#ifndef RESGUARDO_SERVICES_SERVER_DECODED_SERVICE_H_
#define RESGUARDO_SERVICES_SERVER_DECODED_SERVICE_H_

#include <cstdio>
#include <cstdlib>
#include <string>

#include "google/protobuf/descriptor.h"
#include "grpcpp/impl/codegen/server_callback_handlers.h"
#include "grpcpp/support/byte_buffer.h"
#include "services/server/call_runner.h"

namespace resguardo::server {

template <typename Generated>
class DecodedService : public Generated {
 protected:
  // `full_method` is "/resguardo.v1.CaseService/CreateCase" (a string that
  // lives as long as the program); `handler` is the typed handler of that
  // method. Aborts if the service has no such method (a programming error,
  // found at the node's start).
  template <typename Self, typename Request, typename Response>
  void Decode(CallRunner* runner, const char* full_method,
              grpc::ServerUnaryReactor* (Self::*handler)(
                  grpc::CallbackServerContext*, const Request*, Response*)) {
    Self* self = static_cast<Self*>(this);
    this->MarkMethodRawCallback(
        MethodIndex(full_method, Request::descriptor()),
        new grpc::internal::CallbackUnaryHandler<grpc::ByteBuffer,
                                                 grpc::ByteBuffer>(
            [runner, self, handler, full_method](
                grpc::CallbackServerContext* context,
                const grpc::ByteBuffer* request, grpc::ByteBuffer* response) {
              return runner->Decode<Request, Response>(
                  context, full_method, request, response,
                  [self, handler](grpc::CallbackServerContext* c,
                                  const Request* q, Response* r) {
                    return (self->*handler)(c, q, r);
                  });
            }));
  }

 private:
  // The method's index in its service: gRPC's generated Service adds the
  // methods in the order of the .proto, which the descriptor keeps.
  static int MethodIndex(const char* full_method,
                         const google::protobuf::Descriptor* request) {
    std::string name(full_method);
    size_t slash = name.rfind('/');
    const google::protobuf::ServiceDescriptor* service =
        slash != std::string::npos && slash > 1
            ? google::protobuf::DescriptorPool::generated_pool()
                  ->FindServiceByName(name.substr(1, slash - 1))
            : nullptr;
    const google::protobuf::MethodDescriptor* method =
        service != nullptr ? service->FindMethodByName(name.substr(slash + 1))
                           : nullptr;
    if (method == nullptr || method->input_type() != request ||
        method->client_streaming() || method->server_streaming()) {
      std::fprintf(stderr, "DecodedService: no unary method %s\n", full_method);
      std::abort();
    }
    return method->index();
  }
};

}  // namespace resguardo::server

#endif  // RESGUARDO_SERVICES_SERVER_DECODED_SERVICE_H_
