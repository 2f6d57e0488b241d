// The private (differentially private) release of a plan with epsilon:
// one contribution per woman with a person key, two-sided geometric noise
// (geometric_noise.h) on every cell of a grid fixed by the query alone, as
// stats_engine.h describes it. Not charged: StatsEngine charges it.
//
// Thread-safe (reads in the caller's transaction).
#ifndef RESGUARDO_SERVICES_STATS_INTERNAL_PRIVATE_ANSWER_H_
#define RESGUARDO_SERVICES_STATS_INTERNAL_PRIVATE_ANSWER_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "resguardo/v1/stats_service.pb.h"
#include "services/stats/query_plan.h"
#include "services/store/transaction.h"

namespace resguardo::stats {

// Noisy counts below k are shown as withheld. INVALID_ARGUMENT when the
// grid passes 250,000 cells. REQUIRES: plan.epsilon_micro > 0.
absl::StatusOr<v1::StatsQueryResponse> PrivateAnswer(store::ReadTxn& txn,
                                                     const QueryPlan& plan,
                                                     int64_t k);

}  // namespace resguardo::stats

#endif  // RESGUARDO_SERVICES_STATS_INTERNAL_PRIVATE_ANSWER_H_
