#include "services/server/grpc_transport.h"

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "grpcpp/impl/codegen/proto_utils.h"
#include "grpcpp/impl/codegen/server_callback_handlers.h"
#include "grpcpp/security/auth_context.h"
#include "grpcpp/support/byte_buffer.h"
#include "services/api/error_catalogue.h"
#include "services/server/call_context.h"
#include "services/server/grpc_status.h"
#include "services/server/internal/stream_reactor.h"
#include "services/server/method_table.h"
#include "services/server/request_decoder.h"

namespace resguardo::server {
namespace {

constexpr char kRequestIdKey[] = "x-request-id";
constexpr char kAcceptLanguageKey[] = "accept-language";
constexpr char kSpiffeIdProperty[] = "peer_spiffe_id";

// What the unary and the streaming contexts share: gRPC's side of a call.
class GrpcCall : public CallContext {
 public:
  GrpcCall(grpc::CallbackServerContext* context,
           const grpc::ByteBuffer* request)
      : context_(context), request_(request) {}

  v1::Transport transport() const override { return v1::TRANSPORT_GRPC; }

  std::string ClientRequestId() const override {
    return Metadata(kRequestIdKey);
  }

  std::string AcceptLanguage() const override {
    return Metadata(kAcceptLanguageKey);
  }

  absl::Time ClientDeadline() const override {
    if (context_->deadline() == std::chrono::system_clock::time_point::max()) {
      return absl::InfiniteFuture();
    }
    return absl::FromChrono(context_->deadline());
  }

  bool IsCancelled() const override { return context_->IsCancelled(); }

  VerifiedPeer Peer() const override {
    VerifiedPeer peer;
    std::shared_ptr<const grpc::AuthContext> auth = context_->auth_context();
    if (auth == nullptr || !auth->IsPeerAuthenticated()) return peer;
    peer.authenticated = true;
    for (const grpc::string_ref& id :
         auth->FindPropertyValues(kSpiffeIdProperty)) {
      peer.spiffe_ids.emplace_back(id.data(), id.size());
    }
    return peer;
  }

  void SetRequestId(const std::string& request_id) override {
    context_->AddInitialMetadata(kRequestIdKey, request_id);
  }

  absl::Status DecodeRequest(google::protobuf::Message& request,
                             size_t max_bytes) override {
    if (request_ == nullptr || !request_->Valid()) {
      return api::WithErrorText(
          absl::InvalidArgumentError(
              "the call carries no request message; it was not decoded"),
          api::ErrorId::kRequestNotDecoded);
    }
    absl::Status size = CheckRequestSize(request_->Length(), max_bytes);
    if (!size.ok()) return size;
    grpc::Slice slice;
    if (!request_->TrySingleSlice(&slice).ok() &&
        !request_->DumpToSingleSlice(&slice).ok()) {
      return absl::InternalError(
          "server: could not gather the request's bytes");
    }
    return server::DecodeRequest(
        absl::string_view(reinterpret_cast<const char*>(slice.begin()),
                          slice.size()),
        request);
  }

 protected:
  // The first value of a client metadata key ("" when absent).
  std::string Metadata(const char* key) const {
    const auto& metadata = context_->client_metadata();
    auto it = metadata.find(key);
    if (it == metadata.end()) return "";
    return std::string(it->second.data(), it->second.size());
  }

  grpc::CallbackServerContext* const context_;
  const grpc::ByteBuffer* const request_;
};

class GrpcUnaryCall final : public GrpcCall {
 public:
  GrpcUnaryCall(grpc::CallbackServerContext* context,
                const grpc::ByteBuffer* request, grpc::ByteBuffer* response)
      : GrpcCall(context, request),
        reactor_(context->DefaultReactor()),
        response_(response) {}

  grpc::ServerUnaryReactor* reactor() const { return reactor_; }

  absl::Status EncodeResponse(
      const google::protobuf::Message& response) override {
    bool own_buffer = false;
    grpc::Status encoded =
        grpc::SerializationTraits<google::protobuf::Message>::Serialize(
            response, response_, &own_buffer);
    if (encoded.ok()) return absl::OkStatus();
    return absl::InternalError(absl::StrCat(
        "server: could not encode the response: ", encoded.error_message()));
  }

  void Finish(const google::rpc::Status& answer, const std::string&) override {
    reactor_->Finish(ToGrpcStatus(answer));
  }

  void StartStream(const std::string&, absl::Time, internal::StreamCaller,
                   internal::StreamNext, internal::StreamHost*) override {
    // A unary method never starts a stream (MethodTable checks the kinds).
    reactor_->Finish(grpc::Status(grpc::StatusCode::INTERNAL,
                                  "server: a unary call started a stream"));
  }

 private:
  grpc::ServerUnaryReactor* const reactor_;
  grpc::ByteBuffer* const response_;
};

class GrpcStreamCall final : public GrpcCall {
 public:
  GrpcStreamCall(grpc::CallbackServerContext* context,
                 const grpc::ByteBuffer* request,
                 internal::StreamReactor* reactor)
      : GrpcCall(context, request), reactor_(reactor) {}

  absl::Status EncodeResponse(const google::protobuf::Message&) override {
    return absl::OkStatus();  // each message is encoded as it is written
  }

  void Finish(const google::rpc::Status& answer,
              const std::string& request_id) override {
    reactor_->Refused(ToGrpcStatus(answer), request_id, absl::Time(),
                      static_cast<absl::StatusCode>(answer.code()));
  }

  void StartStream(const std::string& request_id, absl::Time start,
                   internal::StreamCaller caller, internal::StreamNext next,
                   internal::StreamHost* host) override {
    reactor_->Started(request_id, start, std::move(caller), std::move(next),
                      host);
  }

 private:
  internal::StreamReactor* const reactor_;
};

// A request of a service outside the MethodTable (NewGrpcCall).
class GrpcOwnCall final : public GrpcCall {
 public:
  GrpcOwnCall(grpc::CallbackServerContext* context,
              const grpc::ByteBuffer* request,
              absl::AnyInvocable<void(grpc::Status)> finish)
      : GrpcCall(context, request), finish_(std::move(finish)) {}

  absl::Status EncodeResponse(const google::protobuf::Message&) override {
    return absl::OkStatus();  // the service answers by itself
  }

  void Finish(const google::rpc::Status& answer, const std::string&) override {
    finish_(ToGrpcStatus(answer));
  }

  void StartStream(const std::string&, absl::Time, internal::StreamCaller,
                   internal::StreamNext, internal::StreamHost*) override {
    finish_(grpc::Status(grpc::StatusCode::INTERNAL,
                         "server: a service of its own started a stream"));
  }

 private:
  absl::AnyInvocable<void(grpc::Status)> finish_;
};

// A resguardo.v1 service whose every method is a raw callback.
class RawService final : public grpc::Service {
 public:
  RawService(const google::protobuf::ServiceDescriptor& service,
             const MethodTable& methods) {
    for (int i = 0; i < service.method_count(); ++i) {
      const MethodTable::Method* method = methods.Find(absl::StrCat(
          "/", service.full_name(), "/", service.method(i)->name()));
      // MethodTable::CheckComplete has checked that there is one.
      const bool streaming = method->descriptor->server_streaming();
      AddMethod(new grpc::internal::RpcServiceMethod(
          method->full_name.c_str(),
          streaming ? grpc::internal::RpcMethod::SERVER_STREAMING
                    : grpc::internal::RpcMethod::NORMAL_RPC,
          nullptr));
      if (streaming) {
        MarkMethodRawCallback(
            i, new grpc::internal::CallbackServerStreamingHandler<
                   grpc::ByteBuffer, grpc::ByteBuffer>(
                   [method](grpc::CallbackServerContext* context,
                            const grpc::ByteBuffer* request) {
                     auto* reactor =
                         new internal::StreamReactor(method->full_name);
                     method->serve(std::make_unique<GrpcStreamCall>(
                         context, request, reactor));
                     return reactor;
                   }));
      } else {
        MarkMethodRawCallback(
            i, new grpc::internal::CallbackUnaryHandler<grpc::ByteBuffer,
                                                        grpc::ByteBuffer>(
                   [method](grpc::CallbackServerContext* context,
                            const grpc::ByteBuffer* request,
                            grpc::ByteBuffer* response) {
                     auto call = std::make_unique<GrpcUnaryCall>(
                         context, request, response);
                     grpc::ServerUnaryReactor* reactor = call->reactor();
                     method->serve(std::move(call));
                     return reactor;
                   }));
      }
    }
  }
};

}  // namespace

std::vector<std::unique_ptr<grpc::Service>> GrpcServices(
    const MethodTable& methods) {
  methods.CheckComplete();
  std::vector<std::unique_ptr<grpc::Service>> services;
  for (const google::protobuf::ServiceDescriptor* service :
       methods.services()) {
    services.push_back(std::make_unique<RawService>(*service, methods));
  }
  return services;
}

std::unique_ptr<CallContext> NewGrpcCall(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    absl::AnyInvocable<void(grpc::Status)> finish) {
  return std::make_unique<GrpcOwnCall>(context, request, std::move(finish));
}

}  // namespace resguardo::server
