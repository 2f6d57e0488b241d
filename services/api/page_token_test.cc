#include "services/api/page_token.h"

#include <string>

#include "absl/strings/string_view.h"
#include "base/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace resguardo::api {
namespace {

using ::resguardo::testing::StatusIs;
using ::testing::Eq;
using ::testing::HasSubstr;
using ::testing::Optional;

TEST(PageTokenTest, RoundTripsInItsScope) {
  const std::string token = EncodePageToken("ListCases\nIEEPCO", "12345");
  EXPECT_THAT(DecodePageToken(token, "ListCases\nIEEPCO"),
              Optional(Eq("12345")));
}

TEST(PageTokenTest, AnotherScopeIsRefused) {
  const std::string token = EncodePageToken("ListCases\nIEEPCO", "12345");
  EXPECT_EQ(DecodePageToken(token, "ListCases\nFGEO"), std::nullopt);
}

TEST(PageTokenTest, MalformedTokensAreRefused) {
  const std::string token = EncodePageToken("s", "p");
  EXPECT_EQ(DecodePageToken("", "s"), std::nullopt);
  EXPECT_EQ(DecodePageToken("not base64!", "s"), std::nullopt);
  EXPECT_EQ(DecodePageToken(token + "=", "s"), std::nullopt);
  EXPECT_EQ(DecodePageToken(token.substr(0, 10), "s"), std::nullopt);
  EXPECT_EQ(DecodePageToken(std::string(kMaxPageTokenSize + 4, 'A'), "s"),
            std::nullopt);
  std::string flipped = token;
  flipped[3] = flipped[3] == 'A' ? 'B' : 'A';
  EXPECT_EQ(DecodePageToken(flipped, "s"), std::nullopt);
}

TEST(PageTokenTest, ATokenOfAnotherQueryIsNamedAsSuch) {
  const std::string token = EncodePageToken("ListCases\nIEEPCO", "12345");
  EXPECT_EQ(PageTokenViolation(token, "ListCases\nFGEO"),
            ErrorId::kPageTokenOfAnotherQuery);
  EXPECT_EQ(PageTokenViolation("not base64!", "ListCases\nFGEO"),
            ErrorId::kPageTokenForm);
  EXPECT_EQ(PageTokenViolation(token.substr(0, 10), "ListCases\nIEEPCO"),
            ErrorId::kPageTokenForm);
}

bool IsLowercase(absl::string_view id) {
  return !id.empty() && id.find_first_not_of("abcdefghijklmnopqrstuvwxyz") ==
                            absl::string_view::npos;
}

TEST(PageTokenTest, IdPositionsAreCheckedBeforeUse) {
  ASSERT_OK_AND_ASSIGN(std::string first,
                       DecodeIdPosition("", "s", IsLowercase));
  EXPECT_EQ(first, "");
  ASSERT_OK_AND_ASSIGN(
      std::string after,
      DecodeIdPosition(EncodePageToken("s", "abc"), "s", IsLowercase));
  EXPECT_EQ(after, "abc");
  EXPECT_THAT(
      DecodeIdPosition(EncodePageToken("s", "ABC"), "s", IsLowercase),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")));
  EXPECT_THAT(
      DecodeIdPosition(EncodePageToken("t", "abc"), "s", IsLowercase),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")));
  EXPECT_THAT(DecodeIdPosition("not base64!", "s", IsLowercase),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(PageSizeTest, AboveTheMaximumIsCoercedToIt) {
  EXPECT_EQ(EffectivePageSize(0, 50, 500), 50);
  EXPECT_EQ(EffectivePageSize(1, 50, 500), 1);
  EXPECT_EQ(EffectivePageSize(500, 50, 500), 500);
  EXPECT_EQ(EffectivePageSize(501, 50, 500), 500);
  EXPECT_EQ(EffectivePageSize(INT32_MAX, 50, 500), 500);
}

}  // namespace
}  // namespace resguardo::api
