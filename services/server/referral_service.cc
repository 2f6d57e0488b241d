#include "services/server/referral_service.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "services/api/field_violations.h"
#include "services/api/resource_names.h"
#include "services/referrals/alert_store.h"
#include "services/referrals/referral_store.h"
#include "services/server/call_runner.h"

namespace resguardo::server {
namespace {

constexpr char kCreate[] = "/resguardo.v1.ReferralService/CreateReferral";
constexpr char kGet[] = "/resguardo.v1.ReferralService/GetReferral";
constexpr char kList[] = "/resguardo.v1.ReferralService/ListReferrals";
constexpr char kAccept[] = "/resguardo.v1.ReferralService/AcceptReferral";
constexpr char kReject[] = "/resguardo.v1.ReferralService/RejectReferral";
constexpr char kComplete[] = "/resguardo.v1.ReferralService/CompleteReferral";
constexpr char kWithdraw[] = "/resguardo.v1.ReferralService/WithdrawReferral";
constexpr char kWatch[] = "/resguardo.v1.ReferralService/WatchAlerts";
constexpr char kListAlerts[] = "/resguardo.v1.ReferralService/ListAlerts";
constexpr char kAddFollowUp[] =
    "/resguardo.v1.ReferralService/AddReferralFollowUp";
constexpr char kListFollowUps[] =
    "/resguardo.v1.ReferralService/ListReferralFollowUps";

using referrals::AlertStore;
using store::ReadTxn;
using store::WriteTxn;
using Caller = const auth::Principal&;

}  // namespace

ReferralService::ReferralService(CallRunner* runner, MethodTable* methods,
                                 referrals::ReferralStore* referrals)
    : runner_(runner), referrals_(referrals) {
  methods->Unary(kCreate, this, &ReferralService::CreateReferral);
  methods->Unary(kGet, this, &ReferralService::GetReferral);
  methods->Unary(kList, this, &ReferralService::ListReferrals);
  methods->Unary(kAccept, this, &ReferralService::AcceptReferral);
  methods->Unary(kReject, this, &ReferralService::RejectReferral);
  methods->Unary(kComplete, this, &ReferralService::CompleteReferral);
  methods->Unary(kWithdraw, this, &ReferralService::WithdrawReferral);
  methods->Unary(kAddFollowUp, this, &ReferralService::AddReferralFollowUp);
  methods->Unary(kListFollowUps, this, &ReferralService::ListReferralFollowUps);
  methods->Unary(kListAlerts, this, &ReferralService::ListAlerts);
  methods->ServerStream(kWatch, this, &ReferralService::WatchAlerts,
                        static_cast<const v1::Alert*>(nullptr));
}

void ReferralService::CreateReferral(CallRunner::Handle call,
                                     const v1::CreateReferralRequest* request,
                                     v1::Referral* response) {
  runner_->Write(
      std::move(call), {request->referral().case_()}, response,
      [this, request](WriteTxn& txn, Caller caller,
                      AuditFacts& audit) -> absl::StatusOr<v1::Referral> {
        bool override_used = false;
        ASSIGN_OR_RETURN(
            v1::Referral created,
            referrals_->CreateReferral(txn, caller, *request, &override_used));
        audit.resource = created.name();
        if (override_used) {
          audit.note = referrals::ReferralStore::kOverrideAuditNote;
        }
        return created;
      });
}

void ReferralService::GetReferral(CallRunner::Handle call,
                                  const v1::GetReferralRequest* request,
                                  v1::Referral* response) {
  AuditFacts facts{request->name()};
  if (referrals::ReferralStore::ReadsSealedData(*request)) {
    facts.purpose = request->purpose();
  }
  runner_->Read(std::move(call), std::move(facts), response,
                [this, request](ReadTxn& txn, Caller caller, AuditFacts&) {
                  return referrals_->GetReferral(txn, caller, *request);
                });
}

void ReferralService::ListReferrals(CallRunner::Handle call,
                                    const v1::ListReferralsRequest* request,
                                    v1::ListReferralsResponse* response) {
  runner_->Read(std::move(call), {request->parent()}, response,
                [this, request](ReadTxn& txn, Caller caller, AuditFacts&) {
                  return referrals_->ListReferrals(txn, caller, *request);
                });
}

void ReferralService::AcceptReferral(CallRunner::Handle call,
                                     const v1::AcceptReferralRequest* request,
                                     v1::Referral* response) {
  runner_->Write(std::move(call), {request->name()}, response,
                 [this, request](WriteTxn& txn, Caller caller, AuditFacts&) {
                   return referrals_->AcceptReferral(txn, caller, *request);
                 });
}

void ReferralService::RejectReferral(CallRunner::Handle call,
                                     const v1::RejectReferralRequest* request,
                                     v1::Referral* response) {
  runner_->Write(std::move(call), {request->name()}, response,
                 [this, request](WriteTxn& txn, Caller caller, AuditFacts&) {
                   return referrals_->RejectReferral(txn, caller, *request);
                 });
}

void ReferralService::CompleteReferral(
    CallRunner::Handle call, const v1::CompleteReferralRequest* request,
    v1::Referral* response) {
  runner_->Write(std::move(call), {request->name()}, response,
                 [this, request](WriteTxn& txn, Caller caller, AuditFacts&) {
                   return referrals_->CompleteReferral(txn, caller, *request);
                 });
}

void ReferralService::WithdrawReferral(
    CallRunner::Handle call, const v1::WithdrawReferralRequest* request,
    v1::Referral* response) {
  runner_->Write(std::move(call), {request->name()}, response,
                 [this, request](WriteTxn& txn, Caller caller, AuditFacts&) {
                   return referrals_->WithdrawReferral(txn, caller, *request);
                 });
}

void ReferralService::AddReferralFollowUp(
    CallRunner::Handle call, const v1::AddReferralFollowUpRequest* request,
    v1::ReferralFollowUp* response) {
  runner_->Write(
      std::move(call), {request->parent()}, response,
      [this, request](WriteTxn& txn, Caller caller, AuditFacts& audit)
          -> absl::StatusOr<v1::ReferralFollowUp> {
        ASSIGN_OR_RETURN(
            v1::ReferralFollowUp added,
            referrals_->AddReferralFollowUp(txn, caller, *request));
        audit.resource = added.name();
        return added;
      });
}

void ReferralService::ListReferralFollowUps(
    CallRunner::Handle call, const v1::ListReferralFollowUpsRequest* request,
    v1::ListReferralFollowUpsResponse* response) {
  AuditFacts facts{request->parent()};
  if (referrals::ReferralStore::ReadsSealedData(*request)) {
    facts.purpose = request->purpose();
  }
  runner_->Read(std::move(call), std::move(facts), response,
                [this, request](ReadTxn& txn, Caller caller, AuditFacts&) {
                  return referrals_->ListReferralFollowUps(txn, caller,
                                                           *request);
                });
}

void ReferralService::ListAlerts(CallRunner::Handle call,
                                 const v1::ListAlertsRequest* request,
                                 v1::ListAlertsResponse* response) {
  runner_->Read(std::move(call), {request->parent()}, response,
                [request](ReadTxn& txn, Caller caller, AuditFacts&) {
                  return AlertStore::List(txn, caller, *request);
                });
}

void ReferralService::WatchAlerts(CallRunner::Handle call,
                                  const v1::WatchAlertsRequest* request) {
  // Where the stream is: fixed by open (on a worker), then read and moved
  // only by next (on the pump thread), never both at once.
  struct Position {
    std::string institution;
    uint64_t last = 0;
  };
  auto position = std::make_shared<Position>();
  runner_->Stream<v1::Alert>(
      std::move(call), {request->parent()},
      [request, position](ReadTxn& txn, Caller caller,
                          AuditFacts&) -> absl::Status {
        ASSIGN_OR_RETURN(
            std::string institution,
            AlertStore::CallersInstitution(caller, request->parent()));
        position->institution = institution;
        if (request->resume_token().empty()) {
          ASSIGN_OR_RETURN(position->last,
                           AlertStore::LastSequence(txn, institution));
          return absl::OkStatus();
        }
        std::optional<uint64_t> after =
            AlertStore::ParseResumeToken(institution, request->resume_token());
        if (!after) {
          api::FieldViolations v;
          v.Add("resume_token",
                "must be a resume token of this institution's alerts");
          return v.ToStatus();
        }
        position->last = *after;
        return absl::OkStatus();
      },
      [position](ReadTxn& txn, internal::PollRound& round)
          -> absl::StatusOr<std::vector<v1::Alert>> {
        // One query per institution and round, whatever the number of its
        // watchers: an idle stream reads nothing of its own.
        ASSIGN_OR_RETURN(
            uint64_t last,
            round.Shared(absl::StrCat("alerts/", position->institution), [&] {
              return AlertStore::LastSequence(txn, position->institution);
            }));
        if (last <= position->last) return std::vector<v1::Alert>();
        ASSIGN_OR_RETURN(std::vector<v1::Alert> alerts,
                         AlertStore::ListAfter(txn, position->institution,
                                               position->last, kAlertBatch));
        if (!alerts.empty()) position->last = alerts.back().sequence();
        return alerts;
      });
}

}  // namespace resguardo::server
