#include "services/server/stats_service.h"

#include <utility>
#include <variant>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "services/server/call_runner.h"
#include "services/stats/query_plan.h"
#include "services/stats/stats_engine.h"

namespace resguardo::server {
namespace {

constexpr char kQuery[] = "/resguardo.v1.StatsService/Query";
constexpr char kGetAllowance[] = "/resguardo.v1.StatsService/GetAllowance";

using Caller = const auth::Principal&;

}  // namespace

StatsService::StatsService(CallRunner* runner, MethodTable* methods,
                           stats::StatsEngine* engine)
    : runner_(runner), engine_(engine) {
  methods->Unary(kQuery, this, &StatsService::Query);
  methods->Unary(kGetAllowance, this, &StatsService::GetAllowance);
}

void StatsService::Query(CallRunner::Handle call,
                         const v1::StatsQueryRequest* request,
                         v1::StatsQueryResponse* response) {
  absl::StatusOr<stats::QueryPlan> plan = stats::PlanQuery(*request);
  AuditFacts facts;
  facts.resource = request->parent();
  facts.query_parameters = plan.ok() ? plan->canonical : "invalid";
  using Draft = stats::StatsEngine::Draft;
  runner_->ReadThenWrite<v1::StatsQueryResponse, Draft>(
      std::move(call), std::move(facts), response,
      // On a worker, in a read: the scope, then the stored answer of an
      // identical query (finished as a read) or the new answer.
      [this, plan](store::ReadTxn& txn, Caller caller, AuditFacts&)
          -> absl::StatusOr<std::variant<v1::StatsQueryResponse, Draft>> {
        if (!plan.ok()) return plan.status();
        RETURN_IF_ERROR(engine_->CheckScope(txn, caller, *plan));
        ASSIGN_OR_RETURN(Draft draft, engine_->Prepare(txn, caller, *plan));
        if (draft.stored) return std::move(draft.answer);
        return draft;
      },
      // On the store's writer: the charge and the stored answer, with the
      // call's audit entry, in one group-committed transaction.
      [this, plan](store::WriteTxn& txn, Caller caller, AuditFacts&,
                   Draft draft) -> absl::StatusOr<v1::StatsQueryResponse> {
        return engine_->Commit(txn, caller, *plan, std::move(draft));
      });
}

void StatsService::GetAllowance(CallRunner::Handle call,
                                const v1::GetStatsAllowanceRequest* request,
                                v1::StatsAllowance* response) {
  AuditFacts facts;
  runner_->Read(std::move(call), std::move(facts), response,
                [this, request = *request](
                    store::ReadTxn& txn, Caller caller,
                    AuditFacts& audit) -> absl::StatusOr<v1::StatsAllowance> {
                  audit.resource =
                      absl::StrCat("institutions/", caller.institution);
                  return engine_->Allowance(txn, caller, request);
                });
}

}  // namespace resguardo::server
