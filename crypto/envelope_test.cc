#include "crypto/envelope.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/testing/status_matchers.h"
#include "crypto/aes_gcm_aead.h"
#include "crypto/internal/aes_gcm.h"
#include "crypto/record_context.h"
#include "crypto/secret_data.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace resguardo::crypto {
namespace {

using ::resguardo::testing::IsOk;
using ::resguardo::testing::StatusIs;
using ::testing::AnyOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kInstitution[] = "institutions/fiscalia-norte";
constexpr char kCase[] = "cases/8f3a";
constexpr char kPlaintext[] = "statement: the sealed part of the case";

RecordContext Context() {
  return RecordContext{"case.sealed", kInstitution, kCase, 3};
}

auto AuthFailure() {
  return StatusIs(absl::StatusCode::kInvalidArgument,
                  HasSubstr("sealed record failed to authenticate"));
}
auto UnwrapFailure() {
  return StatusIs(absl::StatusCode::kInvalidArgument,
                  HasSubstr("wrapped data key failed to authenticate"));
}

class EnvelopeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(ring_, KekRing::New(kInstitution));
    ASSERT_OK_AND_ASSIGN(uint32_t v, ring_->Rotate());
    ASSERT_EQ(v, 1u);
    envelope_ = std::make_unique<Envelope>(ring_);
  }

  std::shared_ptr<KekRing> ring_;
  std::unique_ptr<Envelope> envelope_;
};

// --- RecordContext -----------------------------------------------------------

TEST(RecordContextTest, EncodingIsLengthPrefixedAndStable) {
  RecordContext c{"p", "in", "r", 0x0102};
  EXPECT_EQ(c.Encode(), std::string("\0\0\0\x1bresguardo.record-context.v1"
                                    "\0\0\0\x01p\0\0\0\x02in\0\0\0\x01r"
                                    "\0\0\0\0\0\0\x01\x02",
                                    4 + 27 + 5 + 6 + 5 + 8));
}

TEST(RecordContextTest, ShiftedFieldBoundariesEncodeDifferently) {
  // Concatenations agree ("ab" + "c" == "a" + "bc"); encodings must not.
  EXPECT_NE((RecordContext{"ab", "c", "d", 1}.Encode()),
            (RecordContext{"a", "bc", "d", 1}.Encode()));
  EXPECT_NE((RecordContext{"p", "i", "r", 1}.Encode()),
            (RecordContext{"p", "i", "r", 2}.Encode()));
  EXPECT_NE((RecordContext{"p", "", "ir", 1}.Encode()),
            (RecordContext{"p", "i", "r", 1}.Encode()));
}

// --- DataKey: sealing --------------------------------------------------------

TEST_F(EnvelopeTest, SealedRecordOpensUnderItsContext) {
  ASSERT_OK_AND_ASSIGN(Envelope::NewKey dek, envelope_->NewDataKey(kCase));
  ASSERT_OK_AND_ASSIGN(std::string sealed, dek.key.Seal(kPlaintext, Context()));
  EXPECT_EQ(sealed.size(), sizeof(kPlaintext) - 1 + DataKey::kSealedOverhead);
  EXPECT_EQ(sealed[0], '\x01');
  ASSERT_OK_AND_ASSIGN(std::string opened, dek.key.Open(sealed, Context()));
  EXPECT_EQ(opened, kPlaintext);
}

TEST_F(EnvelopeTest, SealedRecordDoesNotOpenUnderAnotherContext) {
  ASSERT_OK_AND_ASSIGN(Envelope::NewKey dek, envelope_->NewDataKey(kCase));
  ASSERT_OK_AND_ASSIGN(std::string sealed, dek.key.Seal(kPlaintext, Context()));

  RecordContext other_case = Context();
  other_case.resource_name = "cases/0001";
  RecordContext other_version = Context();
  other_version.version = 2;  // a rollback to an older row version
  RecordContext other_institution = Context();
  other_institution.institution = "institutions/hospital-sur";
  RecordContext other_purpose = Context();
  other_purpose.purpose = "case.referral";

  EXPECT_THAT(dek.key.Open(sealed, other_case), AuthFailure());
  EXPECT_THAT(dek.key.Open(sealed, other_version), AuthFailure());
  EXPECT_THAT(dek.key.Open(sealed, other_institution), AuthFailure());
  EXPECT_THAT(dek.key.Open(sealed, other_purpose), AuthFailure());
  EXPECT_OK(dek.key.Open(sealed, Context()).status());
}

TEST_F(EnvelopeTest, FlippedBitAnywhereInSealedRecordFails) {
  ASSERT_OK_AND_ASSIGN(Envelope::NewKey dek, envelope_->NewDataKey(kCase));
  ASSERT_OK_AND_ASSIGN(std::string sealed, dek.key.Seal(kPlaintext, Context()));
  for (size_t i = 0; i < sealed.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string bad = sealed;
      bad[i] ^= static_cast<char>(1 << bit);
      EXPECT_THAT(dek.key.Open(bad, Context()),
                  i == 0 ? StatusIs(absl::StatusCode::kInvalidArgument,
                                    HasSubstr("unknown sealed record format"))
                         : AuthFailure())
          << "byte " << i << " bit " << bit;
    }
  }
}

TEST_F(EnvelopeTest, TruncatedSealedRecordFails) {
  ASSERT_OK_AND_ASSIGN(Envelope::NewKey dek, envelope_->NewDataKey(kCase));
  ASSERT_OK_AND_ASSIGN(std::string sealed, dek.key.Seal(kPlaintext, Context()));
  for (size_t len = 0; len < sealed.size(); ++len) {
    EXPECT_THAT(dek.key.Open(sealed.substr(0, len), Context()),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         AnyOf(HasSubstr("too short"),
                               HasSubstr("failed to authenticate"))));
  }
}

TEST_F(EnvelopeTest, SealedRecordDoesNotOpenUnderAnotherCasesKey) {
  ASSERT_OK_AND_ASSIGN(Envelope::NewKey a, envelope_->NewDataKey(kCase));
  ASSERT_OK_AND_ASSIGN(Envelope::NewKey b, envelope_->NewDataKey("cases/b"));
  ASSERT_OK_AND_ASSIGN(std::string sealed, a.key.Seal(kPlaintext, Context()));
  EXPECT_THAT(b.key.Open(sealed, Context()), AuthFailure());
}

// --- Wrapped DEKs ------------------------------------------------------------

TEST_F(EnvelopeTest, WrappedDataKeyUnwrapsAndOpensRecords) {
  ASSERT_OK_AND_ASSIGN(Envelope::NewKey dek, envelope_->NewDataKey(kCase));
  EXPECT_EQ(dek.wrapped.size(), Envelope::kWrappedSize);
  EXPECT_EQ(Envelope::kWrappedSize, 65u);
  ASSERT_OK_AND_ASSIGN(std::string sealed, dek.key.Seal(kPlaintext, Context()));
  ASSERT_OK_AND_ASSIGN(DataKey unwrapped,
                       envelope_->Unwrap(dek.wrapped, kCase));
  ASSERT_OK_AND_ASSIGN(std::string opened, unwrapped.Open(sealed, Context()));
  EXPECT_EQ(opened, kPlaintext);
}

TEST_F(EnvelopeTest, WrappedDataKeyMovedToAnotherCaseDoesNotUnwrap) {
  ASSERT_OK_AND_ASSIGN(Envelope::NewKey dek, envelope_->NewDataKey(kCase));
  EXPECT_THAT(envelope_->Unwrap(dek.wrapped, "cases/0001"), UnwrapFailure());
  EXPECT_THAT(envelope_->Unwrap(dek.wrapped, ""),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("must not be empty")));
}

TEST(EnvelopeBindingTest, WrappedDataKeyDoesNotUnwrapAtAnotherInstitution) {
  // Same KEK bytes at the same version in both rings: the binding to the
  // institution is in the associated data, not only in the key.
  const std::string kek(32, 'K');
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<KekRing> a, KekRing::New(kInstitution));
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<KekRing> b,
                       KekRing::New("institutions/hospital-sur"));
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<KekRing> a_again,
                       KekRing::New(kInstitution));
  ASSERT_OK(a->Add(1, SecretData(kek), true));
  ASSERT_OK(b->Add(1, SecretData(kek), true));
  ASSERT_OK(a_again->Add(1, SecretData(kek), true));
  ASSERT_OK_AND_ASSIGN(Envelope::NewKey dek, Envelope(a).NewDataKey(kCase));
  EXPECT_THAT(Envelope(b).Unwrap(dek.wrapped, kCase), UnwrapFailure());
  EXPECT_OK(Envelope(a_again).Unwrap(dek.wrapped, kCase).status());
}

TEST_F(EnvelopeTest, FlippedBitAnywhereInWrappedDataKeyFails) {
  ASSERT_OK_AND_ASSIGN(Envelope::NewKey dek, envelope_->NewDataKey(kCase));
  for (size_t i = 0; i < dek.wrapped.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string bad = dek.wrapped;
      bad[i] ^= static_cast<char>(1 << bit);
      // Byte 0: format; 1-4: KEK version (names a version not in the ring);
      // the rest: nonce, encrypted DEK, tag.
      auto expected =
          i == 0  ? StatusIs(absl::StatusCode::kInvalidArgument,
                             HasSubstr("unknown wrapped data key format"))
          : i < 5 ? StatusIs(absl::StatusCode::kNotFound,
                             HasSubstr("is not in the ring"))
                  : UnwrapFailure();
      EXPECT_THAT(envelope_->Unwrap(bad, kCase), expected)
          << "byte " << i << " bit " << bit;
    }
  }
}

TEST_F(EnvelopeTest, FlippedKekVersionNamingAHeldVersionFails) {
  ASSERT_OK_AND_ASSIGN(Envelope::NewKey dek, envelope_->NewDataKey(kCase));
  ASSERT_OK(ring_->Rotate().status());  // version 2 is now held too
  std::string bad = dek.wrapped;
  bad[4] ^= 0x03;  // version 1 -> 2
  ASSERT_OK_AND_ASSIGN(uint32_t v, Envelope::KekVersionOf(bad));
  EXPECT_EQ(v, 2u);
  EXPECT_THAT(envelope_->Unwrap(bad, kCase), UnwrapFailure());
}

TEST_F(EnvelopeTest, KekVersionOfParsesHeaderAndRefusesMalformedInput) {
  ASSERT_OK_AND_ASSIGN(Envelope::NewKey dek, envelope_->NewDataKey(kCase));
  ASSERT_OK_AND_ASSIGN(uint32_t v, Envelope::KekVersionOf(dek.wrapped));
  EXPECT_EQ(v, 1u);
  EXPECT_EQ(dek.wrapped.substr(0, 5), std::string("\x01\0\0\0\x01", 5));
  EXPECT_THAT(Envelope::KekVersionOf(dek.wrapped.substr(0, 64)),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("must be 65 bytes, got 64")));
  EXPECT_THAT(Envelope::KekVersionOf(dek.wrapped + "x"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("must be 65 bytes, got 66")));
  std::string bad = dek.wrapped;
  bad[0] = '\x7f';
  EXPECT_THAT(Envelope::KekVersionOf(bad),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("format byte 0x7f")));
}

TEST_F(EnvelopeTest, NewDataKeyRefusesEmptyRing) {
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<KekRing> empty, KekRing::New("i"));
  EXPECT_EQ(empty->primary_version(), 0u);
  EXPECT_THAT(Envelope(empty).NewDataKey(kCase),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("KEK ring is empty")));
}

// --- The documented wire formats, decoded by hand ---------------------------

std::string Lp(absl::string_view s) {
  std::string out;
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((s.size() >> shift) & 0xff));
  }
  out.append(s.data(), s.size());
  return out;
}

std::string Be32(uint32_t v) {
  return std::string{static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                     static_cast<char>(v >> 8), static_cast<char>(v)};
}

// Opens a sealed record with raw key bytes, following envelope.h's layout.
absl::StatusOr<std::string> OpenWithRawKey(const SecretData& key,
                                           absl::string_view sealed,
                                           const RecordContext& context) {
  ASSIGN_OR_RETURN(auto cipher, internal::AesGcm256::New(key));
  if (sealed.size() < DataKey::kSealedOverhead) {
    return absl::InvalidArgumentError("short");
  }
  return cipher->Open(sealed.substr(1, 12),
                      sealed.substr(13, sealed.size() - 29),
                      sealed.substr(sealed.size() - 16),
                      std::string(1, '\x01') + context.Encode());
}

class EnvelopeWireFormatTest : public EnvelopeTest {
 protected:
  void SetUp() override {
    EnvelopeTest::SetUp();
    ASSERT_OK_AND_ASSIGN(SecretData key, SecretData::Random(32));
    ASSERT_OK_AND_ASSIGN(wrapping_, AesGcmAead::New(key, 42));
  }

  // The KEK at `version`, exported and decrypted following envelope.h.
  absl::StatusOr<SecretData> RawKek(uint32_t version) {
    ASSIGN_OR_RETURN(std::string exported, ring_->Export(version, *wrapping_));
    if (exported.substr(0, 5) != "\x01" + Be32(version)) {
      return absl::InternalError("unexpected export header");
    }
    ASSIGN_OR_RETURN(std::string kek,
                     wrapping_->Decrypt(exported.substr(5),
                                        Lp("resguardo.kek-export.v1") +
                                            Lp(kInstitution) + Be32(version)));
    return SecretData(kek);
  }

  // Unwraps a wrapped DEK by hand, following envelope.h.
  absl::StatusOr<SecretData> RawDek(absl::string_view wrapped,
                                    absl::string_view key_name) {
    ASSIGN_OR_RETURN(uint32_t version, Envelope::KekVersionOf(wrapped));
    ASSIGN_OR_RETURN(SecretData kek, RawKek(version));
    ASSIGN_OR_RETURN(auto cipher, internal::AesGcm256::New(kek));
    ASSIGN_OR_RETURN(std::string dek,
                     cipher->Open(wrapped.substr(5, 12), wrapped.substr(17, 32),
                                  wrapped.substr(49, 16),
                                  std::string(wrapped.substr(0, 5)) +
                                      Lp("resguardo.wrapped-dek.v1") +
                                      Lp(kInstitution) + Lp(key_name)));
    return SecretData(dek);
  }

  std::unique_ptr<AesGcmAead> wrapping_;
};

TEST_F(EnvelopeWireFormatTest, WrappedDekAndSealedRecordFollowTheHeader) {
  ASSERT_OK_AND_ASSIGN(Envelope::NewKey dek, envelope_->NewDataKey(kCase));
  ASSERT_OK_AND_ASSIGN(std::string sealed, dek.key.Seal(kPlaintext, Context()));
  ASSERT_OK_AND_ASSIGN(SecretData raw_dek, RawDek(dek.wrapped, kCase));
  EXPECT_EQ(raw_dek.size(), 32u);
  ASSERT_OK_AND_ASSIGN(std::string opened,
                       OpenWithRawKey(raw_dek, sealed, Context()));
  EXPECT_EQ(opened, kPlaintext);
}

// --- Crypto-shredding --------------------------------------------------------

TEST_F(EnvelopeWireFormatTest, DestroyedDataKeyCannotBeRecovered) {
  ASSERT_OK(ring_->Rotate().status());  // versions 1 and 2, primary 2
  ASSERT_OK_AND_ASSIGN(Envelope::NewKey dek, envelope_->NewDataKey(kCase));
  ASSERT_OK_AND_ASSIGN(std::string sealed, dek.key.Seal(kPlaintext, Context()));

  // Crypto-shredding: the store deletes the wrapped DEK, and the DataKey held
  // in memory is destroyed.
  dek.wrapped.assign(dek.wrapped.size(), '\0');
  dek.wrapped.clear();
  dek.key.Destroy();
  EXPECT_TRUE(dek.key.destroyed());
  EXPECT_THAT(
      dek.key.Open(sealed, Context()),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("destroyed")));
  EXPECT_THAT(
      dek.key.Seal("x", Context()),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("destroyed")));
  EXPECT_THAT(
      envelope_->Wrap(dek.key, kCase),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("destroyed")));

  // No KEK version of the ring opens the record, even used directly as the
  // record key (the DEK is independent of every KEK)...
  ASSERT_THAT(ring_->versions(), ElementsAre(1u, 2u));
  for (uint32_t version : ring_->versions()) {
    ASSERT_OK_AND_ASSIGN(SecretData kek, RawKek(version));
    EXPECT_THAT(OpenWithRawKey(kek, sealed, Context()),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         HasSubstr("decryption failed")))
        << "KEK version " << version;
  }
  // ...and no fresh data key of the same case opens it.
  for (int i = 0; i < 8; ++i) {
    ASSERT_OK_AND_ASSIGN(Envelope::NewKey fresh, envelope_->NewDataKey(kCase));
    EXPECT_THAT(fresh.key.Open(sealed, Context()), AuthFailure());
  }
}

// --- Rotation and retirement -------------------------------------------------

TEST_F(EnvelopeTest, RotateMakesNewVersionPrimaryAndRewrapKeepsPayload) {
  ASSERT_OK_AND_ASSIGN(Envelope::NewKey dek, envelope_->NewDataKey(kCase));
  ASSERT_OK_AND_ASSIGN(std::string sealed, dek.key.Seal(kPlaintext, Context()));

  ASSERT_OK_AND_ASSIGN(uint32_t v2, ring_->Rotate());
  EXPECT_EQ(v2, 2u);
  EXPECT_EQ(ring_->primary_version(), 2u);
  EXPECT_THAT(ring_->versions(), ElementsAre(1u, 2u));

  // New DEKs use the new version at once.
  ASSERT_OK_AND_ASSIGN(Envelope::NewKey newer,
                       envelope_->NewDataKey("cases/n"));
  ASSERT_OK_AND_ASSIGN(uint32_t newer_version,
                       Envelope::KekVersionOf(newer.wrapped));
  EXPECT_EQ(newer_version, 2u);

  ASSERT_OK_AND_ASSIGN(std::string rewrapped,
                       envelope_->Rewrap(dek.wrapped, kCase));
  ASSERT_OK_AND_ASSIGN(uint32_t version, Envelope::KekVersionOf(rewrapped));
  EXPECT_EQ(version, 2u);
  EXPECT_NE(rewrapped, dek.wrapped);

  // The old version can now go; the payload (never re-encrypted) still opens.
  ASSERT_OK(ring_->Retire(1));
  ASSERT_OK_AND_ASSIGN(DataKey key, envelope_->Unwrap(rewrapped, kCase));
  ASSERT_OK_AND_ASSIGN(std::string opened, key.Open(sealed, Context()));
  EXPECT_EQ(opened, kPlaintext);
  // Rewrap keeps the case binding.
  EXPECT_THAT(envelope_->Unwrap(rewrapped, "cases/0001"), UnwrapFailure());
}

TEST_F(EnvelopeTest, RetiringKekThatStillWrapsDekMakesItUnopenable) {
  ASSERT_OK_AND_ASSIGN(Envelope::NewKey dek, envelope_->NewDataKey(kCase));
  ASSERT_OK(ring_->Rotate().status());
  // Documented in KekRing::Retire: rewrap first, or the DEK is lost.
  ASSERT_OK(ring_->Retire(1));
  EXPECT_THAT(ring_->versions(), ElementsAre(2u));
  EXPECT_THAT(envelope_->Unwrap(dek.wrapped, kCase),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("KEK version 1 is not in the ring")));
  EXPECT_THAT(envelope_->Rewrap(dek.wrapped, kCase),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("KEK version 1 is not in the ring")));
}

TEST_F(EnvelopeTest, RetiringPrimaryIsRefused) {
  EXPECT_THAT(ring_->Retire(1),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("KEK version 1 is the primary")));
  EXPECT_THAT(ring_->versions(), ElementsAre(1u));
  EXPECT_THAT(ring_->Retire(9), StatusIs(absl::StatusCode::kNotFound,
                                         HasSubstr("KEK version 9")));
}

TEST_F(EnvelopeTest, RotateNeverReusesARetiredVersion) {
  ASSERT_OK(ring_->Add(5, SecretData(std::string(32, 'k')), false));
  EXPECT_EQ(ring_->primary_version(), 1u);
  ASSERT_OK(ring_->Retire(5));
  ASSERT_OK_AND_ASSIGN(uint32_t v, ring_->Rotate());
  EXPECT_EQ(v, 6u);
}

TEST_F(EnvelopeTest, AddValidatesVersionAndKey) {
  EXPECT_THAT(ring_->Add(0, SecretData(std::string(32, 'k')), false),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("versions start at 1")));
  EXPECT_THAT(ring_->Add(2, SecretData(std::string(16, 'k')), false),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("must be 32 bytes, got 16")));
  EXPECT_THAT(ring_->Add(1, SecretData(std::string(32, 'k')), false),
              StatusIs(absl::StatusCode::kAlreadyExists,
                       HasSubstr("KEK version 1 is already")));
  ASSERT_OK(ring_->Add(7, SecretData(std::string(32, 'k')), true));
  EXPECT_EQ(ring_->primary_version(), 7u);
}

// --- Export and import of KEKs -----------------------------------------------

class KekExportTest : public EnvelopeTest {
 protected:
  void SetUp() override {
    EnvelopeTest::SetUp();
    ASSERT_OK_AND_ASSIGN(SecretData key, SecretData::Random(32));
    ASSERT_OK_AND_ASSIGN(wrapping_, AesGcmAead::New(key, 1));
  }
  std::unique_ptr<AesGcmAead> wrapping_;
};

TEST_F(KekExportTest, ExportImportRoundTrips) {
  ASSERT_OK(ring_->Rotate().status());  // versions 1, 2
  ASSERT_OK_AND_ASSIGN(Envelope::NewKey old_dek, envelope_->NewDataKey(kCase));
  ASSERT_OK_AND_ASSIGN(std::string e1, ring_->Export(1, *wrapping_));
  ASSERT_OK_AND_ASSIGN(std::string e2, ring_->Export(2, *wrapping_));
  EXPECT_EQ(e1.substr(0, 5), std::string("\x01\0\0\0\x01", 5));

  ASSERT_OK_AND_ASSIGN(std::shared_ptr<KekRing> restored,
                       KekRing::New(kInstitution));
  ASSERT_OK(restored->Import(e1, *wrapping_, /*primary=*/false));
  ASSERT_OK(restored->Import(e2, *wrapping_, /*primary=*/true));
  EXPECT_THAT(restored->versions(), ElementsAre(1u, 2u));
  EXPECT_EQ(restored->primary_version(), 2u);

  Envelope restored_envelope(restored);
  ASSERT_OK_AND_ASSIGN(std::string sealed,
                       old_dek.key.Seal(kPlaintext, Context()));
  ASSERT_OK_AND_ASSIGN(DataKey key,
                       restored_envelope.Unwrap(old_dek.wrapped, kCase));
  ASSERT_OK_AND_ASSIGN(std::string opened, key.Open(sealed, Context()));
  EXPECT_EQ(opened, kPlaintext);
  // And the other way: a DEK wrapped by the restored ring opens in the first.
  ASSERT_OK_AND_ASSIGN(Envelope::NewKey dek,
                       restored_envelope.NewDataKey(kCase));
  EXPECT_OK(envelope_->Unwrap(dek.wrapped, kCase).status());
}

TEST_F(KekExportTest, ImportRefusesAnotherInstitution) {
  ASSERT_OK_AND_ASSIGN(std::string exported, ring_->Export(1, *wrapping_));
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<KekRing> other,
                       KekRing::New("institutions/hospital-sur"));
  EXPECT_THAT(other->Import(exported, *wrapping_, true),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("does not decrypt for this institution")));
  EXPECT_TRUE(other->versions().empty());
}

TEST_F(KekExportTest, ImportRefusesChangedVersionWrongKeyAndCorruption) {
  ASSERT_OK_AND_ASSIGN(std::string exported, ring_->Export(1, *wrapping_));
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<KekRing> restored,
                       KekRing::New(kInstitution));
  std::string other_version = exported;
  other_version[4] = '\x09';
  EXPECT_THAT(restored->Import(other_version, *wrapping_, true),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("exported KEK version 9 does not decrypt")));
  ASSERT_OK_AND_ASSIGN(SecretData key, SecretData::Random(32));
  ASSERT_OK_AND_ASSIGN(auto other_wrapping, AesGcmAead::New(key, 1));
  EXPECT_THAT(restored->Import(exported, *other_wrapping, true),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("does not decrypt")));
  std::string flipped = exported;
  flipped.back() ^= 1;
  EXPECT_THAT(restored->Import(flipped, *wrapping_, true),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("does not decrypt")));
  std::string bad_format = exported;
  bad_format[0] = '\x02';
  EXPECT_THAT(restored->Import(bad_format, *wrapping_, true),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unknown exported KEK format byte 0x02")));
  EXPECT_THAT(
      restored->Import("\x01", *wrapping_, true),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("too short")));
  EXPECT_TRUE(restored->versions().empty());
  EXPECT_THAT(ring_->Export(3, *wrapping_),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("KEK version 3 is not in the ring")));
}

// --- Referral: another institution's copy of a DEK
// ----------------------------

TEST_F(EnvelopeTest, ReferralCopyIsWrappedUnderReceiverKekAndDestroyable) {
  ASSERT_OK_AND_ASSIGN(Envelope::NewKey dek, envelope_->NewDataKey(kCase));
  ASSERT_OK_AND_ASSIGN(std::string sealed, dek.key.Seal(kPlaintext, Context()));
  ASSERT_OK_AND_ASSIGN(std::shared_ptr<KekRing> receiver_ring,
                       KekRing::New("institutions/hospital-sur"));
  ASSERT_OK(receiver_ring->Rotate().status());
  Envelope receiver(receiver_ring);
  ASSERT_OK_AND_ASSIGN(std::string copy, receiver.Wrap(dek.key, kCase));
  // The copy opens only at the receiver.
  EXPECT_THAT(envelope_->Unwrap(copy, kCase), UnwrapFailure());
  ASSERT_OK_AND_ASSIGN(DataKey received, receiver.Unwrap(copy, kCase));
  ASSERT_OK_AND_ASSIGN(std::string opened, received.Open(sealed, Context()));
  EXPECT_EQ(opened, kPlaintext);
}

TEST(KekRingTest, RefusesEmptyInstitution) {
  EXPECT_THAT(KekRing::New(""), StatusIs(absl::StatusCode::kInvalidArgument,
                                         HasSubstr("institution")));
}

TEST_F(EnvelopeTest, ConcurrentWrapUnwrapAndRotate) {
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&, t] {
      const std::string name = absl::StrCat("cases/", t);
      for (int i = 0; i < 100; ++i) {
        auto dek = envelope_->NewDataKey(name);
        if (!dek.ok()) {
          ++failures;
          continue;
        }
        auto rewrapped = envelope_->Rewrap(dek->wrapped, name);
        auto key = rewrapped.ok() ? envelope_->Unwrap(*rewrapped, name)
                                  : rewrapped.status();
        if (!key.ok()) ++failures;
      }
    });
  }
  threads.emplace_back([&] {
    for (int i = 0; i < 20; ++i) {
      if (!ring_->Rotate().ok()) ++failures;
    }
  });
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(ring_->primary_version(), 21u);
}

}  // namespace
}  // namespace resguardo::crypto
