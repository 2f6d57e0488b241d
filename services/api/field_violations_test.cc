#include "services/api/field_violations.h"

#include "base/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace resguardo::api {
namespace {

using ::resguardo::testing::IsOk;
using ::resguardo::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;

TEST(FieldViolationsTest, NoViolationsIsOk) {
  EXPECT_THAT(FieldViolations().ToStatus(), IsOk());
}

TEST(FieldViolationsTest, NamesTheFirstFieldAndCarriesAllAsBadRequest) {
  FieldViolations v;
  v.Add("parent", ErrorId::kInstitutionName);
  v.Add("case_record.descriptors.kind", ErrorId::kRequired);
  absl::Status s = v.ToStatus();
  EXPECT_THAT(
      s, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'parent'")));
  EXPECT_THAT(s.message(), HasSubstr("1 more field violation"));
  EXPECT_THAT(ViolationsOf(s),
              ElementsAre(Field(&FieldViolation::field, "parent"),
                          Field(&FieldViolation::field,
                                "case_record.descriptors.kind")));
}

TEST(FieldViolationsTest, AStatusWithoutPayloadHasNoViolations) {
  EXPECT_TRUE(ViolationsOf(absl::InvalidArgumentError("x")).empty());
  EXPECT_FALSE(
      LocalizedBadRequest(absl::InvalidArgumentError("x"), Language::kSpanish)
          .has_value());
}

TEST(FieldViolationsTest, DescribesInEnglishAndLocalizesEachViolation) {
  FieldViolations v;
  v.Add("personal_data.aggressor_names", {ErrorId::kAtMostNames, {20}});
  v.Add("descriptors.state_code", ErrorId::kStateCode);
  const absl::Status s = v.ToStatus();
  EXPECT_EQ(s.message(),
            "invalid request field 'personal_data.aggressor_names': takes at "
            "most 20 names (and 1 more field violation)");
  std::vector<FieldViolation> back = ViolationsOf(s);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].description, "takes at most 20 names");
  EXPECT_EQ(back[0].text, ErrorText(ErrorId::kAtMostNames, {20}));
  EXPECT_EQ(back[1].text, ErrorText(ErrorId::kStateCode));
  std::optional<google::rpc::BadRequest> es =
      LocalizedBadRequest(s, Language::kSpanish);
  ASSERT_TRUE(es.has_value());
  ASSERT_EQ(es->field_violations_size(), 2);
  EXPECT_EQ(es->field_violations(0).field(), "personal_data.aggressor_names");
  EXPECT_EQ(es->field_violations(0).description(),
            "admite como máximo 20 nombres");
  EXPECT_EQ(es->field_violations(1).description(),
            "debe ser un código de estado del INEGI, de 01 a 32");
}

}  // namespace
}  // namespace resguardo::api
