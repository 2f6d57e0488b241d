#include "services/cases/measure_transitions.h"

#include "base/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace resguardo::cases {
namespace {

using ::resguardo::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr auto kRequested = v1::PROTECTION_MEASURE_STATUS_REQUESTED;
constexpr auto kInForce = v1::PROTECTION_MEASURE_STATUS_IN_FORCE;
constexpr auto kExtended = v1::PROTECTION_MEASURE_STATUS_EXTENDED;
constexpr auto kExpired = v1::PROTECTION_MEASURE_STATUS_EXPIRED;
constexpr auto kRevoked = v1::PROTECTION_MEASURE_STATUS_REVOKED;
constexpr auto kBreached = v1::PROTECTION_MEASURE_STATUS_BREACHED;

auth::Principal As(v1::Role role) {
  return auth::Principal{"IEEPCO", "u", {role}};
}

TEST(MeasureTransitionsTest, TheTable) {
  const auto caseworker = As(v1::ROLE_CASEWORKER);
  const auto open = v1::CASE_STATUS_ADMITTED;
  EXPECT_THAT(AllowedNextMeasureStatuses(caseworker, open, kRequested, false),
              ElementsAre(kInForce, kRevoked));
  EXPECT_THAT(AllowedNextMeasureStatuses(caseworker, open, kInForce, true),
              ElementsAre(kExtended, kExpired, kRevoked, kBreached));
  EXPECT_THAT(AllowedNextMeasureStatuses(caseworker, open, kExtended, true),
              ElementsAre(kExtended, kExpired, kRevoked, kBreached));
  EXPECT_THAT(AllowedNextMeasureStatuses(caseworker, open, kBreached, true),
              ElementsAre(kExpired, kRevoked));
  EXPECT_THAT(AllowedNextMeasureStatuses(caseworker, open, kExpired, true),
              IsEmpty());
  EXPECT_THAT(AllowedNextMeasureStatuses(caseworker, open, kRevoked, true),
              IsEmpty());
}

TEST(MeasureTransitionsTest, AnIndefiniteMeasureIsNotExtended) {
  EXPECT_THAT(AllowedNextMeasureStatuses(As(v1::ROLE_SUPERVISOR),
                                         v1::CASE_STATUS_RECEIVED, kInForce,
                                         /*has_expiry=*/false),
              ElementsAre(kExpired, kRevoked, kBreached));
  EXPECT_THAT(CheckMeasureTransition(kInForce, kExtended, false),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("without an expiry")));
}

TEST(MeasureTransitionsTest, RefusalsNameBothStatuses) {
  EXPECT_THAT(CheckMeasureTransition(kRevoked, kInForce, true),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("PROTECTION_MEASURE_STATUS_REVOKED to "
                                 "PROTECTION_MEASURE_STATUS_IN_FORCE")));
  // Staying is not a change (but a further extension is).
  EXPECT_THAT(CheckMeasureTransition(kInForce, kInForce, true),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_TRUE(CheckMeasureTransition(kExtended, kExtended, true).ok());
}

TEST(MeasureTransitionsTest, NothingForARoleWithoutTheMethodOrAClosedCase) {
  EXPECT_THAT(
      AllowedNextMeasureStatuses(As(v1::ROLE_REGISTRAR),
                                 v1::CASE_STATUS_RECEIVED, kInForce, true),
      IsEmpty());
  EXPECT_THAT(
      AllowedNextMeasureStatuses(As(v1::ROLE_SUPERVISOR),
                                 v1::CASE_STATUS_CLOSED, kInForce, true),
      IsEmpty());
}

}  // namespace
}  // namespace resguardo::cases
