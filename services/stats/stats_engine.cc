#include "services/stats/stats_engine.h"

#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "base/status_macros.h"
#include "crypto/hkdf.h"
#include "resguardo/v1/catalogues.pb.h"
#include "resguardo/v1/referral_service.pb.h"
#include "services/api/error_catalogue.h"
#include "services/api/field_violations.h"
#include "services/schema/node_schema.h"
#include "services/stats/internal/cell_key.h"
#include "services/stats/internal/count_answer.h"
#include "services/stats/internal/geometric_noise.h"
#include "services/stats/internal/grid.h"
#include "services/stats/internal/hash_aggregation.h"
#include "services/stats/internal/median_answer.h"
#include "services/stats/internal/private_answer.h"
#include "services/stats/internal/sql_frame.h"
#include "services/stats/internal/stats_ledger.h"
#include "services/stats/internal/table_suppressor.h"

namespace resguardo::stats {
namespace {

using v1::StatsDimension;

}  // namespace

absl::StatusOr<std::unique_ptr<StatsEngine>> StatsEngine::New(
    const crypto::KeyProvider& keys, const Clock* clock, Options options) {
  if (options.k < 3) {
    return absl::InvalidArgumentError("statistics.k must be at least 3");
  }
  if (!(options.epsilon_budget > 0) ||
      !(options.institution_epsilon_budget > 0) ||
      !(options.institution_epsilon_lifetime > 0) ||
      !(options.node_epsilon_lifetime > 0)) {
    return absl::InvalidArgumentError(
        "statistics epsilon budgets must be positive");
  }
  if (options.queries_per_analyst < 0 || options.queries_per_institution < 0 ||
      options.institution_query_lifetime < 0) {
    return absl::InvalidArgumentError(
        "statistics query allowances must not be negative");
  }
  if (options.release_months != 1 && options.release_months != 3 &&
      options.release_months != 12) {
    return absl::InvalidArgumentError(
        "release period must be 1, 3 or 12 months");
  }
  ASSIGN_OR_RETURN(crypto::SecretData pseudonym,
                   keys.DeriveKey(crypto::KeyPurpose::kPseudonym));
  ASSIGN_OR_RETURN(
      crypto::SecretData derived,
      crypto::HkdfSha256(pseudonym, "", "resguardo stats cell-key v1", 8));
  uint32_t a = 0, b = 0;
  // The record-key secret is a pseudonymisation parameter, not an
  // encryption key: its bytes leave the SecretData only to be bound into
  // the statistics SQL.
  const absl::string_view raw = derived.UnsafeRawBytes();
  std::memcpy(&a, raw.data(), 4);
  std::memcpy(&b, raw.data() + 4, 4);
  const int64_t key_a = (int64_t{a} % (kRecordKeyModulus - 2)) + 1;
  const int64_t key_b = int64_t{b} % kRecordKeyModulus;
  return std::unique_ptr<StatsEngine>(
      new StatsEngine(clock, options, key_a, key_b));
}

std::string StatsEngine::ReleaseOf(absl::Time t) const {
  const absl::CivilMonth m = absl::ToCivilMonth(t, absl::UTCTimeZone());
  switch (options_.release_months) {
    case 1:
      return absl::StrFormat("%04d-%02d", m.year(), m.month());
    case 12:
      return absl::StrFormat("%04d", m.year());
    default:
      return absl::StrFormat("%04d-Q%d", m.year(), (m.month() + 2) / 3);
  }
}

absl::Status StatsEngine::CheckScope(store::ReadTxn& txn,
                                     const auth::Principal& caller,
                                     const QueryPlan& plan) const {
  if (plan.institution == caller.institution) return absl::OkStatus();
  ASSIGN_OR_RETURN(bool oversight, auth::IsOversight(txn, caller.institution));
  if (oversight) return absl::OkStatus();
  return api::WithErrorText(
      absl::PermissionDeniedError(
          "only analysts of an oversight institution may query statistics "
          "beyond their own institution"),
      api::ErrorId::kDeniedStatsScope);
}

absl::StatusOr<v1::StatsQueryResponse> StatsEngine::Query(
    store::ReadTxn& txn, const QueryPlan& plan) const {
  // The grid first: a table past the cap costs no scan.
  ASSIGN_OR_RETURN(Axes axes, Grid(txn, plan));
  if (plan.measure == v1::STATS_MEASURE_MEDIAN_DAYS_TO_FIRST_ACTION ||
      plan.measure == v1::STATS_MEASURE_MEDIAN_DAYS_TO_REFERRAL_ACCEPTANCE) {
    return MedianAnswer(txn, plan, std::move(axes), key_a_, key_b_, options_.k);
  }
  SqlBuilder sql;
  const Frame f = BuildFrame(
      plan, /*first_code_only=*/false,
      /*stats_index=*/plan.measure != v1::STATS_MEASURE_DISTINCT_VICTIMS, sql);
  const size_t n = plan.dimensions.size();
  std::vector<std::string> group;
  for (size_t d = 0; d < n; ++d) group.push_back(absl::StrCat(d + 1));

  // Case counts: one scan, aggregated here (CountByHash), with at most one
  // case_codes dimension merged in from its own index.
  int code_dims = 0;
  bool record_dims = false;
  for (StatsDimension d : plan.dimensions) {
    record_dims = record_dims || ReadsRecords(d);
    code_dims += IsMultiValued(d) && !ReadsRecords(d);
  }
  if (options_.hash_aggregation && plan.measure == v1::STATS_MEASURE_CASES &&
      n > 0 && !record_dims && code_dims <= 1) {
    return CountByHash(txn, plan, std::move(axes), key_a_, key_b_, options_.k,
                       options_.perturb);
  }
  const bool victims = plan.measure == v1::STATS_MEASURE_DISTINCT_VICTIMS;
  {
    // The population, in cases (or distinct victims), not in mentions.
    SqlBuilder count_sql;
    QueryPlan bare = plan;
    bare.dimensions.clear();
    const Frame all = BuildFrame(bare, /*first_code_only=*/false,
                                 /*stats_index=*/!victims, count_sql);
    ASSIGN_OR_RETURN(
        store::Statement s,
        txn.Prepare(absl::StrCat(
            "SELECT ",
            victims ? "COUNT(DISTINCT COALESCE(c.person_key, c.id))"
                    : "COUNT(*)",
            " FROM ", all.from, " WHERE ", all.where)));
    RETURN_IF_ERROR(count_sql.Bind(s));
    ASSIGN_OR_RETURN(bool row, s.Step());
    int64_t population = 0;
    if (row) {
      ASSIGN_OR_RETURN(population, s.ColumnInt64(0));
    }
    if (population < options_.k) {
      return PopulationBelowK(options_.k,
                              victims ? "distinct victims" : "cases");
    }
  }
  std::vector<std::string> select = f.dims;
  select.push_back(plan.measure == v1::STATS_MEASURE_DISTINCT_VICTIMS
                       ? "COUNT(DISTINCT COALESCE(c.person_key, c.id))"
                       : "COUNT(*)");
  select.push_back(absl::StrCat("SUM((c.id * ", sql.Param(key_a_), " + ",
                                sql.Param(key_b_), ") % ", kRecordKeyModulus,
                                ")"));
  std::string text = absl::StrCat("SELECT ", absl::StrJoin(select, ", "),
                                  " FROM ", f.from, " WHERE ", f.where);
  if (n > 0) absl::StrAppend(&text, " GROUP BY ", absl::StrJoin(group, ", "));
  ASSIGN_OR_RETURN(store::Statement s, txn.Prepare(text));
  RETURN_IF_ERROR(sql.Bind(s));
  std::map<Key, Count> cells;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    Key key;
    for (size_t d = 0; d < n; ++d) {
      ASSIGN_OR_RETURN(DimValue v,
                       ReadDim(s, static_cast<int>(d), plan.dimensions[d]));
      key.push_back(std::move(v));
    }
    Count count;
    ASSIGN_OR_RETURN(count.value, s.ColumnInt64(static_cast<int>(n)));
    if (count.value == 0) continue;  // The no-GROUP-BY row of nothing.
    if (!s.ColumnIsNull(static_cast<int>(n + 1))) {
      ASSIGN_OR_RETURN(count.cell_key, s.ColumnInt64(static_cast<int>(n + 1)));
    }
    cells.emplace(std::move(key), count);
  }
  return CountAnswer(plan, std::move(axes), cells, options_.k,
                     options_.perturb);
}

absl::Status StatsEngine::CheckLedger(store::ReadTxn& txn,
                                      const auth::Principal& caller,
                                      const QueryPlan& plan,
                                      const std::string& release, bool charge,
                                      v1::StatsPrivacy* privacy) const {
  const bool dp = plan.epsilon_micro > 0;
  const int kind = dp ? kChargeEpsilon : kChargeQuery;
  const int64_t asked = !charge ? 0 : dp ? plan.epsilon_micro : 1;
  auto micro = [](double epsilon) {
    return static_cast<int64_t>(std::llround(epsilon * 1e6));
  };
  const int64_t analyst_cap =
      dp ? micro(options_.epsilon_budget) : options_.queries_per_analyst;
  const int64_t institution_cap =
      dp ? micro(options_.institution_epsilon_budget)
         : options_.queries_per_institution;
  const int64_t institution_lifetime =
      dp ? micro(options_.institution_epsilon_lifetime)
         : options_.institution_query_lifetime;
  const int64_t node_lifetime =
      dp ? micro(options_.node_epsilon_lifetime) : int64_t{-1};
  if (!dp && analyst_cap == 0) return absl::OkStatus();  // No allowance.
  const auto [from, to] = QuartersOf(plan, clock_->Now());

  ASSIGN_OR_RETURN(
      int64_t analyst_spent,
      ReleaseSpent(txn, kind, release, caller.institution, AnalystOf(caller)));
  ASSIGN_OR_RETURN(
      int64_t institution_spent,
      ReleaseSpent(txn, kind, release, caller.institution, std::string()));
  ASSIGN_OR_RETURN(int64_t institution_life,
                   LifetimeSpent(txn, kind, caller.institution, from, to));
  int64_t node_life = 0;
  if (node_lifetime >= 0) {
    ASSIGN_OR_RETURN(node_life,
                     LifetimeSpent(txn, kind, std::string(), from, to));
  }
  const char* what = dp ? "privacy budget (epsilon)" : "query allowance";
  auto amount = [&](int64_t v) {
    return dp ? absl::StrFormat("%.6f", static_cast<double>(v) / 1e6)
              : absl::StrCat(v);
  };
  // The caller reads which allowance is spent (the catalogue's text, in
  // her language); the English message adds the amounts.
  auto refuse = [&](const std::string& whose, int64_t spent, int64_t cap,
                    api::ErrorId budget, api::ErrorId queries) {
    return api::WithErrorText(
        absl::ResourceExhaustedError(absl::StrCat(
            "statistics ", what, " spent: ", whose, " ", amount(asked),
            " asked, ", amount(std::max<int64_t>(cap - spent, 0)), " left of ",
            amount(cap),
            dp ? ""
               : "; an identical query of this release is free, or ask "
                 "with epsilon")),
        dp ? budget : queries);
  };
  if (charge) {
    if (analyst_spent + asked > analyst_cap) {
      return refuse(absl::StrCat("the analyst's for release ", release),
                    analyst_spent, analyst_cap,
                    api::ErrorId::kBudgetAnalystRelease,
                    api::ErrorId::kQueriesAnalystRelease);
    }
    if (institution_spent + asked > institution_cap) {
      return refuse(absl::StrCat("the institution's for release ", release),
                    institution_spent, institution_cap,
                    api::ErrorId::kBudgetInstitutionRelease,
                    api::ErrorId::kQueriesInstitutionRelease);
    }
    if (institution_life + asked > institution_lifetime) {
      return refuse(
          absl::StrCat("the institution's lifetime cap over the data of ",
                       QuartersName(from, to), " (no new release resets it)"),
          institution_life, institution_lifetime, api::ErrorId::kBudgetLifetime,
          api::ErrorId::kQueriesLifetime);
    }
    if (node_lifetime >= 0 && node_life + asked > node_lifetime) {
      return refuse(
          absl::StrCat("the node's lifetime cap over the data of ",
                       QuartersName(from, to), " (no new release resets it)"),
          node_life, node_lifetime, api::ErrorId::kBudgetLifetime,
          api::ErrorId::kQueriesLifetime);
    }
  }
  // What is left after this charge: the smallest of the four.
  int64_t left = std::min({analyst_cap - analyst_spent,
                           institution_cap - institution_spent,
                           institution_lifetime - institution_life});
  if (node_lifetime >= 0) left = std::min(left, node_lifetime - node_life);
  left = std::max<int64_t>(left - asked, 0);
  if (dp) {
    privacy->set_budget_remaining(static_cast<double>(left) / 1e6);
  } else {
    privacy->set_queries_remaining(left);
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::StatsAllowance> StatsEngine::Allowance(
    store::ReadTxn& txn, const auth::Principal& caller,
    const v1::GetStatsAllowanceRequest& request) const {
  // The months are checked as a query's are.
  v1::StatsQueryRequest query;
  query.set_parent(absl::StrCat("institutions/", caller.institution));
  query.set_from_month(request.from_month());
  query.set_to_month(request.to_month());
  ASSIGN_OR_RETURN(QueryPlan plan, PlanQuery(query));
  v1::StatsAllowance out;
  out.set_release(ReleaseOf(clock_->Now()));
  v1::StatsPrivacy left;
  if (options_.queries_per_analyst > 0) {
    RETURN_IF_ERROR(
        CheckLedger(txn, caller, plan, out.release(), false, &left));
  }
  plan.epsilon_micro = 1;  // Any epsilon: the epsilon ledger.
  RETURN_IF_ERROR(CheckLedger(txn, caller, plan, out.release(), false, &left));
  out.set_queries_remaining(left.queries_remaining());
  out.set_epsilon_remaining(left.budget_remaining());
  return out;
}

absl::StatusOr<v1::StatsQueryResponse> StatsEngine::Answer(
    store::Database& db, const auth::Principal& caller,
    const QueryPlan& plan) const {
  ASSIGN_OR_RETURN(Draft draft, db.Read([&](store::ReadTxn& txn) {
    return Prepare(txn, caller, plan);
  }));
  if (draft.stored) return std::move(draft.answer);
  return db.Write(store::Database::Isolation::kChecksFirst,
                  [&](store::WriteTxn& w) {
                    return Commit(w, caller, plan, std::move(draft));
                  });
}

absl::StatusOr<StatsEngine::Draft> StatsEngine::Prepare(
    store::ReadTxn& txn, const auth::Principal& caller,
    const QueryPlan& plan) const {
  const std::string release = ReleaseOf(clock_->Now());
  {
    ASSIGN_OR_RETURN(std::optional<v1::StatsQueryResponse> stored,
                     StoredAnswer(txn, release, plan));
    if (stored.has_value()) {
      RETURN_IF_ERROR(CheckLedger(txn, caller, plan, release, false,
                                  stored->mutable_privacy()));
      return Draft{*std::move(stored), true};
    }
  }
  // The allowance (or budget) is checked before any work: a refused query
  // costs no scan.
  v1::StatsPrivacy left;
  RETURN_IF_ERROR(CheckLedger(txn, caller, plan, release, true, &left));
  Draft draft;
  if (plan.epsilon_micro > 0) {
    ASSIGN_OR_RETURN(draft.answer, PrivateAnswer(txn, plan, options_.k));
  } else {
    ASSIGN_OR_RETURN(draft.answer, Query(txn, plan));
  }
  draft.answer.mutable_privacy()->set_release(release);
  return draft;
}

absl::StatusOr<v1::StatsQueryResponse> StatsEngine::Commit(
    store::WriteTxn& txn, const auth::Principal& caller, const QueryPlan& plan,
    Draft draft) const {
  if (draft.stored) return std::move(draft.answer);
  // The release the answer was computed for: a query that straddles the
  // change of release period is charged to the period it was computed in.
  const std::string release = draft.answer.privacy().release();
  // Every check before the first change (Isolation::kChecksFirst).
  {
    ASSIGN_OR_RETURN(std::optional<v1::StatsQueryResponse> stored,
                     StoredAnswer(txn, release, plan));
    if (stored.has_value()) {
      RETURN_IF_ERROR(CheckLedger(txn, caller, plan, release, false,
                                  stored->mutable_privacy()));
      return *std::move(stored);
    }
  }
  v1::StatsPrivacy left;
  RETURN_IF_ERROR(CheckLedger(txn, caller, plan, release, true, &left));
  v1::StatsQueryResponse out = std::move(draft.answer);
  const int64_t now = absl::ToUnixMicros(clock_->Now());
  {
    std::string bytes;
    v1::StatsQueryResponse stored = out;
    stored.mutable_privacy()->clear_budget_remaining();
    stored.mutable_privacy()->clear_queries_remaining();
    stored.SerializeToString(&bytes);
    ASSIGN_OR_RETURN(
        store::Statement ins,
        txn.Prepare("INSERT INTO stats_answers(release_period, query, "
                    "answer, analyst, epsilon_micro, create_time) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
    RETURN_IF_ERROR(ins.BindText(1, release));
    RETURN_IF_ERROR(ins.BindText(2, plan.canonical));
    RETURN_IF_ERROR(ins.BindBlob(3, bytes));
    RETURN_IF_ERROR(ins.BindText(4, AnalystOf(caller)));
    RETURN_IF_ERROR(ins.BindInt64(5, plan.epsilon_micro));
    RETURN_IF_ERROR(ins.BindInt64(6, now));
    RETURN_IF_ERROR(ins.Run());
  }
  const bool dp = plan.epsilon_micro > 0;
  if (dp || options_.queries_per_analyst > 0) {
    const auto [from, to] = QuartersOf(plan, clock_->Now());
    ASSIGN_OR_RETURN(
        store::Statement charge,
        txn.Prepare("INSERT INTO stats_charges(kind, analyst, institution, "
                    "release_period, from_quarter, to_quarter, amount, "
                    "create_time) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
    RETURN_IF_ERROR(charge.BindInt64(1, dp ? kChargeEpsilon : kChargeQuery));
    RETURN_IF_ERROR(charge.BindText(2, AnalystOf(caller)));
    RETURN_IF_ERROR(charge.BindText(3, caller.institution));
    RETURN_IF_ERROR(charge.BindText(4, release));
    RETURN_IF_ERROR(charge.BindInt64(5, from));
    RETURN_IF_ERROR(charge.BindInt64(6, to));
    RETURN_IF_ERROR(charge.BindInt64(7, dp ? plan.epsilon_micro : 1));
    RETURN_IF_ERROR(charge.BindInt64(8, now));
    RETURN_IF_ERROR(charge.Run());
  }
  if (dp) {
    out.mutable_privacy()->set_budget_remaining(left.budget_remaining());
  } else if (options_.queries_per_analyst > 0) {
    out.mutable_privacy()->set_queries_remaining(left.queries_remaining());
  }
  return out;
}

}  // namespace resguardo::stats
