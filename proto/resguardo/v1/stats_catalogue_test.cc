#include "proto/resguardo/v1/stats_catalogue.h"

#include "gtest/gtest.h"
#include "resguardo/v1/catalogues.pb.h"
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
        v1::STATS_DIMENSION_DAYS_TO_FIRST_ACTION}) {
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

}  // namespace
}  // namespace resguardo
