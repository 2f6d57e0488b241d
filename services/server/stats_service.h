// StatsService: the handlers of resguardo.v1.StatsService. The handler
// plans the query (stats::PlanQuery, pure), names the audit facts (the
// plan's canonical encoding, never a value of the answer) and hands it to
// the CallRunner as a read followed, when needed, by a write
// (CallRunner::ReadThenWrite): the scope check, the stored answer of an
// identical query and otherwise the new answer are computed in a read on a
// worker (StatsEngine::Prepare); the charge (query allowance or epsilon)
// and the stored answer are then written by the store's writer, in the
// same group-committed transaction as the call's audit entry
// (StatsEngine::Commit). A repeated query finishes as a read.
//
// Thread safety: thread-safe. Ownership: borrows the CallRunner and the
// StatsEngine, which must outlive the transports that serve this service.
#ifndef RESGUARDO_SERVICES_SERVER_STATS_SERVICE_H_
#define RESGUARDO_SERVICES_SERVER_STATS_SERVICE_H_

#include "resguardo/v1/stats_service.pb.h"
#include "services/server/call_runner.h"
#include "services/server/method_table.h"

namespace resguardo::stats {
class StatsEngine;
}  // namespace resguardo::stats

namespace resguardo::server {

class StatsService final {
 public:
  StatsService(CallRunner* runner, MethodTable* methods,
               stats::StatsEngine* engine);

  void Query(CallRunner::Handle call, const v1::StatsQueryRequest* request,
             v1::StatsQueryResponse* response);
  // A read: what the caller may still spend (StatsEngine::Allowance).
  void GetAllowance(CallRunner::Handle call,
                    const v1::GetStatsAllowanceRequest* request,
                    v1::StatsAllowance* response);

 private:
  CallRunner* const runner_;
  stats::StatsEngine* const engine_;
};

}  // namespace resguardo::server

#endif  // RESGUARDO_SERVICES_SERVER_STATS_SERVICE_H_
