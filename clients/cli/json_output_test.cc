#include "clients/cli/json_output.h"

#include "base/testing/status_matchers.h"
#include "gtest/gtest.h"
#include "resguardo/v1/case.pb.h"

namespace resguardo::cli {
namespace {

namespace v1 = resguardo::v1;

// Scripts parse this: field names, enum spelling and layout must not drift.
TEST(JsonOutputTest, CanonicalProtobufJsonOnOneLine) {
  v1::Case c;
  c.set_folio("IEEPCO-2026-000001");
  c.mutable_descriptors()->set_kind(v1::CASE_KIND_GBV);
  c.mutable_descriptors()->set_state_code("20");
  c.mutable_descriptors()->add_violence_types(v1::VIOLENCE_TYPE_DIGITAL);
  c.mutable_descriptors()->mutable_reported_date()->set_year(2026);
  c.mutable_create_time()->set_seconds(1795000000);
  ASSERT_OK_AND_ASSIGN(std::string json, ToJsonLine(c));
  EXPECT_EQ(json,
            "{\"folio\":\"IEEPCO-2026-000001\",\"descriptors\":{\"kind\":"
            "\"CASE_KIND_GBV\",\"stateCode\":\"20\",\"reportedDate\":{"
            "\"year\":2026},\"violenceTypes\":[\"VIOLENCE_TYPE_DIGITAL\"]},"
            "\"createTime\":\"2026-11-18T11:06:40Z\"}\n");
}

}  // namespace
}  // namespace resguardo::cli
