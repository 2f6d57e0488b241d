// What the clients need from the API (issue 15; issue 16's measure status)
// through the real resguardod, real mTLS with the test PKI and a real
// SQLCipher file, over gRPC and over the HTTPS JSON listener (`curl`), and
// through the real `resguardo` binary: GetCurrentUser, ListAlerts with the
// resume token WatchAlerts continues from, Case.allowed_next_statuses (the
// rules UpdateCase, CloseCase and ReopenCase enforce) and
// SetProtectionMeasureStatus. Every refusal is shown: another institution's
// case, a role without the method, a stale etag, a bad field.
#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/types/span.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "resguardo/v1/admin_service.grpc.pb.h"
#include "resguardo/v1/case_service.grpc.pb.h"
#include "resguardo/v1/referral_service.grpc.pb.h"
#include "tests/testing/case_requests.h"
#include "tests/testing/https_client.h"
#include "tests/testing/test_deployment.h"
#include "tests/testing/test_node.h"

namespace resguardo {
namespace {

using ::resguardo::testing::AuditEntriesOf;
using ::resguardo::testing::BadRequestFields;
using ::resguardo::testing::ConnectCall;
using ::resguardo::testing::DaysAgo;
using ::resguardo::testing::HttpsAnswer;
using ::resguardo::testing::InstitutionSpec;
using ::resguardo::testing::RandomHex;
using ::resguardo::testing::Staff;
using ::resguardo::testing::TestNode;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

constexpr char kVictim[] = "CANARIO-CLIENTES-7731";

const Staff kAdmin{"IEEPCO", "admin", v1::ROLE_ADMIN};
const Staff kRegistrar{"IEEPCO", "reg", v1::ROLE_REGISTRAR};
const Staff kCaseworker{"IEEPCO", "cw", v1::ROLE_CASEWORKER};
const Staff kSupervisor{"IEEPCO", "sup", v1::ROLE_SUPERVISOR};
const Staff kFgeoAdmin{"FGEO", "fgeo.admin", v1::ROLE_ADMIN};
const Staff kFgeoCaseworker{"FGEO", "fgeo.cw", v1::ROLE_CASEWORKER};
const Staff kObsAdmin{"OBS", "obs.admin", v1::ROLE_ADMIN};
const Staff kObsAnalyst{"OBS", "obs.ana", v1::ROLE_ANALYST};
const Staff* const kEveryone[] = {&kAdmin,      &kRegistrar, &kCaseworker,
                                  &kSupervisor, &kFgeoAdmin, &kFgeoCaseworker,
                                  &kObsAdmin,   &kObsAnalyst};

class ClientApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    testing::TestNodeOptions options;
    options.web = true;
    absl::StatusOr<std::unique_ptr<TestNode>> node = TestNode::Create(options);
    ASSERT_TRUE(node.ok()) << node.status();
    node_ = node->release();
    ASSERT_TRUE(testing::IssueClientCerts(
                    *node_, absl::MakeConstSpan(kEveryone).subspan(1))
                    .ok());
    ASSERT_TRUE(node_->Start().ok());
    const InstitutionSpec institutions[] = {
        {"FGEO", v1::INSTITUTION_KIND_PROSECUTOR, "Fiscalía", "20"},
        {"OBS", v1::INSTITUTION_KIND_OVERSIGHT, "Observatorio", ""}};
    absl::Status made = testing::CreateInstitutions(*node_, institutions);
    ASSERT_TRUE(made.ok()) << made;
    absl::Status users =
        testing::CreateUsers(*node_, absl::MakeConstSpan(kEveryone).subspan(1));
    ASSERT_TRUE(users.ok()) << users;
  }
  static void TearDownTestSuite() {
    delete node_;
    node_ = nullptr;
  }
  void SetUp() override {
    if (node_ == nullptr) GTEST_SKIP() << "the node did not start";
  }

  static std::shared_ptr<grpc::Channel> Channel(const Staff& s) {
    return node_->Channel(s.institution, s.user);
  }
  static std::unique_ptr<v1::CaseService::Stub> Cases(const Staff& s) {
    return v1::CaseService::NewStub(Channel(s));
  }
  static std::unique_ptr<v1::ReferralService::Stub> Referrals(const Staff& s) {
    return v1::ReferralService::NewStub(Channel(s));
  }

  static v1::Case NewCase() {
    v1::CreateCaseRequest r =
        testing::NewCaseRequest(3, v1::RISK_LEVEL_MEDIUM, kVictim, "");
    // This suite's case has no violence type.
    r.mutable_case_record()->mutable_descriptors()->clear_violence_types();
    v1::Case created;
    grpc::Status s =
        Cases(kRegistrar)->CreateCase(TestNode::Context().get(), r, &created);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return created;
  }

  // A new case referred to FGEO: one NEW_REFERRAL alert for FGEO.
  static v1::Referral NewReferral() {
    v1::CreateReferralRequest r;
    r.mutable_referral()->set_case_(NewCase().name());
    r.mutable_referral()->set_receiving_institution("FGEO");
    r.mutable_referral()->add_services(v1::REFERRAL_SERVICE_KIND_LEGAL);
    r.mutable_consent()->set_given_by(v1::CONSENT_GIVER_VICTIM);
    r.mutable_consent()->set_method(v1::CONSENT_METHOD_IN_WRITING);
    r.mutable_consent()->mutable_give_time()->set_seconds(
        absl::ToUnixSeconds(absl::Now()) - 600);
    r.mutable_consent()->set_scope(v1::SHARING_SCOPE_CONTACT_ONLY);
    v1::Referral created;
    grpc::Status s =
        Referrals(kCaseworker)
            ->CreateReferral(TestNode::Context().get(), r, &created);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return created;
  }

  static v1::Case Get(const Staff& s, const std::string& name) {
    v1::GetCaseRequest r;
    r.set_name(name);
    v1::Case c;
    grpc::Status status = Cases(s)->GetCase(TestNode::Context().get(), r, &c);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return c;
  }

  static v1::ProtectionMeasure AddMeasure(const v1::Case& c,
                                          v1::ProtectionMeasureStatus status,
                                          bool with_expiry) {
    v1::AddProtectionMeasureRequest r;
    r.set_parent(c.name());
    auto* m = r.mutable_protection_measure();
    m->set_type(v1::PROTECTION_MEASURE_TYPE_PROTECTION_ORDER);
    m->set_status(status);
    m->set_issuing_authority("Juzgado");
    *m->mutable_issue_date() = DaysAgo(2);
    if (with_expiry) *m->mutable_expiry_date() = DaysAgo(-30);
    v1::ProtectionMeasure added;
    grpc::Status s =
        Cases(kCaseworker)
            ->AddProtectionMeasure(TestNode::Context().get(), r, &added);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return added;
  }

  static grpc::Status SetMeasure(const Staff& s,
                                 const v1::SetProtectionMeasureStatusRequest& r,
                                 v1::Case* out, const std::string& rid = "") {
    return Cases(s)->SetProtectionMeasureStatus(TestNode::Context(rid).get(), r,
                                                out);
  }

  static int Cli(const Staff& s, const std::vector<std::string>& args,
                 std::string* out, const std::string& lang = "es") {
    return testing::RunCli(*node_, s, args, out, lang);
  }

  static TestNode* node_;
};

TestNode* ClientApiTest::node_ = nullptr;

// ---- GetCurrentUser ----------------------------------------------------

TEST_F(ClientApiTest, EveryUserReadsWhoSheIsAndTheCallIsAudited) {
  for (const Staff* s : kEveryone) {
    const std::string rid = absl::StrCat("me-", RandomHex());
    v1::CurrentUser me;
    grpc::Status status =
        v1::AdminService::NewStub(Channel(*s))
            ->GetCurrentUser(TestNode::Context(rid).get(), {}, &me);
    ASSERT_TRUE(status.ok()) << s->user << ": " << status.error_message();
    EXPECT_EQ(me.name(), absl::StrCat("institutions/", s->institution,
                                      "/users/", s->user));
    EXPECT_EQ(me.user_id(), s->user);
    EXPECT_THAT(me.roles(), ElementsAre(s->role));
    EXPECT_EQ(me.institution().institution_id(), s->institution);
    EXPECT_EQ(me.institution().operator_(), s->institution == "IEEPCO");
    EXPECT_FALSE(me.institution().has_create_time());
    std::vector<v1::AuditEntry> entries = AuditEntriesOf(*node_, rid);
    ASSERT_EQ(entries.size(), 1u) << s->user;
    EXPECT_EQ(entries[0].method(), "/resguardo.v1.AdminService/GetCurrentUser");
    EXPECT_EQ(entries[0].resource(), me.name());
    EXPECT_EQ(entries[0].outcome(), 0);
  }
  // What a client decides its screens by: the oversight body's kind.
  v1::CurrentUser obs;
  ASSERT_TRUE(v1::AdminService::NewStub(Channel(kObsAnalyst))
                  ->GetCurrentUser(TestNode::Context().get(), {}, &obs)
                  .ok());
  EXPECT_EQ(obs.institution().kind(), v1::INSTITUTION_KIND_OVERSIGHT);
  EXPECT_EQ(obs.institution().display_name(), "Observatorio");
}

TEST_F(ClientApiTest, GetCurrentUserOverJsonAndItsRefusals) {
  HttpsAnswer answer = ConnectCall(*node_, "IEEPCO", "cw",
                                   "/resguardo.v1.AdminService/GetCurrentUser",
                                   v1::GetCurrentUserRequest());
  ASSERT_EQ(answer.status, 200) << answer.body;
  v1::CurrentUser me;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(answer.body, &me).ok());
  EXPECT_EQ(me.name(), "institutions/IEEPCO/users/cw");
  EXPECT_THAT(me.roles(), ElementsAre(v1::ROLE_CASEWORKER));
  EXPECT_EQ(me.institution().kind(), v1::INSTITUTION_KIND_ELECTORAL_INSTITUTE);
  // No field to send: one that does not exist is refused, named.
  testing::HttpsRequest bad;
  bad.path = "/resguardo.v1.AdminService/GetCurrentUser";
  bad.body = "{\"user\": \"otra\"}";
  bad.institution = "IEEPCO";
  bad.user = "cw";
  answer = testing::Https(*node_, bad);
  EXPECT_EQ(answer.status, 400) << answer.body;
  EXPECT_THAT(answer.body, HasSubstr("invalid_argument"));
  // A certificate the directory does not know names nobody.
  ASSERT_TRUE(node_->IssueClientCert("IEEPCO", "nadie").ok());
  v1::CurrentUser none;
  grpc::Status s = v1::AdminService::NewStub(node_->Channel("IEEPCO", "nadie"))
                       ->GetCurrentUser(TestNode::Context().get(), {}, &none);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

// ---- Case.allowed_next_statuses ------------------------------------------

TEST_F(ClientApiTest, AllowedNextStatusesAreWhatTheNodeAcceptsForThisCaller) {
  v1::Case c = NewCase();
  EXPECT_THAT(Get(kRegistrar, c.name()).allowed_next_statuses(), IsEmpty());
  EXPECT_THAT(Get(kCaseworker, c.name()).allowed_next_statuses(),
              ElementsAre(v1::CASE_STATUS_PENDING_RATIFICATION,
                          v1::CASE_STATUS_FIRST_CONTACT));
  v1::Case as_supervisor = Get(kSupervisor, c.name());
  EXPECT_THAT(
      as_supervisor.allowed_next_statuses(),
      ElementsAre(v1::CASE_STATUS_PENDING_RATIFICATION,
                  v1::CASE_STATUS_FIRST_CONTACT, v1::CASE_STATUS_CLOSED));
  // A status not offered is refused by UpdateCase; one offered is taken,
  // and the answer offers the next ones.
  v1::UpdateCaseRequest update;
  update.mutable_case_record()->set_name(c.name());
  update.mutable_case_record()->set_etag(as_supervisor.etag());
  update.mutable_case_record()->mutable_descriptors()->set_status(
      v1::CASE_STATUS_ADMITTED);
  update.mutable_update_mask()->add_paths("descriptors.status");
  v1::Case updated;
  grpc::Status s =
      Cases(kCaseworker)
          ->UpdateCase(TestNode::Context().get(), update, &updated);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  update.mutable_case_record()->mutable_descriptors()->set_status(
      v1::CASE_STATUS_FIRST_CONTACT);
  s = Cases(kCaseworker)
          ->UpdateCase(TestNode::Context().get(), update, &updated);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_THAT(updated.allowed_next_statuses(),
              ElementsAre(v1::CASE_STATUS_ADMISSIBILITY));
  // Closed, the supervisor may only reopen it where it was.
  v1::CloseCaseRequest close;
  close.set_name(c.name());
  close.set_etag(updated.etag());
  close.set_reason(v1::CLOSURE_REASON_DUPLICATE);
  v1::Case closed;
  s = Cases(kSupervisor)->CloseCase(TestNode::Context().get(), close, &closed);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_THAT(closed.allowed_next_statuses(),
              ElementsAre(v1::CASE_STATUS_FIRST_CONTACT));
  EXPECT_THAT(Get(kCaseworker, c.name()).allowed_next_statuses(), IsEmpty());
  // The same field over JSON, as the web client reads it.
  v1::GetCaseRequest get;
  get.set_name(c.name());
  HttpsAnswer answer = ConnectCall(*node_, "IEEPCO", "sup",
                                   "/resguardo.v1.CaseService/GetCase", get);
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_THAT(
      answer.body,
      HasSubstr("\"allowedNextStatuses\":[\"CASE_STATUS_FIRST_CONTACT\"]"));
  // ListCases carries it too.
  v1::ListCasesRequest list;
  list.set_parent("institutions/IEEPCO");
  list.add_statuses(v1::CASE_STATUS_CLOSED);
  v1::ListCasesResponse listed;
  ASSERT_TRUE(Cases(kSupervisor)
                  ->ListCases(TestNode::Context().get(), list, &listed)
                  .ok());
  ASSERT_FALSE(listed.cases().empty());
  for (const v1::Case& one : listed.cases()) {
    EXPECT_EQ(one.allowed_next_statuses_size(), 1) << one.name();
  }
}

// ---- SetProtectionMeasureStatus ------------------------------------------

TEST_F(ClientApiTest, AMeasureIsExtendedWithTheEtagAndAudited) {
  v1::Case c = NewCase();
  v1::ProtectionMeasure m =
      AddMeasure(c, v1::PROTECTION_MEASURE_STATUS_IN_FORCE, true);
  EXPECT_THAT(m.allowed_next_statuses(),
              ElementsAre(v1::PROTECTION_MEASURE_STATUS_EXTENDED,
                          v1::PROTECTION_MEASURE_STATUS_EXPIRED,
                          v1::PROTECTION_MEASURE_STATUS_REVOKED,
                          v1::PROTECTION_MEASURE_STATUS_BREACHED));
  const v1::Case before = Get(kCaseworker, c.name());
  v1::SetProtectionMeasureStatusRequest r;
  r.set_name(m.name());
  r.set_etag(before.etag());
  r.set_status(v1::PROTECTION_MEASURE_STATUS_EXTENDED);
  *r.mutable_expiry_date() = DaysAgo(-60);
  const std::string rid = absl::StrCat("extend-", RandomHex());
  v1::Case after;
  grpc::Status s = SetMeasure(kCaseworker, r, &after, rid);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_NE(after.etag(), before.etag());
  ASSERT_EQ(after.protection_measures_size(), 1);
  EXPECT_EQ(after.protection_measures(0).status(),
            v1::PROTECTION_MEASURE_STATUS_EXTENDED);
  EXPECT_EQ(after.protection_measures(0).expiry_date().year(),
            r.expiry_date().year());
  EXPECT_EQ(after.protection_measures(0).expiry_date().day(),
            r.expiry_date().day());
  std::vector<v1::AuditEntry> entries = AuditEntriesOf(*node_, rid);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].method(),
            "/resguardo.v1.CaseService/SetProtectionMeasureStatus");
  EXPECT_EQ(entries[0].resource(), m.name());
  EXPECT_EQ(entries[0].outcome(), 0);

  // The same etag again: stale, ABORTED, nothing changed.
  r.set_status(v1::PROTECTION_MEASURE_STATUS_REVOKED);
  r.clear_expiry_date();
  v1::Case ignored;
  s = SetMeasure(kCaseworker, r, &ignored);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ABORTED) << s.error_message();
  EXPECT_EQ(Get(kCaseworker, c.name()).protection_measures(0).status(),
            v1::PROTECTION_MEASURE_STATUS_EXTENDED);
  // Revoked with the current etag; then nothing more is allowed.
  r.set_etag(after.etag());
  ASSERT_TRUE(SetMeasure(kSupervisor, r, &after).ok());
  EXPECT_THAT(after.protection_measures(0).allowed_next_statuses(), IsEmpty());
  r.set_etag(after.etag());
  r.set_status(v1::PROTECTION_MEASURE_STATUS_EXPIRED);
  s = SetMeasure(kCaseworker, r, &ignored);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(),
              HasSubstr("PROTECTION_MEASURE_STATUS_REVOKED"));
}

TEST_F(ClientApiTest, MeasureStatusRefusals) {
  v1::Case c = NewCase();
  v1::ProtectionMeasure indefinite =
      AddMeasure(c, v1::PROTECTION_MEASURE_STATUS_IN_FORCE, false);
  EXPECT_FALSE(indefinite.has_expiry_date());
  const std::string etag = Get(kCaseworker, c.name()).etag();
  v1::SetProtectionMeasureStatusRequest r;
  r.set_name(indefinite.name());
  r.set_etag(etag);
  r.set_status(v1::PROTECTION_MEASURE_STATUS_BREACHED);
  v1::Case out;
  // Another institution's case: NOT_FOUND, as for none.
  grpc::Status s = SetMeasure(kFgeoCaseworker, r, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(s.error_message(), "case not found");
  // A role without the method: PERMISSION_DENIED, audited.
  const std::string rid = absl::StrCat("measure-deny-", RandomHex());
  s = SetMeasure(kRegistrar, r, &out, rid);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  std::vector<v1::AuditEntry> entries = AuditEntriesOf(*node_, rid);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].note(), "denied:role");
  // Bad fields, named.
  v1::SetProtectionMeasureStatusRequest bad = r;
  bad.set_status(v1::PROTECTION_MEASURE_STATUS_EXTENDED);
  s = SetMeasure(kCaseworker, bad, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadRequestFields(s), ElementsAre("expiry_date"));
  bad = r;
  bad.set_name(c.name());
  s = SetMeasure(kCaseworker, bad, &out);
  EXPECT_THAT(BadRequestFields(s), ElementsAre("name"));
  bad = r;
  bad.clear_etag();
  s = SetMeasure(kCaseworker, bad, &out);
  EXPECT_THAT(BadRequestFields(s), ElementsAre("etag"));
  // An indefinite measure is not extended.
  bad = r;
  bad.set_status(v1::PROTECTION_MEASURE_STATUS_EXTENDED);
  *bad.mutable_expiry_date() = DaysAgo(-10);
  s = SetMeasure(kCaseworker, bad, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  // A measure the case does not have.
  bad = r;
  bad.set_name(absl::StrCat(c.name(), "/protectionMeasures/99"));
  s = SetMeasure(kCaseworker, bad, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  // Nothing above changed the case.
  EXPECT_EQ(Get(kCaseworker, c.name()).etag(), etag);

  // Over JSON: a stale etag is `aborted`, a bad field `invalid_argument`
  // naming it, and the right call goes through.
  HttpsAnswer answer;
  const std::string path =
      "/resguardo.v1.CaseService/SetProtectionMeasureStatus";
  bad = r;
  bad.set_etag("1");
  answer = ConnectCall(*node_, "IEEPCO", "cw", path, bad);
  EXPECT_EQ(answer.status, 409) << answer.body;
  EXPECT_THAT(answer.body, HasSubstr("\"aborted\""));
  bad = r;
  bad.set_status(v1::PROTECTION_MEASURE_STATUS_UNSPECIFIED);
  answer = ConnectCall(*node_, "IEEPCO", "cw", path, bad);
  EXPECT_EQ(answer.status, 400) << answer.body;
  EXPECT_THAT(answer.body, HasSubstr("status"));
  answer = ConnectCall(*node_, "FGEO", "fgeo.cw", path, r);
  EXPECT_EQ(answer.status, 404) << answer.body;
  answer = ConnectCall(*node_, "IEEPCO", "cw", path, r);
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_THAT(answer.body, HasSubstr("PROTECTION_MEASURE_STATUS_BREACHED"));
}

// ---- ListAlerts, then WatchAlerts from its token --------------------------

TEST_F(ClientApiTest, ListThenWatchLosesAndRepeatsNothing) {
  const v1::Referral first = NewReferral();
  const v1::Referral second = NewReferral();
  v1::ListAlertsRequest list;
  list.set_parent("institutions/FGEO");
  list.set_page_size(1);
  v1::ListAlertsResponse page;
  grpc::Status s = Referrals(kFgeoCaseworker)
                       ->ListAlerts(TestNode::Context().get(), list, &page);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(page.alerts_size(), 1);
  EXPECT_EQ(page.alerts(0).resource(), second.name());  // newest first
  ASSERT_FALSE(page.next_page_token().empty());
  const std::string resume = page.resume_token();
  // A referral raised while the reader pages does not move her token.
  const v1::Referral third = NewReferral();
  list.set_page_token(page.next_page_token());
  v1::ListAlertsResponse older;
  ASSERT_TRUE(Referrals(kFgeoCaseworker)
                  ->ListAlerts(TestNode::Context().get(), list, &older)
                  .ok());
  ASSERT_EQ(older.alerts_size(), 1);
  EXPECT_EQ(older.alerts(0).resource(), first.name());
  EXPECT_EQ(older.resume_token(), resume);

  // Watching from the token: the third referral's alert, then a fourth's,
  // each once, none of those already listed.
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(20));
  v1::WatchAlertsRequest watch;
  watch.set_parent("institutions/FGEO");
  watch.set_resume_token(resume);
  auto stub = Referrals(kFgeoCaseworker);
  std::unique_ptr<grpc::ClientReader<v1::Alert>> reader =
      stub->WatchAlerts(&context, watch);
  v1::Alert alert;
  ASSERT_TRUE(reader->Read(&alert));
  EXPECT_EQ(alert.resource(), third.name());
  const v1::Referral fourth = NewReferral();
  ASSERT_TRUE(reader->Read(&alert));
  EXPECT_EQ(alert.resource(), fourth.name());
  context.TryCancel();
  reader->Finish();

  // Over JSON: the same newest alert and a token WatchAlerts accepts.
  v1::ListAlertsRequest first_page;
  first_page.set_parent("institutions/FGEO");
  HttpsAnswer answer =
      ConnectCall(*node_, "FGEO", "fgeo.cw",
                  "/resguardo.v1.ReferralService/ListAlerts", first_page);
  ASSERT_EQ(answer.status, 200) << answer.body;
  v1::ListAlertsResponse json;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(answer.body, &json).ok());
  ASSERT_GE(json.alerts_size(), 4);
  EXPECT_EQ(json.alerts(0).resource(), fourth.name());
  EXPECT_TRUE(json.next_page_token().empty());
  EXPECT_EQ(json.alerts(0).resume_token(), json.resume_token());
}

TEST_F(ClientApiTest, ListAlertsRefusals) {
  v1::ListAlertsRequest list;
  list.set_parent("institutions/FGEO");
  v1::ListAlertsResponse out;
  // Another institution's alerts, as for WatchAlerts.
  grpc::Status s =
      Referrals(kCaseworker)->ListAlerts(TestNode::Context().get(), list, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // A role without the method.
  s = Referrals(kRegistrar)->ListAlerts(TestNode::Context().get(), list, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  // Bad fields, named.
  list.set_page_size(-1);
  s = Referrals(kFgeoCaseworker)
          ->ListAlerts(TestNode::Context().get(), list, &out);
  EXPECT_THAT(BadRequestFields(s), ElementsAre("page_size"));
  list.set_page_size(0);
  list.set_page_token("no-es-un-token");
  s = Referrals(kFgeoCaseworker)
          ->ListAlerts(TestNode::Context().get(), list, &out);
  EXPECT_THAT(BadRequestFields(s), ElementsAre("page_token"));
  list.clear_page_token();
  list.set_parent("FGEO");
  s = Referrals(kFgeoCaseworker)
          ->ListAlerts(TestNode::Context().get(), list, &out);
  EXPECT_THAT(BadRequestFields(s), ElementsAre("parent"));
  // A token of another institution's listing does not decode here.
  NewReferral();
  v1::ListAlertsRequest fgeo;
  fgeo.set_parent("institutions/FGEO");
  fgeo.set_page_size(1);
  ASSERT_TRUE(Referrals(kFgeoCaseworker)
                  ->ListAlerts(TestNode::Context().get(), fgeo, &out)
                  .ok());
  ASSERT_FALSE(out.next_page_token().empty());
  v1::ListAlertsRequest ieepco;
  ieepco.set_parent("institutions/IEEPCO");
  ieepco.set_page_token(out.next_page_token());
  s = Referrals(kCaseworker)
          ->ListAlerts(TestNode::Context().get(), ieepco, &out);
  EXPECT_THAT(BadRequestFields(s), ElementsAre("page_token"));
  // Over JSON: another institution's parent is refused the same way.
  HttpsAnswer answer = ConnectCall(
      *node_, "IEEPCO", "cw", "/resguardo.v1.ReferralService/ListAlerts", fgeo);
  EXPECT_EQ(answer.status, 403) << answer.body;
}

// ---- The CLI ---------------------------------------------------------------

TEST_F(ClientApiTest, TheCliShowsWhoamiAlertsAndChangesAMeasure) {
  std::string out;
  ASSERT_EQ(Cli(kCaseworker, {"whoami"}, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("IEEPCO"));
  EXPECT_THAT(out, HasSubstr("Persona de seguimiento"));
  ASSERT_EQ(Cli(kObsAnalyst, {"whoami"}, &out, "en"), 0) << out;
  EXPECT_THAT(out, HasSubstr("Oversight body"));

  const v1::Referral referral = NewReferral();
  ASSERT_EQ(Cli(kFgeoCaseworker, {"alerts", "list", "--page-size", "1"}, &out),
            0)
      << out;
  EXPECT_THAT(out, HasSubstr(referral.name()));
  EXPECT_THAT(out, HasSubstr("alerts watch --resume-token "));
  EXPECT_EQ(Cli(kRegistrar, {"alerts", "list"}, &out), 6) << out;

  v1::Case c = NewCase();
  v1::ProtectionMeasure m =
      AddMeasure(c, v1::PROTECTION_MEASURE_STATUS_IN_FORCE, true);
  ASSERT_EQ(Cli(kSupervisor, {"case", "get", c.folio()}, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("Puede pasar a"));
  EXPECT_THAT(out, HasSubstr("FIRST_CONTACT"));
  EXPECT_THAT(out, HasSubstr("EXTENDED, EXPIRED, REVOKED, BREACHED"));
  const std::string etag = Get(kCaseworker, c.name()).etag();
  const std::string number = m.name().substr(m.name().rfind('/') + 1);
  // Errors name the flag (a missing one; a bad value).
  EXPECT_EQ(
      Cli(kCaseworker, {"case", "measure", "set", c.folio(), number}, &out), 2);
  EXPECT_THAT(out, HasSubstr("--status"));
  EXPECT_THAT(out, HasSubstr("--etag"));
  EXPECT_EQ(Cli(kCaseworker,
                {"case", "measure", "set", c.folio(), number, "--status",
                 "EXTENDED", "--etag", etag, "--expires", "mañana"},
                &out),
            2);
  EXPECT_THAT(out, HasSubstr("--expires"));
  EXPECT_EQ(Cli(kCaseworker,
                {"case", "measure", "set", c.folio(), "cero", "--status",
                 "REVOKED", "--etag", etag},
                &out),
            2);
  // The node's refusals: a stale etag (a conflict).
  EXPECT_EQ(Cli(kCaseworker,
                {"case", "measure", "set", c.folio(), number, "--status",
                 "REVOKED", "--etag", "1"},
                &out),
            5);
  ASSERT_EQ(Cli(kCaseworker,
                {"case", "measure", "set", c.folio(), number, "--status",
                 "REVOKED", "--etag", etag},
                &out),
            0)
      << out;
  EXPECT_THAT(out, HasSubstr("Estatus de la medida cambiado."));
  EXPECT_THAT(out, HasSubstr("Revocada"));
  EXPECT_THAT(out, Not(HasSubstr(kVictim)));
}

}  // namespace
}  // namespace resguardo
