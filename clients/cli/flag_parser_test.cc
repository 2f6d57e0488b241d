#include "clients/cli/flag_parser.h"

#include <string>
#include <vector>

#include "base/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace resguardo::cli {
namespace {

using ::resguardo::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

class FlagParserTest : public ::testing::Test {
 protected:
  // Parses every token of `args` as a flag.
  absl::Status Parse(std::vector<std::string> args) {
    std::vector<const FlagSpec*> specs = {&risk_, &violence_, &json_, &help_};
    for (size_t i = 0; i < args.size();) {
      absl::Status s = ParseOneFlag(args, &i, specs, Lang::kEn, &flags_);
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  }

  FlagSpec risk_{"risk", FlagValue::kCode, false, MsgId::kFlagRisk};
  FlagSpec violence_{"violence-type", FlagValue::kCode, true,
                     MsgId::kFlagViolenceType};
  FlagSpec json_{"json", FlagValue::kNone, false, MsgId::kFlagJson};
  FlagSpec help_{"help", FlagValue::kNone, false, MsgId::kFlagHelp};
  ParsedFlags flags_;
};

TEST_F(FlagParserTest, TakesValuesSeparatedOrAfterEquals) {
  ASSERT_OK(Parse({"--risk", "HIGH", "--violence-type=SEXUAL", "--json"}));
  EXPECT_EQ(flags_.Get("risk"), "HIGH");
  EXPECT_THAT(flags_.GetAll("violence-type"), ElementsAre("SEXUAL"));
  EXPECT_TRUE(flags_.Has("json"));
  EXPECT_FALSE(flags_.Has("help"));
}

TEST_F(FlagParserTest, RepeatableFlagsCollectEveryValue) {
  ASSERT_OK(
      Parse({"--violence-type", "SEXUAL", "--violence-type", "PSYCHOLOGICAL"}));
  EXPECT_THAT(flags_.GetAll("violence-type"),
              ElementsAre("SEXUAL", "PSYCHOLOGICAL"));
}

TEST_F(FlagParserTest, ANonRepeatableFlagTwiceIsAnError) {
  EXPECT_THAT(Parse({"--risk", "HIGH", "--risk", "LOW"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--risk was given more than once")));
}

TEST_F(FlagParserTest, UnknownFlagIsNotFoundAndNeverEchoesItsValue) {
  EXPECT_THAT(
      Parse({"--victm-name=Maria Lopez"}),
      StatusIs(absl::StatusCode::kNotFound,
               AllOf(HasSubstr("--victm-name"), Not(HasSubstr("Maria")))));
  // One dash is a typo, not a short flag.
  EXPECT_THAT(Parse({"-risk", "HIGH"}), StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(FlagParserTest, MissingValueAndUnwantedValueAreErrors) {
  EXPECT_THAT(Parse({"--risk"}), StatusIs(absl::StatusCode::kInvalidArgument,
                                          HasSubstr("--risk needs a value")));
  EXPECT_THAT(Parse({"--json=yes"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--json takes no value")));
}

TEST_F(FlagParserTest, DashHIsHelp) {
  ASSERT_OK(Parse({"-h"}));
  EXPECT_TRUE(flags_.Has("help"));
  EXPECT_EQ(FlagNameOf("--risk=HIGH"), "risk");
}

TEST_F(FlagParserTest, AValueMayStartWithADash) {
  // "-" is stdin for the file flags.
  ASSERT_OK(Parse({"--risk", "-"}));
  EXPECT_EQ(flags_.Get("risk"), "-");
}

}  // namespace
}  // namespace resguardo::cli
