#include "services/stats/internal/grid.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "proto/resguardo/v1/stats_catalogue.h"
#include "services/api/error_catalogue.h"
#include "services/api/field_violations.h"
#include "services/stats/internal/sql_frame.h"
#include "services/stats/internal/table_suppressor.h"

namespace resguardo::stats {

using v1::StatsDimension;

bool IsText(StatsDimension d) {
  return d == v1::STATS_DIMENSION_STATE ||
         d == v1::STATS_DIMENSION_MUNICIPALITY;
}

absl::StatusOr<DimValue> ReadDim(const store::Statement& s, int column,
                                 StatsDimension d) {
  DimValue v;
  if (IsText(d)) {
    ASSIGN_OR_RETURN(absl::string_view t, s.ColumnText(column));
    v.text = std::string(t);
  } else {
    ASSIGN_OR_RETURN(v.num, s.ColumnInt64(column));
  }
  return v;
}

std::string Label(StatsDimension d, const DimValue& v) {
  switch (d) {
    case v1::STATS_DIMENSION_MONTH:
      return absl::StrFormat("%04d-%02d", v.num / 100, v.num % 100);
    case v1::STATS_DIMENSION_QUARTER:
      return absl::StrFormat("%04d-Q%d", v.num / 10, v.num % 10);
    case v1::STATS_DIMENSION_YEAR:
      return absl::StrCat(v.num);
    default:
      break;
  }
  const std::vector<std::string>& buckets = StatsDimensionBuckets(d);
  if (!buckets.empty()) {
    return v.num >= 0 && v.num < static_cast<int64_t>(buckets.size())
               ? buckets[v.num]
               : "?";
  }
  if (IsText(d)) return v.text;
  const google::protobuf::EnumDescriptor* e = EnumOf(d);
  const google::protobuf::EnumValueDescriptor* ev =
      e == nullptr ? nullptr : e->FindValueByNumber(static_cast<int>(v.num));
  return ev != nullptr ? ev->name() : absl::StrCat(v.num);
}

void IndexAxes(Axes& axes) {
  axes.index.assign(axes.values.size(), {});
  for (size_t d = 0; d < axes.values.size(); ++d) {
    std::vector<DimValue>& v = axes.values[d];
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    for (size_t i = 0; i < v.size(); ++i) {
      axes.index[d].emplace(v[i], static_cast<int>(i));
    }
  }
}

// The row-major index of `key` in the grid.
size_t CellIndex(const Axes& axes, const Key& key) {
  size_t index = 0;
  for (size_t d = 0; d < axes.values.size(); ++d) {
    index = index * axes.values[d].size() +
            static_cast<size_t>(axes.index[d].at(key[d]));
  }
  return index;
}

void SetCell(v1::StatsCell* cell, const QueryPlan& plan, const Key* key,
             int only_dim, const DimValue* only_value) {
  for (size_t d = 0; d < plan.dimensions.size(); ++d) {
    if (key != nullptr) {
      cell->add_values(Label(plan.dimensions[d], (*key)[d]));
    } else if (static_cast<int>(d) == only_dim) {
      cell->add_values(Label(plan.dimensions[d], *only_value));
    } else {
      cell->add_values("");
    }
  }
}

// The data-independent values of a dimension under differential privacy.
std::vector<DimValue> Domain(const QueryPlan& plan, StatsDimension d) {
  std::vector<DimValue> out;
  const PlannedFilter* filter = nullptr;
  for (const PlannedFilter& f : plan.filters) {
    if (f.dimension == d) filter = &f;
  }
  auto add_num = [&](int64_t v) {
    if (filter != nullptr &&
        !std::binary_search(filter->codes.begin(), filter->codes.end(), v)) {
      return;
    }
    out.push_back(DimValue{v, ""});
  };
  switch (d) {
    case v1::STATS_DIMENSION_MONTH:
    case v1::STATS_DIMENSION_QUARTER:
    case v1::STATS_DIMENSION_YEAR: {
      std::vector<int64_t> values;
      for (int m = plan.from_month; m <= plan.to_month;
           m = (m % 100 == 12) ? (m / 100 + 1) * 100 + 1 : m + 1) {
        int64_t v = d == v1::STATS_DIMENSION_MONTH ? m
                    : d == v1::STATS_DIMENSION_QUARTER
                        ? (m / 100) * 10 + ((m % 100) + 2) / 3
                        : m / 100;
        if (values.empty() || values.back() != v) values.push_back(v);
      }
      for (int64_t v : values) out.push_back(DimValue{v, ""});
      return out;
    }
    case v1::STATS_DIMENSION_STATE:
      for (int s = 1; s <= 32; ++s) {
        std::string code = absl::StrFormat("%02d", s);
        if (filter == nullptr ||
            std::binary_search(filter->texts.begin(), filter->texts.end(),
                               code)) {
          out.push_back(DimValue{0, code});
        }
      }
      return out;
    default: {
      const std::vector<std::string>& buckets = StatsDimensionBuckets(d);
      for (size_t b = 0; b < buckets.size(); ++b) add_num(b);
      const google::protobuf::EnumDescriptor* e = EnumOf(d);
      if (e == nullptr) return out;
      // "Not recorded" is no category of a field every case must have
      // (case_validator.cc requires kind and risk level; the node sets the
      // status; every institution has a kind): a zero there is structural
      // and says nothing about anyone.
      const bool required = d == v1::STATS_DIMENSION_CASE_KIND ||
                            d == v1::STATS_DIMENSION_RISK_LEVEL ||
                            d == v1::STATS_DIMENSION_STATUS ||
                            d == v1::STATS_DIMENSION_INSTITUTION_KIND;
      for (int i = 0; i < e->value_count(); ++i) {
        if (required && e->value(i)->number() == 0) continue;
        add_num(e->value(i)->number());
      }
      return out;
    }
  }
}

// The grid of a count or median table: every dimension's values, fixed
// by the query and by the node's data as a whole, never by the filtered
// population: catalogue values (those of a filter on the same dimension,
// for a single-valued one), states 01-32, the months asked (or the node's
// first to last month of report when unbounded), the municipalities
// present in the node's cases (of the filtered states, if a state filter).
// INVALID_ARGUMENT naming the dimension that takes the table past
// kMaxCells.
absl::StatusOr<Axes> Grid(store::ReadTxn& txn, const QueryPlan& plan) {
  Axes axes;
  size_t cells = 1;
  for (size_t i = 0; i < plan.dimensions.size(); ++i) {
    const StatsDimension d = plan.dimensions[i];
    QueryPlan scope = plan;
    if (IsMultiValued(d)) {
      // A case kept by a filter on violence type counts under all its
      // types, not only the filtered ones.
      scope.filters.erase(
          std::remove_if(
              scope.filters.begin(), scope.filters.end(),
              [&](const PlannedFilter& f) { return f.dimension == d; }),
          scope.filters.end());
    }
    std::vector<DimValue> values;
    const bool period = d == v1::STATS_DIMENSION_MONTH ||
                        d == v1::STATS_DIMENSION_QUARTER ||
                        d == v1::STATS_DIMENSION_YEAR;
    if (period && (plan.from_month == 0 || plan.to_month == 0)) {
      ASSIGN_OR_RETURN(store::Statement s,
                       txn.Prepare("SELECT MIN(reported_date) / 100, "
                                   "MAX(reported_date) / 100 FROM cases"));
      ASSIGN_OR_RETURN(bool row, s.Step());
      if (row && !s.ColumnIsNull(0)) {
        ASSIGN_OR_RETURN(int64_t first, s.ColumnInt64(0));
        ASSIGN_OR_RETURN(int64_t last, s.ColumnInt64(1));
        if (scope.from_month == 0) scope.from_month = static_cast<int>(first);
        if (scope.to_month == 0) scope.to_month = static_cast<int>(last);
        values = Domain(scope, d);
      }
    } else if (d == v1::STATS_DIMENSION_MUNICIPALITY) {
      const PlannedFilter* own = nullptr;
      const PlannedFilter* states = nullptr;
      for (const PlannedFilter& f : plan.filters) {
        if (f.dimension == v1::STATS_DIMENSION_MUNICIPALITY) own = &f;
        if (f.dimension == v1::STATS_DIMENSION_STATE) states = &f;
      }
      if (own != nullptr) {
        for (const std::string& t : own->texts) values.push_back({0, t});
      } else {
        SqlBuilder sql;
        std::string text =
            "SELECT DISTINCT state_code || municipality_code FROM cases";
        if (states != nullptr) {
          std::vector<std::string> list;
          for (const std::string& t : states->texts) {
            list.push_back(sql.Param(t));
          }
          absl::StrAppend(&text, " WHERE state_code IN (",
                          absl::StrJoin(list, ", "), ")");
        }
        ASSIGN_OR_RETURN(store::Statement s, txn.Prepare(text));
        RETURN_IF_ERROR(sql.Bind(s));
        while (true) {
          ASSIGN_OR_RETURN(bool row, s.Step());
          if (!row) break;
          ASSIGN_OR_RETURN(absl::string_view t, s.ColumnText(0));
          values.push_back({0, std::string(t)});
          if (values.size() > kMaxCells) break;
        }
      }
    } else {
      values = Domain(scope, d);
    }
    cells *= std::max<size_t>(values.size(), 1);
    if (cells > kMaxCells) {
      api::FieldViolations v;
      v.Add(absl::StrCat("dimensions[", i, "]"),
            {api::ErrorId::kTableCells, {static_cast<int64_t>(kMaxCells)}});
      return v.ToStatus();
    }
    axes.values.push_back(std::move(values));
  }
  IndexAxes(axes);
  return axes;
}

}  // namespace resguardo::stats
