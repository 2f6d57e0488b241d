#include "clients/cli/prompter.h"

#include <sstream>

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

TEST(PrompterTest, AsksAgainThenGivesUp) {
  std::istringstream in("0\n5\nEXTREME\n");
  std::ostringstream out;
  Prompter p(in, out, Lang::kEn);
  EXPECT_THAT(
      p.AskChoice("Risk", v1::RiskLevel_descriptor()),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("too many")));
  EXPECT_THAT(out.str(), HasSubstr("a number from 1 to 4"));
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
