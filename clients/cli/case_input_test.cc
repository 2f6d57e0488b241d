#include "clients/cli/case_input.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "base/testing/status_matchers.h"
#include "clients/cli/command_registry.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace resguardo::cli {
namespace {

namespace v1 = resguardo::v1;
using ::resguardo::testing::StatusIs;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// Writes `content` to a fresh file under the test's temporary folder.
std::string TempFile(const std::string& name, const std::string& content) {
  const char* dir = std::getenv("TEST_TMPDIR");
  std::string path = std::string(dir ? dir : "/tmp") + "/cli_case_input_" +
                     std::to_string(::getpid()) + "_" + name;
  std::ofstream(path) << content;
  return path;
}

class CaseInputTest : public ::testing::Test {
 protected:
  // An invocation of `case create` or `case update` with `args` parsed
  // against that command's flags and the global ones.
  // `case create` gets --institution IEEPCO unless `args` names one.
  Invocation& Make(std::vector<std::string> args,
                   const std::string& command = "case create",
                   bool interactive = false, Lang lang = Lang::kEn) {
    if (command == "case create" &&
        std::find(args.begin(), args.end(), "--institution") == args.end()) {
      args.insert(args.end(), {"--institution", "IEEPCO"});
    }
    const std::vector<FlagSpec>& own =
        command == "case create" ? CreateCaseFlags() : UpdateCaseFlags();
    std::vector<const FlagSpec*> specs;
    for (const FlagSpec& f : own) specs.push_back(&f);
    for (const FlagSpec& f : GlobalFlags()) specs.push_back(&f);
    ParsedFlags flags;
    for (size_t i = 0; i < args.size();) {
      absl::Status s = ParseOneFlag(args, &i, specs, Lang::kEn, &flags);
      EXPECT_OK(s);
      if (!s.ok()) break;
    }
    inv_ = std::make_unique<Invocation>(
        command, lang, std::move(flags), std::vector<std::string>{},
        Streams{in_, out_, err_}, interactive,
        [](const char*) -> const char* { return nullptr; });
    return *inv_;
  }

  std::istringstream in_;
  std::ostringstream out_;
  std::ostringstream err_;
  std::unique_ptr<Invocation> inv_;
};

TEST_F(CaseInputTest, BuildsTheRequestFromFlags) {
  const std::string name = TempFile("name", "Canary Name\n");
  const std::string narrative = TempFile("narrative", "Line one\nLine two\n");
  Invocation& inv = Make({"--kind",
                          "political-violence",
                          "--state",
                          "20",
                          "--reported",
                          "2026-11-20",
                          "--risk",
                          "high",
                          "--violence-type",
                          "PSYCHOLOGICAL",
                          "--violence-type",
                          "symbolic",
                          "--conduct",
                          "c11",
                          "--incident-month",
                          "2026-10",
                          "--victim-name-file",
                          name,
                          "--narrative-file",
                          narrative,
                          "--institution",
                          "IEEPCO",
                          "--request-id",
                          "retry-1"});
  ASSERT_OK_AND_ASSIGN(v1::CreateCaseRequest request,
                       BuildCreateCaseRequest(inv));
  EXPECT_EQ(request.parent(), "institutions/IEEPCO");
  EXPECT_EQ(request.request_id(), "retry-1");
  const v1::CaseDescriptors& d = request.case_record().descriptors();
  EXPECT_EQ(d.kind(), v1::CASE_KIND_POLITICAL_VIOLENCE);
  EXPECT_EQ(d.state_code(), "20");
  EXPECT_EQ(d.reported_date().year(), 2026);
  EXPECT_EQ(d.reported_date().day(), 20);
  EXPECT_EQ(d.incident_month().month(), 10);
  EXPECT_EQ(d.incident_month().day(), 0);
  EXPECT_EQ(d.risk_level(), v1::RISK_LEVEL_HIGH);
  EXPECT_THAT(d.violence_types(), ElementsAre(v1::VIOLENCE_TYPE_PSYCHOLOGICAL,
                                              v1::VIOLENCE_TYPE_SYMBOLIC));
  EXPECT_THAT(d.conducts(), ElementsAre(v1::CONDUCT_C11));
  EXPECT_EQ(request.case_record().personal_data().victim_name(), "Canary Name");
  EXPECT_EQ(request.case_record().personal_data().narrative(),
            "Line one\nLine two");
  EXPECT_EQ(err_.str(), "");
}

TEST_F(CaseInputTest, PadsAOneDigitStateCode) {
  const std::string name = TempFile("name1", "N");
  Invocation& inv = Make({"--kind", "GBV", "--state", "9", "--reported",
                          "2026-01-02", "--risk", "LOW", "--victim-name-file",
                          name, "--institution", "X1"});
  ASSERT_OK_AND_ASSIGN(v1::CreateCaseRequest request,
                       BuildCreateCaseRequest(inv));
  EXPECT_EQ(request.case_record().descriptors().state_code(), "09");
  EXPECT_EQ(request.request_id().size(), 32u) << "a fresh idempotency key";
}

TEST_F(CaseInputTest, ScriptsGetTheMissingFlagsNamedInsteadOfPrompts) {
  Invocation& inv = Make({"--kind", "GBV", "--institution", "IEEPCO"});
  EXPECT_THAT(
      BuildCreateCaseRequest(inv),
      StatusIs(absl::StatusCode::kInvalidArgument,
               AllOf(HasSubstr("--state"), HasSubstr("--reported"),
                     HasSubstr("--risk"), HasSubstr("--victim-name-file"),
                     Not(HasSubstr("--kind")))));
}

TEST_F(CaseInputTest, TheInstitutionIsCheckedBeforeAnythingIsAsked) {
  in_.str("1\n");
  Invocation& inv = Make({"--institution", ""}, "case create",
                         /*interactive=*/true);
  EXPECT_THAT(
      BuildCreateCaseRequest(inv),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--institution")));
  EXPECT_EQ(err_.str(), "") << "nothing was asked";
}

TEST_F(CaseInputTest, APromptOffersTheOptionalFieldsAndRefusesAFutureDate) {
  // Issue 20 item 2: a future date was accepted and the node refused the
  // case after everything was typed; optional fields were never offered.
  in_.str(
      "violencia politica contra las mujeres en razon de genero\n20\n"
      "2999-01-01\n2026-11-20\nalto\nCanary Name\n"
      "s\n67\n067\n1, Simbólica\nC03\nCanary narrative\n");
  Invocation& inv = Make({"--institution", "IEEPCO"}, "case create",
                         /*interactive=*/true, Lang::kEs);
  ASSERT_OK_AND_ASSIGN(v1::CreateCaseRequest request,
                       BuildCreateCaseRequest(inv));
  const v1::CaseDescriptors& d = request.case_record().descriptors();
  EXPECT_EQ(d.kind(), v1::CASE_KIND_POLITICAL_VIOLENCE);
  EXPECT_EQ(d.reported_date().year(), 2026);
  EXPECT_EQ(d.risk_level(), v1::RISK_LEVEL_HIGH);
  EXPECT_EQ(d.municipality_code(), "067");
  EXPECT_THAT(d.violence_types(), ElementsAre(v1::VIOLENCE_TYPE_PSYCHOLOGICAL,
                                              v1::VIOLENCE_TYPE_SYMBOLIC));
  EXPECT_THAT(d.conducts(), ElementsAre(v1::CONDUCT_C03));
  EXPECT_EQ(request.case_record().personal_data().narrative(),
            "Canary narrative");
  EXPECT_THAT(err_.str(), HasSubstr("no puede ser posterior a hoy"));
  EXPECT_THAT(err_.str(), HasSubstr("tres dígitos"));
  EXPECT_THAT(err_.str(), Not(HasSubstr("Canary")));
}

TEST_F(CaseInputTest, AFutureReportedDateByFlagIsRefusedBeforeAnyQuestion) {
  in_.str("1\n");
  Invocation& inv = Make({"--reported", "2999-01-01", "--institution", "I"},
                         "case create", /*interactive=*/true);
  EXPECT_THAT(
      BuildCreateCaseRequest(inv),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--reported")));
  EXPECT_EQ(err_.str(), "") << "nothing was asked";
}

TEST_F(CaseInputTest, RejectsUnknownCodesAndImpossibleDates) {
  EXPECT_THAT(BuildCreateCaseRequest(Make({"--risk", "EXTREME"})),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("--risk"),
                             HasSubstr("LOW, MEDIUM, HIGH, CRITICAL"),
                             Not(HasSubstr("EXTREME")))));
  EXPECT_THAT(
      BuildCreateCaseRequest(Make({"--reported", "2026-02-30"})),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--reported")));
  EXPECT_THAT(
      BuildCreateCaseRequest(Make({"--state", "33"})),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--state")));
}

TEST_F(CaseInputTest, AsksForMissingFieldsInATerminal) {
  in_.str("2\n99\n20\n2026-02-30\n2026-11-20\nhigh\nCanary Name\n\n");
  Invocation& inv = Make({"--institution", "IEEPCO"}, "case create",
                         /*interactive=*/true);
  ASSERT_OK_AND_ASSIGN(v1::CreateCaseRequest request,
                       BuildCreateCaseRequest(inv));
  const v1::CaseDescriptors& d = request.case_record().descriptors();
  EXPECT_EQ(d.kind(), v1::CASE_KIND_GBV);
  EXPECT_EQ(d.state_code(), "20");
  EXPECT_EQ(d.reported_date().day(), 20);
  EXPECT_EQ(d.risk_level(), v1::RISK_LEVEL_HIGH);
  EXPECT_EQ(request.case_record().personal_data().victim_name(), "Canary Name");
  // The choices are numbered, with codes and labels.
  EXPECT_THAT(err_.str(),
              AllOf(HasSubstr(" 1) POLITICAL_VIOLENCE — Political violence"),
                    HasSubstr(" 3) HIGH — High")));
  EXPECT_EQ(out_.str(), "") << "prompts stay off stdout";
}

TEST_F(CaseInputTest, ALowerCaseCurpIsUpperCased) {
  // Issue 20 item 10: the node refuses a lower-case CURP; it is the same CURP.
  const std::string file = TempFile("case.textproto", R"pb(
    descriptors {
      kind: GBV
      state_code: "20"
      reported_date: "2026-11-20"
      risk_level: LOW
    }
    personal_data {
      victim_name: "Canary Name"
      victim_curp: "gogm800101mocrrr09"
    }
  )pb");
  ASSERT_OK_AND_ASSIGN(v1::CreateCaseRequest request,
                       BuildCreateCaseRequest(
                           Make({"--from-file", file, "--institution", "I"})));
  EXPECT_EQ(request.case_record().personal_data().victim_curp(),
            "GOGM800101MOCRRR09");
}

TEST_F(CaseInputTest, FileFirstThenFlagsOverride) {
  const std::string file = TempFile("case.textproto", R"pb(
    descriptors {
      kind: CASE_KIND_GBV
      state_code: "20"
      reported_date { year: 2026 month: 11 day: 20 }
      risk_level: RISK_LEVEL_LOW
    }
    personal_data { victim_name: "Canary Name" }
  )pb");
  Invocation& inv = Make(
      {"--from-file", file, "--risk", "CRITICAL", "--institution", "IEEPCO"});
  ASSERT_OK_AND_ASSIGN(v1::CreateCaseRequest request,
                       BuildCreateCaseRequest(inv));
  EXPECT_EQ(request.case_record().descriptors().kind(), v1::CASE_KIND_GBV);
  EXPECT_EQ(request.case_record().descriptors().risk_level(),
            v1::RISK_LEVEL_CRITICAL);
}

TEST_F(CaseInputTest, AFileErrorNamesTheLineAndFieldButNotTheContent) {
  const std::string file =
      TempFile("bad.textproto",
               "descriptors { kind: CASE_KIND_GBV }\n"
               "personal_data { victim_name: \"Canary\" curp_x: 1 }\n");
  EXPECT_THAT(BuildCreateCaseRequest(Make({"--from-file", file})),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("line 2"),
                             HasSubstr("field personal_data.curp_x"),
                             Not(HasSubstr("Canary")))));
  const std::string json = TempFile(
      "bad.json", R"({"personalData": {"victimName": "Canary", "x": 1}})");
  EXPECT_THAT(BuildCreateCaseRequest(Make({"--from-file", json})),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("field personal_data.x"),
                             Not(HasSubstr("Canary")))));
}

TEST_F(CaseInputTest, VictimNameOnTheCommandLineWorksButWarns) {
  Invocation& inv =
      Make({"--kind", "GBV", "--state", "20", "--reported", "2026-11-20",
            "--risk", "LOW", "--victim-name", "Canary", "--institution", "I"});
  ASSERT_OK(BuildCreateCaseRequest(inv));
  EXPECT_THAT(err_.str(), HasSubstr("--victim-name-file"));
  EXPECT_THAT(err_.str(), Not(HasSubstr("Canary")));
}

TEST_F(CaseInputTest, UpdateMaskIsTheFieldsWhoseFlagsWereGiven) {
  const std::string narrative = TempFile("n2", "New facts");
  Invocation& inv =
      Make({"--etag", "e1", "--risk", "LOW", "--status", "admitted",
            "--narrative-file", narrative, "--violence-type", "DIGITAL"},
           "case update");
  ASSERT_OK_AND_ASSIGN(
      v1::UpdateCaseRequest request,
      BuildUpdateCaseRequest(inv, "institutions/I/cases/I-2026-000001"));
  EXPECT_EQ(request.case_record().name(), "institutions/I/cases/I-2026-000001");
  EXPECT_EQ(request.case_record().etag(), "e1");
  EXPECT_EQ(request.case_record().descriptors().status(),
            v1::CASE_STATUS_ADMITTED);
  EXPECT_THAT(request.update_mask().paths(),
              ElementsAre("descriptors.status", "descriptors.violence_types",
                          "descriptors.risk_level", "personal_data.narrative"));
}

TEST_F(CaseInputTest, UpdateNeedsAChangeAndAnEtag) {
  EXPECT_THAT(
      BuildUpdateCaseRequest(Make({"--etag", "e1"}, "case update"), "n"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("nothing to change")));
  EXPECT_THAT(
      BuildUpdateCaseRequest(Make({"--risk", "LOW"}, "case update"), "n"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--etag")));
}

TEST_F(CaseInputTest, UpdateFromFileNeedsAMaskAndDeduplicatesPaths) {
  const std::string file =
      TempFile("upd.textproto", "descriptors { risk_level: RISK_LEVEL_HIGH }");
  EXPECT_THAT(
      BuildUpdateCaseRequest(
          Make({"--etag", "e", "--from-file", file}, "case update"), "n"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--mask")));
  ASSERT_OK_AND_ASSIGN(
      v1::UpdateCaseRequest request,
      BuildUpdateCaseRequest(Make({"--etag", "e", "--from-file", file, "--mask",
                                   "descriptors.risk_level", "--risk", "HIGH"},
                                  "case update"),
                             "n"));
  EXPECT_THAT(request.update_mask().paths(),
              ElementsAre("descriptors.risk_level"));
}

}  // namespace
}  // namespace resguardo::cli
