// AuditService: resguardo.v1.AuditService over audit::AuditReader, every call
// through the CallRunner as a read (the checkpoint a refresh signs is written
// by the Checkpointer, not by the call).
#ifndef RESGUARDO_SERVICES_SERVER_AUDIT_SERVICE_H_
#define RESGUARDO_SERVICES_SERVER_AUDIT_SERVICE_H_

#include "resguardo/v1/audit_service.grpc.pb.h"
#include "services/server/decoded_service.h"

namespace resguardo::audit {
class AuditReader;
}  // namespace resguardo::audit

namespace resguardo::server {

class CallRunner;

class AuditService final
    : public DecodedService<v1::AuditService::CallbackService> {
 public:
  AuditService(CallRunner* runner, const audit::AuditReader* reader);

  grpc::ServerUnaryReactor* GetCheckpoint(
      grpc::CallbackServerContext* context,
      const v1::GetCheckpointRequest* request,
      v1::GetCheckpointResponse* response) override;
  grpc::ServerUnaryReactor* ListEntries(
      grpc::CallbackServerContext* context,
      const v1::ListEntriesRequest* request,
      v1::ListEntriesResponse* response) override;
  grpc::ServerUnaryReactor* GetInclusionProof(
      grpc::CallbackServerContext* context,
      const v1::GetInclusionProofRequest* request,
      v1::GetInclusionProofResponse* response) override;
  grpc::ServerUnaryReactor* GetConsistencyProof(
      grpc::CallbackServerContext* context,
      const v1::GetConsistencyProofRequest* request,
      v1::GetConsistencyProofResponse* response) override;
  grpc::ServerUnaryReactor* ExportLog(grpc::CallbackServerContext* context,
                                      const v1::ExportLogRequest* request,
                                      v1::ExportLogResponse* response) override;

 private:
  CallRunner* const runner_;
  const audit::AuditReader* const reader_;
};

}  // namespace resguardo::server

#endif  // RESGUARDO_SERVICES_SERVER_AUDIT_SERVICE_H_
