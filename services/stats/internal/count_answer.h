// The assembly of a count answer: suppression (table_suppressor.h) of the
// counts over the whole grid, the perturbation of what is released, the
// one-way totals and the grand total, and the information loss.
//
// Thread-safe (pure functions).
#ifndef RESGUARDO_SERVICES_STATS_INTERNAL_COUNT_ANSWER_H_
#define RESGUARDO_SERVICES_STATS_INTERNAL_COUNT_ANSWER_H_

#include <cstdint>
#include <map>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "resguardo/v1/stats_service.pb.h"
#include "services/stats/internal/cell_key.h"
#include "services/stats/internal/grid.h"
#include "services/stats/query_plan.h"

namespace resguardo::stats {

// The refusal of a query whose whole population is below k. It names no
// value: only the threshold and what the population counts.
absl::Status PopulationBelowK(int64_t k, absl::string_view what);

// Suppression, perturbation and assembly of a count table over the grid
// `axes` (every combination listed, zeros included).
v1::StatsQueryResponse CountAnswer(const QueryPlan& plan, Axes axes,
                                   const std::map<Key, Count>& cells, int64_t k,
                                   bool perturb);

}  // namespace resguardo::stats

#endif  // RESGUARDO_SERVICES_STATS_INTERNAL_COUNT_ANSWER_H_
