#include "crypto/hkdf.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/testing/status_matchers.h"
#include "crypto/secret_data.h"
#include "crypto/testing/test_vectors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace resguardo::crypto {
namespace {

using ::resguardo::crypto::testing::HexToBytes;
using ::resguardo::crypto::testing::ReadJson;
using ::resguardo::testing::StatusIs;
using ::testing::HasSubstr;

struct HkdfVector {
  int tc_id = 0;
  std::string comment;
  std::string ikm, salt, info, okm;
  size_t size = 0;
  bool valid = false;
};

std::vector<HkdfVector> LoadHkdfVectors() {
  std::vector<HkdfVector> out;
  auto json = ReadJson("wycheproof/hkdf_sha256_test.json");
  if (!json.ok()) return out;  // the count test reports it
  for (const auto& group : (*json)["testGroups"]) {
    for (const auto& t : group["tests"]) {
      HkdfVector v;
      v.tc_id = t["tcId"].get<int>();
      v.comment = t["comment"].get<std::string>();
      v.ikm = HexToBytes(t["ikm"].get<std::string>());
      v.salt = HexToBytes(t["salt"].get<std::string>());
      v.info = HexToBytes(t["info"].get<std::string>());
      v.okm = HexToBytes(t["okm"].get<std::string>());
      v.size = t["size"].get<size_t>();
      v.valid = t["result"].get<std::string>() == "valid";
      out.push_back(std::move(v));
    }
  }
  return out;
}

const std::vector<HkdfVector>& AllHkdfVectors() {
  static const auto* vectors = new std::vector<HkdfVector>(LoadHkdfVectors());
  return *vectors;
}

// Computed once from wycheproof/hkdf_sha256_test.json (numberOfTests: 86):
// 83 valid, 3 invalid (tcId 25, 48, 74: output size 8161 > 255 * 32).
constexpr int kTotalVectors = 86;
constexpr int kInvalidVectors = 3;

TEST(HkdfWycheproofTest, RunsEveryVectorInTheFile) {
  ASSERT_OK(ReadJson("wycheproof/hkdf_sha256_test.json").status());
  int invalid = 0;
  for (const HkdfVector& v : AllHkdfVectors()) invalid += v.valid ? 0 : 1;
  EXPECT_EQ(AllHkdfVectors().size(), kTotalVectors);
  EXPECT_EQ(invalid, kInvalidVectors);
}

class HkdfWycheproofVectorTest : public ::testing::TestWithParam<HkdfVector> {};

TEST_P(HkdfWycheproofVectorTest, MatchesExpectedResult) {
  const HkdfVector& v = GetParam();
  SCOPED_TRACE(absl::StrCat("tcId ", v.tc_id, " ", v.comment));
  absl::StatusOr<SecretData> okm =
      HkdfSha256(SecretData(v.ikm), v.salt, v.info, v.size);
  if (v.valid) {
    ASSERT_OK(okm.status());
    EXPECT_TRUE(okm->Equals(SecretData(v.okm))) << "output differs";
  } else {
    EXPECT_THAT(okm, StatusIs(absl::StatusCode::kInvalidArgument,
                              HasSubstr("output size must be in [1, 8160]")));
  }
}

INSTANTIATE_TEST_SUITE_P(Wycheproof, HkdfWycheproofVectorTest,
                         ::testing::ValuesIn(AllHkdfVectors()),
                         [](const ::testing::TestParamInfo<HkdfVector>& info) {
                           return absl::StrCat("tc", info.param.tc_id);
                         });

TEST(HkdfTest, RefusesZeroOutputSize) {
  EXPECT_THAT(HkdfSha256(SecretData(std::string(32, 'k')), "", "", 0),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("got 0")));
}

TEST(HkdfTest, AcceptsMaximalOutputSize) {
  ASSERT_OK_AND_ASSIGN(SecretData out,
                       HkdfSha256(SecretData(std::string(32, 'k')), "s", "i",
                                  kHkdfSha256MaxOutputSize));
  EXPECT_EQ(out.size(), 8160u);
}

TEST(HkdfTest, RefusesOversizedInfo) {
  EXPECT_THAT(HkdfSha256(SecretData(std::string(32, 'k')), "",
                         std::string(1025, 'i'), 32),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("info must be at most 1024 bytes")));
}

TEST(HkdfTest, EmptySaltEqualsHashLengthOfZeros) {
  const SecretData ikm(std::string(32, 'k'));
  ASSERT_OK_AND_ASSIGN(SecretData a, HkdfSha256(ikm, "", "info", 32));
  ASSERT_OK_AND_ASSIGN(SecretData b,
                       HkdfSha256(ikm, std::string(32, '\0'), "info", 32));
  EXPECT_TRUE(a.Equals(b));
}

TEST(HkdfTest, DifferentInfoGivesDifferentKeys) {
  const SecretData ikm(std::string(32, 'k'));
  ASSERT_OK_AND_ASSIGN(SecretData a, HkdfSha256(ikm, "", "a", 32));
  ASSERT_OK_AND_ASSIGN(SecretData b, HkdfSha256(ikm, "", "b", 32));
  EXPECT_FALSE(a.Equals(b));
}

}  // namespace
}  // namespace resguardo::crypto
