#include "crypto/aes_gcm_aead.h"

#include <atomic>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/testing/status_matchers.h"
#include "crypto/internal/aes_gcm.h"
#include "crypto/secret_data.h"
#include "crypto/testing/test_vectors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace resguardo::crypto {
namespace {

using ::resguardo::crypto::internal::AesGcm256;
using ::resguardo::crypto::testing::HexToBytes;
using ::resguardo::crypto::testing::ReadJson;
using ::resguardo::testing::IsOk;
using ::resguardo::testing::StatusIs;
using ::testing::AnyOf;
using ::testing::HasSubstr;
using ::testing::Not;

// --- Wycheproof vectors ------------------------------------------------------

struct GcmVector {
  int tc_id = 0;
  std::string comment;
  std::string key, iv, aad, msg, ct, tag;
  bool valid = false;
  // The API takes this vector's key, IV and tag sizes (32, 12, 16 bytes).
  bool supported_sizes = false;
};

std::vector<GcmVector> LoadGcmVectors() {
  std::vector<GcmVector> out;
  auto json = ReadJson("wycheproof/aes_gcm_test.json");
  if (!json.ok()) return out;  // the count test reports it
  for (const auto& group : (*json)["testGroups"]) {
    const bool supported = group["keySize"].get<int>() == 256 &&
                           group["ivSize"].get<int>() == 96 &&
                           group["tagSize"].get<int>() == 128;
    for (const auto& t : group["tests"]) {
      GcmVector v;
      v.tc_id = t["tcId"].get<int>();
      v.comment = t["comment"].get<std::string>();
      v.key = HexToBytes(t["key"].get<std::string>());
      v.iv = HexToBytes(t["iv"].get<std::string>());
      v.aad = HexToBytes(t["aad"].get<std::string>());
      v.msg = HexToBytes(t["msg"].get<std::string>());
      v.ct = HexToBytes(t["ct"].get<std::string>());
      v.tag = HexToBytes(t["tag"].get<std::string>());
      // Wycheproof's "acceptable" does not occur in this file; treat it as
      // invalid so that a new one is looked at rather than silently accepted.
      v.valid = t["result"].get<std::string>() == "valid";
      v.supported_sizes = supported;
      out.push_back(std::move(v));
    }
  }
  return out;
}

const std::vector<GcmVector>& AllGcmVectors() {
  static const auto* vectors = new std::vector<GcmVector>(LoadGcmVectors());
  return *vectors;
}

// Computed once from wycheproof/aes_gcm_test.json (numberOfTests: 316):
// 66 vectors have a 256-bit key, 96-bit IV and 128-bit tag (39 valid, 27
// invalid); the other 250 (190 valid, 60 invalid) use 128/192-bit keys or
// non-96-bit IVs and must be refused by the API for their size. A dropped or
// added vector changes these counts and fails the test.
constexpr int kTotalVectors = 316;
constexpr int kSupportedValid = 39;
constexpr int kSupportedInvalid = 27;
constexpr int kRefusedForSize = 250;

TEST(AesGcmWycheproofTest, RunsEveryVectorInTheFile) {
  ASSERT_OK(ReadJson("wycheproof/aes_gcm_test.json").status());
  int supported_valid = 0, supported_invalid = 0, refused_for_size = 0;
  for (const GcmVector& v : AllGcmVectors()) {
    if (!v.supported_sizes) {
      ++refused_for_size;
    } else if (v.valid) {
      ++supported_valid;
    } else {
      ++supported_invalid;
    }
  }
  EXPECT_EQ(AllGcmVectors().size(), kTotalVectors);
  EXPECT_EQ(supported_valid, kSupportedValid);
  EXPECT_EQ(supported_invalid, kSupportedInvalid);
  EXPECT_EQ(refused_for_size, kRefusedForSize);
}

class AesGcmWycheproofVectorTest : public ::testing::TestWithParam<GcmVector> {
};

TEST_P(AesGcmWycheproofVectorTest, MatchesExpectedResult) {
  const GcmVector& v = GetParam();
  SCOPED_TRACE(absl::StrCat("tcId ", v.tc_id, " ", v.comment));
  absl::StatusOr<std::unique_ptr<const AesGcm256>> cipher =
      AesGcm256::New(SecretData(v.key));
  if (!v.supported_sizes) {
    // Refused by the API for its size: the key at New, else the IV (or the
    // tag) at both Seal and Open.
    if (v.key.size() != AesGcm256::kKeySize) {
      EXPECT_THAT(cipher, StatusIs(absl::StatusCode::kInvalidArgument,
                                   HasSubstr("key must be 32 bytes")));
      return;
    }
    ASSERT_OK(cipher.status());
    EXPECT_THAT((*cipher)->Seal(v.iv, v.msg, v.aad),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("nonce must be 12 bytes")));
    EXPECT_THAT((*cipher)->Open(v.iv, v.ct, v.tag, v.aad),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("nonce must be 12 bytes")));
    return;
  }
  ASSERT_OK(cipher.status());
  absl::StatusOr<std::string> opened =
      (*cipher)->Open(v.iv, v.ct, v.tag, v.aad);
  if (v.valid) {
    ASSERT_OK_AND_ASSIGN(std::string sealed,
                         (*cipher)->Seal(v.iv, v.msg, v.aad));
    EXPECT_TRUE(sealed == v.ct + v.tag) << "ciphertext or tag differs";
    ASSERT_OK(opened.status());
    EXPECT_TRUE(*opened == v.msg) << "plaintext differs";
  } else {
    EXPECT_THAT(opened, StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr("decryption failed")));
  }
}

INSTANTIATE_TEST_SUITE_P(Wycheproof, AesGcmWycheproofVectorTest,
                         ::testing::ValuesIn(AllGcmVectors()),
                         [](const ::testing::TestParamInfo<GcmVector>& info) {
                           return absl::StrCat("tc", info.param.tc_id);
                         });

TEST(AesGcmRawTest, RefusesTagThatIsNot16Bytes) {
  ASSERT_OK_AND_ASSIGN(auto key, SecretData::Random(32));
  ASSERT_OK_AND_ASSIGN(auto cipher, AesGcm256::New(key));
  const std::string nonce(12, 'n');
  ASSERT_OK_AND_ASSIGN(std::string sealed, cipher->Seal(nonce, "msg", "ad"));
  EXPECT_THAT(
      cipher->Open(nonce, sealed.substr(0, 3), sealed.substr(3, 12), "ad"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("tag must be 16 bytes, got 12")));
  EXPECT_OK(cipher->Open(nonce, sealed.substr(0, 3), sealed.substr(3), "ad")
                .status());
}

// --- AesGcmAead --------------------------------------------------------------

class AesGcmAeadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(SecretData key, SecretData::Random(32));
    ASSERT_OK_AND_ASSIGN(aead_, AesGcmAead::New(key, kKeyId));
  }
  static constexpr uint32_t kKeyId = 0x01020304;
  std::unique_ptr<AesGcmAead> aead_;
};

TEST_F(AesGcmAeadTest, RoundTrips) {
  for (size_t size : {0, 1, 15, 16, 17, 1024, 65537}) {
    const std::string plaintext(size, 'p');
    ASSERT_OK_AND_ASSIGN(std::string ct, aead_->Encrypt(plaintext, "ad"));
    EXPECT_EQ(ct.size(), plaintext.size() + AesGcmAead::kOverhead);
    ASSERT_OK_AND_ASSIGN(std::string pt, aead_->Decrypt(ct, "ad"));
    EXPECT_TRUE(pt == plaintext) << "size " << size;
  }
}

TEST_F(AesGcmAeadTest, WritesVersionedHeader) {
  ASSERT_OK_AND_ASSIGN(std::string ct, aead_->Encrypt("x", ""));
  EXPECT_EQ(ct.substr(0, 5), std::string("\x01\x01\x02\x03\x04", 5));
  ASSERT_OK_AND_ASSIGN(uint32_t key_id, AesGcmAead::KeyIdOf(ct));
  EXPECT_EQ(key_id, kKeyId);
  EXPECT_EQ(aead_->key_id(), kKeyId);
}

TEST_F(AesGcmAeadTest, RefusesWrongAssociatedData) {
  ASSERT_OK_AND_ASSIGN(std::string ct, aead_->Encrypt("secret", "case/1"));
  EXPECT_THAT(aead_->Decrypt(ct, "case/2"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("decryption failed")));
  EXPECT_THAT(aead_->Decrypt(ct, ""),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("decryption failed")));
}

TEST_F(AesGcmAeadTest, RefusesFlippedBitInEveryBytePosition) {
  ASSERT_OK_AND_ASSIGN(std::string ct,
                       aead_->Encrypt("sixteen byte msg", "ad"));
  for (size_t i = 0; i < ct.size(); ++i) {
    for (int bit : {0, 7}) {
      std::string bad = ct;
      bad[i] ^= static_cast<char>(1 << bit);
      // Byte 0: format; 1-4: key id; the rest: nonce, ciphertext and tag.
      auto expected = i == 0  ? HasSubstr("unknown AES-GCM ciphertext format")
                      : i < 5 ? HasSubstr("made with key id")
                              : HasSubstr("decryption failed");
      EXPECT_THAT(aead_->Decrypt(bad, "ad"),
                  StatusIs(absl::StatusCode::kInvalidArgument, expected))
          << "byte " << i << " bit " << bit;
    }
  }
}

TEST_F(AesGcmAeadTest, RefusesTruncatedCiphertext) {
  ASSERT_OK_AND_ASSIGN(std::string ct, aead_->Encrypt("some plaintext", "ad"));
  for (size_t len = 0; len < ct.size(); ++len) {
    EXPECT_THAT(
        aead_->Decrypt(ct.substr(0, len), "ad"),
        StatusIs(absl::StatusCode::kInvalidArgument,
                 AnyOf(HasSubstr("too short"), HasSubstr("decryption failed"))))
        << "length " << len;
  }
  EXPECT_THAT(aead_->Decrypt(ct.substr(0, AesGcmAead::kOverhead - 1), "ad"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("too short: 32 bytes, the minimum is 33")));
}

TEST_F(AesGcmAeadTest, RefusesUnknownFormatByte) {
  ASSERT_OK_AND_ASSIGN(std::string ct, aead_->Encrypt("x", "ad"));
  ct[0] = 0x02;
  EXPECT_THAT(
      aead_->Decrypt(ct, "ad"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("unknown AES-GCM ciphertext format byte 0x02")));
  EXPECT_THAT(AesGcmAead::KeyIdOf(ct),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("format byte 0x02")));
}

TEST_F(AesGcmAeadTest, RefusesCiphertextOfAnotherKey) {
  ASSERT_OK_AND_ASSIGN(SecretData key, SecretData::Random(32));
  ASSERT_OK_AND_ASSIGN(auto other_same_id, AesGcmAead::New(key, kKeyId));
  ASSERT_OK_AND_ASSIGN(auto other_id, AesGcmAead::New(key, 7));
  ASSERT_OK_AND_ASSIGN(std::string ct, aead_->Encrypt("x", "ad"));
  EXPECT_THAT(other_same_id->Decrypt(ct, "ad"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("decryption failed")));
  EXPECT_THAT(
      other_id->Decrypt(ct, "ad"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("made with key id 16909060, this key has id 7")));
}

TEST_F(AesGcmAeadTest, TwoEncryptionsDifferByFreshNonce) {
  std::set<std::string> nonces;
  std::set<std::string> ciphertexts;
  for (int i = 0; i < 100; ++i) {
    ASSERT_OK_AND_ASSIGN(std::string ct, aead_->Encrypt("same", "same"));
    nonces.insert(ct.substr(AesGcmAead::kHeaderSize, AesGcmAead::kNonceSize));
    ciphertexts.insert(ct);
  }
  EXPECT_EQ(nonces.size(), 100u);
  EXPECT_EQ(ciphertexts.size(), 100u);
}

TEST_F(AesGcmAeadTest, KeyIdOfRefusesShortInput) {
  EXPECT_THAT(AesGcmAead::KeyIdOf(""),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("too short: 0 bytes")));
}

TEST(AesGcmAeadNewTest, RefusesKeyThatIsNot32Bytes) {
  for (size_t size : {0, 16, 24, 31, 33}) {
    EXPECT_THAT(AesGcmAead::New(SecretData(std::string(size, 'k')), 1),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("key must be 32 bytes")))
        << size;
  }
}

TEST(AesGcmAeadNewTest, ErrorsDoNotContainData) {
  const std::string plaintext = "VICTIM-NAME-MARIA";
  ASSERT_OK_AND_ASSIGN(SecretData key, SecretData::Random(32));
  ASSERT_OK_AND_ASSIGN(auto aead, AesGcmAead::New(key, 1));
  ASSERT_OK_AND_ASSIGN(std::string ct, aead->Encrypt(plaintext, "AD-SECRET"));
  absl::Status s = aead->Decrypt(ct, "AD-OTHER").status();
  ASSERT_THAT(s, Not(IsOk()));
  EXPECT_THAT(std::string(s.message()),
              Not(AnyOf(HasSubstr("VICTIM"), HasSubstr("AD-"))));
}

TEST(AesGcmAeadNewTest, CanBeUsedFromManyThreads) {
  ASSERT_OK_AND_ASSIGN(SecretData key, SecretData::Random(32));
  ASSERT_OK_AND_ASSIGN(auto aead, AesGcmAead::New(key, 1));
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        const std::string msg = absl::StrCat("thread ", t, " message ", i);
        auto ct = aead->Encrypt(msg, "ad");
        auto pt = ct.ok() ? aead->Decrypt(*ct, "ad") : ct.status();
        if (!pt.ok() || *pt != msg) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace resguardo::crypto
