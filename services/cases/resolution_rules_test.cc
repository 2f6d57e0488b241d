#include "services/cases/resolution_rules.h"

#include "base/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/api/error_catalogue.h"

namespace resguardo::cases {
namespace {

using ::resguardo::testing::IsOk;
using ::resguardo::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr auto kFailed = absl::StatusCode::kFailedPrecondition;

api::ErrorId Why(const absl::Status& s) {
  std::optional<api::ErrorText> text = api::ErrorTextOf(s);
  return text ? text->id() : api::ErrorId::kCount;
}

TEST(ResolutionRulesTest, TheRouteNeedsItsRecords) {
  CurrentResolution none;
  CurrentResolution recorded{true, false, false,
                             v1::APPEAL_OUTCOME_UNSPECIFIED};
  CurrentResolution pending{true, false, true, v1::APPEAL_OUTCOME_PENDING};
  CurrentResolution final_one{true, true, true, v1::APPEAL_OUTCOME_CONFIRMED};
  const auto sent = v1::CASE_STATUS_SENT_TO_COURT;
  EXPECT_EQ(Why(CheckRouteRecords(sent, v1::CASE_STATUS_RESOLVED, none)),
            api::ErrorId::kRouteNeedsResolution);
  EXPECT_THAT(CheckRouteRecords(sent, v1::CASE_STATUS_RESOLVED, recorded),
              IsOk());
  // After an appeal, RESOLVED needs the new resolution.
  EXPECT_THAT(CheckRouteRecords(v1::CASE_STATUS_APPEALED,
                                v1::CASE_STATUS_RESOLVED, pending),
              StatusIs(kFailed));
  EXPECT_EQ(Why(CheckRouteRecords(v1::CASE_STATUS_RESOLVED,
                                  v1::CASE_STATUS_APPEALED, recorded)),
            api::ErrorId::kRouteNeedsAppeal);
  EXPECT_THAT(CheckRouteRecords(v1::CASE_STATUS_RESOLVED,
                                v1::CASE_STATUS_APPEALED, pending),
              IsOk());
  EXPECT_EQ(Why(CheckRouteRecords(v1::CASE_STATUS_APPEALED,
                                  v1::CASE_STATUS_FINAL, pending)),
            api::ErrorId::kRouteNeedsFinalDate);
  EXPECT_THAT(CheckRouteRecords(v1::CASE_STATUS_APPEALED, v1::CASE_STATUS_FINAL,
                                final_one),
              IsOk());
  // Staying, and moves the records do not govern, pass.
  EXPECT_THAT(
      CheckRouteRecords(v1::CASE_STATUS_FINAL, v1::CASE_STATUS_FINAL, none),
      IsOk());
}

TEST(ResolutionRulesTest, ANewResolutionOnlyAtCourtOrAfterARevocation) {
  CurrentResolution none;
  CurrentResolution remanded{true, false, true, v1::APPEAL_OUTCOME_REMANDED};
  CurrentResolution confirmed{true, false, true, v1::APPEAL_OUTCOME_CONFIRMED};
  const auto pv = v1::CASE_KIND_POLITICAL_VIOLENCE;
  EXPECT_THAT(CheckAddResolution(pv, v1::CASE_STATUS_SENT_TO_COURT, none),
              IsOk());
  EXPECT_EQ(Why(CheckAddResolution(v1::CASE_KIND_GBV,
                                   v1::CASE_STATUS_SENT_TO_COURT, none)),
            api::ErrorId::kResolutionPoliticalViolenceOnly);
  EXPECT_EQ(Why(CheckAddResolution(pv, v1::CASE_STATUS_ADMITTED, none)),
            api::ErrorId::kResolutionNotNow);
  EXPECT_THAT(CheckAddResolution(pv, v1::CASE_STATUS_APPEALED, remanded),
              IsOk());
  EXPECT_THAT(CheckAddResolution(pv, v1::CASE_STATUS_APPEALED, confirmed),
              StatusIs(kFailed));
  // A revoked resolution is neither appealed again nor final.
  EXPECT_EQ(Why(CheckSetFinal(true, remanded)),
            api::ErrorId::kResolutionRevoked);
  EXPECT_EQ(Why(CheckFileAppeal(false, confirmed)),
            api::ErrorId::kResolutionNotCurrent);
}

TEST(ResolutionRulesTest, ReparationMeasuresOnlyOnTheCurrentResolution) {
  EXPECT_THAT(CheckAddReparation(true), IsOk());
  EXPECT_EQ(Why(CheckAddReparation(false)),
            api::ErrorId::kResolutionNotCurrent);
}

TEST(ResolutionRulesTest, ComplianceMovesAlongItsTable) {
  using S = v1::ReparationComplianceStatus;
  const S pending = v1::REPARATION_COMPLIANCE_STATUS_PENDING;
  const S partly = v1::REPARATION_COMPLIANCE_STATUS_PARTIALLY_COMPLIED;
  const S complied = v1::REPARATION_COMPLIANCE_STATUS_COMPLIED;
  const S not_complied = v1::REPARATION_COMPLIANCE_STATUS_NOT_COMPLIED;
  EXPECT_THAT(CheckReparationTransition(pending, complied), IsOk());
  EXPECT_THAT(CheckReparationTransition(not_complied, partly), IsOk());
  EXPECT_EQ(Why(CheckReparationTransition(complied, pending)),
            api::ErrorId::kReparationTransition);
  EXPECT_THAT(CheckReparationTransition(pending, pending), StatusIs(kFailed));
  const auth::Principal caseworker{"IEEPCO", "cw", {v1::ROLE_CASEWORKER}};
  const auth::Principal registrar{"IEEPCO", "reg", {v1::ROLE_REGISTRAR}};
  EXPECT_THAT(
      AllowedNextReparationStatuses(caseworker, v1::CASE_STATUS_FINAL, partly),
      ElementsAre(complied, not_complied));
  EXPECT_THAT(
      AllowedNextReparationStatuses(registrar, v1::CASE_STATUS_FINAL, pending),
      IsEmpty());
  EXPECT_THAT(AllowedNextReparationStatuses(caseworker, v1::CASE_STATUS_CLOSED,
                                            pending),
              IsEmpty());
}

}  // namespace
}  // namespace resguardo::cases
