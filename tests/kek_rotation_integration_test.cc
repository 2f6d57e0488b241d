// Issue 18, institution KEK rotation, through a real node: a rotation
// started while clients keep registering cases ends with every data key of
// the institution on the new KEK version (read from the node's SQLCipher
// file with its key), every case still opening with its FULL view, the old
// version's row gone and its destruction audited with the node as actor;
// a second start while one runs is FAILED_PRECONDITION; another
// institution's admin may not start one. A SIGKILL of the node in the
// middle of a slow rotation (batches of one key, with a pause) leaves it
// RUNNING with both versions stored; the restarted node resumes it and
// finishes with every key rewrapped exactly once. The CLI (the real binary)
// starts a rotation and watches it to the end.
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "resguardo/v1/admin_service.grpc.pb.h"
#include "resguardo/v1/case_service.grpc.pb.h"
#include "resguardo/v1/referral_service.grpc.pb.h"
#include "services/store/database.h"
#include "services/store/statement.h"
#include "tests/testing/case_requests.h"
#include "tests/testing/test_deployment.h"
#include "tests/testing/test_node.h"

namespace resguardo {
namespace {

using ::resguardo::testing::Staff;
using ::resguardo::testing::TestNode;
using ::testing::HasSubstr;

const Staff kAdmin{"IEEPCO", "admin", v1::ROLE_ADMIN};
const Staff kRegistrar{"IEEPCO", "reg", v1::ROLE_REGISTRAR};
const Staff kCaseworker{"IEEPCO", "cw", v1::ROLE_CASEWORKER};
const Staff kFgeoAdmin{"FGEO", "fgeo.admin", v1::ROLE_ADMIN};
const Staff kFgeoCaseworker{"FGEO", "fgeo.cw", v1::ROLE_CASEWORKER};

v1::CreateCaseRequest CaseRequest(int n) {
  return testing::NewCaseRequest(2, v1::RISK_LEVEL_MEDIUM,
                                 absl::StrCat("Persona sintética ", n),
                                 absl::StrCat("Narración sintética ", n));
}

struct Created {
  std::string name;
  int n = 0;
};

// What the node's database says of IEEPCO's keys.
struct StoredKeys {
  std::vector<int64_t> kek_versions;  // ascending
  int64_t cases_with_key = 0;
  int64_t cases_on_version = 0;  // of the version asked for
  int64_t rotation_state = 0;    // of the latest rotation; 0 if none
};

StoredKeys ReadStoredKeys(const TestNode& node, int64_t version) {
  StoredKeys out;
  absl::StatusOr<std::unique_ptr<store::Database>> db = node.OpenDatabase();
  EXPECT_TRUE(db.ok()) << db.status();
  if (!db.ok()) return out;
  absl::Status read = (*db)->Read([&](store::ReadTxn& txn) -> absl::Status {
    {
      absl::StatusOr<store::Statement> s = txn.Prepare(
          "SELECT version FROM kek_versions WHERE institution = "
          "'IEEPCO' ORDER BY version");
      if (!s.ok()) return s.status();
      while (true) {
        absl::StatusOr<bool> row = s->Step();
        if (!row.ok()) return row.status();
        if (!*row) break;
        out.kek_versions.push_back(*s->ColumnInt64(0));
      }
    }
    {
      // The KEK version is bytes 2-5 of a wrapped data key (big-endian).
      absl::StatusOr<store::Statement> s = txn.Prepare(
          "SELECT COUNT(*), COALESCE(SUM(hex(substr(wrapped_dek, 2, 4)) = "
          "printf('%08X', ?1)), 0) FROM cases WHERE institution = 'IEEPCO' "
          "AND wrapped_dek IS NOT NULL");
      if (!s.ok()) return s.status();
      if (absl::Status b = s->BindInt64(1, version); !b.ok()) return b;
      absl::StatusOr<bool> row = s->Step();
      if (!row.ok()) return row.status();
      out.cases_with_key = *s->ColumnInt64(0);
      out.cases_on_version = *s->ColumnInt64(1);
    }
    absl::StatusOr<store::Statement> s = txn.Prepare(
        "SELECT state FROM kek_rotations WHERE institution = "
        "'IEEPCO' ORDER BY to_version DESC LIMIT 1");
    if (!s.ok()) return s.status();
    absl::StatusOr<bool> row = s->Step();
    if (!row.ok()) return row.status();
    if (*row) out.rotation_state = *s->ColumnInt64(0);
    return absl::OkStatus();
  });
  EXPECT_TRUE(read.ok()) << read;
  return out;
}

class KekRotationTest : public ::testing::Test {
 protected:
  void Deploy(const std::string& rotation_config) {
    testing::TestNodeOptions options;
    options.extra_config = rotation_config;
    absl::StatusOr<std::unique_ptr<TestNode>> node = TestNode::Create(options);
    ASSERT_TRUE(node.ok()) << node.status();
    node_ = *std::move(node);
    absl::Status deployed = testing::StartDeployment(
        *node_, {&kRegistrar, &kCaseworker, &kFgeoAdmin, &kFgeoCaseworker},
        {{"FGEO", v1::INSTITUTION_KIND_PROSECUTOR, "FGEO", "20"}});
    ASSERT_TRUE(deployed.ok()) << deployed;
  }

  std::unique_ptr<v1::AdminService::Stub> Admin(const Staff& s) {
    return v1::AdminService::NewStub(node_->Channel(s.institution, s.user));
  }

  // Registers cases n = first..first+count-1; appends those answered OK.
  void CreateCases(int first, int count, std::vector<Created>* out) {
    auto stub = v1::CaseService::NewStub(
        node_->Channel(kRegistrar.institution, kRegistrar.user));
    for (int n = first; n < first + count; ++n) {
      v1::Case made;
      grpc::Status s =
          stub->CreateCase(TestNode::Context().get(), CaseRequest(n), &made);
      ASSERT_TRUE(s.ok()) << s.error_message();
      out->push_back({made.name(), n});
    }
  }

  // Every case of `cases` opens with its FULL view and its own data.
  void ExpectEveryCaseOpens(const std::vector<Created>& cases) {
    auto stub = v1::CaseService::NewStub(
        node_->Channel(kCaseworker.institution, kCaseworker.user));
    int bad = 0;
    for (const Created& c : cases) {
      v1::GetCaseRequest get;
      get.set_name(c.name);
      get.set_view(v1::CASE_VIEW_FULL);
      get.set_purpose(v1::ACCESS_PURPOSE_CASE_FOLLOW_UP);
      v1::Case found;
      grpc::Status s = stub->GetCase(TestNode::Context().get(), get, &found);
      if (!s.ok() || found.personal_data().narrative() !=
                         absl::StrCat("Narración sintética ", c.n)) {
        if (bad++ == 0) {
          ADD_FAILURE() << c.name << " does not open: " << s.error_code();
        }
      }
    }
    EXPECT_EQ(bad, 0) << "of " << cases.size();
  }

  v1::KeyRotation WaitUntilDone(absl::Duration limit,
                                absl::string_view institution = "IEEPCO") {
    const absl::Time end = absl::Now() + limit;
    v1::GetKeyRotationRequest get;
    get.set_name(absl::StrCat("institutions/", institution, "/keyRotations/-"));
    v1::KeyRotation r;
    while (absl::Now() < end) {
      grpc::Status s =
          Admin(kAdmin)->GetKeyRotation(TestNode::Context().get(), get, &r);
      EXPECT_TRUE(s.ok()) << s.error_message();
      if (s.ok() && r.state() == v1::KEY_ROTATION_STATE_DONE) return r;
      absl::SleepFor(absl::Milliseconds(100));
    }
    ADD_FAILURE() << "the rotation was not done in time: "
                  << r.ShortDebugString();
    return r;
  }

  std::unique_ptr<TestNode> node_;
};

TEST_F(KekRotationTest, RotationUnderLoadRewrapsEveryKeyAndDestroysTheOld) {
  Deploy("key_rotation { rewrap_batch_size: 7 rewrap_pause_ms: 5 }");
  std::vector<Created> cases;
  CreateCases(0, 60, &cases);
  EXPECT_EQ(ReadStoredKeys(*node_, 1).cases_on_version, 60);

  // Clients keep registering cases during the whole rotation.
  std::atomic<bool> stop{false};
  absl::Mutex mu;
  std::vector<Created> during;  // guarded by mu
  std::vector<std::thread> clients;
  for (int c = 0; c < 2; ++c) {
    clients.emplace_back([&, c] {
      auto stub = v1::CaseService::NewStub(
          node_->Channel(kRegistrar.institution, kRegistrar.user));
      for (int n = 1000 * (c + 1); !stop.load(); ++n) {
        v1::Case made;
        grpc::Status s =
            stub->CreateCase(TestNode::Context().get(), CaseRequest(n), &made);
        EXPECT_TRUE(s.ok()) << s.error_message();
        if (!s.ok()) return;
        absl::MutexLock lock(&mu);
        during.push_back({made.name(), n});
      }
    });
  }

  // Another institution's admin may not rotate IEEPCO's keys.
  v1::StartKeyRotationRequest start;
  start.set_parent("institutions/IEEPCO");
  v1::KeyRotation refused;
  grpc::Status s =
      Admin(kFgeoAdmin)
          ->StartKeyRotation(TestNode::Context().get(), start, &refused);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  v1::KeyRotation started;
  s = Admin(kAdmin)->StartKeyRotation(TestNode::Context().get(), start,
                                      &started);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(started.name(), "institutions/IEEPCO/keyRotations/2");
  EXPECT_EQ(started.state(), v1::KEY_ROTATION_STATE_RUNNING);
  EXPECT_EQ(started.from_version(), 1u);
  EXPECT_EQ(started.to_version(), 2u);
  EXPECT_GE(started.data_keys_total(), 60);
  EXPECT_EQ(started.started_by(), "institutions/IEEPCO/users/admin");

  // A second start while it runs: FAILED_PRECONDITION, with the
  // catalogue's text in the caller's language.
  std::unique_ptr<grpc::ClientContext> context = TestNode::Context();
  context->AddMetadata("accept-language", "es");
  v1::KeyRotation second;
  s = Admin(kAdmin)->StartKeyRotation(context.get(), start, &second);
  if (s.ok()) {
    // The first one may already be done (60 keys): then this one ran too.
    ADD_FAILURE() << "a second rotation started while the first ran";
  } else {
    EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    google::rpc::Status details;
    ASSERT_TRUE(details.ParseFromString(s.error_details()));
    google::rpc::LocalizedMessage localized;
    for (const auto& any : details.details()) any.UnpackTo(&localized);
    EXPECT_THAT(localized.message(),
                HasSubstr("Ya hay una rotación de claves en curso"));
  }

  const v1::KeyRotation done = WaitUntilDone(absl::Seconds(60));
  stop.store(true);
  for (std::thread& t : clients) t.join();
  EXPECT_EQ(done.data_keys_rewrapped(), started.data_keys_total());
  EXPECT_EQ(done.data_keys_remaining(), 0);
  EXPECT_TRUE(done.has_finish_time());
  EXPECT_GT(during.size(), 0u) << "no case was registered meanwhile";

  const StoredKeys keys = ReadStoredKeys(*node_, 2);
  EXPECT_EQ(keys.kek_versions, std::vector<int64_t>{2});
  EXPECT_EQ(keys.cases_on_version, keys.cases_with_key);
  EXPECT_EQ(keys.cases_with_key,
            static_cast<int64_t>(cases.size() + during.size()));
  EXPECT_EQ(keys.rotation_state, 2);
  cases.insert(cases.end(), during.begin(), during.end());
  ExpectEveryCaseOpens(cases);

  // Audited: the start by the admin, the destruction by the node.
  absl::StatusOr<std::vector<v1::AuditEntry>> entries = node_->AuditEntries();
  ASSERT_TRUE(entries.ok()) << entries.status();
  int starts = 0;
  int retired = 0;
  for (const v1::AuditEntry& e : *entries) {
    if (e.method() == "/resguardo.v1.AdminService/StartKeyRotation" &&
        e.outcome() == 0) {
      ++starts;
      EXPECT_EQ(e.actor(), "institutions/IEEPCO/users/admin");
      EXPECT_EQ(e.resource(), "institutions/IEEPCO/keyRotations/2");
    }
    if (e.method() == "resguardod/RetireKekVersions") {
      ++retired;
      EXPECT_EQ(e.actor(), "node");
      EXPECT_EQ(e.resource(), "institutions/IEEPCO/keyRotations/2");
      EXPECT_EQ(e.note(), "kek-destroyed:1");
    }
  }
  EXPECT_EQ(starts, 1);
  EXPECT_EQ(retired, 1);

  // The next rotation may start now (with the latest etag), and not with
  // a stale one.
  start.set_etag("1");
  s = Admin(kAdmin)->StartKeyRotation(TestNode::Context().get(), start,
                                      &second);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ABORTED);
  start.set_etag(done.etag());
  s = Admin(kAdmin)->StartKeyRotation(TestNode::Context().get(), start,
                                      &second);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(second.to_version(), 3u);
  WaitUntilDone(absl::Seconds(60));
  EXPECT_EQ(ReadStoredKeys(*node_, 3).kek_versions, std::vector<int64_t>{3});
  ExpectEveryCaseOpens(cases);
}

TEST_F(KekRotationTest, SigkillMidRotationThenRestartResumesAndFinishes) {
  // One key per batch and a pause: slow enough to be killed in the middle.
  Deploy("key_rotation { rewrap_batch_size: 1 rewrap_pause_ms: 40 }");
  std::vector<Created> cases;
  CreateCases(0, 80, &cases);

  // Started with the real CLI, in JSON.
  std::string out;
  ASSERT_EQ(testing::RunCli(*node_, kAdmin,
                            {"admin", "keys", "rotate", "--json"}, &out),
            0)
      << out;
  EXPECT_THAT(out,
              HasSubstr("\"name\":\"institutions/IEEPCO/keyRotations/2\""));

  // Killed once some keys, not all, are rewrapped.
  v1::GetKeyRotationRequest get;
  get.set_name("institutions/IEEPCO/keyRotations/2");
  v1::KeyRotation progress;
  const absl::Time end = absl::Now() + absl::Seconds(30);
  while (absl::Now() < end) {
    grpc::Status s = Admin(kAdmin)->GetKeyRotation(TestNode::Context().get(),
                                                   get, &progress);
    ASSERT_TRUE(s.ok()) << s.error_message();
    if (progress.data_keys_rewrapped() >= 10) break;
    absl::SleepFor(absl::Milliseconds(20));
  }
  ASSERT_GE(progress.data_keys_rewrapped(), 10);
  node_->Kill();
  const StoredKeys killed = ReadStoredKeys(*node_, 2);
  EXPECT_EQ(killed.rotation_state, 1) << "the rotation ended before the kill";
  EXPECT_EQ(killed.kek_versions, (std::vector<int64_t>{1, 2}));
  EXPECT_GT(killed.cases_on_version, 0);
  EXPECT_LT(killed.cases_on_version, 80);

  ASSERT_TRUE(node_->Start().ok());
  // Watched to the end with the real CLI.
  ASSERT_EQ(testing::RunCli(*node_, kAdmin,
                            {"admin", "keys", "rotation", "--watch"}, &out),
            0)
      << out;
  EXPECT_THAT(out,
              HasSubstr("Claves de datos reenvueltas: 80 de 80 (faltan 0)"));
  EXPECT_THAT(out, HasSubstr("Terminada"));

  const v1::KeyRotation done = WaitUntilDone(absl::Seconds(5));
  EXPECT_EQ(done.data_keys_total(), 80);
  // Each key rewrapped once: a batch is counted in its own transaction.
  EXPECT_EQ(done.data_keys_rewrapped(), 80);
  const StoredKeys keys = ReadStoredKeys(*node_, 2);
  EXPECT_EQ(keys.kek_versions, std::vector<int64_t>{2});
  EXPECT_EQ(keys.cases_on_version, 80);
  ExpectEveryCaseOpens(cases);

  // In English, the latest rotation by default.
  ASSERT_EQ(testing::RunCli(*node_, kAdmin, {"admin", "keys", "rotation"}, &out,
                            "en"),
            0)
      << out;
  EXPECT_THAT(out,
              HasSubstr("Key rotation: institutions/IEEPCO/keyRotations/2"));
  EXPECT_THAT(out, HasSubstr("Done"));
  // Another start while none runs, then a second one: refused, exit code
  // of a refusal, the node's Spanish text.
  ASSERT_EQ(testing::RunCli(*node_, kAdmin, {"admin", "keys", "rotate"}, &out),
            0)
      << out;
  EXPECT_NE(testing::RunCli(*node_, kAdmin, {"admin", "keys", "rotate"}, &out),
            0);
  EXPECT_THAT(out, HasSubstr("Ya hay una rotación de claves en curso"));
}

// The receiving institution's keys: its copies of referred cases
// (referral_keys) and the notes of its follow-ups on them, rotated by the
// operator's admin (who may rotate any institution's keys).
TEST_F(KekRotationTest, ReferralCopiesAndFollowUpNotesAreRewrapped) {
  Deploy("key_rotation { rewrap_batch_size: 2 }");
  std::vector<Created> cases;
  CreateCases(0, 3, &cases);
  auto ieepco = v1::ReferralService::NewStub(
      node_->Channel(kCaseworker.institution, kCaseworker.user));
  auto fgeo = v1::ReferralService::NewStub(
      node_->Channel(kFgeoCaseworker.institution, kFgeoCaseworker.user));
  std::vector<std::string> referrals;
  for (const Created& c : cases) {
    v1::CreateReferralRequest create;
    create.mutable_referral()->set_case_(c.name);
    create.mutable_referral()->set_receiving_institution("FGEO");
    create.mutable_referral()->add_services(
        v1::REFERRAL_SERVICE_KIND_INVESTIGATION);
    create.mutable_referral()->set_note(absl::StrCat("Nota de envío ", c.n));
    v1::Consent* consent = create.mutable_consent();
    consent->set_given_by(v1::CONSENT_GIVER_VICTIM);
    consent->set_method(v1::CONSENT_METHOD_IN_WRITING);
    consent->mutable_give_time()->set_seconds(absl::ToUnixSeconds(absl::Now()) -
                                              600);
    consent->set_scope(v1::SHARING_SCOPE_CONTACT_ONLY);
    v1::Referral created;
    grpc::Status s =
        ieepco->CreateReferral(TestNode::Context().get(), create, &created);
    ASSERT_TRUE(s.ok()) << s.error_message();
    v1::AcceptReferralRequest accept;
    accept.set_name(created.name());
    accept.set_etag(created.etag());
    v1::Referral accepted;
    s = fgeo->AcceptReferral(TestNode::Context().get(), accept, &accepted);
    ASSERT_TRUE(s.ok()) << s.error_message();
    v1::AddReferralFollowUpRequest add;
    add.set_parent(created.name());
    add.mutable_follow_up()->set_kind(v1::FOLLOW_UP_KIND_CONTACT);
    add.mutable_follow_up()->mutable_occur_time()->set_seconds(
        absl::ToUnixSeconds(absl::Now()) - 60);
    add.mutable_follow_up()->set_notes(
        absl::StrCat("Nota de la fiscalía ", c.n));
    v1::ReferralFollowUp added;
    s = fgeo->AddReferralFollowUp(TestNode::Context().get(), add, &added);
    ASSERT_TRUE(s.ok()) << s.error_message();
    referrals.push_back(created.name());
  }

  v1::StartKeyRotationRequest start;
  start.set_parent("institutions/FGEO");
  v1::KeyRotation started;
  grpc::Status s = Admin(kAdmin)->StartKeyRotation(TestNode::Context().get(),
                                                   start, &started);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(started.name(), "institutions/FGEO/keyRotations/2");
  // Three copies and three notes; FGEO has no case of its own.
  EXPECT_EQ(started.data_keys_total(), 6);
  const v1::KeyRotation done = WaitUntilDone(absl::Seconds(30), "FGEO");
  EXPECT_EQ(done.data_keys_rewrapped(), 6);
  // IEEPCO's keys were not touched.
  EXPECT_EQ(ReadStoredKeys(*node_, 1).kek_versions, std::vector<int64_t>{1});

  for (size_t i = 0; i < referrals.size(); ++i) {
    v1::GetReferralRequest get;
    get.set_name(referrals[i]);
    get.set_view(v1::REFERRAL_VIEW_FULL);
    get.set_purpose(v1::ACCESS_PURPOSE_REFERRAL);
    v1::Referral full;
    s = fgeo->GetReferral(TestNode::Context().get(), get, &full);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(full.note(), absl::StrCat("Nota de envío ", cases[i].n));
    v1::ListReferralFollowUpsRequest list;
    list.set_parent(referrals[i]);
    list.set_purpose(v1::ACCESS_PURPOSE_CASE_FOLLOW_UP);
    v1::ListReferralFollowUpsResponse seen;
    s = fgeo->ListReferralFollowUps(TestNode::Context().get(), list, &seen);
    ASSERT_TRUE(s.ok()) << s.error_message();
    ASSERT_EQ(seen.follow_ups_size(), 1);
    EXPECT_EQ(seen.follow_ups(0).notes(),
              absl::StrCat("Nota de la fiscalía ", cases[i].n));
  }
  ExpectEveryCaseOpens(cases);
}

}  // namespace
}  // namespace resguardo
