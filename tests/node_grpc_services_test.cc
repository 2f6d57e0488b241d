// gRPC's standard services as the node serves them (grpc.health.v1.Health),
// through the real resguardod, real mTLS and a real SQLCipher file (issue
// 13, item 1): a request that does not decode is refused INVALID_ARGUMENT
// naming the field, logged once under its request id and audited, like a
// resguardo.v1 request; and the services still answer well-formed requests.
// They need a certificate of the deployment's CA, not a user: the prober's
// certificate ("probe") names no user of the directory. No request content
// may reach the node's log: each test seeds a canary.
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "resguardo/v1/audit.pb.h"
#include "tests/testing/raw_calls.h"
#include "tests/testing/test_deployment.h"
#include "tests/testing/test_node.h"

namespace resguardo {
namespace {

using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;
using ::resguardo::testing::AuditEntriesOf;
using ::resguardo::testing::BadRequestFields;
using ::resguardo::testing::LogLinesWith;
using ::resguardo::testing::RandomHex;
using ::resguardo::testing::RawCall;
using ::resguardo::testing::RawStreamCall;
using ::resguardo::testing::TestNode;
using ::resguardo::testing::WithInvalidUtf8;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kCanary[] = "CANARIO-SERVICIOS-GRPC-27";
constexpr char kCheck[] = "/grpc.health.v1.Health/Check";
constexpr char kWatch[] = "/grpc.health.v1.Health/Watch";
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

}  // namespace
}  // namespace resguardo
