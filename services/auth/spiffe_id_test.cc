#include "services/auth/spiffe_id.h"

#include "base/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace resguardo::auth {
namespace {

using ::resguardo::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(SpiffeIdTest, ParsesInstitutionAndUser) {
  ASSERT_OK_AND_ASSIGN(
      PeerIdentity id,
      ParseSpiffeId("spiffe://resguardo.local/inst/IEEPCO/user/ana.lopez",
                    "resguardo.local"));
  EXPECT_EQ(id.institution, "IEEPCO");
  EXPECT_EQ(id.user, "ana.lopez");
  EXPECT_EQ(FormatSpiffeId("resguardo.local", id),
            "spiffe://resguardo.local/inst/IEEPCO/user/ana.lopez");
}

TEST(SpiffeIdTest, RefusesOtherTrustDomainsAndForms) {
  for (const char* uri : {
           "spiffe://other.domain/inst/IEEPCO/user/ana",
           "https://resguardo.local/inst/IEEPCO/user/ana",
           "spiffe://resguardo.local/inst/IEEPCO/user/",
           "spiffe://resguardo.local/inst/IEEPCO/user/ana/extra",
           "spiffe://resguardo.local/institution/IEEPCO/user/ana",
           "spiffe://resguardo.local/inst/ieepco/user/ana",
           "spiffe://resguardo.local/inst/IEEPCO/user/Ana",
           "spiffe://resguardo.local.evil/inst/IEEPCO/user/ana",
           "",
       }) {
    auto id = ParseSpiffeId(uri, "resguardo.local");
    EXPECT_THAT(id, StatusIs(absl::StatusCode::kUnauthenticated)) << uri;
    // The refusal does not repeat who the certificate names.
    EXPECT_THAT(id.status().message(), Not(HasSubstr("ana"))) << uri;
  }
}

}  // namespace
}  // namespace resguardo::auth
