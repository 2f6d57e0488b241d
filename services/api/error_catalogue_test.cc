#include "services/api/error_catalogue.h"

#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace resguardo::api {
namespace {

// The placeholders of a text ($0, $1...).
std::multiset<char> Placeholders(absl::string_view text) {
  std::multiset<char> out;
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] == '$' && absl::ascii_isdigit(text[i + 1])) {
      out.insert(text[i + 1]);
    }
  }
  return out;
}

TEST(ErrorCatalogueTest, EveryIdHasBothLanguagesWithTheSamePlaceholders) {
  absl::Span<const CatalogueEntry> catalogue = ErrorCatalogue();
  ASSERT_EQ(catalogue.size(), static_cast<size_t>(ErrorId::kCount));
  std::set<std::string> spanish, english;
  for (size_t i = 0; i < catalogue.size(); ++i) {
    const CatalogueEntry& entry = catalogue[i];
    SCOPED_TRACE(testing::Message() << "entry " << i);
    // In ErrorId order: entry i is the text of id i.
    EXPECT_EQ(static_cast<size_t>(entry.id), i);
    ASSERT_NE(entry.es, nullptr);
    ASSERT_NE(entry.en, nullptr);
    const absl::string_view es = entry.es, en = entry.en;
    EXPECT_FALSE(absl::StripAsciiWhitespace(es).empty());
    EXPECT_FALSE(absl::StripAsciiWhitespace(en).empty());
    EXPECT_EQ(Placeholders(es), Placeholders(en)) << es << " / " << en;
    // Placeholders are numbered from $0 without a gap.
    const std::multiset<char> used = Placeholders(es);
    const std::set<char> distinct(used.begin(), used.end());
    char expected = '0';
    for (char c : distinct) EXPECT_EQ(c, expected++) << es;
    // A Spanish text is not the English one left untranslated.
    if (es.size() > 12) {
      EXPECT_NE(es, en);
    }
  }
}

TEST(ErrorCatalogueTest, NamesNoMethodOrEnumValueOfTheApi) {
  // What a user would not know: method names, enum value names, the
  // request's field paths.
  const char* const kInternal[] = {
      "CloseCase",  "CreateCase",    "UpdateCase",      "GetCase",
      "ListCases",  "CASE_",         "ROLE_",           "_MONTH",
      "from_month", "to_month",      "start_index",     "reported_from",
      "issue_date", "risk_override", "next_page_token", "google.rpc",
      "BASIC",      "FULL",          "INBOX",           "VICTIM",
      "update_mask"};
  for (const CatalogueEntry& entry : ErrorCatalogue()) {
    for (const char* word : kInternal) {
      EXPECT_FALSE(absl::StrContains(entry.es, word)) << entry.es;
      EXPECT_FALSE(absl::StrContains(entry.en, word)) << entry.en;
    }
  }
}

TEST(ErrorCatalogueTest, RendersLimitsInEitherLanguage) {
  const ErrorText text(ErrorId::kLength, {1, 200});
  EXPECT_EQ(Render(text, Language::kSpanish),
            "debe tener de 1 a 200 caracteres");
  EXPECT_EQ(Render(text, Language::kEnglish), "must have 1 to 200 characters");
  EXPECT_EQ(Render(ErrorId::kRequired, Language::kSpanish), "es obligatorio");
}

TEST(ErrorCatalogueTest, EveryCodeHasADefaultText) {
  std::set<ErrorId> seen;
  for (int code = 1; code <= 16; ++code) {
    seen.insert(ErrorIdForCode(static_cast<absl::StatusCode>(code)));
  }
  EXPECT_EQ(ErrorIdForCode(absl::StatusCode::kNotFound),
            ErrorId::kCodeNotFound);
  EXPECT_EQ(ErrorIdForCode(absl::StatusCode::kAborted), ErrorId::kCodeAborted);
  EXPECT_EQ(seen.size(), 16u);
}

TEST(ErrorCatalogueTest, ATextTravelsOnAStatusAndBack) {
  const ErrorText text(ErrorId::kAtMostBytes, {512});
  EXPECT_EQ(DecodeErrorText(EncodeErrorText(text)), text);
  EXPECT_EQ(DecodeErrorText(EncodeErrorText(ErrorId::kRequired)),
            ErrorText(ErrorId::kRequired));
  absl::Status status =
      WithErrorText(absl::AbortedError("changed"), ErrorId::kCaseChanged);
  EXPECT_EQ(ErrorTextOf(status), ErrorText(ErrorId::kCaseChanged));
  EXPECT_EQ(ErrorTextOf(absl::AbortedError("changed")), std::nullopt);
  EXPECT_EQ(DecodeErrorText("99999"), std::nullopt);
  EXPECT_EQ(DecodeErrorText("1:x"), std::nullopt);
  EXPECT_EQ(DecodeErrorText(""), std::nullopt);
}

}  // namespace
}  // namespace resguardo::api
