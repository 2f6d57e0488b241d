#include "crypto/ed25519.h"

#include <string>
#include <vector>

#include "base/testing/status_matchers.h"
#include "crypto/secret_data.h"
#include "crypto/testing/test_vectors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace resguardo::crypto {
namespace {

using ::resguardo::crypto::testing::HexToBytes;
using ::resguardo::crypto::testing::ReadJson;
using ::resguardo::testing::IsOk;
using ::resguardo::testing::StatusIs;
using ::testing::AnyOf;
using ::testing::HasSubstr;

// wycheproof/ed25519_test.json (testvectors_v1): "numberOfTests": 151, of
// which 88 are "valid" and 63 "invalid".
constexpr size_t kWycheproofVectors = 151;

struct WycheproofVector {
  int tc_id = 0;
  std::string comment;
  std::string public_key;
  std::string message;
  std::string signature;
  bool valid = false;
};

std::vector<WycheproofVector> LoadWycheproof() {
  std::vector<WycheproofVector> out;
  auto json = ReadJson("wycheproof/ed25519_test.json");
  if (!json.ok()) return out;
  for (const auto& group : (*json)["testGroups"]) {
    const std::string pk =
        HexToBytes(group["publicKey"]["pk"].get<std::string>());
    for (const auto& t : group["tests"]) {
      WycheproofVector v;
      v.tc_id = t["tcId"].get<int>();
      v.comment = t["comment"].get<std::string>();
      v.public_key = pk;
      v.message = HexToBytes(t["msg"].get<std::string>());
      v.signature = HexToBytes(t["sig"].get<std::string>());
      const std::string result = t["result"].get<std::string>();
      // Ed25519 has no "acceptable" vectors; anything else fails loudly.
      EXPECT_TRUE(result == "valid" || result == "invalid") << result;
      v.valid = result == "valid";
      out.push_back(std::move(v));
    }
  }
  return out;
}

const std::vector<WycheproofVector>& Vectors() {
  static const auto* const vectors =
      new std::vector<WycheproofVector>(LoadWycheproof());
  return *vectors;
}

TEST(Ed25519WycheproofFile, HoldsEveryVector) {
  ASSERT_OK(ReadJson("wycheproof/ed25519_test.json").status());
  EXPECT_EQ(Vectors().size(), kWycheproofVectors);
  auto json = ReadJson("wycheproof/ed25519_test.json");
  EXPECT_EQ((*json)["numberOfTests"].get<size_t>(), kWycheproofVectors);
}

class Ed25519WycheproofTest
    : public ::testing::TestWithParam<WycheproofVector> {};

TEST_P(Ed25519WycheproofTest, VerifiesValidAndRefusesInvalid) {
  const WycheproofVector& v = GetParam();
  SCOPED_TRACE(::testing::Message() << "tcId " << v.tc_id << ": " << v.comment);
  ASSERT_OK_AND_ASSIGN(auto verifier, Ed25519Verifier::New(v.public_key));
  absl::Status status = verifier->Verify(v.signature, v.message);
  if (v.valid) {
    EXPECT_THAT(status, IsOk());
  } else {
    EXPECT_THAT(status, AnyOf(StatusIs(absl::StatusCode::kUnauthenticated,
                                       HasSubstr("does not verify")),
                              StatusIs(absl::StatusCode::kInvalidArgument,
                                       HasSubstr("signature must be 64"))));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Wycheproof, Ed25519WycheproofTest, ::testing::ValuesIn(Vectors()),
    [](const ::testing::TestParamInfo<WycheproofVector>& info) {
      return "tc" + std::to_string(info.param.tc_id);
    });

SecretData FixedSeed(char fill) { return SecretData(std::string(32, fill)); }

TEST(Ed25519, SignThenVerifyRoundTrips) {
  ASSERT_OK_AND_ASSIGN(auto signer, Ed25519Signer::Generate());
  ASSERT_OK_AND_ASSIGN(std::string sig, signer->Sign("audit entry"));
  EXPECT_EQ(sig.size(), Ed25519Signer::kSignatureSize);
  EXPECT_EQ(signer->PublicKey().size(), Ed25519Signer::kPublicKeySize);
  ASSERT_OK_AND_ASSIGN(auto verifier,
                       Ed25519Verifier::New(signer->PublicKey()));
  EXPECT_OK(verifier->Verify(sig, "audit entry"));
}

TEST(Ed25519, MatchesRfc8032Test1) {
  // RFC 8032 §7.1, TEST 1 (empty message).
  SecretData seed(HexToBytes(
      "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
  ASSERT_OK_AND_ASSIGN(auto signer, Ed25519Signer::New(seed));
  EXPECT_EQ(signer->PublicKey(),
            HexToBytes("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a6"
                       "8f707511a"));
  ASSERT_OK_AND_ASSIGN(std::string sig, signer->Sign(""));
  EXPECT_EQ(sig, HexToBytes("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d8"
                            "73e065224901555fb8821590a33bacc61e39701cf9b46bd25b"
                            "f5f0595bbe24655141438e7a100b"));
}

TEST(Ed25519, SameSeedSignsDeterministically) {
  ASSERT_OK_AND_ASSIGN(auto a, Ed25519Signer::New(FixedSeed('\x07')));
  ASSERT_OK_AND_ASSIGN(auto b, Ed25519Signer::New(FixedSeed('\x07')));
  EXPECT_EQ(a->PublicKey(), b->PublicKey());
  ASSERT_OK_AND_ASSIGN(std::string sa, a->Sign("m"));
  ASSERT_OK_AND_ASSIGN(std::string sb, b->Sign("m"));
  EXPECT_EQ(sa, sb);
}

TEST(Ed25519, RefusesSignatureUnderAnotherKey) {
  ASSERT_OK_AND_ASSIGN(auto signer, Ed25519Signer::New(FixedSeed('\x01')));
  ASSERT_OK_AND_ASSIGN(auto other, Ed25519Signer::New(FixedSeed('\x02')));
  ASSERT_OK_AND_ASSIGN(std::string sig, signer->Sign("message"));
  ASSERT_OK_AND_ASSIGN(auto verifier, Ed25519Verifier::New(other->PublicKey()));
  EXPECT_THAT(verifier->Verify(sig, "message"),
              StatusIs(absl::StatusCode::kUnauthenticated,
                       HasSubstr("does not verify")));
}

TEST(Ed25519, RefusesSignatureOfAnotherMessage) {
  ASSERT_OK_AND_ASSIGN(auto signer, Ed25519Signer::New(FixedSeed('\x01')));
  ASSERT_OK_AND_ASSIGN(std::string sig, signer->Sign("message"));
  ASSERT_OK_AND_ASSIGN(auto verifier,
                       Ed25519Verifier::New(signer->PublicKey()));
  EXPECT_THAT(verifier->Verify(sig, "messagE"),
              StatusIs(absl::StatusCode::kUnauthenticated));
  std::string flipped = sig;
  flipped[10] ^= 0x01;
  EXPECT_THAT(verifier->Verify(flipped, "message"),
              StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST(Ed25519, RefusesSignatureOfWrongSize) {
  ASSERT_OK_AND_ASSIGN(auto signer, Ed25519Signer::New(FixedSeed('\x01')));
  ASSERT_OK_AND_ASSIGN(std::string sig, signer->Sign("message"));
  ASSERT_OK_AND_ASSIGN(auto verifier,
                       Ed25519Verifier::New(signer->PublicKey()));
  EXPECT_THAT(verifier->Verify(sig.substr(0, 63), "message"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("signature must be 64 bytes, got 63")));
  EXPECT_THAT(
      verifier->Verify(sig + "x", "message"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("got 65")));
}

TEST(Ed25519, RefusesPublicKeyOfWrongSize) {
  EXPECT_THAT(Ed25519Verifier::New(std::string(31, 'a')),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("public key must be 32 bytes, got 31")));
  EXPECT_THAT(
      Ed25519Verifier::New(std::string(33, 'a')),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("got 33")));
  EXPECT_THAT(Ed25519Verifier::New(""),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("got 0")));
}

TEST(Ed25519, RefusesSeedOfWrongSize) {
  EXPECT_THAT(Ed25519Signer::New(SecretData(std::string(31, 'a'))),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("seed must be 32 bytes, got 31")));
  EXPECT_THAT(Ed25519Signer::New(SecretData()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("got 0")));
}

}  // namespace
}  // namespace resguardo::crypto
