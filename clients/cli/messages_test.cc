#include "clients/cli/messages.h"

#include <set>
#include <string>

#include "clients/cli/language.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace resguardo::cli {
namespace {

// "$0", "$1", ... in a text.
std::set<std::string> Placeholders(absl::string_view text) {
  std::set<std::string> out;
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] == '$' && text[i + 1] >= '0' && text[i + 1] <= '9') {
      out.insert(std::string(text.substr(i, 2)));
    }
  }
  return out;
}

TEST(MessagesTest, EveryIdHasExactlyOneEntryInOrder) {
  const auto all = AllMessages();
  ASSERT_EQ(all.size(), static_cast<size_t>(MsgId::kCount));
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(static_cast<size_t>(all[i].id), i)
        << "entry " << i << " is out of order or missing";
  }
}

TEST(MessagesTest, EveryMessageExistsInSpanishAndEnglish) {
  for (const MessageText& m : AllMessages()) {
    if (m.id == MsgId::kNone) continue;
    const int id = static_cast<int>(m.id);
    ASSERT_NE(m.es, nullptr) << id;
    ASSERT_NE(m.en, nullptr) << id;
    EXPECT_STRNE(m.es, "") << "message " << id << " has no Spanish";
    EXPECT_STRNE(m.en, "") << "message " << id << " has no English";
  }
}

TEST(MessagesTest, BothLanguagesUseTheSamePlaceholders) {
  for (const MessageText& m : AllMessages()) {
    EXPECT_EQ(Placeholders(m.es), Placeholders(m.en))
        << "message " << static_cast<int>(m.id) << ": " << m.en;
  }
}

TEST(MessagesTest, SentencesAreTranslatedNotCopied) {
  // Messages made only of codes, flags and placeholders read the same in
  // both languages; any other identical pair is a missed translation.
  const std::set<MsgId> same_in_both = {MsgId::kUsageCaseReopen,
                                        MsgId::kUsageCaseConsentWithdraw,
                                        MsgId::kRpcFieldViolation};
  for (const MessageText& m : AllMessages()) {
    if (same_in_both.count(m.id) > 0) continue;
    const std::string en = m.en;
    if (en.find(' ') == std::string::npos) continue;  // a word or a code
    EXPECT_NE(std::string(m.es), en) << "untranslated: " << en;
  }
}

TEST(MessagesTest, SubstitutesArgumentsInTheChosenLanguage) {
  EXPECT_EQ(Msg(Lang::kEs, MsgId::kDoneCreated, "IEEPCO-2026-000001"),
            "Caso registrado: IEEPCO-2026-000001");
  EXPECT_EQ(Msg(Lang::kEn, MsgId::kErrNumberRange, "--page-size", 1, 500),
            "--page-size must be a whole number from 1 to 500");
}

TEST(LanguageTest, SpanishUnlessTheLocaleSaysOtherwise) {
  EXPECT_EQ(LangFromEnvironment(nullptr, nullptr, nullptr), Lang::kEs);
  EXPECT_EQ(LangFromEnvironment(nullptr, nullptr, ""), Lang::kEs);
  EXPECT_EQ(LangFromEnvironment(nullptr, nullptr, "es_MX.UTF-8"), Lang::kEs);
  EXPECT_EQ(LangFromEnvironment(nullptr, nullptr, "en_US.UTF-8"), Lang::kEn);
  EXPECT_EQ(LangFromEnvironment(nullptr, nullptr, "C.UTF-8"), Lang::kEn);
  // LC_ALL wins over LANG.
  EXPECT_EQ(LangFromEnvironment("es_MX", nullptr, "en_US"), Lang::kEs);
  EXPECT_EQ(LangFromEnvironment(nullptr, "en_GB", "es_MX"), Lang::kEn);
}

TEST(LanguageTest, FlagAcceptsOnlyEsAndEn) {
  EXPECT_EQ(LangFromFlag("es"), Lang::kEs);
  EXPECT_EQ(LangFromFlag("EN"), Lang::kEn);
  EXPECT_EQ(LangFromFlag("fr"), std::nullopt);
  EXPECT_EQ(LangFromFlag(""), std::nullopt);
}

}  // namespace
}  // namespace resguardo::cli
