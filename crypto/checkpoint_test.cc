#include "crypto/checkpoint.h"

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "base/testing/status_matchers.h"
#include "crypto/ed25519.h"
#include "crypto/merkle_tree.h"
#include "crypto/secret_data.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace resguardo::crypto {
namespace {

using ::resguardo::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr absl::string_view kOrigin = "resguardo.example/audit";

std::unique_ptr<NoteSigner> Signer(absl::string_view name, char fill) {
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

Checkpoint Sample() {
  Checkpoint c;
  c.origin = std::string(kOrigin);
  c.size = 20852163;
  c.root_hash = HashLeaf("root");
  return c;
}

TEST(Checkpoint, MarshalsTheC2spBody) {
  Checkpoint c = Sample();
  ASSERT_OK_AND_ASSIGN(std::string body, c.Marshal());
  EXPECT_EQ(body, absl::StrCat(kOrigin, "\n20852163\n",
                               absl::Base64Escape(c.root_hash), "\n"));
  c.extensions = {"ext one", "ext two"};
  ASSERT_OK_AND_ASSIGN(body, c.Marshal());
  EXPECT_EQ(body, absl::StrCat(kOrigin, "\n20852163\n",
                               absl::Base64Escape(c.root_hash),
                               "\next one\next two\n"));
  ASSERT_OK_AND_ASSIGN(Checkpoint parsed, ParseCheckpointBody(body));
  EXPECT_EQ(parsed, c);
}

TEST(Checkpoint, ParsesTheC2spExample) {
  // The example body of https://c2sp.org/tlog-checkpoint.
  ASSERT_OK_AND_ASSIGN(
      Checkpoint c,
      ParseCheckpointBody("example.com/behind-the-sofa\n20852163\n"
                          "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"));
  EXPECT_EQ(c.origin, "example.com/behind-the-sofa");
  EXPECT_EQ(c.size, 20852163u);
  EXPECT_EQ(absl::Base64Escape(c.root_hash),
            "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=");
  EXPECT_TRUE(c.extensions.empty());
}

TEST(Checkpoint, ParsesSizeZeroAndUint64Max) {
  const std::string root = absl::Base64Escape(EmptyTreeRoot());
  ASSERT_OK_AND_ASSIGN(Checkpoint zero,
                       ParseCheckpointBody(absl::StrCat("o\n0\n", root, "\n")));
  EXPECT_EQ(zero.size, 0u);
  ASSERT_OK_AND_ASSIGN(Checkpoint max,
                       ParseCheckpointBody(absl::StrCat(
                           "o\n18446744073709551615\n", root, "\n")));
  EXPECT_EQ(max.size, UINT64_MAX);
}

struct MalformedBody {
  std::string name;
  std::string body;
  std::string message;
  friend void PrintTo(const MalformedBody& c, std::ostream* os) {
    *os << c.name;
  }
};

std::vector<MalformedBody> MalformedBodies() {
  const std::string root = absl::Base64Escape(HashLeaf("root"));
  const std::string tail = absl::StrCat("\n", root, "\n");
  return {
      {"Empty", "", "must end in a newline"},
      {"NoFinalNewline", absl::StrCat("o\n1\n", root), "must end in a newline"},
      {"OnlyOrigin", "o\n", "got 1 lines"},
      {"MissingRoot", "o\n1\n", "got 2 lines"},
      {"EmptyOrigin", absl::StrCat("\n1", tail), "origin is empty"},
      {"EmptySize", absl::StrCat("o\n", tail), "tree size is empty"},
      {"LeadingZero", absl::StrCat("o\n01", tail), "leading zero"},
      {"DoubleZero", absl::StrCat("o\n00", tail), "leading zero"},
      {"PlusSign", absl::StrCat("o\n+1", tail), "decimal digits only"},
      {"MinusSign", absl::StrCat("o\n-1", tail), "decimal digits only"},
      {"SpaceInSize", absl::StrCat("o\n1 ", tail), "decimal digits only"},
      {"HexSize", absl::StrCat("o\n0x1", tail), "leading zero"},
      {"NonDigit", absl::StrCat("o\n1a", tail), "decimal digits only"},
      {"Overflow", absl::StrCat("o\n18446744073709551616", tail),
       "does not fit in 64 bits"},
      {"HugeOverflow", absl::StrCat("o\n99999999999999999999999", tail),
       "does not fit in 64 bits"},
      {"EmptyRoot", "o\n1\n\n", "not standard padded base64"},
      {"BadBase64Root", "o\n1\n!!!!\n", "not standard padded base64"},
      {"UnpaddedRoot",
       absl::StrCat("o\n1\n", root.substr(0, root.size() - 1), "\n"),
       "not standard padded base64"},
      {"UrlSafeRoot", "o\n1\n" + std::string(40, '_') + "AAA=\n",
       "not standard padded base64"},
      {"ShortRoot",
       absl::StrCat("o\n1\n", absl::Base64Escape(std::string(31, 'x')), "\n"),
       "must be 32 bytes, got 31"},
      {"LongRoot",
       absl::StrCat("o\n1\n", absl::Base64Escape(std::string(33, 'x')), "\n"),
       "must be 32 bytes, got 33"},
      {"EmptyExtension", absl::StrCat("o\n1", tail, "\n"),
       "extension line is empty"},
      {"EmptyExtensionBetween", absl::StrCat("o\n1", tail, "a\n\nb\n"),
       "extension line is empty"},
      {"ControlInOrigin", absl::StrCat("o\to\n1", tail), "control character"},
      {"CrLf", absl::StrCat("o\r\n1\r", tail), "control character"},
      {"InvalidUtf8", absl::StrCat("o\xFF\n1", tail), "not valid UTF-8"},
  };
}

class MalformedBodyTest : public ::testing::TestWithParam<MalformedBody> {};

TEST_P(MalformedBodyTest, IsInvalidArgument) {
  EXPECT_THAT(ParseCheckpointBody(GetParam().body),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr(GetParam().message)));
}

INSTANTIATE_TEST_SUITE_P(
    Bodies, MalformedBodyTest, ::testing::ValuesIn(MalformedBodies()),
    [](const ::testing::TestParamInfo<MalformedBody>& info) {
      return info.param.name;
    });

TEST(Checkpoint, MarshalRefusesFieldsItCannotWrite) {
  Checkpoint c = Sample();
  c.origin = "";
  EXPECT_THAT(c.Marshal(), StatusIs(absl::StatusCode::kInvalidArgument,
                                    HasSubstr("origin is empty")));
  c.origin = "a\nb";
  EXPECT_THAT(c.Marshal(), StatusIs(absl::StatusCode::kInvalidArgument,
                                    HasSubstr("origin contains a newline")));
  c = Sample();
  c.root_hash = "short";
  EXPECT_THAT(c.Marshal(), StatusIs(absl::StatusCode::kInvalidArgument,
                                    HasSubstr("must be 32 bytes, got 5")));
  c = Sample();
  c.extensions = {"ok", ""};
  EXPECT_THAT(c.Marshal(), StatusIs(absl::StatusCode::kInvalidArgument,
                                    HasSubstr("extension line is empty")));
  c.extensions = {"bad\x01"};
  EXPECT_THAT(c.Marshal(), StatusIs(absl::StatusCode::kInvalidArgument,
                                    HasSubstr("control character")));
}

class SignedCheckpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    log_ = Signer(kOrigin, 'L');
    witness_ = Signer("witness.example", 'W');
    log_verifier_ = VerifierOf(*log_);
    witness_verifier_ = VerifierOf(*witness_);
    const NoteSigner* signers[] = {log_.get()};
    auto note = SignCheckpoint(Sample(), signers);
    ASSERT_OK(note.status());
    note_ = *note;
  }
  std::unique_ptr<NoteSigner> log_, witness_;
  std::unique_ptr<NoteVerifier> log_verifier_, witness_verifier_;
  std::string note_;
};

TEST_F(SignedCheckpointTest, RoundTrips) {
  const NoteVerifier* known[] = {log_verifier_.get()};
  ASSERT_OK_AND_ASSIGN(Checkpoint c, OpenCheckpoint(note_, known, kOrigin));
  EXPECT_EQ(c, Sample());
  ASSERT_OK_AND_ASSIGN(std::string body, Sample().Marshal());
  EXPECT_EQ(note_.substr(0, body.size() + 1), body + "\n");
  EXPECT_EQ(note_.substr(body.size() + 1, 5 + kOrigin.size()),
            absl::StrCat("\xE2\x80\x94 ", kOrigin, " "));
}

TEST_F(SignedCheckpointTest, IsDeterministicForAFixedKey) {
  const NoteSigner* signers[] = {log_.get()};
  ASSERT_OK_AND_ASSIGN(std::string again, SignCheckpoint(Sample(), signers));
  EXPECT_EQ(again, note_);
}

TEST_F(SignedCheckpointTest, CosignedByWitnessOpensWithEitherKey) {
  const NoteSigner* signers[] = {log_.get(), witness_.get()};
  ASSERT_OK_AND_ASSIGN(std::string note, SignCheckpoint(Sample(), signers));
  const NoteVerifier* witness_only[] = {witness_verifier_.get()};
  EXPECT_OK(OpenCheckpoint(note, witness_only, kOrigin).status());
  const NoteVerifier* both[] = {log_verifier_.get(), witness_verifier_.get()};
  EXPECT_OK(OpenCheckpoint(note, both, kOrigin).status());
}

TEST_F(SignedCheckpointTest, RefusesOriginMismatch) {
  const NoteVerifier* known[] = {log_verifier_.get()};
  EXPECT_THAT(OpenCheckpoint(note_, known, "other.example/log"),
              StatusIs(absl::StatusCode::kUnauthenticated,
                       HasSubstr("another log, not \"other.example/log\"")));
}

TEST_F(SignedCheckpointTest, RefusesAlteredSizeRootAndOrigin) {
  const NoteVerifier* known[] = {log_verifier_.get()};
  const std::string size_altered =
      absl::StrReplaceAll(note_, {{"\n20852163\n", "\n20852164\n"}});
  ASSERT_NE(size_altered, note_);
  EXPECT_THAT(OpenCheckpoint(size_altered, known, kOrigin),
              StatusIs(absl::StatusCode::kUnauthenticated,
                       HasSubstr("does not verify")));

  Checkpoint other_root = Sample();
  other_root.root_hash = HashLeaf("other root");
  const std::string root_altered =
      absl::StrReplaceAll(note_, {{absl::Base64Escape(Sample().root_hash),
                                   absl::Base64Escape(other_root.root_hash)}});
  ASSERT_NE(root_altered, note_);
  EXPECT_THAT(OpenCheckpoint(root_altered, known, kOrigin),
              StatusIs(absl::StatusCode::kUnauthenticated,
                       HasSubstr("does not verify")));

  const std::string origin_altered = "x" + note_;
  EXPECT_THAT(OpenCheckpoint(origin_altered, known, kOrigin),
              StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST_F(SignedCheckpointTest, RefusesSignatureByAnotherKeyOfTheSameName) {
  auto impostor = Signer(kOrigin, 'I');
  const NoteSigner* signers[] = {impostor.get()};
  ASSERT_OK_AND_ASSIGN(std::string forged, SignCheckpoint(Sample(), signers));
  const NoteVerifier* known[] = {log_verifier_.get()};
  EXPECT_THAT(OpenCheckpoint(forged, known, kOrigin),
              StatusIs(absl::StatusCode::kUnauthenticated,
                       HasSubstr("not signed by any known key")));
}

TEST_F(SignedCheckpointTest, RefusesSignedButMalformedBody) {
  const NoteSigner* signers[] = {log_.get()};
  ASSERT_OK_AND_ASSIGN(
      std::string note,
      SignNote(absl::StrCat(kOrigin, "\n01\nAAAA\n"), signers));
  const NoteVerifier* known[] = {log_verifier_.get()};
  EXPECT_THAT(
      OpenCheckpoint(note, known, kOrigin),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("leading zero")));
}

TEST_F(SignedCheckpointTest, RefusesMalformedNote) {
  const NoteVerifier* known[] = {log_verifier_.get()};
  EXPECT_THAT(OpenCheckpoint(note_.substr(0, note_.size() - 1), known, kOrigin),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("must end in a newline")));
}

TEST(Checkpoint, CommitsToATreeWhoseProofsVerify) {
  MerkleTree tree;
  for (int i = 0; i < 11; ++i)
    ASSERT_OK(tree.Append(HashLeaf(absl::StrCat(i))));
  auto log = Signer(kOrigin, 'L');
  Checkpoint c{std::string(kOrigin), tree.size(), tree.Root(), {}};
  const NoteSigner* signers[] = {log.get()};
  ASSERT_OK_AND_ASSIGN(std::string note, SignCheckpoint(c, signers));
  auto v = VerifierOf(*log);
  const NoteVerifier* known[] = {v.get()};
  ASSERT_OK_AND_ASSIGN(Checkpoint opened, OpenCheckpoint(note, known, kOrigin));
  ASSERT_OK_AND_ASSIGN(auto proof, tree.InclusionProof(7, opened.size));
  EXPECT_OK(
      VerifyInclusion(HashLeaf("7"), 7, opened.size, proof, opened.root_hash));
}

}  // namespace
}  // namespace resguardo::crypto
