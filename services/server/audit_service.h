// AuditService: resguardo.v1.AuditService over audit::AuditReader, every call
// through the CallRunner as a read (the checkpoint a refresh signs is written
// by the Checkpointer, not by the call).
#ifndef RESGUARDO_SERVICES_SERVER_AUDIT_SERVICE_H_
#define RESGUARDO_SERVICES_SERVER_AUDIT_SERVICE_H_

#include "resguardo/v1/audit_service.pb.h"
#include "services/server/call_runner.h"
#include "services/server/method_table.h"

namespace resguardo::audit {
class AuditReader;
}  // namespace resguardo::audit

namespace resguardo::server {

class AuditService final {
 public:
  AuditService(CallRunner* runner, MethodTable* methods,
               const audit::AuditReader* reader);

  void GetCheckpoint(CallRunner::Handle call,
                     const v1::GetCheckpointRequest* request,
                     v1::GetCheckpointResponse* response);
  void ListEntries(CallRunner::Handle call,
                   const v1::ListEntriesRequest* request,
                   v1::ListEntriesResponse* response);
  void GetInclusionProof(CallRunner::Handle call,
                         const v1::GetInclusionProofRequest* request,
                         v1::GetInclusionProofResponse* response);
  void GetConsistencyProof(CallRunner::Handle call,
                           const v1::GetConsistencyProofRequest* request,
                           v1::GetConsistencyProofResponse* response);
  void ExportLog(CallRunner::Handle call, const v1::ExportLogRequest* request,
                 v1::ExportLogResponse* response);

 private:
  CallRunner* const runner_;
  const audit::AuditReader* const reader_;
};

}  // namespace resguardo::server

#endif  // RESGUARDO_SERVICES_SERVER_AUDIT_SERVICE_H_
