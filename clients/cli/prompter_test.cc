#include "clients/cli/prompter.h"

#include <sstream>
#include <string>
#include <vector>

#include "base/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "resguardo/v1/catalogues.pb.h"

namespace resguardo::cli {
namespace {

namespace v1 = resguardo::v1;
using ::resguardo::testing::StatusIs;
using ::testing::HasSubstr;

TEST(PrompterTest, ChoiceByNumberOrCodeWithSpanishLabels) {
  std::istringstream in("4\n");
  std::ostringstream out;
  Prompter p(in, out, Lang::kEs);
  ASSERT_OK_AND_ASSIGN(
      int risk, p.AskChoice("Nivel de riesgo", v1::RiskLevel_descriptor()));
  EXPECT_EQ(risk, v1::RISK_LEVEL_CRITICAL);
  EXPECT_THAT(out.str(), HasSubstr("   1) LOW — Bajo\n"));
  EXPECT_THAT(out.str(), HasSubstr("   4) CRITICAL — Crítico\n"));
  EXPECT_THAT(out.str(), HasSubstr("Elija 1–4 o escriba el código: "));

  std::istringstream by_code("medium\n");
  Prompter q(by_code, out, Lang::kEs);
  ASSERT_OK_AND_ASSIGN(int medium,
                       q.AskChoice("Riesgo", v1::RiskLevel_descriptor()));
  EXPECT_EQ(medium, v1::RISK_LEVEL_MEDIUM);
}

TEST(PrompterTest, AsksAgainUntilAnswered) {
  // Issue 20 item 2: three wrong answers aborted and lost what was typed.
  std::istringstream in("0\n5\nEXTREME\nmuy alto\nalto\n");
  std::ostringstream out;
  Prompter p(in, out, Lang::kEs);
  ASSERT_OK_AND_ASSIGN(int risk,
                       p.AskChoice("Riesgo", v1::RiskLevel_descriptor()));
  EXPECT_EQ(risk, v1::RISK_LEVEL_HIGH);  // the Spanish label
  EXPECT_THAT(out.str(), HasSubstr("un número de 1 a 4"));
}

TEST(PrompterTest, ADateAfterTheLatestIsAskedAgain) {
  std::istringstream in("2026-12-03\n2026-12-02\n");
  std::ostringstream out;
  Prompter p(in, out, Lang::kEs);
  ASSERT_OK_AND_ASSIGN(google::type::Date d,
                       p.AskDate("Recibida", absl::CivilDay(2026, 12, 2)));
  EXPECT_EQ(d.day(), 2);
  EXPECT_THAT(out.str(), HasSubstr("no puede ser posterior a hoy"));
}

TEST(PrompterTest, SeveralChoicesOnOneLineOrNone) {
  std::istringstream in("1, C05, 99\n1, C05, c01\n\n");
  std::ostringstream out;
  Prompter p(in, out, Lang::kEn);
  ASSERT_OK_AND_ASSIGN(std::vector<int> conducts,
                       p.AskChoices("Conducts", v1::Conduct_descriptor()));
  EXPECT_EQ(conducts, (std::vector<int>{v1::CONDUCT_C01, v1::CONDUCT_C05}));
  EXPECT_THAT(out.str(), HasSubstr("Not a valid answer"));
  ASSERT_OK_AND_ASSIGN(std::vector<int> none,
                       p.AskChoices("Conducts", v1::Conduct_descriptor()));
  EXPECT_TRUE(none.empty());
}

TEST(PrompterTest, YesNoAndOptionalText) {
  std::istringstream in("quizá\nsí\n\n\n");
  std::ostringstream out;
  Prompter p(in, out, Lang::kEs);
  ASSERT_OK_AND_ASSIGN(bool yes, p.AskYesNo("¿Más?"));
  EXPECT_TRUE(yes);
  ASSERT_OK_AND_ASSIGN(bool no, p.AskYesNo("¿Más?"));
  EXPECT_FALSE(no);
  ASSERT_OK_AND_ASSIGN(std::string skipped, p.AskOptionalText("Municipio"));
  EXPECT_EQ(skipped, "");
  EXPECT_THAT(out.str(), HasSubstr("Municipio (opcional; Intro para omitir)"));
}

TEST(PrompterTest, EndOfInputCancels) {
  std::istringstream in("");
  std::ostringstream out;
  Prompter p(in, out, Lang::kEn);
  EXPECT_THAT(p.AskText("Name"), StatusIs(absl::StatusCode::kCancelled));
}

TEST(PrompterTest, DatesMustBeReal) {
  std::istringstream in("2026-02-30\n2026-02-28\n");
  std::ostringstream out;
  Prompter p(in, out, Lang::kEn);
  ASSERT_OK_AND_ASSIGN(google::type::Date d, p.AskDate("Reported"));
  EXPECT_EQ(d.day(), 28);
  EXPECT_THAT(out.str(), HasSubstr("expected a real date"));
}

TEST(PrompterTest, TextIsRequiredAndTrimmed) {
  std::istringstream in("\n   \n  Ana  \n");
  std::ostringstream out;
  Prompter p(in, out, Lang::kEn);
  ASSERT_OK_AND_ASSIGN(std::string text, p.AskText("Name"));
  EXPECT_EQ(text, "Ana");
}

}  // namespace
}  // namespace resguardo::cli
