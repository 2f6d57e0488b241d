#include "services/stats/internal/private_answer.h"

#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "services/api/error_catalogue.h"
#include "services/api/field_violations.h"
#include "services/stats/internal/geometric_noise.h"
#include "services/stats/internal/grid.h"
#include "services/stats/internal/sql_frame.h"

namespace resguardo::stats {
namespace {

using v1::StatsDimension;

constexpr double kErrorConfidence = 0.95;
constexpr size_t kMaxPrivateGrid = 250000;

}  // namespace

absl::StatusOr<v1::StatsQueryResponse> PrivateAnswer(store::ReadTxn& txn,
                                                     const QueryPlan& plan,
                                                     int64_t k) {
  // The grid, fixed by the query alone.
  const size_t n = plan.dimensions.size();
  std::vector<std::vector<DimValue>> domain(n);
  size_t grid = 1;
  for (size_t d = 0; d < n; ++d) {
    domain[d] = Domain(plan, plan.dimensions[d]);
    grid *= std::max<size_t>(domain[d].size(), 1);
    if (grid > kMaxPrivateGrid) {
      api::FieldViolations v;
      v.Add("dimensions", {api::ErrorId::kPrivateTableCells,
                           {static_cast<int64_t>(kMaxPrivateGrid)}});
      return v.ToStatus();
    }
  }

  // One contribution per person: her earliest case, its first value of
  // each multi-valued dimension.
  SqlBuilder sql;
  const Frame f = BuildFrame(plan, /*first_code_only=*/true,
                             /*stats_index=*/false, sql);
  std::vector<std::string> select = {"c.person_key", "c.reported_date", "c.id"};
  for (const std::string& e : f.dims) select.push_back(e);
  ASSIGN_OR_RETURN(
      store::Statement s,
      txn.Prepare(absl::StrCat("SELECT ", absl::StrJoin(select, ", "), " FROM ",
                               f.from, " WHERE ", f.where)));
  RETURN_IF_ERROR(sql.Bind(s));
  struct First {
    int64_t date;
    int64_t id;
    Key key;
  };
  std::unordered_map<std::string, First> persons;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    ASSIGN_OR_RETURN(int64_t date, s.ColumnInt64(1));
    ASSIGN_OR_RETURN(int64_t id, s.ColumnInt64(2));
    // A case without a person key is left out: nothing ties one woman's
    // keyless cases together, so counting each as a person of its own would
    // let a woman with ten of them move the answer by ten.
    if (s.ColumnIsNull(0)) continue;
    ASSIGN_OR_RETURN(absl::string_view blob, s.ColumnBlob(0));
    std::string person(blob);
    Key key;
    for (size_t d = 0; d < n; ++d) {
      ASSIGN_OR_RETURN(DimValue v,
                       ReadDim(s, static_cast<int>(d + 3), plan.dimensions[d]));
      key.push_back(std::move(v));
    }
    auto [it, inserted] = persons.try_emplace(person, First{date, id, key});
    if (!inserted &&
        std::tie(date, id) < std::tie(it->second.date, it->second.id)) {
      it->second = First{date, id, std::move(key)};
    }
  }
  std::map<Key, int64_t> truth;
  for (const auto& [unused, first] : persons) ++truth[first.key];

  const double epsilon = plan.epsilon_micro / 1e6;
  v1::StatsQueryResponse out;
  for (StatsDimension d : plan.dimensions) out.add_dimensions(d);
  out.set_measure(plan.measure);
  std::vector<std::vector<int64_t>> margins(n);
  for (size_t d = 0; d < n; ++d) margins[d].assign(domain[d].size(), 0);
  int64_t total = 0;
  std::vector<size_t> idx(n, 0);
  for (size_t cell = 0; cell < grid; ++cell) {
    Key key;
    for (size_t d = 0; d < n; ++d) key.push_back(domain[d][idx[d]]);
    auto it = truth.find(key);
    const int64_t true_count = it == truth.end() ? 0 : it->second;
    ASSIGN_OR_RETURN(int64_t noise, GeometricNoise(epsilon));
    const int64_t noisy = std::max<int64_t>(true_count + noise, 0);
    total += noisy;
    for (size_t d = 0; d < n; ++d) margins[d][idx[d]] += noisy;
    if (noisy >= 1) {
      v1::StatsCell* c = out.add_cells();
      SetCell(c, plan, &key, -1, nullptr);
      if (noisy < k) {
        c->set_suppressed(true);
      } else {
        c->set_count(noisy);
      }
    }
    for (size_t d = n; d-- > 0;) {
      if (++idx[d] < domain[d].size()) break;
      idx[d] = 0;
    }
    if (n == 0) break;
  }
  auto set = [&](v1::StatsCell* c, int64_t v) {
    if (v < k) {
      c->set_suppressed(true);
    } else {
      c->set_count(v);
    }
  };
  if (n == 2) {
    for (size_t d = 0; d < n; ++d) {
      for (size_t i = 0; i < domain[d].size(); ++i) {
        if (margins[d][i] == 0) continue;
        v1::StatsCell* c = out.add_margins();
        SetCell(c, plan, nullptr, static_cast<int>(d), &domain[d][i]);
        set(c, margins[d][i]);
      }
    }
  }
  SetCell(out.mutable_total(), plan, nullptr, -1, nullptr);
  set(out.mutable_total(), total);
  v1::StatsPrivacy* privacy = out.mutable_privacy();
  privacy->set_k(static_cast<uint32_t>(k));
  privacy->set_epsilon(epsilon);
  privacy->set_error_bound(
      static_cast<double>(GeometricErrorBound(epsilon, kErrorConfidence)));
  privacy->set_error_confidence(kErrorConfidence);
  return out;
}

}  // namespace resguardo::stats
