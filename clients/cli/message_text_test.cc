#include "clients/cli/message_text.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "clients/cli/input_files.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "resguardo/v1/case.pb.h"

namespace resguardo::cli {
namespace {

namespace v1 = resguardo::v1;
using Reason = MessageTextError::Reason;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// Personal data in a file must never come back in an error.
constexpr char kCanary[] = "CANARIO-ARCHIVO-5d1e";

std::string Example(const std::string& name) {
  const char* src = std::getenv("RESGUARDO_SOURCE_DIR");
  std::ifstream in(
      absl::StrCat(src ? src : ".", "/clients/cli/examples/", name));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::optional<MessageTextError> ParseText(const std::string& text,
                                          v1::Case* c) {
  return ParseMessageTextInto(text, MessageTextFormat::kTextFormat, c);
}

std::optional<MessageTextError> ParseJson(const std::string& text,
                                          v1::Case* c) {
  return ParseMessageTextInto(text, MessageTextFormat::kJson, c);
}

TEST(MessageTextTest, TheShippedExamplesReadAsTheSameCase) {
  const std::string text = Example("caso.textproto");
  const std::string json = Example("caso.json");
  ASSERT_FALSE(text.empty());
  ASSERT_FALSE(json.empty());
  v1::Case from_text;
  v1::Case from_json;
  ASSERT_EQ(ParseText(text, &from_text), std::nullopt);
  ASSERT_EQ(ParseJson(json, &from_json), std::nullopt);
  EXPECT_TRUE(
      google::protobuf::util::MessageDifferencer::Equals(from_text, from_json))
      << from_text.DebugString() << "\n"
      << from_json.DebugString();

  const v1::CaseDescriptors& d = from_text.descriptors();
  EXPECT_EQ(d.kind(), v1::CASE_KIND_POLITICAL_VIOLENCE);
  EXPECT_EQ(d.risk_level(), v1::RISK_LEVEL_HIGH);      // "Alto"
  EXPECT_EQ(d.victim_age_band(), v1::AGE_BAND_30_44);  // "30-44"
  EXPECT_EQ(d.victim_position(), v1::VICTIM_POSITION_CANDIDATE);
  EXPECT_THAT(d.violence_types(),
              ElementsAre(v1::VIOLENCE_TYPE_PSYCHOLOGICAL,
                          v1::VIOLENCE_TYPE_SYMBOLIC));  // "Simbólica"
  EXPECT_THAT(d.conducts(), ElementsAre(v1::CONDUCT_C03, v1::CONDUCT_C05));
  EXPECT_EQ(d.reported_date().year(), 2026);
  EXPECT_EQ(d.reported_date().month(), 11);
  EXPECT_EQ(d.reported_date().day(), 3);
  EXPECT_EQ(d.incident_month().month(), 10);
  EXPECT_EQ(d.incident_month().day(), 0);
  EXPECT_FALSE(from_text.personal_data().victim_name().empty());
  EXPECT_EQ(from_text.personal_data().aggressor_names_size(), 1);
}

TEST(MessageTextTest, ProtobufsOwnFormsStillRead) {
  v1::Case c;
  ASSERT_EQ(ParseText("descriptors { kind: CASE_KIND_GBV risk_level: 2 "
                      "reported_date { year: 2026 month: 1 day: 31 } }",
                      &c),
            std::nullopt);
  EXPECT_EQ(c.descriptors().kind(), v1::CASE_KIND_GBV);
  EXPECT_EQ(c.descriptors().risk_level(), 2);
  EXPECT_EQ(c.descriptors().reported_date().day(), 31);
  ASSERT_EQ(ParseJson(R"({"descriptors": {"kind": "CASE_KIND_GBV",
                         "state_code": "20", "filedByThirdParty": true,
                         "reportedDate": {"year": 2026, "month": 1, "day": 31}}})",
                      &c),
            std::nullopt);
  EXPECT_EQ(c.descriptors().kind(), v1::CASE_KIND_GBV);
  EXPECT_EQ(c.descriptors().state_code(), "20");
  EXPECT_TRUE(c.descriptors().filed_by_third_party());
}

TEST(MessageTextTest, ABadCodeIsNamedAtItsOwnLineWithTheCodesToChooseFrom) {
  v1::Case c;
  auto error = ParseText(
      "descriptors {\n"
      "  kind: GBV\n"
      "  risk_level: EXTREMO\n"
      "  state_code: \"20\"\n"
      "}\n",
      &c);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->reason, Reason::kNotACode);
  EXPECT_EQ(error->field, "descriptors.risk_level");
  EXPECT_EQ(error->line, 3);  // not the line after it
  EXPECT_EQ(error->column, 15);
  EXPECT_EQ(error->expected, "LOW, MEDIUM, HIGH, CRITICAL");
}

TEST(MessageTextTest, JsonErrorsNameTheFieldAndThePositionInAList) {
  v1::Case c;
  auto error =
      ParseJson(absl::StrCat(R"({"descriptors": {"conducts": ["C01", ")",
                             kCanary, R"("]}})"),
                &c);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->reason, Reason::kNotACode);
  EXPECT_EQ(error->field, "descriptors.conducts[1]");
  EXPECT_THAT(error->expected, HasSubstr("C22"));
}

TEST(MessageTextTest, EachKindOfMistakeHasItsReason) {
  struct Case {
    const char* text;
    bool json;
    Reason reason;
    const char* field;
    int line;
  } cases[] = {
      {"descriptors {\n  nombre: \"x\"\n}", false, Reason::kUnknownField,
       "descriptors.nombre", 2},
      {"descriptors { kind: GBV kind: GBV }", false, Reason::kSetTwice,
       "descriptors.kind", 1},
      {"descriptors {\n reported_date: \"2026-13\"\n}", false, Reason::kBadDate,
       "descriptors.reported_date", 2},
      {"descriptors { reported_date: \"3 de marzo\" }", false, Reason::kBadDate,
       "descriptors.reported_date", 1},
      {"descriptors { state_code: 20 }", false, Reason::kWrongType,
       "descriptors.state_code", 1},
      {"descriptors { filed_by_third_party: \"yes\" }", false,
       Reason::kWrongType, "descriptors.filed_by_third_party", 1},
      {"descriptors: \"GBV\"", false, Reason::kWrongType, "descriptors", 1},
      {"descriptors { reported_date { year: 99999999999 } }", false,
       Reason::kOutOfRange, "descriptors.reported_date.year", 1},
      {"descriptors {\n  kind: GBV\n", false, Reason::kSyntax, "", 3},
      {"descriptors { kind GBV }", false, Reason::kSyntax, "", 1},
      {R"({"descriptors": {"stateCode": 20}})", true, Reason::kWrongType,
       "descriptors.state_code", 0},
      {R"({"descriptors": {"riskLevel": 0}})", true, Reason::kNotACode,
       "descriptors.risk_level", 0},
      {"{\n \"descriptors\": {\n  \"kind\": \"GBV\",\n }\n}", true,
       Reason::kSyntax, "", 4},
      {"[1, 2]", true, Reason::kWrongType, "", 0},
  };
  for (const auto& t : cases) {
    v1::Case c;
    auto error = t.json ? ParseJson(t.text, &c) : ParseText(t.text, &c);
    ASSERT_TRUE(error.has_value()) << t.text;
    EXPECT_EQ(error->reason, t.reason) << t.text;
    EXPECT_EQ(error->field, t.field) << t.text;
    if (t.line > 0) {
      EXPECT_EQ(error->line, t.line) << t.text;
    }
  }
}

TEST(MessageTextTest, NoErrorRepeatsWhatTheFileSaid) {
  // Through ParseMessageText, as the CLI reports it, in both languages.
  const std::string files[] = {
      absl::StrCat("descriptors { risk_level: ", kCanary, " }"),
      absl::StrCat("descriptors { ", kCanary, ": 1 }"),
      absl::StrCat("personal_data { victim_name: \"", kCanary,
                   "\" victim_name: \"", kCanary, "\" }"),
      absl::StrCat("personal_data { victim_name: ", kCanary, " }"),
      absl::StrCat("personal_data { victim_name: \"", kCanary),
  };
  for (const std::string& text : files) {
    for (Lang lang : {Lang::kEs, Lang::kEn}) {
      v1::Case c;
      absl::Status status = ParseMessageText(text, "caso.textproto", lang, &c);
      ASSERT_FALSE(status.ok()) << text;
      EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
      EXPECT_THAT(std::string(status.message()), HasSubstr("caso.textproto"));
      EXPECT_THAT(std::string(status.message()), Not(HasSubstr("CANARIO")))
          << status.message();
      EXPECT_EQ(c.ByteSizeLong(), 0u) << "nothing half-read is kept";
    }
  }
  v1::Case c;
  absl::Status status =
      ParseMessageText(absl::StrCat(R"({"personalData": {"victimName": ")",
                                    kCanary, R"(", "x": 1}})"),
                       "caso.json", Lang::kEs, &c);
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(std::string(status.message()),
              HasSubstr("campo personal_data.x"));
  EXPECT_THAT(std::string(status.message()), Not(HasSubstr("CANARIO")));
}

TEST(MessageTextTest, TheCliSaysWhereAndWhyInEitherLanguage) {
  v1::Case c;
  const std::string text = "descriptors {\n  risk_level: EXTREMO\n}\n";
  absl::Status es = ParseMessageText(text, "caso.textproto", Lang::kEs, &c);
  EXPECT_EQ(es.message(),
            "caso.textproto, línea 2, columna 15, campo "
            "descriptors.risk_level: no es un código del catálogo; códigos: "
            "LOW, MEDIUM, HIGH, CRITICAL");
  absl::Status en = ParseMessageText(text, "caso.textproto", Lang::kEn, &c);
  EXPECT_EQ(en.message(),
            "caso.textproto, line 2, column 15, field descriptors.risk_level: "
            "not a code of the catalogue; codes: LOW, MEDIUM, HIGH, CRITICAL");
}

}  // namespace
}  // namespace resguardo::cli
