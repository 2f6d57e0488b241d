#include "services/server/reflection_service.h"

#include <utility>

#include "absl/status/status.h"
#include "google/protobuf/descriptor.pb.h"
#include "grpcpp/impl/codegen/proto_utils.h"
#include "services/server/grpc_transport.h"

namespace resguardo::server {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::DescriptorPool;
using google::protobuf::FieldDescriptor;
using google::protobuf::FileDescriptor;
using google::protobuf::ServiceDescriptor;
using grpc::reflection::v1alpha::FileDescriptorResponse;
using grpc::reflection::v1alpha::ServerReflection;
using grpc::reflection::v1alpha::ServerReflectionRequest;
using grpc::reflection::v1alpha::ServerReflectionResponse;

constexpr char kMethod[] =
    "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo";

absl::StatusCode ToAbsl(grpc::StatusCode code) {
  return static_cast<absl::StatusCode>(code);
}

// `file`, unless it went before on this stream and is not the one asked
// for, then the files it imports that have not (as grpc-go's reflection
// does: a client gets what it asked for on every request).
void AddFiles(const FileDescriptor* file, bool asked,
              std::set<std::string>* sent, FileDescriptorResponse* out) {
  if (!sent->insert(file->name()).second && !asked) return;
  google::protobuf::FileDescriptorProto proto;
  file->CopyTo(&proto);
  out->add_file_descriptor_proto(proto.SerializeAsString());
  for (int i = 0; i < file->dependency_count(); ++i) {
    AddFiles(file->dependency(i), /*asked=*/false, sent, out);
  }
}

}  // namespace

// One stream: reads a request, answers it, reads the next, until the client
// has sent all it had (OK) or a request does not decode (the call core's
// refusal). A read and a write are never in flight together, so the
// reactions never overlap.
class ReflectionService::Stream final
    : public grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  Stream(const ReflectionService* service, grpc::CallbackServerContext* context)
      : service_(service), context_(context), start_(service->clock_->Now()) {
    StartRead(&in_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      // The client has sent all its requests, or left.
      End(context_->IsCancelled() ? grpc::Status(grpc::StatusCode::CANCELLED,
                                                 "cancelled by the client")
                                  : grpc::Status::OK);
      return;
    }
    ServerReflectionRequest request;
    if (service_->runner_->DecodeOrRefuse(
            NewGrpcCall(context_, &in_,
                        [this](grpc::Status status) {
                          logged_ = true;  // by the call core
                          End(std::move(status));
                        }),
            kMethod, request) == nullptr) {
      return;  // refused, audited and logged by the call core
    }
    ServerReflectionResponse response = service_->Answer(request, &sent_);
    out_.Clear();  // the previous answer's, written
    bool own_buffer = false;
    grpc::Status encoded =
        grpc::SerializationTraits<ServerReflectionResponse>::Serialize(
            response, &out_, &own_buffer);
    if (!encoded.ok()) {
      End(grpc::Status(grpc::StatusCode::INTERNAL,
                       "server: could not encode a reflection response"));
      return;
    }
    StartWrite(&out_);
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      End(grpc::Status(grpc::StatusCode::CANCELLED, "the client went away"));
      return;
    }
    StartRead(&in_);
  }

  void OnDone() override {
    if (!logged_) {
      service_->log_->Call("", kMethod, code_,
                           service_->clock_->Now() - start_);
    }
    delete this;
  }

 private:
  void End(grpc::Status status) {
    code_ = ToAbsl(status.error_code());
    Finish(std::move(status));
  }

  const ReflectionService* const service_;
  grpc::CallbackServerContext* const context_;
  const absl::Time start_;
  grpc::ByteBuffer in_;
  grpc::ByteBuffer out_;
  std::set<std::string> sent_;
  absl::StatusCode code_ = absl::StatusCode::kOk;
  bool logged_ = false;
};

ReflectionService::ReflectionService(
    const std::vector<const ServiceDescriptor*>& services, CallRunner* runner,
    CallLog* log, const Clock* clock)
    : runner_(runner), log_(log), clock_(clock) {
  std::vector<const ServiceDescriptor*> listed = services;
  listed.push_back(DescriptorPool::generated_pool()->FindServiceByName(
      ServerReflection::service_full_name()));
  std::vector<const FileDescriptor*> pending;
  for (const ServiceDescriptor* service : listed) {
    service_names_.push_back(service->full_name());
    pending.push_back(service->file());
  }
  while (!pending.empty()) {
    const FileDescriptor* file = pending.back();
    pending.pop_back();
    if (!files_.insert(file->name()).second) continue;
    for (int i = 0; i < file->dependency_count(); ++i) {
      pending.push_back(file->dependency(i));
    }
  }
}

grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>*
ReflectionService::ServerReflectionInfo(grpc::CallbackServerContext* context) {
  return new Stream(this, context);
}

const FileDescriptor* ReflectionService::Described(
    const FileDescriptor* file) const {
  return file != nullptr && files_.count(file->name()) > 0 ? file : nullptr;
}

ServerReflectionResponse ReflectionService::Answer(
    const ServerReflectionRequest& request, std::set<std::string>* sent) const {
  const DescriptorPool* pool = DescriptorPool::generated_pool();
  ServerReflectionResponse response;
  response.set_valid_host(request.host());
  *response.mutable_original_request() = request;
  auto error = [&response](grpc::StatusCode code, const char* message) {
    response.mutable_error_response()->set_error_code(code);
    response.mutable_error_response()->set_error_message(message);
  };
  auto file_answer = [&](const FileDescriptor* file, const char* missing) {
    if (file == nullptr) {
      error(grpc::StatusCode::NOT_FOUND, missing);
      return;
    }
    AddFiles(file, /*asked=*/true, sent,
             response.mutable_file_descriptor_response());
  };
  switch (request.message_request_case()) {
    case ServerReflectionRequest::kListServices:
      for (const std::string& name : service_names_) {
        response.mutable_list_services_response()->add_service()->set_name(
            name);
      }
      break;
    case ServerReflectionRequest::kFileByFilename:
      file_answer(Described(pool->FindFileByName(request.file_by_filename())),
                  "file not found");
      break;
    case ServerReflectionRequest::kFileContainingSymbol:
      file_answer(Described(pool->FindFileContainingSymbol(
                      request.file_containing_symbol())),
                  "symbol not found");
      break;
    case ServerReflectionRequest::kFileContainingExtension: {
      const Descriptor* type = pool->FindMessageTypeByName(
          request.file_containing_extension().containing_type());
      const FieldDescriptor* extension =
          type == nullptr
              ? nullptr
              : pool->FindExtensionByNumber(
                    type,
                    request.file_containing_extension().extension_number());
      file_answer(extension == nullptr ? nullptr : Described(extension->file()),
                  "extension not found");
      break;
    }
    case ServerReflectionRequest::kAllExtensionNumbersOfType: {
      const Descriptor* type =
          pool->FindMessageTypeByName(request.all_extension_numbers_of_type());
      if (type == nullptr || Described(type->file()) == nullptr) {
        error(grpc::StatusCode::NOT_FOUND, "type not found");
        break;
      }
      auto* numbers = response.mutable_all_extension_numbers_response();
      numbers->set_base_type_name(type->full_name());
      std::vector<const FieldDescriptor*> extensions;
      pool->FindAllExtensions(type, &extensions);
      for (const FieldDescriptor* extension : extensions) {
        if (Described(extension->file()) != nullptr) {
          numbers->add_extension_number(extension->number());
        }
      }
      break;
    }
    default:
      error(grpc::StatusCode::UNIMPLEMENTED,
            "the request names nothing to describe");
  }
  return response;
}

}  // namespace resguardo::server
