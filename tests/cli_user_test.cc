// The CLI as a new user meets it (issue 20), through the real `resguardo`
// binary against a real resguardod on loopback with real mTLS and a real
// SQLCipher file, in Spanish and English.
//   - case files take the short codes and the labels the CLI teaches, and
//     the shipped examples (clients/cli/examples/) register a case;
//   - a mistake in a file is named by field, line and column, and why,
//     without repeating the file's content;
//   - flags take the labels of either language (--risk ALTO, --role
//     AUDITORA).
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "resguardo/v1/case_service.grpc.pb.h"
#include "tests/testing/english_words.h"
#include "tests/testing/pty_session.h"
#include "tests/testing/test_deployment.h"
#include "tests/testing/test_node.h"

namespace resguardo {
namespace {

using ::resguardo::testing::RunCli;
using ::resguardo::testing::Staff;
using ::resguardo::testing::TestNode;
using ::testing::HasSubstr;
using ::testing::Not;

const Staff kAdmin{"IEEPCO", "admin", v1::ROLE_ADMIN};
const Staff kRegistrar{"IEEPCO", "reg", v1::ROLE_REGISTRAR};
const Staff kCaseworker{"IEEPCO", "cw", v1::ROLE_CASEWORKER};
const Staff kFgeoAdmin{"FGEO", "fgeo.admin", v1::ROLE_ADMIN};
const Staff kAuditor{"IEEPCO", "aud", v1::ROLE_AUDITOR};
const Staff kFgeoCaseworker{"FGEO", "fgeo.cw", v1::ROLE_CASEWORKER};

constexpr char kCanary[] = "CANARIO-CLI-4e2b";

std::string Source(const std::string& path) {
  const char* src = std::getenv("RESGUARDO_SOURCE_DIR");
  return absl::StrCat(src ? src : ".", "/", path);
}

class CliUserTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // The deadline monitor every second: a follow-up due today raises its
    // alert at once.
    testing::TestNodeOptions options;
    options.extra_config = "referrals { monitor_interval_seconds: 1 }";
    absl::StatusOr<std::unique_ptr<TestNode>> node = TestNode::Create(options);
    ASSERT_TRUE(node.ok()) << node.status();
    node_ = node->release();
    absl::Status certs = testing::IssueClientCerts(
        *node_,
        {&kRegistrar, &kCaseworker, &kFgeoAdmin, &kAuditor, &kFgeoCaseworker});
    ASSERT_TRUE(certs.ok()) << certs;
    absl::Status started = node_->Start();
    ASSERT_TRUE(started.ok()) << started;
    absl::Status institutions = testing::CreateInstitutions(
        *node_, {{"FGEO", v1::INSTITUTION_KIND_PROSECUTOR, "FGEO", "20"}});
    ASSERT_TRUE(institutions.ok()) << institutions;
    absl::Status users = testing::CreateUsers(
        *node_,
        {&kRegistrar, &kCaseworker, &kFgeoAdmin, &kAuditor, &kFgeoCaseworker});
    ASSERT_TRUE(users.ok()) << users;
  }

  static void TearDownTestSuite() {
    if (node_ == nullptr) return;
    absl::StatusOr<int> code = node_->Stop();
    EXPECT_TRUE(code.ok());
    delete node_;
    node_ = nullptr;
  }

  void SetUp() override {
    if (node_ == nullptr) GTEST_SKIP() << "the node did not start";
  }

  static std::string File(const std::string& name, const std::string& text) {
    const std::string path = absl::StrCat(node_->dir(), "/", name);
    std::ofstream(path) << text;
    return path;
  }

  // Every Spanish error a test provokes is checked for English (item 9).
  static int Cli(const Staff& who, const std::vector<std::string>& args,
                 std::string* out, const std::string& lang = "es") {
    const int code = RunCli(*node_, who, args, out, lang);
    if (lang == "es" && code != 0) {
      EXPECT_THAT(testing::EnglishWordsIn(*out), ::testing::IsEmpty())
          << "English in a Spanish error: " << *out;
    }
    return code;
  }

  // The number of IEEPCO's cases, read through the API.
  static int CaseCount() {
    auto stub = v1::CaseService::NewStub(
        node_->Channel(kRegistrar.institution, kRegistrar.user));
    v1::ListCasesRequest request;
    request.set_parent("institutions/IEEPCO");
    request.set_page_size(1000);
    v1::ListCasesResponse response;
    grpc::Status s =
        stub->ListCases(TestNode::Context().get(), request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response.cases_size();
  }

  // Registers the shipped example `file` as the registrar; the new case's
  // name ("" and a test failure if it was refused).
  static std::string RegisterExample(const std::string& file);

  static TestNode* node_;
};

TestNode* CliUserTest::node_ = nullptr;

// Item 1: the shipped examples, written with short codes and Spanish
// labels, register a case in either format.
TEST_F(CliUserTest, TheShippedExampleFilesRegisterACase) {
  for (const char* example : {"caso.textproto", "caso.json"}) {
    const int before = CaseCount();
    std::string out;
    EXPECT_EQ(Cli(kRegistrar,
                  {"case", "create", "--from-file",
                   Source(absl::StrCat("clients/cli/examples/", example))},
                  &out),
              0)
        << example << ": " << out;
    EXPECT_THAT(out, HasSubstr("IEEPCO-")) << example;
    EXPECT_EQ(CaseCount(), before + 1) << example;
  }
}

// Item 1: a bad value is named by its own line, its field and why, in the
// user's language, and the file's content is not repeated; nothing is sent.
TEST_F(CliUserTest, AMistakeInAFileIsNamedByFieldLineAndReason) {
  const std::string file =
      File("mal.textproto", absl::StrCat("descriptors {\n"
                                         "  kind: POLITICAL_VIOLENCE\n"
                                         "  risk_level: EXTREMO\n"
                                         "}\n"
                                         "personal_data { victim_name: \"",
                                         kCanary, "\" }\n"));
  const int before = CaseCount();
  std::string es;
  EXPECT_EQ(Cli(kRegistrar, {"case", "create", "--from-file", file}, &es), 2)
      << es;
  EXPECT_THAT(es,
              HasSubstr("línea 3, columna 15, campo descriptors.risk_level"));
  EXPECT_THAT(es, HasSubstr("códigos: LOW, MEDIUM, HIGH, CRITICAL"));
  EXPECT_THAT(es, Not(HasSubstr(kCanary)));
  std::string en;
  EXPECT_EQ(Cli(kRegistrar, {"case", "create", "--from-file", file}, &en, "en"),
            2)
      << en;
  EXPECT_THAT(en, HasSubstr("line 3, column 15, field descriptors.risk_level"));
  EXPECT_THAT(en, Not(HasSubstr(kCanary)));

  const std::string json = File(
      "mal.json",
      absl::StrCat(R"({"descriptors": {"conducts": ["C01", "C99"]},)",
                   R"( "personalData": {"victimName": ")", kCanary, R"("}})"));
  EXPECT_EQ(Cli(kRegistrar, {"case", "create", "--from-file", json}, &es), 2)
      << es;
  EXPECT_THAT(es, HasSubstr("campo descriptors.conducts[1]"));
  EXPECT_THAT(es, Not(HasSubstr(kCanary)));
  EXPECT_EQ(CaseCount(), before);
}

// Items 1 and 2: flags take the labels a Spanish-speaking user is shown.
TEST_F(CliUserTest, FlagsTakeTheLabelsOfEitherLanguage) {
  const std::string name = File("nombre.txt", "Victima Sintetica Etiquetas");
  const int before = CaseCount();
  std::string out;
  ASSERT_EQ(Cli(kRegistrar,
                {"case", "create", "--kind",
                 "violencia politica contra las mujeres en razon de genero",
                 "--state", "20", "--reported", "2026-11-02", "--risk", "ALTO",
                 "--violence-type", "Simbólica", "--victim-name-file", name,
                 "--json"},
                &out),
            0)
      << out;
  EXPECT_THAT(out, HasSubstr("RISK_LEVEL_HIGH"));
  EXPECT_THAT(out, HasSubstr("VIOLENCE_TYPE_SYMBOLIC"));
  EXPECT_EQ(CaseCount(), before + 1);

  // An admin's --role in Spanish, feminine as the CLI shows it.
  const Staff auditor{"IEEPCO", "aud.etiqueta", v1::ROLE_AUDITOR};
  ASSERT_EQ(Cli(kAdmin,
                {"admin", "user", "create", auditor.user, "--role", "AUDITORA",
                 "--json"},
                &out),
            0)
      << out;
  EXPECT_THAT(out, HasSubstr("ROLE_AUDITOR"));
}

// The value of the first `"key": "..."` in `json` ("" if none).
std::string JsonString(const std::string& json, const std::string& key) {
  const std::string open = absl::StrCat("\"", key, "\":");
  size_t at = json.find(open);
  if (at == std::string::npos) return "";
  at = json.find('"', at + open.size());
  if (at == std::string::npos) return "";
  return json.substr(at + 1, json.find('"', at + 1) - at - 1);
}

std::string CliUserTest::RegisterExample(const std::string& file) {
  std::string out;
  EXPECT_EQ(Cli(kRegistrar,
                {"case", "create", "--from-file",
                 Source(absl::StrCat("clients/cli/examples/", file)), "--json"},
                &out),
            0)
      << out;
  return JsonString(out, "name");
}

// Item 6: a folio typed in lower case or without its zeros, and a referral
// by its number within the caller's institution.
TEST_F(CliUserTest, FoliosAndReferralNumbersAsPeopleTypeThem) {
  const std::string name = RegisterExample("caso.json");
  ASSERT_FALSE(name.empty());
  std::string out;
  const std::string folio = name.substr(name.rfind('/') + 1);
  ASSERT_EQ(folio.rfind("IEEPCO-", 0), 0u) << name;
  const std::string number = folio.substr(folio.rfind('-') + 1);
  const std::string year = folio.substr(7, 4);
  const std::string typed =
      absl::StrCat("ieepco-", year, "-", std::to_string(std::stoi(number)));
  ASSERT_EQ(Cli(kCaseworker, {"case", "get", typed, "--json"}, &out), 0)
      << typed << ": " << out;
  EXPECT_EQ(JsonString(out, "name"), name);

  ASSERT_EQ(Cli(kCaseworker,
                {"referral", "create", typed, "--to", "FGEO", "--service",
                 "investigation", "--scope", "contact-only", "--consent-by",
                 "victim", "--consent-method", "in-person", "--json"},
                &out),
            0)
      << out;
  const std::string referral = JsonString(out, "name");
  const std::string id = referral.substr(referral.rfind('/') + 1);
  ASSERT_FALSE(id.empty()) << out;
  ASSERT_EQ(Cli(kCaseworker, {"referral", "show", id, "--json"}, &out), 0)
      << out;
  EXPECT_EQ(JsonString(out, "name"), referral);
  EXPECT_EQ(Cli(kCaseworker, {"referral", "show", "dos"}, &out), 2) << out;
  EXPECT_THAT(out, HasSubstr("número de una canalización"));
}

// Item 10: a next step due before the follow-up itself is refused before
// anything is sent; a key file with no key says so (not "missing flag").
TEST_F(CliUserTest, SmallMistakesAreCaughtAndNamed) {
  const std::string name = RegisterExample("caso.textproto");
  ASSERT_FALSE(name.empty());
  std::string out;
  const std::string folio = name.substr(name.rfind('/') + 1);
  EXPECT_EQ(Cli(kCaseworker,
                {"case", "follow-up", "add", folio, "--kind", "contact",
                 "--occurred", "2026-11-20T10:00", "--next-due", "2026-11-19"},
                &out),
            2)
      << out;
  EXPECT_THAT(out, HasSubstr("--next-due no puede ser anterior"));
  EXPECT_EQ(Cli(kCaseworker,
                {"case", "follow-up", "add", folio, "--kind", "contact",
                 "--occurred", "2026-11-20T10:00", "--next-due", "2026-11-19"},
                &out, "en"),
            2)
      << out;
  EXPECT_THAT(out, HasSubstr("--next-due cannot be before"));

  const std::string empty = File("sin-clave.txt", "no hay clave aqui\n");
  EXPECT_NE(
      Cli(kCaseworker,
          {"audit", "verify", File("b.bundle", ""), "--vkey", empty}, &out),
      0);
  EXPECT_THAT(out, HasSubstr("no contiene ninguna clave de verificación"));
}

// Item 5: an auditor filters by short method name, folio and outcome name,
// and sees the declared purpose in the table.
TEST_F(CliUserTest, AuditEntriesTakeWhatAnAuditorTypes) {
  const std::string name = RegisterExample("caso.textproto");
  ASSERT_FALSE(name.empty());
  std::string out;
  const std::string folio = name.substr(name.rfind('/') + 1);
  ASSERT_EQ(Cli(kCaseworker,
                {"case", "get", folio, "--view", "full", "--purpose",
                 "risk-assessment"},
                &out),
            0)
      << out;
  const std::string lower = absl::AsciiStrToLower(folio);
  ASSERT_EQ(Cli(kAuditor,
                {"audit", "entries", "--method", "GetCase", "--resource", lower,
                 "--outcome", "ok"},
                &out),
            0)
      << out;
  EXPECT_THAT(out, HasSubstr("/resguardo.v1.CaseService/GetCase"));
  EXPECT_THAT(out, HasSubstr(name));
  EXPECT_THAT(out, HasSubstr("Finalidad"));
  EXPECT_THAT(out, HasSubstr("Análisis de riesgo"));
  EXPECT_EQ(Cli(kAuditor, {"audit", "entries", "--method", "BorrarTodo"}, &out),
            2);
  EXPECT_THAT(out, HasSubstr("ningún método se llama así"));
  EXPECT_EQ(Cli(kAuditor, {"audit", "entries", "--outcome", "denegado"}, &out),
            2);
  EXPECT_THAT(out, HasSubstr("--outcome"));
}

// Item 2: at a terminal (a pseudo-terminal here), a wrong answer is asked
// again, a future date is refused at once, a Spanish label is an answer, and
// the optional fields are offered; the case reaches the node.
TEST_F(CliUserTest, ThePromptAsksAgainAndOffersTheOptionalFields) {
  std::vector<std::string> argv = testing::CliCommand(
      *node_, kRegistrar.institution, kRegistrar.user, "es");
  argv.insert(argv.end(), {"case", "create"});
  const int before = CaseCount();
  absl::StatusOr<std::unique_ptr<testing::PtySession>> pty =
      testing::PtySession::Start(argv);
  ASSERT_TRUE(pty.ok()) << pty.status();
  testing::PtySession& term = **pty;
  ASSERT_TRUE(term.WaitFor("Elija 1–2")) << term.output();
  term.Type("violencia politica");  // not a whole label: asked again
  ASSERT_TRUE(term.WaitFor("Respuesta no válida")) << term.output();
  ASSERT_TRUE(term.WaitFor("Elija 1–2")) << term.output();
  term.Type("1");
  ASSERT_TRUE(term.WaitFor(":")) << term.output();  // the state
  term.Type("20");
  ASSERT_TRUE(term.WaitFor(":")) << term.output();  // the date received
  term.Type("2999-01-01");
  ASSERT_TRUE(term.WaitFor("no puede ser posterior a hoy")) << term.output();
  term.Type("2026-11-20");
  ASSERT_TRUE(term.WaitFor("Elija 1–4")) << term.output();  // risk
  term.Type("alto");
  ASSERT_TRUE(term.WaitFor(":")) << term.output();  // the victim's name
  term.Type("Victima Sintetica Terminal");
  ASSERT_TRUE(term.WaitFor("[s/N]")) << term.output();
  term.Type("s");
  ASSERT_TRUE(term.WaitFor("opcional; Intro para omitir")) << term.output();
  term.Type("067");
  ASSERT_TRUE(term.WaitFor("separados por comas")) << term.output();
  term.Type("Psicológica, 6");
  ASSERT_TRUE(term.WaitFor("separados por comas")) << term.output();
  term.Type("C03");
  ASSERT_TRUE(term.WaitFor("--narrative-file")) << term.output();
  term.Type("");
  ASSERT_TRUE(term.WaitFor("IEEPCO-")) << term.output();
  EXPECT_EQ(term.Finish(), 0) << term.output();
  EXPECT_EQ(CaseCount(), before + 1);
}

// Item 7: the receiving institution records follow-ups on a referral and
// lists them (the notes only with a purpose).
TEST_F(CliUserTest, ReferralFollowUpsFromTheCli) {
  const std::string name = RegisterExample("caso.json");
  ASSERT_FALSE(name.empty());
  std::string out;
  const std::string folio = name.substr(name.rfind('/') + 1);
  ASSERT_EQ(Cli(kCaseworker,
                {"referral", "create", folio, "--to", "FGEO", "--service",
                 "investigation", "--scope", "contact-only", "--consent-by",
                 "victim", "--consent-method", "in-person", "--json"},
                &out),
            0)
      << out;
  const std::string referral = JsonString(out, "name");
  const std::string id = referral.substr(referral.rfind('/') + 1);
  ASSERT_EQ(
      Cli(kFgeoCaseworker, {"referral", "show", referral, "--json"}, &out), 0)
      << out;
  ASSERT_EQ(
      Cli(kFgeoCaseworker,
          {"referral", "accept", referral, "--etag", JsonString(out, "etag")},
          &out),
      0)
      << out;
  const std::string notes = File("nota.txt", "Primera entrevista sintetica");
  ASSERT_EQ(Cli(kFgeoCaseworker,
                {"referral", "follow-up", "add", referral, "--kind", "contact",
                 "--notes-file", notes},
                &out),
            0)
      << out;
  // The receiver lists them: with a purpose, the notes; without, not.
  ASSERT_EQ(
      Cli(kFgeoCaseworker,
          {"referral", "follow-up", "list", referral, "--purpose", "referral"},
          &out),
      0)
      << out;
  EXPECT_THAT(out, HasSubstr("Primera entrevista sintetica"));
  ASSERT_EQ(
      Cli(kFgeoCaseworker, {"referral", "follow-up", "list", referral}, &out),
      0)
      << out;
  EXPECT_THAT(out, Not(HasSubstr("Primera entrevista sintetica")));
  EXPECT_THAT(out, HasSubstr("Contacto"));
  // Item 10: and says why the notes are empty.
  EXPECT_THAT(out, HasSubstr("Las notas no se muestran"));
  EXPECT_THAT(out, HasSubstr("--purpose referral"));
  ASSERT_EQ(Cli(kFgeoCaseworker, {"referral", "follow-up", "list", referral},
                &out, "en"),
            0)
      << out;
  EXPECT_THAT(out, HasSubstr("The notes are not shown"));
}

// Item 7: a second open referral of the same case to the same institution
// for the same service is announced before it is made; a script goes on, a
// person at a terminal decides (and "no" makes nothing).
TEST_F(CliUserTest, ADuplicateReferralIsAnnouncedBeforeItIsMade) {
  const std::string name = RegisterExample("caso.json");
  ASSERT_FALSE(name.empty());
  const std::string folio = name.substr(name.rfind('/') + 1);
  const std::vector<std::string> create = {
      "referral",     "create",       folio,           "--to",
      "FGEO",         "--service",    "investigation", "--scope",
      "contact-only", "--consent-by", "victim",        "--consent-method",
      "in-person"};
  std::string out;
  ASSERT_EQ(Cli(kCaseworker, create, &out), 0) << out;
  EXPECT_THAT(out, Not(HasSubstr("Aviso")));
  ASSERT_EQ(Cli(kCaseworker, create, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("Aviso: este caso ya tiene una canalización "
                             "abierta a FGEO"));
  ASSERT_EQ(Cli(kCaseworker, create, &out, "en"), 0) << out;
  EXPECT_THAT(out, HasSubstr("Warning: this case already has an open "
                             "referral to FGEO"));
  // Another service is no duplicate.
  std::vector<std::string> other = create;
  other[6] = "protection";
  ASSERT_EQ(Cli(kCaseworker, other, &out), 0) << out;
  EXPECT_THAT(out, Not(HasSubstr("Aviso")));

  auto outbox = [&] {
    std::string list;
    EXPECT_EQ(
        Cli(kCaseworker, {"referral", "outbox", "--all", "--json"}, &list), 0)
        << list;
    size_t n = 0;
    for (size_t at = list.find(name); at != std::string::npos;
         at = list.find(name, at + 1)) {
      ++n;
    }
    return n;
  };
  const size_t before = outbox();
  std::vector<std::string> argv = testing::CliCommand(
      *node_, kCaseworker.institution, kCaseworker.user, "es");
  argv.insert(argv.end(), create.begin(), create.end());
  absl::StatusOr<std::unique_ptr<testing::PtySession>> pty =
      testing::PtySession::Start(argv);
  ASSERT_TRUE(pty.ok()) << pty.status();
  testing::PtySession& term = **pty;
  ASSERT_TRUE(term.WaitFor("¿Crear otra canalización de todos modos?"))
      << term.output();
  term.Type("n");
  ASSERT_TRUE(term.WaitFor("No se hizo nada.")) << term.output();
  EXPECT_EQ(term.Finish(), 2) << term.output();
  EXPECT_EQ(outbox(), before);
}

// Item 4: a follow-up due today is alerted as due today ("vence" and the
// day, not the next midnight), and `alerts watch` says how to resume when
// it is interrupted.
TEST_F(CliUserTest, AlertsShowTheDueDayAndHowToResume) {
  const std::string name = RegisterExample("caso.textproto");
  ASSERT_FALSE(name.empty());
  const std::string folio = name.substr(name.rfind('/') + 1);
  const absl::CivilDay today =
      absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  const std::string day = absl::FormatCivilTime(today);
  std::string out;
  ASSERT_EQ(Cli(kCaseworker,
                {"case", "follow-up", "add", folio, "--kind", "contact",
                 "--next-due", day},
                &out),
            0)
      << out;
  // The deadline monitor runs every second.
  const std::string resource = absl::StrCat(name, "/followUps/");
  const absl::Time until = absl::Now() + absl::Seconds(30);
  do {
    ASSERT_EQ(Cli(kCaseworker, {"alerts", "list", "--all"}, &out), 0) << out;
    if (out.find(resource) != std::string::npos) break;
    absl::SleepFor(absl::Milliseconds(300));
  } while (absl::Now() < until);
  ASSERT_THAT(out, HasSubstr(resource));
  EXPECT_THAT(out, HasSubstr(absl::StrCat("vence ", day)));
  EXPECT_THAT(
      out,
      Not(HasSubstr(absl::StrCat(absl::FormatCivilTime(today + 1), " 00:00"))));
  EXPECT_THAT(out, HasSubstr("--resume-token "));
  ASSERT_EQ(Cli(kCaseworker, {"alerts", "list", "--all"}, &out, "en"), 0);
  EXPECT_THAT(out, HasSubstr(absl::StrCat("due ", day)));

  // FGEO watches; a new referral to it is printed, and Ctrl-C tells the
  // token to resume after it.
  std::vector<std::string> argv = testing::CliCommand(
      *node_, kFgeoCaseworker.institution, kFgeoCaseworker.user, "es");
  argv.insert(argv.end(), {"alerts", "watch"});
  absl::StatusOr<std::unique_ptr<testing::PtySession>> pty =
      testing::PtySession::Start(argv);
  ASSERT_TRUE(pty.ok()) << pty.status();
  testing::PtySession& term = **pty;
  ASSERT_TRUE(term.WaitFor("Esperando alertas")) << term.output();
  // The stream starts just after that line: alerts from then on.
  absl::SleepFor(absl::Milliseconds(1500));
  ASSERT_EQ(Cli(kCaseworker,
                {"referral", "create", folio, "--to", "FGEO", "--service",
                 "legal", "--scope", "contact-only", "--consent-by", "victim",
                 "--consent-method", "in-person"},
                &out),
            0)
      << out;
  ASSERT_TRUE(term.WaitFor("Nueva canalización")) << term.output();
  term.Interrupt();
  EXPECT_TRUE(
      term.WaitFor("Para reanudar después de la última alerta: "
                   "resguardo alerts watch --resume-token "))
      << term.output();
  EXPECT_EQ(term.Finish(), 0) << term.output();
}

// Issue 17: an admin enables a disabled user again, as she disabled her.
TEST_F(CliUserTest, AnAdminDisablesAndEnablesAUser) {
  std::string out;
  ASSERT_EQ(Cli(kAdmin,
                {"admin", "user", "create", "vuelve", "--role", "REGISTRADORA",
                 "--json"},
                &out),
            0)
      << out;
  ASSERT_EQ(Cli(kAdmin,
                {"admin", "user", "disable", "vuelve", "--etag",
                 JsonString(out, "etag"), "--json"},
                &out),
            0)
      << out;
  EXPECT_THAT(out, HasSubstr("\"disabled\":true"));
  const std::string etag = JsonString(out, "etag");
  ASSERT_EQ(
      Cli(kAdmin, {"admin", "user", "enable", "vuelve", "--etag", etag}, &out),
      0)
      << out;
  EXPECT_THAT(out, HasSubstr("Usuaria reactivada"));
  // Once more with the same etag: the node says it changed (exit non-zero).
  EXPECT_NE(
      Cli(kAdmin, {"admin", "user", "enable", "vuelve", "--etag", etag}, &out),
      0);
}

}  // namespace
}  // namespace resguardo
