// The grid of a statistics table: each dimension's values, fixed by the
// query and by the node's data as a whole, never by the filtered population
// (stats_engine.h), and the labels of its cells.
//
// Thread-safe (pure functions, and Grid reads in the caller's transaction).
#ifndef RESGUARDO_SERVICES_STATS_INTERNAL_GRID_H_
#define RESGUARDO_SERVICES_STATS_INTERNAL_GRID_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "absl/status/statusor.h"
#include "resguardo/v1/stats_service.pb.h"
#include "services/stats/query_plan.h"
#include "services/store/statement.h"
#include "services/store/transaction.h"

namespace resguardo::stats {

// A dimension's value in a row: a number (catalogue values, periods, days
// buckets) or an INEGI code.
struct DimValue {
  int64_t num = 0;
  std::string text;
  bool operator<(const DimValue& o) const {
    return std::tie(num, text) < std::tie(o.num, o.text);
  }
  bool operator==(const DimValue& o) const {
    return num == o.num && text == o.text;
  }
};
using Key = std::vector<DimValue>;

// True for the dimensions whose values are INEGI codes (text).
bool IsText(v1::StatsDimension d);

// A row's value of dimension `d` in `column` of `s`.
absl::StatusOr<DimValue> ReadDim(const store::Statement& s, int column,
                                 v1::StatsDimension d);

// The label of a value in an answer's cell.
std::string Label(v1::StatsDimension d, const DimValue& v);

// A table's axes: each dimension's grid values, sorted, and the index of
// each.
struct Axes {
  std::vector<std::vector<DimValue>> values;
  std::vector<std::map<DimValue, int>> index;
};

// Sorts and dedupes each axis's values and indexes them.
void IndexAxes(Axes& axes);

// Adds to the grid the values of `cells` it lacks. Only data the case
// validator refuses (a required field left "not recorded" by an old
// import, a state code out of 01-32) can be missing: without it the cells
// would not add up to the total.
template <typename Map>
void AddMissing(Axes& axes, const Map& cells) {
  bool added = false;
  for (const auto& [key, unused] : cells) {
    for (size_t d = 0; d < axes.values.size(); ++d) {
      if (axes.index[d].count(key[d]) == 0) {
        axes.values[d].push_back(key[d]);
        axes.index[d].emplace(key[d], -1);
        added = true;
      }
    }
  }
  if (added) IndexAxes(axes);
}

// Calls fn(cell index, key) for every cell of the grid, row-major.
template <typename Fn>
void ForEachCell(const Axes& axes, Fn fn) {
  const size_t n = axes.values.size();
  size_t size = 1;
  for (const auto& v : axes.values) size *= v.size();
  std::vector<size_t> idx(n, 0);
  Key key(n);
  for (size_t c = 0; c < size; ++c) {
    for (size_t d = 0; d < n; ++d) key[d] = axes.values[d][idx[d]];
    fn(c, key);
    for (size_t d = n; d-- > 0;) {
      if (++idx[d] < axes.values[d].size()) break;
      idx[d] = 0;
    }
  }
}

// The row-major index of `key` in the grid.
size_t CellIndex(const Axes& axes, const Key& key);

// Sets `cell`'s values: the labels of `key`, or with `key` null, the label
// of `only_value` for dimension `only_dim` (a one-way total) and "" for the
// others (-1: the grand total).
void SetCell(v1::StatsCell* cell, const QueryPlan& plan, const Key* key,
             int only_dim, const DimValue* only_value);

// The data-independent values of a dimension under differential privacy.
std::vector<DimValue> Domain(const QueryPlan& plan, v1::StatsDimension d);

// The grid of a count or median table: every dimension's values, fixed
// by the query and by the node's data as a whole, never by the filtered
// population: catalogue values (those of a filter on the same dimension,
// for a single-valued one), states 01-32, the months asked (or the node's
// first to last month of report when unbounded), the municipalities
// present in the node's cases (of the filtered states, if a state filter).
// INVALID_ARGUMENT naming the dimension that takes the table past
// kMaxCells.
absl::StatusOr<Axes> Grid(store::ReadTxn& txn, const QueryPlan& plan);

}  // namespace resguardo::stats

#endif  // RESGUARDO_SERVICES_STATS_INTERNAL_GRID_H_
