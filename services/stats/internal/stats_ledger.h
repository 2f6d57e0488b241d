// The statistics ledger (node_schema.cc migration 10): what each analyst,
// institution and the node have spent of the query allowance and of the
// epsilon budget, per release period and over quarters of data, and the
// stored answers of a release. StatsEngine::CheckLedger checks and
// StatsEngine::Commit writes them.
//
// Thread-safe (reads in the caller's transaction).
#ifndef RESGUARDO_SERVICES_STATS_INTERNAL_STATS_LEDGER_H_
#define RESGUARDO_SERVICES_STATS_INTERNAL_STATS_LEDGER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "resguardo/v1/stats_service.pb.h"
#include "services/auth/access_policy.h"
#include "services/stats/query_plan.h"
#include "services/store/transaction.h"

namespace resguardo::stats {

// The kinds of charge of stats_charges.kind.
inline constexpr int kChargeEpsilon = 1;
inline constexpr int kChargeQuery = 2;

// The analyst's resource name, as the ledger keys her charges.
std::string AnalystOf(const auth::Principal& caller);

// A quarter of data as an integer: year * 4 + quarter - 1.
int64_t QuarterOf(int yyyymm);

// The quarters of data a plan covers: an unbounded start is 0 (every
// quarter before), an unbounded end the quarter of `now` (no case is
// reported after it; a later quarter's cases were not in the answer).
std::pair<int64_t, int64_t> QuartersOf(const QueryPlan& plan, absl::Time now);

// A quarter (QuarterOf) as "2025-Q1".
std::string QuarterName(int64_t q);

// The quarters of data a query covers, for a message: "2025-Q1",
// "2025-Q1 to 2025-Q4", "up to 2026-Q4".
std::string QuartersName(int64_t from, int64_t to);

// A sum of the ledger for one kind of charge in one release period, for an
// analyst (or, with `analyst` empty, her whole institution).
absl::StatusOr<int64_t> ReleaseSpent(store::ReadTxn& txn, int kind,
                                     const std::string& release,
                                     const std::string& institution,
                                     const std::string& analyst);

// The most already charged to any one quarter of [from, to], over every
// release: for an institution, or (`institution` empty) the whole node.
absl::StatusOr<int64_t> LifetimeSpent(store::ReadTxn& txn, int kind,
                                      const std::string& institution,
                                      int64_t from, int64_t to);

// The stored answer of an identical query in `release`, if any; marked as
// a repeat.
absl::StatusOr<std::optional<v1::StatsQueryResponse>> StoredAnswer(
    store::ReadTxn& txn, const std::string& release, const QueryPlan& plan);

}  // namespace resguardo::stats

#endif  // RESGUARDO_SERVICES_STATS_INTERNAL_STATS_LEDGER_H_
