// ReferralService: the handlers of resguardo.v1.ReferralService. Each
// handler names its method and audit facts and hands the domain operation
// (referrals::ReferralStore, AlertStore) to the CallRunner, which
// authenticates, authorises, audits, converts the status and logs
// (call_runner.h). WatchAlerts is a server stream run by CallRunner::Stream.
//
// Thread safety: thread-safe. Ownership: borrows the CallRunner and the
// ReferralStore, which must outlive the transports that serve this
// service.
#ifndef RESGUARDO_SERVICES_SERVER_REFERRAL_SERVICE_H_
#define RESGUARDO_SERVICES_SERVER_REFERRAL_SERVICE_H_

#include "resguardo/v1/referral_service.pb.h"
#include "services/server/call_runner.h"
#include "services/server/method_table.h"

namespace resguardo::referrals {
class ReferralStore;
}  // namespace resguardo::referrals

namespace resguardo::server {

class ReferralService final {
 public:
  // At most this many alerts are read per poll of a WatchAlerts stream.
  static constexpr int kAlertBatch = 100;

  ReferralService(CallRunner* runner, MethodTable* methods,
                  referrals::ReferralStore* referrals);

  void CreateReferral(CallRunner::Handle call,
                      const v1::CreateReferralRequest* request,
                      v1::Referral* response);
  void GetReferral(CallRunner::Handle call,
                   const v1::GetReferralRequest* request,
                   v1::Referral* response);
  void ListReferrals(CallRunner::Handle call,
                     const v1::ListReferralsRequest* request,
                     v1::ListReferralsResponse* response);
  void AcceptReferral(CallRunner::Handle call,
                      const v1::AcceptReferralRequest* request,
                      v1::Referral* response);
  void RejectReferral(CallRunner::Handle call,
                      const v1::RejectReferralRequest* request,
                      v1::Referral* response);
  void CompleteReferral(CallRunner::Handle call,
                        const v1::CompleteReferralRequest* request,
                        v1::Referral* response);
  void WithdrawReferral(CallRunner::Handle call,
                        const v1::WithdrawReferralRequest* request,
                        v1::Referral* response);
  void AddReferralFollowUp(CallRunner::Handle call,
                           const v1::AddReferralFollowUpRequest* request,
                           v1::ReferralFollowUp* response);
  void ListReferralFollowUps(CallRunner::Handle call,
                             const v1::ListReferralFollowUpsRequest* request,
                             v1::ListReferralFollowUpsResponse* response);
  void ListAlerts(CallRunner::Handle call, const v1::ListAlertsRequest* request,
                  v1::ListAlertsResponse* response);
  void WatchAlerts(CallRunner::Handle call,
                   const v1::WatchAlertsRequest* request);

 private:
  CallRunner* const runner_;
  referrals::ReferralStore* const referrals_;
};

}  // namespace resguardo::server

#endif  // RESGUARDO_SERVICES_SERVER_REFERRAL_SERVICE_H_
