#include "crypto/publication_note.h"

#include <memory>
#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "base/testing/status_matchers.h"
#include "crypto/ed25519.h"
#include "crypto/secret_data.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace resguardo::crypto {
namespace {

using ::resguardo::testing::StatusIs;
using ::testing::HasSubstr;

constexpr char kOrigin[] = "resguardo.local/registry";
constexpr char kCsv[] = "nombre,sexo\nPersona Sancionada,Hombre\n";

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

Publication Sample() {
  Publication p;
  p.origin = kOrigin;
  p.time = absl::FromUnixSeconds(1796232000);  // 2026-12-02T17:20:00Z
  p.files.push_back(DescribeFile("registro.csv", kCsv));
  p.files.push_back(DescribeFile("registro.json", "[]\n"));
  return p;
}

TEST(PublicationNoteTest, MarshalsOriginTimeAndSha256Lines) {
  absl::StatusOr<std::string> text = Sample().Marshal();
  ASSERT_OK(text.status());
  EXPECT_EQ(*text, absl::StrCat(kOrigin, "\n2026-12-02T17:20:00Z\n",
                                absl::BytesToHexString(Sha256(kCsv)),
                                "  registro.csv\n",
                                // SHA-256("[]\n")
                                absl::BytesToHexString(Sha256("[]\n")),
                                "  registro.json\n"));
  // The SHA-256 of the empty string, as sha256sum prints it.
  EXPECT_EQ(absl::BytesToHexString(Sha256("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(PublicationNoteTest, SignedPublicationOpensAndVouchesForItsFiles) {
  auto signer = Signer(kOrigin, 'p');
  const NoteSigner* signers[] = {signer.get()};
  absl::StatusOr<std::string> note = SignPublication(Sample(), signers);
  ASSERT_OK(note.status());
  auto verifier = VerifierOf(*signer);
  const NoteVerifier* known[] = {verifier.get()};
  absl::StatusOr<Publication> opened = OpenPublication(*note, known, kOrigin);
  ASSERT_OK(opened.status());
  EXPECT_EQ(opened->time, Sample().time);
  EXPECT_OK(CheckPublishedFile(*opened, "registro.csv", kCsv));
  EXPECT_OK(CheckPublishedFile(*opened, "", kCsv));
  EXPECT_OK(CheckPublishedFile(*opened, "registro.json", "[]\n"));
}

TEST(PublicationNoteTest, AChangedByteFailsVerification) {
  auto signer = Signer(kOrigin, 'p');
  const NoteSigner* signers[] = {signer.get()};
  absl::StatusOr<std::string> note = SignPublication(Sample(), signers);
  ASSERT_OK(note.status());
  auto verifier = VerifierOf(*signer);
  const NoteVerifier* known[] = {verifier.get()};
  absl::StatusOr<Publication> opened = OpenPublication(*note, known, kOrigin);
  ASSERT_OK(opened.status());
  std::string changed = kCsv;
  changed[10] ^= 0x01;
  EXPECT_THAT(CheckPublishedFile(*opened, "registro.csv", changed),
              StatusIs(absl::StatusCode::kUnauthenticated,
                       HasSubstr("SHA-256 is not the one")));
  EXPECT_THAT(CheckPublishedFile(*opened, "otro.csv", kCsv),
              StatusIs(absl::StatusCode::kUnauthenticated,
                       HasSubstr("does not name this file")));
  // The JSON's hash does not vouch for the CSV under the CSV's name.
  EXPECT_THAT(CheckPublishedFile(*opened, "registro.json", kCsv),
              StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST(PublicationNoteTest, AChangedNoteOrAnotherKeyFails) {
  auto signer = Signer(kOrigin, 'p');
  const NoteSigner* signers[] = {signer.get()};
  absl::StatusOr<std::string> note = SignPublication(Sample(), signers);
  ASSERT_OK(note.status());
  auto verifier = VerifierOf(*signer);
  const NoteVerifier* known[] = {verifier.get()};
  // A hash in the note's text rewritten to vouch for another file.
  std::string forged = *note;
  const size_t at = forged.find("  registro.csv") - 1;
  forged[at] = forged[at] == '0' ? '1' : '0';
  EXPECT_THAT(OpenPublication(forged, known, kOrigin),
              StatusIs(absl::StatusCode::kUnauthenticated));
  // The same origin name under another key (e.g. the audit key's seed).
  auto impostor = Signer(kOrigin, 'a');
  auto impostor_verifier = VerifierOf(*impostor);
  const NoteVerifier* wrong[] = {impostor_verifier.get()};
  EXPECT_THAT(OpenPublication(*note, wrong, kOrigin),
              StatusIs(absl::StatusCode::kUnauthenticated));
  // Another origin than expected.
  EXPECT_THAT(OpenPublication(*note, known, "other.local/registry"),
              StatusIs(absl::StatusCode::kUnauthenticated,
                       HasSubstr("another origin")));
}

TEST(PublicationNoteTest, AKeyOfAnotherNameDoesNotVouch) {
  auto other = Signer("resguardo.local/audit", 'p');
  Publication p = Sample();
  const NoteSigner* signers[] = {other.get()};
  absl::StatusOr<std::string> note = SignPublication(p, signers);
  ASSERT_OK(note.status());
  auto verifier = VerifierOf(*other);
  const NoteVerifier* known[] = {verifier.get()};
  EXPECT_THAT(OpenPublication(*note, known, ""),
              StatusIs(absl::StatusCode::kUnauthenticated,
                       HasSubstr("named after the publication's origin")));
}

TEST(PublicationNoteTest, RefusesMalformedBodies) {
  Publication p = Sample();
  p.files[0].name = "../registro.csv";
  EXPECT_THAT(p.Marshal(), StatusIs(absl::StatusCode::kInvalidArgument));
  p = Sample();
  p.files.clear();
  EXPECT_THAT(p.Marshal(), StatusIs(absl::StatusCode::kInvalidArgument));
  p = Sample();
  p.origin = "a\nb";
  EXPECT_THAT(p.Marshal(), StatusIs(absl::StatusCode::kInvalidArgument));
  const std::string hash(64, 'a');
  for (const std::string& body : {
           absl::StrCat(kOrigin, "\n2026-12-02T17:20:00Z\n"),
           absl::StrCat(kOrigin, "\n2026-12-02 17:20:00\n", hash, "  a.csv\n"),
           absl::StrCat(kOrigin, "\n2026-12-02T17:20:00Z\n", hash, " a.csv\n"),
           absl::StrCat(kOrigin, "\n2026-12-02T17:20:00Z\n",
                        std::string(64, 'A'), "  a.csv\n"),
           absl::StrCat(kOrigin, "\n2026-12-02T17:20:00Z\n", hash, "  a.csv"),
       }) {
    EXPECT_THAT(ParsePublicationBody(body),
                StatusIs(absl::StatusCode::kInvalidArgument))
        << body;
  }
  absl::StatusOr<Publication> ok = ParsePublicationBody(
      absl::StrCat(kOrigin, "\n2026-12-02T17:20:00Z\n", hash, "  a.csv\n"));
  ASSERT_OK(ok.status());
  EXPECT_EQ(ok->files[0].name, "a.csv");
}

}  // namespace
}  // namespace resguardo::crypto
