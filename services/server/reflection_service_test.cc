#include "services/server/reflection_service.h"

#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/descriptor.pb.h"
#include "gtest/gtest.h"
#include "resguardo/config/v1/node_config.pb.h"
#include "resguardo/v1/case_service.pb.h"
#include "resguardo/v1/stats_service.pb.h"

namespace resguardo::server {
namespace {

using grpc::reflection::v1alpha::ServerReflectionRequest;
using grpc::reflection::v1alpha::ServerReflectionResponse;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Not;

// A service that describes CaseService only (and itself). The other files
// compiled in are linked (their messages are named below) but not
// described.
class ReflectionServiceTest : public ::testing::Test {
 protected:
  ReflectionServiceTest()
      : service_(
            {v1::CreateCaseRequest::descriptor()->file()->FindServiceByName(
                "CaseService")},
            nullptr, nullptr, nullptr) {
    // Linked into the test, so that the generated pool holds them.
    (void)config::v1::NodeConfig::descriptor();
    (void)v1::StatsQueryRequest::descriptor();
  }

  static std::vector<std::string> FileNames(
      const ServerReflectionResponse& response) {
    std::vector<std::string> names;
    for (const std::string& bytes :
         response.file_descriptor_response().file_descriptor_proto()) {
      google::protobuf::FileDescriptorProto file;
      EXPECT_TRUE(file.ParseFromString(bytes));
      names.push_back(file.name());
    }
    return names;
  }

  ReflectionService service_;
  std::set<std::string> sent_;
};

TEST_F(ReflectionServiceTest, ListsItsServicesAndEchoesTheRequest) {
  ServerReflectionRequest request;
  request.set_host("node");
  request.set_list_services("*");
  ServerReflectionResponse response = service_.Answer(request, &sent_);
  EXPECT_EQ(response.valid_host(), "node");
  EXPECT_EQ(response.original_request().list_services(), "*");
  std::vector<std::string> names;
  for (const auto& s : response.list_services_response().service()) {
    names.push_back(s.name());
  }
  EXPECT_THAT(names, ElementsAre("resguardo.v1.CaseService",
                                 "grpc.reflection.v1alpha.ServerReflection"));
}

TEST_F(ReflectionServiceTest, SendsAFileThenItsImportsOncePerStream) {
  ServerReflectionRequest request;
  request.set_file_containing_symbol("resguardo.v1.CaseService.GetCase");
  std::vector<std::string> first = FileNames(service_.Answer(request, &sent_));
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(first[0], "resguardo/v1/case_service.proto");
  EXPECT_THAT(first, Contains("resguardo/v1/labels.proto"));
  EXPECT_THAT(first, Contains("google/protobuf/descriptor.proto"));

  // Asked again on the same stream: the file, not its imports again.
  request.Clear();
  request.set_file_by_filename("resguardo/v1/labels.proto");
  EXPECT_THAT(FileNames(service_.Answer(request, &sent_)),
              ElementsAre("resguardo/v1/labels.proto"));
}

TEST_F(ReflectionServiceTest, DescribesNothingBeyondItsServicesFiles) {
  ServerReflectionRequest request;
  request.set_file_by_filename("resguardo/config/v1/node_config.proto");
  ServerReflectionResponse response = service_.Answer(request, &sent_);
  EXPECT_EQ(response.error_response().error_code(),
            static_cast<int>(grpc::StatusCode::NOT_FOUND));
  EXPECT_FALSE(response.has_file_descriptor_response());

  request.set_file_containing_symbol("resguardo.config.v1.NodeConfig");
  EXPECT_EQ(service_.Answer(request, &sent_).error_response().error_code(),
            static_cast<int>(grpc::StatusCode::NOT_FOUND));
  request.set_file_containing_symbol("resguardo.v1.StatsService");
  EXPECT_EQ(service_.Answer(request, &sent_).error_response().error_code(),
            static_cast<int>(grpc::StatusCode::NOT_FOUND));
}

TEST_F(ReflectionServiceTest, AnswersExtensionsOfItsFilesOnly) {
  // labels.proto (described) and stats_options.proto (not) both extend
  // EnumValueOptions.
  ServerReflectionRequest request;
  request.set_all_extension_numbers_of_type("google.protobuf.EnumValueOptions");
  ServerReflectionResponse response = service_.Answer(request, &sent_);
  EXPECT_EQ(response.all_extension_numbers_response().base_type_name(),
            "google.protobuf.EnumValueOptions");
  EXPECT_THAT(response.all_extension_numbers_response().extension_number(),
              Contains(51001));
  EXPECT_THAT(response.all_extension_numbers_response().extension_number(),
              Not(Contains(51002)));

  request.mutable_file_containing_extension()->set_containing_type(
      "google.protobuf.EnumValueOptions");
  request.mutable_file_containing_extension()->set_extension_number(51001);
  EXPECT_THAT(FileNames(service_.Answer(request, &sent_)),
              Contains("resguardo/v1/labels.proto"));
  request.mutable_file_containing_extension()->set_extension_number(51002);
  EXPECT_EQ(service_.Answer(request, &sent_).error_response().error_code(),
            static_cast<int>(grpc::StatusCode::NOT_FOUND));
}

TEST_F(ReflectionServiceTest, ARequestThatAsksNothingIsUnimplemented) {
  EXPECT_EQ(service_.Answer({}, &sent_).error_response().error_code(),
            static_cast<int>(grpc::StatusCode::UNIMPLEMENTED));
}

}  // namespace
}  // namespace resguardo::server
