#include "proto/resguardo/v1/stats_catalogue.h"

#include "gtest/gtest.h"
#include "resguardo/v1/catalogues.pb.h"
#include "resguardo/v1/labels.pb.h"
#include "resguardo/v1/referral_service.pb.h"
#include "resguardo/v1/stats_options.pb.h"
#include "resguardo/v1/stats_service.pb.h"

namespace resguardo {
namespace {

TEST(StatsCatalogueTest, StatsDimensionsNameTheirCataloguesInTheDescriptors) {
  EXPECT_EQ(StatsDimensionCatalogue(v1::STATS_DIMENSION_CASE_KIND),
            v1::CaseKind_descriptor());
  EXPECT_EQ(StatsDimensionCatalogue(v1::STATS_DIMENSION_STATUS),
            v1::CaseStatus_descriptor());
  EXPECT_EQ(StatsDimensionCatalogue(v1::STATS_DIMENSION_REFERRAL_SERVICE),
            v1::ReferralServiceKind_descriptor());
  EXPECT_EQ(StatsDimensionCatalogue(v1::STATS_DIMENSION_REFERRAL_STATUS),
            v1::ReferralStatus_descriptor());
  for (v1::StatsDimension plain :
       {v1::STATS_DIMENSION_UNSPECIFIED, v1::STATS_DIMENSION_MONTH,
        v1::STATS_DIMENSION_QUARTER, v1::STATS_DIMENSION_YEAR,
        v1::STATS_DIMENSION_STATE, v1::STATS_DIMENSION_MUNICIPALITY,
        v1::STATS_DIMENSION_DAYS_TO_FIRST_ACTION,
        v1::STATS_DIMENSION_DAYS_TO_RESOLUTION}) {
    EXPECT_EQ(StatsDimensionCatalogue(plain), nullptr)
        << v1::StatsDimension_Name(plain);
  }
  EXPECT_EQ(StatsDimensionCatalogue(999), nullptr);
  // A misspelt option would silently show raw names: every one resolves.
  const auto* dimensions = v1::StatsDimension_descriptor();
  for (int i = 0; i < dimensions->value_count(); ++i) {
    const auto* value = dimensions->value(i);
    if (!value->options().HasExtension(v1::stats_catalogue)) continue;
    EXPECT_NE(StatsDimensionCatalogue(value->number()), nullptr)
        << value->name();
  }
}

TEST(StatsCatalogueTest, BucketedDimensionsListTheirBucketsInOrder) {
  const std::vector<std::string> first_action = {"none", "0",    "1-2",
                                                 "3-7",  "8-30", "31+"};
  EXPECT_EQ(StatsDimensionBuckets(v1::STATS_DIMENSION_DAYS_TO_FIRST_ACTION),
            first_action);
  const std::vector<std::string> resolution = {"none",   "0-30",    "31-90",
                                               "91-180", "181-365", "366+"};
  EXPECT_EQ(StatsDimensionBuckets(v1::STATS_DIMENSION_DAYS_TO_RESOLUTION),
            resolution);
  EXPECT_TRUE(StatsDimensionBuckets(v1::STATS_DIMENSION_STATUS).empty());
  EXPECT_TRUE(StatsDimensionBuckets(999).empty());
  // A dimension has a catalogue or buckets, never both.
  const auto* dimensions = v1::StatsDimension_descriptor();
  for (int i = 0; i < dimensions->value_count(); ++i) {
    const int d = dimensions->value(i)->number();
    EXPECT_FALSE(StatsDimensionCatalogue(d) != nullptr &&
                 !StatsDimensionBuckets(d).empty())
        << dimensions->value(i)->name();
  }
}

TEST(StatsCatalogueTest, UnrecordedLabelsSayWhatNotRecordedMeans) {
  const v1::Label* pending =
      StatsDimensionUnrecordedLabel(v1::STATS_DIMENSION_RESOLUTION_OUTCOME);
  ASSERT_NE(pending, nullptr);
  EXPECT_EQ(pending->es(), "Pendiente (sin resolución)");
  EXPECT_EQ(pending->en(), "Pending (no resolution)");
  EXPECT_NE(
      StatsDimensionUnrecordedLabel(v1::STATS_DIMENSION_DAYS_TO_RESOLUTION),
      nullptr);
  EXPECT_EQ(StatsDimensionUnrecordedLabel(v1::STATS_DIMENSION_RISK_LEVEL),
            nullptr);
  EXPECT_EQ(StatsDimensionUnrecordedLabel(999), nullptr);
  // Spanish first, English second: both, wherever one is given.
  const auto* dimensions = v1::StatsDimension_descriptor();
  for (int i = 0; i < dimensions->value_count(); ++i) {
    const v1::Label* l =
        StatsDimensionUnrecordedLabel(dimensions->value(i)->number());
    if (l == nullptr) continue;
    EXPECT_FALSE(l->es().empty()) << dimensions->value(i)->name();
    EXPECT_FALSE(l->en().empty()) << dimensions->value(i)->name();
  }
}

}  // namespace
}  // namespace resguardo
