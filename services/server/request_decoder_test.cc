// The call core's request decoding; over real gRPC and mTLS it is covered
// by tests/node_transport_test.cc.
#include "services/server/request_decoder.h"

#include <string>

#include "absl/strings/str_replace.h"
#include "base/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "resguardo/v1/case_service.pb.h"
#include "services/api/field_violations.h"

namespace resguardo::server {
namespace {

using ::resguardo::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kCanary[] = "CANARIO-7Q";

// A CreateCaseRequest whose bytes at the placeholder "@@@@" are replaced by
// bytes that are not UTF-8, in the field set by `set`.
template <typename Set>
std::string WithInvalidUtf8(Set set) {
  v1::CreateCaseRequest request;
  request.set_parent("institutions/IEEPCO");
  request.mutable_case_record()->mutable_personal_data()->set_narrative(
      kCanary);
  set(request, std::string(kCanary) + "@@@@");
  return absl::StrReplaceAll(request.SerializeAsString(),
                             {{"@@@@", "\xff\xc3\x28\xed"}});
}

std::vector<std::string> FieldsOf(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const api::FieldViolation& v : api::ViolationsOf(status)) {
    fields.push_back(v.field);
  }
  return fields;
}

TEST(RequestDecoderTest, DecodesAWellFormedRequest) {
  v1::CreateCaseRequest sent;
  sent.set_parent("institutions/IEEPCO");
  sent.mutable_case_record()->mutable_personal_data()->set_victim_name("Ana");
  v1::CreateCaseRequest received;
  ASSERT_TRUE(DecodeRequest(sent.SerializeAsString(), received).ok());
  EXPECT_EQ(received.case_record().personal_data().victim_name(), "Ana");
}

TEST(RequestDecoderTest, NamesTheNestedStringThatIsNotUtf8) {
  std::string bytes =
      WithInvalidUtf8([](v1::CreateCaseRequest& r, const std::string& s) {
        r.mutable_case_record()->mutable_personal_data()->set_victim_name(s);
      });
  v1::CreateCaseRequest request;
  absl::Status status = DecodeRequest(bytes, request);
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument,
                               HasSubstr("valid UTF-8")));
  EXPECT_THAT(FieldsOf(status),
              ElementsAre("case_record.personal_data.victim_name"));
  EXPECT_THAT(std::string(status.message()), Not(HasSubstr(kCanary)));
  EXPECT_EQ(request.ByteSizeLong(), 0u);  // nothing half-parsed is left
}

TEST(RequestDecoderTest, NamesATopLevelStringThatIsNotUtf8) {
  std::string bytes = WithInvalidUtf8(
      [](v1::CreateCaseRequest& r, const std::string& s) { r.set_parent(s); });
  v1::CreateCaseRequest request;
  EXPECT_THAT(FieldsOf(DecodeRequest(bytes, request)), ElementsAre("parent"));
}

TEST(RequestDecoderTest, NamesTheMessageWhenNoFieldCanBeNamed) {
  v1::CreateCaseRequest request;
  absl::Status status = DecodeRequest("\xff\xff\xff", request);
  EXPECT_THAT(status,
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("not a well-formed "
                                 "resguardo.v1.CreateCaseRequest message")));
  EXPECT_TRUE(FieldsOf(status).empty());
}

TEST(RequestDecoderTest, NamesASubmessageWhoseBytesAreCut) {
  v1::CreateCaseRequest sent;
  sent.mutable_case_record()->mutable_personal_data()->set_victim_name("Ana");
  std::string bytes = sent.SerializeAsString();
  // case_record's length says more than there is.
  bytes[1] = static_cast<char>(bytes[1] + 5);
  v1::CreateCaseRequest request;
  absl::Status status = DecodeRequest(bytes, request);
  EXPECT_THAT(FieldsOf(status), ElementsAre("case_record"));
}

TEST(RequestDecoderTest, DecodesByMethodName) {
  v1::GetCaseRequest sent;
  sent.set_name("institutions/IEEPCO/cases/IEEPCO-2026-000001");
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> request =
      DecodeRequest("/resguardo.v1.CaseService/GetCase",
                    sent.SerializeAsString());
  ASSERT_TRUE(request.ok()) << request.status();
  EXPECT_EQ((*request)->GetDescriptor(), v1::GetCaseRequest::descriptor());
  EXPECT_EQ((*request)->SerializeAsString(), sent.SerializeAsString());

  std::string bad = WithInvalidUtf8(
      [](v1::CreateCaseRequest& r, const std::string& s) { r.set_parent(s); });
  EXPECT_THAT(
      FieldsOf(
          DecodeRequest("/resguardo.v1.CaseService/CreateCase", bad).status()),
      ElementsAre("parent"));
  for (const char* unknown :
       {"/resguardo.v1.CaseService/Nope", "/resguardo.v1.Nope/GetCase",
        "resguardo.v1.CaseService/GetCase", ""}) {
    EXPECT_THAT(DecodeRequest(unknown, "").status(),
                StatusIs(absl::StatusCode::kUnimplemented))
        << unknown;
  }
}

TEST(RequestDecoderTest, RefusesMoreBytesThanTheLimitNamingIt) {
  EXPECT_TRUE(CheckRequestSize(1024, 1024).ok());
  EXPECT_THAT(CheckRequestSize(1025, 1024),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       HasSubstr("at most 1024 bytes")));
}

TEST(RequestDecoderTest, MarksTheThreadWhileItDecodes) {
  EXPECT_FALSE(DecodingRequestOnThisThread());
  v1::CreateCaseRequest request;
  (void)DecodeRequest("\xff", request);
  EXPECT_FALSE(DecodingRequestOnThisThread());
}

}  // namespace
}  // namespace resguardo::server
