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
