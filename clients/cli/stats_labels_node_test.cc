// `resguardo stats query` against the real resguardod (loopback, mTLS,
// SQLCipher in a temporary directory): the words of a "not recorded" cell
// and the bucket filters come from the StatsDimension descriptors and work
// through the node. Seven cases at IEEPCO, none with a follow-up, a measure
// or a resolution: each has no action and no resolution yet.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "resguardo/v1/case_service.grpc.pb.h"
#include "tests/testing/case_requests.h"
#include "tests/testing/test_deployment.h"
#include "tests/testing/test_node.h"

namespace resguardo {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::Staff;
using testing::TestNode;

const Staff kRegistrar{"IEEPCO", "reg", v1::ROLE_REGISTRAR};
const Staff kAnalyst{"IEEPCO", "ana", v1::ROLE_ANALYST};

constexpr char kCanary[] = "CANARY-STATS-LABELS-Itzel-7c1d";
constexpr int kCases = 7;

class StatsLabelsNodeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto node = TestNode::Create();
    ASSERT_TRUE(node.ok()) << node.status();
    node_ = node->release();
    absl::Status deployed =
        testing::StartDeployment(*node_, {&kRegistrar, &kAnalyst}, {});
    ASSERT_TRUE(deployed.ok()) << deployed;
    auto cases =
        v1::CaseService::NewStub(node_->Channel("IEEPCO", kRegistrar.user));
    for (int i = 0; i < kCases; ++i) {
      v1::Case c;
      grpc::Status s = cases->CreateCase(
          TestNode::Context().get(),
          testing::NewCaseRequest(3, v1::RISK_LEVEL_HIGH,
                                  absl::StrCat(kCanary, " ", i), "Hechos."),
          &c);
      ASSERT_TRUE(s.ok()) << s.error_message();
    }
  }

  static void TearDownTestSuite() {
    if (node_ == nullptr) return;
    auto code = node_->Stop();
    EXPECT_TRUE(code.ok() && *code == 0);
    delete node_;
    node_ = nullptr;
  }

  void SetUp() override {
    if (node_ == nullptr) GTEST_SKIP() << "the node did not start";
  }

  // `stats query` as the analyst, in `lang`; its exit code, its output in
  // *out (standard output and error).
  static int Query(std::vector<std::string> args, std::string* out,
                   const char* lang = "es") {
    args.insert(args.begin(), {"stats", "query"});
    return testing::RunCli(*node_, kAnalyst, args, out, lang);
  }

  static TestNode* node_;
};

TestNode* StatsLabelsNodeTest::node_ = nullptr;

TEST_F(StatsLabelsNodeTest, CasesWithoutAResolutionArePending) {
  std::string es;
  ASSERT_EQ(Query({"--by", "resolution_outcome"}, &es), 0) << es;
  EXPECT_THAT(es, HasSubstr("Sentido de la resolución"));
  EXPECT_THAT(es, HasSubstr("Pendiente (sin resolución)"));
  EXPECT_THAT(es, HasSubstr("Violencia política acreditada"));
  EXPECT_THAT(es, Not(HasSubstr("no registrado")));
  std::string en;
  ASSERT_EQ(Query({"--by", "resolution-outcome"}, &en, "en"), 0) << en;
  EXPECT_THAT(en, HasSubstr("Pending (no resolution)"));
  EXPECT_THAT(en, Not(HasSubstr(kCanary)));
}

TEST_F(StatsLabelsNodeTest, BucketFiltersReachTheNode) {
  // "none" is every case here: the filter keeps the population (7 ≥ k), and
  // the bucket's row says what it means.
  std::string table;
  ASSERT_EQ(Query({"--by", "days_to_resolution", "--filter",
                   "days_to_resolution=none"},
                  &table),
            0)
      << table;
  EXPECT_THAT(table, HasSubstr("Días hasta la resolución"));
  EXPECT_THAT(table, HasSubstr("Sin resolución"));
  // Only the bucket asked for: the filter reached the node.
  EXPECT_THAT(table, Not(HasSubstr("366+")));
  std::string first_action;
  ASSERT_EQ(Query({"--by", "days_to_first_action", "--filter",
                   "days_to_first_action=none,0"},
                  &first_action, "en"),
            0)
      << first_action;
  EXPECT_THAT(first_action, HasSubstr("No action yet"));
  EXPECT_THAT(first_action, Not(HasSubstr(kCanary)));
  // A value that is no bucket never leaves the CLI.
  std::string refused;
  EXPECT_EQ(Query({"--filter", "days_to_resolution=1-30"}, &refused), 2);
  EXPECT_THAT(refused, HasSubstr("valor desconocido: 1-30"));
}

}  // namespace
}  // namespace resguardo
