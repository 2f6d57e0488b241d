// CaseService: the handlers of resguardo.v1.CaseService. Each handler names
// its method and audit facts and hands the domain operation
// (cases::CaseStore) to the CallRunner, which authenticates, authorises,
// audits, converts the status and logs (call_runner.h). No logic here.
//
// Thread safety: thread-safe. Ownership: borrows the CallRunner and the
// CaseStore, which must outlive the transports that serve this service.
#ifndef RESGUARDO_SERVICES_SERVER_CASE_SERVICE_H_
#define RESGUARDO_SERVICES_SERVER_CASE_SERVICE_H_

#include "resguardo/v1/case_service.pb.h"
#include "services/server/call_runner.h"
#include "services/server/method_table.h"

namespace resguardo::cases {
class CaseStore;
}  // namespace resguardo::cases

namespace resguardo::server {

class CaseService final {
 public:
  CaseService(CallRunner* runner, MethodTable* methods,
              cases::CaseStore* cases);

  void CreateCase(CallRunner::Handle call, const v1::CreateCaseRequest* request,
                  v1::Case* response);
  void GetCase(CallRunner::Handle call, const v1::GetCaseRequest* request,
               v1::Case* response);
  void ListCases(CallRunner::Handle call, const v1::ListCasesRequest* request,
                 v1::ListCasesResponse* response);
  void UpdateCase(CallRunner::Handle call, const v1::UpdateCaseRequest* request,
                  v1::Case* response);
  void AddFollowUp(CallRunner::Handle call,
                   const v1::AddFollowUpRequest* request,
                   v1::FollowUp* response);
  void ListFollowUps(CallRunner::Handle call,
                     const v1::ListFollowUpsRequest* request,
                     v1::ListFollowUpsResponse* response);
  void AddProtectionMeasure(CallRunner::Handle call,
                            const v1::AddProtectionMeasureRequest* request,
                            v1::ProtectionMeasure* response);
  void SetProtectionMeasureStatus(
      CallRunner::Handle call,
      const v1::SetProtectionMeasureStatusRequest* request, v1::Case* response);
  void CloseCase(CallRunner::Handle call, const v1::CloseCaseRequest* request,
                 v1::Case* response);
  void ReopenCase(CallRunner::Handle call, const v1::ReopenCaseRequest* request,
                  v1::Case* response);
  void EraseCasePersonalData(CallRunner::Handle call,
                             const v1::EraseCasePersonalDataRequest* request,
                             v1::Case* response);
  void AddResolution(CallRunner::Handle call,
                     const v1::AddResolutionRequest* request,
                     v1::Resolution* response);
  void UpdateResolution(CallRunner::Handle call,
                        const v1::UpdateResolutionRequest* request,
                        v1::Case* response);
  void FileAppeal(CallRunner::Handle call, const v1::FileAppealRequest* request,
                  v1::Appeal* response);
  void DecideAppeal(CallRunner::Handle call,
                    const v1::DecideAppealRequest* request, v1::Case* response);
  void SetResolutionFinal(CallRunner::Handle call,
                          const v1::SetResolutionFinalRequest* request,
                          v1::Case* response);
  void AddReparationMeasure(CallRunner::Handle call,
                            const v1::AddReparationMeasureRequest* request,
                            v1::ReparationMeasure* response);
  void SetReparationMeasureStatus(
      CallRunner::Handle call,
      const v1::SetReparationMeasureStatusRequest* request, v1::Case* response);

 private:
  CallRunner* const runner_;
  cases::CaseStore* const cases_;
};

}  // namespace resguardo::server

#endif  // RESGUARDO_SERVICES_SERVER_CASE_SERVICE_H_
