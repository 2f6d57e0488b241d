// ReferralService: the gRPC edge of resguardo.v1.ReferralService. Each
// handler names its method and audit facts and hands the domain operation
// (referrals::ReferralStore, AlertStore) to the CallRunner, which
// authenticates, authorises, audits, converts the status and logs
// (call_runner.h). WatchAlerts is a server stream run by CallRunner::Stream.
//
// Thread safety: thread-safe. Ownership: borrows the CallRunner and the
// ReferralStore, which must outlive the gRPC server that serves this
// service.
#ifndef RESGUARDO_SERVICES_SERVER_REFERRAL_SERVICE_H_
#define RESGUARDO_SERVICES_SERVER_REFERRAL_SERVICE_H_

#include "resguardo/v1/referral_service.grpc.pb.h"
#include "services/server/decoded_service.h"

namespace resguardo::referrals {
class ReferralStore;
}  // namespace resguardo::referrals

namespace resguardo::server {

class CallRunner;

class ReferralService final
    : public DecodedService<v1::ReferralService::CallbackService> {
 public:
  // At most this many alerts are read per poll of a WatchAlerts stream.
  static constexpr int kAlertBatch = 100;

  ReferralService(CallRunner* runner, referrals::ReferralStore* referrals);

  grpc::ServerUnaryReactor* CreateReferral(
      grpc::CallbackServerContext* context,
      const v1::CreateReferralRequest* request,
      v1::Referral* response) override;
  grpc::ServerUnaryReactor* GetReferral(grpc::CallbackServerContext* context,
                                        const v1::GetReferralRequest* request,
                                        v1::Referral* response) override;
  grpc::ServerUnaryReactor* ListReferrals(
      grpc::CallbackServerContext* context,
      const v1::ListReferralsRequest* request,
      v1::ListReferralsResponse* response) override;
  grpc::ServerUnaryReactor* AcceptReferral(
      grpc::CallbackServerContext* context,
      const v1::AcceptReferralRequest* request,
      v1::Referral* response) override;
  grpc::ServerUnaryReactor* RejectReferral(
      grpc::CallbackServerContext* context,
      const v1::RejectReferralRequest* request,
      v1::Referral* response) override;
  grpc::ServerUnaryReactor* CompleteReferral(
      grpc::CallbackServerContext* context,
      const v1::CompleteReferralRequest* request,
      v1::Referral* response) override;
  grpc::ServerUnaryReactor* WithdrawReferral(
      grpc::CallbackServerContext* context,
      const v1::WithdrawReferralRequest* request,
      v1::Referral* response) override;
  grpc::ServerUnaryReactor* AddReferralFollowUp(
      grpc::CallbackServerContext* context,
      const v1::AddReferralFollowUpRequest* request,
      v1::ReferralFollowUp* response) override;
  grpc::ServerUnaryReactor* ListReferralFollowUps(
      grpc::CallbackServerContext* context,
      const v1::ListReferralFollowUpsRequest* request,
      v1::ListReferralFollowUpsResponse* response) override;
  grpc::ServerWriteReactor<v1::Alert>* WatchAlerts(
      grpc::CallbackServerContext* context,
      const v1::WatchAlertsRequest* request) override;

 private:
  CallRunner* const runner_;
  referrals::ReferralStore* const referrals_;
};

}  // namespace resguardo::server

#endif  // RESGUARDO_SERVICES_SERVER_REFERRAL_SERVICE_H_
