// SIGKILL while clients register cases, again and again: after every
// restart each case whose CreateCase returned OK is there and its FULL view
// opens with the personal data that was sent, each was audited once, and the
// audit log is contiguous (indices 0..n-1) with every stored leaf hash
// SHA-256(0x00 ‖ entry bytes). Nothing is asserted about calls that failed:
// a call cut by the kill may or may not have been committed.
//
// Each round: clients create cases until the round has kMinOkPerRound OK
// answers, then the node is killed at a random moment within the next
// kKillWindow; the clients go on calling the dead node for kDeadTime, stop,
// the node restarts and everything OK so far is checked. The seed of the
// random kill moments is printed. Each round the clients make new channels
// and wait (up to 10 s) for them to connect, so that no channel left in
// backoff by the dead node carries over; the node's log of a failing round
// is printed and saved (node_crash_test.round-N.log in the working
// directory).
#include <atomic>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/util/message_differencer.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "openssl/evp.h"
#include "resguardo/v1/admin_service.grpc.pb.h"
#include "resguardo/v1/case_service.grpc.pb.h"
#include "tests/testing/case_requests.h"
#include "tests/testing/test_node.h"

namespace resguardo {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::resguardo::testing::TestNode;

constexpr int kRounds = 5;
constexpr int kClients = 6;
constexpr int kVerifiers = 4;
constexpr int kMinOkPerRound = 20;
constexpr absl::Duration kKillWindow = absl::Milliseconds(300);
constexpr absl::Duration kDeadTime = absl::Milliseconds(150);
constexpr absl::Duration kWarmUpLimit = absl::Seconds(10);
constexpr char kCreateCase[] = "/resguardo.v1.CaseService/CreateCase";

// Synthetic personal data, different for every request.
v1::CasePersonalData PersonalDataFor(int n) {
  v1::CasePersonalData p;
  p.set_victim_name(absl::StrCat("Persona sintética ", n));
  p.set_contact_email(absl::StrCat("sintetica.", n, "@example.org"));
  p.set_narrative(absl::StrCat("Narración sintética número ", n, "."));
  return p;
}

v1::CreateCaseRequest CreateRequest(int n) {
  v1::CreateCaseRequest r =
      testing::NewCaseRequest(2, v1::RISK_LEVEL_MEDIUM, "", "");
  r.set_request_id(absl::StrCat("crash-", n));
  *r.mutable_case_record()->mutable_personal_data() = PersonalDataFor(n);
  return r;
}

// RFC 9162 leaf hash, computed here rather than with the code under test.
std::string LeafHash(const std::string& bytes) {
  std::string input = std::string(1, '\0') + bytes;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(input.data(), input.size(), digest, &length, EVP_sha256(),
             nullptr);
  return std::string(reinterpret_cast<char*>(digest), length);
}

struct OkCase {
  std::string name;
  int n;
};

class NodeCrashTest : public ::testing::Test {
 protected:
  void CreateUser(TestNode& node, const char* user, v1::Role role) {
    ASSERT_TRUE(node.IssueClientCert("IEEPCO", user).ok());
    v1::CreateUserRequest request;
    request.set_parent("institutions/IEEPCO");
    request.mutable_user()->set_user_id(user);
    request.mutable_user()->add_roles(role);
    v1::User created;
    grpc::Status s =
        v1::AdminService::NewStub(node.Channel("IEEPCO", "admin"))
            ->CreateUser(TestNode::Context().get(), request, &created);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  // Every case of `cases` through a caseworker's FULL view; returns how
  // many are missing or differ (naming the first, never its data).
  static int VerifyCases(const TestNode& node, const std::vector<OkCase>& cases,
                         std::string* first_bad) {
    std::atomic<int> bad{0};
    absl::Mutex mu;
    std::vector<std::thread> verifiers;
    for (int v = 0; v < kVerifiers; ++v) {
      verifiers.emplace_back([&, v] {
        auto stub = v1::CaseService::NewStub(node.Channel("IEEPCO", "cw"));
        for (size_t i = v; i < cases.size(); i += kVerifiers) {
          v1::GetCaseRequest get;
          get.set_name(cases[i].name);
          get.set_view(v1::CASE_VIEW_FULL);
          get.set_purpose(v1::ACCESS_PURPOSE_CASE_FOLLOW_UP);
          v1::Case found;
          grpc::Status s =
              stub->GetCase(TestNode::Context().get(), get, &found);
          std::string problem;
          if (!s.ok()) {
            problem = absl::StrCat(cases[i].name, ": GetCase FULL returned ",
                                   s.error_code());
          } else if (found.name() != cases[i].name ||
                     !MessageDifferencer::Equals(found.personal_data(),
                                                 PersonalDataFor(cases[i].n))) {
            problem =
                absl::StrCat(cases[i].name,
                             ": the personal data differs from what was sent");
          }
          if (!problem.empty()) {
            bad.fetch_add(1);
            absl::MutexLock lock(&mu);
            if (first_bad->empty()) *first_bad = problem;
          }
        }
      });
    }
    for (std::thread& t : verifiers) t.join();
    return bad.load();
  }
};

TEST_F(NodeCrashTest, EveryOkCaseSurvivesRepeatedSigkillAndTheAuditStaysWhole) {
  const absl::Time test_start = absl::Now();
  absl::StatusOr<std::unique_ptr<TestNode>> created = TestNode::Create();
  ASSERT_TRUE(created.ok()) << created.status();
  TestNode& node = **created;
  ASSERT_TRUE(node.Start().ok());
  CreateUser(node, "reg", v1::ROLE_REGISTRAR);
  CreateUser(node, "cw", v1::ROLE_CASEWORKER);

  const uint32_t seed = std::random_device()();
  std::cout << "[ seed     ] " << seed << "\n";
  RecordProperty("seed", static_cast<int>(seed & 0x7fffffff));
  std::mt19937 random(seed);
  std::uniform_int_distribution<int64_t> kill_after_ms(
      0, absl::ToInt64Milliseconds(kKillWindow));

  // The clients. `phase` says what they do; `in_flight` counts their calls
  // in progress, so that the test can wait until none is left.
  enum Phase { kLoad, kPause, kStop };
  std::atomic<int> phase{kLoad};
  std::atomic<int> in_flight{0};
  std::atomic<int> next{0};
  // Kills begun (counted before the SIGKILL) and kills done (after the
  // node is gone): a call that started before a kill was done and failed
  // after it began was cut by it — even one that started after the count
  // went up, in the moment before the signal landed.
  std::atomic<int> kills{0};
  std::atomic<int> kills_done{0};
  std::atomic<int> round_ok{0};
  std::atomic<int> load_round{0};     // the clients' channels' generation
  std::atomic<int> not_connected{0};  // new channels that did not connect
  std::atomic<int> interrupted{0};    // calls in flight at a kill that failed
  std::atomic<int> failed_after{0};   // calls started on a dead node
  absl::Mutex mu;
  std::vector<OkCase> ok_cases;                   // guarded by mu
  std::map<grpc::StatusCode, int> failure_codes;  // guarded by mu
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&] {
      // A new channel every round, connected before its first call: a
      // channel that met the dead node could stay in backoff (or stuck)
      // past the restart, and a round's clients then never reconnected.
      int channel_round = -1;
      std::unique_ptr<v1::CaseService::Stub> stub;
      while (true) {
        const int p = phase.load();
        if (p == kStop) break;
        if (p == kPause) {
          std::this_thread::sleep_for(std::chrono::milliseconds(2));
          continue;
        }
        if (const int r = load_round.load(); r != channel_round) {
          std::shared_ptr<grpc::Channel> channel =
              node.Channel("IEEPCO", "reg");
          if (!channel->WaitForConnected(std::chrono::system_clock::now() +
                                         std::chrono::seconds(10))) {
            not_connected.fetch_add(1);
          }
          stub = v1::CaseService::NewStub(channel);
          channel_round = r;
        }
        in_flight.fetch_add(1);
        if (phase.load() != kLoad) {
          in_flight.fetch_sub(1);
          continue;
        }
        const int n = next.fetch_add(1);
        const int kills_done_at_start = kills_done.load();
        auto context = std::make_unique<grpc::ClientContext>();
        context->set_deadline(std::chrono::system_clock::now() +
                              std::chrono::seconds(3));
        v1::Case created_case;
        grpc::Status s =
            stub->CreateCase(context.get(), CreateRequest(n), &created_case);
        if (s.ok()) {
          round_ok.fetch_add(1);
          absl::MutexLock lock(&mu);
          ok_cases.push_back({created_case.name(), n});
        } else {
          if (kills.load() > kills_done_at_start) {
            interrupted.fetch_add(1);
          } else {
            failed_after.fetch_add(1);
          }
          {
            absl::MutexLock lock(&mu);
            ++failure_codes[s.error_code()];
          }
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        in_flight.fetch_sub(1);
      }
    });
  }
  auto pause_clients = [&] {
    phase.store(kPause);
    while (in_flight.load() != 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  };

  uint64_t audit_size = 0;
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE(absl::StrCat("round ", round));
    // The node's log of a round that fails is kept (printed, and saved
    // beside the test binary's working directory).
    const size_t log_start = node.LogText().size();
    const bool failed_before_round = HasFailure();
    absl::Cleanup keep_log = [&, round] {
      if (HasFailure() && !failed_before_round) {
        const std::string log = node.LogText().substr(log_start);
        const std::string saved =
            absl::StrCat("node_crash_test.round-", round, ".log");
        std::ofstream(saved) << log;
        std::cout << "[ node log ] round " << round << " (also in " << saved
                  << "):\n"
                  << log << "\n";
      }
    };
    // Load until this round has some OK cases, then kill at a random moment
    // of the window.
    const absl::Time warm_up_until = absl::Now() + kWarmUpLimit;
    while (round_ok.load() < kMinOkPerRound && absl::Now() < warm_up_until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    std::this_thread::sleep_for(
        std::chrono::milliseconds(kill_after_ms(random)));
    const int interrupted_before = interrupted.load();
    const int failed_before = failed_after.load();
    // Counted before the kill: a client may see its call fail before
    // Kill() has returned.
    kills.fetch_add(1);
    const int in_flight_at_kill = in_flight.load();
    node.Kill();
    kills_done.fetch_add(1);
    // The node is really gone: a fresh connection is refused.
    {
      auto health =
          grpc::health::v1::Health::NewStub(node.Channel("IEEPCO", "admin"));
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() +
                           std::chrono::seconds(2));
      grpc::health::v1::HealthCheckRequest request;
      grpc::health::v1::HealthCheckResponse response;
      EXPECT_EQ(health->Check(&context, request, &response).error_code(),
                grpc::StatusCode::UNAVAILABLE);
    }
    absl::SleepFor(kDeadTime);
    pause_clients();

    const int ok_this_round = round_ok.exchange(0);
    const int interrupted_this_round = interrupted.load() - interrupted_before;
    EXPECT_GE(ok_this_round, kMinOkPerRound);
    EXPECT_EQ(not_connected.exchange(0), 0)
        << "a client's new channel did not connect to the node";
    EXPECT_GT(in_flight_at_kill, 0) << "the kill met no call in progress";
    EXPECT_GT(failed_after.load() - failed_before, 0)
        << "no call failed while the node was down";
    std::cout << "[ round " << round << "  ] ok " << ok_this_round
              << ", in flight at the kill " << in_flight_at_kill
              << ", failed by the kill " << interrupted_this_round << "\n";

    absl::Status restarted = node.Start();
    ASSERT_TRUE(restarted.ok()) << restarted;

    // Every OK case so far is there and opens, with what was sent.
    std::vector<OkCase> expected;
    {
      absl::MutexLock lock(&mu);
      expected = ok_cases;
    }
    std::string first_bad;
    EXPECT_EQ(VerifyCases(node, expected, &first_bad), 0) << first_bad;

    // The audit log: contiguous, every leaf hash right, nothing committed
    // before the kill lost, every OK creation audited exactly once.
    absl::StatusOr<TestNode::AuditLogSnapshot> log = node.ReadAuditLog();
    ASSERT_TRUE(log.ok()) << log.status();
    EXPECT_TRUE(log->verified.ok()) << log->verified;
    ASSERT_GE(log->entries.size(), audit_size) << "audit entries were lost";
    audit_size = log->entries.size();
    std::map<std::string, int> creations;
    int bad_entries = 0;
    for (size_t i = 0; i < log->entries.size(); ++i) {
      const audit::StoredEntry& stored = log->entries[i];
      v1::AuditEntry entry;
      if (stored.index != i || stored.leaf_hash != LeafHash(stored.bytes) ||
          !entry.ParseFromString(stored.bytes) || entry.index() != i) {
        if (bad_entries++ == 0)
          ADD_FAILURE() << "audit entry " << i << " is bad";
        continue;
      }
      if (entry.method() == kCreateCase && entry.outcome() == 0) {
        ++creations[entry.resource()];
      }
    }
    EXPECT_EQ(bad_entries, 0);
    int not_audited_once = 0;
    for (const OkCase& c : expected) {
      if (creations[c.name] != 1 && not_audited_once++ == 0) {
        ADD_FAILURE() << c.name << " has " << creations[c.name]
                      << " CreateCase entries";
      }
    }
    EXPECT_EQ(not_audited_once, 0);
    std::cout << "[ round " << round << "  ] verified " << expected.size()
              << " cases, " << audit_size << " audit entries\n";
    load_round.fetch_add(1);
    phase.store(kLoad);
  }

  phase.store(kStop);
  for (std::thread& t : clients) t.join();
  // The kills cut calls in progress. Not asserted per round: the calls in
  // flight when the kill is sent take about 2 ms, and on a busy machine all
  // of one round's may be answered before SIGKILL lands (seen once in 20
  // repeated runs beside a build); over the rounds some are always cut.
  EXPECT_GT(interrupted.load(), 0) << "no call in progress at a kill failed";
  {
    absl::MutexLock lock(&mu);
    // A call cut by the kill or sent to the dead node fails as a transport
    // failure, never as anything that would mean the node answered wrongly.
    for (const auto& [code, count] : failure_codes) {
      EXPECT_TRUE(code == grpc::StatusCode::UNAVAILABLE ||
                  code == grpc::StatusCode::DEADLINE_EXCEEDED)
          << count << " calls failed with code " << code;
    }
    RecordProperty("ok_cases", static_cast<int>(ok_cases.size()));
  }
  const absl::Duration took = absl::Now() - test_start;
  RecordProperty("took_ms", static_cast<int>(absl::ToInt64Milliseconds(took)));
  std::cout << "[ took     ] " << took << "\n";
  absl::StatusOr<int> exit_code = node.Stop();
  ASSERT_TRUE(exit_code.ok());
  EXPECT_EQ(*exit_code, 0);
}

}  // namespace
}  // namespace resguardo
