#include "services/server/grpc_status.h"

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "services/api/error_catalogue.h"
#include "services/api/field_violations.h"
#include "services/store/storage_status.h"

namespace resguardo::server {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr api::Language kEs = api::Language::kSpanish;
constexpr api::Language kEn = api::Language::kEnglish;

// The LocalizedMessage of a public status (empty if it has none).
google::rpc::LocalizedMessage LocalizedOf(const google::rpc::Status& status) {
  google::rpc::LocalizedMessage localized;
  for (const auto& any : status.details()) {
    if (any.UnpackTo(&localized)) return localized;
  }
  return google::rpc::LocalizedMessage();
}

TEST(GrpcStatusTest, OkIsOk) {
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus(), "r1", kEs).ok());
}

TEST(GrpcStatusTest, KeepsCodeAndMessage) {
  grpc::Status s =
      ToGrpcStatus(absl::NotFoundError("case not found"), "r1", kEs);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(s.error_message(), "case not found");
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(s.error_details()));
  EXPECT_EQ(details.code(), 5);
  EXPECT_EQ(details.message(), "case not found");
  // Only the localized message, the code's default.
  EXPECT_EQ(details.details_size(), 1);
  EXPECT_EQ(LocalizedOf(details).message(), "No encontrado.");
}

TEST(GrpcStatusTest, EveryErrorCarriesALocalizedMessageInTheCallersLanguage) {
  const absl::Status stale = api::WithErrorText(
      absl::AbortedError("the case changed"), api::ErrorId::kCaseChanged);
  google::rpc::Status es = PublicStatus(stale, "r", kEs);
  google::rpc::Status en = PublicStatus(stale, "r", kEn);
  EXPECT_EQ(es.message(), "the case changed");  // the English message stays
  EXPECT_EQ(en.message(), "the case changed");
  EXPECT_EQ(LocalizedOf(es).locale(), "es");
  EXPECT_THAT(LocalizedOf(es).message(),
              HasSubstr("Alguien más cambió el caso"));
  EXPECT_EQ(LocalizedOf(en).locale(), "en");
  EXPECT_THAT(LocalizedOf(en).message(),
              HasSubstr("Someone else changed the case"));
  // Every code has one, INTERNAL included (its details are otherwise
  // dropped).
  for (int code = 1; code <= 16; ++code) {
    google::rpc::Status s = PublicStatus(
        absl::Status(static_cast<absl::StatusCode>(code), "x"), "r", kEs);
    EXPECT_FALSE(LocalizedOf(s).message().empty()) << code;
  }
}

TEST(GrpcStatusTest, CarriesBadRequestAsAnyInDetails) {
  api::FieldViolations violations;
  violations.Add("parent", api::ErrorId::kInstitutionName);
  violations.Add("case_record.descriptors.kind", api::ErrorId::kRequired);
  grpc::Status s = ToGrpcStatus(violations.ToStatus(), "r1", kEs);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(s.error_details()));
  ASSERT_EQ(details.details_size(), 2);
  EXPECT_EQ(details.details(0).type_url(),
            "type.googleapis.com/google.rpc.BadRequest");
  google::rpc::BadRequest bad_request;
  ASSERT_TRUE(details.details(0).UnpackTo(&bad_request));
  ASSERT_EQ(bad_request.field_violations_size(), 2);
  EXPECT_EQ(bad_request.field_violations(0).field(), "parent");
  EXPECT_EQ(bad_request.field_violations(1).field(),
            "case_record.descriptors.kind");
  EXPECT_EQ(bad_request.field_violations(1).description(), "es obligatorio");
  EXPECT_EQ(details.details(1).type_url(),
            "type.googleapis.com/google.rpc.LocalizedMessage");
}

TEST(GrpcStatusTest, DescribesViolationsInTheCallersLanguage) {
  api::FieldViolations violations;
  violations.Add("follow_up.notes", {api::ErrorId::kLength, {0, 20000}});
  const absl::Status status = violations.ToStatus();
  google::rpc::BadRequest es, en;
  ASSERT_TRUE(PublicStatus(status, "r", kEs).details(0).UnpackTo(&es));
  ASSERT_TRUE(PublicStatus(status, "r", kEn).details(0).UnpackTo(&en));
  EXPECT_EQ(es.field_violations(0).description(),
            "debe tener de 0 a 20000 caracteres");
  EXPECT_EQ(en.field_violations(0).description(),
            "must have 0 to 20000 characters");
  // The message stays English whatever the language.
  EXPECT_EQ(PublicStatus(status, "r", kEs).message(),
            "invalid request field 'follow_up.notes': must have 0 to 20000 "
            "characters");
}

TEST(GrpcStatusTest, HidesInternalMessagesBehindTheRequestId) {
  grpc::Status s = ToGrpcStatus(
      absl::InternalError("/var/lib/resguardo/resguardo.db: disk I/O error"),
      "req-42", kEs);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INTERNAL);
  EXPECT_THAT(s.error_message(), Not(HasSubstr("/var/lib")));
  EXPECT_THAT(s.error_message(), HasSubstr("req-42"));
  EXPECT_THAT(s.error_details(), Not(HasSubstr("/var/lib")));
  grpc::Status loss = ToGrpcStatus(absl::DataLossError("page 7"), "r", kEs);
  EXPECT_EQ(loss.error_code(), grpc::StatusCode::DATA_LOSS);
  EXPECT_THAT(loss.error_message(), Not(HasSubstr("page 7")));
}

// Regression (issue 13 item 19): a write refused on a full disk told the
// client "store: commit failed: database or disk is full (SQLite code 13)".
TEST(GrpcStatusTest, AStorageConditionIsUnavailableAndNamesNoInternals) {
  grpc::Status s = ToGrpcStatus(
      store::StorageUnavailableError(
          "store: commit failed: database or disk is full (SQLite code 13)"),
      "req-7", kEn);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_THAT(s.error_message(),
              HasSubstr("the node cannot store data at the moment (its "
                        "storage is full or failing); nothing was changed; "
                        "retry with backoff"));
  EXPECT_THAT(s.error_message(), HasSubstr("req-7"));
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(s.error_details()));
  EXPECT_EQ(LocalizedOf(details).message(),
            "The node's storage is not available; retry later.");
  for (const std::string& text : {s.error_message(), s.error_details()}) {
    EXPECT_THAT(text, Not(HasSubstr("SQLite")));
    EXPECT_THAT(text, Not(HasSubstr("store:")));
    EXPECT_THAT(text, Not(HasSubstr("disk is full")));
  }
  // An UNAVAILABLE without the mark keeps its message.
  EXPECT_EQ(
      ToGrpcStatus(absl::UnavailableError("the node is stopping"), "r", kEs)
          .error_message(),
      "the node is stopping");
}

TEST(GrpcStatusTest, DropsPayloadsThatAreNotGoogleApisTypes) {
  absl::Status status = absl::FailedPreconditionError("closed");
  status.SetPayload("example.com/internal", absl::Cord("secret"));
  grpc::Status s = ToGrpcStatus(status, "r", kEs);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(s.error_details()));
  ASSERT_EQ(details.details_size(), 1);  // the LocalizedMessage only
  EXPECT_THAT(s.error_details(), Not(HasSubstr("secret")));
}

TEST(GrpcStatusTest, NamesCodes) {
  EXPECT_EQ(CodeName(absl::StatusCode::kPermissionDenied), "PERMISSION_DENIED");
  EXPECT_EQ(CodeName(absl::StatusCode::kOk), "OK");
  EXPECT_EQ(CodeName(absl::StatusCode::kUnauthenticated), "UNAUTHENTICATED");
}

}  // namespace
}  // namespace resguardo::server
