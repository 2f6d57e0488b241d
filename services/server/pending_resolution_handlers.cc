#include "services/server/pending_resolution_handlers.h"

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace resguardo::server {

template <typename Response>
void PendingResolutionHandlers::Refuse(CallRunner::Handle call,
                                       Response* response) {
  runner_->Read(std::move(call), {""}, response,
                [](store::ReadTxn&, const auth::Principal&,
                   AuditFacts&) -> absl::StatusOr<Response> {
                  return absl::UnimplementedError(
                      "resolutions are not served by this build");
                });
}

PendingResolutionHandlers::PendingResolutionHandlers(CallRunner* runner,
                                                     MethodTable* methods)
    : runner_(runner) {
  using H = PendingResolutionHandlers;
  methods->Unary("/resguardo.v1.CaseService/AddResolution", this,
                 &H::AddResolution);
  methods->Unary("/resguardo.v1.CaseService/UpdateResolution", this,
                 &H::UpdateResolution);
  methods->Unary("/resguardo.v1.CaseService/FileAppeal", this, &H::FileAppeal);
  methods->Unary("/resguardo.v1.CaseService/DecideAppeal", this,
                 &H::DecideAppeal);
  methods->Unary("/resguardo.v1.CaseService/SetResolutionFinal", this,
                 &H::SetResolutionFinal);
  methods->Unary("/resguardo.v1.CaseService/AddReparationMeasure", this,
                 &H::AddReparationMeasure);
  methods->Unary("/resguardo.v1.CaseService/SetReparationMeasureStatus", this,
                 &H::SetReparationMeasureStatus);
}

void PendingResolutionHandlers::AddResolution(CallRunner::Handle call,
                                              const v1::AddResolutionRequest*,
                                              v1::Resolution* response) {
  Refuse(std::move(call), response);
}
void PendingResolutionHandlers::UpdateResolution(
    CallRunner::Handle call, const v1::UpdateResolutionRequest*,
    v1::Case* response) {
  Refuse(std::move(call), response);
}
void PendingResolutionHandlers::FileAppeal(CallRunner::Handle call,
                                           const v1::FileAppealRequest*,
                                           v1::Appeal* response) {
  Refuse(std::move(call), response);
}
void PendingResolutionHandlers::DecideAppeal(CallRunner::Handle call,
                                             const v1::DecideAppealRequest*,
                                             v1::Case* response) {
  Refuse(std::move(call), response);
}
void PendingResolutionHandlers::SetResolutionFinal(
    CallRunner::Handle call, const v1::SetResolutionFinalRequest*,
    v1::Case* response) {
  Refuse(std::move(call), response);
}
void PendingResolutionHandlers::AddReparationMeasure(
    CallRunner::Handle call, const v1::AddReparationMeasureRequest*,
    v1::ReparationMeasure* response) {
  Refuse(std::move(call), response);
}
void PendingResolutionHandlers::SetReparationMeasureStatus(
    CallRunner::Handle call, const v1::SetReparationMeasureStatusRequest*,
    v1::Case* response) {
  Refuse(std::move(call), response);
}

}  // namespace resguardo::server
