// Referrals end to end (issue 4): the real resguardod on loopback, real mTLS,
// a real SQLCipher file, three institutions — the electoral institute
// (IEEPCO, the node's operator), the prosecutor (FGEO) and a service
// provider (CJM, a women's justice centre).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "resguardo/v1/admin_service.grpc.pb.h"
#include "resguardo/v1/case_service.grpc.pb.h"
#include "resguardo/v1/referral_service.grpc.pb.h"
#include "services/auth/access_policy.h"
#include "services/store/database.h"
#include "services/store/statement.h"
#include "tests/testing/case_requests.h"
#include "tests/testing/test_deployment.h"
#include "tests/testing/test_node.h"

namespace resguardo {
namespace {

using ::resguardo::testing::BadRequestFields;
using ::resguardo::testing::DaysAgo;
using ::resguardo::testing::RandomHex;
using ::resguardo::testing::Staff;
using ::resguardo::testing::TestNode;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

const Staff kAdmin{"IEEPCO", "admin", v1::ROLE_ADMIN};
const Staff kRegistrar{"IEEPCO", "reg", v1::ROLE_REGISTRAR};
const Staff kCaseworker{"IEEPCO", "cw", v1::ROLE_CASEWORKER};
const Staff kSupervisor{"IEEPCO", "sup", v1::ROLE_SUPERVISOR};
const Staff kAnalyst{"IEEPCO", "ana", v1::ROLE_ANALYST};
const Staff kAuditor{"IEEPCO", "aud", v1::ROLE_AUDITOR};
const Staff kFgeoAdmin{"FGEO", "fgeo.admin", v1::ROLE_ADMIN};
const Staff kFgeoCaseworker{"FGEO", "fgeo.cw", v1::ROLE_CASEWORKER};
const Staff kFgeoRegistrar{"FGEO", "fgeo.reg", v1::ROLE_REGISTRAR};
const Staff kCjmAdmin{"CJM", "cjm.admin", v1::ROLE_ADMIN};
const Staff kCjmCaseworker{"CJM", "cjm.cw", v1::ROLE_CASEWORKER};

// Canaries: personal data that must travel only within the scope, and never
// to a log or an audit entry.
constexpr char kVictim[] = "Rosalba Canaria Quetzal";
constexpr char kCurp[] = "HEGG560427MVZRRL04";
constexpr char kPhone[] = "+52 951 000 1234";
constexpr char kEmail[] = "canaria@example.org";
constexpr char kAddress[] = "Calle Canario 7, Oaxaca";
constexpr char kNarrative[] = "Narracion canaria de los hechos.";
constexpr char kAggressor[] = "Agresor Canario";
constexpr char kEvidence[] = "Evidencia canaria";
constexpr char kNote[] = "Nota canaria para la fiscalia";
constexpr char kOverrideReason[] = "Riesgo canario inminente de feminicidio";

v1::CreateCaseRequest ValidCase(v1::RiskLevel risk) {
  v1::CreateCaseRequest r =
      testing::NewCaseRequest(3, risk, kVictim, kNarrative);
  auto* p = r.mutable_case_record()->mutable_personal_data();
  p->set_victim_curp(kCurp);
  p->set_contact_phone(kPhone);
  p->set_contact_email(kEmail);
  p->set_address(kAddress);
  p->add_aggressor_names(kAggressor);
  p->set_evidence_notes(kEvidence);
  return r;
}

v1::Consent VictimConsent(v1::SharingScope scope) {
  v1::Consent c;
  c.set_given_by(v1::CONSENT_GIVER_VICTIM);
  c.set_method(v1::CONSENT_METHOD_IN_WRITING);
  c.mutable_give_time()->set_seconds(absl::ToUnixSeconds(absl::Now()) - 600);
  c.set_scope(scope);
  return c;
}

class ReferralTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<TestNode>> node = TestNode::Create();
    ASSERT_TRUE(node.ok()) << node.status();
    node_ = node->release();
    absl::Status deployed = testing::StartDeployment(
        *node_,
        {&kRegistrar, &kCaseworker, &kSupervisor, &kAnalyst, &kAuditor,
         &kFgeoAdmin, &kCjmAdmin, &kFgeoCaseworker, &kFgeoRegistrar,
         &kCjmCaseworker},
        {{"FGEO", v1::INSTITUTION_KIND_PROSECUTOR, "FGEO", "20"},
         {"CJM", v1::INSTITUTION_KIND_SERVICE_PROVIDER, "CJM", "20"}});
    ASSERT_TRUE(deployed.ok()) << deployed;
  }

  static void TearDownTestSuite() {
    if (node_ == nullptr) return;
    absl::StatusOr<int> code = node_->Stop();
    EXPECT_TRUE(code.ok());
    if (code.ok()) {
      EXPECT_EQ(*code, 0);
    }
    delete node_;
    node_ = nullptr;
  }

  void SetUp() override {
    if (node_ == nullptr) GTEST_SKIP() << "the node did not start";
  }

  static std::shared_ptr<grpc::Channel> Channel(const Staff& s) {
    return node_->Channel(s.institution, s.user);
  }
  static std::unique_ptr<v1::ReferralService::Stub> Referrals(const Staff& s) {
    return v1::ReferralService::NewStub(Channel(s));
  }

  static v1::Case NewCase(v1::RiskLevel risk = v1::RISK_LEVEL_MEDIUM) {
    v1::Case created;
    grpc::Status s =
        v1::CaseService::NewStub(Channel(kRegistrar))
            ->CreateCase(TestNode::Context().get(), ValidCase(risk), &created);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return created;
  }

  static v1::CreateReferralRequest Request(
      const v1::Case& c, absl::string_view to,
      v1::SharingScope scope = v1::SHARING_SCOPE_CONTACT_ONLY) {
    v1::CreateReferralRequest r;
    r.mutable_referral()->set_case_(c.name());
    r.mutable_referral()->set_receiving_institution(std::string(to));
    r.mutable_referral()->add_services(v1::REFERRAL_SERVICE_KIND_INVESTIGATION);
    r.mutable_referral()->set_note(kNote);
    *r.mutable_consent() = VictimConsent(scope);
    return r;
  }

  // Refers a new case from IEEPCO to `to` as the caseworker.
  static v1::Referral NewReferral(
      absl::string_view to = "FGEO",
      v1::SharingScope scope = v1::SHARING_SCOPE_CONTACT_ONLY) {
    v1::Referral created;
    grpc::Status s =
        Referrals(kCaseworker)
            ->CreateReferral(TestNode::Context().get(),
                             Request(NewCase(), to, scope), &created);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return created;
  }

  static grpc::Status Get(const Staff& who, const std::string& name,
                          v1::ReferralView view, v1::Referral* out,
                          absl::string_view rid = "") {
    v1::GetReferralRequest r;
    r.set_name(name);
    r.set_view(view);
    if (view == v1::REFERRAL_VIEW_FULL) {
      r.set_purpose(v1::ACCESS_PURPOSE_REFERRAL);
    }
    return Referrals(who)->GetReferral(TestNode::Context(rid).get(), r, out);
  }

  static std::vector<v1::AuditEntry> EntriesOf(absl::string_view rid) {
    return testing::AuditEntriesOf(*node_, rid);
  }

  // Every stored value of every table, opened with the node's key.
  static std::string DatabaseDump() {
    absl::StatusOr<std::unique_ptr<store::Database>> db = node_->OpenDatabase();
    EXPECT_TRUE(db.ok()) << db.status();
    if (!db.ok()) return "";
    std::string everything;
    absl::Status read = (*db)->Read([&](store::ReadTxn& txn) -> absl::Status {
      absl::StatusOr<store::Statement> tables =
          txn.Prepare("SELECT name FROM sqlite_master WHERE type = 'table'");
      if (!tables.ok()) return tables.status();
      std::vector<std::string> names;
      while (*tables->Step()) names.emplace_back(*tables->ColumnText(0));
      for (const std::string& table : names) {
        absl::StatusOr<store::Statement> rows =
            txn.Prepare(absl::StrCat("SELECT * FROM \"", table, "\""));
        if (!rows.ok()) return rows.status();
        while (*rows->Step()) {
          for (int c = 0; c < rows->ColumnCount(); ++c) {
            if (rows->ColumnIsNull(c)) continue;
            if (auto blob = rows->ColumnBlob(c); blob.ok()) {
              absl::StrAppend(&everything, *blob, "\n");
            } else if (auto text = rows->ColumnText(c); text.ok()) {
              absl::StrAppend(&everything, *text, "\n");
            }
          }
        }
      }
      return absl::OkStatus();
    });
    EXPECT_TRUE(read.ok()) << read;
    (*db)->Close().IgnoreError();
    return everything;
  }

  // The receiver's wrapped DEK of `referral` as stored ("" if none).
  static std::string ReceiverWrappedKey(const v1::Referral& referral) {
    absl::StatusOr<std::unique_ptr<store::Database>> db = node_->OpenDatabase();
    EXPECT_TRUE(db.ok()) << db.status();
    if (!db.ok()) return "";
    const std::string id =
        referral.name().substr(referral.name().rfind('/') + 1);
    std::string wrapped;
    absl::Status read = (*db)->Read([&](store::ReadTxn& txn) -> absl::Status {
      absl::StatusOr<store::Statement> q = txn.Prepare(
          "SELECT wrapped_dek FROM referral_keys WHERE referral_id = ?1 AND "
          "holder = ?2");
      if (!q.ok()) return q.status();
      (void)q->BindInt64(1, std::stoll(id));
      (void)q->BindText(2, referral.receiving_institution());
      if (*q->Step()) wrapped = std::string(*q->ColumnBlob(0));
      return absl::OkStatus();
    });
    EXPECT_TRUE(read.ok()) << read;
    (*db)->Close().IgnoreError();
    return wrapped;
  }

  // The receiver (FGEO's caseworker) reads `created` FULL; returns her
  // wrapped data key as stored ("" if the read failed or none is stored).
  static std::string ReceiverReadsFull(const v1::Referral& created) {
    v1::Referral out;
    grpc::Status s =
        Get(kFgeoCaseworker, created.name(), v1::REFERRAL_VIEW_FULL, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    if (!s.ok()) return "";
    return ReceiverWrappedKey(created);
  }

  // The receiver's copy of `created` is gone: her FULL read is
  // FAILED_PRECONDITION naming `why`, and `wrapped` is nowhere stored.
  static void ExpectReceiversCopyGone(const v1::Referral& created,
                                      const std::string& wrapped,
                                      absl::string_view why) {
    v1::Referral out;
    grpc::Status s =
        Get(kFgeoCaseworker, created.name(), v1::REFERRAL_VIEW_FULL, &out);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_THAT(s.error_message(), HasSubstr(why));
    EXPECT_EQ(ReceiverWrappedKey(created), "");
    EXPECT_THAT(DatabaseDump(), Not(HasSubstr(wrapped)));
  }

  static TestNode* node_;
};

TestNode* ReferralTest::node_ = nullptr;

TEST_F(ReferralTest, RefusesAReferralWithoutConsentAndAuditsIt) {
  v1::CreateReferralRequest r = Request(NewCase(), "FGEO");
  r.clear_consent();
  v1::Referral out;
  const std::string rid = absl::StrCat("noconsent-", RandomHex());
  grpc::Status s = Referrals(kCaseworker)
                       ->CreateReferral(TestNode::Context(rid).get(), r, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("consent is required"));
  std::vector<v1::AuditEntry> entries = EntriesOf(rid);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].outcome(), 9);  // FAILED_PRECONDITION
  EXPECT_EQ(entries[0].method(),
            "/resguardo.v1.ReferralService/CreateReferral");
  // Nothing was written: FGEO's inbox does not have it.
  v1::ListReferralsRequest list;
  list.set_parent("institutions/FGEO");
  list.set_box(v1::REFERRAL_BOX_INBOX);
  v1::ListReferralsResponse inbox;
  ASSERT_TRUE(Referrals(kFgeoCaseworker)
                  ->ListReferrals(TestNode::Context().get(), list, &inbox)
                  .ok());
  for (const v1::Referral& ref : inbox.referrals()) {
    EXPECT_NE(ref.case_(), r.referral().case_());
  }
}

TEST_F(ReferralTest, RejectsBadInputNamingTheFields) {
  v1::CreateReferralRequest r = Request(NewCase(), "FGEO");
  r.mutable_referral()->clear_services();
  r.mutable_consent()->clear_given_by();
  r.mutable_consent()->set_scope(v1::SHARING_SCOPE_UNSPECIFIED);
  v1::Referral out;
  grpc::Status s = Referrals(kCaseworker)
                       ->CreateReferral(TestNode::Context().get(), r, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::vector<std::string> fields = BadRequestFields(s);
  EXPECT_THAT(fields, Contains("referral.services"));
  EXPECT_THAT(fields, Contains("consent.given_by"));
  EXPECT_THAT(fields, Contains("consent.scope"));
  // How and when: a consent without its method, or dated in the future
  // (beyond clock skew), is not a consent.
  r = Request(NewCase(), "FGEO");
  r.mutable_consent()->clear_method();
  r.mutable_consent()->mutable_give_time()->set_seconds(
      absl::ToUnixSeconds(absl::Now() + absl::Hours(1)));
  s = Referrals(kCaseworker)
          ->CreateReferral(TestNode::Context().get(), r, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  fields = BadRequestFields(s);
  EXPECT_THAT(fields, Contains("consent.method"));
  EXPECT_THAT(fields, Contains("consent.give_time"));
  r = Request(NewCase(), "IEEPCO");
  s = Referrals(kCaseworker)
          ->CreateReferral(TestNode::Context().get(), r, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadRequestFields(s), Contains("referral.receiving_institution"));
}

TEST_F(ReferralTest, ReceiverReadsExactlyTheConsentedFields) {
  struct Expect {
    v1::SharingScope scope;
    bool narrative;
    bool everything;
  };
  for (Expect e : {Expect{v1::SHARING_SCOPE_CONTACT_ONLY, false, false},
                   Expect{v1::SHARING_SCOPE_CONTACT_AND_NARRATIVE, true, false},
                   Expect{v1::SHARING_SCOPE_FULL, true, true}}) {
    SCOPED_TRACE(v1::SharingScope_Name(e.scope));
    v1::Referral created = NewReferral("FGEO", e.scope);
    EXPECT_FALSE(created.has_shared_data());
    v1::Referral full;
    const std::string rid = absl::StrCat("full-", RandomHex());
    grpc::Status s = Get(kFgeoCaseworker, created.name(),
                         v1::REFERRAL_VIEW_FULL, &full, rid);
    ASSERT_TRUE(s.ok()) << s.error_message();
    const v1::CasePersonalData& d = full.shared_data();
    EXPECT_EQ(d.victim_name(), kVictim);
    EXPECT_EQ(d.contact_phone(), kPhone);
    EXPECT_EQ(d.contact_email(), kEmail);
    EXPECT_EQ(full.note(), kNote);
    EXPECT_EQ(d.narrative(), e.narrative ? kNarrative : "");
    EXPECT_EQ(d.victim_curp(), e.everything ? kCurp : "");
    EXPECT_EQ(d.address(), e.everything ? kAddress : "");
    EXPECT_EQ(d.evidence_notes(), e.everything ? kEvidence : "");
    EXPECT_EQ(d.aggressor_names_size(), e.everything ? 1 : 0);
    EXPECT_EQ(full.scope(), e.scope);
    std::vector<v1::AuditEntry> entries = EntriesOf(rid);
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].purpose(), v1::ACCESS_PURPOSE_REFERRAL);
    EXPECT_EQ(entries[0].resource(), created.name());
    EXPECT_EQ(entries[0].institution(), "FGEO");
  }
}

TEST_F(ReferralTest, TheSenderSeesDescriptorsOnlyAndOtherRolesNothing) {
  v1::Referral created = NewReferral();
  v1::Referral out;
  ASSERT_TRUE(
      Get(kCaseworker, created.name(), v1::REFERRAL_VIEW_BASIC, &out).ok());
  EXPECT_EQ(out.status(), v1::REFERRAL_STATUS_PENDING);
  EXPECT_FALSE(out.has_shared_data());
  EXPECT_EQ(Get(kCaseworker, created.name(), v1::REFERRAL_VIEW_FULL, &out)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  for (const Staff* s : {&kAnalyst, &kAuditor, &kAdmin}) {
    EXPECT_EQ(
        Get(*s, created.name(), v1::REFERRAL_VIEW_BASIC, &out).error_code(),
        grpc::StatusCode::PERMISSION_DENIED)
        << s->user;
  }
  // The receiver's registrar may see the inbox but not the shared data.
  EXPECT_EQ(Get(kFgeoRegistrar, created.name(), v1::REFERRAL_VIEW_FULL, &out)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(ReferralTest, AThirdInstitutionSeesNothing) {
  v1::Referral created = NewReferral();
  v1::Referral out;
  grpc::Status s =
      Get(kCjmCaseworker, created.name(), v1::REFERRAL_VIEW_BASIC, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  // Indistinguishable from a referral that does not exist.
  grpc::Status missing =
      Get(kCjmCaseworker, "institutions/IEEPCO/referrals/999999",
          v1::REFERRAL_VIEW_BASIC, &out);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(s.error_message(), missing.error_message());
  EXPECT_EQ(Get(kCjmCaseworker, created.name(), v1::REFERRAL_VIEW_FULL, &out)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::AcceptReferralRequest accept;
  accept.set_name(created.name());
  accept.set_etag(created.etag());
  EXPECT_EQ(Referrals(kCjmCaseworker)
                ->AcceptReferral(TestNode::Context().get(), accept, &out)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  v1::ListReferralsRequest list;
  list.set_parent("institutions/CJM");
  list.set_box(v1::REFERRAL_BOX_INBOX);
  v1::ListReferralsResponse inbox;
  ASSERT_TRUE(Referrals(kCjmCaseworker)
                  ->ListReferrals(TestNode::Context().get(), list, &inbox)
                  .ok());
  for (const v1::Referral& r : inbox.referrals()) {
    EXPECT_NE(r.name(), created.name());
  }
  // Nor another institution's inbox.
  list.set_parent("institutions/FGEO");
  EXPECT_EQ(Referrals(kCjmCaseworker)
                ->ListReferrals(TestNode::Context().get(), list, &inbox)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(ReferralTest, WithdrawalDestroysTheReceiversKey) {
  v1::Referral created = NewReferral();
  const std::string wrapped = ReceiverReadsFull(created);
  ASSERT_EQ(wrapped.size(), 65u);
  v1::Referral out;
  ASSERT_THAT(DatabaseDump(), HasSubstr(wrapped));

  v1::WithdrawReferralRequest withdraw;
  withdraw.set_name(created.name());
  withdraw.set_etag(created.etag());
  withdraw.set_reason(v1::REFERRAL_WITHDRAWAL_REASON_CONSENT_WITHDRAWN);
  const std::string rid = absl::StrCat("withdraw-", RandomHex());
  grpc::Status s =
      Referrals(kCaseworker)
          ->WithdrawReferral(TestNode::Context(rid).get(), withdraw, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.status(), v1::REFERRAL_STATUS_WITHDRAWN);
  EXPECT_TRUE(out.shared_data_destroyed());

  ExpectReceiversCopyGone(created, wrapped, "destroyed");
  // The referral itself remains (BASIC) for both sides.
  EXPECT_TRUE(
      Get(kFgeoCaseworker, created.name(), v1::REFERRAL_VIEW_BASIC, &out).ok());
  std::vector<v1::AuditEntry> entries = EntriesOf(rid);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].outcome(), 0);
  EXPECT_EQ(entries[0].resource(), created.name());
}

TEST_F(ReferralTest, ErasingTheCaseDestroysTheReceiversCopy) {
  v1::Referral created = NewReferral();
  const std::string wrapped = ReceiverReadsFull(created);
  ASSERT_EQ(wrapped.size(), 65u);
  v1::Referral out;

  auto cases = v1::CaseService::NewStub(Channel(kSupervisor));
  v1::GetCaseRequest get;
  get.set_name(created.case_());
  v1::Case c;
  ASSERT_TRUE(cases->GetCase(TestNode::Context().get(), get, &c).ok());
  v1::EraseCasePersonalDataRequest erase;
  erase.set_name(c.name());
  erase.set_etag(c.etag());
  erase.set_reason(v1::ERASURE_REASON_VICTIM_REQUEST);
  grpc::Status s =
      cases->EraseCasePersonalData(TestNode::Context().get(), erase, &c);
  ASSERT_TRUE(s.ok()) << s.error_message();

  ExpectReceiversCopyGone(created, wrapped, "erased");
  ASSERT_TRUE(
      Get(kFgeoCaseworker, created.name(), v1::REFERRAL_VIEW_BASIC, &out).ok());
  EXPECT_TRUE(out.shared_data_destroyed());
}

TEST_F(ReferralTest, TheReceiverRecordsOnlyTheVictimsWithdrawal) {
  v1::Referral created = NewReferral();
  v1::WithdrawReferralRequest withdraw;
  withdraw.set_name(created.name());
  withdraw.set_etag(created.etag());
  withdraw.set_reason(v1::REFERRAL_WITHDRAWAL_REASON_SENDER_DECISION);
  v1::Referral out;
  EXPECT_EQ(Referrals(kFgeoCaseworker)
                ->WithdrawReferral(TestNode::Context().get(), withdraw, &out)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  withdraw.set_reason(v1::REFERRAL_WITHDRAWAL_REASON_CONSENT_WITHDRAWN);
  grpc::Status s =
      Referrals(kFgeoCaseworker)
          ->WithdrawReferral(TestNode::Context().get(), withdraw, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(Get(kFgeoCaseworker, created.name(), v1::REFERRAL_VIEW_FULL, &out)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(ReferralTest, IllegalTransitionsAreRefused) {
  v1::Referral created = NewReferral();
  v1::Referral out;
  v1::CompleteReferralRequest complete;
  complete.set_name(created.name());
  complete.set_etag(created.etag());
  complete.set_outcome(v1::REFERRAL_OUTCOME_SERVICE_PROVIDED);
  grpc::Status s =
      Referrals(kFgeoCaseworker)
          ->CompleteReferral(TestNode::Context().get(), complete, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("PENDING cannot be completed"));

  v1::AcceptReferralRequest accept;
  accept.set_name(created.name());
  accept.set_etag(created.etag());
  // The sender may not accept its own referral.
  EXPECT_EQ(Referrals(kCaseworker)
                ->AcceptReferral(TestNode::Context().get(), accept, &out)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // Registrars may not accept at all.
  EXPECT_EQ(Referrals(kFgeoRegistrar)
                ->AcceptReferral(TestNode::Context().get(), accept, &out)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  const std::string rid = absl::StrCat("accept-", RandomHex());
  s = Referrals(kFgeoCaseworker)
          ->AcceptReferral(TestNode::Context(rid).get(), accept, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.status(), v1::REFERRAL_STATUS_ACCEPTED);
  EXPECT_EQ(EntriesOf(rid).size(), 1u);
  // The old etag is stale.
  EXPECT_EQ(Referrals(kFgeoCaseworker)
                ->AcceptReferral(TestNode::Context().get(), accept, &out)
                .error_code(),
            grpc::StatusCode::ABORTED);
  v1::Referral accepted;
  ASSERT_TRUE(
      Get(kFgeoCaseworker, created.name(), v1::REFERRAL_VIEW_BASIC, &accepted)
          .ok());
  accept.set_etag(accepted.etag());
  s = Referrals(kFgeoCaseworker)
          ->AcceptReferral(TestNode::Context().get(), accept, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  v1::RejectReferralRequest reject;
  reject.set_name(created.name());
  reject.set_etag(accepted.etag());
  reject.set_reason(v1::REFERRAL_REJECT_REASON_NO_CAPACITY);
  EXPECT_EQ(Referrals(kFgeoCaseworker)
                ->RejectReferral(TestNode::Context().get(), reject, &out)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  complete.set_etag(accepted.etag());
  s = Referrals(kFgeoCaseworker)
          ->CompleteReferral(TestNode::Context().get(), complete, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.status(), v1::REFERRAL_STATUS_COMPLETED);
  EXPECT_EQ(out.outcome(), v1::REFERRAL_OUTCOME_SERVICE_PROVIDED);
  v1::WithdrawReferralRequest withdraw;
  withdraw.set_name(created.name());
  withdraw.set_etag(out.etag());
  withdraw.set_reason(v1::REFERRAL_WITHDRAWAL_REASON_SENDER_DECISION);
  EXPECT_EQ(Referrals(kCaseworker)
                ->WithdrawReferral(TestNode::Context().get(), withdraw, &out)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  // The victim's withdrawal of consent still reaches a completed referral:
  // the receiver's copy goes.
  ASSERT_FALSE(ReceiverWrappedKey(created).empty());
  withdraw.set_reason(v1::REFERRAL_WITHDRAWAL_REASON_CONSENT_WITHDRAWN);
  s = Referrals(kCaseworker)
          ->WithdrawReferral(TestNode::Context().get(), withdraw, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.status(), v1::REFERRAL_STATUS_WITHDRAWN);
  EXPECT_TRUE(out.shared_data_destroyed());
  EXPECT_TRUE(ReceiverWrappedKey(created).empty());
  v1::Referral full;
  EXPECT_EQ(Get(kFgeoCaseworker, created.name(), v1::REFERRAL_VIEW_FULL, &full)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(ReferralTest, TheSenderSeesFollowUpDescriptorsNotTheReceiversNotes) {
  v1::Referral created = NewReferral();
  v1::AddReferralFollowUpRequest add;
  add.set_parent(created.name());
  add.mutable_follow_up()->set_kind(v1::FOLLOW_UP_KIND_CONTACT);
  add.mutable_follow_up()->mutable_occur_time()->set_seconds(
      absl::ToUnixSeconds(absl::Now()) - 60);
  add.mutable_follow_up()->set_notes("Nota canaria del fiscal");
  v1::ReferralFollowUp added;
  // Not before it is accepted.
  EXPECT_EQ(Referrals(kFgeoCaseworker)
                ->AddReferralFollowUp(TestNode::Context().get(), add, &added)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  v1::AcceptReferralRequest accept;
  accept.set_name(created.name());
  accept.set_etag(created.etag());
  v1::Referral accepted;
  ASSERT_TRUE(Referrals(kFgeoCaseworker)
                  ->AcceptReferral(TestNode::Context().get(), accept, &accepted)
                  .ok());
  // The sender records none.
  EXPECT_EQ(Referrals(kCaseworker)
                ->AddReferralFollowUp(TestNode::Context().get(), add, &added)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  grpc::Status s =
      Referrals(kFgeoCaseworker)
          ->AddReferralFollowUp(TestNode::Context().get(), add, &added);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(added.name(), absl::StrCat(created.name(), "/followUps/1"));
  v1::ListReferralFollowUpsRequest list;
  list.set_parent(created.name());
  v1::ListReferralFollowUpsResponse seen;
  ASSERT_TRUE(
      Referrals(kCaseworker)
          ->ListReferralFollowUps(TestNode::Context().get(), list, &seen)
          .ok());
  ASSERT_EQ(seen.follow_ups_size(), 1);
  EXPECT_EQ(seen.follow_ups(0).kind(), v1::FOLLOW_UP_KIND_CONTACT);
  EXPECT_EQ(seen.follow_ups(0).author(), "institutions/FGEO/users/fgeo.cw");
  EXPECT_EQ(seen.follow_ups(0).notes(), "");
  list.set_purpose(v1::ACCESS_PURPOSE_CASE_FOLLOW_UP);
  EXPECT_EQ(Referrals(kCaseworker)
                ->ListReferralFollowUps(TestNode::Context().get(), list, &seen)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(
      Referrals(kFgeoCaseworker)
          ->ListReferralFollowUps(TestNode::Context().get(), list, &seen)
          .ok());
  ASSERT_EQ(seen.follow_ups_size(), 1);
  EXPECT_EQ(seen.follow_ups(0).notes(), "Nota canaria del fiscal");
  EXPECT_THAT(DatabaseDump(), Not(HasSubstr("Nota canaria del fiscal")));
  EXPECT_EQ(Referrals(kCjmCaseworker)
                ->ListReferralFollowUps(TestNode::Context().get(), list, &seen)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(ReferralTest, RejectionNeedsAReasonCode) {
  v1::Referral created = NewReferral("CJM");
  v1::RejectReferralRequest reject;
  reject.set_name(created.name());
  reject.set_etag(created.etag());
  v1::Referral out;
  grpc::Status s =
      Referrals(kCjmCaseworker)
          ->RejectReferral(TestNode::Context().get(), reject, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadRequestFields(s), Contains("reason"));
  reject.set_reason(v1::REFERRAL_REJECT_REASON_OUT_OF_COMPETENCE);
  s = Referrals(kCjmCaseworker)
          ->RejectReferral(TestNode::Context().get(), reject, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.status(), v1::REFERRAL_STATUS_REJECTED);
  EXPECT_EQ(out.reject_reason(), v1::REFERRAL_REJECT_REASON_OUT_OF_COMPETENCE);
  // Declined: the receiver's copy is gone.
  EXPECT_TRUE(out.shared_data_destroyed());
  EXPECT_EQ(ReceiverWrappedKey(created), "");
  EXPECT_EQ(Get(kCjmCaseworker, created.name(), v1::REFERRAL_VIEW_FULL, &out)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(ReferralTest, RiskOverrideIsForSupervisorsAndAuditedAsOverride) {
  v1::Case high = NewCase(v1::RISK_LEVEL_CRITICAL);
  v1::CreateReferralRequest r = Request(high, "FGEO");
  r.clear_consent();
  r.mutable_risk_override()->set_reason(kOverrideReason);
  r.mutable_risk_override()->set_scope(v1::SHARING_SCOPE_CONTACT_ONLY);
  v1::Referral out;
  EXPECT_EQ(Referrals(kCaseworker)
                ->CreateReferral(TestNode::Context().get(), r, &out)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // Not for a case below HIGH risk.
  v1::CreateReferralRequest low = r;
  low.mutable_referral()->set_case_(NewCase(v1::RISK_LEVEL_LOW).name());
  EXPECT_EQ(Referrals(kSupervisor)
                ->CreateReferral(TestNode::Context().get(), low, &out)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  const std::string rid = absl::StrCat("override-", RandomHex());
  grpc::Status s = Referrals(kSupervisor)
                       ->CreateReferral(TestNode::Context(rid).get(), r, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_TRUE(out.risk_override());
  EXPECT_FALSE(out.has_consent());
  std::vector<v1::AuditEntry> entries = EntriesOf(rid);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].note(), "override:imminent-risk");
  EXPECT_EQ(entries[0].resource(), out.name());
  // The reason is sealed: in no audit entry, no log line, no stored
  // plaintext.
  absl::StatusOr<std::vector<v1::AuditEntry>> all = node_->AuditEntries();
  ASSERT_TRUE(all.ok());
  for (const v1::AuditEntry& e : *all) {
    EXPECT_THAT(e.DebugString(), Not(HasSubstr("canario"))) << e.index();
  }
  EXPECT_THAT(DatabaseDump(), Not(HasSubstr(kOverrideReason)));
  // Protection for a CRITICAL case: the 4-hour deadline rule.
  EXPECT_LE(out.accept_deadline().seconds() - out.create_time().seconds(),
            24 * 3600);
}

TEST_F(ReferralTest, ProtectionForHighRiskGetsTheShortDeadline) {
  v1::CreateReferralRequest r = Request(NewCase(v1::RISK_LEVEL_HIGH), "CJM");
  r.mutable_referral()->add_services(v1::REFERRAL_SERVICE_KIND_PROTECTION);
  v1::Referral out;
  ASSERT_TRUE(Referrals(kCaseworker)
                  ->CreateReferral(TestNode::Context().get(), r, &out)
                  .ok());
  EXPECT_EQ(out.accept_deadline().seconds() - out.create_time().seconds(),
            4 * 3600);
  v1::Referral plain = NewReferral("CJM");
  EXPECT_EQ(plain.accept_deadline().seconds() - plain.create_time().seconds(),
            24 * 3600);
}

TEST_F(ReferralTest, InboxAndOutboxPage) {
  std::vector<std::string> names;
  for (int i = 0; i < 3; ++i) names.push_back(NewReferral("CJM").name());
  v1::ListReferralsRequest list;
  list.set_parent("institutions/CJM");
  list.set_box(v1::REFERRAL_BOX_INBOX);
  list.set_page_size(2);
  list.add_statuses(v1::REFERRAL_STATUS_PENDING);
  v1::ListReferralsResponse page;
  ASSERT_TRUE(Referrals(kCjmCaseworker)
                  ->ListReferrals(TestNode::Context().get(), list, &page)
                  .ok());
  ASSERT_EQ(page.referrals_size(), 2);
  EXPECT_EQ(page.referrals(0).name(), names[2]);  // newest first
  EXPECT_EQ(page.referrals(1).name(), names[1]);
  ASSERT_FALSE(page.next_page_token().empty());
  list.set_page_token(page.next_page_token());
  v1::ListReferralsResponse next;
  ASSERT_TRUE(Referrals(kCjmCaseworker)
                  ->ListReferrals(TestNode::Context().get(), list, &next)
                  .ok());
  ASSERT_GE(next.referrals_size(), 1);
  EXPECT_EQ(next.referrals(0).name(), names[0]);
  // A token is bound to its filters.
  list.clear_statuses();
  EXPECT_EQ(Referrals(kCjmCaseworker)
                ->ListReferrals(TestNode::Context().get(), list, &next)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  v1::ListReferralsRequest outbox;
  outbox.set_parent("institutions/IEEPCO");
  outbox.set_box(v1::REFERRAL_BOX_OUTBOX);
  outbox.set_page_size(3);
  outbox.add_services(v1::REFERRAL_SERVICE_KIND_INVESTIGATION);
  ASSERT_TRUE(Referrals(kCaseworker)
                  ->ListReferrals(TestNode::Context().get(), outbox, &page)
                  .ok());
  ASSERT_EQ(page.referrals_size(), 3);
  EXPECT_EQ(page.referrals(0).name(), names[2]);
  // Nothing is overdue on a fresh node.
  list.clear_page_token();
  list.set_overdue_only(true);
  ASSERT_TRUE(Referrals(kCjmCaseworker)
                  ->ListReferrals(TestNode::Context().get(), list, &page)
                  .ok());
  EXPECT_EQ(page.referrals_size(), 0);
}

// Reads alerts from `reader` until `n` arrived (or the stream ended).
std::vector<v1::Alert> ReadAlerts(grpc::ClientReader<v1::Alert>& reader,
                                  int n) {
  std::vector<v1::Alert> out;
  v1::Alert alert;
  while (static_cast<int>(out.size()) < n && reader.Read(&alert)) {
    out.push_back(alert);
  }
  return out;
}

TEST_F(ReferralTest, WatchAlertsResumesWithoutLosingOrRepeating) {
  // A dedicated receiver so that other tests' referrals do not interleave.
  const std::string inst = "SHELTER";
  const Staff shelter_admin{inst, "sh.admin", v1::ROLE_ADMIN};
  const Staff watcher{"SHELTER", "sh.cw", v1::ROLE_CASEWORKER};
  {
    absl::Status institution = testing::CreateInstitutions(
        *node_,
        {{inst, v1::INSTITUTION_KIND_SERVICE_PROVIDER, "Refugio", "20"}});
    ASSERT_TRUE(institution.ok()) << institution;
    absl::Status certs =
        testing::IssueClientCerts(*node_, {&shelter_admin, &watcher});
    ASSERT_TRUE(certs.ok()) << certs;
    absl::Status users =
        testing::CreateUsers(*node_, {&shelter_admin, &watcher});
    ASSERT_TRUE(users.ok()) << users;
  }
  v1::WatchAlertsRequest watch;
  watch.set_parent("institutions/SHELTER");

  std::vector<std::string> referred;
  std::string token;
  const std::string rid = absl::StrCat("watch-", RandomHex());
  {
    auto context = TestNode::Context(rid);
    auto reader = Referrals(watcher)->WatchAlerts(context.get(), watch);
    reader->WaitForInitialMetadata();
    for (int i = 0; i < 2; ++i) referred.push_back(NewReferral(inst).name());
    std::vector<v1::Alert> got = ReadAlerts(*reader, 2);
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].kind(), v1::ALERT_KIND_NEW_REFERRAL);
    EXPECT_EQ(got[0].resource(), referred[0]);
    EXPECT_EQ(got[1].resource(), referred[1]);
    EXPECT_EQ(got[1].sequence(), got[0].sequence() + 1);
    token = got[1].resume_token();
    context->TryCancel();
    grpc::Status end = reader->Finish();
    EXPECT_EQ(end.error_code(), grpc::StatusCode::CANCELLED);
  }
  // The stream's start was audited.
  std::vector<v1::AuditEntry> started = EntriesOf(rid);
  ASSERT_EQ(started.size(), 1u);
  EXPECT_EQ(started[0].method(), "/resguardo.v1.ReferralService/WatchAlerts");
  EXPECT_EQ(started[0].outcome(), 0);

  // While disconnected: two more.
  for (int i = 0; i < 2; ++i) referred.push_back(NewReferral(inst).name());
  {
    watch.set_resume_token(token);
    auto context = TestNode::Context();
    auto reader = Referrals(watcher)->WatchAlerts(context.get(), watch);
    std::vector<v1::Alert> got = ReadAlerts(*reader, 2);
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].resource(), referred[2]);
    EXPECT_EQ(got[1].resource(), referred[3]);
    // And one raised while connected: next, not a repeat.
    referred.push_back(NewReferral(inst).name());
    got = ReadAlerts(*reader, 1);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].resource(), referred[4]);
    context->TryCancel();
    reader->Finish();
  }
  // Another institution's token is refused; another institution's stream
  // is refused.
  watch.set_resume_token(token);
  watch.set_parent("institutions/SHELTER");
  {
    auto context = TestNode::Context();
    auto reader = Referrals(kFgeoCaseworker)->WatchAlerts(context.get(), watch);
    v1::Alert alert;
    EXPECT_FALSE(reader->Read(&alert));
    EXPECT_EQ(reader->Finish().error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
  watch.set_parent("institutions/FGEO");
  {
    auto context = TestNode::Context();
    auto reader = Referrals(kFgeoCaseworker)->WatchAlerts(context.get(), watch);
    v1::Alert alert;
    EXPECT_FALSE(reader->Read(&alert));
    grpc::Status end = reader->Finish();
    EXPECT_EQ(end.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(BadRequestFields(end), Contains("resume_token"));
  }
  // Analysts never watch.
  {
    auto context = TestNode::Context();
    watch.clear_resume_token();
    watch.set_parent("institutions/IEEPCO");
    auto reader = Referrals(kAnalyst)->WatchAlerts(context.get(), watch);
    v1::Alert alert;
    EXPECT_FALSE(reader->Read(&alert));
    EXPECT_EQ(reader->Finish().error_code(),
              grpc::StatusCode::PERMISSION_DENIED);
  }
}

TEST_F(ReferralTest, EveryRoleRefusalIsPermissionDeniedAndAudited) {
  // Each method called with an empty request by every role the table does
  // not allow: refused before any validation, and audited.
  using Invoke = std::function<grpc::Status(v1::ReferralService::Stub&,
                                            grpc::ClientContext*)>;
  const std::map<std::string, Invoke> methods = {
      {"CreateReferral",
       [](auto& s, auto* c) {
         v1::Referral r;
         return s.CreateReferral(c, {}, &r);
       }},
      {"GetReferral",
       [](auto& s, auto* c) {
         v1::Referral r;
         return s.GetReferral(c, {}, &r);
       }},
      {"ListReferrals",
       [](auto& s, auto* c) {
         v1::ListReferralsResponse r;
         return s.ListReferrals(c, {}, &r);
       }},
      {"AcceptReferral",
       [](auto& s, auto* c) {
         v1::Referral r;
         return s.AcceptReferral(c, {}, &r);
       }},
      {"RejectReferral",
       [](auto& s, auto* c) {
         v1::Referral r;
         return s.RejectReferral(c, {}, &r);
       }},
      {"CompleteReferral",
       [](auto& s, auto* c) {
         v1::Referral r;
         return s.CompleteReferral(c, {}, &r);
       }},
      {"WithdrawReferral",
       [](auto& s, auto* c) {
         v1::Referral r;
         return s.WithdrawReferral(c, {}, &r);
       }},
      {"WatchAlerts",
       [](auto& s, auto* c) {
         auto reader = s.WatchAlerts(c, {});
         v1::Alert alert;
         while (reader->Read(&alert)) {
         }
         return reader->Finish();
       }},
  };
  std::map<std::string, std::string> refused;  // request id -> method
  for (const Staff* staff :
       {&kRegistrar, &kCaseworker, &kSupervisor, &kAnalyst, &kAuditor, &kAdmin,
        &kFgeoAdmin, &kFgeoRegistrar}) {
    auto stub = Referrals(*staff);
    for (const auto& [name, invoke] : methods) {
      const std::string method =
          absl::StrCat("/resguardo.v1.ReferralService/", name);
      if (auth::AccessPolicy::Default().RolesFor(method).count(staff->role)) {
        continue;
      }
      const std::string rid = absl::StrCat("deny-", RandomHex());
      grpc::Status s = invoke(*stub, TestNode::Context(rid).get());
      EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED)
          << staff->user << " " << method;
      refused[rid] = method;
    }
  }
  // 8 methods x (analyst, auditor, two admins) + the two registrars'
  // accept, reject, complete, withdraw and watch (5 each).
  EXPECT_EQ(refused.size(), 8u * 4 + 5 * 2);
  absl::StatusOr<std::vector<v1::AuditEntry>> entries = node_->AuditEntries();
  ASSERT_TRUE(entries.ok());
  std::map<std::string, v1::AuditEntry> by_id;
  for (const v1::AuditEntry& e : *entries) by_id[e.request_id()] = e;
  for (const auto& [rid, method] : refused) {
    auto it = by_id.find(rid);
    ASSERT_NE(it, by_id.end()) << method << " refusal not audited";
    EXPECT_EQ(it->second.outcome(), 7) << method;
    EXPECT_EQ(it->second.method(), method);
    EXPECT_EQ(it->second.note(), "denied:role");
  }
}

TEST_F(ReferralTest, NoPersonalDataInLogsOrAudit) {
  // Every canary goes in here, whatever other tests ran before: a FULL
  // referral with a note, and a supervisor's override with its reason.
  NewReferral("FGEO", v1::SHARING_SCOPE_FULL);
  v1::CreateReferralRequest r =
      Request(NewCase(v1::RISK_LEVEL_CRITICAL), "FGEO");
  r.clear_consent();
  r.mutable_risk_override()->set_reason(kOverrideReason);
  r.mutable_risk_override()->set_scope(v1::SHARING_SCOPE_CONTACT_ONLY);
  v1::Referral overridden;
  grpc::Status s =
      Referrals(kSupervisor)
          ->CreateReferral(TestNode::Context().get(), r, &overridden);
  ASSERT_TRUE(s.ok()) << s.error_message();
  const std::string log = node_->LogText();
  absl::StatusOr<std::vector<v1::AuditEntry>> all = node_->AuditEntries();
  ASSERT_TRUE(all.ok());
  std::string audit;
  for (const v1::AuditEntry& e : *all) absl::StrAppend(&audit, e.DebugString());
  for (const char* canary : {kVictim, kCurp, kPhone, kEmail, kAddress,
                             kNarrative, kNote, kOverrideReason}) {
    EXPECT_THAT(log, Not(HasSubstr(canary)));
    EXPECT_THAT(audit, Not(HasSubstr(canary)));
  }
}

// A receiving institution of its own with one caseworker, so that other
// tests' referrals do not interleave with its alerts. Returns the
// caseworker's User (for its etag).
std::string AdminOf(const std::string& inst) {
  return absl::StrCat(absl::AsciiStrToLower(inst), ".admin");
}

v1::User NewReceiver(TestNode& node, const std::string& inst,
                     const std::string& user) {
  const Staff admin{inst, AdminOf(inst), v1::ROLE_ADMIN};
  const Staff caseworker{inst, user, v1::ROLE_CASEWORKER};
  absl::Status institution = testing::CreateInstitutions(
      node, {{inst, v1::INSTITUTION_KIND_SERVICE_PROVIDER, inst, "20"}});
  EXPECT_TRUE(institution.ok()) << institution;
  EXPECT_TRUE(node.IssueClientCert(inst, admin.user).ok());
  EXPECT_TRUE(node.IssueClientCert(inst, user).ok());
  v1::User made;
  EXPECT_TRUE(
      testing::CreateUser(node, *testing::CreatorOf(admin, {}), admin, &made)
          .ok());
  grpc::Status s = testing::CreateUser(node, admin, caseworker, &made);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return made;
}

// How many WatchAlerts starts of `inst`/`user` the audit log holds.
int WatchStarts(const TestNode& node, const std::string& inst,
                const std::string& user) {
  absl::StatusOr<std::vector<v1::AuditEntry>> all = node.AuditEntries();
  EXPECT_TRUE(all.ok()) << all.status();
  int n = 0;
  if (!all.ok()) return 0;
  for (const v1::AuditEntry& e : *all) {
    if (e.method() == "/resguardo.v1.ReferralService/WatchAlerts" &&
        e.outcome() == 0 &&
        e.actor() == absl::StrCat("institutions/", inst, "/users/", user)) {
      ++n;
    }
  }
  return n;
}

bool WaitFor(const std::function<bool()>& done,
             absl::Duration limit = absl::Seconds(30)) {
  const absl::Time end = absl::Now() + limit;
  while (absl::Now() < end) {
    if (done()) return true;
    absl::SleepFor(absl::Milliseconds(100));
  }
  return done();
}

// The CLI as a child process whose stdout and stderr the test reads.
class CliProcess {
 public:
  explicit CliProcess(const std::vector<std::string>& argv) {
    int out[2], err[2];
    if (pipe(out) != 0 || pipe(err) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      dup2(err[1], STDERR_FILENO);
      close(out[0]);
      close(err[0]);
      std::vector<char*> args;
      for (const std::string& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      execv(args[0], args.data());
      _exit(127);
    }
    close(out[1]);
    close(err[1]);
    out_ = out[0];
    err_ = err[0];
    fcntl(out_, F_SETFL, O_NONBLOCK);
    fcntl(err_, F_SETFL, O_NONBLOCK);
  }
  ~CliProcess() {
    if (pid_ > 0 && !reaped_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (out_ >= 0) close(out_);
    if (err_ >= 0) close(err_);
  }
  bool started() const { return pid_ > 0; }
  // Everything written so far.
  const std::string& Out() {
    Drain();
    return out_text_;
  }
  const std::string& Err() {
    Drain();
    return err_text_;
  }
  // Sends `sig` and waits (up to 20 s) for the exit; the exit code, or
  // -signal, or -1000 if it did not end.
  int SignalAndWait(int sig) {
    kill(pid_, sig);
    const absl::Time end = absl::Now() + absl::Seconds(20);
    int status = 0;
    while (absl::Now() < end) {
      Drain();
      pid_t got = waitpid(pid_, &status, WNOHANG);
      if (got == pid_) {
        reaped_ = true;
        Drain();
        if (WIFEXITED(status)) return WEXITSTATUS(status);
        return -WTERMSIG(status);
      }
      absl::SleepFor(absl::Milliseconds(50));
    }
    return -1000;
  }

 private:
  void Drain() {
    char buf[4096];
    for (auto [fd, text] :
         {std::make_pair(out_, &out_text_), std::make_pair(err_, &err_text_)}) {
      while (fd >= 0) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0) break;
        text->append(buf, n);
      }
    }
  }
  pid_t pid_ = -1;
  bool reaped_ = false;
  int out_ = -1, err_ = -1;
  std::string out_text_, err_text_;
};

int Occurrences(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos;
       at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

TEST_F(ReferralTest, CliAlertsWatchPrintsResumesAfterRestartAndExitsOnSigint) {
  const std::string inst = "REFUGIOCLI";
  const std::string user = "rc.cw";
  NewReceiver(*node_, inst, user);
  for (bool json : {false, true}) {
    SCOPED_TRACE(json ? "--json" : "text");
    std::vector<std::string> argv =
        testing::CliCommand(*node_, inst, user, json ? "en" : "es");
    argv.push_back("alerts");
    argv.push_back("watch");
    if (json) argv.push_back("--json");
    const int starts = WatchStarts(*node_, inst, user);
    CliProcess cli(argv);
    ASSERT_TRUE(cli.started());
    // Once its start is audited, the stream delivers what is raised next.
    ASSERT_TRUE(WaitFor([&] {
      return WatchStarts(*node_, inst, user) > starts;
    })) << cli.Err();
    const std::string first = NewReferral(inst).name();
    ASSERT_TRUE(WaitFor([&] {
      return cli.Out().find(first) != std::string::npos;
    })) << cli.Out()
        << cli.Err();
    if (json) {
      EXPECT_THAT(cli.Out(), HasSubstr("\"resumeToken\""));
      EXPECT_THAT(cli.Out(), HasSubstr("ALERT_KIND_NEW_REFERRAL"));
    } else {
      // The kind's label in the chosen language.
      EXPECT_THAT(cli.Out(), Not(HasSubstr("ALERT_KIND")));
    }

    if (json) {
      // The node restarts: the CLI reconnects with the token of the last
      // alert it printed. A referral raised while it is away arrives once,
      // and the first is not printed again.
      absl::StatusOr<int> stopped = node_->Stop();
      ASSERT_TRUE(stopped.ok());
      EXPECT_EQ(*stopped, 0);
      absl::Status restarted = node_->Start();
      ASSERT_TRUE(restarted.ok()) << restarted;
      const std::string second = NewReferral(inst).name();
      const bool resumed_not_live =
          WatchStarts(*node_, inst, user) == starts + 1;
      ASSERT_TRUE(WaitFor([&] {
        return cli.Out().find(second) != std::string::npos;
      })) << cli.Out()
          << cli.Err();
      // Without the token it would have started after `second` and lost it
      // (when it reconnected after `second` was raised).
      if (!resumed_not_live) {
        GTEST_LOG_(INFO) << "the CLI reconnected before the second referral";
      }
      absl::SleepFor(absl::Seconds(1));  // a repeat would arrive by now
      EXPECT_EQ(Occurrences(cli.Out(), first), 1) << cli.Out();
      EXPECT_EQ(Occurrences(cli.Out(), second), 1) << cli.Out();
      EXPECT_EQ(WatchStarts(*node_, inst, user), starts + 2);
    } else {
      EXPECT_EQ(Occurrences(cli.Out(), first), 1) << cli.Out();
    }
    // Ctrl-C ends it cleanly with 0 (documented in clients/cli/README.md).
    EXPECT_EQ(cli.SignalAndWait(SIGINT), 0) << cli.Err();
    // Alerts name the referral only: no personal data reaches the screen.
    for (const char* canary : {kVictim, kCurp, kPhone, kNote}) {
      EXPECT_THAT(cli.Out(), Not(HasSubstr(canary)));
      EXPECT_THAT(cli.Err(), Not(HasSubstr(canary)));
    }
  }
}

TEST_F(ReferralTest, WatchAlertsEndsWhenItsUserLosesHerRoleOrIsDisabled) {
  const std::string inst = "REFUGIOROL";
  for (bool disable : {false, true}) {
    SCOPED_TRACE(disable ? "disabled" : "role removed");
    const std::string user = disable ? "ro.cw2" : "ro.cw1";
    v1::User made;
    if (!disable) {
      made = NewReceiver(*node_, inst, user);
    }
    // The institution's admin (her certificate issued by NewReceiver).
    auto admin = v1::AdminService::NewStub(node_->Channel(inst, AdminOf(inst)));
    if (disable) {
      ASSERT_TRUE(node_->IssueClientCert(inst, user).ok());
      ASSERT_TRUE(testing::CreateUser(*node_,
                                      {inst, AdminOf(inst), v1::ROLE_ADMIN},
                                      {inst, user, v1::ROLE_CASEWORKER}, &made)
                      .ok());
    }
    const std::string rid = absl::StrCat("watch-revoked-", RandomHex());
    v1::WatchAlertsRequest watch;
    watch.set_parent(absl::StrCat("institutions/", inst));
    grpc::ClientContext context;
    context.AddMetadata("x-request-id", rid);
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(30));
    auto reader = v1::ReferralService::NewStub(node_->Channel(inst, user))
                      ->WatchAlerts(&context, watch);
    reader->WaitForInitialMetadata();
    const std::string before = NewReferral(inst).name();
    v1::Alert alert;
    ASSERT_TRUE(reader->Read(&alert));
    EXPECT_EQ(alert.resource(), before);

    v1::User changed;
    if (disable) {
      v1::DisableUserRequest r;
      r.set_name(made.name());
      r.set_etag(made.etag());
      grpc::Status s =
          admin->DisableUser(TestNode::Context().get(), r, &changed);
      ASSERT_TRUE(s.ok()) << s.error_message();
    } else {
      v1::SetUserRolesRequest r;
      r.set_name(made.name());
      r.set_etag(made.etag());
      r.add_roles(v1::ROLE_ANALYST);  // analysts never watch alerts
      grpc::Status s =
          admin->SetUserRoles(TestNode::Context().get(), r, &changed);
      ASSERT_TRUE(s.ok()) << s.error_message();
    }
    // What is raised afterwards never reaches her: the stream ends.
    const std::string after = NewReferral(inst).name();
    while (reader->Read(&alert)) {
      EXPECT_NE(alert.resource(), after);
    }
    grpc::Status end = reader->Finish();
    EXPECT_EQ(end.error_code(), grpc::StatusCode::PERMISSION_DENIED)
        << end.error_message();
    // Audited like any refusal, under the stream's request id.
    std::vector<v1::AuditEntry> entries = EntriesOf(rid);
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[0].outcome(), 0);
    EXPECT_EQ(entries[1].outcome(),
              static_cast<int>(grpc::StatusCode::PERMISSION_DENIED));
    EXPECT_EQ(entries[1].note(),
              disable ? "denied:user-disabled" : "denied:role");
    EXPECT_EQ(entries[1].actor(),
              absl::StrCat("institutions/", inst, "/users/", user));
  }
}

}  // namespace
}  // namespace resguardo
