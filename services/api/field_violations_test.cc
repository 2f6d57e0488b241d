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
  v.Add("parent", "must be institutions/{institution}");
  v.Add("case_record.descriptors.kind", "is required");
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
}

}  // namespace
}  // namespace resguardo::api
