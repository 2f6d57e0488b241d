#include "services/stats/internal/table_suppressor.h"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace resguardo::stats {
namespace {

size_t GridSize(const std::vector<int>& sizes) {
  size_t size = 1;
  for (int s : sizes) size *= static_cast<size_t>(s);
  return size;
}

// The coordinates of cell c of a row-major grid.
std::vector<int> Coords(const std::vector<int>& sizes, size_t c) {
  std::vector<int> out(sizes.size());
  for (size_t d = sizes.size(); d-- > 0;) {
    out[d] = static_cast<int>(c % static_cast<size_t>(sizes[d]));
    c /= static_cast<size_t>(sizes[d]);
  }
  return out;
}

// The attacker's view of one answer, rebuilt here independently of the
// suppressor: variables (cells, one-way totals for n == 2, the total), the
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
          if (Coords(t.sizes, c)[d] == x) e.push_back({c, -1});
        }
        v.equations.push_back(e);
      }
    }
  }
  return v;
}

// For each withheld variable: true if some other integer solution (every
// variable >= 0 — the attacker does not know which withheld cells are
// zero —, released ones fixed, all equations) changes it. Searches the
// moves d in {-r..r}^withheld with A d = 0 by depth-first search, checking
// each equation as soon as its last withheld variable is set.
std::vector<bool> Movable(const View& v, int r) {
  std::vector<int> unknown;
  std::vector<int> position(v.value.size(), -1);
  for (size_t i = 0; i < v.value.size(); ++i) {
    if (v.withheld[i]) {
      position[i] = static_cast<int>(unknown.size());
      unknown.push_back(static_cast<int>(i));
    }
  }
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
      if (v.value[unknown[i]] + step < 0) continue;
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

// A dense grid: zeros (15%), many small counts, some large ones.
Table RandomTable(std::mt19937_64& rng, std::vector<int> sizes,
                  int64_t large = 14) {
  Table t;
  t.sizes = sizes;
  std::uniform_real_distribution<double> u(0, 1);
  for (size_t c = 0; c < GridSize(sizes); ++c) {
    if (u(rng) < 0.15) {
      t.counts.push_back(0);
      continue;
    }
    const double x = u(rng);
    t.counts.push_back(x < 0.5 ? 1 + static_cast<int64_t>(u(rng) * 4)
                               : 1 + static_cast<int64_t>(u(rng) * large));
  }
  return t;
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
  int exhausted = 0;
  for (int round = 0; round < 300; ++round) {
    Table t = RandomTable(rng, GetParam().sizes);
    SuppressOptions options;
    options.k = GetParam().k;
    Suppression s = Suppress(t, options);
    if (s.exhausted) {
      // No released number could protect the small ones (nearly every
      // number is below k): everything is withheld.
      for (bool b : s.cells) ASSERT_TRUE(b);
      ASSERT_TRUE(s.total);
      ++exhausted;
      continue;
    }
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
    for (size_t i = 0; i < v.value.size(); ++i) {
      if (!v.withheld[i]) continue;
      ++withheld_checked;
      EXPECT_TRUE(movable[i])
          << "round " << round << ": withheld value " << i << " (true value "
          << v.value[i] << ") is determined by the released numbers";
    }
    if (::testing::Test::HasFailure()) {
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
  EXPECT_LE(exhausted, 90);  // Tables whose numbers are nearly all below k.
  std::printf("%d tables checked, %d wholly withheld\n", checked, exhausted);
}

INSTANTIATE_TEST_SUITE_P(Shapes, SuppressionBruteForceTest,
                         ::testing::Values(Shape{{4}, 5}, Shape{{2, 3}, 5},
                                           Shape{{3, 3}, 5}, Shape{{2, 4}, 3},
                                           Shape{{4, 3}, 5},
                                           Shape{{2, 2, 2}, 5},
                                           Shape{{2, 3, 2}, 5}));

// Attack 1 at the level of one table: a group of fewer than k cases moved
// between cells that stay below k (and so withheld) changes no withheld
// mark, as long as no other number crosses k: the pattern depends on which
// numbers are below k and on the values of the others, never on where the
// small group sits.
TEST(SuppressTest, PatternDoesNotDependOnWhereASmallGroupSits) {
  std::mt19937_64 rng(77);
  int compared = 0;
  for (std::vector<int> sizes :
       {std::vector<int>{7}, {6, 5}, {10, 4}, {4, 3, 3}}) {
    for (int round = 0; round < 200; ++round) {
      Table a = RandomTable(rng, sizes, 30);
      // Move one case from a cell in 1..4 to another cell in 0..3.
      std::vector<size_t> from, to;
      for (size_t c = 0; c < a.counts.size(); ++c) {
        if (a.counts[c] >= 1 && a.counts[c] <= 4) from.push_back(c);
        if (a.counts[c] <= 3) to.push_back(c);
      }
      if (from.empty() || to.empty()) continue;
      const size_t f = from[rng() % from.size()];
      const size_t g = to[rng() % to.size()];
      if (f == g) continue;
      Table b = a;
      --b.counts[f];
      ++b.counts[g];
      // Skip the moves that take a total across k.
      Margins ma = ComputeMargins(a), mb = ComputeMargins(b);
      bool crosses = false;
      for (size_t d = 0; d < sizes.size(); ++d) {
        for (size_t v = 0; v < ma.margins[d].size(); ++v) {
          crosses |= (ma.margins[d][v] < 5) != (mb.margins[d][v] < 5);
        }
      }
      if (crosses) continue;
      SuppressOptions options;
      Suppression sa = Suppress(a, options);
      Suppression sb = Suppress(b, options);
      EXPECT_EQ(sa.cells, sb.cells) << "round " << round;
      EXPECT_EQ(sa.margins, sb.margins) << "round " << round;
      EXPECT_EQ(sa.total, sb.total);
      ++compared;
    }
  }
  EXPECT_GE(compared, 200);
}

TEST(SuppressTest, PrimaryAloneWouldBeDerivableFromItsRowTotal) {
  // Row 0: 2 | 10 | 12 (total 24). Withholding only the 2 leaves
  // 24 - 10 - 12 = 2: another number of the row must go too, and then
  // something in their columns.
  Table t{{2, 3}, {2, 10, 12, 9, 8, 11}};
  Suppression s = Suppress(t, {});
  EXPECT_TRUE(s.cells[0]);
  int in_row0 = s.cells[0] + s.cells[1] + s.cells[2] + s.margins[0][0];
  EXPECT_GE(in_row0, 2);
  int in_col0 = s.cells[0] + s.cells[3] + s.margins[1][0];
  EXPECT_GE(in_col0, 2);
  EXPECT_FALSE(s.total);
}

TEST(SuppressTest, ZerosAreWithheldLikeSmallCounts) {
  // A zero released beside a withheld 2 would tell nobody from a small
  // group: both are withheld, and one complement protects them.
  Table t{{4}, {0, 2, 30, 40}};
  Suppression s = Suppress(t, {});
  EXPECT_TRUE(s.cells[0]);
  EXPECT_TRUE(s.cells[1]);
  EXPECT_TRUE(s.cells[2]);  // The smallest complement, 30, not 40.
  EXPECT_FALSE(s.cells[3]);
  EXPECT_FALSE(s.total);
  EXPECT_NEAR(s.information_loss, 32.0 / 72.0, 1e-12);
}

TEST(SuppressTest, NothingWithheldWhenEveryValueIsAtLeastK) {
  Table t{{2, 2}, {5, 6, 7, 8}};
  Suppression s = Suppress(t, {});
  for (bool b : s.cells) EXPECT_FALSE(b);
  EXPECT_FALSE(s.total);
  EXPECT_EQ(s.information_loss, 0);
}

// A cell of at least 2k is withheld only as a complement, and then the
// cheapest one: here the row of small states needs one cell per column of
// the smallest large state, never one of the large cells of the others.
TEST(SuppressTest, ChoosesTheSmallestComplements) {
  // States x 2 risk levels: a state with 1 case, one with 2, then 12, 40,
  // 60 cases split in two.
  Table t{{5, 2}, {1, 0, 0, 2, 6, 6, 20, 20, 30, 30}};
  Suppression s = Suppress(t, {});
  ASSERT_FALSE(s.exhausted);
  for (int c = 0; c < 4; ++c) EXPECT_TRUE(s.cells[c]);
  for (int c = 6; c < 10; ++c) EXPECT_FALSE(s.cells[c]) << c;
  EXPECT_FALSE(s.total);
  EXPECT_LE(s.information_loss, 15.0 / 115.0);
}

TEST(SuppressTest, ForcedTotalsAreWithheldAndUsed) {
  Table t{{2, 3}, {2, 10, 12, 9, 8, 11}};
  SuppressOptions options;
  options.forced_margins = {{true, true}, {false, false, false}};
  Suppression s = Suppress(t, options);
  EXPECT_TRUE(s.margins[0][0]);
  EXPECT_TRUE(s.margins[0][1]);
  EXPECT_FALSE(s.total);
}

TEST(SuppressTest, PastTheWorkBudgetEverythingIsWithheld) {
  std::mt19937_64 rng(3);
  Table t = RandomTable(rng, {40, 40});
  SuppressOptions options;
  options.work_budget = 1000;
  Suppression s = Suppress(t, options);
  EXPECT_TRUE(s.exhausted);
  EXPECT_TRUE(s.total);
  for (bool b : s.cells) EXPECT_TRUE(b);
  EXPECT_EQ(s.information_loss, 1.0);
}

// The largest dense tables a query may ask for (kMaxCells cells), with
// random counts and many small cells, are suppressed within the default
// work budget, with no released number below k. (How long it takes is
// bench/stats_bench.cc's business.)
TEST(SuppressTest, LargestDenseTablesFitTheWorkBudget) {
  std::mt19937_64 rng(11);
  for (std::vector<int> sizes :
       {std::vector<int>{100, 200}, {141, 141}, {20, 25, 40}, {20000}}) {
    ASSERT_LE(GridSize(sizes), kMaxCells);
    Table t = RandomTable(rng, sizes);
    const auto start = std::chrono::steady_clock::now();
    Suppression s = Suppress(t, {});
    const double ms = std::chrono::duration<double, std::milli>(
                          std::chrono::steady_clock::now() - start)
                          .count();
    EXPECT_FALSE(s.exhausted) << sizes.size() << " dimensions";
    EXPECT_LE(s.work, kDefaultWorkBudget);
    Margins m = ComputeMargins(t);
    int withheld = 0;
    for (size_t c = 0; c < t.counts.size(); ++c) {
      if (!s.cells[c]) {
        EXPECT_GE(t.counts[c], 5);
      } else {
        ++withheld;
      }
    }
    for (size_t d = 0; d < s.margins.size() && sizes.size() == 2; ++d) {
      for (size_t v = 0; v < s.margins[d].size(); ++v) {
        if (!s.margins[d][v]) {
          EXPECT_GE(m.margins[d][v], 5);
        }
      }
    }
    std::printf("%zu cells: %d withheld, loss %.3f, work %lld, %.0f ms\n",
                t.counts.size(), withheld, s.information_loss,
                static_cast<long long>(s.work), ms);
  }
}

}  // namespace
}  // namespace resguardo::stats
