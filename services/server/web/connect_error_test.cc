#include "services/server/web/connect_error.h"

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "services/api/field_violations.h"
#include "services/server/grpc_status.h"

namespace resguardo::server::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(ConnectErrorTest, MapsCodesAsTheConnectProtocol) {
  EXPECT_EQ(ConnectCode(absl::StatusCode::kCancelled), "canceled");
  EXPECT_EQ(ConnectHttpStatus(absl::StatusCode::kCancelled), 499);
  EXPECT_EQ(ConnectHttpStatus(absl::StatusCode::kInvalidArgument), 400);
  EXPECT_EQ(ConnectHttpStatus(absl::StatusCode::kFailedPrecondition), 400);
  EXPECT_EQ(ConnectHttpStatus(absl::StatusCode::kNotFound), 404);
  EXPECT_EQ(ConnectHttpStatus(absl::StatusCode::kAborted), 409);
  EXPECT_EQ(ConnectHttpStatus(absl::StatusCode::kPermissionDenied), 403);
  EXPECT_EQ(ConnectHttpStatus(absl::StatusCode::kResourceExhausted), 429);
  EXPECT_EQ(ConnectHttpStatus(absl::StatusCode::kUnauthenticated), 401);
  EXPECT_EQ(ConnectHttpStatus(absl::StatusCode::kUnavailable), 503);
  EXPECT_EQ(ConnectHttpStatus(absl::StatusCode::kDeadlineExceeded), 504);
  EXPECT_EQ(ConnectHttpStatus(absl::StatusCode::kUnimplemented), 501);
  EXPECT_EQ(ConnectHttpStatus(absl::StatusCode::kDataLoss), 500);
}

TEST(ConnectErrorTest, CarriesTheBadRequestOfThePublicStatus) {
  api::FieldViolations v;
  v.Add("case_record.descriptors.state_code", api::ErrorId::kStateCode);
  std::string json = ConnectErrorJson(
      PublicStatus(v.ToStatus(), "rid-1", api::Language::kEnglish));
  EXPECT_THAT(json, HasSubstr("\"code\":\"invalid_argument\""));
  EXPECT_THAT(json, HasSubstr("\"type\":\"google.rpc.BadRequest\""));
  EXPECT_THAT(json, HasSubstr("\"debug\":{\"fieldViolations\":[{\"field\":"
                              "\"case_record.descriptors.state_code\""));
  EXPECT_THAT(json, HasSubstr("\"description\":\"must be an INEGI state code"));
  EXPECT_THAT(json, HasSubstr("\"type\":\"google.rpc.LocalizedMessage\""));
  EXPECT_THAT(json, HasSubstr("\"debug\":{\"locale\":\"en\""));
  EXPECT_THAT(json, Not(HasSubstr("=\"")));  // base64 without padding
}

TEST(ConnectErrorTest, InternalErrorsSayOnlyTheRequestId) {
  std::string json = ConnectErrorJson(
      PublicStatus(absl::InternalError("store: SQLite code 11 on /data/x.db"),
                   "rid-2", api::Language::kSpanish));
  EXPECT_THAT(json, HasSubstr("\"code\":\"internal\""));
  EXPECT_THAT(json, HasSubstr("rid-2"));
  EXPECT_THAT(json, Not(HasSubstr("SQLite")));
}

}  // namespace
}  // namespace resguardo::server::web
