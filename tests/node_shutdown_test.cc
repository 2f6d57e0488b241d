// SIGTERM during a burst of calls: the node stops accepting, lets the calls
// in flight finish, closes the database cleanly and exits 0; every call that
// returned OK is there after a restart, with its audit entry.
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "resguardo/v1/admin_service.grpc.pb.h"
#include "resguardo/v1/case_service.grpc.pb.h"
#include "tests/testing/case_requests.h"
#include "tests/testing/test_node.h"

namespace resguardo {
namespace {

using ::resguardo::testing::TestNode;
using ::testing::HasSubstr;

v1::CreateCaseRequest ValidCreate(int n) {
  v1::CreateCaseRequest r = testing::NewCaseRequest(
      2, v1::RISK_LEVEL_MEDIUM, absl::StrCat("Persona ", n), "");
  r.set_request_id(absl::StrCat("burst-", n));
  return r;
}

class NodeShutdownTest : public ::testing::Test {};

TEST_F(NodeShutdownTest, SigtermDuringABurstKeepsEveryOkCallAndExitsZero) {
  absl::StatusOr<std::unique_ptr<TestNode>> created = TestNode::Create();
  ASSERT_TRUE(created.ok()) << created.status();
  TestNode& node = **created;
  ASSERT_TRUE(node.IssueClientCert("IEEPCO", "reg").ok());
  ASSERT_TRUE(node.Start().ok());
  {
    v1::CreateUserRequest request;
    request.set_parent("institutions/IEEPCO");
    request.mutable_user()->set_user_id("reg");
    request.mutable_user()->add_roles(v1::ROLE_REGISTRAR);
    v1::User user;
    grpc::Status s =
        v1::AdminService::NewStub(node.Channel("IEEPCO", "admin"))
            ->CreateUser(TestNode::Context().get(), request, &user);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  constexpr int kThreads = 16;
  absl::Mutex mu;
  std::vector<std::string> ok_names;  // guarded by mu
  std::atomic<int> next{0};
  std::atomic<int> failures{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  for (int t = 0; t < kThreads; ++t) {
    clients.emplace_back([&] {
      auto stub = v1::CaseService::NewStub(node.Channel("IEEPCO", "reg"));
      while (!stop.load()) {
        v1::Case created_case;
        grpc::Status s =
            stub->CreateCase(TestNode::Context().get(),
                             ValidCreate(next.fetch_add(1)), &created_case);
        if (s.ok()) {
          absl::MutexLock lock(&mu);
          ok_names.push_back(created_case.name());
        } else {
          failures.fetch_add(1);
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
      }
    });
  }
  // Let the burst get going, then SIGTERM in the middle of it.
  absl::Time burst_start = absl::Now();
  absl::Time until = burst_start + absl::Seconds(20);
  while (absl::Now() < until) {
    {
      absl::MutexLock lock(&mu);
      if (ok_names.size() >= 200) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  absl::Time stop_start = absl::Now();
  RecordProperty(
      "burst_ms",
      static_cast<int>(absl::ToInt64Milliseconds(stop_start - burst_start)));
  absl::StatusOr<int> exit_code = node.Stop();
  absl::Duration stop_took = absl::Now() - stop_start;
  stop.store(true);
  for (std::thread& t : clients) t.join();
  ASSERT_TRUE(exit_code.ok());
  EXPECT_EQ(*exit_code, 0) << node.LogText();
  EXPECT_THAT(node.LogText(), HasSubstr("\"event\":\"stopping\""));
  EXPECT_THAT(node.LogText(),
              HasSubstr("\"event\":\"stopped\",\"code\":\"OK\""));

  std::vector<std::string> names;
  {
    absl::MutexLock lock(&mu);
    names = ok_names;
  }
  ASSERT_GE(names.size(), 200u) << "the burst was too small to mean much";
  RecordProperty("ok_before_restart", static_cast<int>(names.size()));
  RecordProperty("failed_calls", failures.load());
  RecordProperty("stop_ms",
                 static_cast<int>(absl::ToInt64Milliseconds(stop_took)));

  // After a restart every OK case is there, and audited exactly once.
  ASSERT_TRUE(node.Start().ok());
  auto stub = v1::CaseService::NewStub(node.Channel("IEEPCO", "reg"));
  int missing = 0;
  for (const std::string& name : names) {
    v1::GetCaseRequest get;
    get.set_name(name);
    v1::Case found;
    if (!stub->GetCase(TestNode::Context().get(), get, &found).ok()) ++missing;
  }
  EXPECT_EQ(missing, 0);
  absl::StatusOr<std::vector<v1::AuditEntry>> entries = node.AuditEntries();
  ASSERT_TRUE(entries.ok()) << entries.status();
  std::map<std::string, int> created_entries;
  for (size_t i = 0; i < entries->size(); ++i) {
    const v1::AuditEntry& e = (*entries)[i];
    EXPECT_EQ(e.index(), i);
    if (e.method() == "/resguardo.v1.CaseService/CreateCase" &&
        e.outcome() == 0) {
      ++created_entries[e.resource()];
    }
  }
  for (const std::string& name : names) {
    EXPECT_EQ(created_entries[name], 1) << name;
  }
  // An idle client connection holds the server's Shutdown until the client
  // lets go (or the grace period ends); close ours first.
  stub.reset();
  absl::StatusOr<int> second_exit = node.Stop();
  ASSERT_TRUE(second_exit.ok());
  EXPECT_EQ(*second_exit, 0);
}

}  // namespace
}  // namespace resguardo
