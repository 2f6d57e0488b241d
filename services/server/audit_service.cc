#include "services/server/audit_service.h"

#include <utility>

#include "services/audit/audit_reader.h"
#include "services/server/call_runner.h"

namespace resguardo::server {
namespace {

constexpr char kGetCheckpoint[] = "/resguardo.v1.AuditService/GetCheckpoint";
constexpr char kListEntries[] = "/resguardo.v1.AuditService/ListEntries";
constexpr char kGetInclusionProof[] =
    "/resguardo.v1.AuditService/GetInclusionProof";
constexpr char kGetConsistencyProof[] =
    "/resguardo.v1.AuditService/GetConsistencyProof";
constexpr char kExportLog[] = "/resguardo.v1.AuditService/ExportLog";

using store::ReadTxn;
using Caller = const auth::Principal&;

}  // namespace

AuditService::AuditService(CallRunner* runner, MethodTable* methods,
                           const audit::AuditReader* reader)
    : runner_(runner), reader_(reader) {
  methods->Unary(kGetCheckpoint, this, &AuditService::GetCheckpoint);
  methods->Unary(kListEntries, this, &AuditService::ListEntries);
  methods->Unary(kGetInclusionProof, this, &AuditService::GetInclusionProof);
  methods->Unary(kGetConsistencyProof, this,
                 &AuditService::GetConsistencyProof);
  methods->Unary(kExportLog, this, &AuditService::ExportLog);
}

void AuditService::GetCheckpoint(CallRunner::Handle call,
                                 const v1::GetCheckpointRequest* request,
                                 v1::GetCheckpointResponse* response) {
  runner_->Read(std::move(call), {}, response,
                [this, request](ReadTxn& txn, Caller caller, AuditFacts&) {
                  return reader_->GetCheckpoint(txn, caller, *request);
                });
}

void AuditService::ListEntries(CallRunner::Handle call,
                               const v1::ListEntriesRequest* request,
                               v1::ListEntriesResponse* response) {
  AuditFacts facts;
  facts.resource = request->resource();
  runner_->Read(std::move(call), std::move(facts), response,
                [this, request](ReadTxn& txn, Caller caller, AuditFacts&) {
                  return reader_->ListEntries(txn, caller, *request);
                });
}

void AuditService::GetInclusionProof(
    CallRunner::Handle call, const v1::GetInclusionProofRequest* request,
    v1::GetInclusionProofResponse* response) {
  runner_->Read(std::move(call), {}, response,
                [this, request](ReadTxn& txn, Caller caller, AuditFacts&) {
                  return reader_->GetInclusionProof(txn, caller, *request);
                });
}

void AuditService::GetConsistencyProof(
    CallRunner::Handle call, const v1::GetConsistencyProofRequest* request,
    v1::GetConsistencyProofResponse* response) {
  runner_->Read(std::move(call), {}, response,
                [this, request](ReadTxn& txn, Caller caller, AuditFacts&) {
                  return reader_->GetConsistencyProof(txn, caller, *request);
                });
}

void AuditService::ExportLog(CallRunner::Handle call,
                             const v1::ExportLogRequest* request,
                             v1::ExportLogResponse* response) {
  runner_->Read(std::move(call), {}, response,
                [this, request](ReadTxn& txn, Caller caller, AuditFacts&) {
                  return reader_->ExportLog(txn, caller, *request);
                });
}

}  // namespace resguardo::server
