#include "services/stats/stats_engine.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "base/status_macros.h"
#include "base/testing/status_matchers.h"
#include "crypto/key_provider.h"
#include "crypto/testing/fixed_key_provider.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "resguardo/v1/referral_service.pb.h"
#include "services/api/field_violations.h"
#include "services/schema/node_schema.h"
#include "services/stats/internal/geometric_noise.h"
#include "services/stats/internal/table_suppressor.h"
#include "services/stats/query_plan.h"
#include "services/stats/testing/stats_engine_fixture.h"
#include "services/store/database.h"
#include "services/store/testing/temp_dir.h"

namespace resguardo::stats {
namespace {

using ::resguardo::testing::StatusIs;
using ::testing::HasSubstr;

TEST_F(StatsEngineTest, SameWomanAtTwoInstitutionsIsOneVictimAndTwoCases) {
  std::vector<SynthCase> cases;
  SynthCase her;
  her.person_key = std::string(32, 'P');
  cases.push_back(her);
  her.institution = "FGEO";
  cases.push_back(her);
  for (int i = 0; i < 6; ++i) {
    SynthCase other;
    other.person_key = std::string(31, 'Q') + static_cast<char>('a' + i);
    cases.push_back(other);
  }
  SynthCase without_key;  // Counts as her own victim.
  cases.push_back(without_key);
  ASSERT_NO_FATAL_FAILURE(Insert(cases));
  for (bool perturbed : {false, true}) {
    StatsEngine::Options o;
    o.perturb = perturbed;
    auto engine = Engine(o);
    ASSERT_OK_AND_ASSIGN(auto by_cases, Run(*engine, Request({})));
    ASSERT_OK_AND_ASSIGN(
        auto by_victims,
        Run(*engine, Request({}, v1::STATS_MEASURE_DISTINCT_VICTIMS)));
    if (!perturbed) {
      EXPECT_EQ(by_cases.total().count(), 9);
      EXPECT_EQ(by_victims.total().count(), 8);
    }
    // The same population gets the same perturbation: the difference
    // stays exact.
    EXPECT_EQ(by_cases.total().count() - by_victims.total().count(), 1);
  }
}

TEST_F(StatsEngineTest, MultiValuedCaseCountsUnderEachValue) {
  std::vector<SynthCase> cases(6);
  for (SynthCase& c : cases) {
    c.violence_types = {v1::VIOLENCE_TYPE_PSYCHOLOGICAL,
                        v1::VIOLENCE_TYPE_SYMBOLIC};
  }
  ASSERT_NO_FATAL_FAILURE(Insert(cases));
  StatsEngine::Options o;
  o.perturb = false;
  auto engine = Engine(o);
  ASSERT_OK_AND_ASSIGN(
      auto r, Run(*engine, Request({v1::STATS_DIMENSION_VIOLENCE_TYPE})));
  auto cells = ByValues(r.cells());
  // The whole grid: every violence type, "not recorded" included.
  ASSERT_EQ(cells.size(),
            static_cast<size_t>(v1::ViolenceType_descriptor()->value_count()));
  // The other types are zeros, withheld like small counts; one of the two
  // sixes is withheld beside them (the smallest complement: the first, on a
  // tie), so that the zeros cannot be derived from the total.
  EXPECT_TRUE(cells["VIOLENCE_TYPE_PSYCHOLOGICAL/"]->suppressed());
  EXPECT_EQ(cells["VIOLENCE_TYPE_SYMBOLIC/"]->count(), 6);
  for (const auto& [key, cell] : cells) {
    if (key != "VIOLENCE_TYPE_SYMBOLIC/") {
      EXPECT_TRUE(cell->suppressed());
    }
  }
  // The total counts mentions (12) of a population of 6 >= k cases.
  EXPECT_EQ(r.total().count(), 12);
  EXPECT_DOUBLE_EQ(r.information_loss(), 0.5);
}

TEST_F(StatsEngineTest, OneWomanWithManyConductsIsRefused) {
  // One woman, five conducts: every cell is 1, and their sum is k. Her
  // population is one case: nothing is released.
  std::vector<SynthCase> cases(1);
  cases[0].violence_types = {
      v1::VIOLENCE_TYPE_PSYCHOLOGICAL, v1::VIOLENCE_TYPE_SYMBOLIC,
      v1::VIOLENCE_TYPE_PHYSICAL, v1::VIOLENCE_TYPE_SEXUAL,
      v1::VIOLENCE_TYPE_ECONOMIC};
  ASSERT_NO_FATAL_FAILURE(Insert(cases));
  StatsEngine::Options o;
  o.perturb = false;
  auto engine = Engine(o);
  EXPECT_THAT(Run(*engine, Request({v1::STATS_DIMENSION_VIOLENCE_TYPE})),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("population is below the threshold k = 5")));
  EXPECT_THAT(Run(*engine, Request({v1::STATS_DIMENSION_STATE,
                                    v1::STATS_DIMENSION_VIOLENCE_TYPE})),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

// With a single-valued second dimension, its one-way totals sum over
// violence types (mentions, which a few women with many types could bring
// to k) and are withheld; the grand total stands on the whole population.
TEST_F(StatsEngineTest, TotalsOverAMultiValuedDimensionAreWithheld) {
  std::vector<SynthCase> cases(8);
  for (SynthCase& c : cases) {
    c.violence_types = {v1::VIOLENCE_TYPE_PSYCHOLOGICAL,
                        v1::VIOLENCE_TYPE_SYMBOLIC, v1::VIOLENCE_TYPE_PHYSICAL,
                        v1::VIOLENCE_TYPE_SEXUAL, v1::VIOLENCE_TYPE_ECONOMIC};
  }
  cases[0].state = "07";
  ASSERT_NO_FATAL_FAILURE(Insert(cases));
  StatsEngine::Options o;
  o.perturb = false;
  auto engine = Engine(o);
  ASSERT_OK_AND_ASSIGN(
      auto r, Run(*engine, Request({v1::STATS_DIMENSION_STATE,
                                    v1::STATS_DIMENSION_VIOLENCE_TYPE})));
  for (const auto& m : r.margins()) {
    if (!m.values(0).empty()) {
      EXPECT_TRUE(m.suppressed()) << m.values(0);
    }
  }
  EXPECT_EQ(r.total().count(), 40);
}

// A seeded synthetic population: states x kinds x violence types with many
// small cells.
std::vector<SynthCase> Population(uint64_t seed, int n) {
  std::mt19937_64 rng(seed);
  std::vector<SynthCase> out;
  const std::vector<std::string> states = {"20", "07", "12", "09", "15"};
  for (int i = 0; i < n; ++i) {
    SynthCase c;
    // Skewed: most cases in the first states.
    c.state = states[std::min<size_t>(rng() % 8, states.size() - 1)];
    c.kind = 1 + static_cast<int>(rng() % 2);
    c.risk = 1 + static_cast<int>(rng() % 4);
    c.violence_types = {1 + static_cast<int>(rng() % 9)};
    c.reported = 20250101 + static_cast<int>(rng() % 12) * 100 +
                 static_cast<int>(rng() % 28);
    c.person_key = absl::StrCat("person-", rng() % (n - n / 10));
    out.push_back(c);
  }
  return out;
}

TEST_F(StatsEngineTest, NoReleasedCountBelowKOnASyntheticPopulation) {
  ASSERT_NO_FATAL_FAILURE(Insert(Population(7, 400)));
  auto engine = Engine();
  int suppressed = 0;
  for (auto dims : std::vector<std::vector<v1::StatsDimension>>{
           {v1::STATS_DIMENSION_STATE},
           {v1::STATS_DIMENSION_STATE, v1::STATS_DIMENSION_CASE_KIND},
           {v1::STATS_DIMENSION_STATE, v1::STATS_DIMENSION_VIOLENCE_TYPE},
           {v1::STATS_DIMENSION_QUARTER, v1::STATS_DIMENSION_STATE,
            v1::STATS_DIMENSION_RISK_LEVEL}}) {
    for (auto measure :
         {v1::STATS_MEASURE_CASES, v1::STATS_MEASURE_DISTINCT_VICTIMS}) {
      ASSERT_OK_AND_ASSIGN(auto r, Run(*engine, Request(dims, measure)));
      for (const auto* list : {&r.cells(), &r.margins()}) {
        for (const v1::StatsCell& c : *list) {
          if (c.suppressed()) {
            ++suppressed;
            EXPECT_EQ(c.count(), 0);
          } else {
            EXPECT_GE(c.count(), 5) << r.ShortDebugString();
          }
        }
      }
      EXPECT_EQ(r.privacy().k(), 5u);
    }
  }
  EXPECT_GT(suppressed, 20);
}

TEST_F(StatsEngineTest, HashAggregationGivesTheSqlGroupByAnswer) {
  ASSERT_NO_FATAL_FAILURE(Insert(Population(5, 600)));
  StatsEngine::Options hash, sql;
  sql.hash_aggregation = false;
  auto by_hash = Engine(hash);
  auto by_sql = Engine(sql);
  for (auto dims : std::vector<std::vector<v1::StatsDimension>>{
           {v1::STATS_DIMENSION_STATE},
           {v1::STATS_DIMENSION_STATE, v1::STATS_DIMENSION_CASE_KIND},
           {v1::STATS_DIMENSION_VIOLENCE_TYPE},
           {v1::STATS_DIMENSION_STATE, v1::STATS_DIMENSION_VIOLENCE_TYPE},
           {v1::STATS_DIMENSION_VIOLENCE_TYPE, v1::STATS_DIMENSION_QUARTER,
            v1::STATS_DIMENSION_RISK_LEVEL},
           {v1::STATS_DIMENSION_MODALITY, v1::STATS_DIMENSION_MONTH},
           {v1::STATS_DIMENSION_STATE, v1::STATS_DIMENSION_YEAR},
           {v1::STATS_DIMENSION_MUNICIPALITY, v1::STATS_DIMENSION_MONTH}}) {
    v1::StatsQueryRequest r = Request(dims);
    r.set_from_month("2025-02");
    r.set_to_month("2025-11");
    v1::StatsFilter* f = r.add_filters();
    f->set_dimension(v1::STATS_DIMENSION_RISK_LEVEL);
    f->add_values("RISK_LEVEL_LOW");
    f->add_values("RISK_LEVEL_HIGH");
    f->add_values("RISK_LEVEL_CRITICAL");
    ASSERT_OK_AND_ASSIGN(auto a, Run(*by_hash, r));
    ASSERT_OK_AND_ASSIGN(auto b, Run(*by_sql, r));
    EXPECT_EQ(a.SerializeAsString(), b.SerializeAsString())
        << a.ShortDebugString() << "\n"
        << b.ShortDebugString();
    EXPECT_GT(a.cells_size(), 0);
  }
}

TEST_F(StatsEngineTest, DifferencingTwoQueriesDoesNotRevealASuppressedCount) {
  // State 07 has 20 cases, 2 of them of violence type SEXUAL: the cell
  // (07, SEXUAL) is withheld. The attack: total of 07 without a filter,
  // minus the total of 07 with every violence type except SEXUAL.
  std::vector<SynthCase> cases;
  for (int i = 0; i < 20; ++i) {
    SynthCase c;
    c.state = "07";
    c.violence_types = {i < 2 ? v1::VIOLENCE_TYPE_SEXUAL
                              : v1::VIOLENCE_TYPE_PSYCHOLOGICAL};
    c.person_key = absl::StrCat("p", i);
    cases.push_back(c);
  }
  ASSERT_NO_FATAL_FAILURE(Insert(cases));
  v1::StatsQueryRequest by_type =
      Request({v1::STATS_DIMENSION_STATE, v1::STATS_DIMENSION_VIOLENCE_TYPE});
  v1::StatsQueryRequest all = Request({v1::STATS_DIMENSION_STATE});
  v1::StatsQueryRequest but_sexual = all;
  v1::StatsFilter* f = but_sexual.add_filters();
  f->set_dimension(v1::STATS_DIMENSION_VIOLENCE_TYPE);
  f->add_values("VIOLENCE_TYPE_PSYCHOLOGICAL");

  auto attack = [&](const StatsEngine& engine) -> int64_t {
    auto t = Run(engine, by_type);
    EXPECT_TRUE(t.ok());
    auto cells = ByValues(t->cells());
    EXPECT_TRUE(cells["07/VIOLENCE_TYPE_SEXUAL/"]->suppressed());
    auto a = Run(engine, all);
    auto b = Run(engine, but_sexual);
    EXPECT_TRUE(a.ok() && b.ok());
    // Every other state is a zero, withheld: the one state's cell is
    // withheld beside them, and the totals (released) carry its count.
    return a->total().count() - b->total().count();
  };

  // Without the perturbation the attack works: this is what it protects.
  StatsEngine::Options exact;
  exact.perturb = false;
  EXPECT_EQ(attack(*Engine(exact)), 2);

  // With it, over 40 node keys the difference is the withheld count only
  // by chance (expected 26%), and it takes several values.
  int recovered = 0;
  std::set<int64_t> seen;
  for (int i = 0; i < 40; ++i) {
    int64_t guess = attack(*Engine({}, static_cast<char>('A' + i)));
    seen.insert(guess);
    if (guess == 2) ++recovered;
  }
  EXPECT_LE(recovered, 20);
  EXPECT_GE(seen.size(), 3u);

  // And the same query always gets the same answer: repeating it averages
  // nothing away.
  auto engine = Engine();
  ASSERT_OK_AND_ASSIGN(auto first, Run(*engine, all));
  for (int i = 0; i < 5; ++i) {
    ASSERT_OK_AND_ASSIGN(auto again, Run(*engine, all));
    EXPECT_EQ(again.SerializeAsString(), first.SerializeAsString());
  }
}

TEST_F(StatsEngineTest, MedianDaysToFirstAction) {
  std::vector<SynthCase> cases;
  for (int days : {0, 1, 2, 3, 10, 40}) {
    SynthCase c;
    c.follow_up_after_days = days;
    cases.push_back(c);
  }
  cases.push_back(SynthCase{});  // No action yet: not in the median.
  ASSERT_NO_FATAL_FAILURE(Insert(cases));
  auto engine = Engine();
  ASSERT_OK_AND_ASSIGN(
      auto r,
      Run(*engine, Request({}, v1::STATS_MEASURE_MEDIAN_DAYS_TO_FIRST_ACTION)));
  EXPECT_FALSE(r.total().suppressed());
  // A noisy median: a value of the central half of {0, 1, 2, 3, 10, 40}
  // (ranks 1-4), the same on every repeat.
  EXPECT_THAT(r.total().median_days(), ::testing::AnyOf(1.0, 2.0, 3.0, 10.0));
  ASSERT_OK_AND_ASSIGN(
      auto again,
      Run(*engine, Request({}, v1::STATS_MEASURE_MEDIAN_DAYS_TO_FIRST_ACTION)));
  EXPECT_EQ(again.SerializeAsString(), r.SerializeAsString());
  StatsEngine::Options o;
  o.perturb = false;
  ASSERT_OK_AND_ASSIGN(
      auto buckets,
      Run(*Engine(o), Request({v1::STATS_DIMENSION_DAYS_TO_FIRST_ACTION})));
  // 7 cases in 6 buckets: all withheld, total 7 released (every cell
  // withheld: any split of 7 over the six is possible).
  EXPECT_EQ(buckets.cells_size(), 6);
  for (const auto& cell : buckets.cells()) EXPECT_TRUE(cell.suppressed());
  EXPECT_EQ(buckets.total().count(), 7);
  EXPECT_DOUBLE_EQ(buckets.information_loss(), 1.0);
}

// Three women, each with two violence types: each stands in two cells, so
// the total's histogram holds six values. A median over three women is
// refused at k = 5: the population is three cases, not six values. Over
// six women, the total is released but no cell of three.
TEST_F(StatsEngineTest, MedianOverAMultiValuedDimensionCountsWomenNotValues) {
  std::vector<SynthCase> cases;
  for (int days : {1, 4, 9}) {
    SynthCase c;
    c.follow_up_after_days = days;
    c.violence_types = {v1::VIOLENCE_TYPE_PSYCHOLOGICAL,
                        v1::VIOLENCE_TYPE_PHYSICAL};
    cases.push_back(c);
  }
  ASSERT_NO_FATAL_FAILURE(Insert(cases));
  auto engine = Engine();
  EXPECT_THAT(
      Run(*engine, Request({v1::STATS_DIMENSION_VIOLENCE_TYPE},
                           v1::STATS_MEASURE_MEDIAN_DAYS_TO_FIRST_ACTION)),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               HasSubstr("cases with a value")));
  for (int days : {2, 5, 7}) {
    SynthCase c;
    c.follow_up_after_days = days;
    c.violence_types = {v1::VIOLENCE_TYPE_SEXUAL, v1::VIOLENCE_TYPE_DIGITAL};
    cases.push_back(c);
  }
  ASSERT_NO_FATAL_FAILURE(
      Insert(std::vector<SynthCase>(cases.begin() + 3, cases.end())));
  ASSERT_OK_AND_ASSIGN(
      auto r,
      Run(*engine, Request({v1::STATS_DIMENSION_VIOLENCE_TYPE},
                           v1::STATS_MEASURE_MEDIAN_DAYS_TO_FIRST_ACTION)));
  EXPECT_FALSE(r.total().suppressed());
  for (const auto& cell : r.cells()) EXPECT_TRUE(cell.suppressed());
  EXPECT_DOUBLE_EQ(r.information_loss(), 1.0);
}

TEST_F(StatsEngineTest, ScopeOversightEverywhereOthersOnlyTheirOwn) {
  auto engine = Engine();
  ASSERT_OK_AND_ASSIGN(QueryPlan all, PlanQuery(Request({})));
  v1::StatsQueryRequest own_request = Request({});
  own_request.set_parent("institutions/IEEPCO");
  ASSERT_OK_AND_ASSIGN(QueryPlan own, PlanQuery(own_request));
  ASSERT_OK(db_->Read([&](store::ReadTxn& txn) -> absl::Status {
    EXPECT_OK(engine->CheckScope(txn, Analyst("OBS"), all));
    EXPECT_OK(engine->CheckScope(txn, Analyst("OBS"), own));
    EXPECT_OK(engine->CheckScope(txn, Analyst("IEEPCO"), own));
    EXPECT_THAT(engine->CheckScope(txn, Analyst("FGEO"), own),
                StatusIs(absl::StatusCode::kPermissionDenied));
    EXPECT_THAT(
        engine->CheckScope(txn, Analyst("IEEPCO"), all),
        StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("oversight")));
    return absl::OkStatus();
  }));
}

TEST_F(StatsEngineTest, PlanRefusesWhatIsNotInTheAllowList) {
  v1::StatsQueryRequest r = Request(
      {v1::STATS_DIMENSION_MUNICIPALITY, v1::STATS_DIMENSION_VICTIM_POSITION});
  EXPECT_THAT(PlanQuery(r), StatusIs(absl::StatusCode::kInvalidArgument,
                                     HasSubstr("dimensions")));
  r = Request({});
  r.set_from_month("2025-13");
  EXPECT_THAT(PlanQuery(r), StatusIs(absl::StatusCode::kInvalidArgument,
                                     HasSubstr("from_month")));
  r = Request({});
  v1::StatsFilter* f = r.add_filters();
  f->set_dimension(v1::STATS_DIMENSION_STATE);
  f->add_values("20' OR 1=1 --");
  auto plan = PlanQuery(r);
  EXPECT_THAT(plan, StatusIs(absl::StatusCode::kInvalidArgument));
  std::vector<api::FieldViolation> v = api::ViolationsOf(plan.status());
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].field, "filters[0].values[0]");
  r = Request({});
  r.set_epsilon(50);
  EXPECT_THAT(PlanQuery(r), StatusIs(absl::StatusCode::kInvalidArgument,
                                     HasSubstr("epsilon")));
  r = Request({});
  r.set_parent("institutions/x/y");
  EXPECT_THAT(PlanQuery(r), StatusIs(absl::StatusCode::kInvalidArgument,
                                     HasSubstr("parent")));
  // The municipality x position crossing through a filter: refused too,
  // naming the field.
  r = Request({v1::STATS_DIMENSION_VICTIM_POSITION});
  f = r.add_filters();
  f->set_dimension(v1::STATS_DIMENSION_MUNICIPALITY);
  f->add_values("20067");
  plan = PlanQuery(r);
  EXPECT_THAT(plan, StatusIs(absl::StatusCode::kInvalidArgument));
  v = api::ViolationsOf(plan.status());
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].field, "filters");
  r = Request({v1::STATS_DIMENSION_MUNICIPALITY});
  f = r.add_filters();
  f->set_dimension(v1::STATS_DIMENSION_VICTIM_POSITION);
  f->add_values("VICTIM_POSITION_CANDIDATE");
  EXPECT_THAT(PlanQuery(r), StatusIs(absl::StatusCode::kInvalidArgument,
                                     HasSubstr("position")));
}

TEST_F(StatsEngineTest, CanonicalEncodingIgnoresOrderOfFilterValues) {
  v1::StatsQueryRequest a = Request({v1::STATS_DIMENSION_STATE});
  v1::StatsFilter* f = a.add_filters();
  f->set_dimension(v1::STATS_DIMENSION_RISK_LEVEL);
  f->add_values("RISK_LEVEL_HIGH");
  f->add_values("RISK_LEVEL_LOW");
  v1::StatsQueryRequest b = a;
  b.mutable_filters(0)->clear_values();
  b.mutable_filters(0)->add_values("RISK_LEVEL_LOW");
  b.mutable_filters(0)->add_values("RISK_LEVEL_HIGH");
  b.mutable_filters(0)->add_values("RISK_LEVEL_LOW");
  ASSERT_OK_AND_ASSIGN(QueryPlan pa, PlanQuery(a));
  ASSERT_OK_AND_ASSIGN(QueryPlan pb, PlanQuery(b));
  EXPECT_EQ(pa.canonical, pb.canonical);
  EXPECT_EQ(pa.canonical,
            "scope=-;dims=STATE;from=0;to=0;filters=RISK_LEVEL:RISK_LEVEL_LOW|"
            "RISK_LEVEL_HIGH;measure=CASES;epsilon_micro=0");
}

TEST_F(StatsEngineTest, ReferralServiceAndStatusJoinTheCasesReferrals) {
  std::vector<SynthCase> seven(7);
  for (size_t i = 0; i < seven.size(); ++i) {
    seven[i].person_key = absl::StrCat("woman-", i);
  }
  ASSERT_NO_FATAL_FAILURE(Insert(seven));
  // Cases 1-5 referred for LEGAL and PSYCHOLOGICAL; case 1 twice for LEGAL
  // (it still counts once under LEGAL); case 1's second referral completed
  // with SERVICE_PROVIDED; cases 6 and 7 never referred.
  ASSERT_OK(db_->Write([&](store::WriteTxn& txn) -> absl::Status {
    // Accepted `accepted_after_days` days after its creation.
    auto refer = [&](int64_t case_id, int64_t services, int status, int outcome,
                     int64_t accepted_after_days) -> absl::Status {
      ASSIGN_OR_RETURN(
          store::Statement s,
          txn.Prepare("INSERT INTO referrals(sending, receiving, case_id, "
                      "case_folio, services, status, risk_level, scope, "
                      "accept_deadline, outcome, accept_time, create_time, "
                      "update_time, creator) VALUES ('IEEPCO', 'FGEO', ?1, "
                      "'F', ?2, ?3, 1, 1, 0, ?4, ?5, ?6, 0, 'x')"));
      const int64_t created = 1700000000000000;
      RETURN_IF_ERROR(s.BindInt64(1, case_id));
      RETURN_IF_ERROR(s.BindInt64(2, services));
      RETURN_IF_ERROR(s.BindInt64(3, status));
      RETURN_IF_ERROR(s.BindInt64(4, outcome));
      RETURN_IF_ERROR(s.BindInt64(
          5, created + accepted_after_days * 86400000000 + 3600000000));
      RETURN_IF_ERROR(s.BindInt64(6, created));
      return s.Run();
    };
    const int64_t legal = 1 << v1::REFERRAL_SERVICE_KIND_LEGAL;
    const int64_t psy = 1 << v1::REFERRAL_SERVICE_KIND_PSYCHOLOGICAL;
    for (int64_t id = 1; id <= 5; ++id) {
      RETURN_IF_ERROR(
          refer(id, legal | psy, v1::REFERRAL_STATUS_ACCEPTED, 0, id));
    }
    return refer(1, legal, v1::REFERRAL_STATUS_COMPLETED,
                 v1::REFERRAL_OUTCOME_SERVICE_PROVIDED, 10);
  }));
  StatsEngine::Options o;
  o.perturb = false;
  o.k = 3;
  auto engine = Engine(o);
  ASSERT_OK_AND_ASSIGN(
      auto by_service,
      Run(*engine, Request({v1::STATS_DIMENSION_REFERRAL_SERVICE})));
  auto cells = ByValues(by_service.cells());
  ASSERT_EQ(
      cells.size(),
      static_cast<size_t>(v1::ReferralServiceKind_descriptor()->value_count()))
      << by_service.ShortDebugString();
  // Never referred: 2 < k, withheld, like the zeros; with the total
  // released, one of the others is withheld beside them (the smallest,
  // LEGAL, by order).
  EXPECT_TRUE(cells["REFERRAL_SERVICE_KIND_UNSPECIFIED/"]->suppressed());
  EXPECT_TRUE(cells["REFERRAL_SERVICE_KIND_LEGAL/"]->suppressed());
  EXPECT_TRUE(cells["REFERRAL_SERVICE_KIND_SHELTER/"]->suppressed());
  EXPECT_EQ(cells["REFERRAL_SERVICE_KIND_PSYCHOLOGICAL/"]->count(), 5);
  // 5 + 5 + 2 mentions from 7 >= k cases: the total is released.
  EXPECT_EQ(by_service.total().count(), 12);

  ASSERT_OK_AND_ASSIGN(
      auto by_status,
      Run(*engine, Request({v1::STATS_DIMENSION_REFERRAL_STATUS})));
  cells = ByValues(by_status.cells());
  EXPECT_TRUE(cells["REFERRAL_STATUS_COMPLETED/"]->suppressed());
  // 5 accepted, 1 completed, 2 never: 8 mentions of 7 cases.
  EXPECT_EQ(by_status.total().count(), 8);

  v1::StatsQueryRequest never = Request({});
  v1::StatsFilter* f = never.add_filters();
  f->set_dimension(v1::STATS_DIMENSION_REFERRAL_SERVICE);
  f->add_values("REFERRAL_SERVICE_KIND_UNSPECIFIED");
  f->add_values("REFERRAL_SERVICE_KIND_PSYCHOLOGICAL");
  ASSERT_OK_AND_ASSIGN(auto filtered, Run(*engine, never));
  EXPECT_EQ(filtered.total().count(), 7);

  // Acceptance after 1, 2, 3, 4, 5 and 10 days over 5 cases: a noisy
  // median from the central half of the six values (ranks 1-4).
  ASSERT_OK_AND_ASSIGN(
      auto acceptance,
      Run(*engine,
          Request({}, v1::STATS_MEASURE_MEDIAN_DAYS_TO_REFERRAL_ACCEPTANCE)));
  EXPECT_FALSE(acceptance.total().suppressed());
  EXPECT_THAT(acceptance.total().median_days(),
              ::testing::AnyOf(2.0, 3.0, 4.0, 5.0));
  // By status: one case stands behind the COMPLETED cell: withheld (k = 3
  // counts cases, not referrals).
  ASSERT_OK_AND_ASSIGN(
      auto by_status_acceptance,
      Run(*engine,
          Request({v1::STATS_DIMENSION_REFERRAL_STATUS},
                  v1::STATS_MEASURE_MEDIAN_DAYS_TO_REFERRAL_ACCEPTANCE)));
  cells = ByValues(by_status_acceptance.cells());
  EXPECT_TRUE(cells["REFERRAL_STATUS_COMPLETED/"]->suppressed());
  EXPECT_FALSE(cells["REFERRAL_STATUS_ACCEPTED/"]->suppressed());

  // With epsilon the referral dimensions work too (first code per case;
  // the cases have person keys: keyless ones are left out of DP answers).
  auto dp = Engine(Unbudgeted(o));
  v1::StatsQueryRequest r = Request({v1::STATS_DIMENSION_REFERRAL_OUTCOME});
  r.set_epsilon(10);
  ASSERT_OK_AND_ASSIGN(auto noisy, RunPrivate(*dp, r, Analyst("OBS")));
  cells = ByValues(noisy.cells());
  ASSERT_TRUE(cells.count("REFERRAL_OUTCOME_UNSPECIFIED/"));
  EXPECT_EQ(cells["REFERRAL_OUTCOME_UNSPECIFIED/"]->count(), 6);
}

// --- The answer's shape (issue 12) ---

// About 750 cases over ten states, as the outside review seeded them: eight
// states of 37-200 cases, one of two and one of one; skewed risk levels,
// age bands and positions, over 2025. No case is of a senator.
std::vector<SynthCase> ReviewPopulation(uint64_t seed) {
  std::mt19937_64 rng(seed);
  const std::vector<std::pair<std::string, int>> states = {
      {"20", 200}, {"07", 150}, {"12", 110}, {"09", 90}, {"15", 70},
      {"21", 50},  {"30", 40},  {"14", 37},  {"31", 2},  {"27", 1}};
  std::discrete_distribution<int> risk({25, 35, 28, 12});
  std::discrete_distribution<int> age({2, 20, 35, 30, 13});
  std::vector<SynthCase> out;
  for (const auto& [state, n] : states) {
    for (int i = 0; i < n; ++i) {
      SynthCase c;
      c.state = state;
      c.risk = 1 + risk(rng);
      c.age_band = 1 + age(rng);
      do {
        c.position = 1 + static_cast<int>(rng() % 16);
      } while (c.position == v1::VICTIM_POSITION_SENATOR);
      c.violence_types = {1 + static_cast<int>(rng() % 8)};
      c.reported = 20250101 + static_cast<int>(rng() % 12) * 100 +
                   static_cast<int>(rng() % 28);
      c.person_key = absl::StrCat("p", seed, "-", out.size());
      out.push_back(c);
    }
  }
  return out;
}

// What an answer shows besides its numbers: which cells and totals are
// listed, and which of them are withheld.
std::string Shape(const v1::StatsQueryResponse& r) {
  std::string out;
  for (const auto* list : {&r.cells(), &r.margins()}) {
    for (const v1::StatsCell& c : *list) {
      absl::StrAppend(&out, absl::StrJoin(c.values(), "/"),
                      c.suppressed() ? "=withheld;" : "=released;");
    }
  }
  absl::StrAppend(&out, "total=", r.total().suppressed() ? "w" : "r");
  return out;
}

// Attack 1: one senator (the rare group) in a state with one case. Filter
// to her and cross by three dimensions; or cross the whole population by
// her attributes. Two populations that differ only in her state, age band
// and risk level must give answers of the same shape and withheld pattern
// (or the same refusal), and no refusal names a value.
TEST_F(StatsEngineTest, RareGroupFilterCrossedByThreeDimensionsRevealsNothing) {
  std::vector<std::unique_ptr<store::testing::TempDir>> dirs;
  auto answers = [&](const SynthCase& senator)
      -> std::vector<absl::StatusOr<v1::StatsQueryResponse>> {
    std::vector<absl::StatusOr<v1::StatsQueryResponse>> out;
    // A fresh database per population.
    db_.reset();
    dirs.push_back(std::make_unique<store::testing::TempDir>());
    store::Database::Options options;
    options.create_if_missing = true;
    options.migrations = schema::NodeMigrations();
    auto db = store::Database::Open(dirs.back()->File("node.db"),
                                    crypto::SecretData(std::string(32, 'd')),
                                    options);
    EXPECT_TRUE(db.ok());
    db_ = *std::move(db);
    InsertInstitutions();
    std::vector<SynthCase> population = ReviewPopulation(12);
    population.push_back(senator);
    Insert(population);
    auto engine = Engine();
    const std::vector<v1::StatsDimension> three = {
        v1::STATS_DIMENSION_STATE, v1::STATS_DIMENSION_AGE_BAND,
        v1::STATS_DIMENSION_RISK_LEVEL};
    v1::StatsQueryRequest her = Request(three);
    v1::StatsFilter* f = her.add_filters();
    f->set_dimension(v1::STATS_DIMENSION_VICTIM_POSITION);
    f->add_values("VICTIM_POSITION_SENATOR");
    out.push_back(Run(*engine, her));
    v1::StatsQueryRequest her_state =
        Request({v1::STATS_DIMENSION_VICTIM_POSITION,
                 v1::STATS_DIMENSION_AGE_BAND, v1::STATS_DIMENSION_RISK_LEVEL});
    f = her_state.add_filters();
    f->set_dimension(v1::STATS_DIMENSION_STATE);
    f->add_values(senator.state);
    out.push_back(Run(*engine, her_state));
    for (auto dims : std::vector<std::vector<v1::StatsDimension>>{
             three,
             {v1::STATS_DIMENSION_STATE, v1::STATS_DIMENSION_RISK_LEVEL},
             {v1::STATS_DIMENSION_STATE, v1::STATS_DIMENSION_AGE_BAND},
             {v1::STATS_DIMENSION_VICTIM_POSITION,
              v1::STATS_DIMENSION_RISK_LEVEL},
             {v1::STATS_DIMENSION_VICTIM_POSITION, v1::STATS_DIMENSION_STATE,
              v1::STATS_DIMENSION_AGE_BAND}}) {
      out.push_back(Run(*engine, Request(dims)));
    }
    return out;
  };
  SynthCase a;
  a.state = "27";  // The state with one case: her.
  a.position = v1::VICTIM_POSITION_SENATOR;
  a.age_band = v1::AGE_BAND_60_PLUS;
  a.risk = v1::RISK_LEVEL_CRITICAL;
  a.person_key = "senator";
  SynthCase b = a;
  b.state = "04";  // A state with no other case.
  b.age_band = v1::AGE_BAND_18_29;
  b.risk = v1::RISK_LEVEL_LOW;
  SynthCase c = a;
  c.state = "31";  // The state with two cases.
  c.age_band = v1::AGE_BAND_45_59;
  c.risk = v1::RISK_LEVEL_MEDIUM;
  auto first = answers(a);
  for (const SynthCase& other : {b, c}) {
    auto second = answers(other);
    ASSERT_EQ(first.size(), second.size());
    for (size_t q = 0; q < first.size(); ++q) {
      if (q < 2) {
        // Filtered to her, or to her state: below k, refused, naming no
        // value.
        for (const auto* r : {&first[q], &second[q]}) {
          EXPECT_THAT(*r, StatusIs(absl::StatusCode::kFailedPrecondition,
                                   HasSubstr("below the threshold")));
          for (const char* value : {"27", "04", "31", "SENATOR", "60", "18",
                                    "CRITICAL", "LOW", "MEDIUM"}) {
            EXPECT_EQ(r->status().message().find(value), std::string::npos);
          }
        }
        EXPECT_EQ(first[q].status(), second[q].status());
        continue;
      }
      ASSERT_OK(first[q].status());
      ASSERT_OK(second[q].status());
      EXPECT_EQ(Shape(*first[q]), Shape(*second[q])) << "query " << q;
      EXPECT_EQ(first[q]->cells_size(), second[q]->cells_size());
    }
  }
  // The full grid: every state, age band and risk level, zeros included.
  ASSERT_OK(first[2].status());
  EXPECT_EQ(first[2]->cells_size(), 32 * 6 * 4);
  db_.reset();  // Before its directory goes.
}

// Utility: state x risk level over the review's population (a state with
// one case and one with two) withholds at most 10% of the cases, and the
// loss reported is the share of the cases in withheld cells.
TEST_F(StatsEngineTest, StateByRiskLosesAtMostATenthOnAReviewPopulation) {
  ASSERT_NO_FATAL_FAILURE(Insert(ReviewPopulation(7)));
  StatsEngine::Options o;
  o.perturb = false;
  auto engine = Engine(o);
  ASSERT_OK_AND_ASSIGN(auto r,
                       Run(*engine, Request({v1::STATS_DIMENSION_STATE,
                                             v1::STATS_DIMENSION_RISK_LEVEL})));
  ASSERT_TRUE(r.has_information_loss());
  EXPECT_LE(r.information_loss(), 0.10);
  EXPECT_FALSE(r.total().suppressed());
  EXPECT_FALSE(r.suppression_budget_exhausted());
  // The loss is what the released cells leave out of the total.
  int64_t released = 0;
  for (const v1::StatsCell& c : r.cells()) released += c.count();
  EXPECT_NEAR(r.information_loss(),
              1.0 - static_cast<double>(released) / r.total().count(), 1e-12);
  std::printf("state x risk_level over 750 cases: information loss %.1f%%\n",
              r.information_loss() * 100);
  // And the other crossings the review tried, for the record.
  for (auto dims : std::vector<std::vector<v1::StatsDimension>>{
           {v1::STATS_DIMENSION_STATE, v1::STATS_DIMENSION_VIOLENCE_TYPE},
           {v1::STATS_DIMENSION_STATE, v1::STATS_DIMENSION_QUARTER,
            v1::STATS_DIMENSION_RISK_LEVEL}}) {
    ASSERT_OK_AND_ASSIGN(auto other, Run(*engine, Request(dims)));
    std::printf("%d-way table: information loss %.1f%%\n",
                static_cast<int>(dims.size()), other.information_loss() * 100);
  }
}

TEST_F(StatsEngineTest, QueryWhosePopulationIsBelowKIsRefused) {
  std::vector<SynthCase> cases(9);
  cases[0].state = "27";
  cases[1].state = "27";
  ASSERT_NO_FATAL_FAILURE(Insert(cases));
  auto engine = Engine();
  for (auto measure :
       {v1::STATS_MEASURE_CASES, v1::STATS_MEASURE_DISTINCT_VICTIMS}) {
    v1::StatsQueryRequest r =
        Request({v1::STATS_DIMENSION_RISK_LEVEL}, measure);
    v1::StatsFilter* f = r.add_filters();
    f->set_dimension(v1::STATS_DIMENSION_STATE);
    f->add_values("27");
    auto answer = Run(*engine, r);
    EXPECT_THAT(answer, StatusIs(absl::StatusCode::kFailedPrecondition,
                                 HasSubstr("widen the filters or the months")));
    EXPECT_EQ(answer.status().message().find("27"), std::string::npos);
    // A state with no case at all gets the same refusal.
    f->set_values(0, "26");
    auto empty = Run(*engine, r);
    EXPECT_EQ(empty.status(), answer.status());
  }
  ASSERT_OK(Run(*engine, Request({v1::STATS_DIMENSION_STATE})).status());
}

// Bounded work: the largest table the cap allows (kMaxCells municipalities,
// many of one case, some of up to 15) is answered; one municipality more
// is INVALID_ARGUMENT naming the dimension.
TEST_F(StatsEngineTest, TablesPastTheCellCapAreRefused) {
  std::mt19937_64 rng(5);
  std::vector<SynthCase> cases;
  for (size_t i = 0; i < kMaxCells; ++i) {
    SynthCase c;
    c.state = absl::StrFormat("%02d", 1 + i % 32);
    c.municipality = absl::StrFormat("%03d", 1 + i / 32);
    const int n = rng() % 8 == 0 ? 5 + static_cast<int>(rng() % 11) : 1;
    for (int j = 0; j < n; ++j) cases.push_back(c);
  }
  ASSERT_NO_FATAL_FAILURE(Insert(cases));
  auto engine = Engine();
  v1::StatsQueryRequest r = Request({v1::STATS_DIMENSION_MUNICIPALITY});
  ASSERT_OK_AND_ASSIGN(auto largest, Run(*engine, r));
  EXPECT_EQ(largest.cells_size(), static_cast<int>(kMaxCells));
  EXPECT_FALSE(largest.suppression_budget_exhausted());
  EXPECT_FALSE(largest.total().suppressed());
  SynthCase one_more;
  one_more.state = "01";
  one_more.municipality = "999";
  ASSERT_NO_FATAL_FAILURE(Insert({one_more}));
  auto refused = Run(*engine, r);
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kInvalidArgument,
                                HasSubstr("dimensions[0]")));
  std::vector<api::FieldViolation> v = api::ViolationsOf(refused.status());
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].field, "dimensions[0]");
  EXPECT_NE(v[0].description.find("20000"), std::string::npos);
  // A state filter keeps the grid to that state's municipalities.
  v1::StatsFilter* f = r.add_filters();
  f->set_dimension(v1::STATS_DIMENSION_STATE);
  f->add_values("01");
  ASSERT_OK_AND_ASSIGN(auto one_state, Run(*engine, r));
  EXPECT_EQ(one_state.cells_size(), 626);
}

// --- Differential privacy ---

TEST(GeometricNoiseTest, StaysWithinTheStatedBoundAtTheStatedFrequency) {
  for (double epsilon : {0.1, 0.5, 1.0}) {
    const int64_t bound = GeometricErrorBound(epsilon, 0.95);
    const int runs = 20000;
    int within = 0;
    double sum = 0;
    for (int i = 0; i < runs; ++i) {
      ASSERT_OK_AND_ASSIGN(int64_t x, GeometricNoise(epsilon));
      if (std::llabs(x) <= bound) ++within;
      sum += static_cast<double>(x);
    }
    const double frequency = static_cast<double>(within) / runs;
    // The exact coverage of the bound: at least the 95% stated (integer
    // bounds overshoot a little). 20000 runs give a standard error of
    // 0.0016: the empirical frequency is within 4 of them.
    const double a = std::exp(-epsilon);
    const double exact =
        1 - 2 * std::pow(a, static_cast<double>(bound + 1)) / (1 + a);
    EXPECT_GE(exact, 0.95);
    EXPECT_GE(frequency, 0.945) << "epsilon " << epsilon;
    EXPECT_NEAR(frequency, exact, 0.0064) << "epsilon " << epsilon;
    EXPECT_NEAR(sum / runs, 0.0, 6.0 / epsilon / std::sqrt(runs) * 3);
  }
  // a = e^-1: P(|X| > B) = 2 a^(B+1) / (1 + a) <= 0.05 first at B = 3.
  EXPECT_EQ(GeometricErrorBound(1.0, 0.95), 3);
}

TEST_F(StatsEngineTest, PrivateAnswersStayWithinTheirErrorBound) {
  std::vector<SynthCase> cases;
  for (int i = 0; i < 40; ++i) {
    SynthCase c;
    c.state = i < 30 ? "20" : "07";
    c.person_key = absl::StrCat("p", i);
    cases.push_back(c);
  }
  ASSERT_NO_FATAL_FAILURE(Insert(cases));
  auto engine = Engine(Unbudgeted());
  v1::StatsQueryRequest r =
      Request({v1::STATS_DIMENSION_STATE}, v1::STATS_MEASURE_DISTINCT_VICTIMS);
  int runs = 0, within = 0;
  for (int i = 0; i < 400; ++i) {
    // 400 distinct queries (an identical one would get the stored
    // answer): the month range grows past the cases' month.
    r.set_from_month("2025-01");
    r.set_to_month(absl::StrFormat("%04d-%02d", 2026 + i / 12, i % 12 + 1));
    r.set_epsilon(1.0);
    ASSERT_OK_AND_ASSIGN(auto a, RunPrivate(*engine, r, Analyst("OBS")));
    auto cells = ByValues(a.cells());
    const double bound = a.privacy().error_bound();
    EXPECT_EQ(bound, 3);
    EXPECT_DOUBLE_EQ(a.privacy().error_confidence(), 0.95);
    for (auto [state, truth] :
         std::vector<std::pair<std::string, int>>{{"20/", 30}, {"07/", 10}}) {
      ++runs;
      // A cell whose noisy count came out 0 is not listed (for 07 that takes
      // noise of -10 or less: about 1 draw in 30,000); it counts as outside.
      if (cells.count(state) && !cells[state]->suppressed() &&
          std::llabs(cells[state]->count() - truth) <= bound) {
        ++within;
      }
    }
  }
  EXPECT_GE(static_cast<double>(within) / runs, 0.93);
}

TEST_F(StatsEngineTest, OneContributionPerPerson) {
  std::vector<SynthCase> cases;
  for (int i = 0; i < 10; ++i) {
    SynthCase c;
    c.person_key = "same-woman";
    c.reported = 20250101 + i;
    c.state = i == 0 ? "07" : "20";  // Her earliest case is in 07.
    cases.push_back(c);
  }
  ASSERT_NO_FATAL_FAILURE(Insert(cases));
  StatsEngine::Options o;
  o.k = 3;
  auto engine = Engine(Unbudgeted(o));
  v1::StatsQueryRequest r = Request({}, v1::STATS_MEASURE_CASES);
  r.set_epsilon(10);  // P(noise != 0) < 1e-4.
  ASSERT_OK_AND_ASSIGN(auto a, RunPrivate(*engine, r, Analyst("OBS")));
  // Ten cases, one person: she adds 1 (withheld: below k), not 10.
  EXPECT_TRUE(a.total().suppressed());
}

TEST_F(StatsEngineTest, LedgerRefusesOverspendAndRepeatsCostNothing) {
  ASSERT_NO_FATAL_FAILURE(Insert(Population(3, 100)));
  StatsEngine::Options o;
  o.epsilon_budget = 1.0;
  auto engine = Engine(o);
  v1::StatsQueryRequest r =
      Request({v1::STATS_DIMENSION_STATE}, v1::STATS_MEASURE_DISTINCT_VICTIMS);
  r.set_epsilon(0.6);
  ASSERT_OK_AND_ASSIGN(auto first, RunPrivate(*engine, r, Analyst("OBS")));
  EXPECT_DOUBLE_EQ(first.privacy().epsilon(), 0.6);
  EXPECT_NEAR(first.privacy().budget_remaining(), 0.4, 1e-9);
  EXPECT_EQ(first.privacy().release(), "2026-Q4");
  EXPECT_FALSE(first.privacy().repeated_release());

  // The same query: the same answer, nothing charged.
  for (int i = 0; i < 3; ++i) {
    ASSERT_OK_AND_ASSIGN(auto again, RunPrivate(*engine, r, Analyst("OBS")));
    EXPECT_TRUE(again.privacy().repeated_release());
    EXPECT_EQ(again.privacy().epsilon(), 0);
    EXPECT_NEAR(again.privacy().budget_remaining(), 0.4, 1e-9);
    again.mutable_privacy()->clear_repeated_release();
    again.mutable_privacy()->clear_epsilon();
    again.mutable_privacy()->clear_budget_remaining();
    v1::StatsQueryResponse expected = first;
    expected.mutable_privacy()->clear_epsilon();
    expected.mutable_privacy()->clear_budget_remaining();
    EXPECT_EQ(again.SerializeAsString(), expected.SerializeAsString());
  }

  // Another query that would overspend: refused, nothing charged.
  v1::StatsQueryRequest other = r;
  other.clear_dimensions();
  EXPECT_THAT(
      RunPrivate(*engine, other, Analyst("OBS")),
      StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("budget")));
  other.set_epsilon(0.4);
  ASSERT_OK_AND_ASSIGN(auto last, RunPrivate(*engine, other, Analyst("OBS")));
  EXPECT_NEAR(last.privacy().budget_remaining(), 0.0, 1e-9);
  other.set_epsilon(0.01);
  EXPECT_THAT(RunPrivate(*engine, other, Analyst("OBS")),
              StatusIs(absl::StatusCode::kResourceExhausted));

  // Another analyst has her own budget; the next release period a new one.
  ASSERT_OK(RunPrivate(*engine, other, Analyst("OBS", "berta")).status());
  clock_.Advance(absl::Hours(24 * 60));
  ASSERT_OK_AND_ASSIGN(auto next, RunPrivate(*engine, other, Analyst("OBS")));
  EXPECT_EQ(next.privacy().release(), "2027-Q1");
}

// Two identical queries computed concurrently (both prepared before either
// commits, as two calls racing through their reads): the second commit
// returns the first's stored answer and charges nothing; a different
// query of the same analyst that raced with them and no longer fits the
// budget is refused at commit, with nothing written.
TEST_F(StatsEngineTest, RacingIdenticalQueriesAreChargedOnceAndAgree) {
  ASSERT_NO_FATAL_FAILURE(Insert(Population(3, 100)));
  StatsEngine::Options o;
  o.epsilon_budget = 1.0;
  auto engine = Engine(o);
  v1::StatsQueryRequest r =
      Request({v1::STATS_DIMENSION_STATE}, v1::STATS_MEASURE_CASES);
  r.set_epsilon(0.6);
  ASSERT_OK_AND_ASSIGN(QueryPlan plan, PlanQuery(r));
  v1::StatsQueryRequest r2 = r;
  r2.clear_dimensions();
  ASSERT_OK_AND_ASSIGN(QueryPlan plan2, PlanQuery(r2));
  const auth::Principal ana = Analyst("OBS");
  const auth::Principal berta = Analyst("OBS", "berta");
  auto prepare = [&](const QueryPlan& p, const auth::Principal& who) {
    return db_->Read(
        [&](store::ReadTxn& txn) { return engine->Prepare(txn, who, p); });
  };
  ASSERT_OK_AND_ASSIGN(StatsEngine::Draft a, prepare(plan, ana));
  ASSERT_OK_AND_ASSIGN(StatsEngine::Draft b, prepare(plan, berta));
  ASSERT_OK_AND_ASSIGN(StatsEngine::Draft c, prepare(plan2, ana));
  ASSERT_FALSE(a.stored);
  ASSERT_FALSE(b.stored);
  ASSERT_FALSE(c.stored);
  auto commit = [&](const QueryPlan& p, const auth::Principal& who,
                    StatsEngine::Draft d) {
    return db_->Write(
        [&](store::WriteTxn& txn) { return engine->Commit(txn, who, p, d); });
  };
  ASSERT_OK_AND_ASSIGN(v1::StatsQueryResponse first, commit(plan, ana, a));
  ASSERT_OK_AND_ASSIGN(v1::StatsQueryResponse second, commit(plan, berta, b));
  EXPECT_FALSE(first.privacy().repeated_release());
  EXPECT_TRUE(second.privacy().repeated_release());
  // Berta was charged nothing: her whole budget is left.
  EXPECT_NEAR(second.privacy().budget_remaining(), 1.0, 1e-9);
  EXPECT_EQ(first.cells_size(), second.cells_size());
  for (int i = 0; i < first.cells_size(); ++i) {
    EXPECT_EQ(first.cells(i).SerializeAsString(),
              second.cells(i).SerializeAsString());
  }
  EXPECT_EQ(first.total().SerializeAsString(),
            second.total().SerializeAsString());
  // Ana's other query was computed while 0.6 was still unspent; at commit
  // 0.6 + 0.6 > 1: refused, and her ledger still says 0.4 left.
  EXPECT_THAT(commit(plan2, ana, c),
              StatusIs(absl::StatusCode::kResourceExhausted));
  ASSERT_OK_AND_ASSIGN(v1::StatsQueryResponse again,
                       RunPrivate(*engine, r, ana));
  EXPECT_TRUE(again.privacy().repeated_release());
  EXPECT_NEAR(again.privacy().budget_remaining(), 0.4, 1e-9);

  // And through real threads: eight identical new queries at once, one
  // charge, one answer.
  v1::StatsQueryRequest r3 = r;
  r3.set_epsilon(0.2);
  std::vector<absl::StatusOr<v1::StatsQueryResponse>> results(8);
  {
    std::vector<std::thread> threads;
    for (size_t i = 0; i < results.size(); ++i) {
      threads.emplace_back(
          [&, i] { results[i] = RunPrivate(*engine, r3, berta); });
    }
    for (std::thread& t : threads) t.join();
  }
  int fresh = 0;
  for (const auto& res : results) {
    ASSERT_OK(res.status());
    fresh += !res->privacy().repeated_release();
    EXPECT_EQ(res->total().SerializeAsString(),
              results[0]->total().SerializeAsString());
  }
  EXPECT_EQ(fresh, 1);
  ASSERT_OK_AND_ASSIGN(v1::StatsQueryResponse after,
                       RunPrivate(*engine, r3, berta));
  EXPECT_NEAR(after.privacy().budget_remaining(), 0.8, 1e-9);
}

// --- Differencing, the query allowance, the ledger, medians (issue 12) ---

// The perturbation's distribution, -2..+2, as CellKeyPerturbation draws it.
constexpr double kPerturbation[5] = {0.1, 0.2, 0.4, 0.2, 0.1};

// P(released(n1) - released(n0) == c) when the two perturbations are two
// fresh, independent draws (released counts never below k).
double FreshPairRate(int64_t n0, int64_t n1, int64_t c, int64_t k) {
  double p = 0;
  for (int a = -2; a <= 2; ++a) {
    for (int b = -2; b <= 2; ++b) {
      if (std::max<int64_t>(n1 + b, k) - std::max<int64_t>(n0 + a, k) == c) {
        p += kPerturbation[a + 2] * kPerturbation[b + 2];
      }
    }
  }
  return p;
}

// The exact chance that the rounded mean of `pairs` differences, each her
// count plus two fresh draws' difference, is her count: the averaging
// attack's success.
double RoundedMeanSuccess(int pairs) {
  std::map<int, double> one;
  for (int a = -2; a <= 2; ++a) {
    for (int b = -2; b <= 2; ++b) {
      one[a - b] += kPerturbation[a + 2] * kPerturbation[b + 2];
    }
  }
  std::map<int, double> sum = {{0, 1.0}};
  for (int i = 0; i < pairs; ++i) {
    std::map<int, double> next;
    for (auto [x, px] : sum) {
      for (auto [y, py] : one) next[x + y] += px * py;
    }
    sum = std::move(next);
  }
  double p = 0;
  for (auto [x, px] : sum) {
    if (2 * std::abs(x) < pairs) p += px;
  }
  return p;
}

TEST(CellKeyPerturbationTest, NearbyCellKeysGetIndependentDraws) {
  // The earlier perturbation was a step function of the cell key: a set
  // and the same set plus one woman (cell key shifted by her record key,
  // count by one) got the same value up to 94% of the time, so their
  // difference was her exact count. Now: as often as two fresh draws
  // agree (0.26), whatever the shift.
  std::mt19937_64 rng(4);
  for (int64_t shift :
       {int64_t{1}, int64_t{37}, int64_t{1000}, int64_t{2147483646}}) {
    std::map<int, int> freq;
    int same = 0;
    const int runs = 40000;
    for (int i = 0; i < runs; ++i) {
      const int64_t key = static_cast<int64_t>(rng() % 2147483647);
      const int e = CellKeyPerturbation(key);
      ++freq[e];
      same += e == CellKeyPerturbation(key + shift);
    }
    EXPECT_NEAR(static_cast<double>(same) / runs, 0.26, 0.015) << shift;
    for (int e = -2; e <= 2; ++e) {
      EXPECT_NEAR(static_cast<double>(freq[e]) / runs, kPerturbation[e + 2],
                  0.012)
          << e;
    }
  }
}

class DifferencingTest : public StatsEngineTest {
 protected:
  // 63 municipalities of state 20, each with 1-3 women of one case, and
  // targets: women alone in a municipality of their own with 1-4 cases
  // (each target's cell is below k: withheld).
  void SetUpPopulation(uint64_t seed, const std::vector<int>& target_cases) {
    std::mt19937_64 rng(seed);
    std::vector<SynthCase> cases;
    for (int m = 0; m < 63; ++m) {
      const std::string code = absl::StrFormat("%03d", 100 + m);
      const int n = 1 + static_cast<int>(rng() % 3);
      for (int i = 0; i < n; ++i) {
        SynthCase c;
        c.municipality = code;
        c.person_key = absl::StrCat("bg-", m, "-", i);
        c.follow_up_after_days = static_cast<int>(rng() % 41);
        cases.push_back(c);
      }
      background_.push_back("20" + code);
      size_["20" + code] = n;
    }
    for (size_t t = 0; t < target_cases.size(); ++t) {
      const std::string code = absl::StrFormat("%03d", 900 + t);
      for (int i = 0; i < target_cases[t]; ++i) {
        SynthCase c;
        c.municipality = code;
        c.person_key = absl::StrCat("target-", t);
        cases.push_back(c);
      }
      targets_.push_back({"20" + code, target_cases[t]});
    }
    ASSERT_NO_FATAL_FAILURE(Insert(cases));
  }

  // A random half of the background municipalities, and its case count.
  std::pair<std::vector<std::string>, int64_t> RandomBase(
      std::mt19937_64& rng) {
    std::vector<std::string> base;
    int64_t n = 0;
    for (const std::string& m : background_) {
      if (rng() % 2) {
        base.push_back(m);
        n += size_[m];
      }
    }
    return {base, n};
  }

  static v1::StatsQueryRequest Total(
      const std::vector<std::string>& municipalities,
      v1::StatsMeasure measure = v1::STATS_MEASURE_CASES) {
    v1::StatsQueryRequest r = Request({}, measure);
    v1::StatsFilter* f = r.add_filters();
    f->set_dimension(v1::STATS_DIMENSION_MUNICIPALITY);
    for (const std::string& m : municipalities) f->add_values(m);
    return r;
  }

  std::vector<std::string> background_;
  std::map<std::string, int64_t> size_;
  std::vector<std::pair<std::string, int>> targets_;
};

// The review's single-pair attack: the total of a base population, and of
// the same population plus the municipality of a woman whose cases sit in
// a withheld cell. Over 60 random base populations per target, the
// difference is her exact count no more often than when the two
// perturbations are fresh draws (it failed before: some women's counts
// came out exact in nearly every pair).
TEST_F(DifferencingTest, OnePairRecoversHerCountOnlyAsOftenAsFreshDraws) {
  ASSERT_NO_FATAL_FAILURE(SetUpPopulation(12, {1, 2, 3, 4, 1, 2}));
  auto engine = Engine();
  std::mt19937_64 rng(77);
  double expected = 0, variance = 0;
  int hits = 0;
  for (const auto& [target, count] : targets_) {
    double mine_expected = 0, mine_variance = 0;
    int mine = 0;
    std::set<int64_t> differences;
    for (int b = 0; b < 60; ++b) {
      auto [base, n0] = RandomBase(rng);
      std::vector<std::string> with = base;
      with.push_back(target);
      ASSERT_OK_AND_ASSIGN(auto without_her, Run(*engine, Total(base)));
      ASSERT_OK_AND_ASSIGN(auto with_her, Run(*engine, Total(with)));
      ASSERT_FALSE(without_her.total().suppressed());
      ASSERT_FALSE(with_her.total().suppressed());
      const int64_t d = with_her.total().count() - without_her.total().count();
      differences.insert(d);
      mine += d == count;
      const double p = FreshPairRate(n0, n0 + count, count, 5);
      mine_expected += p;
      mine_variance += p * (1 - p);
    }
    EXPECT_LE(mine, mine_expected + 4 * std::sqrt(mine_variance))
        << "target with " << count << " cases";
    EXPECT_GE(differences.size(), 5u);
    hits += mine;
    expected += mine_expected;
    variance += mine_variance;
  }
  EXPECT_LE(hits, expected + 3 * std::sqrt(variance));
}

// The review's averaging attack: many such pairs, averaged. Each distinct
// query costs one of the allowance, so the analyst is refused after 10
// pairs, her institution after 15, and a new release brings no fresh
// allowance over the same quarter of data.
TEST_F(DifferencingTest, AveragingPairsIsRefusedBeforeItConverges) {
  ASSERT_NO_FATAL_FAILURE(SetUpPopulation(21, {2}));
  StatsEngine::Options defaults;
  ASSERT_EQ(defaults.queries_per_analyst, 20);
  ASSERT_EQ(defaults.queries_per_institution, 30);
  ASSERT_EQ(defaults.institution_query_lifetime, 30);
  auto engine = Engine();
  std::mt19937_64 rng(5);
  const std::string target = targets_[0].first;
  std::vector<int64_t> differences;
  auto ask = [&](const auth::Principal& who, const v1::StatsQueryRequest& r) {
    absl::StatusOr<QueryPlan> plan = PlanQuery(r);
    if (!plan.ok())
      return absl::StatusOr<v1::StatsQueryResponse>(plan.status());
    return engine->Answer(*db_, who, *plan);
  };
  std::vector<v1::StatsQueryRequest> asked;
  auto pair = [&](const auth::Principal& who) -> absl::Status {
    auto [base, n0] = RandomBase(rng);
    std::vector<std::string> with = base;
    with.push_back(target);
    ASSIGN_OR_RETURN(auto without_her, ask(who, Total(base)));
    asked.push_back(Total(base));
    ASSIGN_OR_RETURN(auto with_her, ask(who, Total(with)));
    differences.push_back(with_her.total().count() -
                          without_her.total().count());
    return absl::OkStatus();
  };
  const auth::Principal ana = Analyst("OBS"), berta = Analyst("OBS", "berta"),
                        carla = Analyst("OBS", "carla");
  absl::Status refused;
  for (int i = 0; i < 100 && refused.ok(); ++i) refused = pair(ana);
  EXPECT_EQ(differences.size(), 10u);
  EXPECT_THAT(refused,
              StatusIs(absl::StatusCode::kResourceExhausted,
                       HasSubstr("query allowance spent: the analyst's for "
                                 "release 2026-Q4")));
  // A query already answered in this release is still free: the stored
  // answer, whoever asks.
  ASSERT_OK_AND_ASSIGN(auto repeat, ask(ana, asked[0]));
  EXPECT_TRUE(repeat.privacy().repeated_release());
  ASSERT_OK_AND_ASSIGN(auto repeat2, ask(carla, asked[1]));
  EXPECT_TRUE(repeat2.privacy().repeated_release());
  EXPECT_EQ(repeat2.privacy().queries_remaining(), 10);

  // Another analyst of her institution: 5 pairs more, then the
  // institution's allowance is spent for everyone.
  refused = absl::OkStatus();
  for (int i = 0; i < 100 && refused.ok(); ++i) refused = pair(berta);
  EXPECT_EQ(differences.size(), 15u);
  EXPECT_THAT(refused, StatusIs(absl::StatusCode::kResourceExhausted,
                                HasSubstr("the institution's for release")));
  EXPECT_THAT(pair(carla), StatusIs(absl::StatusCode::kResourceExhausted,
                                    HasSubstr("the institution's")));

  // What is left, as a table builder asks before spending: nothing for
  // anyone of the institution over these quarters, all of a new one.
  ASSERT_OK_AND_ASSIGN(
      v1::StatsAllowance left, db_->Read([&](store::ReadTxn& txn) {
        return engine->Allowance(txn, carla, v1::GetStatsAllowanceRequest());
      }));
  EXPECT_EQ(left.release(), "2026-Q4");
  EXPECT_EQ(left.queries_remaining(), 0);
  EXPECT_DOUBLE_EQ(left.epsilon_remaining(), 1.0);
  v1::GetStatsAllowanceRequest bad;
  bad.set_from_month("2026-13");
  EXPECT_THAT(
      db_->Read([&](store::ReadTxn& txn) {
        return engine->Allowance(txn, carla, bad);
      }),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("from_month")));

  // The next release: nothing more over the quarters already queried
  // (lifetime), while the new quarter's data can be queried.
  clock_.Advance(absl::Hours(24 * 60));
  EXPECT_THAT(pair(ana), StatusIs(absl::StatusCode::kResourceExhausted,
                                  HasSubstr("institution's lifetime cap over "
                                            "the data of up to 2027-Q1")));
  // (A quarter with cases: an empty population is refused whatever the
  // allowance.)
  std::vector<SynthCase> next_quarter(5);
  for (SynthCase& c : next_quarter) {
    c.municipality = background_[0].substr(2);
    c.reported = 20270115;
  }
  ASSERT_NO_FATAL_FAILURE(Insert(next_quarter));
  v1::StatsQueryRequest fresh = Total(background_);
  fresh.set_from_month("2027-01");
  fresh.set_to_month("2027-03");
  ASSERT_OK_AND_ASSIGN(auto answered, ask(ana, fresh));
  EXPECT_EQ(answered.privacy().release(), "2027-Q1");
  EXPECT_EQ(answered.privacy().queries_remaining(), 19);

  // What the whole allowance buys: the chance that the rounded mean of
  // the pairs one analyst (10) or her whole institution (15) may make is
  // her exact count; the review's attack converged with 32-64 pairs.
  EXPECT_LT(RoundedMeanSuccess(10), 0.65);
  EXPECT_LT(RoundedMeanSuccess(15), 0.79);
  EXPECT_GT(RoundedMeanSuccess(32), 0.92);
  EXPECT_NEAR(RoundedMeanSuccess(1), 0.26, 1e-9);
}

// A woman with ten cases and no person key (no CURP, nor name and full
// birth date) moves a DP answer by no more than the sensitivity, 1: her
// keyless cases are left out (each used to count as a woman of her own).
// A woman with ten keyed cases moves it by exactly 1.
TEST_F(DifferencingTest, TenKeylessCasesMoveADpAnswerByAtMostOne) {
  ASSERT_NO_FATAL_FAILURE(SetUpPopulation(31, {}));
  std::vector<SynthCase> cases;
  for (int i = 0; i < 10; ++i) {
    SynthCase keyless;
    keyless.municipality = "950";
    keyless.reported = 20250301 + i;
    cases.push_back(keyless);
    SynthCase keyed = keyless;
    keyed.municipality = "951";
    keyed.person_key = "ten-cases";
    cases.push_back(keyed);
  }
  ASSERT_NO_FATAL_FAILURE(Insert(cases));
  auto engine = Engine(Unbudgeted());
  auto noisy_total = [&](std::vector<std::string> municipalities,
                         v1::StatsMeasure measure) -> int64_t {
    v1::StatsQueryRequest r = Total(municipalities, measure);
    r.set_epsilon(10);  // P(noise != 0) < 1e-4 a cell.
    auto a = RunPrivate(*engine, r, Analyst("OBS"));
    EXPECT_OK(a.status());
    return a.ok() ? a->total().count() : -1000;
  };
  for (auto measure :
       {v1::STATS_MEASURE_CASES, v1::STATS_MEASURE_DISTINCT_VICTIMS}) {
    const int64_t base = noisy_total(background_, measure);
    std::vector<std::string> with = background_;
    with.push_back("20950");
    EXPECT_LE(std::llabs(noisy_total(with, measure) - base), 1);
    with.back() = "20951";
    EXPECT_EQ(noisy_total(with, measure) - base, 1);
  }
}

// Budgets per analyst and per institution and release period, and a
// lifetime cap per quarter of data for the institution and for the node:
// a new release period gives no fresh epsilon over data already queried,
// whichever analyst or institution asks.
TEST_F(DifferencingTest, ANewReleaseGivesNoFreshEpsilonOverQueriedData) {
  ASSERT_NO_FATAL_FAILURE(SetUpPopulation(41, {}));
  StatsEngine::Options o;  // 1 per analyst, 2 per institution and
                           // release; lifetime 2 per institution, 4 node.
  auto engine = Engine(o);
  int variant = 0;
  // A new query (distinct canonical form) over the data of 2025.
  auto over_2025 = [&](const auth::Principal& who, double epsilon) {
    v1::StatsQueryRequest r = Total(background_);
    r.mutable_filters(0)->mutable_values()->RemoveLast();
    for (int i = 0; i < variant % 7; ++i) {
      r.mutable_filters(0)->mutable_values()->RemoveLast();
    }
    ++variant;
    r.set_from_month("2025-01");
    r.set_to_month(absl::StrFormat("2025-%02d", 12 - variant / 7));
    r.set_epsilon(epsilon);
    return RunPrivate(*engine, r, who);
  };
  const auth::Principal ana = Analyst("OBS"), berta = Analyst("OBS", "berta");
  ASSERT_OK(over_2025(ana, 1.0).status());
  EXPECT_THAT(over_2025(ana, 0.1),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       HasSubstr("the analyst's for release 2026-Q4")));
  ASSERT_OK_AND_ASSIGN(auto b, over_2025(berta, 1.0));
  EXPECT_NEAR(b.privacy().budget_remaining(), 0.0, 1e-9);
  EXPECT_THAT(over_2025(Analyst("OBS", "carla"), 0.1),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       HasSubstr("the institution's for release")));
  // A year later: new release periods, the same data.
  for (int q = 0; q < 4; ++q) {
    clock_.Advance(absl::Hours(24 * 92));
    EXPECT_THAT(over_2025(ana, 0.1),
                StatusIs(absl::StatusCode::kResourceExhausted,
                         HasSubstr("institution's lifetime cap over the data "
                                   "of 2025-Q1 to 2025-Q")));
  }
  // Other institutions' analysts: the node's cap over those quarters (4)
  // stops them once 2 more are spent.
  ASSERT_OK(over_2025(Analyst("IEEPCO"), 1.0).status());
  ASSERT_OK(over_2025(Analyst("FGEO"), 1.0).status());
  EXPECT_THAT(over_2025(Analyst("FGEO", "dora"), 0.1),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       HasSubstr("node's lifetime cap")));
  // The data of a quarter nobody queried is still open.
  v1::StatsQueryRequest fresh = Total(background_);
  fresh.set_from_month("2027-04");
  fresh.set_to_month("2027-06");
  fresh.set_epsilon(1.0);
  ASSERT_OK(RunPrivate(*engine, fresh, Analyst("FGEO", "dora")).status());
}

// The review's median attack: the medians of two populations that differ
// by one case. An exact median moves towards that case's side whenever it
// moves; the released (noisy) median does so only a little more often
// than chance: at most 0.5 + 0.15 of its moves over 400 pairs of 5-30
// cases (measured about 0.56).
TEST_F(DifferencingTest, MedianDirectionIsNearChance) {
  // 80 municipalities with one case each, days to the first action 0-40.
  std::mt19937_64 rng(8);
  std::vector<SynthCase> cases;
  std::vector<std::string> pool;
  std::map<std::string, int> days;
  for (int m = 0; m < 80; ++m) {
    SynthCase c;
    c.municipality = absl::StrFormat("%03d", 300 + m);
    c.person_key = absl::StrCat("m-", m);
    c.follow_up_after_days = static_cast<int>(rng() % 41);
    cases.push_back(c);
    pool.push_back("20" + c.municipality);
    days[pool.back()] = c.follow_up_after_days;
  }
  ASSERT_NO_FATAL_FAILURE(Insert(cases));
  auto engine = Engine();
  int moves = 0, towards = 0, exact_moves = 0, exact_towards = 0;
  for (int pair = 0; pair < 400; ++pair) {
    std::vector<std::string> shuffled = pool;
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    const size_t n = 5 + rng() % 26;
    std::vector<std::string> base(shuffled.begin(), shuffled.begin() + n);
    const std::string added = shuffled[n];
    std::vector<int> values;
    for (const std::string& m : base) values.push_back(days[m]);
    std::sort(values.begin(), values.end());
    const double exact_before =
        n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
    values.push_back(days[added]);
    std::sort(values.begin(), values.end());
    const size_t n1 = n + 1;
    const double exact_after =
        n1 % 2 ? values[n1 / 2] : (values[n1 / 2 - 1] + values[n1 / 2]) / 2.0;
    if (days[added] == exact_before) continue;
    const bool above = days[added] > exact_before;
    std::vector<std::string> with = base;
    with.push_back(added);
    ASSERT_OK_AND_ASSIGN(
        auto before,
        Run(*engine,
            Total(base, v1::STATS_MEASURE_MEDIAN_DAYS_TO_FIRST_ACTION)));
    ASSERT_OK_AND_ASSIGN(
        auto after,
        Run(*engine,
            Total(with, v1::STATS_MEASURE_MEDIAN_DAYS_TO_FIRST_ACTION)));
    ASSERT_FALSE(before.total().suppressed());
    const double a = before.total().median_days();
    const double b = after.total().median_days();
    if (a != b) {
      ++moves;
      towards += (b > a) == above;
    }
    if (exact_before != exact_after) {
      ++exact_moves;
      exact_towards += (exact_after > exact_before) == above;
    }
  }
  // The exact median always gives the side away (what the noise stops).
  EXPECT_EQ(exact_towards, exact_moves);
  ASSERT_GT(moves, 150);
  EXPECT_LE(static_cast<double>(towards) / moves, 0.65)
      << towards << " of " << moves;
  // And a median over fewer than k cases is refused.
  EXPECT_THAT(
      Run(*engine, Total({pool[0], pool[1], pool[2], pool[3]},
                         v1::STATS_MEASURE_MEDIAN_DAYS_TO_FIRST_ACTION)),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               HasSubstr("below the threshold k = 5")));
}

}  // namespace
}  // namespace resguardo::stats
