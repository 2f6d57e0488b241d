// PendingResolutionHandlers: UNIMPLEMENTED answers for the resolution
// methods of resguardo.v1.CaseService (AddResolution ...
// SetReparationMeasureStatus), whose proto is on this branch but whose
// handlers are built in branch s9-resolution. The MethodTable refuses to
// start a node with a method of the API that has no handler; these let this
// branch's node start. TEMPORARY: delete this file (and its two lines in
// node.h / node.cc and CMakeLists.txt) when s9-resolution is merged.
#ifndef RESGUARDO_SERVICES_SERVER_PENDING_RESOLUTION_HANDLERS_H_
#define RESGUARDO_SERVICES_SERVER_PENDING_RESOLUTION_HANDLERS_H_

#include "resguardo/v1/case_service.pb.h"
#include "services/server/call_runner.h"
#include "services/server/method_table.h"

namespace resguardo::server {

class PendingResolutionHandlers final {
 public:
  PendingResolutionHandlers(CallRunner* runner, MethodTable* methods);

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
  template <typename Response>
  void Refuse(CallRunner::Handle call, Response* response);

  CallRunner* const runner_;
};

}  // namespace resguardo::server

#endif  // RESGUARDO_SERVICES_SERVER_PENDING_RESOLUTION_HANDLERS_H_
