#include "clients/cli/resource_names.h"

#include "base/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace resguardo::cli {
namespace {

using ::resguardo::testing::StatusIs;
using ::testing::Eq;

TEST(ResourceNamesTest, AFolioNamesItsInstitution) {
  EXPECT_THAT(CaseNameFromArg("IEEPCO-2026-000123"),
              ::resguardo::testing::IsOk());
  EXPECT_EQ(*CaseNameFromArg("IEEPCO-2026-000123"),
            "institutions/IEEPCO/cases/IEEPCO-2026-000123");
  // Institution ids may hold '-'.
  EXPECT_EQ(*CaseNameFromArg("FGEO-FEVPRG-2026-000004"),
            "institutions/FGEO-FEVPRG/cases/FGEO-FEVPRG-2026-000004");
  EXPECT_EQ(*CaseNameFromArg("institutions/INE/cases/INE-2026-000001"),
            "institutions/INE/cases/INE-2026-000001");
}

TEST(ResourceNamesTest, RefusesWhatIsNotAFolio) {
  for (const char* arg :
       {"", "IEEPCO", "IEEPCO-000123", "-2026-000001", "IEEPCO-26-000001",
        "IEEPCO-2026-", "institutions/X", "institutions/X/users/Y"}) {
    EXPECT_THAT(CaseNameFromArg(arg),
                StatusIs(absl::StatusCode::kInvalidArgument))
        << arg;
  }
}

TEST(ResourceNamesTest, AFolioIsWrittenAsTheNodeWritesIt) {
  // Issue 20 item 6: lower case and unpadded numbers name the same case.
  for (const char* arg : {"ieepco-2026-000005", "IEEPCO-2026-5",
                          "Ieepco-2026-05", " ieepco-2026-0000005 "}) {
    ASSERT_THAT(CaseNameFromArg(arg), ::resguardo::testing::IsOk()) << arg;
    EXPECT_EQ(*CaseNameFromArg(arg),
              "institutions/IEEPCO/cases/IEEPCO-2026-000005")
        << arg;
  }
  EXPECT_EQ(*CaseNameFromArg("fgeo-fevprg-2026-1234567"),
            "institutions/FGEO-FEVPRG/cases/FGEO-FEVPRG-2026-1234567");
  EXPECT_THAT(CaseNameFromArg("IEEPCO-2026-1234567890123"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ResourceNamesTest, AReferralNumberIsInTheCallersInstitution) {
  EXPECT_EQ(*ReferralNameFromArg("2", "IEEPCO"),
            "institutions/IEEPCO/referrals/2");
  EXPECT_EQ(*ReferralNameFromArg(" 17 ", "IEEPCO"),
            "institutions/IEEPCO/referrals/17");
  EXPECT_EQ(*ReferralNameFromArg("institutions/IEEPCO/referrals/3", "FGEO"),
            "institutions/IEEPCO/referrals/3");
  for (const char* arg : {"", "dos", "-2", "2a", "institutions/IEEPCO/cases/3",
                          "institutions/IEEPCO/referrals"}) {
    EXPECT_THAT(ReferralNameFromArg(arg, "IEEPCO"),
                StatusIs(absl::StatusCode::kInvalidArgument))
        << arg;
  }
}

TEST(ResourceNamesTest, UsersAreInTheGivenInstitution) {
  EXPECT_EQ(*UserNameFromArg("ana.lopez", "IEEPCO"),
            "institutions/IEEPCO/users/ana.lopez");
  EXPECT_EQ(*UserNameFromArg("institutions/INE/users/bea", "IEEPCO"),
            "institutions/INE/users/bea");
  EXPECT_THAT(UserNameFromArg("a/b", "IEEPCO"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace resguardo::cli
