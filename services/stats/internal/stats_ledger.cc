#include "services/stats/internal/stats_ledger.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "base/status_macros.h"

namespace resguardo::stats {

std::string AnalystOf(const auth::Principal& caller) {
  return absl::StrCat("institutions/", caller.institution, "/users/",
                      caller.user);
}

// A quarter of data as an integer: year * 4 + quarter - 1.
int64_t QuarterOf(int yyyymm) {
  return int64_t{yyyymm / 100} * 4 + (yyyymm % 100 - 1) / 3;
}

// The quarters of data a plan covers: an unbounded start is 0 (every
// quarter before), an unbounded end the quarter of `now` (no case is
// reported after it; a later quarter's cases were not in the answer).
std::pair<int64_t, int64_t> QuartersOf(const QueryPlan& plan, absl::Time now) {
  const absl::CivilMonth m = absl::ToCivilMonth(now, absl::UTCTimeZone());
  const int64_t from = plan.from_month == 0 ? 0 : QuarterOf(plan.from_month);
  int64_t to = plan.to_month == 0
                   ? QuarterOf(static_cast<int>(m.year() * 100 + m.month()))
                   : QuarterOf(plan.to_month);
  return {from, std::max(from, to)};
}

std::string QuarterName(int64_t q) {
  return absl::StrFormat("%04d-Q%d", q / 4, q % 4 + 1);
}

// The quarters of data a query covers, for a message: "2025-Q1",
// "2025-Q1 to 2025-Q4", "up to 2026-Q4".
std::string QuartersName(int64_t from, int64_t to) {
  if (from == 0) return absl::StrCat("up to ", QuarterName(to));
  if (from == to) return QuarterName(from);
  return absl::StrCat(QuarterName(from), " to ", QuarterName(to));
}

// A sum of the ledger for one kind of charge in one release period, for an
// analyst (or, with `analyst` empty, her whole institution).
absl::StatusOr<int64_t> ReleaseSpent(store::ReadTxn& txn, int kind,
                                     const std::string& release,
                                     const std::string& institution,
                                     const std::string& analyst) {
  ASSIGN_OR_RETURN(
      store::Statement s,
      txn.Prepare(analyst.empty()
                      ? "SELECT COALESCE(SUM(amount), 0) FROM stats_charges "
                        "WHERE kind = ?1 AND release_period = ?2 AND "
                        "institution = ?3"
                      : "SELECT COALESCE(SUM(amount), 0) FROM stats_charges "
                        "WHERE kind = ?1 AND release_period = ?2 AND "
                        "institution = ?3 AND analyst = ?4"));
  RETURN_IF_ERROR(s.BindInt64(1, kind));
  RETURN_IF_ERROR(s.BindText(2, release));
  RETURN_IF_ERROR(s.BindText(3, institution));
  if (!analyst.empty()) RETURN_IF_ERROR(s.BindText(4, analyst));
  ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return int64_t{0};
  return s.ColumnInt64(0);
}

// The most already charged to any one quarter of [from, to], over every
// release: for an institution, or (`institution` empty) the whole node.
absl::StatusOr<int64_t> LifetimeSpent(store::ReadTxn& txn, int kind,
                                      const std::string& institution,
                                      int64_t from, int64_t to) {
  ASSIGN_OR_RETURN(
      store::Statement s,
      txn.Prepare(institution.empty()
                      ? "SELECT from_quarter, to_quarter, amount FROM "
                        "stats_charges WHERE kind = ?1 AND to_quarter >= ?2 "
                        "AND from_quarter <= ?3"
                      : "SELECT from_quarter, to_quarter, amount FROM "
                        "stats_charges WHERE kind = ?1 AND institution = ?4 "
                        "AND to_quarter >= ?2 AND from_quarter <= ?3"));
  RETURN_IF_ERROR(s.BindInt64(1, kind));
  RETURN_IF_ERROR(s.BindInt64(2, from));
  RETURN_IF_ERROR(s.BindInt64(3, to));
  if (!institution.empty()) RETURN_IF_ERROR(s.BindText(4, institution));
  // A sweep over the charges' ends, clipped to [from, to].
  std::map<int64_t, int64_t> delta;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    ASSIGN_OR_RETURN(int64_t a, s.ColumnInt64(0));
    ASSIGN_OR_RETURN(int64_t b, s.ColumnInt64(1));
    ASSIGN_OR_RETURN(int64_t amount, s.ColumnInt64(2));
    delta[std::max(a, from)] += amount;
    delta[std::min(b, to) + 1] -= amount;
  }
  int64_t most = 0, running = 0;
  for (const auto& [unused, d] : delta) {
    running += d;
    most = std::max(most, running);
  }
  return most;
}

// The stored answer of an identical query in `release`, if any; marked as
// a repeat.
absl::StatusOr<std::optional<v1::StatsQueryResponse>> StoredAnswer(
    store::ReadTxn& txn, const std::string& release, const QueryPlan& plan) {
  ASSIGN_OR_RETURN(store::Statement s,
                   txn.Prepare("SELECT answer FROM stats_answers WHERE "
                               "release_period = ?1 AND query = ?2"));
  RETURN_IF_ERROR(s.BindText(1, release));
  RETURN_IF_ERROR(s.BindText(2, plan.canonical));
  ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<v1::StatsQueryResponse>();
  ASSIGN_OR_RETURN(absl::string_view bytes, s.ColumnBlob(0));
  v1::StatsQueryResponse stored;
  if (!stored.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError("a stored statistics answer does not parse");
  }
  stored.mutable_privacy()->set_epsilon(0);
  stored.mutable_privacy()->set_repeated_release(true);
  return std::optional<v1::StatsQueryResponse>(std::move(stored));
}

}  // namespace resguardo::stats
