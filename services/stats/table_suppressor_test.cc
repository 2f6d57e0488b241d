#include "services/stats/table_suppressor.h"

#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace resguardo::stats {
namespace {

// The attacker's view of one answer, rebuilt here independently of the
// suppressor: variables (cells, one-way totals for n >= 2, the total), the
// equations between them, which are withheld.
struct View {
  std::vector<int64_t> value;
  std::vector<bool> withheld;
  std::vector<std::vector<std::pair<int, int>>> equations;  // (var, sign)
};

View MakeView(const Table& t, const Suppression& s) {
  View v;
  const size_t n = t.sizes.size();
  const int cells = static_cast<int>(t.counts.size());
  Margins m = ComputeMargins(t);
  for (int c = 0; c < cells; ++c) {
    v.value.push_back(t.counts[c]);
    v.withheld.push_back(s.cells[c]);
  }
  std::vector<std::vector<int>> mvar(n);
  if (n == 2) {
    for (size_t d = 0; d < n; ++d) {
      for (int x = 0; x < t.sizes[d]; ++x) {
        mvar[d].push_back(static_cast<int>(v.value.size()));
        v.value.push_back(m.margins[d][x]);
        v.withheld.push_back(s.margins[d][x]);
      }
    }
  }
  const int total = static_cast<int>(v.value.size());
  v.value.push_back(m.total);
  v.withheld.push_back(s.total);
  std::vector<std::pair<int, int>> all{{total, 1}};
  for (int c = 0; c < cells; ++c) all.push_back({c, -1});
  v.equations.push_back(all);
  if (n == 2) {
    for (size_t d = 0; d < n; ++d) {
      for (int x = 0; x < t.sizes[d]; ++x) {
        std::vector<std::pair<int, int>> e{{mvar[d][x], 1}};
        for (int c = 0; c < cells; ++c) {
          if (t.coords[c][d] == x) e.push_back({c, -1});
        }
        v.equations.push_back(e);
      }
    }
  }
  return v;
}

// For each withheld variable: true if some other integer solution (every
// variable >= 1, released ones fixed, all equations) changes it. Searches
// the moves d in {-r..r}^withheld with A d = 0 by depth-first search,
// checking each equation as soon as its last withheld variable is set.
std::vector<bool> Movable(const View& v, int r) {
  std::vector<int> unknown;
  std::vector<int> position(v.value.size(), -1);
  for (size_t i = 0; i < v.value.size(); ++i) {
    if (v.withheld[i]) {
      position[i] = static_cast<int>(unknown.size());
      unknown.push_back(static_cast<int>(i));
    }
  }
  // Equations restricted to withheld variables, grouped by the position of
  // their last withheld variable.
  std::vector<std::vector<std::vector<std::pair<int, int>>>> check_at(
      unknown.size());
  for (const auto& e : v.equations) {
    std::vector<std::pair<int, int>> restricted;
    int last = -1;
    for (auto [var, sign] : e) {
      if (position[var] >= 0) {
        restricted.push_back({position[var], sign});
        last = std::max(last, position[var]);
      }
    }
    if (last >= 0) check_at[last].push_back(restricted);
  }
  std::vector<bool> movable(unknown.size(), false);
  std::vector<int> d(unknown.size(), 0);
  std::function<void(size_t)> dfs = [&](size_t i) {
    if (i == unknown.size()) {
      for (size_t j = 0; j < d.size(); ++j) {
        if (d[j] != 0) movable[j] = true;
      }
      return;
    }
    for (int step = -r; step <= r; ++step) {
      if (v.value[unknown[i]] + step < 1) continue;
      d[i] = step;
      bool ok = true;
      for (const auto& e : check_at[i]) {
        int sum = 0;
        for (auto [p, sign] : e) sum += sign * d[p];
        if (sum != 0) {
          ok = false;
          break;
        }
      }
      if (ok) dfs(i + 1);
    }
    d[i] = 0;
  };
  dfs(0);
  std::vector<bool> out(v.value.size(), true);
  for (size_t j = 0; j < unknown.size(); ++j) out[unknown[j]] = movable[j];
  return out;
}

Table RandomTable(std::mt19937_64& rng, std::vector<int> sizes) {
  Table t;
  t.sizes = sizes;
  std::vector<int> idx(sizes.size(), 0);
  std::uniform_real_distribution<double> u(0, 1);
  std::function<void(size_t)> each = [&](size_t d) {
    if (d == sizes.size()) {
      if (u(rng) < 0.85) {
        t.coords.push_back(idx);
        // Mostly small counts: many cells below k.
        double x = u(rng);
        t.counts.push_back(x < 0.5 ? 1 + static_cast<int64_t>(u(rng) * 4)
                                   : 1 + static_cast<int64_t>(u(rng) * 14));
      }
      return;
    }
    for (int i = 0; i < sizes[d]; ++i) {
      idx[d] = i;
      each(d + 1);
    }
  };
  each(0);
  return t;
}

// Every value of every dimension must appear (the engine lists only values
// that have cases).
bool EveryValuePresent(const Table& t) {
  Margins m = ComputeMargins(t);
  for (const auto& dim : m.margins) {
    for (int64_t x : dim) {
      if (x == 0) return false;
    }
  }
  return !t.counts.empty();
}

struct Shape {
  std::vector<int> sizes;
  int64_t k;
};

class SuppressionBruteForceTest : public ::testing::TestWithParam<Shape> {};

TEST_P(SuppressionBruteForceTest,
       NoReleasedValueBelowKAndEveryWithheldValueUndeterminable) {
  std::mt19937_64 rng(20250601);
  int checked = 0;
  int withheld_checked = 0;
  for (int round = 0; round < 300; ++round) {
    Table t = RandomTable(rng, GetParam().sizes);
    if (!EveryValuePresent(t)) continue;
    Suppression s = Suppress(t, GetParam().k);
    View v = MakeView(t, s);
    int unknowns = 0;
    for (size_t i = 0; i < v.value.size(); ++i) {
      if (!v.withheld[i]) {
        EXPECT_GE(v.value[i], GetParam().k) << "round " << round;
      } else {
        ++unknowns;
      }
    }
    if (unknowns > 18) continue;  // Beyond what the brute force visits.
    std::vector<bool> movable = Movable(v, 1);
    std::vector<bool> still(v.value.size(), false);
    bool any_still = false;
    for (size_t i = 0; i < v.value.size(); ++i) {
      if (v.withheld[i] && !movable[i]) any_still = true;
    }
    if (any_still && unknowns <= 9) movable = Movable(v, 3);
    for (size_t i = 0; i < v.value.size(); ++i) {
      if (!v.withheld[i]) continue;
      ++withheld_checked;
      EXPECT_TRUE(movable[i])
          << "round " << round << ": withheld value " << i << " (true value "
          << v.value[i] << ") is determined by the released totals";
    }
    if (::testing::Test::HasFailure() && checked >= 0) {
      std::string dump;
      for (size_t i = 0; i < v.value.size(); ++i) {
        dump += std::to_string(v.value[i]) + (v.withheld[i] ? "* " : " ");
      }
      ADD_FAILURE() << "round " << round << " table: " << dump;
      return;
    }
    ++checked;
  }
  EXPECT_GE(checked, 50);
  EXPECT_GE(withheld_checked, 100);
}

INSTANTIATE_TEST_SUITE_P(Shapes, SuppressionBruteForceTest,
                         ::testing::Values(Shape{{4}, 5}, Shape{{2, 3}, 5},
                                           Shape{{3, 3}, 5}, Shape{{2, 4}, 3},
                                           Shape{{4, 3}, 5},
                                           Shape{{2, 2, 2}, 5},
                                           Shape{{2, 3, 2}, 5}));

TEST(SuppressTest, PrimaryAloneWouldBeDerivableFromItsRowTotal) {
  // Row 0: 2 | 10 | 12 (total 24). Withholding only the 2 leaves
  // 24 - 10 - 12 = 2: the next-smallest cell of the row must go too, and
  // then something in their columns.
  Table t{{2, 3},
          {{0, 0}, {0, 1}, {0, 2}, {1, 0}, {1, 1}, {1, 2}},
          {2, 10, 12, 9, 8, 11}};
  Suppression s = Suppress(t, 5);
  EXPECT_TRUE(s.cells[0]);
  int in_row0 = s.cells[0] + s.cells[1] + s.cells[2];
  EXPECT_GE(in_row0, 2);
  int in_col0 = s.cells[0] + s.cells[3] + s.margins[1][0];
  EXPECT_GE(in_col0, 2);
}

TEST(SuppressTest, LargeSparseTablesStayFastAndSafe) {
  // 32 states x 9 violence types, mostly small counts; and 400
  // municipalities x 12 months: the checks are bounded, and past their
  // bounds every total is withheld (then nothing withheld is derivable).
  std::mt19937_64 rng(11);
  for (std::vector<int> sizes : {std::vector<int>{32, 9}, {400, 12}}) {
    Table t = RandomTable(rng, sizes);
    ASSERT_TRUE(EveryValuePresent(t));
    Suppression s = Suppress(t, 5);
    Margins m = ComputeMargins(t);
    for (size_t c = 0; c < t.counts.size(); ++c) {
      if (!s.cells[c]) {
        EXPECT_GE(t.counts[c], 5);
      }
    }
    bool totals_withheld = s.total;
    for (size_t d = 0; d < sizes.size(); ++d) {
      for (size_t v = 0; v < m.margins[d].size(); ++v) {
        if (!s.margins[d][v]) {
          EXPECT_GE(m.margins[d][v], 5);
          totals_withheld = false;
        }
      }
    }
    if (sizes[0] == 400) {
      EXPECT_TRUE(totals_withheld);
    }
  }
}

TEST(SuppressTest, NothingWithheldWhenEveryValueIsAtLeastK) {
  Table t{{2, 2}, {{0, 0}, {0, 1}, {1, 0}, {1, 1}}, {5, 6, 7, 8}};
  Suppression s = Suppress(t, 5);
  for (bool b : s.cells) EXPECT_FALSE(b);
  EXPECT_FALSE(s.total);
}

TEST(SuppressTest, TotalBelowKIsWithheld) {
  Table t{{}, {{}}, {4}};
  Suppression s = Suppress(t, 5);
  EXPECT_TRUE(s.total);
}

TEST(SuppressTest, CellsPinnedAtOneAreProtected) {
  // Row total 12 = 10 + 1 + 1: two withheld ones summing to 2 would each be
  // 1. Another number must be withheld.
  Table t{{3}, {{0}, {1}, {2}}, {10, 1, 1}};
  Suppression s = Suppress(t, 5);
  EXPECT_TRUE(s.cells[1]);
  EXPECT_TRUE(s.cells[2]);
  EXPECT_TRUE(s.cells[0] || s.total);
}

}  // namespace
}  // namespace resguardo::stats
