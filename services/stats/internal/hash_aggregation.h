// Case counts over single-valued dimensions and at most one case_codes
// dimension, aggregated in C++ over one scan (the fast path of
// StatsEngine::Query; the SQL GROUP BY path gives the same answer).
//
// Thread-safe (reads in the caller's transaction).
#ifndef RESGUARDO_SERVICES_STATS_INTERNAL_HASH_AGGREGATION_H_
#define RESGUARDO_SERVICES_STATS_INTERNAL_HASH_AGGREGATION_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "resguardo/v1/stats_service.pb.h"
#include "services/stats/internal/grid.h"
#include "services/stats/query_plan.h"
#include "services/store/transaction.h"

namespace resguardo::stats {

// Counting cases needs no DISTINCT: the rows are aggregated here, in an
// array over the grid (a hash table for values off the grid), which SQLite
// 3.15 lacks (its GROUP BY sorts every row: at a
// million cases the sort costs ten times the scan). Text dimensions (INEGI
// codes) are interned, so a row costs no allocation. A case_codes
// dimension is not joined row by row: the cases are scanned once (through
// the covering index cases_stats), then the dimension's codes are read from
// the covering index case_codes_by_code and matched by id; a case with no code
// counts as "not recorded" (0), as the LEFT JOIN of the SQL path does.
// When the dimension has a mask column in the index (MaskColumnOf), the
// codes come with the scan's row and case_codes is not read at all.
// The record key of a case is (id * key_a + key_b) mod kRecordKeyModulus;
// the answer is CountAnswer's (count_answer.h) with threshold k.
// REQUIRES: plan.measure is STATS_MEASURE_CASES, 1-3 dimensions, no
// referral dimension, at most one multi-valued one; `axes` is Grid's.
absl::StatusOr<v1::StatsQueryResponse> CountByHash(store::ReadTxn& txn,
                                                   const QueryPlan& plan,
                                                   Axes axes, int64_t key_a,
                                                   int64_t key_b, int64_t k,
                                                   bool perturb);

}  // namespace resguardo::stats

#endif  // RESGUARDO_SERVICES_STATS_INTERNAL_HASH_AGGREGATION_H_
