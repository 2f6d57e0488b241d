// TableSuppressor: small-cell and complementary suppression of one
// statistical table over the full grid of its dimensions' categories.
//
// The model (what an attacker sees in one answer): a table of n dimensions
// with a count >= 0 in every cell of the grid (zeros included: the grid is
// fixed by the query, not by the data); for n = 2 the one-way totals
// M[d][v] = sum of the cells with value v on dimension d; the grand total
// T = sum of every cell. With n = 1 the cells are the one-way totals. With
// n >= 3 only the cells and T are released (the one-way totals of a
// three-way table make integer constraints that are not totally unimodular:
// integrality alone could pin a withheld cell). T is always released (the
// answer's information loss, exact, would give it away anyway), unless
// everything is withheld.
//
// Primary suppression: every number below k, zero included, is withheld.
// A zero is withheld like a small count, so which cells are withheld never
// tells an empty combination from a small group; and every slice (row,
// column, any group defined by values of some of the dimensions) whose
// population is below k has every cell below k, so it is wholly withheld.
//
// The guarantee ("undeterminable"): for every withheld number x, the system
// {the equations above, the released numbers, every number an integer >= 0}
// has another solution with x changed by one. The suppressor proves it
// under a stricter, value-independent assumption: a withheld number below k
// may only go up (as if it were 0), one of at least k (a complement) may go
// up or down. Under that assumption the proof, and so the choice of
// complements, depends only on which numbers are below k and on the values
// of the numbers of at least k — never on the exact value of a small cell:
// two populations that differ only in where a group of fewer than k cases
// sits among withheld cells get the same withheld pattern (unless the move
// pushes some other number across k).
//
// Method: the table with its totals is a bipartite graph (n = 2: a node per
// row, per column, one for the column totals and one for the row totals;
// n = 1 or >= 3: two nodes, the sides of the one equation T = sum of cells),
// each number an edge; a change of the withheld numbers that keeps every
// equation is a circulation, and a withheld number can move by one iff one
// of its allowed directions lies on a directed cycle of withheld numbers
// (strongly connected components, linear time). A withheld number on no
// cycle is at risk; for each (all that a round finds, not one per round)
// the cheapest set of released numbers that closes a cycle through it is
// withheld: a shortest path (Dijkstra) where withheld numbers cost nothing,
// a released cell its count and a released one-way total k, as much as the
// smallest cell that could be released (the one-way query releases that
// total anyway; the cells are what only this table gives: on the review's
// populations, totals as dear as the whole table cost 10-17% of the cases,
// at k about 2-4%). Every shortest path merges at least two components, so
// a round runs at most (rows + columns + 1) of them.
//
// One exception to the proof: when every cell of a one-equation table
// (n = 1 or n >= 3) is withheld, each cell can trade one with another
// whatever the values, and T is released. A table whose T is below k is
// withheld whole.
//
// Work: every step counts operations against a budget (kDefaultWorkBudget);
// past it, or when no released numbers can close a cycle, everything is
// withheld (cells, totals and T) — always safe — and `exhausted` says so.
// table_suppressor_test.cc checks the guarantee by brute force (integer
// moves of every withheld number, searched exhaustively, lower bound 0) on
// seeded random tables of 1, 2 and 3 dimensions, and the pattern's
// independence from small cells.
//
// Thread-safe (pure functions).
#ifndef RESGUARDO_SERVICES_STATS_INTERNAL_TABLE_SUPPRESSOR_H_
#define RESGUARDO_SERVICES_STATS_INTERNAL_TABLE_SUPPRESSOR_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace resguardo::stats {

// The most cells a table may have without epsilon: the product of the
// sizes of its dimensions' grids (catalogue values, the months asked, the
// node's municipalities). The engine refuses more (INVALID_ARGUMENT naming
// the dimension that passes it). 20,000 keeps an answer under about 1 MB
// and its suppression well within its work budget.
inline constexpr size_t kMaxCells = 20000;

// Operations (edges scanned, heap steps) a suppression may spend: about
// 100-300 ms on one core. The largest dense table a query may ask for
// (kMaxCells) needs far less (table_suppressor_test.cc).
inline constexpr int64_t kDefaultWorkBudget = 60'000'000;

struct Table {
  // Number of values of each dimension (n = sizes.size(); any n works).
  std::vector<int> sizes;
  // One count per cell of the grid, row-major (the last dimension varies
  // fastest). Each >= 0.
  std::vector<int64_t> counts;
};

struct SuppressOptions {
  // REQUIRES: >= 1.
  int64_t k = 5;
  int64_t work_budget = kDefaultWorkBudget;
  // What withholding a released one-way total costs in the choice of
  // complements, against a cell's count; < 0: k.
  int64_t total_cost = -1;
  // n = 2: one-way totals withheld whatever their value (forced[d][v]; a
  // total that sums over a multi-valued dimension counts mentions, not
  // cases). Empty: none.
  std::vector<std::vector<bool>> forced_margins;
};

// What is withheld. margins[d][v] is meaningful for n <= 2 (for n = 1 it
// mirrors the cells).
struct Suppression {
  std::vector<bool> cells;
  std::vector<std::vector<bool>> margins;
  bool total = false;
  // The work budget ran out (or no complement could be found): everything
  // is withheld.
  bool exhausted = false;
  // Operations spent.
  int64_t work = 0;
  // Sum of the withheld cells' counts over the sum of all cells (0 when
  // the table is empty).
  double information_loss = 0;
};

// The values of the one-way totals of `table` (margins[d][v]) and its
// total.
struct Margins {
  std::vector<std::vector<int64_t>> margins;
  int64_t total = 0;
};
Margins ComputeMargins(const Table& table);

// REQUIRES: counts.size() == product of sizes; every count >= 0.
Suppression Suppress(const Table& table, const SuppressOptions& options);

}  // namespace resguardo::stats

#endif  // RESGUARDO_SERVICES_STATS_INTERNAL_TABLE_SUPPRESSOR_H_
