#include "services/stats/table_suppressor.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <utility>

namespace resguardo::stats {
namespace {

// head = sum of tail, over variable indexes.
struct Equation {
  int head;
  std::vector<int> tail;
};

// The variables (cells, then one-way totals when n >= 2, then the total)
// and the equations between them.
struct System {
  std::vector<int64_t> value;
  std::vector<bool> is_cell;
  std::vector<Equation> equations;
  // For each variable, the equations it appears in.
  std::vector<std::vector<int>> in_equations;
  int total = 0;
  std::vector<std::vector<int>> margin_var;  // [d][v]
};

System BuildSystem(const Table& table) {
  System s;
  const size_t n = table.sizes.size();
  const int cells = static_cast<int>(table.counts.size());
  for (int64_t c : table.counts) {
    s.value.push_back(c);
    s.is_cell.push_back(true);
  }
  Margins m = ComputeMargins(table);
  if (n == 2) {
    s.margin_var.resize(n);
    for (size_t d = 0; d < n; ++d) {
      for (int v = 0; v < table.sizes[d]; ++v) {
        s.margin_var[d].push_back(static_cast<int>(s.value.size()));
        s.value.push_back(m.margins[d][v]);
        s.is_cell.push_back(false);
      }
    }
  }
  s.total = static_cast<int>(s.value.size());
  s.value.push_back(m.total);
  s.is_cell.push_back(false);

  Equation all{s.total, {}};
  for (int c = 0; c < cells; ++c) all.tail.push_back(c);
  s.equations.push_back(std::move(all));
  if (n == 2) {
    for (size_t d = 0; d < n; ++d) {
      std::vector<Equation> slices;
      for (int v = 0; v < table.sizes[d]; ++v) {
        slices.push_back(Equation{s.margin_var[d][v], {}});
      }
      for (int c = 0; c < cells; ++c) {
        slices[table.coords[c][d]].tail.push_back(c);
      }
      Equation by_margins{s.total, s.margin_var[d]};
      for (Equation& e : slices) s.equations.push_back(std::move(e));
      s.equations.push_back(std::move(by_margins));
    }
  }
  s.in_equations.resize(s.value.size());
  for (size_t e = 0; e < s.equations.size(); ++e) {
    s.in_equations[s.equations[e].head].push_back(static_cast<int>(e));
    for (int t : s.equations[e].tail) {
      s.in_equations[t].push_back(static_cast<int>(e));
    }
  }
  return s;
}

// The released variable of equation `e` to withhold next: its smallest
// released cell, else its smallest released total; -1 if none is left.
int Complement(const System& s, const Equation& e,
               const std::vector<bool>& withheld) {
  int best = -1;
  auto better = [&](int candidate) {
    if (withheld[candidate]) return false;
    if (best < 0) return true;
    if (s.is_cell[candidate] != s.is_cell[best]) return s.is_cell[candidate];
    return s.value[candidate] < s.value[best];
  };
  for (int t : e.tail) {
    if (better(t)) best = t;
  }
  if (better(e.head)) best = e.head;
  return best;
}

// Rule 2 for one equation: true if it needs one more withheld number.
bool NeedsComplement(const System& s, const Equation& e,
                     const std::vector<bool>& withheld) {
  int unknown = 0;
  bool head_unknown = withheld[e.head];
  int64_t known_tail = 0;
  int tail_unknown = 0;
  for (int t : e.tail) {
    if (withheld[t]) {
      ++tail_unknown;
    } else {
      known_tail += s.value[t];
    }
  }
  unknown = tail_unknown + (head_unknown ? 1 : 0);
  if (unknown == 1) return true;
  // Every number is >= 1: withheld tail numbers that must sum to exactly
  // their count are all 1.
  if (!head_unknown && tail_unknown >= 2 &&
      s.value[e.head] - known_tail == tail_unknown) {
    return true;
  }
  return false;
}

// Rule 3: the withheld variables whose value follows linearly from the
// released ones.
std::vector<int> Determined(const System& s,
                            const std::vector<bool>& withheld) {
  std::vector<int> column_of(s.value.size(), -1);
  std::vector<int> var_of;
  for (size_t i = 0; i < s.value.size(); ++i) {
    if (withheld[i]) {
      column_of[i] = static_cast<int>(var_of.size());
      var_of.push_back(static_cast<int>(i));
    }
  }
  const size_t cols = var_of.size();
  if (cols == 0) return {};
  std::vector<std::vector<double>> m;
  for (const Equation& e : s.equations) {
    std::vector<double> row(cols, 0.0);
    bool any = false;
    if (column_of[e.head] >= 0) {
      row[column_of[e.head]] += 1.0;
      any = true;
    }
    for (int t : e.tail) {
      if (column_of[t] >= 0) {
        row[column_of[t]] -= 1.0;
        any = true;
      }
    }
    if (any) m.push_back(std::move(row));
  }
  constexpr double kEps = 1e-9;
  size_t rank = 0;
  std::vector<int> pivot_col;
  for (size_t c = 0; c < cols && rank < m.size(); ++c) {
    size_t best = rank;
    for (size_t r = rank; r < m.size(); ++r) {
      if (std::fabs(m[r][c]) > std::fabs(m[best][c])) best = r;
    }
    if (std::fabs(m[best][c]) < kEps) continue;
    std::swap(m[best], m[rank]);
    const double p = m[rank][c];
    for (double& x : m[rank]) x /= p;
    for (size_t r = 0; r < m.size(); ++r) {
      if (r == rank || std::fabs(m[r][c]) < kEps) continue;
      const double f = m[r][c];
      for (size_t j = c; j < cols; ++j) m[r][j] -= f * m[rank][j];
    }
    pivot_col.push_back(static_cast<int>(c));
    ++rank;
  }
  // In reduced row echelon form a unit vector e_c is in the row space iff
  // some row is exactly e_c.
  std::vector<int> out;
  for (size_t r = 0; r < rank; ++r) {
    int nonzero = 0;
    for (size_t j = 0; j < cols; ++j) {
      if (std::fabs(m[r][j]) > kEps) ++nonzero;
    }
    if (nonzero == 1) out.push_back(var_of[pivot_col[r]]);
  }
  return out;
}

// Rule 4: interval propagation. Released numbers are exact, withheld ones
// start at [1, +inf); each equation head = sum(tail) tightens the bounds of
// its members until nothing changes. Returns the withheld variables whose
// interval closed to a single value (pinned by the lower bounds: e.g. two
// withheld totals of two cells each that must sum to 4).
std::vector<int> Pinned(const System& s, const std::vector<bool>& withheld) {
  constexpr int64_t kInf = std::numeric_limits<int64_t>::max() / 4;
  const size_t n = s.value.size();
  std::vector<int64_t> lo(n), hi(n);
  for (size_t i = 0; i < n; ++i) {
    lo[i] = withheld[i] ? 1 : s.value[i];
    hi[i] = withheld[i] ? kInf : s.value[i];
  }
  auto add = [kInf](int64_t a, int64_t b) { return std::min(a + b, kInf); };
  bool changed = true;
  for (int round = 0; changed && round < 200; ++round) {
    changed = false;
    for (const Equation& e : s.equations) {
      int64_t sum_lo = 0, sum_hi = 0;
      for (int t : e.tail) {
        sum_lo = add(sum_lo, lo[t]);
        sum_hi = add(sum_hi, hi[t]);
      }
      if (sum_lo > lo[e.head]) {
        lo[e.head] = sum_lo;
        changed = true;
      }
      if (sum_hi < hi[e.head]) {
        hi[e.head] = sum_hi;
        changed = true;
      }
      for (int t : e.tail) {
        const int64_t others_hi = sum_hi >= kInf ? kInf : sum_hi - hi[t];
        const int64_t others_lo = sum_lo - lo[t];
        if (hi[e.head] < kInf) {
          const int64_t new_hi = hi[e.head] - others_lo;
          if (new_hi < hi[t]) {
            hi[t] = new_hi;
            changed = true;
          }
        }
        if (others_hi < kInf) {
          const int64_t new_lo = lo[e.head] - others_hi;
          if (new_lo > lo[t]) {
            lo[t] = new_lo;
            changed = true;
          }
        }
      }
    }
  }
  std::vector<int> out;
  for (size_t i = 0; i < n; ++i) {
    if (withheld[i] && lo[i] >= hi[i]) out.push_back(static_cast<int>(i));
  }
  return out;
}

// Phase 1 of the simplex method with Bland's rule: is there y >= 0 with
// M y = b? On success `y` holds one such point.
bool Feasible(std::vector<std::vector<double>> m, std::vector<double> b,
              std::vector<double>* y) {
  constexpr double kEps = 1e-9;
  const size_t rows = m.size();
  const size_t vars = rows == 0 ? 0 : m[0].size();
  for (size_t r = 0; r < rows; ++r) {
    if (b[r] < 0) {
      for (double& x : m[r]) x = -x;
      b[r] = -b[r];
    }
    m[r].resize(vars + rows, 0.0);
    m[r][vars + r] = 1.0;  // The artificial variable of row r.
  }
  const size_t cols = vars + rows;
  std::vector<size_t> basis(rows);
  for (size_t r = 0; r < rows; ++r) basis[r] = vars + r;
  std::vector<double> cost(cols, 0.0);  // Reduced costs of sum(artificial).
  for (size_t j = 0; j < vars; ++j) {
    for (size_t r = 0; r < rows; ++r) cost[j] -= m[r][j];
  }
  for (int iteration = 0; iteration < 100000; ++iteration) {
    size_t enter = cols;
    for (size_t j = 0; j < cols; ++j) {
      if (cost[j] < -kEps) {
        enter = j;
        break;
      }
    }
    if (enter == cols) break;
    size_t leave = rows;
    double best = 0;
    for (size_t r = 0; r < rows; ++r) {
      if (m[r][enter] > kEps) {
        double ratio = b[r] / m[r][enter];
        if (leave == rows || ratio < best - kEps ||
            (ratio < best + kEps && basis[r] < basis[leave])) {
          leave = r;
          best = ratio;
        }
      }
    }
    if (leave == rows) break;  // Unbounded: cannot happen in phase 1.
    const double p = m[leave][enter];
    for (double& x : m[leave]) x /= p;
    b[leave] /= p;
    for (size_t r = 0; r < rows; ++r) {
      if (r == leave || std::fabs(m[r][enter]) < kEps) continue;
      const double f = m[r][enter];
      for (size_t j = 0; j < cols; ++j) m[r][j] -= f * m[leave][j];
      b[r] -= f * b[leave];
    }
    const double f = cost[enter];
    for (size_t j = 0; j < cols; ++j) cost[j] -= f * m[leave][j];
    basis[leave] = enter;
  }
  y->assign(vars, 0.0);
  for (size_t r = 0; r < rows; ++r) {
    if (basis[r] >= vars) {
      if (b[r] > 1e-7) return false;
    } else {
      (*y)[basis[r]] = b[r];
    }
  }
  return true;
}

// Rule 4: the withheld variables that cannot move. x_i can take another
// value iff some direction d over the withheld variables keeps every
// equation (A d = 0), does not push a variable at its lower bound 1 below
// it (d_j >= 0 where x_j = 1), and has d_i != 0. Each feasibility problem
// is a small linear program; a direction found frees every variable it
// moves, so few are solved.
std::vector<int> Immovable(const System& s, const std::vector<bool>& withheld) {
  std::vector<int> unknown;
  std::vector<int> column_of(s.value.size(), -1);
  for (size_t i = 0; i < s.value.size(); ++i) {
    if (withheld[i]) {
      column_of[i] = static_cast<int>(unknown.size());
      unknown.push_back(static_cast<int>(i));
    }
  }
  // LP variables: a tight variable (x = 1) has d = y+; any other has
  // d = y+ - y-.
  std::vector<int> plus(unknown.size()), minus(unknown.size(), -1);
  int vars = 0;
  for (size_t u = 0; u < unknown.size(); ++u) {
    plus[u] = vars++;
    if (s.value[unknown[u]] > 1) minus[u] = vars++;
  }
  std::vector<std::vector<double>> rows;
  for (const Equation& e : s.equations) {
    std::vector<double> row(vars, 0.0);
    bool any = false;
    auto put = [&](int var, double sign) {
      int u = column_of[var];
      if (u < 0) return;
      any = true;
      row[plus[u]] += sign;
      if (minus[u] >= 0) row[minus[u]] -= sign;
    };
    put(e.head, 1.0);
    for (int t : e.tail) put(t, -1.0);
    if (any) rows.push_back(std::move(row));
  }
  // A variable may go down by at most x - 1 (stay >= 1): y- + slack =
  // x - 1. The move is then a real solution of size 1 in x_i, which is far
  // closer to an integer one than a mere direction.
  std::vector<double> rhs(rows.size(), 0.0);
  int slack = vars;
  for (size_t u = 0; u < unknown.size(); ++u) {
    if (minus[u] >= 0) ++vars;
  }
  for (auto& row : rows) row.resize(vars, 0.0);
  for (size_t u = 0; u < unknown.size(); ++u) {
    if (minus[u] < 0) continue;
    std::vector<double> row(vars, 0.0);
    row[minus[u]] = 1.0;
    row[slack++] = 1.0;
    rows.push_back(std::move(row));
    rhs.push_back(static_cast<double>(s.value[unknown[u]] - 1));
  }
  std::vector<bool> movable(unknown.size(), false);
  for (size_t u = 0; u < unknown.size(); ++u) {
    if (movable[u]) continue;
    for (double direction : {1.0, -1.0}) {
      if (direction < 0 && minus[u] < 0) continue;
      std::vector<std::vector<double>> m = rows;
      std::vector<double> b = rhs;
      std::vector<double> pin(vars, 0.0);
      pin[plus[u]] = 1.0;
      if (minus[u] >= 0) pin[minus[u]] = -1.0;
      m.push_back(pin);
      b.push_back(direction);
      std::vector<double> y;
      if (!Feasible(std::move(m), std::move(b), &y)) continue;
      for (size_t w = 0; w < unknown.size(); ++w) {
        double d = y[plus[w]] - (minus[w] >= 0 ? y[minus[w]] : 0.0);
        if (std::fabs(d) > 1e-7) movable[w] = true;
      }
      break;
    }
  }
  std::vector<int> out;
  for (size_t u = 0; u < unknown.size(); ++u) {
    if (!movable[u]) out.push_back(unknown[u]);
  }
  return out;
}

}  // namespace

Margins ComputeMargins(const Table& table) {
  Margins m;
  const size_t n = table.sizes.size();
  m.margins.resize(n);
  for (size_t d = 0; d < n; ++d) m.margins[d].assign(table.sizes[d], 0);
  for (size_t c = 0; c < table.counts.size(); ++c) {
    m.total += table.counts[c];
    for (size_t d = 0; d < n; ++d) {
      m.margins[d][table.coords[c][d]] += table.counts[c];
    }
  }
  return m;
}

Suppression Suppress(const Table& table, int64_t k) {
  const System s = BuildSystem(table);
  std::vector<bool> withheld(s.value.size(), false);
  for (size_t i = 0; i < s.value.size(); ++i) {
    withheld[i] = s.value[i] < k;
  }
  // Rules 3 and 4 cost up to (equations x withheld numbers) squared: past
  // these sizes, or when no complement is left, every total is withheld
  // instead. That is always safe (no equation keeps a known side, so every
  // withheld cell can move freely) and bounds the work an analyst can ask
  // of the node.
  constexpr size_t kMaxEliminationEntries = 2000000;
  constexpr size_t kMaxProgramUnknowns = 150;
  constexpr int kMaxRounds = 300;
  bool all_totals_withheld = false;
  auto withhold_totals = [&] {
    for (size_t i = 0; i < withheld.size(); ++i) {
      if (!s.is_cell[i]) withheld[i] = true;
    }
    all_totals_withheld = true;
  };
  int rounds = 0;
  bool changed = true;
  while (changed && !all_totals_withheld) {
    changed = false;
    for (const Equation& e : s.equations) {
      if (!NeedsComplement(s, e, withheld)) continue;
      int c = Complement(s, e, withheld);
      if (c >= 0) {
        withheld[c] = true;
        changed = true;
      }
    }
    if (changed) continue;
    const size_t unknowns =
        static_cast<size_t>(std::count(withheld.begin(), withheld.end(), true));
    if (++rounds > kMaxRounds ||
        unknowns * s.equations.size() > kMaxEliminationEntries) {
      withhold_totals();
      break;
    }
    std::vector<int> at_risk = Determined(s, withheld);
    if (at_risk.empty()) at_risk = Pinned(s, withheld);
    if (at_risk.empty()) {
      if (unknowns > kMaxProgramUnknowns) {
        withhold_totals();
        break;
      }
      at_risk = Immovable(s, withheld);
    }
    for (int v : at_risk) {
      int best = -1;
      for (int e : s.in_equations[v]) {
        int c = Complement(s, s.equations[e], withheld);
        if (c < 0) continue;
        if (best < 0 || (s.is_cell[c] && !s.is_cell[best]) ||
            (s.is_cell[c] == s.is_cell[best] && s.value[c] < s.value[best])) {
          best = c;
        }
      }
      if (best >= 0) {
        withheld[best] = true;
        changed = true;
        break;  // Recompute: one more unknown may free several others.
      }
    }
    if (!at_risk.empty() && !changed) withhold_totals();
  }

  Suppression out;
  const size_t cells = table.counts.size();
  out.cells.assign(withheld.begin(), withheld.begin() + cells);
  out.margins.resize(table.sizes.size());
  for (size_t d = 0; d < s.margin_var.size(); ++d) {
    for (int var : s.margin_var[d]) out.margins[d].push_back(withheld[var]);
  }
  if (table.sizes.size() == 1) {
    // The one-way totals of a single dimension are its cells.
    out.margins[0].assign(table.sizes[0], false);
    for (size_t c = 0; c < cells; ++c) {
      out.margins[0][table.coords[c][0]] = withheld[c];
    }
  }
  out.total = withheld[s.total];
  return out;
}

}  // namespace resguardo::stats
