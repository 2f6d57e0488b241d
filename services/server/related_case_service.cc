#include "services/server/related_case_service.h"

#include "services/cases/related_cases.h"
#include "services/server/call_runner.h"

namespace resguardo::server {
namespace {

constexpr char kGetRelatedCases[] = "/resguardo.v1.CaseService/GetRelatedCases";
constexpr char kRecordCoordinationConsent[] =
    "/resguardo.v1.CaseService/RecordCoordinationConsent";
constexpr char kWithdrawCoordinationConsent[] =
    "/resguardo.v1.CaseService/WithdrawCoordinationConsent";

using store::ReadTxn;
using store::WriteTxn;
using Caller = const auth::Principal&;

}  // namespace

RelatedCaseService::RelatedCaseService(CallRunner* runner, MethodTable* methods,
                                       cases::RelatedCases* related)
    : runner_(runner), related_(related) {
  methods->Unary(kGetRelatedCases, this, &RelatedCaseService::GetRelatedCases);
  methods->Unary(kRecordCoordinationConsent, this,
                 &RelatedCaseService::RecordCoordinationConsent);
  methods->Unary(kWithdrawCoordinationConsent, this,
                 &RelatedCaseService::WithdrawCoordinationConsent);
}

void RelatedCaseService::GetRelatedCases(
    CallRunner::Handle call, const v1::GetRelatedCasesRequest* request,
    v1::RelatedCases* response) {
  AuditFacts facts{request->name()};
  facts.purpose = request->purpose();
  runner_->Read(std::move(call), std::move(facts), response,
                [this, request](ReadTxn& txn, Caller caller, AuditFacts&) {
                  return related_->Get(txn, caller, *request);
                });
}

void RelatedCaseService::RecordCoordinationConsent(
    CallRunner::Handle call,
    const v1::RecordCoordinationConsentRequest* request, v1::Case* response) {
  runner_->Write(std::move(call), {request->name()}, response,
                 [this, request](WriteTxn& txn, Caller caller, AuditFacts&) {
                   return related_->RecordConsent(txn, caller, *request);
                 });
}

void RelatedCaseService::WithdrawCoordinationConsent(
    CallRunner::Handle call,
    const v1::WithdrawCoordinationConsentRequest* request, v1::Case* response) {
  runner_->Write(std::move(call), {request->name()}, response,
                 [this, request](WriteTxn& txn, Caller caller, AuditFacts&) {
                   return related_->WithdrawConsent(txn, caller, *request);
                 });
}

}  // namespace resguardo::server
