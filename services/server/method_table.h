// MethodTable: every method of the node's own services (resguardo.v1), by
// full name, with the handler the call core runs for it. The node's
// services register their handlers in it once, at start; each transport
// serves what it finds there, by the proto descriptors, with no route of its
// own per method: the gRPC listener builds its services from it
// (grpc_transport.h), the web listener looks a request's path up in it
// (web/connect_handler.h). A method added to a .proto and to its service's
// handlers is served by both.
//
//   CaseService::CaseService(CallRunner* runner, MethodTable* methods, ...) {
//     methods->Unary(kCreateCase, this, &CaseService::CreateCase);
//   }
//   void CaseService::CreateCase(CallRunner::Handle call,
//                                const v1::CreateCaseRequest* request,
//                                v1::Case* response) {
//     runner_->Write(std::move(call), {request->parent()}, response, ...);
//   }
//
// Thread safety: Unary, ServerStream and CheckComplete run at start only,
// before any transport serves; Find, services() and Serve are thread-safe.
#ifndef RESGUARDO_SERVICES_SERVER_METHOD_TABLE_H_
#define RESGUARDO_SERVICES_SERVER_METHOD_TABLE_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "services/server/call_context.h"
#include "services/server/call_runner.h"

namespace resguardo::server {

class MethodTable {
 public:
  struct Method {
    const google::protobuf::MethodDescriptor* descriptor = nullptr;
    // "/resguardo.v1.CaseService/GetCase"; lives as long as the table.
    std::string full_name;
    // Runs one call of the method; the call core takes the context.
    std::function<void(std::unique_ptr<CallContext>)> serve;
  };

  explicit MethodTable(CallRunner* runner) : runner_(runner) {}
  MethodTable(const MethodTable&) = delete;
  MethodTable& operator=(const MethodTable&) = delete;

  // Registers `handler` of `self` for the unary method `full_method`.
  // Aborts if the node's descriptors have no such unary method with this
  // request type, or it is registered twice (programming errors, found at
  // the node's start).
  template <typename Self, typename Request, typename Response>
  void Unary(const char* full_method, Self* self,
             void (Self::*handler)(CallRunner::Handle, const Request*,
                                   Response*)) {
    CallRunner* runner = runner_;
    std::string name(full_method);
    Add(name, Request::descriptor(), Response::descriptor(),
        /*streaming=*/false,
        [runner, name,
         fn = [self, handler](CallRunner::Handle call, const Request* request,
                              Response* response) {
           (self->*handler)(std::move(call), request, response);
         }](std::unique_ptr<CallContext> context) mutable {
          runner->ServeUnary<Request, Response>(std::move(context), name, fn);
        });
  }

  // As Unary for a server-streaming method.
  template <typename Self, typename Request, typename Response>
  void ServerStream(const char* full_method, Self* self,
                    void (Self::*handler)(CallRunner::Handle, const Request*),
                    const Response* /*type tag*/ = nullptr) {
    CallRunner* runner = runner_;
    std::string name(full_method);
    Add(name, Request::descriptor(), Response::descriptor(),
        /*streaming=*/true,
        [runner, name,
         fn = [self, handler](CallRunner::Handle call, const Request* request) {
           (self->*handler)(std::move(call), request);
         }](std::unique_ptr<CallContext> context) mutable {
          runner->ServeStream<Request>(std::move(context), name, fn);
        });
  }

  // Aborts unless every method of every service that has a handler has
  // one (a method added to a .proto and not to its service).
  void CheckComplete() const;

  // The method, or null when the node does not serve it.
  const Method* Find(absl::string_view full_name) const;

  // The services with handlers, each once, in the order first registered;
  // and their methods in the .proto's order.
  const std::vector<const google::protobuf::ServiceDescriptor*>& services()
      const {
    return services_;
  }

 private:
  void Add(const std::string& full_name,
           const google::protobuf::Descriptor* request,
           const google::protobuf::Descriptor* response, bool streaming,
           std::function<void(std::unique_ptr<CallContext>)> serve);

  CallRunner* const runner_;
  std::map<std::string, Method, std::less<>> methods_;
  std::vector<const google::protobuf::ServiceDescriptor*> services_;
};

}  // namespace resguardo::server

#endif  // RESGUARDO_SERVICES_SERVER_METHOD_TABLE_H_
