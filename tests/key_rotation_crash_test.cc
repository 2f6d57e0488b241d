// resguardod rotate-master-key and rekey-database against a real node, with
// a SIGKILL at each of their steps (the RESGUARDO_TEST_CRASH_AT hook,
// services/server/internal/crash_point.h): after each, the node starts
// with the old key or the new one, never neither; it serves; its audit log
// verifies; a case created before opens in FULL; the audit signing key and
// the case's stored person key (from the pseudonym key) are unchanged; the
// half-done files are gone. Without a crash, each command completes, says
// which master key is current, and refuses while the node runs.
#include <sys/stat.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "crypto/file_key_provider.h"
#include "crypto/key_provider.h"
#include "crypto/key_set.h"
#include "crypto/key_set_file.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "resguardo/v1/case_service.grpc.pb.h"
#include "services/store/database.h"
#include "services/store/statement.h"
#include "services/store/transaction.h"
#include "tests/testing/case_requests.h"
#include "tests/testing/test_deployment.h"
#include "tests/testing/test_node.h"

namespace resguardo {
namespace {

using ::resguardo::testing::TestNode;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kCanary[] = "CANARY-rotacion-Itzel-Mendoza-0412";
constexpr char kCurp[] = "HEGG560427MVZRRL04";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in),
                     std::istreambuf_iterator<char>());
}

bool Exists(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0;
}

// The "generation … vkey …" lines of `resguardod audit-key`.
std::string KeyLines(const std::string& out) {
  std::string lines;
  for (absl::string_view line : absl::StrSplit(out, '\n')) {
    if (absl::StartsWith(line, "generation ")) {
      absl::StrAppend(&lines, line, "\n");
    }
  }
  return lines;
}

class KeyRotationCrashTest : public ::testing::TestWithParam<const char*> {
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
    v1::CreateCaseRequest request = testing::NewCaseRequest(
        3, v1::RISK_LEVEL_HIGH, kCanary, "Narración sintética de rotación.");
    request.mutable_case_record()->mutable_personal_data()->set_victim_curp(
        kCurp);
    request.set_request_id("rotation-1");
    auto stub = v1::CaseService::NewStub(node_->Channel("IEEPCO", "cw"));
    v1::Case created;
    grpc::Status s =
        stub->CreateCase(TestNode::Context().get(), request, &created);
    ASSERT_TRUE(s.ok()) << s.error_message();
    case_name_ = created.name();
    ASSERT_TRUE(node_->Stop().ok());
    audit_keys_ = AuditKeyLines();
    ASSERT_THAT(audit_keys_, HasSubstr("vkey"));
    person_key_ = PersonKey();
    ASSERT_EQ(person_key_.size(), 32u);
    master_ = ReadFile(KeyFile());
    ASSERT_EQ(master_.size(), 32u);
    absl::StatusOr<crypto::SecretData> db_key = node_->DatabaseKey();
    ASSERT_TRUE(db_key.ok()) << db_key.status();
    db_key_ = std::string(db_key->UnsafeRawBytes());
  }

  std::string KeyFile() const {
    return absl::StrCat(node_->dir(), "/keys/master.key");
  }

  // resguardod COMMAND --config C, with the crash hook set to `crash_at`
  // when not empty. Returns the exit code (-9 for SIGKILL).
  int Resguardod(const std::string& command, const std::string& crash_at,
                 std::string* out) {
    std::vector<std::string> argv;
    if (!crash_at.empty()) {
      argv = {"/usr/bin/env",
              absl::StrCat("RESGUARDO_TEST_CRASH_AT=", crash_at)};
    }
    for (const std::string& a :
         {TestNode::Binary(), command, std::string("--config"),
          node_->ConfigPath()}) {
      argv.push_back(a);
    }
    absl::StatusOr<int> rc = TestNode::Run(argv, out);
    EXPECT_TRUE(rc.ok()) << rc.status();
    return rc.ok() ? *rc : -1000;
  }

  std::string AuditKeyLines() {
    std::string out;
    EXPECT_EQ(Resguardod("audit-key", "", &out), 0) << out;
    return KeyLines(out);
  }

  std::string PersonKey() {
    absl::StatusOr<std::unique_ptr<store::Database>> db = node_->OpenDatabase();
    EXPECT_TRUE(db.ok()) << db.status();
    if (!db.ok()) return "";
    absl::StatusOr<std::string> key =
        (*db)->Read([](store::ReadTxn& txn) -> absl::StatusOr<std::string> {
          absl::StatusOr<store::Statement> s =
              txn.Prepare("SELECT person_key FROM cases");
          if (!s.ok()) return s.status();
          absl::StatusOr<bool> row = s->Step();
          if (!row.ok()) return row.status();
          if (!*row) return std::string();
          absl::StatusOr<absl::string_view> blob = s->ColumnBlob(0);
          if (!blob.ok()) return blob.status();
          return std::string(*blob);
        });
    EXPECT_TRUE(key.ok()) << key.status();
    EXPECT_TRUE((*db)->Close().ok());
    return key.ok() ? *key : "";
  }

  // Starts the node and checks everything the rotation must keep.
  void ExpectNodeIntact() {
    absl::Status started = node_->Start();
    ASSERT_TRUE(started.ok()) << started << node_->LogText();
    auto stub = v1::CaseService::NewStub(node_->Channel("IEEPCO", "cw"));
    v1::GetCaseRequest get;
    get.set_name(case_name_);
    get.set_view(v1::CASE_VIEW_FULL);
    get.set_purpose(v1::ACCESS_PURPOSE_CASE_FOLLOW_UP);
    v1::Case found;
    grpc::Status s = stub->GetCase(TestNode::Context().get(), get, &found);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(found.personal_data().victim_name(), kCanary);
    absl::StatusOr<TestNode::AuditLogSnapshot> log = node_->ReadAuditLog();
    ASSERT_TRUE(log.ok()) << log.status();
    EXPECT_TRUE(log->verified.ok()) << log->verified;
    ASSERT_TRUE(node_->Stop().ok());
    EXPECT_EQ(AuditKeyLines(), audit_keys_);
    EXPECT_EQ(PersonKey(), person_key_);
    // Nothing half done is left.
    EXPECT_FALSE(Exists(KeyFile() + ".new"));
    EXPECT_FALSE(Exists(node_->DatabasePath() + ".rekey"));
    EXPECT_FALSE(
        Exists(absl::StrCat(node_->dir(), "/data/resguardo.keys.tmp")));
    EXPECT_THAT(node_->LogText(), Not(HasSubstr(kCanary)));
  }

  std::unique_ptr<TestNode> node_;
  std::string case_name_;
  std::string audit_keys_;
  std::string person_key_;
  std::string master_;
  std::string db_key_;
};

class MasterKeyCrashTest : public KeyRotationCrashTest {};
class RekeyCrashTest : public KeyRotationCrashTest {};

TEST_P(MasterKeyCrashTest, SigkillAtStepLeavesOldOrNewKey) {
  const std::string step = GetParam();
  std::string out;
  ASSERT_EQ(Resguardod("rotate-master-key", step, &out), -9) << out;
  ExpectNodeIntact();
  // Before the key set was wrapped under the new key: the old key stays.
  // From then on: the new one is current.
  const bool rotated = step != "master-new-key-written";
  EXPECT_EQ(ReadFile(KeyFile()) != master_, rotated) << step;
  EXPECT_EQ(ReadFile(KeyFile()).size(), 32u);
  // The node's start said which key is current.
  EXPECT_THAT(node_->LogText(), HasSubstr("master_key_id"));
  // The database key never changes with the master key.
  absl::StatusOr<crypto::SecretData> db_key = node_->DatabaseKey();
  ASSERT_TRUE(db_key.ok()) << db_key.status();
  EXPECT_EQ(std::string(db_key->UnsafeRawBytes()), db_key_);
  // A rotation after the crash completes.
  ASSERT_EQ(Resguardod("rotate-master-key", "", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("vigente / current: id "));
  ExpectNodeIntact();
}

INSTANTIATE_TEST_SUITE_P(Steps, MasterKeyCrashTest,
                         ::testing::Values("master-new-key-written",
                                           "master-key-set-wrapped-twice",
                                           "master-key-renamed",
                                           "master-key-set-rewrapped"));

TEST_P(RekeyCrashTest, SigkillAtStepLeavesADatabaseThatOpens) {
  const std::string step = GetParam();
  std::string out;
  ASSERT_EQ(Resguardod("rekey-database", step, &out), -9) << out;
  ExpectNodeIntact();
  // Before the new file was renamed into place: the old key stays.
  const bool rekeyed =
      step == "rekey-database-renamed" || step == "rekey-key-set-updated";
  absl::StatusOr<crypto::SecretData> db_key = node_->DatabaseKey();
  ASSERT_TRUE(db_key.ok()) << db_key.status();
  EXPECT_EQ(std::string(db_key->UnsafeRawBytes()) != db_key_, rekeyed) << step;
  EXPECT_EQ(ReadFile(KeyFile()), master_);
  ASSERT_EQ(Resguardod("rekey-database", "", &out), 0) << out;
  ExpectNodeIntact();
}

INSTANTIATE_TEST_SUITE_P(Steps, RekeyCrashTest,
                         ::testing::Values("rekey-copy-written",
                                           "rekey-pending-key-written",
                                           "rekey-database-renamed",
                                           "rekey-key-set-updated"));

TEST_F(KeyRotationCrashTest, RotationsCompleteAndRefuseWhileTheNodeRuns) {
  std::string out;
  ASSERT_TRUE(node_->Start().ok());
  for (const char* command : {"rotate-master-key", "rekey-database"}) {
    EXPECT_EQ(Resguardod(command, "", &out), 1) << command;
    EXPECT_THAT(out, HasSubstr("the node is running"));
  }
  ASSERT_TRUE(node_->Stop().ok());
  EXPECT_EQ(ReadFile(KeyFile()), master_);

  ASSERT_EQ(Resguardod("rotate-master-key", "", &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("anterior / previous: id "));
  EXPECT_NE(ReadFile(KeyFile()), master_);
  // The old master key no longer opens the key set.
  const std::string key_set =
      ReadFile(absl::StrCat(node_->dir(), "/data/resguardo.keys"));
  EXPECT_EQ(key_set.find(db_key_), std::string::npos);
  ASSERT_EQ(Resguardod("rekey-database", "", &out), 0) << out;
  absl::StatusOr<crypto::SecretData> db_key = node_->DatabaseKey();
  ASSERT_TRUE(db_key.ok());
  EXPECT_NE(std::string(db_key->UnsafeRawBytes()), db_key_);
  ExpectNodeIntact();
  // The new database file is not plaintext.
  EXPECT_NE(ReadFile(node_->DatabasePath()).substr(0, 15), "SQLite format 3");
}

// The key set as a node made before it would have it: every key derived from
// the master key (DeriveKeyFromMaster), audit-signing generations 1 and 2.
crypto::KeySet LegacyKeys(const crypto::FileKeyProvider& master) {
  crypto::KeySet set;
  for (int p = 0; p < static_cast<int>(crypto::KeyPurpose::kCount); ++p) {
    const auto purpose = static_cast<crypto::KeyPurpose>(p);
    absl::StatusOr<crypto::SecretData> key = master.DeriveKey(purpose, 1);
    EXPECT_TRUE(key.ok());
    set.Put(crypto::KeyPurposeLabel(purpose), 1, *std::move(key));
  }
  absl::StatusOr<crypto::SecretData> second =
      master.DeriveKey(crypto::KeyPurpose::kAuditSigning, 2);
  EXPECT_TRUE(second.ok());
  set.Put("audit-signing", 2, *std::move(second));
  return set;
}

// A node made before the key set (its database under the keys derived from
// its master key, two audit-key generations, no resguardo.keys) starts, and
// its start fills the key set with exactly those keys: the case opens, the
// audit log verifies, the audit keys and person key are unchanged.
TEST(KeySetMigrationTest, AnOlderNodeKeepsItsDerivedKeys) {
  absl::StatusOr<std::unique_ptr<TestNode>> created = TestNode::Create();
  ASSERT_TRUE(created.ok()) << created.status();
  TestNode& node = **created;
  const std::string data = absl::StrCat(node.dir(), "/data/");
  const std::string key_set = data + "resguardo.keys";
  // Made again with derived keys, as a node of the previous version was.
  for (const char* name : {"resguardo.db", "resguardo.db-wal",
                           "resguardo.db-shm", "resguardo.keys"}) {
    std::remove((data + name).c_str());
  }
  absl::StatusOr<std::unique_ptr<crypto::FileKeyProvider>> master =
      crypto::FileKeyProvider::New(absl::StrCat(node.dir(), "/keys/master.key"),
                                   crypto::FileKeyProvider::Mode::kMustExist);
  ASSERT_TRUE(master.ok()) << master.status();
  const crypto::KeySet legacy = LegacyKeys(**master);
  absl::StatusOr<std::string> sealed = legacy.Seal({master->get()});
  ASSERT_TRUE(sealed.ok());
  ASSERT_TRUE(crypto::ReplaceFileDurably(key_set, *sealed).ok());
  std::string out;
  ASSERT_EQ(
      *TestNode::Run(
          {TestNode::Binary(), "init", "--config", node.ConfigPath()}, &out),
      0)
      << out;
  ASSERT_TRUE(node.Start().ok()) << node.LogText();
  static const testing::Staff kCaseworker{testing::kOperator, "cw",
                                          v1::ROLE_CASEWORKER};
  ASSERT_TRUE(testing::IssueClientCerts(node, {&kCaseworker}).ok());
  ASSERT_TRUE(testing::CreateUsers(node, {&kCaseworker}).ok());
  v1::CreateCaseRequest request = testing::NewCaseRequest(
      3, v1::RISK_LEVEL_HIGH, kCanary, "Narración sintética de migración.");
  request.mutable_case_record()->mutable_personal_data()->set_victim_curp(
      kCurp);
  request.set_request_id("migration-1");
  auto stub = v1::CaseService::NewStub(node.Channel("IEEPCO", "cw"));
  v1::Case case_made;
  ASSERT_TRUE(
      stub->CreateCase(TestNode::Context().get(), request, &case_made).ok());
  ASSERT_TRUE(node.Stop().ok());
  ASSERT_EQ(*TestNode::Run({TestNode::Binary(), "rotate-audit-key", "--config",
                            node.ConfigPath()},
                           &out),
            0)
      << out;
  ASSERT_EQ(*TestNode::Run({TestNode::Binary(), "audit-key", "--config",
                            node.ConfigPath()},
                           &out),
            0);
  const std::string audit_keys = KeyLines(out);
  ASSERT_THAT(audit_keys, HasSubstr("generation 2"));

  // Now it is the older node: no key set.
  ASSERT_EQ(std::remove(key_set.c_str()), 0);
  ASSERT_TRUE(node.Start().ok()) << node.LogText();
  EXPECT_THAT(node.LogText(), HasSubstr("key_set_migrated"));
  v1::GetCaseRequest get;
  get.set_name(case_made.name());
  get.set_view(v1::CASE_VIEW_FULL);
  get.set_purpose(v1::ACCESS_PURPOSE_CASE_FOLLOW_UP);
  v1::Case found;
  grpc::Status s = stub->GetCase(TestNode::Context().get(), get, &found);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(found.personal_data().victim_name(), kCanary);
  absl::StatusOr<TestNode::AuditLogSnapshot> log = node.ReadAuditLog();
  ASSERT_TRUE(log.ok()) << log.status();
  EXPECT_TRUE(log->verified.ok()) << log->verified;
  ASSERT_TRUE(node.Stop().ok());
  // The key set holds exactly the derived keys.
  absl::StatusOr<crypto::KeySet> migrated = node.KeySet();
  ASSERT_TRUE(migrated.ok()) << migrated.status();
  EXPECT_TRUE(migrated->SameKeys(legacy));
  ASSERT_EQ(*TestNode::Run({TestNode::Binary(), "audit-key", "--config",
                            node.ConfigPath()},
                           &out),
            0);
  EXPECT_EQ(KeyLines(out), audit_keys);
}

}  // namespace
}  // namespace resguardo
