#include "crypto/signed_note.h"

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "base/testing/status_matchers.h"
#include "crypto/ed25519.h"
#include "crypto/secret_data.h"
#include "crypto/testing/test_vectors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace resguardo::crypto {
namespace {

using ::resguardo::crypto::testing::Base64ToBytes;
using ::resguardo::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// The example of golang.org/x/mod/sumdb/note (its documentation and
// note_test.go): the key "PRIVATE+KEY+PeterNeumann+c74f20a3+<base64(0x01 ‖
// seed)>", its verifier key, a text and the note Go's note.Sign produces.
constexpr absl::string_view kGoSeedB64 =
    "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
constexpr absl::string_view kGoVerifierKey =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
constexpr absl::string_view kGoText =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
constexpr absl::string_view kGoSignatureLine =
    "\xE2\x80\x94 PeterNeumann "
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngot"
    "pRZb6KE6RyyBwJnAM=\n";

std::string GoNote() { return absl::StrCat(kGoText, "\n", kGoSignatureLine); }

std::unique_ptr<NoteSigner> GoSigner() {
  const std::string key = Base64ToBytes(kGoSeedB64);
  EXPECT_EQ(key[0], '\x01');
  auto ed = Ed25519Signer::New(SecretData(key.substr(1)));
  EXPECT_OK(ed.status());
  auto signer = NoteSigner::New("PeterNeumann", std::move(*ed));
  EXPECT_OK(signer.status());
  return std::move(*signer);
}

std::unique_ptr<NoteSigner> SeededSigner(absl::string_view name, char fill) {
  auto ed = Ed25519Signer::New(SecretData(std::string(32, fill)));
  EXPECT_OK(ed.status());
  auto signer = NoteSigner::New(name, std::move(*ed));
  EXPECT_OK(signer.status());
  return std::move(*signer);
}

std::unique_ptr<NoteVerifier> VerifierOf(const NoteSigner& signer) {
  auto v = NoteVerifier::FromVerifierKey(signer.VerifierKey());
  EXPECT_OK(v.status());
  return std::move(*v);
}

TEST(SignedNote, ReproducesGoNoteByteForByte) {
  std::unique_ptr<NoteSigner> signer = GoSigner();
  EXPECT_EQ(signer->VerifierKey(), kGoVerifierKey);
  EXPECT_EQ(signer->key_id(), 0xc74f20a3u);
  const NoteSigner* signers[] = {signer.get()};
  ASSERT_OK_AND_ASSIGN(std::string note, SignNote(kGoText, signers));
  EXPECT_EQ(note, GoNote());
}

TEST(SignedNote, OpensGoNoteWithGoVerifierKey) {
  ASSERT_OK_AND_ASSIGN(auto verifier,
                       NoteVerifier::FromVerifierKey(kGoVerifierKey));
  EXPECT_EQ(verifier->name(), "PeterNeumann");
  EXPECT_EQ(verifier->key_id(), 0xc74f20a3u);
  EXPECT_EQ(verifier->VerifierKey(), kGoVerifierKey);
  const NoteVerifier* known[] = {verifier.get()};
  ASSERT_OK_AND_ASSIGN(OpenedNote opened, OpenNote(GoNote(), known));
  EXPECT_EQ(opened.text, kGoText);
  EXPECT_THAT(opened.verified,
              ElementsAre(AllOf(Field(&NoteSignature::name, "PeterNeumann"),
                                Field(&NoteSignature::key_id, 0xc74f20a3u))));
  EXPECT_THAT(opened.unknown, IsEmpty());
}

TEST(SignedNote, KeyIdIsSha256OfNameNewlineAlgorithmAndKey) {
  ASSERT_OK_AND_ASSIGN(auto verifier,
                       NoteVerifier::FromVerifierKey(kGoVerifierKey));
  const std::string key =
      Base64ToBytes("ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
  EXPECT_EQ(NoteKeyId("PeterNeumann", key.substr(1)), 0xc74f20a3u);
  EXPECT_NE(NoteKeyId("PeterNeumanN", key.substr(1)), 0xc74f20a3u);
}

TEST(SignedNote, RoundTripsWithSeveralSigners) {
  auto a = SeededSigner("log.example/a", 'a');
  auto b = SeededSigner("witness.example/b", 'b');
  const NoteSigner* signers[] = {a.get(), b.get()};
  const std::string text = "línea uno\nline two\n";
  ASSERT_OK_AND_ASSIGN(std::string note, SignNote(text, signers));

  auto va = VerifierOf(*a);
  auto vb = VerifierOf(*b);
  const NoteVerifier* both[] = {va.get(), vb.get()};
  ASSERT_OK_AND_ASSIGN(OpenedNote opened, OpenNote(note, both));
  EXPECT_EQ(opened.text, text);
  EXPECT_THAT(opened.verified,
              ElementsAre(Field(&NoteSignature::name, "log.example/a"),
                          Field(&NoteSignature::name, "witness.example/b")));

  // Knowing only b: a's signature is reported as unknown and ignored.
  const NoteVerifier* only_b[] = {vb.get()};
  ASSERT_OK_AND_ASSIGN(OpenedNote opened_b, OpenNote(note, only_b));
  EXPECT_THAT(opened_b.verified,
              ElementsAre(Field(&NoteSignature::name, "witness.example/b")));
  EXPECT_THAT(opened_b.unknown,
              ElementsAre(AllOf(Field(&NoteSignature::name, "log.example/a"),
                                Field(&NoteSignature::key_id, a->key_id()))));
}

TEST(SignedNote, RefusesNoteWithoutKnownSignature) {
  auto a = SeededSigner("a", 'a');
  auto other = SeededSigner("other", 'o');
  const NoteSigner* signers[] = {a.get()};
  ASSERT_OK_AND_ASSIGN(std::string note, SignNote("hello\n", signers));
  auto v = VerifierOf(*other);
  const NoteVerifier* known[] = {v.get()};
  EXPECT_THAT(OpenNote(note, known),
              StatusIs(absl::StatusCode::kUnauthenticated,
                       HasSubstr("not signed by any known key")));
  EXPECT_THAT(OpenNote(note, {}), StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST(SignedNote, SameNameOtherKeyIsUnknownNotForged) {
  // A key id mismatch means another key of that name: ignored, as in Go.
  auto a = SeededSigner("a", 'a');
  auto a2 = SeededSigner("a", 'z');
  const NoteSigner* signers[] = {a2.get()};
  ASSERT_OK_AND_ASSIGN(std::string note, SignNote("hello\n", signers));
  auto v = VerifierOf(*a);
  const NoteVerifier* known[] = {v.get()};
  EXPECT_THAT(OpenNote(note, known),
              StatusIs(absl::StatusCode::kUnauthenticated,
                       HasSubstr("not signed by any known key")));
}

TEST(SignedNote, RefusesAlteredTextAndForgedSignature) {
  auto a = SeededSigner("a", 'a');
  auto v = VerifierOf(*a);
  const NoteVerifier* known[] = {v.get()};
  const NoteSigner* signers[] = {a.get()};
  ASSERT_OK_AND_ASSIGN(std::string note, SignNote("size 10\n", signers));

  std::string altered = note;
  altered[5] = '9';
  EXPECT_THAT(OpenNote(altered, known),
              StatusIs(absl::StatusCode::kUnauthenticated,
                       HasSubstr("signature by key a does not verify")));

  // Flip one bit of the signature (after the 4-byte key id).
  const size_t b64_at = note.rfind(' ') + 1;
  std::string raw;
  ASSERT_TRUE(absl::Base64Unescape(
      absl::string_view(note).substr(b64_at, note.size() - b64_at - 1), &raw));
  raw[10] ^= 0x40;
  std::string forged =
      absl::StrCat(note.substr(0, b64_at), absl::Base64Escape(raw), "\n");
  EXPECT_THAT(OpenNote(forged, known),
              StatusIs(absl::StatusCode::kUnauthenticated,
                       HasSubstr("does not verify")));

  // A signature of the wrong size under a known key is a failed signature.
  raw = raw.substr(0, 4 + 63);
  std::string truncated =
      absl::StrCat(note.substr(0, b64_at), absl::Base64Escape(raw), "\n");
  EXPECT_THAT(
      OpenNote(truncated, known),
      StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("wrong size")));
}

TEST(SignedNote, RefusesGoodSignatureFollowedByBadOneFromSameKey) {
  auto a = SeededSigner("a", 'a');
  auto v = VerifierOf(*a);
  const NoteVerifier* known[] = {v.get()};
  const NoteSigner* signers[] = {a.get()};
  ASSERT_OK_AND_ASSIGN(std::string note, SignNote("x\n", signers));
  ASSERT_OK_AND_ASSIGN(std::string other, SignNote("y\n", signers));
  const std::string other_line = other.substr(other.find("\xE2\x80\x94"));
  EXPECT_THAT(OpenNote(note + other_line, known),
              StatusIs(absl::StatusCode::kUnauthenticated));
  // The same good line twice is reported once.
  const std::string line = note.substr(note.find("\xE2\x80\x94"));
  ASSERT_OK_AND_ASSIGN(OpenedNote opened, OpenNote(note + line, known));
  EXPECT_EQ(opened.verified.size(), 1u);
}

struct MalformedCase {
  std::string name;
  std::string note;
  std::string message;
  friend void PrintTo(const MalformedCase& c, std::ostream* os) {
    *os << c.name;
  }
};

std::vector<MalformedCase> MalformedNotes() {
  const std::string good = GoNote();
  const std::string sig = std::string(kGoSignatureLine);
  const std::string dash = "\xE2\x80\x94";
  const std::string b64 =
      "x08go/ZJkuBS9UG/"
      "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngo"
      "tpRZb6KE6RyyBwJnAM=";
  std::string many = std::string(kGoText) + "\n";
  for (int i = 0; i < 101; ++i) {
    absl::StrAppend(&many, dash, " k", i, " ", b64, "\n");
  }
  return {
      {"Empty", "", "must end in a newline"},
      {"NoTrailingNewline", good.substr(0, good.size() - 1),
       "must end in a newline"},
      {"NoBlankLine", absl::StrCat(kGoText, sig), "no blank line"},
      {"NoSignatureLines", absl::StrCat(kGoText, "\n"), "no signature lines"},
      {"BlankLineOnlyAtEnd", absl::StrCat(kGoText, sig, "\n"),
       "no signature lines"},
      {"InvalidUtf8InText", absl::StrCat("caf\xC3\n\n", sig),
       "not valid UTF-8"},
      {"OverlongUtf8", absl::StrCat("\xC0\xAF\n\n", sig), "not valid UTF-8"},
      {"Surrogate", absl::StrCat("\xED\xA0\x80\n\n", sig), "not valid UTF-8"},
      {"TabInText", absl::StrCat("a\tb\n\n", sig), "control character"},
      {"CarriageReturn", absl::StrCat("a\r\n\n", sig), "control character"},
      {"NulInText", absl::StrCat(std::string("a\0b\n", 4), "\n", sig),
       "control character"},
      {"DelInText", absl::StrCat("a\x7F\n\n", sig), "control character"},
      {"HyphenInsteadOfEmDash",
       absl::StrCat(kGoText, "\n- PeterNeumann ", b64, "\n"),
       "does not start with"},
      {"EmDashWithoutSpace",
       absl::StrCat(kGoText, "\n", dash, "PeterNeumann ", b64, "\n"),
       "does not start with"},
      {"NoSpaceBeforeSignature",
       absl::StrCat(kGoText, "\n", dash, " PeterNeumann", b64, "\n"),
       "must be"},
      {"EmptyKeyName", absl::StrCat(kGoText, "\n", dash, "  ", b64, "\n"),
       "key name is empty"},
      {"PlusInKeyName",
       absl::StrCat(kGoText, "\n", dash, " Peter+Neumann ", b64, "\n"),
       "key name contains"},
      {"NoBreakSpaceInKeyName",
       absl::StrCat(kGoText, "\n", dash, " Peter\xC2\xA0Neumann ", b64, "\n"),
       "key name contains"},
      {"TwoSpacesBeforeSignature",
       absl::StrCat(kGoText, "\n", dash, " PeterNeumann  ", b64, "\n"),
       "not valid base64"},
      {"BadBase64", absl::StrCat(kGoText, "\n", dash, " PeterNeumann x!8go\n"),
       "not valid base64"},
      {"UnpaddedBase64",
       absl::StrCat(kGoText, "\n", dash, " PeterNeumann ",
                    b64.substr(0, b64.size() - 1), "\n"),
       "not valid base64"},
      {"NonCanonicalBase64", absl::StrCat(kGoText, "\n", dash, " k AAAAAB==\n"),
       "not valid base64"},
      {"EmptySignature", absl::StrCat(kGoText, "\n", dash, " PeterNeumann \n"),
       "not valid base64"},
      {"SignatureOnlyKeyId",
       absl::StrCat(kGoText, "\n", dash, " PeterNeumann x08gow==\n"),
       "too short"},
      {"TextAfterSignatures", absl::StrCat(good, "trailer\n"),
       "does not start with"},
      {"MoreThan100Signatures", many, "more than 100 signatures"},
  };
}

class MalformedNoteTest : public ::testing::TestWithParam<MalformedCase> {};

TEST_P(MalformedNoteTest, IsInvalidArgument) {
  ASSERT_OK_AND_ASSIGN(auto verifier,
                       NoteVerifier::FromVerifierKey(kGoVerifierKey));
  const NoteVerifier* known[] = {verifier.get()};
  EXPECT_THAT(OpenNote(GetParam().note, known),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr(GetParam().message)));
}

INSTANTIATE_TEST_SUITE_P(
    Notes, MalformedNoteTest, ::testing::ValuesIn(MalformedNotes()),
    [](const ::testing::TestParamInfo<MalformedCase>& info) {
      return info.param.name;
    });

TEST(SignedNote, AcceptsExactly100Signatures) {
  auto a = SeededSigner("a", 'a');
  std::vector<const NoteSigner*> signers(100, a.get());
  ASSERT_OK_AND_ASSIGN(std::string note, SignNote("x\n", signers));
  auto v = VerifierOf(*a);
  const NoteVerifier* known[] = {v.get()};
  EXPECT_OK(OpenNote(note, known).status());
  signers.push_back(a.get());
  EXPECT_THAT(
      SignNote("x\n", signers),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("at most 100")));
}

TEST(SignedNote, SignRefusesInvalidText) {
  auto a = SeededSigner("a", 'a');
  const NoteSigner* signers[] = {a.get()};
  EXPECT_THAT(SignNote("no newline", signers),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("must end in a newline")));
  EXPECT_THAT(SignNote("bell\a\n", signers),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("control character")));
  EXPECT_THAT(SignNote("x\n", {}), StatusIs(absl::StatusCode::kInvalidArgument,
                                            HasSubstr("at least one signer")));
}

TEST(SignedNote, RefusesInvalidKeyNames) {
  for (absl::string_view name :
       {absl::string_view(""), absl::string_view("a b"),
        absl::string_view("a+b"), absl::string_view("a\tb"),
        absl::string_view("a\x7F"), absl::string_view("a\xE3\x80\x80"),
        absl::string_view("\xFF")}) {
    SCOPED_TRACE(name);
    EXPECT_THAT(
        CheckNoteKeyName(name),
        StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("key name")));
    auto ed = Ed25519Signer::Generate();
    ASSERT_OK(ed.status());
    EXPECT_THAT(NoteSigner::New(name, std::move(*ed)),
                StatusIs(absl::StatusCode::kInvalidArgument));
  }
  EXPECT_OK(CheckNoteKeyName("sum.golang.org"));
  EXPECT_OK(CheckNoteKeyName("resguardo.example/audit-log"));
}

TEST(SignedNote, RefusesMalformedVerifierKeys) {
  const std::string good(kGoVerifierKey);
  struct Case {
    std::string vkey;
    std::string message;
  };
  const Case cases[] = {
      {"", "must be <name>+<key id>+<key>"},
      {"PeterNeumann+c74f20a3", "must be <name>+<key id>+<key>"},
      {"+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
       "key name is empty"},
      {"PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
       "8 hexadecimal digits"},
      {"PeterNeumann+c74f20g3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
       "8 hexadecimal digits"},
      {"PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
       "does not match"},
      {"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T",
       "not valid base64"},
      {"PeterNeumann+c74f20a3+Alpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
       "not Ed25519"},
      {"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy",
       "32-byte Ed25519 key, got 29"},
      {"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW+x",
       "not valid base64"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.vkey);
    EXPECT_THAT(
        NoteVerifier::FromVerifierKey(c.vkey),
        StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.message)));
  }
  // Upper-case hex is accepted (as Go's strconv.ParseUint does).
  EXPECT_OK(NoteVerifier::FromVerifierKey(
                "PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/"
                "LDE4izWy10TW")
                .status());
}

TEST(SignedNote, RefusesAmbiguousKnownVerifiers) {
  ASSERT_OK_AND_ASSIGN(auto v1, NoteVerifier::FromVerifierKey(kGoVerifierKey));
  ASSERT_OK_AND_ASSIGN(auto v2, NoteVerifier::FromVerifierKey(kGoVerifierKey));
  const NoteVerifier* known[] = {v1.get(), v2.get()};
  EXPECT_THAT(OpenNote(GoNote(), known),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("share name PeterNeumann and key id "
                                 "c74f20a3")));
}

}  // namespace
}  // namespace resguardo::crypto
