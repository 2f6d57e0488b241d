// Faults through the real node (issue 13, "Faults"): a damaged page of the
// database file under concurrent reads, and a full disk (the data folder on
// a small tmpfs), with real mTLS clients and the real resguardod.
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "resguardo/v1/admin_service.grpc.pb.h"
#include "resguardo/v1/case_service.grpc.pb.h"
#include "services/store/testing/flip_byte.h"
#include "tests/testing/case_requests.h"
#include "tests/testing/test_node.h"

namespace resguardo {
namespace {

using ::resguardo::testing::TestNode;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kStorageMessage[] =
    "the node cannot store data at the moment (its storage is full or "
    "failing); nothing was changed; retry with backoff";

v1::CreateCaseRequest NewCase(int n, size_t narrative_bytes) {
  std::string narrative = absl::StrCat("Narración sintética ", n, ". ");
  while (narrative.size() < narrative_bytes) narrative += "Relato. ";
  return testing::NewCaseRequest(3, v1::RISK_LEVEL_MEDIUM,
                                 absl::StrCat("Persona sintética ", n),
                                 narrative);
}

v1::GetCaseRequest FullRead(const std::string& name) {
  v1::GetCaseRequest get;
  get.set_name(name);
  get.set_view(v1::CASE_VIEW_FULL);
  get.set_purpose(v1::ACCESS_PURPOSE_CASE_FOLLOW_UP);
  return get;
}

int CountLines(const std::string& text, absl::string_view needle) {
  int n = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::StrContains(line, needle)) ++n;
  }
  return n;
}

class NodeFaultsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<TestNode>> created = TestNode::Create();
    ASSERT_TRUE(created.ok()) << created.status();
    node_ = *std::move(created);
    ASSERT_TRUE(node_->IssueClientCert("IEEPCO", "reg").ok());
    ASSERT_TRUE(node_->IssueClientCert("IEEPCO", "cw").ok());
  }

  void CreateUsers() {
    auto admin = v1::AdminService::NewStub(node_->Channel("IEEPCO", "admin"));
    for (const auto& [user, role] :
         std::vector<std::pair<const char*, v1::Role>>{
             {"reg", v1::ROLE_REGISTRAR}, {"cw", v1::ROLE_CASEWORKER}}) {
      v1::CreateUserRequest request;
      request.set_parent("institutions/IEEPCO");
      request.mutable_user()->set_user_id(user);
      request.mutable_user()->add_roles(role);
      v1::User created;
      grpc::Status s =
          admin->CreateUser(TestNode::Context().get(), request, &created);
      ASSERT_TRUE(s.ok()) << s.error_message();
    }
  }

  grpc::Status Create(int n, size_t narrative_bytes, std::string* name) {
    v1::Case created;
    grpc::Status s = v1::CaseService::NewStub(node_->Channel("IEEPCO", "reg"))
                         ->CreateCase(TestNode::Context().get(),
                                      NewCase(n, narrative_bytes), &created);
    if (s.ok() && name != nullptr) *name = created.name();
    return s;
  }

  grpc::health::v1::HealthCheckResponse::ServingStatus Health() {
    auto stub =
        grpc::health::v1::Health::NewStub(node_->Channel("IEEPCO", "admin"));
    grpc::health::v1::HealthCheckRequest request;
    grpc::health::v1::HealthCheckResponse response;
    grpc::Status s = stub->Check(TestNode::Context().get(), request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response.status();
  }

  std::unique_ptr<TestNode> node_;
};

// Issue 13 item 18: with a byte flipped in the file, the GetCase FULL that
// reads the damaged page got DATA_LOSS (right), but reads of intact cases in
// the same group-commit batch failed with INTERNAL and succeeded when read
// again alone.
TEST_F(NodeFaultsTest, ADamagedPageFailsOnlyTheReadsThatTouchItUnderLoad) {
  ASSERT_TRUE(node_->Start().ok());
  CreateUsers();
  constexpr int kCases = 48;
  std::vector<std::string> names(kCases);
  for (int n = 0; n < kCases; ++n) {
    grpc::Status s = Create(n, 2500, &names[n]);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  // A clean stop checkpoints the WAL into the file.
  ASSERT_TRUE(node_->Stop().ok());
  const std::string path = node_->DatabasePath();
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  const off_t pages = st.st_size / 4096;
  ASSERT_GT(pages, 40);

  auto flip = [&](off_t page) {
    ASSERT_TRUE(store::testing::FlipByte(path, page * 4096 + 1000));
  };
  auto read_alone = [&](const std::string& name) {
    v1::Case found;
    return v1::CaseService::NewStub(node_->Channel("IEEPCO", "cw"))
        ->GetCase(TestNode::Context().get(), FullRead(name), &found)
        .error_code();
  };

  // Find a page that some case's FULL read needs, and only such reads: flip
  // one, read each case alone; if none fails, or another call fails (a page
  // of the audit log), put the byte back and try the next page.
  std::set<std::string> damaged;
  for (off_t page = pages / 2; page < pages && damaged.empty(); ++page) {
    flip(page);
    if (!node_->Start().ok()) {  // A page the start-up check reads.
      flip(page);
      continue;
    }
    bool suitable = true;
    for (const std::string& name : names) {
      const grpc::StatusCode code = read_alone(name);
      if (code == grpc::StatusCode::DATA_LOSS) {
        damaged.insert(name);
      } else if (code != grpc::StatusCode::OK) {
        suitable = false;
        break;
      }
    }
    if (!suitable || damaged.empty()) {
      damaged.clear();
      ASSERT_TRUE(node_->Stop().ok());
      flip(page);
    } else {
      std::cout << "[ damaged  ] page " << page << " of " << pages << ", "
                << damaged.size() << " of " << kCases << " cases\n";
    }
  }
  ASSERT_FALSE(damaged.empty()) << "no flipped page was read by a GetCase";
  ASSERT_LT(damaged.size(), names.size());

  // Concurrent FULL reads of every case, many per batch: each damaged case
  // is DATA_LOSS, every other one opens.
  constexpr int kThreads = 12;
  constexpr int kRounds = 6;
  absl::Mutex mu;
  std::map<std::string, int> wrong;  // "case: code" -> count
  int ok = 0, lost = 0, internal = 0, retried = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto stub = v1::CaseService::NewStub(node_->Channel("IEEPCO", "cw"));
      for (int round = 0; round < kRounds; ++round) {
        for (size_t i = (t + round) % names.size(), k = 0; k < names.size();
             ++k, i = (i + 1) % names.size()) {
          v1::Case found;
          grpc::Status s = stub->GetCase(TestNode::Context().get(),
                                         FullRead(names[i]), &found);
          const bool is_damaged = damaged.count(names[i]) > 0;
          // A batch the writer had to give up on answers its other calls
          // UNAVAILABLE (SECURITY.md §4, item 2): a client retries it, as
          // standard retry policies do. Counted, and bounded below.
          for (int retry = 0; retry < 3 && !is_damaged &&
                              s.error_code() == grpc::StatusCode::UNAVAILABLE;
               ++retry) {
            {
              absl::MutexLock lock(&mu);
              ++retried;
            }
            s = stub->GetCase(TestNode::Context().get(), FullRead(names[i]),
                              &found);
          }
          absl::MutexLock lock(&mu);
          if (is_damaged && s.error_code() == grpc::StatusCode::DATA_LOSS) {
            ++lost;
          } else if (is_damaged &&
                     s.error_code() == grpc::StatusCode::INTERNAL) {
            // Seen about once in 70 reads of the damaged case under this
            // load (not yet understood; SECURITY.md §6): it fails, as it
            // must, but without saying why. Counted, and bounded below.
            ++internal;
          } else if (!is_damaged && s.ok() &&
                     absl::StartsWith(found.personal_data().victim_name(),
                                      "Persona sintética")) {
            ++ok;
          } else {
            ++wrong[absl::StrCat(is_damaged ? "damaged" : "intact",
                                 " case: code ", s.error_code())];
          }
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  std::cout << "[ reads    ] " << ok << " OK, " << lost << " DATA_LOSS, "
            << internal << " INTERNAL on the damaged case, " << retried
            << " intact reads retried after UNAVAILABLE\n";
  std::string wrong_answers;
  for (const auto& [what, count] : wrong) {
    absl::StrAppend(&wrong_answers, "\n  ", what, " x", count);
  }
  EXPECT_TRUE(wrong.empty()) << "wrong answers:" << wrong_answers;
  EXPECT_LE(retried * 100, ok) << retried << " intact reads retried";
  EXPECT_LE(internal * 10, lost) << internal << " INTERNAL for " << lost
                                 << " DATA_LOSS on the damaged case";
  EXPECT_EQ(
      ok, kThreads * kRounds * static_cast<int>(names.size() - damaged.size()));
  // Writes go on beside the damage.
  grpc::Status s = Create(1000, 100, nullptr);
  EXPECT_TRUE(s.ok()) << s.error_message();
}

// Issue 13 item 19: on a full disk every audited read was refused with "the
// node is at capacity", health said SERVING, and a refused write carried
// "store: commit failed: database or disk is full (SQLite code 13)".
TEST_F(NodeFaultsTest, AFullDiskIsUnavailableNotServingLoggedOnceAndRecovers) {
  const std::string data = absl::StrCat(node_->dir(), "/data");
  const std::string saved = absl::StrCat(node_->dir(), "/data.saved");
  ASSERT_EQ(rename(data.c_str(), saved.c_str()), 0);
  ASSERT_EQ(mkdir(data.c_str(), 0700), 0);
  if (mount("tmpfs", data.c_str(), "tmpfs", MS_NOSUID | MS_NODEV,
            "size=6m,mode=0700") != 0) {
    const int error = errno;
    rmdir(data.c_str());
    rename(saved.c_str(), data.c_str());
    GTEST_SKIP() << "cannot mount a tmpfs for the data folder ("
                 << std::strerror(error)
                 << "): this test needs root with CAP_SYS_ADMIN";
  }
  // Stop the node before the folder goes away under it.
  absl::Cleanup unmount = [&] {
    node_->Kill();
    umount2(data.c_str(), MNT_DETACH);
  };
  std::string output;
  absl::StatusOr<int> copied = TestNode::Run(
      {"/bin/sh", "-c", absl::StrCat("cp -a '", saved, "/.' '", data, "/'")},
      &output);
  ASSERT_TRUE(copied.ok() && *copied == 0) << output;

  ASSERT_TRUE(node_->Start().ok());
  CreateUsers();
  std::string first;
  ASSERT_TRUE(Create(1, 200, &first).ok());
  ASSERT_EQ(Health(), grpc::health::v1::HealthCheckResponse::SERVING);

  // Fill the file system.
  const std::string filler = absl::StrCat(data, "/filler");
  {
    FILE* f = std::fopen(filler.c_str(), "w");
    ASSERT_NE(f, nullptr);
    const std::string chunk(64 * 1024, 'x');
    while (std::fwrite(chunk.data(), 1, chunk.size(), f) == chunk.size() &&
           std::fflush(f) == 0) {
    }
    std::fclose(f);
  }

  auto expect_storage_refusal = [](const grpc::Status& s, const char* what) {
    EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << what;
    EXPECT_THAT(s.error_message(), HasSubstr(kStorageMessage)) << what;
    for (const char* internal :
         {"SQLite", "store:", "disk is full", "at capacity", "resguardo.db"}) {
      EXPECT_THAT(s.error_message(), Not(HasSubstr(internal))) << what;
      EXPECT_THAT(s.error_details(), Not(HasSubstr(internal))) << what;
    }
  };
  // Writes are refused: UNAVAILABLE, saying what is wrong and no more.
  for (int n = 2; n < 6; ++n) {
    expect_storage_refusal(Create(n, 200, nullptr), "CreateCase");
  }
  auto cases = v1::CaseService::NewStub(node_->Channel("IEEPCO", "cw"));
  // Reads are refused too (their audit entries cannot be written: fail
  // closed), the same way.
  for (int i = 0; i < 3; ++i) {
    v1::Case found;
    expect_storage_refusal(
        cases->GetCase(TestNode::Context().get(), FullRead(first), &found),
        "GetCase FULL");
    EXPECT_TRUE(found.personal_data().victim_name().empty());
    v1::ListCasesRequest list;
    list.set_parent("institutions/IEEPCO");
    v1::ListCasesResponse listed;
    expect_storage_refusal(
        cases->ListCases(TestNode::Context().get(), list, &listed),
        "ListCases");
    EXPECT_EQ(listed.cases_size(), 0);
  }
  EXPECT_EQ(Health(), grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  // Idle, the node keeps probing; the episode is logged once.
  absl::SleepFor(absl::Milliseconds(2500));
  EXPECT_EQ(Health(), grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  std::string log = node_->LogText();
  EXPECT_EQ(CountLines(log, "\"storage_unwritable\""), 1) << log;
  EXPECT_EQ(CountLines(log, "\"storage_writable\""), 0);
  EXPECT_THAT(log, Not(HasSubstr("Persona sintética")));

  // Room again: the node notices by itself.
  ASSERT_EQ(unlink(filler.c_str()), 0);
  const absl::Time give_up = absl::Now() + absl::Seconds(15);
  while (Health() != grpc::health::v1::HealthCheckResponse::SERVING &&
         absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_EQ(Health(), grpc::health::v1::HealthCheckResponse::SERVING);
  log = node_->LogText();
  EXPECT_EQ(CountLines(log, "\"storage_unwritable\""), 1);
  EXPECT_EQ(CountLines(log, "\"storage_writable\""), 1);

  // Nothing acknowledged was lost, and writes and reads work again.
  std::string second;
  grpc::Status s = Create(7, 200, &second);
  ASSERT_TRUE(s.ok()) << s.error_message();
  for (const std::string& name : {first, second}) {
    v1::Case found;
    s = cases->GetCase(TestNode::Context().get(), FullRead(name), &found);
    EXPECT_TRUE(s.ok()) << s.error_message();
    EXPECT_THAT(found.personal_data().victim_name(),
                HasSubstr("Persona sintética"));
  }
  absl::StatusOr<int> stopped = node_->Stop();
  ASSERT_TRUE(stopped.ok());
  EXPECT_EQ(*stopped, 0);
}

}  // namespace
}  // namespace resguardo
