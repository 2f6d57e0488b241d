#include "services/stats/internal/hash_aggregation.h"

#include <algorithm>
#include <array>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "services/stats/internal/cell_key.h"
#include "services/stats/internal/count_answer.h"
#include "services/stats/internal/sql_frame.h"

namespace resguardo::stats {
namespace {

using v1::StatsDimension;

// The position on a grid axis of a value keyed as CountByHash keys it
// (numbers; INEGI codes as number * 16 + length; other texts interned):
// a direct table over a small range of keys (catalogue codes, periods,
// states), else a hash map (municipalities). -1: not on the axis.
class AxisIndex {
 public:
  explicit AxisIndex(const std::vector<std::pair<int64_t, int>>& keys) {
    if (keys.empty()) return;
    lo_ = hi_ = keys[0].first;
    for (const auto& [key, unused] : keys) {
      lo_ = std::min(lo_, key);
      hi_ = std::max(hi_, key);
    }
    if (static_cast<uint64_t>(hi_) - static_cast<uint64_t>(lo_) < kMaxDirect) {
      direct_.assign(static_cast<size_t>(hi_ - lo_ + 1), -1);
      for (const auto& [key, i] : keys) {
        direct_[static_cast<size_t>(key - lo_)] = i;
      }
    } else {
      for (const auto& [key, i] : keys) map_.emplace(key, i);
    }
  }
  int Find(int64_t key) const {
    if (key < lo_ || key > hi_) return -1;
    if (!direct_.empty()) return direct_[static_cast<size_t>(key - lo_)];
    auto it = map_.find(key);
    return it == map_.end() ? -1 : it->second;
  }

 private:
  static constexpr uint64_t kMaxDirect = uint64_t{1} << 16;
  int64_t lo_ = 0;
  int64_t hi_ = -1;
  std::vector<int32_t> direct_;
  absl::flat_hash_map<int64_t, int32_t> map_;
};

}  // namespace

absl::StatusOr<v1::StatsQueryResponse> CountByHash(store::ReadTxn& txn,
                                                   const QueryPlan& plan,
                                                   Axes axes, int64_t key_a,
                                                   int64_t key_b, int64_t k,
                                                   bool perturb) {
  const size_t n = plan.dimensions.size();
  int multi = -1;
  for (size_t d = 0; d < n; ++d) {
    if (IsMultiValued(plan.dimensions[d])) multi = static_cast<int>(d);
  }
  QueryPlan scan_plan = plan;
  if (multi >= 0)
    scan_plan.dimensions.erase(scan_plan.dimensions.begin() + multi);
  SqlBuilder sql;
  const Frame f = BuildFrame(scan_plan, /*first_code_only=*/false,
                             /*stats_index=*/true, sql);
  const size_t m = scan_plan.dimensions.size();
  // Periods are read as the raw date and bucketed here, and the record key
  // is computed here from the id: each SQL expression costs a virtual
  // machine instruction or more per row, a third of the scan.
  std::vector<int> period(m, 0);
  std::vector<std::string> select = {"c.id"};
  for (size_t i = 0; i < m; ++i) {
    const StatsDimension d = scan_plan.dimensions[i];
    period[i] = d == v1::STATS_DIMENSION_MONTH     ? 1
                : d == v1::STATS_DIMENSION_QUARTER ? 2
                : d == v1::STATS_DIMENSION_YEAR    ? 3
                                                   : 0;
    select.push_back(period[i] ? std::string("c.reported_date") : f.dims[i]);
  }
  const char* mask_column =
      multi >= 0 ? MaskColumnOf(plan.dimensions[multi]) : nullptr;
  if (mask_column != nullptr) select.push_back(mask_column);
  ASSIGN_OR_RETURN(
      store::Statement s,
      txn.Prepare(absl::StrCat("SELECT ", absl::StrJoin(select, ", "), " FROM ",
                               f.from, " WHERE ", f.where)));
  RETURN_IF_ERROR(sql.Bind(s));
  std::vector<bool> text(n, false);
  for (size_t d = 0; d < n; ++d) text[d] = IsText(plan.dimensions[d]);
  // Position in the full key of each scanned dimension.
  std::vector<size_t> slot;
  for (size_t d = 0; d < n; ++d) {
    if (static_cast<int>(d) != multi) slot.push_back(d);
  }
  // INEGI codes of up to 9 digits are keyed by number * 16 + length (no
  // hashing of a string per row); anything else is interned, keyed -1 - i.
  absl::flat_hash_map<std::string, int64_t> interned;
  std::vector<std::string> texts;
  auto text_key = [&](absl::string_view t) -> int64_t {
    int64_t number = 0;
    bool digits = !t.empty() && t.size() <= 9;
    for (size_t j = 0; digits && j < t.size(); ++j) {
      digits = t[j] >= '0' && t[j] <= '9';
      number = number * 10 + (t[j] - '0');
    }
    if (digits) return number * 16 + static_cast<int64_t>(t.size());
    auto it = interned.find(t);
    if (it == interned.end()) {
      it = interned
               .emplace(std::string(t), -1 - static_cast<int64_t>(texts.size()))
               .first;
      texts.emplace_back(t);
    }
    return it->second;
  };
  using HashKey = std::array<int64_t, 3>;
  // Each cell of the grid is counted in place, at its row-major index (as
  // ForEachCell walks the grid): a row costs a lookup per dimension in a
  // small direct table, no hashing. A row with a value the grid lacks
  // (AddMissing) is counted in `outside`, by key.
  std::vector<AxisIndex> axis;
  std::vector<int64_t> stride(n, 1);
  for (size_t d = n; d-- > 1;) {
    stride[d - 1] = stride[d] * static_cast<int64_t>(axes.values[d].size());
  }
  for (size_t d = 0; d < n; ++d) {
    std::vector<std::pair<int64_t, int>> keys;
    for (size_t i = 0; i < axes.values[d].size(); ++i) {
      const DimValue& v = axes.values[d][i];
      keys.emplace_back(text[d] ? text_key(v.text) : v.num,
                        static_cast<int>(i));
    }
    axis.emplace_back(keys);
  }
  std::vector<Count> grid(
      n == 0 ? 1 : static_cast<size_t>(stride[0]) * axes.values[0].size());
  absl::flat_hash_map<HashKey, Count, absl::Hash<HashKey>> outside;
  // `at`: the key's grid index, -1 when it is outside the grid.
  auto count = [&](const HashKey& key, int64_t at, int64_t record_key) {
    Count& c = at >= 0 ? grid[static_cast<size_t>(at)] : outside[key];
    ++c.value;
    c.cell_key += record_key;
  };
  auto index_of = [&](const HashKey& key) -> int64_t {
    int64_t at = 0;
    for (size_t d = 0; d < n; ++d) {
      const int i = axis[d].Find(key[d]);
      if (i < 0) return -1;
      at += i * stride[d];
    }
    return at;
  };
  struct Row {
    int64_t id;
    HashKey key;
    int64_t record_key;
    bool has_code;
  };
  std::vector<Row> rows;
  bool sorted = true;
  // The multi-valued dimension's codes of every case, as a bit set per case
  // id, read before the scan from the covering index case_codes_by_code:
  // the scan then streams, with no row kept. Only for dense ids and codes
  // 1-63; otherwise the rows are kept and matched after the scan.
  std::vector<uint64_t> masks;
  bool use_masks = false;
  if (multi >= 0 && mask_column == nullptr) {
    // A bare MAX(id): SQLite reads it from the end of the rowid b-tree.
    ASSIGN_OR_RETURN(store::Statement last,
                     txn.Prepare("SELECT MAX(id) FROM cases"));
    ASSIGN_OR_RETURN(bool row, last.Step());
    int64_t max_id = 0;
    if (row && !last.ColumnIsNull(0)) {
      ASSIGN_OR_RETURN(max_id, last.ColumnInt64(0));
    }
    constexpr int64_t kMaxMaskedId = int64_t{1} << 24;  // 128 MiB of masks.
    if (max_id >= 0 && max_id < kMaxMaskedId) {
      masks.assign(static_cast<size_t>(max_id + 1), 0);
      use_masks = true;
      ASSIGN_OR_RETURN(store::Statement codes,
                       txn.Prepare("SELECT case_id, code FROM case_codes "
                                   "WHERE dimension = ?1"));
      RETURN_IF_ERROR(
          codes.BindInt64(1, CodeDimensionOf(plan.dimensions[multi])));
      while (use_masks) {
        ASSIGN_OR_RETURN(bool more, codes.Step());
        if (!more) break;
        ASSIGN_OR_RETURN(int64_t case_id, codes.ColumnInt64(0));
        ASSIGN_OR_RETURN(int64_t code, codes.ColumnInt64(1));
        if (case_id < 0 || case_id > max_id || code < 1 || code > 63) {
          use_masks = false;
        } else {
          masks[static_cast<size_t>(case_id)] |= uint64_t{1} << code;
        }
      }
      if (!use_masks) std::vector<uint64_t>().swap(masks);
    }
  }
  int64_t population = 0;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    ++population;
    Row r{0, {0, 0, 0}, 0, false};
    ASSIGN_OR_RETURN(r.id, s.ColumnInt64(0));
    // The grid index of the scanned dimensions' values, -1 outside.
    int64_t at = 0;
    for (size_t i = 0; i < m; ++i) {
      const int column = static_cast<int>(i + 1);
      int64_t v = 0;
      if (text[slot[i]]) {
        ASSIGN_OR_RETURN(absl::string_view t, s.ColumnText(column));
        v = text_key(t);
      } else {
        ASSIGN_OR_RETURN(v, s.ColumnInt64(column));
        switch (period[i]) {
          case 1:  // Month, as the SQL path: yyyymm.
            v = v / 100;
            break;
          case 2:  // Quarter: yyyyq.
            v = (v / 10000) * 10 + ((v / 100 % 100) + 2) / 3;
            break;
          case 3:
            v = v / 10000;
            break;
          default:
            break;
        }
      }
      r.key[slot[i]] = v;
      if (at >= 0) {
        const int j = axis[slot[i]].Find(v);
        at = j < 0 ? -1 : at + j * stride[slot[i]];
      }
    }
    // (id * a + b) mod M, as the SQL path computes it, without overflow.
    const int64_t id_mod = r.id % kRecordKeyModulus;
    r.record_key =
        ((id_mod < 0 ? id_mod + kRecordKeyModulus : id_mod) * key_a + key_b) %
        kRecordKeyModulus;
    if (multi < 0) {
      count(r.key, at, r.record_key);
      continue;
    }
    if (use_masks || mask_column != nullptr) {
      uint64_t mask = 0;
      if (mask_column != nullptr) {
        ASSIGN_OR_RETURN(int64_t column,
                         s.ColumnInt64(static_cast<int>(m + 1)));
        mask = static_cast<uint64_t>(column);
      } else if (r.id >= 0 && static_cast<size_t>(r.id) < masks.size()) {
        mask = masks[static_cast<size_t>(r.id)];
      }
      auto count_code = [&](int64_t code) {
        r.key[multi] = code;
        const int j = at < 0 ? -1 : axis[multi].Find(code);
        count(r.key, j < 0 ? -1 : at + j * stride[multi], r.record_key);
      };
      if (mask == 0) count_code(0);  // Not recorded.
      for (; mask != 0; mask &= mask - 1) count_code(__builtin_ctzll(mask));
      continue;
    }
    if (!rows.empty() && rows.back().id >= r.id) sorted = false;
    rows.push_back(r);
  }
  if (multi >= 0 && !use_masks && mask_column == nullptr) {
    // The covering index gives the rows in (institution, date) order. Ids
    // are the table's rowids, dense in practice: a direct table from id to
    // row is cheaper than sorting a million rows; sparse ids are sorted.
    int64_t min_id = 0, max_id = -1;
    for (const Row& r : rows) {
      if (max_id < min_id) {
        min_id = max_id = r.id;
      } else {
        min_id = std::min(min_id, r.id);
        max_id = std::max(max_id, r.id);
      }
    }
    std::vector<int32_t> by_id;
    if (!rows.empty() &&
        max_id - min_id < 4 * static_cast<int64_t>(rows.size()) + 1024) {
      by_id.assign(static_cast<size_t>(max_id - min_id + 1), -1);
      for (size_t i = 0; i < rows.size(); ++i) {
        by_id[static_cast<size_t>(rows[i].id - min_id)] =
            static_cast<int32_t>(i);
      }
    } else if (!sorted) {
      std::sort(rows.begin(), rows.end(),
                [](const Row& a, const Row& b) { return a.id < b.id; });
    }
    auto find = [&](int64_t case_id) -> Row* {
      if (!by_id.empty()) {
        if (case_id < min_id || case_id > max_id) return nullptr;
        const int32_t i = by_id[static_cast<size_t>(case_id - min_id)];
        return i < 0 ? nullptr : &rows[static_cast<size_t>(i)];
      }
      auto it =
          std::lower_bound(rows.begin(), rows.end(), case_id,
                           [](const Row& r, int64_t id) { return r.id < id; });
      return it == rows.end() || it->id != case_id ? nullptr : &*it;
    };
    ASSIGN_OR_RETURN(store::Statement codes,
                     txn.Prepare("SELECT case_id, code FROM case_codes "
                                 "WHERE dimension = ?1"));
    RETURN_IF_ERROR(
        codes.BindInt64(1, CodeDimensionOf(plan.dimensions[multi])));
    while (true) {
      ASSIGN_OR_RETURN(bool row, codes.Step());
      if (!row) break;
      ASSIGN_OR_RETURN(int64_t case_id, codes.ColumnInt64(0));
      Row* it = find(case_id);
      if (it == nullptr) continue;  // Filtered out.
      HashKey key = it->key;
      ASSIGN_OR_RETURN(key[multi], codes.ColumnInt64(1));
      it->has_code = true;
      count(key, index_of(key), it->record_key);
    }
    for (const Row& r : rows) {
      if (r.has_code) continue;
      HashKey key = r.key;
      key[multi] = 0;
      count(key, index_of(key), r.record_key);
    }
  }
  std::map<Key, Count> cells;
  ForEachCell(axes, [&](size_t c, const Key& key) {
    if (grid[c].value != 0) cells.emplace(key, grid[c]);
  });
  for (const auto& [hk, count] : outside) {
    Key key;
    for (size_t d = 0; d < n; ++d) {
      if (!text[d]) {
        key.push_back(DimValue{hk[d], ""});
      } else if (hk[d] < 0) {
        key.push_back(DimValue{0, texts[static_cast<size_t>(-1 - hk[d])]});
      } else {
        key.push_back(DimValue{
            0,
            absl::StrFormat("%0*d", static_cast<int>(hk[d] % 16), hk[d] / 16)});
      }
    }
    cells.emplace(std::move(key), count);
  }
  if (population < k) return PopulationBelowK(k, "cases");
  return CountAnswer(plan, std::move(axes), cells, k, perturb);
}

}  // namespace resguardo::stats
