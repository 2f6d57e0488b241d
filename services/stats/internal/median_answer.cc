#include "services/stats/internal/median_answer.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "services/stats/internal/cell_key.h"
#include "services/stats/internal/count_answer.h"
#include "services/stats/internal/sql_frame.h"

namespace resguardo::stats {
namespace {

using v1::StatsDimension;

// A noisy median of the `n` values of `histogram` (value -> how many):
// the value at a rank drawn from the central half of the sorted values
// (ranks floor(n/4) .. ceil(3n/4) - 1, always including the middle), the
// draw a fixed function of the set of cases (its cell key and size). An
// exact median of a set and of the same set plus one case tells on which
// side of it that case's value lies; this one moves towards that side only
// a little more often than chance (about 0.6 of its moves on 5-9 values,
// 0.55 on 10-30: stats_engine_test MedianDirectionIsNearChance), and
// repeating the query gives the same value.
double NoisyMedian(const std::map<int64_t, int64_t>& histogram, int64_t n,
                   int64_t cell_key) {
  int64_t lo = n / 4;
  int64_t hi = (3 * n + 3) / 4 - 1;
  lo = std::min(lo, (n - 1) / 2);
  hi = std::max(hi, n / 2);
  const uint64_t width = static_cast<uint64_t>(hi - lo + 1);
  const int64_t rank =
      lo + static_cast<int64_t>(CellDraw(kMedianDraw, cell_key, n) % width);
  int64_t seen = 0;
  for (const auto& [days, count] : histogram) {
    seen += count;
    if (seen > rank) return static_cast<double>(days);
  }
  return static_cast<double>(histogram.rbegin()->first);
}

// `support`: how many distinct cases stand behind the median (-1: one per
// value). Withheld below k.
void SetMedian(v1::StatsCell* cell, const std::map<int64_t, int64_t>& h,
               int64_t k, int64_t support, int64_t cell_key) {
  int64_t n = 0;
  for (const auto& [unused, c] : h) n += c;
  if ((support >= 0 ? support : n) < k || n == 0) {
    cell->set_suppressed(true);
  } else {
    cell->set_median_days(NoisyMedian(h, n, cell_key));
  }
}

}  // namespace

absl::StatusOr<v1::StatsQueryResponse> MedianAnswer(store::ReadTxn& txn,
                                                    const QueryPlan& plan,
                                                    Axes axes, int64_t key_a,
                                                    int64_t key_b, int64_t k) {
  SqlBuilder sql;
  const Frame f = BuildFrame(plan, /*first_code_only=*/false,
                             /*stats_index=*/true, sql);
  const size_t n = plan.dimensions.size();
  std::vector<std::string> group;
  for (size_t d = 0; d < n; ++d) group.push_back(absl::StrCat(d + 1));
  // Acceptance: one value per accepted referral (whole days from its
  // creation to its acceptance); a median stands on the distinct cases
  // behind it, so one woman's many referrals never make a cell of k.
  const bool referral =
      plan.measure == v1::STATS_MEASURE_MEDIAN_DAYS_TO_REFERRAL_ACCEPTANCE;
  std::string from = f.from;
  std::vector<std::string> select = f.dims;
  if (referral) {
    absl::StrAppend(&from,
                    " JOIN referrals ra ON ra.case_id = c.id AND "
                    "ra.accept_time > 0");
    select.push_back("(ra.accept_time - ra.create_time) / 86400000000 AS days");
  } else {
    select.push_back(absl::StrCat("(", DaysToFirstAction(), ") AS days"));
  }
  // Support is counted in distinct cases whenever a case can stand
  // behind several values of a median: her referrals, or her several
  // values of a multi-valued dimension, which put her once in each cell
  // and then again in a one-way total and the grand total (three cases
  // with two violence types each must not make a total of 6 >= k).
  bool per_case = referral;
  for (StatsDimension d : plan.dimensions) per_case |= IsMultiValued(d);
  select.push_back("COUNT(*)");
  select.push_back(per_case ? "c.id" : "0");
  select.push_back(absl::StrCat("SUM((c.id * ", sql.Param(key_a), " + ",
                                sql.Param(key_b), ") % ", kRecordKeyModulus,
                                ")"));
  group.push_back(absl::StrCat(n + 1));
  if (per_case) group.push_back(absl::StrCat(n + 3));
  const std::string text = absl::StrCat(
      "SELECT ", absl::StrJoin(select, ", "), " FROM ", from, " WHERE ",
      f.where, " GROUP BY ", absl::StrJoin(group, ", "));
  ASSIGN_OR_RETURN(store::Statement s, txn.Prepare(text));
  RETURN_IF_ERROR(sql.Bind(s));
  std::map<Key, std::map<int64_t, int64_t>> cells;
  std::map<Key, std::set<int64_t>> cases;
  // The cell key of each cell's values (the sum of their cases' record
  // keys), which draws its median's rank.
  std::map<Key, int64_t> cell_keys;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    if (s.ColumnIsNull(static_cast<int>(n))) continue;  // No action yet.
    Key key;
    for (size_t d = 0; d < n; ++d) {
      ASSIGN_OR_RETURN(DimValue v,
                       ReadDim(s, static_cast<int>(d), plan.dimensions[d]));
      key.push_back(std::move(v));
    }
    ASSIGN_OR_RETURN(int64_t days, s.ColumnInt64(static_cast<int>(n)));
    ASSIGN_OR_RETURN(int64_t count, s.ColumnInt64(static_cast<int>(n + 1)));
    if (per_case) {
      ASSIGN_OR_RETURN(int64_t case_id, s.ColumnInt64(static_cast<int>(n + 2)));
      cases[key].insert(case_id);
    }
    ASSIGN_OR_RETURN(int64_t record_keys,
                     s.ColumnInt64(static_cast<int>(n + 3)));
    cell_keys[key] += record_keys;
    cells[key][days] += count;
  }
  // How many distinct cases stand behind a cell, a one-way total or the
  // total (-1 for first action: one value per case).
  auto support = [&](const std::vector<const std::set<int64_t>*>& sets) {
    if (!per_case) return int64_t{-1};
    std::set<int64_t> all;
    for (const auto* s : sets) all.insert(s->begin(), s->end());
    return static_cast<int64_t>(all.size());
  };
  v1::StatsQueryResponse out;
  for (StatsDimension d : plan.dimensions) out.add_dimensions(d);
  out.set_measure(plan.measure);
  out.mutable_privacy()->set_k(static_cast<uint32_t>(k));
  AddMissing(axes, cells);
  std::vector<std::vector<std::map<int64_t, int64_t>>> margins(n);
  for (size_t d = 0; d < n; ++d) margins[d].resize(axes.values[d].size());
  std::map<int64_t, int64_t> total;
  std::vector<std::vector<std::vector<const std::set<int64_t>*>>> margin_sets(
      n);
  for (size_t d = 0; d < n; ++d) margin_sets[d].resize(axes.values[d].size());
  std::vector<const std::set<int64_t>*> total_sets;
  std::vector<std::vector<int64_t>> margin_keys(n);
  for (size_t d = 0; d < n; ++d) margin_keys[d].resize(axes.values[d].size());
  int64_t total_key = 0;
  for (const auto& [key, h] : cells) {
    const std::set<int64_t>* mine = &cases[key];
    const int64_t cell_key = cell_keys[key] % kRecordKeyModulus;
    total_sets.push_back(mine);
    total_key = (total_key + cell_key) % kRecordKeyModulus;
    for (size_t d = 0; d < n; ++d) {
      const int i = axes.index[d].at(key[d]);
      margin_sets[d][i].push_back(mine);
      margin_keys[d][i] = (margin_keys[d][i] + cell_key) % kRecordKeyModulus;
    }
    for (const auto& [days, c] : h) {
      total[days] += c;
      for (size_t d = 0; d < n; ++d) {
        margins[d][axes.index[d].at(key[d])][days] += c;
      }
    }
  }
  // The whole population behind the median: below k, nothing.
  int64_t values = 0;
  for (const auto& [unused, c] : total) values += c;
  const int64_t population = per_case ? support(total_sets) : values;
  if (population < k) {
    return PopulationBelowK(k, "cases with a value");
  }
  // Every combination of the grid is listed; one with fewer than k cases
  // behind it (none included) is withheld.
  const std::map<int64_t, int64_t> none;
  int64_t lost = 0;
  ForEachCell(axes, [&](size_t, const Key& key) {
    auto it = cells.find(key);
    const std::map<int64_t, int64_t>& h = it == cells.end() ? none : it->second;
    v1::StatsCell* cell = out.add_cells();
    SetCell(cell, plan, &key, -1, nullptr);
    if (it == cells.end()) {
      SetMedian(cell, h, k, 0, 0);
    } else {
      SetMedian(cell, h, k, support({&cases[key]}),
                cell_keys[key] % kRecordKeyModulus);
    }
    if (cell->suppressed()) {
      for (const auto& [unused, c] : h) lost += c;
    }
  });
  if (n == 2) {
    for (size_t d = 0; d < n; ++d) {
      for (size_t i = 0; i < axes.values[d].size(); ++i) {
        v1::StatsCell* cell = out.add_margins();
        SetCell(cell, plan, nullptr, static_cast<int>(d), &axes.values[d][i]);
        SetMedian(cell, margins[d][i], k,
                  margins[d][i].empty() ? 0 : support(margin_sets[d][i]),
                  margin_keys[d][i]);
      }
    }
  }
  SetCell(out.mutable_total(), plan, nullptr, -1, nullptr);
  SetMedian(out.mutable_total(), total, k, support(total_sets), total_key);
  out.set_information_loss(
      values > 0 ? static_cast<double>(lost) / static_cast<double>(values) : 0);
  return out;
}

}  // namespace resguardo::stats
