#include "clients/cli/publication_check.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "crypto/ed25519.h"
#include "crypto/secret_data.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace resguardo::cli {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kOrigin[] = "resguardo.local/registry";
constexpr char kCsv[] = "nombre,sexo\nPersona Sancionada,Hombre\n";

std::unique_ptr<crypto::NoteSigner> Signer(absl::string_view name, char fill) {
  auto ed =
      crypto::Ed25519Signer::New(crypto::SecretData(std::string(32, fill)));
  EXPECT_TRUE(ed.ok());
  auto signer = crypto::NoteSigner::New(name, std::move(*ed));
  EXPECT_TRUE(signer.ok());
  return std::move(*signer);
}

std::unique_ptr<crypto::NoteVerifier> VerifierOf(
    const crypto::NoteSigner& signer) {
  auto v = crypto::NoteVerifier::FromVerifierKey(signer.VerifierKey());
  EXPECT_TRUE(v.ok());
  return std::move(*v);
}

std::string Note(const crypto::NoteSigner& signer, const char* origin) {
  crypto::Publication p;
  p.origin = origin;
  p.time = absl::FromUnixSeconds(1796232000);
  p.files.push_back(crypto::DescribeFile("registro-20261202.csv", kCsv));
  const crypto::NoteSigner* signers[] = {&signer};
  absl::StatusOr<std::string> note = crypto::SignPublication(p, signers);
  EXPECT_TRUE(note.ok()) << note.status();
  return *note;
}

class PublicationCheckTest : public ::testing::Test {
 protected:
  PublicationCheck Check(const std::string& note, const char* name,
                         const std::string& bytes, Lang lang = Lang::kEs) {
    const crypto::NoteVerifier* known[] = {verifier_.get()};
    return CheckPublication(note, known, name, bytes, lang);
  }

  std::unique_ptr<crypto::NoteSigner> signer_ = Signer(kOrigin, 7);
  std::unique_ptr<crypto::NoteVerifier> verifier_ = VerifierOf(*signer_);
};

TEST_F(PublicationCheckTest, AnUnchangedFileVerifies) {
  const PublicationCheck c =
      Check(Note(*signer_, kOrigin), "registro-20261202.csv", kCsv);
  ASSERT_TRUE(c.publication.has_value()) << c.reason;
  EXPECT_EQ(c.publication->origin, kOrigin);
}

// Every reason in Spanish and in English, never the crypto library's
// English text.
TEST_F(PublicationCheckTest, EachFailureHasItsReasonInBothLanguages) {
  const std::string note = Note(*signer_, kOrigin);
  std::string changed = kCsv;
  changed[3] ^= 1;
  std::string tampered = note;
  tampered.replace(tampered.find("registry"), 8, "registrY");
  const auto other_signer = Signer(kOrigin, 9);
  const auto wrong_origin = Signer("otro.local/registro", 7);
  struct Expect {
    std::string note;
    const char* name;
    std::string bytes;
    const char* code;
    const char* es;
    const char* en;
  };
  const Expect cases[] = {
      {note, "registro-20261202.csv", changed, "FILE_CHANGED",
       "cambió después de publicarse", "changed after it was published"},
      {note, "copia.csv", kCsv, "FILE_NOT_NAMED",
       "no avala un archivo llamado «copia.csv» (avala: "
       "registro-20261202.csv). La nota ata cada archivo a su nombre: si lo "
       "renombró, dé el nombre original con --name.",
       "if you renamed it, give the original name with --name"},
      {tampered, "registro-20261202.csv", kCsv, "BAD_SIGNATURE",
       "la firma de la clave resguardo.local/registry no se verifica",
       "the signature by key resguardo.local/registry does not verify"},
      {Note(*other_signer, kOrigin), "registro-20261202.csv", kCsv,
       "UNKNOWN_KEY", "ninguna de las claves dadas (--vkey) firmó la nota",
       "none of the keys given (--vkey) signed the note"},
      {"no es una nota", "registro-20261202.csv", kCsv, "NOTE_MALFORMED",
       "no tiene la forma de una nota firmada", "not in the form of a signed"},
  };
  for (const Expect& e : cases) {
    const PublicationCheck es = Check(e.note, e.name, e.bytes, Lang::kEs);
    EXPECT_FALSE(es.publication.has_value()) << e.code;
    EXPECT_EQ(es.reason_code, e.code);
    EXPECT_THAT(es.reason, AllOf(HasSubstr(e.es), Not(HasSubstr("the "))))
        << e.code;
    const PublicationCheck en = Check(e.note, e.name, e.bytes, Lang::kEn);
    EXPECT_THAT(en.reason, HasSubstr(e.en)) << e.code;
  }
  // A note that a known key signs under another name than its origin.
  const auto other = VerifierOf(*wrong_origin);
  const crypto::NoteVerifier* known[] = {other.get()};
  const PublicationCheck c =
      CheckPublication(Note(*wrong_origin, kOrigin), known,
                       "registro-20261202.csv", kCsv, Lang::kEs);
  EXPECT_EQ(c.reason_code, "OTHER_ORIGIN");
  EXPECT_THAT(c.reason, HasSubstr("no la de la institución"));
}

}  // namespace
}  // namespace resguardo::cli
