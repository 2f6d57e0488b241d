// CaseService: the gRPC edge of resguardo.v1.CaseService. Each handler names
// its method and audit facts and hands the domain operation
// (cases::CaseStore) to the CallRunner, which authenticates, authorises,
// audits, converts the status and logs (call_runner.h). No logic here.
//
// Thread safety: thread-safe. Ownership: borrows the CallRunner and the
// CaseStore, which must outlive the gRPC server that serves this service.
#ifndef RESGUARDO_SERVICES_SERVER_CASE_SERVICE_H_
#define RESGUARDO_SERVICES_SERVER_CASE_SERVICE_H_

#include "resguardo/v1/case_service.grpc.pb.h"
#include "services/server/decoded_service.h"

namespace resguardo::cases {
class CaseStore;
}  // namespace resguardo::cases

namespace resguardo::server {

class CallRunner;

class CaseService final
    : public DecodedService<v1::CaseService::CallbackService> {
 public:
  CaseService(CallRunner* runner, cases::CaseStore* cases);

  grpc::ServerUnaryReactor* CreateCase(grpc::CallbackServerContext* context,
                                       const v1::CreateCaseRequest* request,
                                       v1::Case* response) override;
  grpc::ServerUnaryReactor* GetCase(grpc::CallbackServerContext* context,
                                    const v1::GetCaseRequest* request,
                                    v1::Case* response) override;
  grpc::ServerUnaryReactor* ListCases(grpc::CallbackServerContext* context,
                                      const v1::ListCasesRequest* request,
                                      v1::ListCasesResponse* response) override;
  grpc::ServerUnaryReactor* UpdateCase(grpc::CallbackServerContext* context,
                                       const v1::UpdateCaseRequest* request,
                                       v1::Case* response) override;
  grpc::ServerUnaryReactor* AddFollowUp(grpc::CallbackServerContext* context,
                                        const v1::AddFollowUpRequest* request,
                                        v1::FollowUp* response) override;
  grpc::ServerUnaryReactor* ListFollowUps(
      grpc::CallbackServerContext* context,
      const v1::ListFollowUpsRequest* request,
      v1::ListFollowUpsResponse* response) override;
  grpc::ServerUnaryReactor* AddProtectionMeasure(
      grpc::CallbackServerContext* context,
      const v1::AddProtectionMeasureRequest* request,
      v1::ProtectionMeasure* response) override;
  grpc::ServerUnaryReactor* CloseCase(grpc::CallbackServerContext* context,
                                      const v1::CloseCaseRequest* request,
                                      v1::Case* response) override;
  grpc::ServerUnaryReactor* ReopenCase(grpc::CallbackServerContext* context,
                                       const v1::ReopenCaseRequest* request,
                                       v1::Case* response) override;
  grpc::ServerUnaryReactor* EraseCasePersonalData(
      grpc::CallbackServerContext* context,
      const v1::EraseCasePersonalDataRequest* request,
      v1::Case* response) override;

 private:
  CallRunner* const runner_;
  cases::CaseStore* const cases_;
};

}  // namespace resguardo::server

#endif  // RESGUARDO_SERVICES_SERVER_CASE_SERVICE_H_
