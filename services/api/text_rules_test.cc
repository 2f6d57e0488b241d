#include "services/api/text_rules.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace resguardo::api {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::vector<FieldViolation> Check(absl::string_view value, size_t min,
                                  size_t max, Lines lines = Lines::kSingle) {
  FieldViolations v;
  CheckText(v, "f", value, min, max, lines);
  return v.violations();
}

TEST(TextRulesTest, CountsCodePointsNotBytes) {
  EXPECT_EQ(Utf8Length("Oaxaca de Juárez").value(), 16u);
  EXPECT_EQ(Utf8Length("ñ").value(), 1u);
  EXPECT_THAT(Check("ñññ", 1, 3), IsEmpty());
  EXPECT_THAT(Check("ññññ", 1, 3),
              ElementsAre(Field(&FieldViolation::description,
                                HasSubstr("1 to 3 characters"))));
}

TEST(TextRulesTest, RefusesInvalidUtf8) {
  for (absl::string_view bad :
       {absl::string_view("\xC3", 1), absl::string_view("\xC0\xAF", 2),
        absl::string_view("\xED\xA0\x80", 3),
        absl::string_view("\xF4\x90\x80\x80", 4),
        absl::string_view("a\xFF", 2)}) {
    EXPECT_FALSE(Utf8Length(bad).has_value());
    EXPECT_THAT(
        Check(bad, 0, 100),
        ElementsAre(Field(&FieldViolation::description, HasSubstr("UTF-8"))));
  }
}

TEST(TextRulesTest, ControlCharactersOnlyLineBreaksInMultiline) {
  EXPECT_THAT(Check("a\nb", 0, 10), ::testing::SizeIs(1));
  EXPECT_THAT(Check("a\nb\tc", 0, 10, Lines::kMulti), IsEmpty());
  EXPECT_THAT(Check(absl::string_view("a\0b", 3), 0, 10, Lines::kMulti),
              ::testing::SizeIs(1));
}

TEST(TextRulesTest, RequiredEmptySaysRequired) {
  EXPECT_THAT(Check("", 1, 10),
              ElementsAre(Field(&FieldViolation::description, "is required")));
}

}  // namespace
}  // namespace resguardo::api
