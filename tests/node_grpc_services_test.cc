// gRPC's standard services as the node serves them (grpc.health.v1.Health
// and server reflection, v1alpha as grpcurl uses it), through the real
// resguardod, real mTLS and a real SQLCipher file (issue 13, item 1): a
// request that does not decode is refused INVALID_ARGUMENT naming the
// field, logged once under its request id and audited, like a resguardo.v1
// request; and the services still answer well-formed requests. They need a
// certificate of the deployment's CA, not a user: the prober's certificate
// ("probe") names no user of the directory. No request content may reach
// the node's log: each test seeds a canary.
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "gtest/gtest.h"
#include "resguardo/v1/audit.pb.h"
#include "tests/testing/raw_calls.h"
#include "tests/testing/test_deployment.h"
#include "tests/testing/test_node.h"

namespace resguardo {
namespace {

using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;
using ::grpc::reflection::v1alpha::ServerReflection;
using ::grpc::reflection::v1alpha::ServerReflectionRequest;
using ::grpc::reflection::v1alpha::ServerReflectionResponse;
using ::resguardo::testing::AuditEntriesOf;
using ::resguardo::testing::BadRequestFields;
using ::resguardo::testing::LogLinesWith;
using ::resguardo::testing::RandomHex;
using ::resguardo::testing::RawCall;
using ::resguardo::testing::RawStreamCall;
using ::resguardo::testing::TestNode;
using ::resguardo::testing::WithInvalidUtf8;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kCanary[] = "CANARIO-SERVICIOS-GRPC-27";
constexpr char kCheck[] = "/grpc.health.v1.Health/Check";
constexpr char kWatch[] = "/grpc.health.v1.Health/Watch";
constexpr char kReflection[] =
    "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo";
// A certificate of the deployment's CA that names no user of the node.
constexpr char kProbe[] = "probe";

class GrpcServicesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<TestNode>> node = TestNode::Create();
    ASSERT_TRUE(node.ok()) << node.status();
    node_ = node->release();
    ASSERT_TRUE(node_->Start().ok());
    ASSERT_TRUE(node_->IssueClientCert("IEEPCO", kProbe).ok());
  }
  static void TearDownTestSuite() {
    delete node_;
    node_ = nullptr;
  }

  static std::shared_ptr<grpc::Channel> Probe() {
    return node_->Channel("IEEPCO", kProbe);
  }

  // The refusal of an undecodable request of `method`, with request id
  // `rid`, as a resguardo.v1 request's: INVALID_ARGUMENT naming `field`, one
  // log line, one audit entry under the prober's claimed identity.
  static void ExpectRefusedLoggedAndAudited(const grpc::Status& s,
                                            const std::string& method,
                                            const std::string& field,
                                            const std::string& rid) {
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << s.error_code() << ": " << s.error_message();
    EXPECT_THAT(BadRequestFields(s), ElementsAre(field));
    EXPECT_THAT(s.error_message(), Not(HasSubstr(kCanary)));

    const std::string log = node_->LogText();
    std::vector<std::string> lines = LogLinesWith(log, rid);
    ASSERT_EQ(lines.size(), 1u) << log;
    EXPECT_THAT(lines[0], HasSubstr(absl::StrCat("\"method\":\"", method,
                                                 "\",\"code\":\"INVALID_"
                                                 "ARGUMENT\"")));
    std::vector<v1::AuditEntry> entries = AuditEntriesOf(*node_, rid);
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].outcome(), 3);  // INVALID_ARGUMENT
    EXPECT_EQ(entries[0].note(), "invalid:undecodable");
    EXPECT_EQ(entries[0].method(), method);
    EXPECT_EQ(entries[0].transport(), v1::TRANSPORT_GRPC);
    // No user is looked up for these services: the identity the
    // certificate claims, marked as such.
    EXPECT_EQ(entries[0].actor(), "institutions/IEEPCO/users/probe");
    EXPECT_TRUE(entries[0].actor_unverified());
    // Neither the node nor libprotobuf's own line repeats the bytes.
    EXPECT_THAT(log, Not(HasSubstr(kCanary)));
    EXPECT_THAT(log, Not(HasSubstr("libprotobuf")));
  }

  static TestNode* node_;
};

TestNode* GrpcServicesTest::node_ = nullptr;

// ---- Health -----------------------------------------------------------------

TEST_F(GrpcServicesTest, UndecodableHealthCheckIsInvalidArgumentLoggedAudited) {
  // Before: gRPC's typed handler could not parse it and answered
  // UNIMPLEMENTED, with no line in the node's log and no audit entry.
  HealthCheckRequest request;
  request.set_service(absl::StrCat(kCanary, "@@@@"));
  const std::string rid = absl::StrCat("health-utf8-", RandomHex());
  grpc::Status s = RawCall(Probe(), kCheck, WithInvalidUtf8(request), rid);
  ExpectRefusedLoggedAndAudited(s, kCheck, "service", rid);
}

TEST_F(GrpcServicesTest, UndecodableHealthWatchIsInvalidArgumentLoggedAudited) {
  HealthCheckRequest request;
  request.set_service(absl::StrCat(kCanary, "@@@@"));
  const std::string rid = absl::StrCat("watch-utf8-", RandomHex());
  std::vector<std::string> responses;
  grpc::Status s =
      RawStreamCall(Probe(), kWatch, WithInvalidUtf8(request), rid, &responses);
  EXPECT_TRUE(responses.empty());
  ExpectRefusedLoggedAndAudited(s, kWatch, "service", rid);
}

TEST_F(GrpcServicesTest, HealthAnswersWellFormedRequestsWithoutAUser) {
  auto health = grpc::health::v1::Health::NewStub(Probe());
  HealthCheckResponse response;
  grpc::Status s = health->Check(TestNode::Context().get(), {}, &response);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(response.status(), HealthCheckResponse::SERVING);

  HealthCheckRequest other;
  other.set_service("resguardo.v1.CaseService");
  EXPECT_EQ(
      health->Check(TestNode::Context().get(), other, &response).error_code(),
      grpc::StatusCode::NOT_FOUND);

  auto context = TestNode::Context();
  auto watch = health->Watch(context.get(), {});
  ASSERT_TRUE(watch->Read(&response));
  EXPECT_EQ(response.status(), HealthCheckResponse::SERVING);
  context->TryCancel();
  EXPECT_EQ(watch->Finish().error_code(), grpc::StatusCode::CANCELLED);
}

TEST(GrpcServicesStopTest, AHealthWatchSeesNotServingWhenTheNodeStops) {
  // A second status on one Watch (SERVING, then NOT_SERVING at SIGTERM),
  // then UNAVAILABLE so that the watch does not hold the shutdown.
  absl::StatusOr<std::unique_ptr<TestNode>> created = TestNode::Create();
  ASSERT_TRUE(created.ok()) << created.status();
  TestNode& node = **created;
  ASSERT_TRUE(node.Start().ok());
  ASSERT_TRUE(node.IssueClientCert("IEEPCO", kProbe).ok());
  auto health =
      grpc::health::v1::Health::NewStub(node.Channel("IEEPCO", kProbe));
  auto context = TestNode::Context();
  auto watch = health->Watch(context.get(), {});
  HealthCheckResponse response;
  ASSERT_TRUE(watch->Read(&response));
  EXPECT_EQ(response.status(), HealthCheckResponse::SERVING);

  absl::StatusOr<int> exit_code;
  std::thread stop([&] { exit_code = node.Stop(); });
  const bool second = watch->Read(&response);
  grpc::Status end = watch->Finish();
  stop.join();
  ASSERT_TRUE(second) << end.error_code() << " " << end.error_message();
  EXPECT_EQ(response.status(), HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(end.error_code(), grpc::StatusCode::UNAVAILABLE)
      << end.error_message();
  ASSERT_TRUE(exit_code.ok()) << exit_code.status();
  EXPECT_EQ(*exit_code, 0);
}

// ---- Reflection -------------------------------------------------------------

TEST_F(GrpcServicesTest, UndecodableReflectionRequestIsInvalidArgumentLogged) {
  ServerReflectionRequest request;
  request.set_host(absl::StrCat(kCanary, "@@@@"));
  request.set_list_services("*");
  const std::string rid = absl::StrCat("reflect-host-", RandomHex());
  std::vector<std::string> responses;
  grpc::Status s = RawStreamCall(Probe(), kReflection, WithInvalidUtf8(request),
                                 rid, &responses);
  EXPECT_TRUE(responses.empty());
  ExpectRefusedLoggedAndAudited(s, kReflection, "host", rid);

  ServerReflectionRequest by_file;
  by_file.set_file_by_filename(absl::StrCat(kCanary, "@@@@.proto"));
  const std::string rid2 = absl::StrCat("reflect-file-", RandomHex());
  s = RawStreamCall(Probe(), kReflection, WithInvalidUtf8(by_file), rid2);
  ExpectRefusedLoggedAndAudited(s, kReflection, "file_by_filename", rid2);
}

// How a stream that ended early ended.
template <typename Stream>
std::string FinishMessage(Stream* stream) {
  grpc::Status s = stream->Finish();
  return absl::StrCat("stream ended: ", s.error_code(), " ", s.error_message());
}

// What grpcurl does: list the services, then fetch the file of one of them.
TEST_F(GrpcServicesTest, ReflectionListsAndDescribesTheServices) {
  auto stub = ServerReflection::NewStub(Probe());
  auto context = TestNode::Context();
  auto stream = stub->ServerReflectionInfo(context.get());

  ServerReflectionRequest list;
  list.set_list_services("*");
  ASSERT_TRUE(stream->Write(list));
  ServerReflectionResponse listed;
  ASSERT_TRUE(stream->Read(&listed)) << FinishMessage(stream.get());
  std::vector<std::string> names;
  for (const auto& service : listed.list_services_response().service()) {
    names.push_back(service.name());
  }
  EXPECT_THAT(names, Contains("resguardo.v1.CaseService"));
  EXPECT_THAT(names, Contains("resguardo.v1.ReferralService"));
  EXPECT_THAT(names, Contains("grpc.health.v1.Health"));
  EXPECT_THAT(names, Contains("grpc.reflection.v1alpha.ServerReflection"));

  ServerReflectionRequest symbol;
  symbol.set_file_containing_symbol("resguardo.v1.CaseService");
  ASSERT_TRUE(stream->Write(symbol));
  ServerReflectionResponse described;
  ASSERT_TRUE(stream->Read(&described)) << FinishMessage(stream.get());
  ASSERT_TRUE(described.has_file_descriptor_response())
      << described.DebugString();
  std::vector<std::string> files;
  for (const std::string& bytes :
       described.file_descriptor_response().file_descriptor_proto()) {
    google::protobuf::FileDescriptorProto file;
    ASSERT_TRUE(file.ParseFromString(bytes));
    files.push_back(file.name());
  }
  // The file first, then the files it imports.
  ASSERT_FALSE(files.empty());
  EXPECT_EQ(files[0], "resguardo/v1/case_service.proto");
  EXPECT_THAT(files, Contains("resguardo/v1/case.proto"));

  ServerReflectionRequest unknown;
  unknown.set_file_containing_symbol("resguardo.v1.NoSuchService");
  ASSERT_TRUE(stream->Write(unknown));
  ServerReflectionResponse missing;
  ASSERT_TRUE(stream->Read(&missing)) << FinishMessage(stream.get());
  EXPECT_EQ(missing.error_response().error_code(),
            static_cast<int>(grpc::StatusCode::NOT_FOUND));

  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());
}

}  // namespace
}  // namespace resguardo
