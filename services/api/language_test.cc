#include "services/api/language.h"

#include "gtest/gtest.h"

namespace resguardo::api {
namespace {

constexpr Language kEs = Language::kSpanish;
constexpr Language kEn = Language::kEnglish;

TEST(LanguageTest, SpanishWhenAbsentOrUnknown) {
  EXPECT_EQ(LanguageFromAcceptLanguage(""), kEs);
  EXPECT_EQ(LanguageFromAcceptLanguage("fr-FR"), kEs);
  EXPECT_EQ(LanguageFromAcceptLanguage("de, fr;q=0.5"), kEs);
  EXPECT_EQ(LanguageFromAcceptLanguage("*"), kEs);
  EXPECT_EQ(LanguageFromAcceptLanguage(";;;,,,=="), kEs);
  EXPECT_EQ(LanguageFromAcceptLanguage("english"), kEs);  // not a subtag
}

TEST(LanguageTest, ReadsTheRangeWithTheHighestQValue) {
  EXPECT_EQ(LanguageFromAcceptLanguage("en"), kEn);
  EXPECT_EQ(LanguageFromAcceptLanguage("EN-gb"), kEn);
  EXPECT_EQ(LanguageFromAcceptLanguage("es-MX"), kEs);
  EXPECT_EQ(LanguageFromAcceptLanguage("en-US,en;q=0.9,es;q=0.8"), kEn);
  EXPECT_EQ(LanguageFromAcceptLanguage("es;q=0.8, en-US;q=0.9"), kEn);
  EXPECT_EQ(LanguageFromAcceptLanguage("en;q=0.5, es"), kEs);
  // A language the node does not speak is skipped for the next one.
  EXPECT_EQ(LanguageFromAcceptLanguage("fr-CA, fr;q=0.9, en;q=0.3"), kEn);
  // On a tie, the first one.
  EXPECT_EQ(LanguageFromAcceptLanguage("en;q=0.5, es;q=0.5"), kEn);
  EXPECT_EQ(LanguageFromAcceptLanguage(" es ; q=0.7 , en ; q=0.7"), kEs);
}

TEST(LanguageTest, QZeroAndMalformedQValuesDoNotCount) {
  EXPECT_EQ(LanguageFromAcceptLanguage("en;q=0"), kEs);
  EXPECT_EQ(LanguageFromAcceptLanguage("es;q=0, en;q=0.1"), kEn);
  EXPECT_EQ(LanguageFromAcceptLanguage("en;q=2"), kEs);
  EXPECT_EQ(LanguageFromAcceptLanguage("en;q=abc"), kEs);
  EXPECT_EQ(LanguageFromAcceptLanguage("en;q=0.12345"), kEs);
  EXPECT_EQ(LanguageFromAcceptLanguage("en;q=-1"), kEs);
  EXPECT_EQ(LanguageFromAcceptLanguage("en;q=1.000"), kEn);
}

TEST(LanguageTest, ReadsABoundedHeader) {
  std::string many;
  for (int i = 0; i < 40; ++i) many += "fr,";
  EXPECT_EQ(LanguageFromAcceptLanguage(many + "en"), kEs);
  EXPECT_EQ(LanguageFromAcceptLanguage(std::string(2000, ' ') + "en"), kEs);
}

TEST(LanguageTest, TagsAreBcp47) {
  EXPECT_EQ(LanguageTag(kEs), "es");
  EXPECT_EQ(LanguageTag(kEn), "en");
}

}  // namespace
}  // namespace resguardo::api
