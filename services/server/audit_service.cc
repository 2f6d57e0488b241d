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

AuditService::AuditService(CallRunner* runner, const audit::AuditReader* reader)
    : runner_(runner), reader_(reader) {
  Decode(runner, kGetCheckpoint, &AuditService::GetCheckpoint);
  Decode(runner, kListEntries, &AuditService::ListEntries);
  Decode(runner, kGetInclusionProof, &AuditService::GetInclusionProof);
  Decode(runner, kGetConsistencyProof, &AuditService::GetConsistencyProof);
  Decode(runner, kExportLog, &AuditService::ExportLog);
}

grpc::ServerUnaryReactor* AuditService::GetCheckpoint(
    grpc::CallbackServerContext* context,
    const v1::GetCheckpointRequest* request,
    v1::GetCheckpointResponse* response) {
  return runner_->Read(
      context, kGetCheckpoint, {}, response,
      [this, request](ReadTxn& txn, Caller caller, AuditFacts&) {
        return reader_->GetCheckpoint(txn, caller, *request);
      });
}

grpc::ServerUnaryReactor* AuditService::ListEntries(
    grpc::CallbackServerContext* context, const v1::ListEntriesRequest* request,
    v1::ListEntriesResponse* response) {
  AuditFacts facts;
  facts.resource = request->resource();
  return runner_->Read(
      context, kListEntries, std::move(facts), response,
      [this, request](ReadTxn& txn, Caller caller, AuditFacts&) {
        return reader_->ListEntries(txn, caller, *request);
      });
}

grpc::ServerUnaryReactor* AuditService::GetInclusionProof(
    grpc::CallbackServerContext* context,
    const v1::GetInclusionProofRequest* request,
    v1::GetInclusionProofResponse* response) {
  return runner_->Read(
      context, kGetInclusionProof, {}, response,
      [this, request](ReadTxn& txn, Caller caller, AuditFacts&) {
        return reader_->GetInclusionProof(txn, caller, *request);
      });
}

grpc::ServerUnaryReactor* AuditService::GetConsistencyProof(
    grpc::CallbackServerContext* context,
    const v1::GetConsistencyProofRequest* request,
    v1::GetConsistencyProofResponse* response) {
  return runner_->Read(
      context, kGetConsistencyProof, {}, response,
      [this, request](ReadTxn& txn, Caller caller, AuditFacts&) {
        return reader_->GetConsistencyProof(txn, caller, *request);
      });
}

grpc::ServerUnaryReactor* AuditService::ExportLog(
    grpc::CallbackServerContext* context, const v1::ExportLogRequest* request,
    v1::ExportLogResponse* response) {
  return runner_->Read(
      context, kExportLog, {}, response,
      [this, request](ReadTxn& txn, Caller caller, AuditFacts&) {
        return reader_->ExportLog(txn, caller, *request);
      });
}

}  // namespace resguardo::server
