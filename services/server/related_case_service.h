// RelatedCaseService: the handlers of the related cases of a woman in
// resguardo.v1.CaseService (GetRelatedCases, RecordCoordinationConsent,
// WithdrawCoordinationConsent), apart from case_service.h because their
// domain object is cases::RelatedCases. As every handler: names its method
// and audit facts and hands the operation to the CallRunner. GetRelatedCases
// is a read of personal data: its purpose goes into its audit entry, which
// is durable before the answer leaves.
//
// Thread safety: thread-safe. Ownership: borrows the CallRunner and the
// RelatedCases, which must outlive the transports that serve this service.
#ifndef RESGUARDO_SERVICES_SERVER_RELATED_CASE_SERVICE_H_
#define RESGUARDO_SERVICES_SERVER_RELATED_CASE_SERVICE_H_

#include "resguardo/v1/case_service.pb.h"
#include "services/server/call_runner.h"
#include "services/server/method_table.h"

namespace resguardo::cases {
class RelatedCases;
}  // namespace resguardo::cases

namespace resguardo::server {

class RelatedCaseService final {
 public:
  RelatedCaseService(CallRunner* runner, MethodTable* methods,
                     cases::RelatedCases* related);

  void GetRelatedCases(CallRunner::Handle call,
                       const v1::GetRelatedCasesRequest* request,
                       v1::RelatedCases* response);
  void RecordCoordinationConsent(
      CallRunner::Handle call,
      const v1::RecordCoordinationConsentRequest* request, v1::Case* response);
  void WithdrawCoordinationConsent(
      CallRunner::Handle call,
      const v1::WithdrawCoordinationConsentRequest* request,
      v1::Case* response);

 private:
  CallRunner* const runner_;
  cases::RelatedCases* const related_;
};

}  // namespace resguardo::server

#endif  // RESGUARDO_SERVICES_SERVER_RELATED_CASE_SERVICE_H_
