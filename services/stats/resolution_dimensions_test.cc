// The resolution dimensions of the statistics (issue 19): the outcome, the
// qualification and the sanctions of a case's current resolution (its
// latest record), and the days from the report to its first resolution,
// counted over synthetic cases whose true counts the test knows, under the
// same suppression as every dimension.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "proto/resguardo/v1/stats_catalogue.h"
#include "services/api/field_violations.h"
#include "services/stats/testing/stats_engine_fixture.h"

namespace resguardo::stats {
namespace {

using ::resguardo::testing::StatusIs;
using ::testing::HasSubstr;

constexpr int64_t Bit(int code) { return int64_t{1} << code; }

class ResolutionDimensionsTest : public StatsEngineTest {
 protected:
  // Exact counts: no perturbation, the smallest threshold a node allows.
  static StatsEngine::Options Exact(bool hash_aggregation = true) {
    StatsEngine::Options o;
    o.k = 3;
    o.perturb = false;
    o.hash_aggregation = hash_aggregation;
    return o;
  }

  // Every cell of a one-dimension table by its value, none withheld.
  static std::map<std::string, int64_t> Counts(
      const v1::StatsQueryResponse& out) {
    std::map<std::string, int64_t> counts;
    for (const v1::StatsCell& c : out.cells()) {
      EXPECT_EQ(c.values_size(), 1);
      EXPECT_FALSE(c.suppressed()) << c.values(0);
      counts[c.values(0)] = c.count();
    }
    return counts;
  }

  static std::vector<SynthCase> Times(int n, const SynthCase& c) {
    return std::vector<SynthCase>(n, c);
  }

  void InsertAll(const std::vector<std::vector<SynthCase>>& groups) {
    std::vector<SynthCase> all;
    for (const auto& g : groups) all.insert(all.end(), g.begin(), g.end());
    ASSERT_NO_FATAL_FAILURE(Insert(all));
  }
};

SynthCase Resolved(std::vector<SynthResolution> resolutions) {
  SynthCase c;
  c.resolutions = std::move(resolutions);
  return c;
}

TEST_F(ResolutionDimensionsTest, OutcomeIsThatOfTheCurrentResolution) {
  const SynthResolution proven{60, v1::RESOLUTION_OUTCOME_PROVEN, {}};
  const SynthResolution not_proven{60, v1::RESOLUTION_OUTCOME_NOT_PROVEN, {}};
  // Remanded on appeal: not proven at first, proven in the new record.
  const SynthResolution proven_later{200, v1::RESOLUTION_OUTCOME_PROVEN, {}};
  ASSERT_NO_FATAL_FAILURE(InsertAll(
      {Times(4, Resolved({proven})), Times(3, Resolved({not_proven})),
       Times(3, Resolved({not_proven, proven_later})), Times(5, SynthCase{})}));
  const std::map<std::string, int64_t> expected = {
      {"RESOLUTION_OUTCOME_UNSPECIFIED", 5},  // pending
      {"RESOLUTION_OUTCOME_PROVEN", 7},
      {"RESOLUTION_OUTCOME_NOT_PROVEN", 3}};
  // Both aggregation paths give the same table.
  for (bool hash : {true, false}) {
    SCOPED_TRACE(hash ? "hash aggregation" : "SQL GROUP BY");
    auto engine = Engine(Exact(hash));
    ASSERT_OK_AND_ASSIGN(
        auto out,
        Run(*engine, Request({v1::STATS_DIMENSION_RESOLUTION_OUTCOME})));
    EXPECT_EQ(Counts(out), expected);
    EXPECT_EQ(out.total().count(), 15);
  }

  // As a filter: the pending cases alone.
  auto engine = Engine(Exact());
  v1::StatsQueryRequest r = Request({v1::STATS_DIMENSION_RESOLUTION_OUTCOME});
  v1::StatsFilter* f = r.add_filters();
  f->set_dimension(v1::STATS_DIMENSION_RESOLUTION_OUTCOME);
  f->add_values("RESOLUTION_OUTCOME_UNSPECIFIED");
  ASSERT_OK_AND_ASSIGN(auto pending, Run(*engine, r));
  EXPECT_EQ(pending.total().count(), 5);
}

TEST_F(ResolutionDimensionsTest,
       QualificationAndSanctionsCountEachCaseOnceOverItsCurrentResolution) {
  const int64_t fine = Bit(v1::SANCTION_TYPE_FINE);
  const int64_t registry = Bit(v1::SANCTION_TYPE_REGISTRY_INSCRIPTION);
  const int64_t loss = Bit(v1::SANCTION_TYPE_LOSS_OR_SUSPENSION);
  auto sanctioned = [](std::vector<std::pair<int, int64_t>> persons) {
    return SynthResolution{90, v1::RESOLUTION_OUTCOME_PROVEN,
                           std::move(persons)};
  };
  const SynthResolution one_person =
      sanctioned({{v1::FAULT_QUALIFICATION_ORDINARY, fine | registry}});
  // Two sanctioned persons, both fined: the case counts once under FINE.
  const SynthResolution two_persons =
      sanctioned({{v1::FAULT_QUALIFICATION_ORDINARY, fine},
                  {v1::FAULT_QUALIFICATION_SERIOUS, fine | loss}});
  // Sanctioned at first, then resolved again as not proven: the first
  // record's sanctions no longer count.
  const SynthResolution revised{300, v1::RESOLUTION_OUTCOME_NOT_PROVEN, {}};
  // Every other value of both catalogues has k cases, so that no cell is
  // withheld and every count can be read exactly.
  ASSERT_NO_FATAL_FAILURE(InsertAll({
      Times(6, Resolved({one_person})),
      Times(5, Resolved({two_persons})),
      Times(4, Resolved({one_person, revised})),
      Times(3, SynthCase{}),
      Times(3, Resolved({sanctioned({{v1::FAULT_QUALIFICATION_MINOR,
                                      Bit(v1::SANCTION_TYPE_WARNING)}})})),
      Times(3, Resolved({sanctioned({{v1::FAULT_QUALIFICATION_MINOR,
                                      Bit(v1::SANCTION_TYPE_NONE)}})})),
      Times(3, Resolved(
                   {sanctioned({{v1::FAULT_QUALIFICATION_SERIOUS_ORDINARY,
                                 Bit(v1::SANCTION_TYPE_PUBLIC_REPRIMAND)}})})),
      Times(3, Resolved({sanctioned({{v1::FAULT_QUALIFICATION_SPECIAL,
                                      Bit(v1::SANCTION_TYPE_OTHER)}})})),
  }));
  auto engine = Engine(Exact());

  ASSERT_OK_AND_ASSIGN(
      auto by_qualification,
      Run(*engine, Request({v1::STATS_DIMENSION_FAULT_QUALIFICATION})));
  EXPECT_EQ(Counts(by_qualification),
            (std::map<std::string, int64_t>{
                {"FAULT_QUALIFICATION_UNSPECIFIED", 7},  // 4 revised + 3
                {"FAULT_QUALIFICATION_MINOR", 6},
                {"FAULT_QUALIFICATION_ORDINARY", 11},  // not 15
                {"FAULT_QUALIFICATION_SERIOUS_ORDINARY", 3},
                {"FAULT_QUALIFICATION_SPECIAL", 3},
                {"FAULT_QUALIFICATION_SERIOUS", 5}}));

  ASSERT_OK_AND_ASSIGN(
      auto by_sanction,
      Run(*engine, Request({v1::STATS_DIMENSION_SANCTION_TYPE})));
  EXPECT_EQ(Counts(by_sanction), (std::map<std::string, int64_t>{
                                     {"SANCTION_TYPE_UNSPECIFIED", 7},
                                     {"SANCTION_TYPE_NONE", 3},
                                     {"SANCTION_TYPE_WARNING", 3},
                                     {"SANCTION_TYPE_PUBLIC_REPRIMAND", 3},
                                     {"SANCTION_TYPE_FINE", 11},  // not 16
                                     {"SANCTION_TYPE_LOSS_OR_SUSPENSION", 5},
                                     {"SANCTION_TYPE_REGISTRY_INSCRIPTION", 6},
                                     {"SANCTION_TYPE_OTHER", 3}}));

  // A filter keeps the cases, not the sanctioned persons: the five cases
  // with a loss of post, and the ten with a fine that is still in force.
  for (const auto& [value, cases] :
       std::vector<std::pair<std::string, int64_t>>{
           {"SANCTION_TYPE_LOSS_OR_SUSPENSION", 5},
           {"SANCTION_TYPE_FINE", 11}}) {
    SCOPED_TRACE(value);
    v1::StatsQueryRequest r = Request({});
    v1::StatsFilter* f = r.add_filters();
    f->set_dimension(v1::STATS_DIMENSION_SANCTION_TYPE);
    f->add_values(value);
    ASSERT_OK_AND_ASSIGN(auto out, Run(*engine, r));
    EXPECT_EQ(out.total().count(), cases);
  }
  v1::StatsQueryRequest r = Request({});
  v1::StatsFilter* f = r.add_filters();
  f->set_dimension(v1::STATS_DIMENSION_FAULT_QUALIFICATION);
  f->add_values("FAULT_QUALIFICATION_ORDINARY");
  f = r.add_filters();
  f->set_dimension(v1::STATS_DIMENSION_RESOLUTION_OUTCOME);
  f->add_values("RESOLUTION_OUTCOME_PROVEN");
  ASSERT_OK_AND_ASSIGN(auto ordinary, Run(*engine, r));
  EXPECT_EQ(ordinary.total().count(), 11);
}

TEST_F(ResolutionDimensionsTest, DaysToResolutionCountFromTheFirstResolution) {
  auto at = [](std::vector<int> days) {
    std::vector<SynthResolution> r;
    for (int d : days) r.push_back({d, v1::RESOLUTION_OUTCOME_PROVEN, {}});
    return Resolved(r);
  };
  // Three cases per bucket, its edges included; a resolution dated before
  // the report counts as 0-30; a case resolved again counts from its first.
  ASSERT_NO_FATAL_FAILURE(InsertAll({
      Times(3, SynthCase{}),
      {at({0}), at({30}), at({-2})},
      {at({31}), at({90}), at({45, 500})},
      {at({91}), at({120}), at({180})},
      {at({181}), at({200}), at({365})},
      {at({366}), at({400}), at({800})},
  }));
  const std::map<std::string, int64_t> expected = {
      {"none", 3},   {"0-30", 3},    {"31-90", 3},
      {"91-180", 3}, {"181-365", 3}, {"366+", 3}};
  for (bool hash : {true, false}) {
    SCOPED_TRACE(hash ? "hash aggregation" : "SQL GROUP BY");
    auto engine = Engine(Exact(hash));
    ASSERT_OK_AND_ASSIGN(
        auto out,
        Run(*engine, Request({v1::STATS_DIMENSION_DAYS_TO_RESOLUTION})));
    EXPECT_EQ(Counts(out), expected);
  }

  // As a filter, by the bucket's name.
  auto engine = Engine(Exact());
  v1::StatsQueryRequest r = Request({v1::STATS_DIMENSION_RESOLUTION_OUTCOME});
  v1::StatsFilter* f = r.add_filters();
  f->set_dimension(v1::STATS_DIMENSION_DAYS_TO_RESOLUTION);
  f->add_values("366+");
  f->add_values("none");
  ASSERT_OK_AND_ASSIGN(QueryPlan plan, PlanQuery(r));
  EXPECT_THAT(plan.canonical, HasSubstr("DAYS_TO_RESOLUTION:none|366+"));
  ASSERT_OK_AND_ASSIGN(auto late_or_none, Run(*engine, r));
  EXPECT_EQ(late_or_none.total().count(), 6);
}

TEST_F(ResolutionDimensionsTest, ABucketOfAnotherDimensionIsRefusedByName) {
  v1::StatsQueryRequest r = Request({});
  v1::StatsFilter* f = r.add_filters();
  f->set_dimension(v1::STATS_DIMENSION_DAYS_TO_RESOLUTION);
  f->add_values("0-30");
  f->add_values("31+");  // a bucket of DAYS_TO_FIRST_ACTION
  auto plan = PlanQuery(r);
  ASSERT_THAT(plan, StatusIs(absl::StatusCode::kInvalidArgument));
  std::vector<api::FieldViolation> v = api::ViolationsOf(plan.status());
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].field, "filters[0].values[1]");
  EXPECT_THAT(v[0].description, HasSubstr("181-365"));

  r = Request({});
  f = r.add_filters();
  f->set_dimension(v1::STATS_DIMENSION_DAYS_TO_FIRST_ACTION);
  f->add_values("0-30");
  plan = PlanQuery(r);
  ASSERT_THAT(plan, StatusIs(absl::StatusCode::kInvalidArgument));
  v = api::ViolationsOf(plan.status());
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].field, "filters[0].values[0]");
  EXPECT_THAT(v[0].description, HasSubstr("8-30"));

  r = Request({});
  f = r.add_filters();
  f->set_dimension(v1::STATS_DIMENSION_FAULT_QUALIFICATION);
  f->add_values("SANCTION_TYPE_FINE");
  EXPECT_THAT(PlanQuery(r), StatusIs(absl::StatusCode::kInvalidArgument,
                                     HasSubstr("filters[0].values[0]")));
}

// Small cells of the new dimensions are withheld like any other, and so is
// enough of the rest that the total does not give them back.
TEST_F(ResolutionDimensionsTest, SmallCellsAreWithheldWithTheirComplement) {
  const SynthResolution serious{
      40,
      v1::RESOLUTION_OUTCOME_PROVEN,
      {{v1::FAULT_QUALIFICATION_SERIOUS, Bit(v1::SANCTION_TYPE_FINE)}}};
  const SynthResolution not_proven{40, v1::RESOLUTION_OUTCOME_NOT_PROVEN, {}};
  // One case proven: a cell of one, the kind that can name an aggressor.
  ASSERT_NO_FATAL_FAILURE(
      InsertAll({Times(1, Resolved({serious})),
                 Times(8, Resolved({not_proven})), Times(8, SynthCase{})}));
  StatsEngine::Options o;  // k = 5, perturbed: as a node answers
  auto engine = Engine(o);
  for (v1::StatsDimension d : {v1::STATS_DIMENSION_RESOLUTION_OUTCOME,
                               v1::STATS_DIMENSION_FAULT_QUALIFICATION,
                               v1::STATS_DIMENSION_SANCTION_TYPE}) {
    SCOPED_TRACE(v1::StatsDimension_Name(d));
    ASSERT_OK_AND_ASSIGN(auto out, Run(*engine, Request({d})));
    int withheld = 0;
    for (const v1::StatsCell& c : out.cells()) {
      if (c.suppressed()) {
        ++withheld;
        EXPECT_EQ(c.count(), 0);
      } else {
        EXPECT_GE(c.count(), 3) << c.values(0);  // >= k less the noise
      }
    }
    auto cells = ByValues(out.cells());
    for (const auto& [key, cell] : cells) {
      if (key.find("PROVEN/") != std::string::npos &&
          key.find("NOT_PROVEN") == std::string::npos) {
        EXPECT_TRUE(cell->suppressed()) << key;
      }
      if (key == "FAULT_QUALIFICATION_SERIOUS/" ||
          key == "SANCTION_TYPE_FINE/") {
        EXPECT_TRUE(cell->suppressed()) << key;
      }
    }
    EXPECT_TRUE(withheld >= 2 || out.total().suppressed());
  }
}

// With differential privacy the resolution dimensions answer too: one
// contribution per woman (cases with person keys: keyless ones are left
// out of DP answers), in cells of their own domains.
TEST_F(ResolutionDimensionsTest, DifferentialPrivacyAnswersByThem) {
  std::vector<SynthCase> cases;
  for (int i = 0; i < 12; ++i) {
    SynthCase c = Resolved(
        {{200,
          v1::RESOLUTION_OUTCOME_PROVEN,
          {{v1::FAULT_QUALIFICATION_MINOR, Bit(v1::SANCTION_TYPE_WARNING)}}}});
    c.person_key = std::string(31, 'K') + static_cast<char>('a' + i);
    cases.push_back(c);
  }
  ASSERT_NO_FATAL_FAILURE(Insert(cases));
  auto engine = Engine(Unbudgeted());
  for (const auto& [d, value] :
       std::vector<std::pair<v1::StatsDimension, std::string>>{
           {v1::STATS_DIMENSION_RESOLUTION_OUTCOME,
            "RESOLUTION_OUTCOME_PROVEN"},
           {v1::STATS_DIMENSION_FAULT_QUALIFICATION,
            "FAULT_QUALIFICATION_MINOR"},
           {v1::STATS_DIMENSION_SANCTION_TYPE, "SANCTION_TYPE_WARNING"},
           {v1::STATS_DIMENSION_DAYS_TO_RESOLUTION, "181-365"}}) {
    SCOPED_TRACE(v1::StatsDimension_Name(d));
    v1::StatsQueryRequest r = Request({d});
    r.set_epsilon(10);
    ASSERT_OK_AND_ASSIGN(auto noisy, RunPrivate(*engine, r, Analyst("OBS")));
    auto cells = ByValues(noisy.cells());
    ASSERT_TRUE(cells.count(value + "/"));
    // At epsilon 10 the noise is almost always 0.
    EXPECT_NEAR(cells[value + "/"]->count(), 12, 2);
    for (const v1::StatsCell& c : noisy.cells()) {
      const auto& buckets = StatsDimensionBuckets(d);
      EXPECT_TRUE(EnumOf(d) != nullptr
                      ? EnumOf(d)->FindValueByName(c.values(0)) != nullptr
                      : std::find(buckets.begin(), buckets.end(),
                                  c.values(0)) != buckets.end())
          << c.values(0);
    }
  }
}

}  // namespace
}  // namespace resguardo::stats
