#include "services/stats/internal/count_answer.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "services/api/error_catalogue.h"
#include "services/stats/internal/table_suppressor.h"

namespace resguardo::stats {

using v1::StatsDimension;

// The refusal of a query whose whole population is below k. It names no
// value: only the threshold and what the population counts.
absl::Status PopulationBelowK(int64_t k, absl::string_view what) {
  return api::WithErrorText(
      absl::FailedPreconditionError(absl::StrCat(
          "the query's population is below the threshold k = ", k, " (", what,
          "): nothing is released; widen the filters or the months")),
      {api::ErrorId::kStatsPopulationBelowK, {k}});
}

// Suppression, perturbation and assembly of a count table over the grid
// `axes` (every combination listed, zeros included).
v1::StatsQueryResponse CountAnswer(const QueryPlan& plan, Axes axes,
                                   const std::map<Key, Count>& cells, int64_t k,
                                   bool perturb) {
  v1::StatsQueryResponse out;
  const size_t n = plan.dimensions.size();
  for (StatsDimension d : plan.dimensions) out.add_dimensions(d);
  out.set_measure(plan.measure);
  out.mutable_privacy()->set_k(static_cast<uint32_t>(k));
  out.mutable_privacy()->set_perturbation_max(perturb ? 2 : 0);
  AddMissing(axes, cells);
  Table table;
  size_t size = 1;
  for (size_t d = 0; d < n; ++d) {
    table.sizes.push_back(static_cast<int>(axes.values[d].size()));
    size *= axes.values[d].size();
  }
  std::vector<Count> grid(size);
  table.counts.assign(size, 0);
  for (const auto& [key, count] : cells) {
    const size_t c = CellIndex(axes, key);
    grid[c] = count;
    table.counts[c] = count.value;
  }
  std::vector<std::vector<Count>> margin_counts(n);
  for (size_t d = 0; d < n; ++d) margin_counts[d].resize(axes.values[d].size());
  Count total;
  ForEachCell(axes, [&](size_t c, const Key& key) {
    for (size_t d = 0; d < n; ++d) {
      Count& m = margin_counts[d][axes.index[d].at(key[d])];
      m.value += grid[c].value;
      m.cell_key += grid[c].cell_key;
    }
    total.value += grid[c].value;
    total.cell_key += grid[c].cell_key;
  });
  // A one-way total that sums over a multi-valued dimension counts
  // mentions, not women: one woman with five conducts makes a row total of
  // 5 >= k. Such totals are withheld before the suppression, which then
  // uses them as unknowns. The grand total stands on the whole population,
  // at least k cases (the caller refuses less).
  SuppressOptions options;
  options.k = k;
  if (n == 2) {
    options.forced_margins.resize(2);
    for (size_t d = 0; d < 2; ++d) {
      options.forced_margins[d].assign(axes.values[d].size(),
                                       IsMultiValued(plan.dimensions[1 - d]));
    }
  }
  const Suppression s = Suppress(table, options);
  ForEachCell(axes, [&](size_t c, const Key& key) {
    v1::StatsCell* cell = out.add_cells();
    SetCell(cell, plan, &key, -1, nullptr);
    if (s.cells[c]) {
      cell->set_suppressed(true);
    } else {
      cell->set_count(PerturbAndFloor(grid[c], k, perturb));
    }
  });
  if (n == 2) {
    for (size_t d = 0; d < n; ++d) {
      for (size_t i = 0; i < axes.values[d].size(); ++i) {
        v1::StatsCell* cell = out.add_margins();
        SetCell(cell, plan, nullptr, static_cast<int>(d), &axes.values[d][i]);
        if (s.margins[d][i]) {
          cell->set_suppressed(true);
        } else {
          cell->set_count(PerturbAndFloor(margin_counts[d][i], k, perturb));
        }
      }
    }
  }
  SetCell(out.mutable_total(), plan, nullptr, -1, nullptr);
  if (s.total) {
    out.mutable_total()->set_suppressed(true);
  } else {
    out.mutable_total()->set_count(PerturbAndFloor(total, k, perturb));
  }
  out.set_information_loss(s.information_loss);
  out.set_suppression_budget_exhausted(s.exhausted);
  return out;
}

}  // namespace resguardo::stats
