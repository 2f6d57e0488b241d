#include "services/registry/registry_export.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "base/testing/status_matchers.h"
#include "crypto/ed25519.h"
#include "crypto/publication_note.h"
#include "crypto/testing/fixed_key_provider.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/registry/registry_validator.h"

namespace resguardo::registry {
namespace {

using ::resguardo::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

v1::RegistryEntry Entry() {
  v1::RegistryEntry e;
  e.set_name("institutions/IEEPCO/registryEntries/1");
  e.set_sanctioned_person(
      "institutions/IEEPCO/cases/IEEPCO-2026-000001/resolutions/1/"
      "sanctionedPersons/1");
  e.set_person_name("Juan \"El Canario\" Pérez, hijo");
  e.set_sex(v1::SANCTIONED_PERSON_SEX_MAN);
  e.set_position("Presidente municipal");
  e.set_candidacy(v1::CANDIDACY_NONE);
  e.set_territorial_level(v1::TERRITORIAL_LEVEL_MUNICIPAL);
  e.set_state_code("20");
  e.set_sanctioning_authority("Tribunal Electoral del Estado de Oaxaca");
  e.set_file_number("JDC/12/2026");
  e.add_conducts(v1::CONDUCT_C12);
  e.add_conducts(v1::CONDUCT_C17);
  e.set_qualification(v1::FAULT_QUALIFICATION_ORDINARY);
  e.add_sanctions(v1::SANCTION_TYPE_FINE);
  e.add_sanctions(v1::SANCTION_TYPE_REGISTRY_INSCRIPTION);
  e.mutable_term()->set_years(4);
  *e.mutable_start_date() = DateOf(20261201);
  *e.mutable_end_date() = DateOf(20301201);
  e.add_victim_intersectionality(v1::SELF_IDENTIFICATION_INDIGENOUS);
  return e;
}

TEST(RegistryExportTest, CsvHasSpanishHeadersLabelsAndIsoDates) {
  const std::string csv = RenderCsv({Entry()});
  EXPECT_THAT(csv,
              StartsWith("nombre,sexo,cargo,candidatura,ambito_territorial,"
                         "entidad,autoridad_sancionadora,expediente,conductas,"
                         "calificacion,reincidencia,sanciones,temporalidad,"
                         "fecha_inicio,fecha_fin,"
                         "categoria_interseccional_victima\r\n"));
  EXPECT_THAT(csv, HasSubstr("\"Juan \"\"El Canario\"\" Pérez, hijo\",Hombre,"
                             "Presidente municipal,Ninguna,Municipal,Oaxaca,"));
  EXPECT_THAT(csv, HasSubstr(",Ordinaria,No,Multa; Inscripción en el registro "
                             "de personas sancionadas,P4Y0M0D,2026-12-01,"
                             "2030-12-01,Indígena\r\n"));
  // Nothing but the public fields: no resource name, no case.
  EXPECT_THAT(csv, Not(HasSubstr("IEEPCO-2026")));
  EXPECT_THAT(csv, Not(HasSubstr("registryEntries")));
}

TEST(RegistryExportTest, JsonHasTheSameKeys) {
  const std::string json = RenderJson({Entry()});
  EXPECT_THAT(json, HasSubstr("\"nombre\": \"Juan \\\"El Canario\\\" Pérez, "
                              "hijo\", \"sexo\": \"Hombre\""));
  EXPECT_THAT(json, HasSubstr("\"fecha_fin\": \"2030-12-01\""));
  EXPECT_THAT(json, Not(HasSubstr("IEEPCO-2026")));
  EXPECT_EQ(RenderJson({}), "[]\n");
}

TEST(RegistryExportTest, CsvCellsCannotBecomeFormulas) {
  v1::RegistryEntry e = Entry();
  e.set_position("=HYPERLINK(\"x\")");
  EXPECT_THAT(RenderCsv({e}), HasSubstr(",\"'=HYPERLINK(\"\"x\"\")\","));
}

TEST(RegistryExportTest, PublishedFilesVerifyAndAChangedByteDoesNot) {
  crypto::testing::FixedKeyProvider keys;
  FakeClock clock(absl::FromUnixSeconds(1796232000));
  absl::StatusOr<std::unique_ptr<RegistryPublisher>> publisher =
      RegistryPublisher::New(keys, PublicationOrigin("resguardo.local"),
                             &clock);
  ASSERT_OK(publisher.status());
  absl::StatusOr<v1::RegistryExport> out = (*publisher)->Publish({Entry()});
  ASSERT_OK(out.status());
  EXPECT_EQ(out->csv_file_name(), "registro-20261202.csv");
  EXPECT_EQ(out->entry_count(), 1);
  absl::StatusOr<std::unique_ptr<crypto::NoteVerifier>> verifier =
      crypto::NoteVerifier::FromVerifierKey((*publisher)->VerifierKey());
  ASSERT_OK(verifier.status());
  const crypto::NoteVerifier* known[] = {verifier->get()};
  absl::StatusOr<crypto::Publication> opened = crypto::OpenPublication(
      out->signed_note(), known, "resguardo.local/registry");
  ASSERT_OK(opened.status());
  EXPECT_OK(
      crypto::CheckPublishedFile(*opened, out->csv_file_name(), out->csv()));
  EXPECT_OK(
      crypto::CheckPublishedFile(*opened, out->json_file_name(), out->json()));
  std::string changed = out->csv();
  changed[changed.size() / 2] ^= 0x20;
  EXPECT_THAT(
      crypto::CheckPublishedFile(*opened, out->csv_file_name(), changed),
      StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST(RegistryExportTest, ThePublicationKeyIsNotTheAuditKey) {
  crypto::testing::FixedKeyProvider keys;
  FakeClock clock(absl::FromUnixSeconds(1796232000));
  auto publisher = RegistryPublisher::New(
      keys, PublicationOrigin("resguardo.local"), &clock);
  ASSERT_OK(publisher.status());
  absl::StatusOr<crypto::SecretData> audit_seed =
      keys.DeriveKey(crypto::KeyPurpose::kAuditSigning);
  ASSERT_OK(audit_seed.status());
  auto audit_signer = crypto::Ed25519Signer::New(*audit_seed);
  ASSERT_OK(audit_signer.status());
  EXPECT_THAT((*publisher)->VerifierKey(),
              Not(HasSubstr(absl::StrCat(
                  "+", absl::Base64Escape(absl::StrCat(
                           "\x01", (*audit_signer)->PublicKey()))))));
}

TEST(RegistryTermTest, EndIsStartPlusYearsMonthsThenDays) {
  v1::RegistryTerm term;
  term.set_years(4);
  EXPECT_EQ(TermEnd(absl::CivilDay(2026, 12, 1), term),
            absl::CivilDay(2030, 12, 1));
  term.set_years(2);
  term.set_months(9);
  EXPECT_EQ(TermEnd(absl::CivilDay(2026, 5, 31), term),
            absl::CivilDay(2029, 2, 28));
  term.set_days(3);
  EXPECT_EQ(TermEnd(absl::CivilDay(2026, 5, 31), term),
            absl::CivilDay(2029, 3, 3));
  v1::RegistryTerm leap;
  leap.set_months(1);
  EXPECT_EQ(TermEnd(absl::CivilDay(2028, 1, 31), leap),
            absl::CivilDay(2028, 2, 29));
}

TEST(RegistryNamesTest, ParsesEntryAndSanctionedPersonNames) {
  std::optional<EntryName> n =
      ParseEntryName("institutions/IEEPCO/registryEntries/12");
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(n->institution, "IEEPCO");
  EXPECT_EQ(n->seq, 12);
  EXPECT_FALSE(ParseEntryName("institutions/IEEPCO/registryEntries/0"));
  EXPECT_FALSE(ParseEntryName("institutions/IEEPCO/cases/1"));
  EXPECT_EQ(CaseOfSanctionedPerson("institutions/IEEPCO/cases/"
                                   "IEEPCO-2026-000001/resolutions/1/"
                                   "sanctionedPersons/2"),
            "institutions/IEEPCO/cases/IEEPCO-2026-000001");
  EXPECT_FALSE(CaseOfSanctionedPerson(
      "institutions/IEEPCO/cases/IEEPCO-2026-000001/resolutions/1"));
}

}  // namespace
}  // namespace resguardo::registry
