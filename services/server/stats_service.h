// StatsService: the gRPC edge of resguardo.v1.StatsService. The handler
// plans the query (stats::PlanQuery, pure), names the audit facts (the
// plan's canonical encoding, never a value of the answer) and hands the
// scope check and the query to the CallRunner as a read. With epsilon the
// answer is computed in that read and then the budget charged and the
// release stored in one short write of the database (StatsEngine::
// QueryPrivate), so the scan never holds the node's single writer; the
// read's audit entry is made durable before the answer goes out.
//
// Thread safety: thread-safe. Ownership: borrows the CallRunner and the
// StatsEngine and the Database, which must outlive the gRPC server that serves
// this service.
#ifndef RESGUARDO_SERVICES_SERVER_STATS_SERVICE_H_
#define RESGUARDO_SERVICES_SERVER_STATS_SERVICE_H_

#include "resguardo/v1/stats_service.grpc.pb.h"
#include "services/server/decoded_service.h"

namespace resguardo::stats {
class StatsEngine;
}  // namespace resguardo::stats

namespace resguardo::store {
class Database;
}  // namespace resguardo::store

namespace resguardo::server {

class CallRunner;

class StatsService final
    : public DecodedService<v1::StatsService::CallbackService> {
 public:
  StatsService(CallRunner* runner, stats::StatsEngine* engine,
               store::Database* db);

  grpc::ServerUnaryReactor* Query(grpc::CallbackServerContext* context,
                                  const v1::StatsQueryRequest* request,
                                  v1::StatsQueryResponse* response) override;

 private:
  CallRunner* const runner_;
  stats::StatsEngine* const engine_;
  store::Database* const db_;
};

}  // namespace resguardo::server

#endif  // RESGUARDO_SERVICES_SERVER_STATS_SERVICE_H_
