#include "services/cases/case_transitions.h"

#include <optional>
#include <set>
#include <utility>

#include "base/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/api/error_catalogue.h"

namespace resguardo::cases {
namespace {

using ::resguardo::testing::IsOk;
using ::resguardo::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr auto kPv = v1::CASE_KIND_POLITICAL_VIOLENCE;
constexpr auto kGbv = v1::CASE_KIND_GBV;

TEST(CaseTransitionsTest, TheWholePoliticalViolenceRouteIsLegal) {
  const v1::CaseStatus route[] = {v1::CASE_STATUS_RECEIVED,
                                  v1::CASE_STATUS_PENDING_RATIFICATION,
                                  v1::CASE_STATUS_FIRST_CONTACT,
                                  v1::CASE_STATUS_ADMISSIBILITY,
                                  v1::CASE_STATUS_ADMITTED,
                                  v1::CASE_STATUS_INVESTIGATION,
                                  v1::CASE_STATUS_SENT_TO_COURT,
                                  v1::CASE_STATUS_RESOLVED,
                                  v1::CASE_STATUS_APPEALED,
                                  v1::CASE_STATUS_FINAL,
                                  v1::CASE_STATUS_REGISTERED,
                                  v1::CASE_STATUS_DELISTED,
                                  v1::CASE_STATUS_COMPLIANCE_MONITORING};
  for (size_t i = 0; i + 1 < std::size(route); ++i) {
    EXPECT_OK(CheckTransition(kPv, route[i], route[i + 1]))
        << v1::CaseStatus_Name(route[i]);
  }
}

TEST(CaseTransitionsTest, AdmissibilityEndsInThreeWays) {
  EXPECT_THAT(NextStatuses(kPv, v1::CASE_STATUS_ADMISSIBILITY),
              ElementsAre(v1::CASE_STATUS_DISMISSED, v1::CASE_STATUS_REROUTED,
                          v1::CASE_STATUS_ADMITTED));
}

TEST(CaseTransitionsTest, GbvCasesFollowTheShorterRoute) {
  EXPECT_OK(CheckTransition(kGbv, v1::CASE_STATUS_RECEIVED,
                            v1::CASE_STATUS_FIRST_CONTACT));
  EXPECT_THAT(NextStatuses(kGbv, v1::CASE_STATUS_FIRST_CONTACT), IsEmpty());
  EXPECT_THAT(CheckTransition(kGbv, v1::CASE_STATUS_FIRST_CONTACT,
                              v1::CASE_STATUS_ADMISSIBILITY),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("CASE_STATUS_FIRST_CONTACT to "
                                 "CASE_STATUS_ADMISSIBILITY")));
}

TEST(CaseTransitionsTest, SkippingStepsIsIllegalAndNamesBothStatuses) {
  EXPECT_THAT(
      CheckTransition(kPv, v1::CASE_STATUS_RECEIVED, v1::CASE_STATUS_RESOLVED),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               "a CASE_KIND_POLITICAL_VIOLENCE case cannot move from "
               "CASE_STATUS_RECEIVED to CASE_STATUS_RESOLVED"));
  EXPECT_THAT(
      CheckTransition(kPv, v1::CASE_STATUS_ADMITTED, v1::CASE_STATUS_RECEIVED),
      StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST(CaseTransitionsTest, ClosingAndReopeningAreNotUpdates) {
  for (int s = v1::CaseStatus_MIN; s <= v1::CaseStatus_MAX; ++s) {
    if (!v1::CaseStatus_IsValid(s) || s == v1::CASE_STATUS_CLOSED) continue;
    const auto status = static_cast<v1::CaseStatus>(s);
    EXPECT_THAT(CheckTransition(kPv, status, v1::CASE_STATUS_CLOSED),
                StatusIs(absl::StatusCode::kFailedPrecondition,
                         HasSubstr("use CloseCase")));
    EXPECT_THAT(CheckTransition(kPv, v1::CASE_STATUS_CLOSED, status),
                StatusIs(absl::StatusCode::kFailedPrecondition,
                         HasSubstr("use ReopenCase")));
  }
}

TEST(CaseTransitionsTest, StayingIsAlwaysAllowed) {
  EXPECT_TRUE(
      IsLegalTransition(kGbv, v1::CASE_STATUS_FINAL, v1::CASE_STATUS_FINAL));
}

auth::Principal As(std::set<v1::Role> roles) {
  return auth::Principal{"IEEPCO", "u", std::move(roles)};
}

TEST(CaseTransitionsTest, AllowedNextStatusesFollowTheCallersRoles) {
  const auto from = v1::CASE_STATUS_ADMISSIBILITY;
  // A registrar may not update, close or reopen: nothing.
  EXPECT_THAT(AllowedNextStatuses(As({v1::ROLE_REGISTRAR}), kPv, from, 0),
              IsEmpty());
  // A caseworker: the route (UpdateCase), not CLOSED (CloseCase).
  EXPECT_THAT(AllowedNextStatuses(As({v1::ROLE_CASEWORKER}), kPv, from, 0),
              ElementsAre(v1::CASE_STATUS_DISMISSED, v1::CASE_STATUS_REROUTED,
                          v1::CASE_STATUS_ADMITTED));
  // A supervisor: the route and CLOSED.
  EXPECT_THAT(AllowedNextStatuses(As({v1::ROLE_SUPERVISOR}), kPv, from, 0),
              ElementsAre(v1::CASE_STATUS_DISMISSED, v1::CASE_STATUS_REROUTED,
                          v1::CASE_STATUS_ADMITTED, v1::CASE_STATUS_CLOSED));
  // GBV: nothing beyond first contact but the closure.
  EXPECT_THAT(AllowedNextStatuses(As({v1::ROLE_SUPERVISOR}), kGbv,
                                  v1::CASE_STATUS_FIRST_CONTACT, 0),
              ElementsAre(v1::CASE_STATUS_CLOSED));
}

TEST(CaseTransitionsTest, AClosedCaseOnlyGoesBackWhereItWas) {
  const auto closed = v1::CASE_STATUS_CLOSED;
  const int64_t before = v1::CASE_STATUS_ADMITTED;
  EXPECT_THAT(
      AllowedNextStatuses(As({v1::ROLE_SUPERVISOR}), kPv, closed, before),
      ElementsAre(v1::CASE_STATUS_ADMITTED));
  EXPECT_THAT(
      AllowedNextStatuses(As({v1::ROLE_CASEWORKER}), kPv, closed, before),
      IsEmpty());
  // The same rules CloseCase and ReopenCase enforce.
  EXPECT_THAT(CheckClose(closed),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("already closed")));
  EXPECT_THAT(
      ReopenedStatus(v1::CASE_STATUS_ADMITTED, 0),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not closed")));
  EXPECT_THAT(ReopenedStatus(closed, v1::CASE_STATUS_CLOSED),
              StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(ReopenedStatus(closed, 9999),
              StatusIs(absl::StatusCode::kDataLoss));
  // A damaged before-closure status offers no reopening.
  EXPECT_THAT(AllowedNextStatuses(As({v1::ROLE_SUPERVISOR}), kPv, closed, 0),
              IsEmpty());
}

TEST(CaseTransitionsTest, OnlyTheRegistryRegistersAndDelistsACase) {
  // Legal on the route (the registry's SetRegistryStatus uses it) ...
  EXPECT_THAT(
      CheckTransition(kPv, v1::CASE_STATUS_FINAL, v1::CASE_STATUS_REGISTERED),
      IsOk());
  EXPECT_THAT(CheckTransition(kPv, v1::CASE_STATUS_REGISTERED,
                              v1::CASE_STATUS_DELISTED),
              IsOk());
  // ... but never a user's update, with the catalogue's text.
  for (auto [from, to] :
       {std::pair{v1::CASE_STATUS_FINAL, v1::CASE_STATUS_REGISTERED},
        std::pair{v1::CASE_STATUS_REGISTERED, v1::CASE_STATUS_DELISTED},
        std::pair{v1::CASE_STATUS_COMPLIANCE_MONITORING,
                  v1::CASE_STATUS_DELISTED}}) {
    absl::Status s = CheckUserTransition(kPv, from, to);
    EXPECT_THAT(s, StatusIs(absl::StatusCode::kFailedPrecondition,
                            HasSubstr("only by the registry")));
    std::optional<api::ErrorText> text = api::ErrorTextOf(s);
    ASSERT_TRUE(text.has_value());
    EXPECT_EQ(text->id(), api::ErrorId::kCaseStatusByRegistry);
  }
  // Other moves as before: legal ones pass, illegal ones name the move.
  EXPECT_THAT(CheckUserTransition(kPv, v1::CASE_STATUS_FINAL,
                                  v1::CASE_STATUS_COMPLIANCE_MONITORING),
              IsOk());
  absl::Status skip =
      CheckUserTransition(kPv, v1::CASE_STATUS_RECEIVED, v1::CASE_STATUS_FINAL);
  EXPECT_THAT(skip, StatusIs(absl::StatusCode::kFailedPrecondition));
  ASSERT_TRUE(api::ErrorTextOf(skip).has_value());
  EXPECT_EQ(api::ErrorTextOf(skip)->id(), api::ErrorId::kCaseTransition);
  // A supervisor is not offered them either.
  EXPECT_THAT(AllowedNextStatuses(As({v1::ROLE_SUPERVISOR}), kPv,
                                  v1::CASE_STATUS_FINAL, 0),
              ElementsAre(v1::CASE_STATUS_COMPLIANCE_MONITORING,
                          v1::CASE_STATUS_CLOSED));
}

// Issue 19: a case is REGISTERED while any of its registry entries is in
// force and DELISTED (by the node) when the last one ends; compliance
// monitoring comes after the delisting, never before.
TEST(CaseTransitionsTest, ARegisteredCaseLeavesOnlyByItsDelisting) {
  EXPECT_THAT(NextStatuses(kPv, v1::CASE_STATUS_REGISTERED),
              ElementsAre(v1::CASE_STATUS_DELISTED));
  EXPECT_THAT(NextStatuses(kPv, v1::CASE_STATUS_COMPLIANCE_MONITORING),
              IsEmpty());
  absl::Status s = CheckUserTransition(kPv, v1::CASE_STATUS_REGISTERED,
                                       v1::CASE_STATUS_COMPLIANCE_MONITORING);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kFailedPrecondition,
                          HasSubstr("in force")));
  ASSERT_TRUE(api::ErrorTextOf(s).has_value());
  EXPECT_EQ(api::ErrorTextOf(s)->id(), api::ErrorId::kCaseRegistryInForce);
  // Closing stays possible (CloseCase, from any status); nothing else.
  EXPECT_THAT(AllowedNextStatuses(As({v1::ROLE_SUPERVISOR}), kPv,
                                  v1::CASE_STATUS_REGISTERED, 0),
              ElementsAre(v1::CASE_STATUS_CLOSED));
  EXPECT_THAT(AllowedNextStatuses(As({v1::ROLE_SUPERVISOR}), kPv,
                                  v1::CASE_STATUS_DELISTED, 0),
              ElementsAre(v1::CASE_STATUS_COMPLIANCE_MONITORING,
                          v1::CASE_STATUS_CLOSED));
}

}  // namespace
}  // namespace resguardo::cases
