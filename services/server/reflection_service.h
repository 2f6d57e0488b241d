// ReflectionService: the node's gRPC server reflection
// (grpc.reflection.v1alpha.ServerReflection: the version gRPC 1.51's
// ProtoServerReflectionPlugin served, which grpcurl uses where v1 is not
// served), in place of that plugin. gRPC hands each request over as raw
// bytes and the call core decodes it (CallRunner::DecodeOrRefuse): one that
// does not decode (a `host` or a file name that is not UTF-8) ends the
// stream INVALID_ARGUMENT naming the field, audited and logged under its
// request id like an undecodable request of the node's own services —
// where gRPC's plugin ended the stream OK with no answer, no log line and
// no audit entry.
//
// It answers, one response per request and in order, from the descriptors
// compiled into the node (DescriptorPool::generated_pool()), limited to the
// files of the services it lists and the files they import, so that it
// describes the public API and nothing else the binary holds (its
// configuration's schema, for one):
//   list_services                  the services given at construction, and
//                                  this one;
//   file_by_filename,
//   file_containing_symbol,
//   file_containing_extension      the file, then the files it imports that
//                                  were not sent before on the stream;
//   all_extension_numbers_of_type  the type's extensions in those files.
// What it does not describe is an error_response NOT_FOUND (a request that
// asks nothing, UNIMPLEMENTED), as gRPC's plugin answers; the stream goes
// on. A stream leaves one line in the node's log when it ends, with its
// code; it needs a certificate of the deployment's CA and no user, and is
// not audited unless a request does not decode.
//
// Thread safety: thread-safe. Ownership: the runner, log and clock are
// borrowed and must outlive the service; the service must outlive the
// server.
#ifndef RESGUARDO_SERVICES_SERVER_REFLECTION_SERVICE_H_
#define RESGUARDO_SERVICES_SERVER_REFLECTION_SERVICE_H_

#include <set>
#include <string>
#include <vector>

#include "base/clock.h"
#include "google/protobuf/descriptor.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/server_callback.h"
#include "services/server/call_log.h"
#include "services/server/call_runner.h"

namespace resguardo::server {

class ReflectionService final
    : public grpc::reflection::v1alpha::ServerReflection::
          WithRawCallbackMethod_ServerReflectionInfo<
              grpc::reflection::v1alpha::ServerReflection::Service> {
 public:
  // Lists `services` (this service's own is added) and describes their
  // files.
  ReflectionService(
      const std::vector<const google::protobuf::ServiceDescriptor*>& services,
      CallRunner* runner, CallLog* log, const Clock* clock);
  ReflectionService(const ReflectionService&) = delete;
  ReflectionService& operator=(const ReflectionService&) = delete;

  grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>*
  ServerReflectionInfo(grpc::CallbackServerContext* context) override;

  // The answer to one request; `sent` holds the names of the files already
  // sent on the stream (each file goes once), and gets those sent now.
  grpc::reflection::v1alpha::ServerReflectionResponse Answer(
      const grpc::reflection::v1alpha::ServerReflectionRequest& request,
      std::set<std::string>* sent) const;

 private:
  class Stream;

  // `file` if this service describes it, else null.
  const google::protobuf::FileDescriptor* Described(
      const google::protobuf::FileDescriptor* file) const;

  CallRunner* const runner_;
  CallLog* const log_;
  const Clock* const clock_;
  std::vector<std::string> service_names_;
  // The files of the services and every file they import, by name.
  std::set<std::string> files_;
};

}  // namespace resguardo::server

#endif  // RESGUARDO_SERVICES_SERVER_REFLECTION_SERVICE_H_
