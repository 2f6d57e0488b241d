// StatsEngine: answers a planned statistics query (query_plan.h) from the
// node's database with one SQL statement over the cases (columns chosen in
// code from the allow-list) plus cheap post-processing: a GROUP BY, or,
// for case counts over single-valued dimensions, one scan aggregated in a
// hash table (SQLite 3.15 groups by sorting every row).
//
// Without epsilon (suppression):
//   - the table is the full grid of its dimensions' categories (Grid in
//     stats_engine.cc: catalogue values, states, the months asked or the
//     node's first to last, the node's municipalities; never the filtered
//     population's), zeros included, at most kMaxCells cells
//     (INVALID_ARGUMENT naming the dimension beyond);
//   - a query whose whole population (cases; distinct victims; the cases
//     behind a median) is below k is FAILED_PRECONDITION, with a reason
//     that names no value;
//   - cells count cases, or distinct victims by person key (a case without
//     one counts as its own victim), or give the median days to the first
//     action; a case with two values of a multi-valued dimension counts
//     under each, and totals are the sums of their cells;
//   - table_suppressor.h withholds every count below k, zero included (so
//     every row or slice of fewer than k cases is wholly withheld), and the
//     complements that keep each withheld count undeterminable from the
//     answer's totals, chosen independently of the small counts' values;
//     the answer reports its information loss (medians: withheld when
//     fewer than k cases stand behind them, empty cells included);
//   - differencing between queries: every released count carries the
//     cell-key perturbation of the Australian Bureau of Statistics'
//     TableBuilder. Each case has a secret record key (a keyed hash of its
//     row id, the key derived from the node's pseudonym key); a count's
//     cell key is the sum of its cases' record keys; the perturbation, in
//     -2..+2, is a fixed function of the cell key. The same set of cases
//     always gets the same perturbation (repeating a query averages
//     nothing away), and two queries whose populations differ by a few
//     cases get unrelated perturbations, so their difference does not give
//     a withheld count. A released count never goes below k.
// With epsilon (differential privacy):
//   - one contribution per person: each person key (or case without one)
//     is counted once, in the cell of her earliest case in the filtered
//     population, and for a multi-valued dimension under the case's first
//     recorded value; so adding or removing a person changes one cell by 1
//     (sensitivity 1), and two-sided geometric noise (geometric_noise.h)
//     on every cell of a grid fixed by the query alone (catalogue values,
//     the months asked) gives epsilon-DP for the whole table; totals are
//     sums of noisy cells (post-processing), noisy counts below k are shown
//     as withheld (post-processing too);
//   - the answer is computed in a read transaction; the epsilon is then
//     charged to the analyst's budget for the current release period in
//     the same short write that stores the answer (PreparePrivate /
//     CommitPrivate); an identical query in the same release gets the
//     stored answer and is charged nothing (whoever asks it, even when the
//     two raced).
//
// Thread-safe. Borrows the clock, which must outlive the engine.
#ifndef RESGUARDO_SERVICES_STATS_STATS_ENGINE_H_
#define RESGUARDO_SERVICES_STATS_STATS_ENGINE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "crypto/key_provider.h"
#include "resguardo/v1/stats_service.pb.h"
#include "services/auth/access_policy.h"
#include "services/stats/query_plan.h"
#include "services/store/database.h"
#include "services/store/transaction.h"

namespace resguardo::stats {

// The grid of a table (stats_engine.cc).
struct Axes;

class StatsEngine {
 public:
  struct Options {
    // Suppression threshold. REQUIRES: >= 3 (the config loader refuses
    // less).
    int64_t k = 5;
    // Epsilon per analyst and release period.
    double epsilon_budget = 1.0;
    // Months per release period: 1, 3 or 12.
    int release_months = 3;
    // The cell-key perturbation of released counts. Always on in a node;
    // tests turn it off to see exact counts (and the attack it stops).
    bool perturb = true;
    // Case counts aggregated in a hash table over one scan instead of SQL
    // GROUP BY (same answer; tests compare the two).
    bool hash_aggregation = true;
  };

  // Derives the cell-key secret from KeyPurpose::kPseudonym (HKDF, its own
  // label). INVALID_ARGUMENT for bad options; the provider's errors.
  static absl::StatusOr<std::unique_ptr<StatsEngine>> New(
      const crypto::KeyProvider& keys, const Clock* clock, Options options);

  // PERMISSION_DENIED unless `caller` may see the plan's scope: an analyst
  // of an OVERSIGHT institution any scope, another analyst only her own
  // institution.
  absl::Status CheckScope(store::ReadTxn& txn, const auth::Principal& caller,
                          const QueryPlan& plan) const;

  // REQUIRES: plan.epsilon_micro == 0.
  absl::StatusOr<v1::StatsQueryResponse> Query(store::ReadTxn& txn,
                                               const QueryPlan& plan) const;

  // A differentially private answer in two steps, so that the scan (seconds
  // at a million cases) never holds the node's single writer:
  //   1. PreparePrivate, in a read transaction: the stored release of an
  //      identical query if there is one, a refusal if the budget cannot pay,
  //      else the noisy answer, not yet charged;
  //   2. CommitPrivate, in a short write: re-reads the stored release (an
  //      identical query may have committed since step 1: its answer is
  //      returned, nothing charged) and the budget (another query of the
  //      same analyst may have spent it: RESOURCE_EXHAUSTED, nothing
  //      written), then stores the answer and charges the budget together.
  // REQUIRES: plan.epsilon_micro > 0.
  struct PrivateDraft {
    v1::StatsQueryResponse answer;
    // True when `answer` is an already stored release (step 2 not needed).
    bool stored = false;
  };
  absl::StatusOr<PrivateDraft> PreparePrivate(store::ReadTxn& txn,
                                              const auth::Principal& caller,
                                              const QueryPlan& plan) const;
  absl::StatusOr<v1::StatsQueryResponse> CommitPrivate(
      store::WriteTxn& txn, const auth::Principal& caller,
      const QueryPlan& plan, PrivateDraft draft) const;

  // Both steps: PreparePrivate in `txn`, then CommitPrivate in a write of
  // `db` (not a nested read: the database allows a write inside a read).
  // RESOURCE_EXHAUSTED when the caller's budget for the current release
  // period cannot pay the plan's epsilon (nothing is written then).
  absl::StatusOr<v1::StatsQueryResponse> QueryPrivate(
      store::ReadTxn& txn, store::Database& db, const auth::Principal& caller,
      const QueryPlan& plan) const;

  // The release period containing `t` (UTC): "2026-11", "2026-Q4", "2026".
  std::string ReleaseOf(absl::Time t) const;

 private:
  StatsEngine(const Clock* clock, Options options, int64_t key_a, int64_t key_b)
      : clock_(clock), options_(options), key_a_(key_a), key_b_(key_b) {}

  // Case counts over `axes` (the query's grid), aggregated in a hash table.
  absl::StatusOr<v1::StatsQueryResponse> CountByHash(store::ReadTxn& txn,
                                                     const QueryPlan& plan,
                                                     Axes axes) const;

  const Clock* const clock_;
  const Options options_;
  // Record key of a case = (id * key_a_ + key_b_) mod (2^31 - 1).
  const int64_t key_a_;
  const int64_t key_b_;
};

// The cell-key perturbation of a count whose cell key is `cell_key`
// (any integer; only its value mod 2^31 matters): -2..+2 with
// probabilities 0.1, 0.2, 0.4, 0.2, 0.1.
int CellKeyPerturbation(int64_t cell_key);

}  // namespace resguardo::stats

#endif  // RESGUARDO_SERVICES_STATS_STATS_ENGINE_H_
