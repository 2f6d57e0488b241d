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
constexpr char kCloseCase[] = "/resguardo.v1.CaseService/CloseCase";
constexpr char kReopenCase[] = "/resguardo.v1.CaseService/ReopenCase";
constexpr char kEraseCasePersonalData[] =
    "/resguardo.v1.CaseService/EraseCasePersonalData";

using store::ReadTxn;
using store::WriteTxn;
using Caller = const auth::Principal&;

}  // namespace

CaseService::CaseService(CallRunner* runner, cases::CaseStore* cases)
    : runner_(runner), cases_(cases) {
  Decode(runner, kCreateCase, &CaseService::CreateCase);
  Decode(runner, kGetCase, &CaseService::GetCase);
  Decode(runner, kListCases, &CaseService::ListCases);
  Decode(runner, kUpdateCase, &CaseService::UpdateCase);
  Decode(runner, kAddFollowUp, &CaseService::AddFollowUp);
  Decode(runner, kListFollowUps, &CaseService::ListFollowUps);
  Decode(runner, kAddProtectionMeasure, &CaseService::AddProtectionMeasure);
  Decode(runner, kCloseCase, &CaseService::CloseCase);
  Decode(runner, kReopenCase, &CaseService::ReopenCase);
  Decode(runner, kEraseCasePersonalData, &CaseService::EraseCasePersonalData);
}

grpc::ServerUnaryReactor* CaseService::CreateCase(
    grpc::CallbackServerContext* context, const v1::CreateCaseRequest* request,
    v1::Case* response) {
  return runner_->Write(
      context, kCreateCase, {request->parent()}, response,
      [this, request](WriteTxn& txn, Caller caller,
                      AuditFacts& audit) -> absl::StatusOr<v1::Case> {
        ASSIGN_OR_RETURN(v1::Case created,
                         cases_->CreateCase(txn, caller, *request));
        audit.resource = created.name();
        return created;
      });
}

grpc::ServerUnaryReactor* CaseService::GetCase(
    grpc::CallbackServerContext* context, const v1::GetCaseRequest* request,
    v1::Case* response) {
  AuditFacts facts{request->name()};
  if (cases::CaseStore::ReadsSealedData(*request)) {
    facts.purpose = request->purpose();
  }
  return runner_->ReadInBatch(
      context, kGetCase, std::move(facts), response,
      [this, request](ReadTxn& txn, Caller caller, AuditFacts&) {
        return cases_->GetCase(txn, caller, *request);
      });
}

grpc::ServerUnaryReactor* CaseService::ListCases(
    grpc::CallbackServerContext* context, const v1::ListCasesRequest* request,
    v1::ListCasesResponse* response) {
  return runner_->Read(
      context, kListCases, {request->parent()}, response,
      [this, request](ReadTxn& txn, Caller caller, AuditFacts&) {
        return cases_->ListCases(txn, caller, *request);
      });
}

grpc::ServerUnaryReactor* CaseService::UpdateCase(
    grpc::CallbackServerContext* context, const v1::UpdateCaseRequest* request,
    v1::Case* response) {
  return runner_->Write(
      context, kUpdateCase, {request->case_record().name()}, response,
      [this, request](WriteTxn& txn, Caller caller, AuditFacts&) {
        return cases_->UpdateCase(txn, caller, *request);
      });
}

grpc::ServerUnaryReactor* CaseService::AddFollowUp(
    grpc::CallbackServerContext* context, const v1::AddFollowUpRequest* request,
    v1::FollowUp* response) {
  return runner_->Write(
      context, kAddFollowUp, {request->parent()}, response,
      [this, request](WriteTxn& txn, Caller caller,
                      AuditFacts& audit) -> absl::StatusOr<v1::FollowUp> {
        ASSIGN_OR_RETURN(v1::FollowUp added,
                         cases_->AddFollowUp(txn, caller, *request));
        audit.resource = added.name();
        return added;
      });
}

grpc::ServerUnaryReactor* CaseService::ListFollowUps(
    grpc::CallbackServerContext* context,
    const v1::ListFollowUpsRequest* request,
    v1::ListFollowUpsResponse* response) {
  AuditFacts facts{request->parent()};
  if (cases::CaseStore::ReadsSealedData(*request)) {
    facts.purpose = request->purpose();
  }
  return runner_->Read(
      context, kListFollowUps, std::move(facts), response,
      [this, request](ReadTxn& txn, Caller caller, AuditFacts&) {
        return cases_->ListFollowUps(txn, caller, *request);
      });
}

grpc::ServerUnaryReactor* CaseService::AddProtectionMeasure(
    grpc::CallbackServerContext* context,
    const v1::AddProtectionMeasureRequest* request,
    v1::ProtectionMeasure* response) {
  return runner_->Write(
      context, kAddProtectionMeasure, {request->parent()}, response,
      [this, request](WriteTxn& txn, Caller caller, AuditFacts& audit)
          -> absl::StatusOr<v1::ProtectionMeasure> {
        ASSIGN_OR_RETURN(v1::ProtectionMeasure added,
                         cases_->AddProtectionMeasure(txn, caller, *request));
        audit.resource = added.name();
        return added;
      });
}

grpc::ServerUnaryReactor* CaseService::CloseCase(
    grpc::CallbackServerContext* context, const v1::CloseCaseRequest* request,
    v1::Case* response) {
  return runner_->Write(
      context, kCloseCase, {request->name()}, response,
      [this, request](WriteTxn& txn, Caller caller, AuditFacts&) {
        return cases_->CloseCase(txn, caller, *request);
      });
}

grpc::ServerUnaryReactor* CaseService::ReopenCase(
    grpc::CallbackServerContext* context, const v1::ReopenCaseRequest* request,
    v1::Case* response) {
  return runner_->Write(
      context, kReopenCase, {request->name()}, response,
      [this, request](WriteTxn& txn, Caller caller, AuditFacts&) {
        return cases_->ReopenCase(txn, caller, *request);
      });
}

grpc::ServerUnaryReactor* CaseService::EraseCasePersonalData(
    grpc::CallbackServerContext* context,
    const v1::EraseCasePersonalDataRequest* request, v1::Case* response) {
  return runner_->Write(
      context, kEraseCasePersonalData, {request->name()}, response,
      [this, request](WriteTxn& txn, Caller caller, AuditFacts&) {
        return cases_->EraseCasePersonalData(txn, caller, *request);
      });
}

}  // namespace resguardo::server
