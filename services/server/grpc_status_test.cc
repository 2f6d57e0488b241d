#include "services/server/grpc_status.h"

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "services/api/field_violations.h"
#include "services/store/storage_status.h"

namespace resguardo::server {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(GrpcStatusTest, OkIsOk) {
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus(), "r1").ok());
}

TEST(GrpcStatusTest, KeepsCodeAndMessage) {
  grpc::Status s = ToGrpcStatus(absl::NotFoundError("case not found"), "r1");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(s.error_message(), "case not found");
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(s.error_details()));
  EXPECT_EQ(details.code(), 5);
  EXPECT_EQ(details.message(), "case not found");
  EXPECT_EQ(details.details_size(), 0);
}

TEST(GrpcStatusTest, CarriesBadRequestAsAnyInDetails) {
  api::FieldViolations violations;
  violations.Add("parent", "institutions/{institution}");
  violations.Add("case_record.descriptors.kind", "a CaseKind");
  grpc::Status s = ToGrpcStatus(violations.ToStatus(), "r1");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(s.error_details()));
  ASSERT_EQ(details.details_size(), 1);
  EXPECT_EQ(details.details(0).type_url(),
            "type.googleapis.com/google.rpc.BadRequest");
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(details.details(0).UnpackTo(&bad_request));
  ASSERT_EQ(bad_request.field_violations_size(), 2);
  EXPECT_EQ(bad_request.field_violations(0).field(), "parent");
  EXPECT_EQ(bad_request.field_violations(1).field(),
            "case_record.descriptors.kind");
}

TEST(GrpcStatusTest, HidesInternalMessagesBehindTheRequestId) {
  grpc::Status s = ToGrpcStatus(
      absl::InternalError("/var/lib/resguardo/resguardo.db: disk I/O error"),
      "req-42");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INTERNAL);
  EXPECT_THAT(s.error_message(), Not(HasSubstr("/var/lib")));
  EXPECT_THAT(s.error_message(), HasSubstr("req-42"));
  EXPECT_THAT(s.error_details(), Not(HasSubstr("/var/lib")));
  grpc::Status loss = ToGrpcStatus(absl::DataLossError("page 7"), "r");
  EXPECT_EQ(loss.error_code(), grpc::StatusCode::DATA_LOSS);
  EXPECT_THAT(loss.error_message(), Not(HasSubstr("page 7")));
}

// Regression (issue 13 item 19): a write refused on a full disk told the
// client "store: commit failed: database or disk is full (SQLite code 13)".
TEST(GrpcStatusTest, AStorageConditionIsUnavailableAndNamesNoInternals) {
  grpc::Status s = ToGrpcStatus(
      store::StorageUnavailableError(
          "store: commit failed: database or disk is full (SQLite code 13)"),
      "req-7");
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(s.error_message(),
              HasSubstr("the node cannot store data at the moment (its "
                        "storage is full or failing); nothing was changed; "
                        "retry with backoff"));
  EXPECT_THAT(s.error_message(), HasSubstr("req-7"));
  for (const std::string& text : {s.error_message(), s.error_details()}) {
    EXPECT_THAT(text, Not(HasSubstr("SQLite")));
    EXPECT_THAT(text, Not(HasSubstr("store:")));
    EXPECT_THAT(text, Not(HasSubstr("disk is full")));
  }
  // An UNAVAILABLE without the mark keeps its message.
  EXPECT_EQ(ToGrpcStatus(absl::UnavailableError("the node is stopping"), "r")
                .error_message(),
            "the node is stopping");
}

TEST(GrpcStatusTest, DropsPayloadsThatAreNotGoogleApisTypes) {
  absl::Status status = absl::FailedPreconditionError("closed");
  status.SetPayload("example.com/internal", absl::Cord("secret"));
  grpc::Status s = ToGrpcStatus(status, "r");
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(s.error_details()));
  EXPECT_EQ(details.details_size(), 0);
}

TEST(GrpcStatusTest, NamesCodes) {
  EXPECT_EQ(CodeName(absl::StatusCode::kPermissionDenied), "PERMISSION_DENIED");
  EXPECT_EQ(CodeName(absl::StatusCode::kOk), "OK");
  EXPECT_EQ(CodeName(absl::StatusCode::kUnauthenticated), "UNAUTHENTICATED");
}

}  // namespace
}  // namespace resguardo::server
