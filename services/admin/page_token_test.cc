#include "services/admin/page_token.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace resguardo::admin {
namespace {

using ::testing::Eq;
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

}  // namespace
}  // namespace resguardo::admin
