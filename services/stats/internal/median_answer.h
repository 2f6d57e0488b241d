// The median answer: median days to a first action, or to a referral's
// acceptance, per cell of the grid, each a noisy median (a rank drawn from
// the cell key in the central half) released only over at least k distinct
// cases.
//
// Thread-safe (reads in the caller's transaction).
#ifndef RESGUARDO_SERVICES_STATS_INTERNAL_MEDIAN_ANSWER_H_
#define RESGUARDO_SERVICES_STATS_INTERNAL_MEDIAN_ANSWER_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "resguardo/v1/stats_service.pb.h"
#include "services/stats/internal/grid.h"
#include "services/stats/query_plan.h"
#include "services/store/transaction.h"

namespace resguardo::stats {

// The record key of a case is (id * key_a + key_b) mod kRecordKeyModulus.
// FAILED_PRECONDITION when fewer than k cases stand behind the whole
// population. REQUIRES: plan.measure is a median; `axes` is Grid's.
absl::StatusOr<v1::StatsQueryResponse> MedianAnswer(store::ReadTxn& txn,
                                                    const QueryPlan& plan,
                                                    Axes axes, int64_t key_a,
                                                    int64_t key_b, int64_t k);

}  // namespace resguardo::stats

#endif  // RESGUARDO_SERVICES_STATS_INTERNAL_MEDIAN_ANSWER_H_
