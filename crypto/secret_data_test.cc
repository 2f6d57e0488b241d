#include "crypto/secret_data.h"

#include <set>
#include <sstream>
#include <string>
#include <utility>

#include "base/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace resguardo::crypto {
namespace {

using ::resguardo::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(SecretDataTest, EqualBytesAreEqual) {
  SecretData a("0123456789abcdef");
  SecretData b("0123456789abcdef");
  EXPECT_TRUE(a.Equals(b));
  EXPECT_TRUE(b.Equals(a));
}

TEST(SecretDataTest, DifferentBytesAreUnequal) {
  SecretData a("0123456789abcdef");
  // Differ in the first byte, in the last byte, in every byte.
  EXPECT_FALSE(a.Equals(SecretData("X123456789abcdef")));
  EXPECT_FALSE(a.Equals(SecretData("0123456789abcdeX")));
  EXPECT_FALSE(a.Equals(SecretData("XXXXXXXXXXXXXXXX")));
}

TEST(SecretDataTest, DifferentSizesAreUnequalEvenWithCommonPrefix) {
  SecretData a("0123456789abcdef");
  EXPECT_FALSE(a.Equals(SecretData("0123456789abcde")));
  EXPECT_FALSE(a.Equals(SecretData("0123456789abcdef0")));
  EXPECT_FALSE(a.Equals(SecretData()));
  EXPECT_TRUE(SecretData().Equals(SecretData("")));
}

TEST(SecretDataTest, ConstantTimeEqualsComparesWholeStrings) {
  EXPECT_TRUE(ConstantTimeEquals("tag-bytes", "tag-bytes"));
  EXPECT_FALSE(ConstantTimeEquals("tag-bytes", "tag-bytez"));
  EXPECT_FALSE(ConstantTimeEquals("tag-bytes", "tag-byte"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(
      ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0b", 3)));
  EXPECT_FALSE(
      ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0c", 3)));
}

TEST(SecretDataTest, MoveConstructionEmptiesSource) {
  SecretData a("key material");
  SecretData b(std::move(a));
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): the contract.
  EXPECT_EQ(a.size(), 0u);
  EXPECT_TRUE(a.UnsafeRawBytes().empty());
  EXPECT_EQ(b.UnsafeRawBytes(), "key material");
}

TEST(SecretDataTest, MoveAssignmentEmptiesSourceAndReplacesTarget) {
  SecretData a("new key");
  SecretData b("old key, longer");
  b = std::move(a);
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(b.UnsafeRawBytes(), "new key");
  EXPECT_EQ(b.size(), 7u);
}

TEST(SecretDataTest, SelfMoveAssignmentKeepsBytes) {
  SecretData a("key");
  SecretData& alias = a;
  a = std::move(alias);
  EXPECT_EQ(a.UnsafeRawBytes(), "key");
}

TEST(SecretDataTest, DestroyEmptiesAndCanBeRepeated) {
  SecretData a("key material");
  a.Destroy();
  EXPECT_TRUE(a.empty());
  EXPECT_TRUE(a.UnsafeRawBytes().empty());
  EXPECT_FALSE(a.Equals(SecretData("key material")));
  a.Destroy();
  EXPECT_TRUE(a.empty());
}

TEST(SecretDataTest, CloneIsEqualAndIndependent) {
  SecretData a("key material");
  SecretData b = a.Clone();
  EXPECT_TRUE(a.Equals(b));
  a.Destroy();
  EXPECT_EQ(b.UnsafeRawBytes(), "key material");
}

TEST(SecretDataTest, PrintsRedacted) {
  SecretData a("VERY-SECRET-KEY");
  std::ostringstream os;
  os << a;
  EXPECT_EQ(os.str(), "<redacted>");
  EXPECT_THAT(::testing::PrintToString(a), Not(HasSubstr("VERY-SECRET")));
}

TEST(SecretDataTest, RandomHasRequestedSize) {
  for (size_t size : {0, 1, 16, 32, 64, 4096}) {
    ASSERT_OK_AND_ASSIGN(SecretData r, SecretData::Random(size));
    EXPECT_EQ(r.size(), size);
  }
}

TEST(SecretDataTest, RandomValuesDiffer) {
  std::set<std::string> seen;
  for (int i = 0; i < 64; ++i) {
    ASSERT_OK_AND_ASSIGN(SecretData r, SecretData::Random(32));
    seen.insert(std::string(r.UnsafeRawBytes()));
  }
  EXPECT_EQ(seen.size(), 64u);
}

TEST(SecretDataTest, RandomRefusesSizeBeyondRngLimit) {
  EXPECT_THAT(
      SecretData::Random(size_t{1} << 31),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("too large")));
}

TEST(SecretDataTest, MutableDataWritesInPlace) {
  SecretData a(std::string(4, '\0'));
  a.UnsafeMutableData()[0] = 'k';
  EXPECT_EQ(a.UnsafeRawBytes(), std::string("k\0\0\0", 4));
}

}  // namespace
}  // namespace resguardo::crypto
