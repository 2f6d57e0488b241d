// resguardod backup, verify-backup and restore against a real node: a backup
// taken while clients register cases restores to a node that holds every
// case acknowledged before the backup started (its FULL view opens with the
// data sent) and starts, which verifies its audit log; the backup file is
// not plaintext, holds no canary, and is useless without the master key;
// verify-backup catches a flipped byte; restore never overwrites a database.
#include <sys/stat.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "resguardo/v1/case_service.grpc.pb.h"
#include "services/store/testing/flip_byte.h"
#include "tests/testing/case_requests.h"
#include "tests/testing/test_deployment.h"
#include "tests/testing/test_node.h"

namespace resguardo {
namespace {

using ::resguardo::testing::TestNode;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kCanary[] = "CANARY-respaldo-Xochitl-Ramirez-0917";

v1::CreateCaseRequest CreateRequest(int n) {
  v1::CreateCaseRequest r = testing::NewCaseRequest(
      2, v1::RISK_LEVEL_MEDIUM, absl::StrCat(kCanary, " ", n),
      absl::StrCat("Narración sintética ", n, "."));
  r.set_request_id(absl::StrCat("backup-", n));
  return r;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in),
                     std::istreambuf_iterator<char>());
}

class BackupIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<TestNode>> node = TestNode::Create();
    ASSERT_TRUE(node.ok()) << node.status();
    node_ = *std::move(node);
    ASSERT_TRUE(node_->Start().ok());
    static const testing::Staff kCaseworker{testing::kOperator, "cw",
                                            v1::ROLE_CASEWORKER};
    ASSERT_TRUE(testing::IssueClientCerts(*node_, {&kCaseworker}).ok());
    absl::Status users = testing::CreateUsers(*node_, {&kCaseworker});
    ASSERT_TRUE(users.ok()) << users;
  }

  // resguardod COMMAND --config C FLAG FILE; output into `out`.
  int Resguardod(const std::string& command, const std::string& flag,
                 const std::string& file, std::string* out) {
    absl::StatusOr<int> rc =
        TestNode::Run({TestNode::Binary(), command, "--config",
                       node_->ConfigPath(), flag, file},
                      out);
    EXPECT_TRUE(rc.ok()) << rc.status();
    return rc.ok() ? *rc : -1;
  }

  std::unique_ptr<TestNode> node_;
};

TEST_F(BackupIntegrationTest, BackupUnderLoadRestoresEveryAcknowledgedCase) {
  // Writers register cases during the whole backup.
  absl::Mutex mu;
  std::vector<std::pair<std::string, int>> acknowledged;  // name, n
  std::atomic<bool> stop{false};
  std::atomic<int> next{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&] {
      auto stub = v1::CaseService::NewStub(node_->Channel("IEEPCO", "cw"));
      while (!stop.load()) {
        const int n = next++;
        v1::Case created;
        if (stub->CreateCase(TestNode::Context().get(), CreateRequest(n),
                             &created)
                .ok()) {
          absl::MutexLock lock(&mu);
          acknowledged.emplace_back(created.name(), n);
        }
      }
    });
  }
  // Some cases first, so that the backup has work to do under load.
  while (true) {
    absl::SleepFor(absl::Milliseconds(50));
    absl::MutexLock lock(&mu);
    if (acknowledged.size() >= 40) break;
  }
  std::vector<std::pair<std::string, int>> before;
  {
    absl::MutexLock lock(&mu);
    before = acknowledged;
  }
  const std::string backup = absl::StrCat(node_->dir(), "/nodo.backup");
  std::string out;
  const int rc = Resguardod("backup", "--out", backup, &out);
  stop = true;
  for (std::thread& t : writers) t.join();
  ASSERT_EQ(rc, 0) << out;
  EXPECT_THAT(out, HasSubstr("sha256: "));
  EXPECT_THAT(out, HasSubstr("entradas / entries"));
  EXPECT_THAT(out, Not(HasSubstr(kCanary)));

  // The file: 0600, not plaintext, no canary in its bytes.
  struct stat st;
  ASSERT_EQ(stat(backup.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  const std::string bytes = ReadFile(backup);
  EXPECT_NE(bytes.substr(0, 15), "SQLite format 3");
  EXPECT_EQ(bytes.find(kCanary), std::string::npos);
  EXPECT_EQ(bytes.find("audit_entries"), std::string::npos);

  // Restore in place of the node's database: refused while it is there.
  ASSERT_TRUE(node_->Stop().ok());
  EXPECT_EQ(Resguardod("restore", "--file", backup, &out), 1);
  EXPECT_THAT(out, HasSubstr("ALREADY_EXISTS"));
  for (const char* suffix : {"", "-wal", "-shm"}) {
    const std::string from = node_->DatabasePath() + suffix;
    std::rename(from.c_str(), (from + ".aside").c_str());
  }
  ASSERT_EQ(Resguardod("restore", "--file", backup, &out), 0) << out;
  ASSERT_TRUE(node_->Start().ok()) << node_->LogText();

  // Every case acknowledged before the backup began opens in FULL.
  auto stub = v1::CaseService::NewStub(node_->Channel("IEEPCO", "cw"));
  int missing = 0;
  for (const auto& [name, n] : before) {
    v1::GetCaseRequest get;
    get.set_name(name);
    get.set_view(v1::CASE_VIEW_FULL);
    get.set_purpose(v1::ACCESS_PURPOSE_CASE_FOLLOW_UP);
    v1::Case found;
    grpc::Status s = stub->GetCase(TestNode::Context().get(), get, &found);
    if (!s.ok() ||
        found.personal_data().victim_name() != absl::StrCat(kCanary, " ", n)) {
      ++missing;
    }
  }
  EXPECT_EQ(missing, 0) << "of " << before.size();
  // The restored node's log never shows the canary.
  EXPECT_THAT(node_->LogText(), Not(HasSubstr(kCanary)));
}

TEST_F(BackupIntegrationTest, VerifyCatchesDamageAndNeedsTheMasterKey) {
  const std::string backup = absl::StrCat(node_->dir(), "/nodo.backup");
  std::string out;
  ASSERT_EQ(Resguardod("backup", "--out", backup, &out), 0) << out;
  ASSERT_EQ(Resguardod("verify-backup", "--file", backup, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("copia válida / backup valid"));
  // A second backup to the same file is refused; the first is untouched.
  const std::string first = ReadFile(backup);
  EXPECT_EQ(Resguardod("backup", "--out", backup, &out), 1);
  EXPECT_THAT(out, HasSubstr("ALREADY_EXISTS"));
  EXPECT_EQ(ReadFile(backup), first);

  // One flipped byte in the middle of the file.
  ASSERT_TRUE(store::testing::FlipByte(
      backup, static_cast<std::streamoff>(first.size() / 2)));
  EXPECT_EQ(Resguardod("verify-backup", "--file", backup, &out), 1);
  EXPECT_THAT(out,
              HasSubstr("la copia no es válida / the backup is not valid"));
  ASSERT_TRUE(store::testing::FlipByte(
      backup, static_cast<std::streamoff>(first.size() / 2)));
  ASSERT_EQ(Resguardod("verify-backup", "--file", backup, &out), 0) << out;

  // Another node's master key cannot read it.
  absl::StatusOr<std::unique_ptr<TestNode>> other = TestNode::Create();
  ASSERT_TRUE(other.ok()) << other.status();
  absl::StatusOr<int> rc =
      TestNode::Run({TestNode::Binary(), "verify-backup", "--config",
                     (*other)->ConfigPath(), "--file", backup},
                    &out);
  ASSERT_TRUE(rc.ok());
  EXPECT_EQ(*rc, 1);
  EXPECT_THAT(out, HasSubstr("FAILED_PRECONDITION"));

  // Usage: the file flag is required.
  rc = TestNode::Run(
      {TestNode::Binary(), "backup", "--config", node_->ConfigPath()}, &out);
  ASSERT_TRUE(rc.ok());
  EXPECT_EQ(*rc, 2);
  EXPECT_THAT(out, HasSubstr("--out"));
}

// A backup carries the key set it opens with (BACKUP.keys): it survives a
// database re-keying of the node, restore puts its key set in place (never
// over a key set holding other keys), and after a master-key rotation it
// needs the old master key, which the error names by id.
TEST_F(BackupIntegrationTest, BackupCarriesItsKeySet) {
  auto stub = v1::CaseService::NewStub(node_->Channel("IEEPCO", "cw"));
  v1::Case created;
  ASSERT_TRUE(
      stub->CreateCase(TestNode::Context().get(), CreateRequest(1), &created)
          .ok());
  const std::string backup = absl::StrCat(node_->dir(), "/nodo.backup");
  std::string out;
  ASSERT_EQ(Resguardod("backup", "--out", backup, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr(backup + ".keys"));
  struct stat st;
  ASSERT_EQ(stat((backup + ".keys").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_TRUE(node_->Stop().ok());

  // The node's database gets a new key: the backup still verifies.
  absl::StatusOr<int> rc = TestNode::Run(
      {TestNode::Binary(), "rekey-database", "--config", node_->ConfigPath()},
      &out);
  ASSERT_TRUE(rc.ok());
  ASSERT_EQ(*rc, 0) << out;
  ASSERT_EQ(Resguardod("verify-backup", "--file", backup, &out), 0) << out;

  // Restore: refused over the node's key set (other database key) until it
  // is moved aside with the database.
  const std::string data = absl::StrCat(node_->dir(), "/data/");
  for (const char* name :
       {"resguardo.db", "resguardo.db-wal", "resguardo.db-shm"}) {
    std::rename((data + name).c_str(), (data + name + ".aside").c_str());
  }
  EXPECT_EQ(Resguardod("restore", "--file", backup, &out), 1);
  EXPECT_THAT(out, HasSubstr("ALREADY_EXISTS"));
  EXPECT_THAT(out, HasSubstr("resguardo.keys"));
  std::rename((data + "resguardo.keys").c_str(),
              (data + "resguardo.keys.aside").c_str());
  ASSERT_EQ(Resguardod("restore", "--file", backup, &out), 0) << out;
  ASSERT_TRUE(node_->Start().ok()) << node_->LogText();
  v1::GetCaseRequest get;
  get.set_name(created.name());
  get.set_view(v1::CASE_VIEW_FULL);
  get.set_purpose(v1::ACCESS_PURPOSE_CASE_FOLLOW_UP);
  v1::Case found;
  grpc::Status s = stub->GetCase(TestNode::Context().get(), get, &found);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(found.personal_data().victim_name(), absl::StrCat(kCanary, " 1"));
  ASSERT_TRUE(node_->Stop().ok());

  // After a master-key rotation the backup needs the old master key.
  rc = TestNode::Run({TestNode::Binary(), "rotate-master-key", "--config",
                      node_->ConfigPath()},
                     &out);
  ASSERT_TRUE(rc.ok());
  ASSERT_EQ(*rc, 0) << out;
  EXPECT_EQ(Resguardod("verify-backup", "--file", backup, &out), 1);
  EXPECT_THAT(out, HasSubstr("FAILED_PRECONDITION"));
  EXPECT_THAT(out, HasSubstr("master key id"));

  // Without its key set a backup does not open (its key is not derived
  // from the master key).
  std::rename((backup + ".keys").c_str(), (backup + ".keys.aside").c_str());
  EXPECT_EQ(Resguardod("verify-backup", "--file", backup, &out), 1);
  EXPECT_THAT(out, HasSubstr(backup + ".keys"));
  EXPECT_THAT(out, Not(HasSubstr(kCanary)));
}

}  // namespace
}  // namespace resguardo
