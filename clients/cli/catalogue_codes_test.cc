#include "clients/cli/catalogue_codes.h"

#include <map>
#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "base/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "resguardo/v1/catalogues.pb.h"
#include "resguardo/v1/referral_service.pb.h"
#include "resguardo/v1/stats_service.pb.h"

namespace resguardo::cli {
namespace {

namespace v1 = resguardo::v1;
using ::resguardo::testing::StatusIs;

const google::protobuf::FileDescriptor* CataloguesFile() {
  return v1::CaseKind_descriptor()->file();
}

TEST(CatalogueCodesTest, CodeIsTheNameWithoutTheEnumsPrefix) {
  EXPECT_EQ(CodePrefix(v1::CaseKind_descriptor()), "CASE_KIND_");
  EXPECT_EQ(
      CodeOf(v1::CaseKind_descriptor()->FindValueByNumber(v1::CASE_KIND_GBV)),
      "GBV");
  EXPECT_EQ(CodeOf(v1::Conduct_descriptor(), v1::CONDUCT_C11), "C11");
  EXPECT_EQ(CodeOf(v1::AgeBand_descriptor(), v1::AGE_BAND_60_PLUS), "60_PLUS");
  EXPECT_EQ(CodeOf(v1::RiskLevel_descriptor(), 0), "");
}

TEST(CatalogueCodesTest, ParsesCodesIgnoringCase) {
  for (const char* text : {"GBV", "gbv", "Gbv", " gbv "}) {
    ASSERT_OK_AND_ASSIGN(const auto* value,
                         ParseCode(v1::CaseKind_descriptor(), text));
    EXPECT_EQ(value->number(), v1::CASE_KIND_GBV) << text;
  }
}

TEST(CatalogueCodesTest, AcceptsTheFullValueNameAndHyphens) {
  for (const char* text :
       {"CASE_KIND_POLITICAL_VIOLENCE", "case_kind_political_violence",
        "political-violence", "Political_Violence"}) {
    ASSERT_OK_AND_ASSIGN(const auto* value,
                         ParseCode(v1::CaseKind_descriptor(), text));
    EXPECT_EQ(value->number(), v1::CASE_KIND_POLITICAL_VIOLENCE) << text;
  }
  ASSERT_OK_AND_ASSIGN(const auto* band,
                       ParseCode(v1::AgeBand_descriptor(), "18-29"));
  EXPECT_EQ(band->number(), v1::AGE_BAND_18_29);
}

TEST(CatalogueCodesTest, RejectsUnknownCodes) {
  EXPECT_THAT(ParseCode(v1::RiskLevel_descriptor(), "EXTREME"),
              StatusIs(absl::StatusCode::kNotFound));
  // A code of another catalogue is not a code of this one.
  EXPECT_THAT(ParseCode(v1::RiskLevel_descriptor(), "GBV"),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(ParseCode(v1::RiskLevel_descriptor(), "CASE_KIND_GBV"),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(ParseCode(v1::RiskLevel_descriptor(), "  "),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(CatalogueCodesTest, UnspecifiedIsNeverAChoice) {
  EXPECT_THAT(ParseCode(v1::RiskLevel_descriptor(), "UNSPECIFIED"),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(ParseCode(v1::RiskLevel_descriptor(), "RISK_LEVEL_UNSPECIFIED"),
              StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(Choices(v1::RiskLevel_descriptor()).size(), 4u);
  EXPECT_EQ(CodeList(v1::RiskLevel_descriptor()),
            "LOW, MEDIUM, HIGH, CRITICAL");
}

TEST(CatalogueCodesTest, EveryCodeOfEveryCatalogueRoundTrips) {
  const auto* file = CataloguesFile();
  ASSERT_GE(file->enum_type_count(), 15);
  for (int e = 0; e < file->enum_type_count(); ++e) {
    const auto* catalogue = file->enum_type(e);
    for (const auto* value : Choices(catalogue)) {
      const std::string code = CodeOf(value);
      ASSERT_FALSE(code.empty()) << value->full_name();
      ASSERT_OK_AND_ASSIGN(const auto* parsed, ParseCode(catalogue, code));
      EXPECT_EQ(parsed, value) << value->full_name();
      ASSERT_OK_AND_ASSIGN(const auto* lower,
                           ParseCode(catalogue, absl::AsciiStrToLower(code)));
      EXPECT_EQ(lower, value) << value->full_name();
    }
  }
}

TEST(CatalogueCodesTest, AcceptsTheLabelsOfEitherLanguage) {
  // What the prompt and `catalogue list` show a Spanish-speaking user.
  for (const char* text : {"Alto", "alto", "ALTO", " alto ", "High"}) {
    ASSERT_OK_AND_ASSIGN(const auto* value,
                         ParseCode(v1::RiskLevel_descriptor(), text));
    EXPECT_EQ(value->number(), v1::RISK_LEVEL_HIGH) << text;
  }
  for (const char* text : {"Auditora", "AUDITORA", "auditor"}) {
    ASSERT_OK_AND_ASSIGN(const auto* value,
                         ParseCode(v1::Role_descriptor(), text));
    EXPECT_EQ(value->number(), v1::ROLE_AUDITOR) << text;
  }
  // Accents and their absence, in either case.
  const auto* kind = v1::CaseKind_descriptor();
  const std::string es = LabelOf(
      kind->FindValueByNumber(v1::CASE_KIND_POLITICAL_VIOLENCE), Lang::kEs);
  ASSERT_NE(es.find("\xc3\xad"), std::string::npos) << es;  // "í"
  std::string plain = es;
  plain.replace(plain.find("\xc3\xad"), 2, "i");
  for (const std::string& text : {es, plain, absl::AsciiStrToUpper(plain)}) {
    ASSERT_OK_AND_ASSIGN(const auto* value, ParseCode(kind, text));
    EXPECT_EQ(value->number(), v1::CASE_KIND_POLITICAL_VIOLENCE) << text;
  }
}

TEST(CatalogueCodesTest, NoTwoValuesOfACatalogueShareACodeOrLabel) {
  // Codes, names and labels in both languages are all typed answers: within
  // one catalogue each must lead to one value only.
  for (const auto* file :
       {CataloguesFile(), v1::StatsDimension_descriptor()->file()}) {
    for (int e = 0; e < file->enum_type_count(); ++e) {
      const auto* catalogue = file->enum_type(e);
      std::map<std::string, std::string> owner;
      for (const auto* value : Choices(catalogue)) {
        std::set<std::string> keys = {ChoiceKey(CodeOf(value)),
                                      ChoiceKey(value->name()),
                                      ChoiceKey(LabelOf(value, Lang::kEs)),
                                      ChoiceKey(LabelOf(value, Lang::kEn))};
        for (const std::string& key : keys) {
          auto [it, fresh] = owner.emplace(key, value->name());
          EXPECT_TRUE(fresh)
              << catalogue->name() << ": '" << key << "' names both "
              << it->second << " and " << value->name();
        }
        ASSERT_OK_AND_ASSIGN(const auto* parsed,
                             ParseCode(catalogue, LabelOf(value, Lang::kEs)));
        EXPECT_EQ(parsed, value) << value->full_name();
      }
    }
  }
}

TEST(CatalogueCodesTest, EveryValueHasALabelInBothLanguages) {
  const auto* file = CataloguesFile();
  for (int e = 0; e < file->enum_type_count(); ++e) {
    for (const auto* value : Choices(file->enum_type(e))) {
      // LabelOf falls back to the code: a label equal to the code means the
      // option is missing (codes are upper-case ASCII, labels are not).
      for (Lang lang : {Lang::kEs, Lang::kEn}) {
        const std::string label = LabelOf(value, lang);
        EXPECT_FALSE(label.empty()) << value->full_name();
        EXPECT_NE(label, CodeOf(value)) << value->full_name();
      }
    }
  }
}

TEST(CatalogueCodesTest, LabelsComeFromTheDescriptorsInTheChosenLanguage) {
  EXPECT_EQ(LabelOf(v1::RiskLevel_descriptor(), v1::RISK_LEVEL_HIGH, Lang::kEs),
            "Alto");
  EXPECT_EQ(LabelOf(v1::RiskLevel_descriptor(), v1::RISK_LEVEL_HIGH, Lang::kEn),
            "High");
  EXPECT_EQ(
      LabelOf(v1::CaseStatus_descriptor(), v1::CASE_STATUS_CLOSED, Lang::kEs),
      "Concluida");
  // Unset shows nothing; a value from a newer node shows its number.
  EXPECT_EQ(LabelOf(v1::RiskLevel_descriptor(), 0, Lang::kEs), "");
  EXPECT_EQ(LabelOf(v1::RiskLevel_descriptor(), 99, Lang::kEs), "99");
}
}  // namespace
}  // namespace resguardo::cli
