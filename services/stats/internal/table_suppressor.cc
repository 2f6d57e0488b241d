#include "services/stats/internal/table_suppressor.h"

#include <algorithm>
#include <cstddef>
#include <functional>
#include <limits>
#include <numeric>
#include <queue>
#include <utility>

namespace resguardo::stats {
namespace {

// One number of the table as an edge between a row-side node `a` and a
// column-side node `b` of the bipartite graph (table_suppressor.h). Going
// up by one is the arc a -> b for a cell and b -> a for a one-way total
// (it enters the equations with the other sign).
struct Entry {
  int a = 0;
  int b = 0;
  int64_t value = 0;
  bool is_cell = true;
  int Up(int from) const {
    const int tail = is_cell ? a : b;
    return from == tail ? (is_cell ? b : a) : -1;
  }
  int Down(int from) const {
    const int tail = is_cell ? b : a;
    return from == tail ? (is_cell ? a : b) : -1;
  }
  int UpTail() const { return is_cell ? a : b; }
  int UpHead() const { return is_cell ? b : a; }
};

class Suppressor {
 public:
  Suppressor(const Table& table, const SuppressOptions& options)
      : table_(table), options_(options) {}

  Suppression Run();

 private:
  void Build();
  bool Spend(int64_t ops) {
    work_ += ops;
    return work_ <= options_.work_budget;
  }
  // Up always; down for a number of at least k (it may lose one).
  bool Bidirectional(int e) const { return entries_[e].value >= options_.k; }
  // The node reached from `from` over withheld entry e (-1 if none);
  // `e` skipped when it is `excluded`.
  template <typename Fn>
  void WithheldArcs(int from, int excluded, Fn fn) const {
    for (int e : incident_[from]) {
      if (!withheld_[e] || e == excluded) continue;
      const int up = entries_[e].Up(from);
      if (up >= 0) fn(e, up);
      if (Bidirectional(e)) {
        const int down = entries_[e].Down(from);
        if (down >= 0) fn(e, down);
      }
    }
  }
  // Strongly connected components of the withheld arcs (Tarjan, iterative).
  bool Components();
  // True if `to` is reachable from `from` over withheld arcs, not using
  // entry `excluded`.
  bool Reaches(int from, int to, int excluded);
  // Withholds the cheapest released numbers that close a path from `from`
  // to `to` (not using `excluded`) and merges the components along it.
  // kNoPath if there is none; kOutOfWork if the budget ran out.
  enum Outcome { kClosed, kNoPath, kOutOfWork };
  Outcome ClosePath(int from, int to, int excluded);
  int Find(int c) {
    while (parent_[c] != c) c = parent_[c] = parent_[parent_[c]];
    return c;
  }
  void Union(int x, int y) { parent_[Find(x)] = Find(y); }

  const Table& table_;
  const SuppressOptions& options_;
  int cells_ = 0;
  int nodes_ = 0;
  std::vector<Entry> entries_;
  std::vector<std::vector<int>> incident_;
  std::vector<bool> withheld_;
  // Complements: shown movable when withheld (they closed a cycle).
  std::vector<bool> proven_;
  std::vector<int> component_;
  std::vector<int> parent_;
  std::vector<std::vector<int>> margin_entry_;  // [d][v], n == 2.
  int64_t total_ = 0;
  int64_t big_ = 0;
  int64_t work_ = 0;
};

void Suppressor::Build() {
  const size_t n = table_.sizes.size();
  cells_ = static_cast<int>(table_.counts.size());
  const Margins m = ComputeMargins(table_);
  total_ = m.total;
  // A released one-way total costs as much as the smallest cell that could
  // be released: the one-way query gives it anyway, the cells only this
  // table does. A constant, so the choice does not depend on the totals'
  // values (which a small group's move changes).
  big_ = options_.total_cost >= 0 ? options_.total_cost : options_.k;
  if (n == 2) {
    const int rows = table_.sizes[0], cols = table_.sizes[1];
    // Rows 0..rows-1, the column totals' node `rows`, columns
    // rows+1..rows+cols, the row totals' node rows+cols+1.
    nodes_ = rows + cols + 2;
    for (int i = 0; i < rows; ++i) {
      for (int j = 0; j < cols; ++j) {
        entries_.push_back(Entry{i, rows + 1 + j,
                                 table_.counts[static_cast<size_t>(i) * cols +
                                               static_cast<size_t>(j)],
                                 true});
      }
    }
    margin_entry_.resize(2);
    for (int i = 0; i < rows; ++i) {
      margin_entry_[0].push_back(static_cast<int>(entries_.size()));
      entries_.push_back(Entry{i, rows + cols + 1, m.margins[0][i], false});
    }
    for (int j = 0; j < cols; ++j) {
      margin_entry_[1].push_back(static_cast<int>(entries_.size()));
      entries_.push_back(Entry{rows, rows + 1 + j, m.margins[1][j], false});
    }
  } else {
    // One equation, T = sum of the cells: its two sides.
    nodes_ = 2;
    for (int c = 0; c < cells_; ++c) {
      entries_.push_back(Entry{0, 1, table_.counts[c], true});
    }
  }
  incident_.assign(nodes_, {});
  for (size_t e = 0; e < entries_.size(); ++e) {
    incident_[entries_[e].a].push_back(static_cast<int>(e));
    incident_[entries_[e].b].push_back(static_cast<int>(e));
  }
  withheld_.assign(entries_.size(), false);
  proven_.assign(entries_.size(), false);
  for (size_t e = 0; e < entries_.size(); ++e) {
    withheld_[e] = entries_[e].value < options_.k;
  }
  if (n == 2) {
    for (size_t d = 0; d < 2 && d < options_.forced_margins.size(); ++d) {
      for (size_t v = 0;
           v < margin_entry_[d].size() && v < options_.forced_margins[d].size();
           ++v) {
        if (options_.forced_margins[d][v]) {
          withheld_[margin_entry_[d][v]] = true;
        }
      }
    }
  }
}

bool Suppressor::Components() {
  component_.assign(nodes_, -1);
  std::vector<int> index(nodes_, -1), low(nodes_, 0);
  std::vector<bool> on_stack(nodes_, false);
  std::vector<int> stack;
  int next_index = 0, next_component = 0;
  // Explicit recursion: (node, position in its incident list, arc kind).
  struct Frame {
    int node;
    size_t position;
    int pass;  // 0: up arc of incident_[node][position], 1: its down arc.
  };
  for (int root = 0; root < nodes_; ++root) {
    if (index[root] >= 0) continue;
    std::vector<Frame> frames{{root, 0, 0}};
    index[root] = low[root] = next_index++;
    stack.push_back(root);
    on_stack[root] = true;
    while (!frames.empty()) {
      Frame& f = frames.back();
      const int u = f.node;
      if (f.position < incident_[u].size()) {
        if (!Spend(1)) return false;
        const int e = incident_[u][f.position];
        int w = -1;
        if (withheld_[e]) {
          w = f.pass == 0 ? entries_[e].Up(u)
                          : (Bidirectional(e) ? entries_[e].Down(u) : -1);
        }
        if (f.pass == 0) {
          f.pass = 1;
        } else {
          f.pass = 0;
          ++f.position;
        }
        if (w < 0) continue;
        if (index[w] < 0) {
          index[w] = low[w] = next_index++;
          stack.push_back(w);
          on_stack[w] = true;
          frames.push_back(Frame{w, 0, 0});
        } else if (on_stack[w]) {
          low[u] = std::min(low[u], index[w]);
        }
        continue;
      }
      if (low[u] == index[u]) {
        while (true) {
          const int w = stack.back();
          stack.pop_back();
          on_stack[w] = false;
          component_[w] = next_component;
          if (w == u) break;
        }
        ++next_component;
      }
      frames.pop_back();
      if (!frames.empty()) {
        const int parent = frames.back().node;
        low[parent] = std::min(low[parent], low[u]);
      }
    }
  }
  parent_.resize(next_component);
  std::iota(parent_.begin(), parent_.end(), 0);
  return true;
}

bool Suppressor::Reaches(int from, int to, int excluded) {
  std::vector<bool> seen(nodes_, false);
  std::vector<int> queue{from};
  seen[from] = true;
  for (size_t q = 0; q < queue.size(); ++q) {
    const int u = queue[q];
    if (u == to) return true;
    if (!Spend(static_cast<int64_t>(incident_[u].size()))) return false;
    WithheldArcs(u, excluded, [&](int, int w) {
      if (!seen[w]) {
        seen[w] = true;
        queue.push_back(w);
      }
    });
  }
  return false;
}

Suppressor::Outcome Suppressor::ClosePath(int from, int to, int excluded) {
  constexpr int64_t kInf = std::numeric_limits<int64_t>::max();
  std::vector<int64_t> dist(nodes_, kInf);
  std::vector<int> via(nodes_, -1), prev(nodes_, -1);
  using Item = std::pair<int64_t, int>;
  std::priority_queue<Item, std::vector<Item>, std::greater<Item>> heap;
  dist[from] = 0;
  heap.push({0, from});
  while (!heap.empty()) {
    auto [d, u] = heap.top();
    heap.pop();
    if (d != dist[u]) continue;
    if (u == to) break;
    if (!Spend(static_cast<int64_t>(incident_[u].size()) + 1)) {
      return kOutOfWork;
    }
    for (int e : incident_[u]) {
      if (e == excluded) continue;
      const Entry& x = entries_[e];
      int w = -1;
      int64_t cost = 0;
      if (withheld_[e]) {
        w = x.Up(u);
        if (w < 0 && Bidirectional(e)) w = x.Down(u);
      } else {
        // Released numbers are all >= k: once withheld they may move
        // either way.
        w = x.a == u ? x.b : x.a;
        cost = x.is_cell ? x.value : big_;
      }
      if (w < 0 || d + cost >= dist[w]) continue;
      dist[w] = d + cost;
      via[w] = e;
      prev[w] = u;
      heap.push({dist[w], w});
    }
  }
  if (dist[to] == kInf) return kNoPath;
  for (int w = to; w != from; w = prev[w]) {
    const int e = via[w];
    if (!withheld_[e]) {
      withheld_[e] = true;
      proven_[e] = true;
    }
    Union(component_[w], component_[prev[w]]);
  }
  return kClosed;
}

Suppression Suppressor::Run() {
  Build();
  // A total below k: the whole table stands on fewer than k (the engine
  // refuses such a query before it gets here).
  bool ok = total_ >= options_.k;
  // One equation whose every cell is withheld: with T >= 1 and two cells or
  // more, each cell can take one from another or give one to it, whatever
  // the values (the proof below would want a cell of k or more).
  const bool all_cells_withheld =
      nodes_ == 2 && cells_ >= 2 &&
      std::all_of(withheld_.begin(), withheld_.end(), [](bool b) { return b; });
  for (int round = 0; ok && !all_cells_withheld; ++round) {
    if (round >= 8 || !Components()) {
      ok = false;
      break;
    }
    // Every withheld number on no cycle, as the arc (tail, head) of its up
    // direction: a path head -> tail closes the cycle.
    std::vector<std::pair<int, int>> at_risk;
    std::vector<int> at_risk_entry;
    for (size_t e = 0; e < entries_.size() && ok; ++e) {
      if (!withheld_[e] || proven_[e]) continue;
      const Entry& x = entries_[e];
      const int tail = x.UpTail(), head = x.UpHead();
      bool movable = component_[tail] == component_[head];
      if (movable && Bidirectional(static_cast<int>(e))) {
        // Its own two arcs make a cycle that moves nothing: another path
        // must close one of them.
        const int self = static_cast<int>(e);
        movable = Reaches(head, tail, self) || Reaches(tail, head, self);
        if (work_ > options_.work_budget) ok = false;
      }
      if (!movable) {
        at_risk.push_back({tail, head});
        at_risk_entry.push_back(static_cast<int>(e));
      }
    }
    if (!ok || at_risk.empty()) break;
    for (size_t r = 0; r < at_risk.size() && ok; ++r) {
      const auto [tail, head] = at_risk[r];
      const bool bidirectional = Bidirectional(at_risk_entry[r]);
      if (!bidirectional && Find(component_[tail]) == Find(component_[head])) {
        continue;  // A cycle closed earlier in this round runs through it.
      }
      const int e = at_risk_entry[r];
      Outcome outcome = ClosePath(head, tail, e);  // With its up arc.
      if (outcome == kNoPath && bidirectional) {
        outcome = ClosePath(tail, head, e);  // With its down arc.
      }
      ok = outcome == kClosed;
      if (ok && bidirectional) proven_[e] = true;
    }
  }

  Suppression out;
  out.work = work_;
  const size_t n = table_.sizes.size();
  if (!ok) {
    out.exhausted = true;
    withheld_.assign(entries_.size(), true);
  }
  out.cells.assign(withheld_.begin(), withheld_.begin() + cells_);
  out.margins.resize(n);
  if (n == 2) {
    for (size_t d = 0; d < 2; ++d) {
      for (int e : margin_entry_[d]) out.margins[d].push_back(withheld_[e]);
    }
  } else if (n == 1) {
    out.margins[0] = out.cells;
  }
  out.total = out.exhausted;
  int64_t lost = 0;
  for (int c = 0; c < cells_; ++c) {
    if (out.cells[c]) lost += table_.counts[c];
  }
  out.information_loss =
      total_ > 0 ? static_cast<double>(lost) / static_cast<double>(total_) : 0;
  return out;
}

}  // namespace

Margins ComputeMargins(const Table& table) {
  Margins m;
  const size_t n = table.sizes.size();
  m.margins.resize(n);
  for (size_t d = 0; d < n; ++d) m.margins[d].assign(table.sizes[d], 0);
  std::vector<int> idx(n, 0);
  for (size_t c = 0; c < table.counts.size(); ++c) {
    m.total += table.counts[c];
    for (size_t d = 0; d < n; ++d) m.margins[d][idx[d]] += table.counts[c];
    for (size_t d = n; d-- > 0;) {
      if (++idx[d] < table.sizes[d]) break;
      idx[d] = 0;
    }
  }
  return m;
}

Suppression Suppress(const Table& table, const SuppressOptions& options) {
  return Suppressor(table, options).Run();
}

}  // namespace resguardo::stats
