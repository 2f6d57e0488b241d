// TableSuppressor: small-cell and complementary suppression of one
// statistical table with its one-way totals and grand total.
//
// The model (what an attacker sees in one answer): a table of n dimensions
// whose listed cells all hold a count >= 1 (absent combinations are zero
// and not listed); for n = 2 the row and column totals M[d][v] = sum of the
// cells with value v on dimension d; the grand total T = sum of every cell
// (so also T = sum over v of M[d][v] for each d). With n = 1 the cells are
// the one-way totals. With n >= 3 only the cells and the grand total are
// released: the one-way totals of a three-way table make integer
// constraints that are not totally unimodular, and a withheld cell can be
// pinned by integrality alone (a real solution exists, no integer one:
// found by the brute-force test on 2x2x2 tables); a client that wants them
// asks the one-dimensional query, which the cell-key perturbation protects
// against differencing. Every released number is exact here (the engine adds
// the cell-key perturbation afterwards: it only widens what the attacker does
// not know).
//
// The guarantee ("undeterminable"): for every withheld number x_i, the
// system {all the equations above, the released numbers, every withheld
// number an integer >= 1} has at least two solutions that differ in x_i.
// The suppressor enforces it with three rules, applied until none fires:
//   1. primary: every number below k is withheld;
//   2. an equation with exactly one withheld number, or whose withheld
//      numbers are pinned at their lower bound (they sum to their count,
//      so each must be 1), gets one more withheld: the smallest released
//      cell of that equation (its total when no cell is left);
//   3. linear algebra: a withheld number that is a linear combination of
//      the released ones (its unit vector lies in the row space of the
//      equations restricted to the withheld columns, found by reduced row
//      echelon form) gets the smallest released cell of one of its
//      equations withheld next to it;
//   4. bounds: interval propagation over the equations (every withheld
//      number >= 1), then, per withheld number not yet known to move, a
//      small linear program (phase-1 simplex, Bland's rule): is there a
//      change of size 1 in it that keeps every equation and every number
//      >= 1? A direction found frees every number it moves. A number that
//      cannot move gets a complement as in rule 3. For one- and
//      two-dimensional tables the constraint matrix is totally unimodular,
//      so a real solution of size 1 is an integer one.
// Rules 3 and 4 cost up to (equations x withheld numbers) squared, so they
// are bounded (2,000,000 elimination entries, 150 withheld numbers for the
// linear programs, 300 rounds): past a bound, or when a number at risk has
// no complement left, every total is withheld instead — always safe (no
// equation keeps a known side), and it bounds what one query can cost.
// table_suppressor_test.cc checks the guarantee by brute force (integer
// moves of every withheld number, searched exhaustively) on seeded random
// tables of 1, 2 and 3 dimensions.
//
// Thread-safe (pure functions).
#ifndef RESGUARDO_SERVICES_STATS_TABLE_SUPPRESSOR_H_
#define RESGUARDO_SERVICES_STATS_TABLE_SUPPRESSOR_H_

#include <cstdint>
#include <vector>

namespace resguardo::stats {

struct Table {
  // Number of values of each dimension (n = sizes.size(), at most 3 in
  // practice; any n works).
  std::vector<int> sizes;
  // Per cell: its value index on each dimension. Distinct cells.
  std::vector<std::vector<int>> coords;
  // Per cell: its count, >= 1.
  std::vector<int64_t> counts;
};

// What is withheld. margins[d][v] is meaningful for n <= 2 (for n = 1 it
// mirrors the cells).
struct Suppression {
  std::vector<bool> cells;
  std::vector<std::vector<bool>> margins;
  bool total = false;
};

// The values of the one-way totals of `table` (margins[d][v]) and its
// total.
struct Margins {
  std::vector<std::vector<int64_t>> margins;
  int64_t total = 0;
};
Margins ComputeMargins(const Table& table);

// REQUIRES: k >= 1; every count >= 1; coords within sizes.
Suppression Suppress(const Table& table, int64_t k);

}  // namespace resguardo::stats

#endif  // RESGUARDO_SERVICES_STATS_TABLE_SUPPRESSOR_H_
