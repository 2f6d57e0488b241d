// StatsEngine: answers a planned statistics query (query_plan.h) from the
// node's database with one SQL statement over the cases (columns chosen in
// code from the allow-list) plus cheap post-processing: a GROUP BY, or,
// for case counts over single-valued dimensions, one scan aggregated in a
// hash table (SQLite 3.15 groups by sorting every row).
//
// Without epsilon (suppression):
//   - the table is the full grid of its dimensions' categories (Grid in
//     internal/grid.cc: catalogue values, states, the months asked or the
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
//     -2..+2 (probabilities 0.1, 0.2, 0.4, 0.2, 0.1), is drawn by SHA-256
//     of the cell key. The same set of cases always gets the
//     same perturbation (repeating a query averages nothing away), and two
//     sets that differ by any case get independent draws: one pair of
//     queries whose populations differ by a woman's cases gives her exact
//     count only as often as two fresh draws agree. A released count never
//     goes below k;
//   - a median is the value at a rank drawn the same way (from the cell
//     key) in the central half of the sorted values, over at least k
//     distinct cases: the median of a set that gains one case moves
//     towards that case's side only a little more often than chance;
//   - averaging many such pairs is bounded by the query allowance: each
//     distinct query costs one from the analyst's and her institution's
//     allowance for the release period, and from her institution's
//     lifetime allowance over every quarter of data it covers (whatever
//     release asks); an identical query in the same release gets the stored
//     answer and costs nothing. Spent: RESOURCE_EXHAUSTED.
// With epsilon (differential privacy):
//   - one contribution per woman: each person key is counted once, in the
//     cell of her earliest case in the filtered population, and for a
//     multi-valued dimension under the case's first recorded value; cases
//     without a person key (no CURP nor name and full birth date, or
//     erased) are left out, since nothing ties one woman's keyless cases
//     together. So adding or removing a woman, with all her cases, changes
//     one cell by at most 1 (sensitivity 1), and two-sided geometric noise
//     (geometric_noise.h) on every cell of a grid fixed by the query alone
//     (catalogue values, the months asked) gives epsilon-DP for the whole
//     table; totals are sums of noisy cells (post-processing), noisy counts
//     below k are shown as withheld (post-processing too);
//   - epsilon is charged to the analyst and to her institution for the
//     release period, and to her institution and the whole node over every
//     quarter of data the query covers, with lifetime caps per quarter of
//     data that no new release period resets;
//   - an identical query in the same release gets the stored answer and is
//     charged nothing (whoever asks it, even when the two raced).
// Every answer, noisy or not, is computed in a read transaction (Prepare)
// and its charge and stored answer are written in one short write of the
// store's writer (Commit), never from inside the read.
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

class StatsEngine {
 public:
  struct Options {
    // Suppression threshold. REQUIRES: >= 3 (the config loader refuses
    // less).
    int64_t k = 5;
    // Epsilon per analyst and release period.
    double epsilon_budget = 1.0;
    // Epsilon per institution (all its analysts) and release period.
    double institution_epsilon_budget = 2.0;
    // Epsilon over one quarter of data, whatever release asks: per
    // institution, and for the whole node.
    double institution_epsilon_lifetime = 2.0;
    double node_epsilon_lifetime = 4.0;
    // The query allowance of suppressed (non-epsilon) answers, in distinct
    // queries (a repeat in the same release is free): per analyst and per
    // institution and release period, and per institution over one quarter
    // of data whatever release asks. 0: no allowance (tests of the counts
    // alone).
    int64_t queries_per_analyst = 20;
    int64_t queries_per_institution = 30;
    int64_t institution_query_lifetime = 30;
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

  // The suppressed answer's counts alone, computed in `txn`: no allowance,
  // no stored answer (Prepare adds them). REQUIRES: plan.epsilon_micro == 0.
  absl::StatusOr<v1::StatsQueryResponse> Query(store::ReadTxn& txn,
                                               const QueryPlan& plan) const;

  // An answer in two steps, so that the scan (seconds at a million cases)
  // never holds the node's single writer and the read never waits for it:
  //   1. Prepare, in a read transaction: the stored answer of an identical
  //      query in the current release if there is one (Draft::stored),
  //      a refusal if the allowance (without epsilon) or the budgets (with
  //      epsilon) cannot pay, else the answer, not yet charged;
  //   2. Commit, in a short write of the store's writer: re-reads the
  //      stored answer (an identical query may have committed since step 1:
  //      its answer is returned, nothing charged) and the ledger (another
  //      query may have spent it: RESOURCE_EXHAUSTED, nothing written),
  //      then stores the answer and writes the charge together. It makes
  //      every check before its first change (store::Database::Isolation::
  //      kChecksFirst).
  // RESOURCE_EXHAUSTED names the allowance or budget that is spent, never a
  // value of the data.
  struct Draft {
    v1::StatsQueryResponse answer;
    // True when `answer` is an already stored release (step 2 not needed).
    bool stored = false;
  };
  absl::StatusOr<Draft> Prepare(store::ReadTxn& txn,
                                const auth::Principal& caller,
                                const QueryPlan& plan) const;
  absl::StatusOr<v1::StatsQueryResponse> Commit(store::WriteTxn& txn,
                                                const auth::Principal& caller,
                                                const QueryPlan& plan,
                                                Draft draft) const;

  // Both steps, for tools and tests: Prepare in a read of `db`, then (once
  // that read is over) Commit in a write of `db`.
  absl::StatusOr<v1::StatsQueryResponse> Answer(store::Database& db,
                                                const auth::Principal& caller,
                                                const QueryPlan& plan) const;

  // What `caller` may still spend in the current release over the months
  // of `request` (StatsService.GetAllowance). INVALID_ARGUMENT for a bad
  // month. Reads only.
  absl::StatusOr<v1::StatsAllowance> Allowance(
      store::ReadTxn& txn, const auth::Principal& caller,
      const v1::GetStatsAllowanceRequest& request) const;

  // The release period containing `t` (UTC): "2026-11", "2026-Q4", "2026".
  std::string ReleaseOf(absl::Time t) const;

 private:
  StatsEngine(const Clock* clock, Options options, int64_t key_a, int64_t key_b)
      : clock_(clock), options_(options), key_a_(key_a), key_b_(key_b) {}

  // With `charge`: OK when the ledger can pay the plan (epsilon, or one
  // query of the allowance) for `caller` in `release`, else
  // RESOURCE_EXHAUSTED naming what is spent. Sets in `privacy` what is left
  // after the charge (the least of the analyst's, her institution's and
  // the lifetime caps over the plan's quarters). Without: only sets it.
  absl::Status CheckLedger(store::ReadTxn& txn, const auth::Principal& caller,
                           const QueryPlan& plan, const std::string& release,
                           bool charge, v1::StatsPrivacy* privacy) const;

  const Clock* const clock_;
  const Options options_;
  // Record key of a case = (id * key_a_ + key_b_) mod (2^31 - 1).
  const int64_t key_a_;
  const int64_t key_b_;
};

// The cell-key perturbation of a count whose cell key is `cell_key` (any
// integer; only its value mod 2^31 - 1 matters): -2..+2 with probabilities
// 0.1, 0.2, 0.4, 0.2, 0.1, drawn from SHA-256 of the cell key, so that cell
// keys that differ by any amount give independent draws. A function of
// the set of cases alone: its count of cases and of distinct victims get
// the same draw.
int CellKeyPerturbation(int64_t cell_key);

}  // namespace resguardo::stats

#endif  // RESGUARDO_SERVICES_STATS_STATS_ENGINE_H_
