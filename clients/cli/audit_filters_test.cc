#include "clients/cli/audit_filters.h"

#include "base/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "resguardo/v1/admin_service.grpc.pb.h"
#include "resguardo/v1/audit_service.grpc.pb.h"
#include "resguardo/v1/case_service.grpc.pb.h"
#include "resguardo/v1/referral_service.grpc.pb.h"
#include "resguardo/v1/stats_service.grpc.pb.h"

namespace resguardo::cli {
namespace {

using ::resguardo::testing::StatusIs;

TEST(AuditFiltersTest, AMethodByItsShortName) {
  // Issue 20 item 5: --method GetCase matched nothing.
  for (const char* typed :
       {"GetCase", "getcase", "CaseService/GetCase",
        "resguardo.v1.CaseService.GetCase", "/resguardo.v1.CaseService/GetCase",
        " casesERVICE/GetCase "}) {
    ASSERT_THAT(FullMethodName(typed), ::resguardo::testing::IsOk()) << typed;
    EXPECT_EQ(*FullMethodName(typed), "/resguardo.v1.CaseService/GetCase")
        << typed;
  }
  EXPECT_EQ(*FullMethodName("ListAlerts"),
            "/resguardo.v1.ReferralService/ListAlerts");
  EXPECT_THAT(FullMethodName("BorrarTodo"),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(FullMethodName("StatsService/GetCase"),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(AuditFiltersTest, AFolioIsTheCasesResourceName) {
  EXPECT_EQ(ResourceFilter("ieepco-2026-5"),
            "institutions/IEEPCO/cases/IEEPCO-2026-000005");
  EXPECT_EQ(ResourceFilter("institutions/IEEPCO/referrals/3"),
            "institutions/IEEPCO/referrals/3");
}

TEST(AuditFiltersTest, AnOutcomeByNameOrNumber) {
  EXPECT_EQ(*OutcomeCode("not-found"), 5);
  EXPECT_EQ(*OutcomeCode("PERMISSION_DENIED"), 7);
  EXPECT_EQ(*OutcomeCode("ok"), 0);
  EXPECT_EQ(*OutcomeCode("16"), 16);
  EXPECT_THAT(OutcomeCode("17"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(OutcomeCode("denegado"), StatusIs(absl::StatusCode::kNotFound));
  for (int code = 0; code <= 16; ++code) {
    EXPECT_EQ(*OutcomeCode(OutcomeName(code)), code);
  }
}

}  // namespace
}  // namespace resguardo::cli
