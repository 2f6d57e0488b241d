#include "services/server/stats_service.h"

#include <utility>

#include "base/status_macros.h"
#include "services/server/call_runner.h"
#include "services/stats/query_plan.h"
#include "services/stats/stats_engine.h"

namespace resguardo::server {
namespace {

constexpr char kQuery[] = "/resguardo.v1.StatsService/Query";

using Caller = const auth::Principal&;

}  // namespace

StatsService::StatsService(CallRunner* runner, stats::StatsEngine* engine,
                           store::Database* db)
    : runner_(runner), engine_(engine), db_(db) {
  Decode(runner, kQuery, &StatsService::Query);
}

grpc::ServerUnaryReactor* StatsService::Query(
    grpc::CallbackServerContext* context, const v1::StatsQueryRequest* request,
    v1::StatsQueryResponse* response) {
  absl::StatusOr<stats::QueryPlan> plan = stats::PlanQuery(*request);
  AuditFacts facts;
  facts.resource = request->parent();
  facts.query_parameters = plan.ok() ? plan->canonical : "invalid";
  return runner_->Read(
      context, kQuery, std::move(facts), response,
      [this, plan = std::move(plan)](
          store::ReadTxn& txn, Caller caller,
          AuditFacts&) -> absl::StatusOr<v1::StatsQueryResponse> {
        if (!plan.ok()) return plan.status();
        RETURN_IF_ERROR(engine_->CheckScope(txn, caller, *plan));
        if (plan->epsilon_micro > 0) {
          // The scan runs in this read; only the charge and the stored
          // release take the writer, briefly.
          return engine_->QueryPrivate(txn, *db_, caller, *plan);
        }
        return engine_->Query(txn, *plan);
      });
}

}  // namespace resguardo::server
