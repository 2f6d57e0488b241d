#include "services/server/case_service.h"

#include "base/status_macros.h"
#include "services/cases/case_store.h"
#include "services/server/call_runner.h"

namespace resguardo::server {
namespace {

constexpr char kCreateCase[] = "/resguardo.v1.CaseService/CreateCase";
constexpr char kGetCase[] = "/resguardo.v1.CaseService/GetCase";
constexpr char kListCases[] = "/resguardo.v1.CaseService/ListCases";
constexpr char kUpdateCase[] = "/resguardo.v1.CaseService/UpdateCase";
constexpr char kAddFollowUp[] = "/resguardo.v1.CaseService/AddFollowUp";
constexpr char kListFollowUps[] = "/resguardo.v1.CaseService/ListFollowUps";
constexpr char kAddProtectionMeasure[] =
    "/resguardo.v1.CaseService/AddProtectionMeasure";
constexpr char kSetProtectionMeasureStatus[] =
    "/resguardo.v1.CaseService/SetProtectionMeasureStatus";
constexpr char kCloseCase[] = "/resguardo.v1.CaseService/CloseCase";
constexpr char kReopenCase[] = "/resguardo.v1.CaseService/ReopenCase";
constexpr char kEraseCasePersonalData[] =
    "/resguardo.v1.CaseService/EraseCasePersonalData";
constexpr char kAddResolution[] = "/resguardo.v1.CaseService/AddResolution";
constexpr char kUpdateResolution[] =
    "/resguardo.v1.CaseService/UpdateResolution";
constexpr char kFileAppeal[] = "/resguardo.v1.CaseService/FileAppeal";
constexpr char kDecideAppeal[] = "/resguardo.v1.CaseService/DecideAppeal";
constexpr char kSetResolutionFinal[] =
    "/resguardo.v1.CaseService/SetResolutionFinal";
constexpr char kAddReparationMeasure[] =
    "/resguardo.v1.CaseService/AddReparationMeasure";
constexpr char kSetReparationMeasureStatus[] =
    "/resguardo.v1.CaseService/SetReparationMeasureStatus";

using store::ReadTxn;
using store::WriteTxn;
using Caller = const auth::Principal&;

}  // namespace

CaseService::CaseService(CallRunner* runner, MethodTable* methods,
                         cases::CaseStore* cases)
    : runner_(runner), cases_(cases) {
  methods->Unary(kCreateCase, this, &CaseService::CreateCase);
  methods->Unary(kGetCase, this, &CaseService::GetCase);
  methods->Unary(kListCases, this, &CaseService::ListCases);
  methods->Unary(kUpdateCase, this, &CaseService::UpdateCase);
  methods->Unary(kAddFollowUp, this, &CaseService::AddFollowUp);
  methods->Unary(kListFollowUps, this, &CaseService::ListFollowUps);
  methods->Unary(kAddProtectionMeasure, this,
                 &CaseService::AddProtectionMeasure);
  methods->Unary(kSetProtectionMeasureStatus, this,
                 &CaseService::SetProtectionMeasureStatus);
  methods->Unary(kCloseCase, this, &CaseService::CloseCase);
  methods->Unary(kReopenCase, this, &CaseService::ReopenCase);
  methods->Unary(kEraseCasePersonalData, this,
                 &CaseService::EraseCasePersonalData);
  methods->Unary(kAddResolution, this, &CaseService::AddResolution);
  methods->Unary(kUpdateResolution, this, &CaseService::UpdateResolution);
  methods->Unary(kFileAppeal, this, &CaseService::FileAppeal);
  methods->Unary(kDecideAppeal, this, &CaseService::DecideAppeal);
  methods->Unary(kSetResolutionFinal, this, &CaseService::SetResolutionFinal);
  methods->Unary(kAddReparationMeasure, this,
                 &CaseService::AddReparationMeasure);
  methods->Unary(kSetReparationMeasureStatus, this,
                 &CaseService::SetReparationMeasureStatus);
}

void CaseService::CreateCase(CallRunner::Handle call,
                             const v1::CreateCaseRequest* request,
                             v1::Case* response) {
  runner_->Write(
      std::move(call), {request->parent()}, response,
      [this, request](WriteTxn& txn, Caller caller,
                      AuditFacts& audit) -> absl::StatusOr<v1::Case> {
        ASSIGN_OR_RETURN(v1::Case created,
                         cases_->CreateCase(txn, caller, *request));
        audit.resource = created.name();
        return created;
      });
}

void CaseService::GetCase(CallRunner::Handle call,
                          const v1::GetCaseRequest* request,
                          v1::Case* response) {
  AuditFacts facts{request->name()};
  if (cases::CaseStore::ReadsSealedData(*request)) {
    facts.purpose = request->purpose();
  }
  runner_->ReadOnWriter(
      std::move(call), std::move(facts), response,
      [this, request](ReadTxn& txn, Caller caller, AuditFacts&) {
        return cases_->GetCase(txn, caller, *request);
      });
}

void CaseService::ListCases(CallRunner::Handle call,
                            const v1::ListCasesRequest* request,
                            v1::ListCasesResponse* response) {
  runner_->Read(std::move(call), {request->parent()}, response,
                [this, request](ReadTxn& txn, Caller caller, AuditFacts&) {
                  return cases_->ListCases(txn, caller, *request);
                });
}

void CaseService::UpdateCase(CallRunner::Handle call,
                             const v1::UpdateCaseRequest* request,
                             v1::Case* response) {
  runner_->Write(std::move(call), {request->case_record().name()}, response,
                 [this, request](WriteTxn& txn, Caller caller, AuditFacts&) {
                   return cases_->UpdateCase(txn, caller, *request);
                 });
}

void CaseService::AddFollowUp(CallRunner::Handle call,
                              const v1::AddFollowUpRequest* request,
                              v1::FollowUp* response) {
  runner_->Write(
      std::move(call), {request->parent()}, response,
      [this, request](WriteTxn& txn, Caller caller,
                      AuditFacts& audit) -> absl::StatusOr<v1::FollowUp> {
        ASSIGN_OR_RETURN(v1::FollowUp added,
                         cases_->AddFollowUp(txn, caller, *request));
        audit.resource = added.name();
        return added;
      });
}

void CaseService::ListFollowUps(CallRunner::Handle call,
                                const v1::ListFollowUpsRequest* request,
                                v1::ListFollowUpsResponse* response) {
  AuditFacts facts{request->parent()};
  if (cases::CaseStore::ReadsSealedData(*request)) {
    facts.purpose = request->purpose();
  }
  runner_->Read(std::move(call), std::move(facts), response,
                [this, request](ReadTxn& txn, Caller caller, AuditFacts&) {
                  return cases_->ListFollowUps(txn, caller, *request);
                });
}

void CaseService::AddProtectionMeasure(
    CallRunner::Handle call, const v1::AddProtectionMeasureRequest* request,
    v1::ProtectionMeasure* response) {
  runner_->Write(
      std::move(call), {request->parent()}, response,
      [this, request](WriteTxn& txn, Caller caller, AuditFacts& audit)
          -> absl::StatusOr<v1::ProtectionMeasure> {
        ASSIGN_OR_RETURN(v1::ProtectionMeasure added,
                         cases_->AddProtectionMeasure(txn, caller, *request));
        audit.resource = added.name();
        return added;
      });
}

void CaseService::SetProtectionMeasureStatus(
    CallRunner::Handle call,
    const v1::SetProtectionMeasureStatusRequest* request, v1::Case* response) {
  runner_->Write(std::move(call), {request->name()}, response,
                 [this, request](WriteTxn& txn, Caller caller, AuditFacts&) {
                   return cases_->SetProtectionMeasureStatus(txn, caller,
                                                             *request);
                 });
}

void CaseService::CloseCase(CallRunner::Handle call,
                            const v1::CloseCaseRequest* request,
                            v1::Case* response) {
  runner_->Write(std::move(call), {request->name()}, response,
                 [this, request](WriteTxn& txn, Caller caller, AuditFacts&) {
                   return cases_->CloseCase(txn, caller, *request);
                 });
}

void CaseService::ReopenCase(CallRunner::Handle call,
                             const v1::ReopenCaseRequest* request,
                             v1::Case* response) {
  runner_->Write(std::move(call), {request->name()}, response,
                 [this, request](WriteTxn& txn, Caller caller, AuditFacts&) {
                   return cases_->ReopenCase(txn, caller, *request);
                 });
}

void CaseService::EraseCasePersonalData(
    CallRunner::Handle call, const v1::EraseCasePersonalDataRequest* request,
    v1::Case* response) {
  runner_->Write(std::move(call), {request->name()}, response,
                 [this, request](WriteTxn& txn, Caller caller, AuditFacts&) {
                   return cases_->EraseCasePersonalData(txn, caller, *request);
                 });
}

// Resolutions: an add's audit entry names the record it made (the parent on
// failure); a change's, the record changed. Never a field's value.
void CaseService::AddResolution(CallRunner::Handle call,
                                const v1::AddResolutionRequest* request,
                                v1::Resolution* response) {
  runner_->Write(
      std::move(call), {request->parent()}, response,
      [this, request](WriteTxn& txn, Caller caller,
                      AuditFacts& audit) -> absl::StatusOr<v1::Resolution> {
        ASSIGN_OR_RETURN(v1::Resolution added,
                         cases_->AddResolution(txn, caller, *request));
        audit.resource = added.name();
        return added;
      });
}

void CaseService::UpdateResolution(CallRunner::Handle call,
                                   const v1::UpdateResolutionRequest* request,
                                   v1::Case* response) {
  runner_->Write(std::move(call), {request->resolution().name()}, response,
                 [this, request](WriteTxn& txn, Caller caller, AuditFacts&) {
                   return cases_->UpdateResolution(txn, caller, *request);
                 });
}

void CaseService::FileAppeal(CallRunner::Handle call,
                             const v1::FileAppealRequest* request,
                             v1::Appeal* response) {
  runner_->Write(
      std::move(call), {request->parent()}, response,
      [this, request](WriteTxn& txn, Caller caller,
                      AuditFacts& audit) -> absl::StatusOr<v1::Appeal> {
        ASSIGN_OR_RETURN(v1::Appeal filed,
                         cases_->FileAppeal(txn, caller, *request));
        audit.resource = filed.name();
        return filed;
      });
}

void CaseService::DecideAppeal(CallRunner::Handle call,
                               const v1::DecideAppealRequest* request,
                               v1::Case* response) {
  runner_->Write(std::move(call), {request->name()}, response,
                 [this, request](WriteTxn& txn, Caller caller, AuditFacts&) {
                   return cases_->DecideAppeal(txn, caller, *request);
                 });
}

void CaseService::SetResolutionFinal(
    CallRunner::Handle call, const v1::SetResolutionFinalRequest* request,
    v1::Case* response) {
  runner_->Write(std::move(call), {request->name()}, response,
                 [this, request](WriteTxn& txn, Caller caller, AuditFacts&) {
                   return cases_->SetResolutionFinal(txn, caller, *request);
                 });
}

void CaseService::AddReparationMeasure(
    CallRunner::Handle call, const v1::AddReparationMeasureRequest* request,
    v1::ReparationMeasure* response) {
  runner_->Write(
      std::move(call), {request->parent()}, response,
      [this, request](WriteTxn& txn, Caller caller, AuditFacts& audit)
          -> absl::StatusOr<v1::ReparationMeasure> {
        ASSIGN_OR_RETURN(v1::ReparationMeasure added,
                         cases_->AddReparationMeasure(txn, caller, *request));
        audit.resource = added.name();
        return added;
      });
}

void CaseService::SetReparationMeasureStatus(
    CallRunner::Handle call,
    const v1::SetReparationMeasureStatusRequest* request, v1::Case* response) {
  runner_->Write(std::move(call), {request->name()}, response,
                 [this, request](WriteTxn& txn, Caller caller, AuditFacts&) {
                   return cases_->SetReparationMeasureStatus(txn, caller,
                                                             *request);
                 });
}

}  // namespace resguardo::server
