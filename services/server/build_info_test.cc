#include "services/server/build_info.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace resguardo::server {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

TEST(BuildInfoTest, NamesEveryComponentWithItsVersion) {
  std::string info = BuildInfo();
  EXPECT_THAT(info, HasSubstr(std::string("resguardod ") + Version()));
  EXPECT_THAT(info, HasSubstr("OpenSSL 3."));
  EXPECT_THAT(info, HasSubstr("gRPC      1.51"));
  EXPECT_THAT(info, HasSubstr("protobuf  3.21"));
}

TEST(BuildInfoTest, LinksARealSqlCipherNotPlainSqlite) {
  // A plain SQLite answers the pragma with no row: the database would be
  // written unencrypted.
  EXPECT_THAT(BuildInfo(),
              MatchesRegex("(.|\n)*SQLCipher [0-9]+\\.[0-9]+(.|\n)*"));
}

}  // namespace
}  // namespace resguardo::server
