// The CLI's errors say why (issue 20, items 3, 8 and 10), through the real
// `resguardo` binary against a real resguardod on loopback with real mTLS
// and a real SQLCipher file, in Spanish and English:
//   - a PERMISSION_DENIED names the node's actual reason (a disabled user,
//     an auditor outside an oversight body exporting, the operator's admin
//     creating another institution's caseworker, a missing role), and only
//     the missing role asks for the role;
//   - an institution's own analyst runs `stats query` without --scope (the
//     default is what she may see);
//   - a privacy budget over its limit names the spent budget, not a busy
//     node;
//   - INEGI's municipality 999 and a CURP that contradicts the birth date
//     are field errors of the node that name the field and the part;
//   - under --json an error is a JSON object (code, message, field
//     violations, request id), for the node's errors and the CLI's own.
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "resguardo/v1/case_service.grpc.pb.h"
#include "tests/testing/case_requests.h"
#include "tests/testing/english_words.h"
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
const Staff kAuditor{"IEEPCO", "aud", v1::ROLE_AUDITOR};
const Staff kAnalyst{"IEEPCO", "ana", v1::ROLE_ANALYST};
const Staff kLeaving{"IEEPCO", "baja", v1::ROLE_CASEWORKER};
const Staff kFgeoAdmin{"FGEO", "fgeo.admin", v1::ROLE_ADMIN};

// The advice the CLI gave for every refusal before: only the missing role
// earns it.
constexpr char kAskForRole[] = "pida el rol";

class CliErrorsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<TestNode>> node = TestNode::Create({});
    ASSERT_TRUE(node.ok()) << node.status();
    node_ = node->release();
    absl::Status started = testing::StartDeployment(
        *node_, {&kRegistrar, &kAuditor, &kAnalyst, &kLeaving, &kFgeoAdmin},
        {{"FGEO", v1::INSTITUTION_KIND_PROSECUTOR, "FGEO", "20"}});
    ASSERT_TRUE(started.ok()) << started;
    // Enough cases for a count above the threshold k (5 by default).
    auto cases = v1::CaseService::NewStub(
        node_->Channel(kRegistrar.institution, kRegistrar.user));
    for (int i = 0; i < 8; ++i) {
      v1::Case c;
      grpc::Status s = cases->CreateCase(
          TestNode::Context().get(),
          testing::NewCaseRequest(3, v1::RISK_LEVEL_HIGH,
                                  absl::StrCat("Victima Sintetica ", i), ""),
          &c);
      ASSERT_TRUE(s.ok()) << s.error_message();
    }
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

  static TestNode* node_;
};

TestNode* CliErrorsTest::node_ = nullptr;

constexpr int kExitUsage = 2;
constexpr int kExitPermissionDenied = 6;
constexpr int kExitInvalidField = 7;

// The value of the first `"key": "..."` in `json` ("" if none).
std::string JsonString(const std::string& json, const std::string& key) {
  const std::string open = absl::StrCat("\"", key, "\":");
  size_t at = json.find(open);
  if (at == std::string::npos) return "";
  at = json.find('"', at + open.size());
  if (at == std::string::npos) return "";
  return json.substr(at + 1, json.find('"', at + 1) - at - 1);
}

TEST_F(CliErrorsTest, AMissingRoleAsksForTheRole) {
  std::string out;
  EXPECT_EQ(Cli(kRegistrar, {"audit", "entries"}, &out), kExitPermissionDenied)
      << out;
  EXPECT_THAT(out, HasSubstr("Ninguno de sus roles permite esta acción"));
  EXPECT_THAT(out, HasSubstr(kAskForRole));
  EXPECT_EQ(Cli(kRegistrar, {"audit", "entries"}, &out, "en"),
            kExitPermissionDenied)
      << out;
  EXPECT_THAT(out, HasSubstr("None of your roles allows this action"));
}

TEST_F(CliErrorsTest, AnAuditorOutsideAnOversightBodyIsToldWhyNotToExport) {
  const std::string bundle = absl::StrCat(node_->dir(), "/bitacora.bundle");
  std::string out;
  EXPECT_EQ(Cli(kAuditor, {"audit", "export", "--out", bundle}, &out),
            kExitPermissionDenied)
      << out;
  EXPECT_THAT(out, HasSubstr("Solo las auditoras de un órgano de supervisión "
                             "exportan la bitácora completa"));
  EXPECT_THAT(out, Not(HasSubstr(kAskForRole)));
  EXPECT_EQ(Cli(kAuditor, {"audit", "export", "--out", bundle}, &out, "en"),
            kExitPermissionDenied)
      << out;
  EXPECT_THAT(out, HasSubstr("Only the auditors of an oversight body export"));
}

TEST_F(CliErrorsTest, TheOperatorsAdminIsToldSheManagesOnlyHerOwnUsers) {
  std::string out;
  EXPECT_EQ(Cli(kAdmin,
                {"admin", "user", "create", "institutions/FGEO/users/fgeo.cw2",
                 "--role", "CASEWORKER"},
                &out),
            kExitPermissionDenied)
      << out;
  EXPECT_THAT(out, HasSubstr("Una administradora gestiona solo las usuarias "
                             "de su propia institución"));
  EXPECT_THAT(out, Not(HasSubstr(kAskForRole)));
  EXPECT_EQ(Cli(kAdmin,
                {"admin", "user", "create", "institutions/FGEO/users/fgeo.cw2",
                 "--role", "CASEWORKER"},
                &out, "en"),
            kExitPermissionDenied)
      << out;
  EXPECT_THAT(out, HasSubstr("An administrator manages only her own"));
}

TEST_F(CliErrorsTest, ADisabledUserIsToldSheIsDisabled) {
  std::string out;
  ASSERT_EQ(Cli(kLeaving, {"whoami"}, &out), 0) << out;
  ASSERT_EQ(Cli(kAdmin, {"admin", "user", "list", "--json"}, &out), 0) << out;
  // The etag of "baja" (the list is in user id order; read hers).
  const size_t at = out.find("/users/baja\"");
  ASSERT_NE(at, std::string::npos) << out;
  const std::string etag = JsonString(out.substr(at), "etag");
  ASSERT_FALSE(etag.empty()) << out;
  ASSERT_EQ(
      Cli(kAdmin, {"admin", "user", "disable", "baja", "--etag", etag}, &out),
      0)
      << out;
  EXPECT_EQ(Cli(kLeaving, {"case", "list"}, &out), kExitPermissionDenied)
      << out;
  EXPECT_THAT(out, HasSubstr("Su usuaria está deshabilitada en este nodo"));
  EXPECT_THAT(out, Not(HasSubstr(kAskForRole)));
  EXPECT_EQ(Cli(kLeaving, {"case", "list"}, &out, "en"), kExitPermissionDenied)
      << out;
  EXPECT_THAT(out, HasSubstr("Your user is disabled on this node"));
}

// The README's example, as an institution's own analyst types it.
TEST_F(CliErrorsTest, AnInstitutionsAnalystCountsWithoutAScope) {
  std::string out;
  EXPECT_EQ(
      Cli(kAnalyst, {"stats", "query", "--by", "risk_level", "--json"}, &out),
      0)
      << out;
  EXPECT_THAT(out, HasSubstr("STATS_DIMENSION_RISK_LEVEL"));
  // Asking for every institution is still refused, and says why.
  EXPECT_EQ(
      Cli(kAnalyst, {"stats", "query", "--by", "risk_level", "--scope", "all"},
          &out),
      kExitPermissionDenied)
      << out;
  EXPECT_THAT(out, HasSubstr("Solo las analistas de un órgano de supervisión"));
  EXPECT_THAT(out, Not(HasSubstr(kAskForRole)));
}

// Item 8: the default budget is 1 per period; a query of 5 names it.
TEST_F(CliErrorsTest, AnEpsilonOverTheBudgetNamesTheSpentBudget) {
  std::string out;
  EXPECT_NE(
      Cli(kAnalyst, {"stats", "query", "--by", "risk_level", "--epsilon", "5"},
          &out),
      0);
  EXPECT_THAT(out, HasSubstr("Usted agotó su presupuesto de privacidad"));
  EXPECT_THAT(out, Not(HasSubstr("saturado")));
  EXPECT_NE(
      Cli(kAnalyst, {"stats", "query", "--by", "risk_level", "--epsilon", "5"},
          &out, "en"),
      0);
  EXPECT_THAT(out, HasSubstr("You spent your privacy budget (epsilon)"));
  EXPECT_THAT(out, Not(HasSubstr("overloaded")));
}

// The flags of a valid case (no personal data besides a synthetic name).
std::vector<std::string> CaseFlags(const std::string& name_file) {
  return {"case",
          "create",
          "--kind",
          "political-violence",
          "--state",
          "20",
          "--reported",
          "2026-11-02",
          "--risk",
          "HIGH",
          "--victim-name-file",
          name_file};
}

TEST_F(CliErrorsTest, Municipality999IsRefusedByField) {
  const std::string name = File("nombre.txt", "Victima Sintetica Municipio");
  std::vector<std::string> args = CaseFlags(name);
  args.insert(args.end(), {"--municipality", "999"});
  std::string out;
  EXPECT_EQ(Cli(kRegistrar, args, &out), kExitInvalidField) << out;
  EXPECT_THAT(out, HasSubstr("--municipality"));
  EXPECT_THAT(out, HasSubstr("de 001 a 570"));
  EXPECT_THAT(out, HasSubstr("no es un municipio"));
  EXPECT_EQ(Cli(kRegistrar, args, &out, "en"), kExitInvalidField) << out;
  EXPECT_THAT(out, HasSubstr("001 to 570"));
}

TEST_F(CliErrorsTest, ACurpAgainstTheBirthDateSaysWhichPart) {
  const std::string name = File("nombre2.txt", "Victima Sintetica CURP");
  // A synthetic CURP of 1956-04-27 (check digit valid) and another day.
  const std::string data = File(
      "datos.json",
      R"({"victimCurp": "HEGG560427MVZRRL04", "victimBirthDate": "1956-04-28"})");
  std::vector<std::string> args = CaseFlags(name);
  args.insert(args.end(), {"--personal-data-file", data});
  std::string out;
  EXPECT_EQ(Cli(kRegistrar, args, &out), kExitInvalidField) << out;
  EXPECT_THAT(out, HasSubstr("personal_data.victim_curp"));
  EXPECT_THAT(out, HasSubstr("el día de la CURP (caracteres 9 y 10)"));
  EXPECT_THAT(out, Not(HasSubstr("HEGG560427")));
  EXPECT_EQ(Cli(kRegistrar, args, &out, "en"), kExitInvalidField) << out;
  EXPECT_THAT(out, HasSubstr("the CURP's day (characters 9 and 10)"));
  // The same date is accepted.
  const std::string same = File(
      "datos2.json",
      R"({"victimCurp": "HEGG560427MVZRRL04", "victimBirthDate": "1956-04-27"})");
  args.back() = same;
  EXPECT_EQ(Cli(kRegistrar, args, &out), 0) << out;
}

TEST_F(CliErrorsTest, UnderJsonAnErrorIsAJsonObject) {
  const std::string name = File("nombre3.txt", "Victima Sintetica JSON");
  std::vector<std::string> args = CaseFlags(name);
  args.insert(args.end(), {"--municipality", "999", "--json"});
  std::string out;
  EXPECT_EQ(Cli(kRegistrar, args, &out), kExitInvalidField) << out;
  EXPECT_EQ(out.rfind("{\"error\":", 0), 0u) << out;
  EXPECT_EQ(JsonString(out, "code"), "INVALID_ARGUMENT") << out;
  EXPECT_THAT(out, HasSubstr("\"exitCode\":7"));
  EXPECT_EQ(JsonString(out, "field"),
            "case_record.descriptors.municipality_code")
      << out;
  EXPECT_EQ(JsonString(out, "flag"), "--municipality") << out;
  EXPECT_THAT(JsonString(out, "description"), HasSubstr("de 001 a 570"));
  EXPECT_FALSE(JsonString(out, "requestId").empty()) << out;
  EXPECT_THAT(out, Not(HasSubstr("Error:")));

  // A refusal with its reason, and a mistake of the command line.
  EXPECT_EQ(Cli(kRegistrar, {"audit", "entries", "--json"}, &out),
            kExitPermissionDenied);
  EXPECT_EQ(JsonString(out, "code"), "PERMISSION_DENIED") << out;
  EXPECT_THAT(out, HasSubstr("Ninguno de sus roles permite esta acción"));
  EXPECT_EQ(Cli(kRegistrar, {"case", "get", "--json"}, &out), kExitUsage);
  EXPECT_EQ(JsonString(out, "code"), "USAGE") << out;
  EXPECT_EQ(Cli(kRegistrar, {"case", "gte", "X", "--json"}, &out, "en"),
            kExitUsage);
  EXPECT_EQ(JsonString(out, "code"), "USAGE") << out;
  EXPECT_THAT(out, HasSubstr("Did you mean \\\"case get\\\"?"));
}

// Item 9: the Spanish follows docs/glosario.md: feminine users, "Versión
// (etag)" and "Identificador" in a caseworker's record, no "Etag" or
// "Nombre del recurso", "Narración", "personas agresoras".
TEST_F(CliErrorsTest, TheSpanishFollowsTheGlossary) {
  std::string out;
  ASSERT_EQ(
      Cli(kAdmin,
          {"admin", "user", "create", "glosario", "--role", "REGISTRADORA"},
          &out),
      0)
      << out;
  EXPECT_THAT(out, HasSubstr("Usuaria creada"));
  EXPECT_THAT(out, Not(HasSubstr("Usuario")));
  const std::string name = File("nombre4.txt", "Victima Sintetica Glosario");
  ASSERT_EQ(Cli(kRegistrar, CaseFlags(name), &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("Versión (etag)"));
  EXPECT_THAT(out, HasSubstr("Identificador"));
  EXPECT_THAT(out, Not(HasSubstr("Etag")));
  EXPECT_THAT(out, Not(HasSubstr("Nombre del recurso")));
  ASSERT_EQ(Cli(kRegistrar, {"case", "create", "--help"}, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("narración"));
  EXPECT_THAT(out, Not(HasSubstr("narrativa")));
  EXPECT_THAT(out, Not(HasSubstr("agresores")));
}

}  // namespace
}  // namespace resguardo
