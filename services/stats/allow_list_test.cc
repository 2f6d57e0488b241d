// Every dimension of the allow-list answers, alone and as a filter, at an
// institution's scope and the whole node's, on both aggregation paths and
// for every measure: a dimension whose SQL reads a column the covering
// index cases_stats lacks cannot be planned with INDEXED BY over the whole
// node (SQLite: "no query solution"), and an analyst of an oversight body
// got INTERNAL for normative system, territorial level and electoral
// stage until schema version 17 put them in the index.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "proto/resguardo/v1/stats_catalogue.h"
#include "services/stats/testing/stats_engine_fixture.h"

namespace resguardo::stats {
namespace {

class AllowListTest : public StatsEngineTest {};

// A value of `d` valid as a filter.
std::string FilterValue(v1::StatsDimension d) {
  if (const auto* e = EnumOf(d)) return e->value(e->value_count() - 1)->name();
  if (!StatsDimensionBuckets(d).empty()) return StatsDimensionBuckets(d)[0];
  if (d == v1::STATS_DIMENSION_STATE) return "20";
  return "20067";  // municipality
}

TEST_F(AllowListTest, EveryDimensionAnswersAtEveryScopeAndMeasure) {
  std::vector<SynthCase> cases(12);
  for (size_t i = 0; i < cases.size(); ++i) {
    cases[i].person_key = std::string(31, 'W') + static_cast<char>('a' + i);
    cases[i].follow_up_after_days = static_cast<int>(i);
    if (i % 2 == 0) {
      cases[i].resolutions = {{static_cast<int>(i) * 20,
                               v1::RESOLUTION_OUTCOME_PROVEN,
                               {{v1::FAULT_QUALIFICATION_ORDINARY,
                                 int64_t{1} << v1::SANCTION_TYPE_FINE}}}};
    }
  }
  ASSERT_NO_FATAL_FAILURE(Insert(cases));
  const auto* dimensions = v1::StatsDimension_descriptor();
  for (bool hash : {true, false}) {
    StatsEngine::Options o = Unbudgeted();
    o.hash_aggregation = hash;
    auto engine = Engine(o);
    for (int i = 0; i < dimensions->value_count(); ++i) {
      const auto d =
          static_cast<v1::StatsDimension>(dimensions->value(i)->number());
      if (d == v1::STATS_DIMENSION_UNSPECIFIED) continue;
      for (const char* parent : {"institutions/-", "institutions/IEEPCO"}) {
        for (v1::StatsMeasure m :
             {v1::STATS_MEASURE_CASES, v1::STATS_MEASURE_DISTINCT_VICTIMS,
              v1::STATS_MEASURE_MEDIAN_DAYS_TO_FIRST_ACTION,
              v1::STATS_MEASURE_MEDIAN_DAYS_TO_REFERRAL_ACCEPTANCE}) {
          SCOPED_TRACE(absl::StrCat(dimensions->value(i)->name(), " ", parent,
                                    " ", v1::StatsMeasure_Name(m),
                                    hash ? " hash" : " SQL"));
          v1::StatsQueryRequest r = Request({d}, m);
          r.set_parent(parent);
          r.set_from_month("2025-01");
          r.set_to_month("2025-12");
          auto out = Run(*engine, r);
          // Twelve cases and women answer; a median over fewer than k
          // values (no referral was accepted) is refused by design.
          if (m == v1::STATS_MEASURE_CASES ||
              m == v1::STATS_MEASURE_DISTINCT_VICTIMS) {
            EXPECT_TRUE(out.ok()) << out.status();
          } else {
            EXPECT_TRUE(out.ok() || absl::IsFailedPrecondition(out.status()))
                << out.status();
          }
          if (out.ok()) EXPECT_GT(out->cells_size(), 0);
          // As a filter too (periods are not filters).
          if (d == v1::STATS_DIMENSION_MONTH ||
              d == v1::STATS_DIMENSION_QUARTER ||
              d == v1::STATS_DIMENSION_YEAR) {
            continue;
          }
          v1::StatsQueryRequest f = Request({}, m);
          f.set_parent(parent);
          v1::StatsFilter* filter = f.add_filters();
          filter->set_dimension(d);
          filter->add_values(FilterValue(d));
          auto filtered = Run(*engine, f);
          // A population below k is refused by design; anything else is a
          // bug.
          EXPECT_TRUE(filtered.ok() ||
                      absl::IsFailedPrecondition(filtered.status()))
              << filtered.status();
        }
      }
      // Under differential privacy (node-wide, one query per dimension).
      SCOPED_TRACE(absl::StrCat(dimensions->value(i)->name(), " epsilon"));
      v1::StatsQueryRequest r = Request({d});
      r.set_from_month("2025-01");
      r.set_to_month("2025-12");
      r.set_epsilon(1);
      if (d == v1::STATS_DIMENSION_MUNICIPALITY) continue;  // refused
      auto noisy = RunPrivate(*engine, r, Analyst("OBS"));
      EXPECT_TRUE(noisy.ok()) << noisy.status();
    }
  }
}

}  // namespace
}  // namespace resguardo::stats
