// The node end to end: the real resguardod (init + serve) on loopback, real
// certificates from deploy/pki.sh, a real SQLCipher file, and real gRPC C++
// clients over mTLS. Issue 3's "done when", node part.
#include <atomic>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "crypto/file_key_provider.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "gtest/gtest.h"
#include "resguardo/v1/admin_service.grpc.pb.h"
#include "resguardo/v1/audit_service.grpc.pb.h"
#include "resguardo/v1/case_service.grpc.pb.h"
#include "resguardo/v1/referral_service.grpc.pb.h"
#include "resguardo/v1/registry_service.grpc.pb.h"
#include "resguardo/v1/stats_service.grpc.pb.h"
#include "services/auth/access_policy.h"
#include "services/schema/node_schema.h"
#include "services/store/database.h"
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
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kFgeo[] = "FGEO";

// Who is who in the test deployment: institution, user, roles.
const Staff kRegistrar{"IEEPCO", "reg", v1::ROLE_REGISTRAR};
const Staff kCaseworker{"IEEPCO", "cw", v1::ROLE_CASEWORKER};
const Staff kSupervisor{"IEEPCO", "sup", v1::ROLE_SUPERVISOR};
const Staff kAnalyst{"IEEPCO", "ana", v1::ROLE_ANALYST};
const Staff kAuditor{"IEEPCO", "aud", v1::ROLE_AUDITOR};
const Staff kAdmin{"IEEPCO", "admin", v1::ROLE_ADMIN};
const Staff kFgeoAdmin{"FGEO", "fgeo.admin", v1::ROLE_ADMIN};
const Staff kFgeoCaseworker{"FGEO", "fgeo.cw", v1::ROLE_CASEWORKER};

v1::CreateCaseRequest ValidCreate(absl::string_view victim_name = "Ana Canaria",
                                  absl::string_view narrative = "Hechos.") {
  v1::CreateCaseRequest r =
      testing::NewCaseRequest(10, v1::RISK_LEVEL_HIGH, victim_name, narrative);
  auto* d = r.mutable_case_record()->mutable_descriptors();
  d->set_municipality_code("067");
  *d->mutable_incident_month() = DaysAgo(40);
  d->mutable_incident_month()->set_day(0);
  d->add_conducts(v1::CONDUCT_C11);
  d->set_victim_position(v1::VICTIM_POSITION_COUNCILLOR);
  auto* p = r.mutable_case_record()->mutable_personal_data();
  p->set_victim_curp("HEGG560427MVZRRL04");
  p->set_contact_email("contacto@example.org");
  return r;
}

class NodeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<TestNode>> node = TestNode::Create();
    ASSERT_TRUE(node.ok()) << node.status();
    node_ = node->release();
    absl::Status certs = testing::IssueClientCerts(
        *node_, {&kRegistrar, &kCaseworker, &kSupervisor, &kAnalyst, &kAuditor,
                 &kFgeoAdmin, &kFgeoCaseworker});
    ASSERT_TRUE(certs.ok()) << certs;
    for (const char* user : {"ghost", "gone"}) {
      ASSERT_TRUE(node_->IssueClientCert("IEEPCO", user).ok());
    }
    ASSERT_TRUE(
        node_->IssueClientCert("IEEPCO", "reg", /*other_ca=*/true).ok());
    absl::Status started = node_->Start();
    ASSERT_TRUE(started.ok()) << started;

    auto admin = Admin(kAdmin);
    absl::Status institutions = testing::CreateInstitutions(
        *node_, {{kFgeo, v1::INSTITUTION_KIND_PROSECUTOR,
                  "Fiscalía General del Estado de Oaxaca", "20"}});
    ASSERT_TRUE(institutions.ok()) << institutions;
    absl::Status users = testing::CreateUsers(
        *node_, {&kRegistrar, &kCaseworker, &kSupervisor, &kAnalyst, &kAuditor,
                 &kFgeoAdmin, &kFgeoCaseworker});
    ASSERT_TRUE(users.ok()) << users;
    v1::User gone;
    ASSERT_TRUE(CreateUser({"IEEPCO", "gone", v1::ROLE_REGISTRAR}, &gone).ok());
    v1::DisableUserRequest disable;
    disable.set_name(gone.name());
    disable.set_etag(gone.etag());
    v1::User disabled;
    grpc::Status s =
        admin->DisableUser(TestNode::Context().get(), disable, &disabled);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }

  static void TearDownTestSuite() {
    if (node_ == nullptr) return;
    absl::StatusOr<int> code = node_->Stop();
    EXPECT_TRUE(code.ok());
    if (code.ok()) {
      EXPECT_EQ(*code, 0);
    }
    if (const char* keep = std::getenv("RESGUARDO_KEEP_NODE_LOG")) {
      std::ofstream(keep) << node_->LogText();
    }
    delete node_;
    node_ = nullptr;
  }

  void SetUp() override {
    if (node_ == nullptr) GTEST_SKIP() << "the node did not start";
  }

  static grpc::Status CreateUser(const Staff& staff, v1::User* out = nullptr) {
    // The operator's admin creates IEEPCO's staff and FGEO's admin; FGEO's
    // admin creates FGEO's staff (the operator may not).
    return testing::CreateUser(
        *node_, *testing::CreatorOf(staff, {&kFgeoAdmin}), staff, out);
  }

  static std::unique_ptr<v1::CaseService::Stub> Cases(const Staff& s) {
    return v1::CaseService::NewStub(node_->Channel(s.institution, s.user));
  }
  static std::unique_ptr<v1::AdminService::Stub> Admin(const Staff& s) {
    return v1::AdminService::NewStub(node_->Channel(s.institution, s.user));
  }

  // Registers a case as the registrar; fails the test otherwise.
  static v1::Case NewCase(absl::string_view victim = "Ana Canaria",
                          absl::string_view narrative = "Hechos.") {
    v1::Case created;
    grpc::Status s = Cases(kRegistrar)
                         ->CreateCase(TestNode::Context().get(),
                                      ValidCreate(victim, narrative), &created);
    EXPECT_TRUE(s.ok()) << s.error_code() << " " << s.error_message();
    return created;
  }

  // The audit entry of the call with this request id.
  static std::vector<v1::AuditEntry> EntriesOf(absl::string_view request_id) {
    return testing::AuditEntriesOf(*node_, request_id);
  }

  static TestNode* node_;
};

TestNode* NodeTest::node_ = nullptr;

// ---- Transport, health, reflection ----------------------------------------

TEST_F(NodeTest, HealthCheckIsServing) {
  auto stub = grpc::health::v1::Health::NewStub(
      node_->Channel(kRegistrar.institution, kRegistrar.user));
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status s = stub->Check(TestNode::Context().get(), {}, &response);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(response.status(), grpc::health::v1::HealthCheckResponse::SERVING);
}

TEST_F(NodeTest, ReflectionListsTheServices) {
  auto stub = grpc::reflection::v1alpha::ServerReflection::NewStub(
      node_->Channel(kRegistrar.institution, kRegistrar.user));
  auto context = TestNode::Context();
  auto stream = stub->ServerReflectionInfo(context.get());
  grpc::reflection::v1alpha::ServerReflectionRequest request;
  request.set_list_services("*");
  ASSERT_TRUE(stream->Write(request));
  stream->WritesDone();
  grpc::reflection::v1alpha::ServerReflectionResponse response;
  ASSERT_TRUE(stream->Read(&response));
  ASSERT_TRUE(stream->Finish().ok());
  std::vector<std::string> names;
  for (const auto& service : response.list_services_response().service()) {
    names.push_back(service.name());
  }
  EXPECT_THAT(names, Contains("resguardo.v1.CaseService"));
  EXPECT_THAT(names, Contains("resguardo.v1.AdminService"));
  EXPECT_THAT(names, Contains("grpc.health.v1.Health"));
}

TEST_F(NodeTest, RefusesAClientWithoutCertificate) {
  auto stub = v1::CaseService::NewStub(node_->ChannelWithoutCertificate());
  v1::Case response;
  grpc::Status s = stub->GetCase(TestNode::Context().get(), {}, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
  auto health =
      grpc::health::v1::Health::NewStub(node_->ChannelWithoutCertificate());
  grpc::health::v1::HealthCheckResponse h;
  EXPECT_EQ(health->Check(TestNode::Context().get(), {}, &h).error_code(),
            grpc::StatusCode::UNAVAILABLE);
}

TEST_F(NodeTest, RefusesACertificateFromAnotherCa) {
  // Same SPIFFE ID as the registrar, signed by a CA the node does not trust.
  auto stub = v1::CaseService::NewStub(
      node_->Channel("IEEPCO", "reg", /*other_ca=*/true));
  v1::ListCasesRequest request;
  request.set_parent("institutions/IEEPCO");
  v1::ListCasesResponse response;
  grpc::Status s =
      stub->ListCases(TestNode::Context().get(), request, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
}

TEST_F(NodeTest, RefusesAnUnknownUserAndAuditsIt) {
  auto stub = v1::CaseService::NewStub(node_->Channel("IEEPCO", "ghost"));
  v1::ListCasesRequest request;
  request.set_parent("institutions/IEEPCO");
  v1::ListCasesResponse response;
  std::string rid = absl::StrCat("ghost-", RandomHex());
  grpc::Status s =
      stub->ListCases(TestNode::Context(rid).get(), request, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  std::vector<v1::AuditEntry> entries = EntriesOf(rid);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].outcome(), 16);  // UNAUTHENTICATED
  EXPECT_EQ(entries[0].note(), "unauthenticated:unknown-user");
  EXPECT_EQ(entries[0].actor(), "institutions/IEEPCO/users/ghost");
  EXPECT_EQ(entries[0].method(), "/resguardo.v1.CaseService/ListCases");
}

TEST_F(NodeTest, RefusesADisabledUserAndAuditsIt) {
  auto stub = v1::CaseService::NewStub(node_->Channel("IEEPCO", "gone"));
  v1::Case response;
  std::string rid = absl::StrCat("gone-", RandomHex());
  grpc::Status s =
      stub->CreateCase(TestNode::Context(rid).get(), ValidCreate(), &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  std::vector<v1::AuditEntry> entries = EntriesOf(rid);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].outcome(), 7);  // PERMISSION_DENIED
  EXPECT_EQ(entries[0].note(), "denied:user-disabled");
}

TEST_F(NodeTest, RefusesAnOversizedMessage) {
  // 100 KiB of narrative against the node's 64 KiB receive limit.
  v1::CreateCaseRequest request =
      ValidCreate("Ana", std::string(100 * 1024, 'x'));
  v1::Case response;
  grpc::Status s =
      Cases(kRegistrar)
          ->CreateCase(TestNode::Context().get(), request, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << s.error_message();
}

TEST_F(NodeTest, EchoesTheRequestIdAndLogsTheCall) {
  std::string rid = absl::StrCat("echo-", RandomHex());
  auto context = TestNode::Context(rid);
  v1::ListInstitutionsResponse response;
  grpc::Status s =
      Admin(kAnalyst)->ListInstitutions(context.get(), {}, &response);
  ASSERT_TRUE(s.ok()) << s.error_message();
  auto it = context->GetServerInitialMetadata().find("x-request-id");
  ASSERT_NE(it, context->GetServerInitialMetadata().end());
  EXPECT_EQ(std::string(it->second.data(), it->second.size()), rid);
  EXPECT_THAT(node_->LogText(),
              HasSubstr(absl::StrCat(
                  "\"request_id\":\"", rid,
                  "\",\"method\":\"/resguardo.v1.AdminService/"
                  "ListInstitutions\",\"code\":\"OK\",\"latency_ms\":")));
  // Every line of the node's stderr is one JSON object (gRPC's own lines
  // included).
  std::istringstream lines(node_->LogText());
  int count = 0;
  for (std::string line; std::getline(lines, line); ++count) {
    EXPECT_TRUE(line.size() >= 2 && line.front() == '{' && line.back() == '}')
        << "not a JSON line";
  }
  EXPECT_GT(count, 0);
}

// ---- Authorisation: every role x method refusal ----------------------------

using Invoke =
    std::function<grpc::Status(grpc::Channel*, grpc::ClientContext*)>;

template <typename Req, typename Resp, typename Stub>
Invoke Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&,
                                         Resp*),
            std::unique_ptr<Stub> (*new_stub)(
                const std::shared_ptr<grpc::ChannelInterface>&,
                const grpc::StubOptions&)) {
  return
      [method, new_stub](grpc::Channel* channel, grpc::ClientContext* context) {
        std::shared_ptr<grpc::ChannelInterface> shared(
            channel, [](grpc::ChannelInterface*) {});
        auto stub = new_stub(shared, grpc::StubOptions());
        Resp response;
        return ((*stub).*method)(context, Req(), &response);
      };
}

const std::map<std::string, Invoke>& Methods() {
  using CS = v1::CaseService::Stub;
  using AS = v1::AdminService::Stub;
  using RS = v1::ReferralService::Stub;
  static const auto* methods = new std::map<std::string, Invoke>{
      {"/resguardo.v1.CaseService/CreateCase",
       Call(&CS::CreateCase, &v1::CaseService::NewStub)},
      {"/resguardo.v1.CaseService/GetCase",
       Call(&CS::GetCase, &v1::CaseService::NewStub)},
      {"/resguardo.v1.CaseService/ListCases",
       Call(&CS::ListCases, &v1::CaseService::NewStub)},
      {"/resguardo.v1.CaseService/UpdateCase",
       Call(&CS::UpdateCase, &v1::CaseService::NewStub)},
      {"/resguardo.v1.CaseService/AddFollowUp",
       Call(&CS::AddFollowUp, &v1::CaseService::NewStub)},
      {"/resguardo.v1.CaseService/ListFollowUps",
       Call(&CS::ListFollowUps, &v1::CaseService::NewStub)},
      {"/resguardo.v1.CaseService/AddProtectionMeasure",
       Call(&CS::AddProtectionMeasure, &v1::CaseService::NewStub)},
      {"/resguardo.v1.CaseService/SetProtectionMeasureStatus",
       Call(&CS::SetProtectionMeasureStatus, &v1::CaseService::NewStub)},
      {"/resguardo.v1.CaseService/AddResolution",
       Call(&CS::AddResolution, &v1::CaseService::NewStub)},
      {"/resguardo.v1.CaseService/UpdateResolution",
       Call(&CS::UpdateResolution, &v1::CaseService::NewStub)},
      {"/resguardo.v1.CaseService/FileAppeal",
       Call(&CS::FileAppeal, &v1::CaseService::NewStub)},
      {"/resguardo.v1.CaseService/DecideAppeal",
       Call(&CS::DecideAppeal, &v1::CaseService::NewStub)},
      {"/resguardo.v1.CaseService/SetResolutionFinal",
       Call(&CS::SetResolutionFinal, &v1::CaseService::NewStub)},
      {"/resguardo.v1.CaseService/AddReparationMeasure",
       Call(&CS::AddReparationMeasure, &v1::CaseService::NewStub)},
      {"/resguardo.v1.CaseService/SetReparationMeasureStatus",
       Call(&CS::SetReparationMeasureStatus, &v1::CaseService::NewStub)},
      {"/resguardo.v1.CaseService/CloseCase",
       Call(&CS::CloseCase, &v1::CaseService::NewStub)},
      {"/resguardo.v1.CaseService/ReopenCase",
       Call(&CS::ReopenCase, &v1::CaseService::NewStub)},
      {"/resguardo.v1.CaseService/EraseCasePersonalData",
       Call(&CS::EraseCasePersonalData, &v1::CaseService::NewStub)},
      {"/resguardo.v1.CaseService/GetRelatedCases",
       Call(&CS::GetRelatedCases, &v1::CaseService::NewStub)},
      {"/resguardo.v1.CaseService/RecordCoordinationConsent",
       Call(&CS::RecordCoordinationConsent, &v1::CaseService::NewStub)},
      {"/resguardo.v1.CaseService/WithdrawCoordinationConsent",
       Call(&CS::WithdrawCoordinationConsent, &v1::CaseService::NewStub)},
      {"/resguardo.v1.AdminService/CreateInstitution",
       Call(&AS::CreateInstitution, &v1::AdminService::NewStub)},
      {"/resguardo.v1.AdminService/ListInstitutions",
       Call(&AS::ListInstitutions, &v1::AdminService::NewStub)},
      {"/resguardo.v1.AdminService/CreateUser",
       Call(&AS::CreateUser, &v1::AdminService::NewStub)},
      {"/resguardo.v1.AdminService/SetUserRoles",
       Call(&AS::SetUserRoles, &v1::AdminService::NewStub)},
      {"/resguardo.v1.AdminService/DisableUser",
       Call(&AS::DisableUser, &v1::AdminService::NewStub)},
      {"/resguardo.v1.AdminService/EnableUser",
       Call(&AS::EnableUser, &v1::AdminService::NewStub)},
      {"/resguardo.v1.AdminService/ListUsers",
       Call(&AS::ListUsers, &v1::AdminService::NewStub)},
      {"/resguardo.v1.AdminService/GetCurrentUser",
       Call(&AS::GetCurrentUser, &v1::AdminService::NewStub)},
      {"/resguardo.v1.AdminService/StartKeyRotation",
       Call(&AS::StartKeyRotation, &v1::AdminService::NewStub)},
      {"/resguardo.v1.AdminService/GetKeyRotation",
       Call(&AS::GetKeyRotation, &v1::AdminService::NewStub)},
      {"/resguardo.v1.AuditService/GetCheckpoint",
       Call(&v1::AuditService::Stub::GetCheckpoint,
            &v1::AuditService::NewStub)},
      {"/resguardo.v1.AuditService/ListEntries",
       Call(&v1::AuditService::Stub::ListEntries, &v1::AuditService::NewStub)},
      {"/resguardo.v1.AuditService/GetInclusionProof",
       Call(&v1::AuditService::Stub::GetInclusionProof,
            &v1::AuditService::NewStub)},
      {"/resguardo.v1.AuditService/GetConsistencyProof",
       Call(&v1::AuditService::Stub::GetConsistencyProof,
            &v1::AuditService::NewStub)},
      {"/resguardo.v1.AuditService/ExportLog",
       Call(&v1::AuditService::Stub::ExportLog, &v1::AuditService::NewStub)},
      {"/resguardo.v1.StatsService/Query",
       Call(&v1::StatsService::Stub::Query, &v1::StatsService::NewStub)},
      {"/resguardo.v1.StatsService/GetAllowance",
       Call(&v1::StatsService::Stub::GetAllowance, &v1::StatsService::NewStub)},
      {"/resguardo.v1.ReferralService/CreateReferral",
       Call(&RS::CreateReferral, &v1::ReferralService::NewStub)},
      {"/resguardo.v1.ReferralService/GetReferral",
       Call(&RS::GetReferral, &v1::ReferralService::NewStub)},
      {"/resguardo.v1.ReferralService/ListReferrals",
       Call(&RS::ListReferrals, &v1::ReferralService::NewStub)},
      {"/resguardo.v1.ReferralService/AcceptReferral",
       Call(&RS::AcceptReferral, &v1::ReferralService::NewStub)},
      {"/resguardo.v1.ReferralService/RejectReferral",
       Call(&RS::RejectReferral, &v1::ReferralService::NewStub)},
      {"/resguardo.v1.ReferralService/CompleteReferral",
       Call(&RS::CompleteReferral, &v1::ReferralService::NewStub)},
      {"/resguardo.v1.ReferralService/WithdrawReferral",
       Call(&RS::WithdrawReferral, &v1::ReferralService::NewStub)},
      {"/resguardo.v1.ReferralService/AddReferralFollowUp",
       Call(&RS::AddReferralFollowUp, &v1::ReferralService::NewStub)},
      {"/resguardo.v1.ReferralService/ListReferralFollowUps",
       Call(&RS::ListReferralFollowUps, &v1::ReferralService::NewStub)},
      {"/resguardo.v1.ReferralService/ListAlerts",
       Call(&RS::ListAlerts, &v1::ReferralService::NewStub)},
      {"/resguardo.v1.RegistryService/Inscribe",
       Call(&v1::RegistryService::Stub::Inscribe,
            &v1::RegistryService::NewStub)},
      {"/resguardo.v1.RegistryService/ListRegistryEntries",
       Call(&v1::RegistryService::Stub::ListRegistryEntries,
            &v1::RegistryService::NewStub)},
      {"/resguardo.v1.RegistryService/SearchRegistry",
       Call(&v1::RegistryService::Stub::SearchRegistry,
            &v1::RegistryService::NewStub)},
      {"/resguardo.v1.RegistryService/DelistRegistryEntry",
       Call(&v1::RegistryService::Stub::DelistRegistryEntry,
            &v1::RegistryService::NewStub)},
      {"/resguardo.v1.RegistryService/ExportRegistry",
       Call(&v1::RegistryService::Stub::ExportRegistry,
            &v1::RegistryService::NewStub)},
      // A server stream: read to its end, then its status.
      {"/resguardo.v1.ReferralService/WatchAlerts",
       [](grpc::Channel* channel, grpc::ClientContext* context) {
         std::shared_ptr<grpc::ChannelInterface> shared(
             channel, [](grpc::ChannelInterface*) {});
         auto stub = v1::ReferralService::NewStub(shared);
         auto reader = stub->WatchAlerts(context, v1::WatchAlertsRequest());
         v1::Alert alert;
         while (reader->Read(&alert)) {
         }
         return reader->Finish();
       }},
  };
  return *methods;
}

TEST_F(NodeTest, EveryMethodOfTheApiIsCovered) {
  for (const std::string& method : auth::AccessPolicy::Default().Methods()) {
    if (method.rfind("/resguardo.v1.", 0) != 0) continue;
    EXPECT_EQ(Methods().count(method), 1u) << method;
  }
  EXPECT_EQ(Methods().size(),
            31u + 5u /* AuditService */ + 2u /* StatsService */ +
                11u /* ReferralService */ + 5u /* RegistryService */);
}

TEST_F(NodeTest, EveryRoleMethodRefusalIsPermissionDeniedAndAudited) {
  std::map<std::string, std::string> refused;  // request id -> method
  int checked = 0;
  for (const Staff* staff : {&kRegistrar, &kCaseworker, &kSupervisor, &kAnalyst,
                             &kAuditor, &kAdmin, &kFgeoAdmin}) {
    std::shared_ptr<grpc::Channel> channel =
        node_->Channel(staff->institution, staff->user);
    for (const auto& [method, invoke] : Methods()) {
      std::set<v1::Role> allowed =
          auth::AccessPolicy::Default().RolesFor(method);
      bool operator_only =
          method == "/resguardo.v1.AdminService/CreateInstitution";
      bool may = allowed.count(staff->role) > 0 &&
                 !(operator_only && staff != &kAdmin);
      if (may) continue;
      std::string rid = absl::StrCat("deny-", RandomHex());
      grpc::Status s = invoke(channel.get(), TestNode::Context(rid).get());
      EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED)
          << staff->user << " " << method << ": " << s.error_message();
      refused[rid] = method;
      ++checked;
    }
  }
  // 21 CaseService methods x (analyst, auditor, both admins) = 84; the
  // registrar: Update, AddFollowUp, ListFollowUps, SetProtectionMeasureStatus,
  // Close, Reopen, Erase, the 7 resolution methods,
  // RecordCoordinationConsent, WithdrawCoordinationConsent = 16; caseworker:
  // Close, Reopen, Erase, SetResolutionFinal = 4; and
  // AdminService: 8 each for the three non-admin case roles, analyst and
  // auditor (ListInstitutions and GetCurrentUser are open) = 40; the FGEO
  // admin: CreateInstitution = 1.
  // AuditService: 5 methods x the 6 who are not auditors = 30.
  // StatsService.Query and GetAllowance: the 6 who are not analysts = 12.
  // ReferralService: Create, Get, List x (analyst, auditor, both admins) =
  // 12; Accept, Reject, Complete, Withdraw, WatchAlerts, ListAlerts,
  // AddReferralFollowUp, ListReferralFollowUps x (registrar, analyst,
  // auditor, both admins) = 40.
  // RegistryService: Inscribe and DelistRegistryEntry x the 6 who are not
  // supervisors = 12; ListRegistryEntries x 5; SearchRegistry and
  // ExportRegistry x (analyst, auditor, both admins) = 8; in all 25.
  EXPECT_EQ(checked, 84 + 16 + 4 + 40 + 1 + 30 + 12 + 12 + 40 + 25);
  absl::StatusOr<std::vector<v1::AuditEntry>> entries = node_->AuditEntries();
  ASSERT_TRUE(entries.ok()) << entries.status();
  std::map<std::string, v1::AuditEntry> by_id;
  for (const v1::AuditEntry& e : *entries) by_id[e.request_id()] = e;
  for (const auto& [rid, method] : refused) {
    auto it = by_id.find(rid);
    ASSERT_NE(it, by_id.end()) << method << " refusal not audited";
    EXPECT_EQ(it->second.outcome(), 7) << method;
    EXPECT_EQ(it->second.method(), method);
    EXPECT_EQ(it->second.note(), "denied:role") << method;
    EXPECT_FALSE(it->second.actor().empty());
  }
}

// ---- Happy paths -----------------------------------------------------------

TEST_F(NodeTest, EveryCaseServiceMethodWorks) {
  v1::Case created = NewCase();
  ASSERT_FALSE(created.name().empty());
  EXPECT_TRUE(created.folio().rfind("IEEPCO-", 0) == 0) << created.folio();
  EXPECT_FALSE(created.has_personal_data());

  // GetCase BASIC (registrar) and FULL with purpose (caseworker).
  v1::GetCaseRequest get;
  get.set_name(created.name());
  v1::Case basic;
  ASSERT_TRUE(
      Cases(kRegistrar)->GetCase(TestNode::Context().get(), get, &basic).ok());
  EXPECT_EQ(basic.personal_data().victim_name(), "");
  get.set_view(v1::CASE_VIEW_FULL);
  get.set_purpose(v1::ACCESS_PURPOSE_CASE_FOLLOW_UP);
  std::string full_rid = absl::StrCat("full-", RandomHex());
  v1::Case full;
  grpc::Status s = Cases(kCaseworker)
                       ->GetCase(TestNode::Context(full_rid).get(), get, &full);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(full.personal_data().victim_name(), "Ana Canaria");
  std::vector<v1::AuditEntry> full_entries = EntriesOf(full_rid);
  ASSERT_EQ(full_entries.size(), 1u);
  EXPECT_EQ(full_entries[0].outcome(), 0);
  EXPECT_EQ(full_entries[0].purpose(), v1::ACCESS_PURPOSE_CASE_FOLLOW_UP);
  EXPECT_EQ(full_entries[0].resource(), created.name());
  EXPECT_EQ(full_entries[0].actor(), "institutions/IEEPCO/users/cw");

  // ListCases.
  v1::ListCasesRequest list;
  list.set_parent("institutions/IEEPCO");
  list.set_page_size(500);
  v1::ListCasesResponse listed;
  ASSERT_TRUE(Cases(kRegistrar)
                  ->ListCases(TestNode::Context().get(), list, &listed)
                  .ok());
  bool found = false;
  for (const v1::Case& c : listed.cases()) found |= c.name() == created.name();
  EXPECT_TRUE(found);

  // UpdateCase (caseworker).
  v1::UpdateCaseRequest update;
  update.mutable_case_record()->set_name(created.name());
  update.mutable_case_record()->set_etag(created.etag());
  update.mutable_case_record()->mutable_descriptors()->set_risk_level(
      v1::RISK_LEVEL_CRITICAL);
  update.mutable_update_mask()->add_paths("descriptors.risk_level");
  v1::Case updated;
  s = Cases(kCaseworker)
          ->UpdateCase(TestNode::Context().get(), update, &updated);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(updated.descriptors().risk_level(), v1::RISK_LEVEL_CRITICAL);
  EXPECT_NE(updated.etag(), created.etag());

  // AddFollowUp and ListFollowUps with a purpose.
  v1::AddFollowUpRequest follow;
  follow.set_parent(created.name());
  follow.mutable_follow_up()->set_kind(static_cast<v1::FollowUpKind>(1));
  follow.mutable_follow_up()->mutable_occur_time()->set_seconds(
      absl::ToUnixSeconds(absl::Now()) - 3600);
  follow.mutable_follow_up()->set_notes("Llamada de seguimiento.");
  v1::FollowUp added;
  s = Cases(kCaseworker)
          ->AddFollowUp(TestNode::Context().get(), follow, &added);
  ASSERT_TRUE(s.ok()) << s.error_message();
  v1::ListFollowUpsRequest follow_list;
  follow_list.set_parent(created.name());
  follow_list.set_purpose(v1::ACCESS_PURPOSE_CASE_FOLLOW_UP);
  v1::ListFollowUpsResponse follow_ups;
  s = Cases(kCaseworker)
          ->ListFollowUps(TestNode::Context().get(), follow_list, &follow_ups);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(follow_ups.follow_ups_size(), 1);
  EXPECT_EQ(follow_ups.follow_ups(0).notes(), "Llamada de seguimiento.");

  // AddProtectionMeasure (registrar).
  v1::AddProtectionMeasureRequest measure;
  measure.set_parent(created.name());
  measure.mutable_protection_measure()->set_type(
      static_cast<v1::ProtectionMeasureType>(1));
  measure.mutable_protection_measure()->set_status(
      static_cast<v1::ProtectionMeasureStatus>(1));
  measure.mutable_protection_measure()->set_issuing_authority(
      "Consejo General del IEEPCO");
  *measure.mutable_protection_measure()->mutable_issue_date() = DaysAgo(5);
  *measure.mutable_protection_measure()->mutable_expiry_date() = DaysAgo(-60);
  v1::ProtectionMeasure measured;
  s = Cases(kRegistrar)
          ->AddProtectionMeasure(TestNode::Context().get(), measure, &measured);
  ASSERT_TRUE(s.ok()) << s.error_message();

  // The case's current etag, then Close, Reopen, Erase (supervisor).
  v1::GetCaseRequest current_request;
  current_request.set_name(created.name());
  v1::Case current;
  ASSERT_TRUE(
      Cases(kSupervisor)
          ->GetCase(TestNode::Context().get(), current_request, &current)
          .ok());
  v1::CloseCaseRequest close;
  close.set_name(created.name());
  close.set_etag(current.etag());
  close.set_reason(static_cast<v1::ClosureReason>(1));
  v1::Case closed;
  s = Cases(kSupervisor)->CloseCase(TestNode::Context().get(), close, &closed);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(closed.descriptors().status(), v1::CASE_STATUS_CLOSED);
  v1::ReopenCaseRequest reopen;
  reopen.set_name(created.name());
  reopen.set_etag(closed.etag());
  v1::Case reopened;
  s = Cases(kSupervisor)
          ->ReopenCase(TestNode::Context().get(), reopen, &reopened);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_NE(reopened.descriptors().status(), v1::CASE_STATUS_CLOSED);
  v1::EraseCasePersonalDataRequest erase;
  erase.set_name(created.name());
  erase.set_etag(reopened.etag());
  erase.set_reason(static_cast<v1::ErasureReason>(1));
  v1::Case erased;
  s = Cases(kSupervisor)
          ->EraseCasePersonalData(TestNode::Context().get(), erase, &erased);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_TRUE(erased.personal_data_erased());
  v1::Case after;
  ASSERT_TRUE(
      Cases(kCaseworker)->GetCase(TestNode::Context().get(), get, &after).ok());
  EXPECT_TRUE(after.personal_data_erased());
  EXPECT_EQ(after.personal_data().victim_name(), "");
}

TEST_F(NodeTest, EveryAdminServiceMethodWorks) {
  // CreateInstitution and CreateUser ran in SetUpTestSuite; here the rest,
  // on a user of their own.
  auto admin = Admin(kAdmin);
  v1::ListInstitutionsResponse institutions;
  ASSERT_TRUE(
      admin->ListInstitutions(TestNode::Context().get(), {}, &institutions)
          .ok());
  std::vector<std::string> ids;
  for (const auto& i : institutions.institutions()) {
    ids.push_back(i.institution_id());
  }
  EXPECT_THAT(ids, ElementsAre("FGEO", "IEEPCO"));

  std::string user_id = absl::StrCat("u", RandomHex());
  v1::User user;
  grpc::Status s = CreateUser({"FGEO", "", v1::ROLE_CASEWORKER}, nullptr);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  v1::CreateUserRequest create;
  create.set_parent("institutions/FGEO");
  create.mutable_user()->set_user_id(user_id);
  create.mutable_user()->add_roles(v1::ROLE_CASEWORKER);
  // The FGEO admin manages her own institution.
  s = Admin(kFgeoAdmin)->CreateUser(TestNode::Context().get(), create, &user);
  ASSERT_TRUE(s.ok()) << s.error_message();
  v1::SetUserRolesRequest roles;
  roles.set_name(user.name());
  roles.set_etag(user.etag());
  roles.add_roles(v1::ROLE_SUPERVISOR);
  v1::User with_roles;
  s = Admin(kFgeoAdmin)
          ->SetUserRoles(TestNode::Context().get(), roles, &with_roles);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_THAT(with_roles.roles(), ElementsAre(v1::ROLE_SUPERVISOR));
  v1::DisableUserRequest disable;
  disable.set_name(user.name());
  disable.set_etag(with_roles.etag());
  v1::User disabled;
  s = Admin(kFgeoAdmin)
          ->DisableUser(TestNode::Context().get(), disable, &disabled);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_TRUE(disabled.disabled());
  v1::EnableUserRequest enable;
  enable.set_name(user.name());
  enable.set_etag(disabled.etag());
  v1::User enabled;
  s = Admin(kFgeoAdmin)
          ->EnableUser(TestNode::Context().get(), enable, &enabled);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_FALSE(enabled.disabled());
  EXPECT_THAT(enabled.roles(), ElementsAre(v1::ROLE_SUPERVISOR));
  v1::ListUsersRequest list;
  list.set_parent("institutions/FGEO");
  v1::ListUsersResponse users;
  s = Admin(kFgeoAdmin)->ListUsers(TestNode::Context().get(), list, &users);
  ASSERT_TRUE(s.ok()) << s.error_message();
  bool found = false;
  for (const v1::User& u : users.users()) found |= u.user_id() == user_id;
  EXPECT_TRUE(found);
  // ...but not the IEEPCO's users.
  list.set_parent("institutions/IEEPCO");
  s = Admin(kFgeoAdmin)->ListUsers(TestNode::Context().get(), list, &users);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
}

// ---- Domain refusals through the edge --------------------------------------

TEST_F(NodeTest, AnotherInstitutionsCaseIsNotFoundLikeAMissingOne) {
  v1::Case created = NewCase();
  v1::GetCaseRequest get;
  get.set_name(created.name());
  v1::Case response;
  grpc::Status other = Cases(kFgeoCaseworker)
                           ->GetCase(TestNode::Context().get(), get, &response);
  EXPECT_EQ(other.error_code(), grpc::StatusCode::NOT_FOUND);
  get.set_name("institutions/IEEPCO/cases/IEEPCO-2026-999999");
  grpc::Status missing =
      Cases(kCaseworker)->GetCase(TestNode::Context().get(), get, &response);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(other.error_message(), missing.error_message());
}

TEST_F(NodeTest, StaleEtagIsAborted) {
  v1::Case created = NewCase();
  v1::UpdateCaseRequest update;
  update.mutable_case_record()->set_name(created.name());
  update.mutable_case_record()->set_etag(created.etag());
  update.mutable_case_record()->mutable_descriptors()->set_risk_level(
      v1::RISK_LEVEL_MEDIUM);
  update.mutable_update_mask()->add_paths("descriptors.risk_level");
  v1::Case response;
  ASSERT_TRUE(Cases(kCaseworker)
                  ->UpdateCase(TestNode::Context().get(), update, &response)
                  .ok());
  std::string rid = absl::StrCat("stale-", RandomHex());
  grpc::Status s =
      Cases(kCaseworker)
          ->UpdateCase(TestNode::Context(rid).get(), update, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ABORTED) << s.error_message();
  std::vector<v1::AuditEntry> entries = EntriesOf(rid);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].outcome(), 10);
  EXPECT_EQ(entries[0].resource(), created.name());
}

TEST_F(NodeTest, IllegalTransitionIsFailedPrecondition) {
  v1::Case created = NewCase();
  v1::ReopenCaseRequest reopen;
  reopen.set_name(created.name());
  reopen.set_etag(created.etag());
  v1::Case response;
  grpc::Status s =
      Cases(kSupervisor)
          ->ReopenCase(TestNode::Context().get(), reopen, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << s.error_message();
  v1::CloseCaseRequest close;
  close.set_name(created.name());
  close.set_etag(created.etag());
  close.set_reason(static_cast<v1::ClosureReason>(1));
  ASSERT_TRUE(Cases(kSupervisor)
                  ->CloseCase(TestNode::Context().get(), close, &response)
                  .ok());
  close.set_etag(response.etag());
  s = Cases(kSupervisor)
          ->CloseCase(TestNode::Context().get(), close, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << s.error_message();
}

TEST_F(NodeTest, EachKindOfInvalidFieldIsInvalidArgumentNamingIt) {
  struct Spoiled {
    const char* field;
    std::function<void(v1::CreateCaseRequest&)> spoil;
  };
  std::vector<Spoiled> creates = {
      {"parent", [](auto& r) { r.set_parent("institutions/ieepco"); }},
      {"case_record.descriptors.kind",
       [](auto& r) {
         r.mutable_case_record()->mutable_descriptors()->set_kind(
             static_cast<v1::CaseKind>(77));
       }},
      {"case_record.descriptors.state_code",
       [](auto& r) {
         r.mutable_case_record()->mutable_descriptors()->set_state_code("33");
       }},
      {"case_record.descriptors.reported_date",
       [](auto& r) {
         *r.mutable_case_record()
              ->mutable_descriptors()
              ->mutable_reported_date() = DaysAgo(-3);
       }},
      {"case_record.descriptors.risk_level",
       [](auto& r) {
         r.mutable_case_record()->mutable_descriptors()->set_risk_level(
             v1::RISK_LEVEL_UNSPECIFIED);
       }},
      {"case_record.personal_data.victim_curp",
       [](auto& r) {
         r.mutable_case_record()->mutable_personal_data()->set_victim_curp(
             "CANARYCURP0000000X");
       }},
      {"case_record.personal_data.contact_email",
       [](auto& r) {
         r.mutable_case_record()->mutable_personal_data()->set_contact_email(
             "CANARY-not-an-email");
       }},
      {"case_record.personal_data.narrative",
       [](auto& r) {
         r.mutable_case_record()->mutable_personal_data()->set_narrative(
             std::string(20001, 'n'));
       }},
      {"case_record.personal_data.victim_name",
       [](auto& r) {
         r.mutable_case_record()->mutable_personal_data()->set_victim_name(
             std::string(201, 'v'));
       }},
  };
  auto cases = Cases(kRegistrar);
  for (const Spoiled& c : creates) {
    v1::CreateCaseRequest request = ValidCreate("CANARYNAME-INVALID");
    c.spoil(request);
    v1::Case response;
    grpc::Status s =
        cases->CreateCase(TestNode::Context().get(), request, &response);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.field;
    EXPECT_THAT(BadRequestFields(s), Contains(c.field)) << s.error_message();
    EXPECT_THAT(s.error_message(), Not(HasSubstr("CANARY")));
    EXPECT_THAT(s.error_details(), Not(HasSubstr("CANARY")));
  }

  v1::GetCaseRequest get;
  get.set_name(NewCase().name());
  get.set_view(v1::CASE_VIEW_FULL);
  v1::Case response;
  grpc::Status s =
      Cases(kCaseworker)->GetCase(TestNode::Context().get(), get, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadRequestFields(s), ElementsAre("purpose"));

  v1::ListCasesRequest list;
  list.set_parent("institutions/IEEPCO");
  list.set_page_size(-1);
  v1::ListCasesResponse listed;
  s = Cases(kRegistrar)->ListCases(TestNode::Context().get(), list, &listed);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadRequestFields(s), ElementsAre("page_size"));

  v1::UpdateCaseRequest update;
  update.mutable_case_record()->set_name(get.name());
  update.mutable_case_record()->set_etag("1");
  s = Cases(kCaseworker)
          ->UpdateCase(TestNode::Context().get(), update, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadRequestFields(s), Contains("update_mask"));

  v1::CreateUserRequest user;
  user.set_parent("institutions/IEEPCO");
  user.mutable_user()->set_user_id("Not A Valid Id");
  user.mutable_user()->add_roles(v1::ROLE_CASEWORKER);
  v1::User created_user;
  s = Admin(kAdmin)->CreateUser(TestNode::Context().get(), user, &created_user);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadRequestFields(s), Not(::testing::IsEmpty()));
}

// ---- Confidentiality at rest and in the logs -------------------------------

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST_F(NodeTest, CanariesAreAbsentFromDatabaseFileWalColumnsAndLog) {
  std::string name = absl::StrCat("Victima Canaria ", RandomHex());
  std::string narrative = absl::StrCat("Narrativa canaria ", RandomHex());
  std::string note = absl::StrCat("Nota canaria ", RandomHex());
  v1::Case created = NewCase(name, narrative);
  v1::AddFollowUpRequest follow;
  follow.set_parent(created.name());
  follow.mutable_follow_up()->set_kind(static_cast<v1::FollowUpKind>(1));
  follow.mutable_follow_up()->mutable_occur_time()->set_seconds(
      absl::ToUnixSeconds(absl::Now()) - 60);
  follow.mutable_follow_up()->set_notes(note);
  v1::FollowUp added;
  ASSERT_TRUE(Cases(kCaseworker)
                  ->AddFollowUp(TestNode::Context().get(), follow, &added)
                  .ok());
  // The node holds them: a FULL read returns them.
  v1::GetCaseRequest get;
  get.set_name(created.name());
  get.set_view(v1::CASE_VIEW_FULL);
  get.set_purpose(v1::ACCESS_PURPOSE_RISK_ASSESSMENT);
  v1::Case full;
  ASSERT_TRUE(
      Cases(kCaseworker)->GetCase(TestNode::Context().get(), get, &full).ok());
  ASSERT_EQ(full.personal_data().victim_name(), name);
  ASSERT_EQ(full.personal_data().narrative(), narrative);

  std::string db = ReadFile(node_->DatabasePath());
  std::string wal = ReadFile(node_->DatabasePath() + "-wal");
  ASSERT_GT(db.size(), 4096u);
  for (const std::string& canary : {name, narrative, note}) {
    EXPECT_EQ(db.find(canary), std::string::npos);
    EXPECT_EQ(wal.find(canary), std::string::npos);
    EXPECT_THAT(node_->LogText(), Not(HasSubstr(canary)));
  }
  // Not even the folio is in clear in the file (SQLCipher).
  EXPECT_EQ(db.find(created.folio()), std::string::npos);
  EXPECT_EQ(wal.find(created.folio()), std::string::npos);

  // With the SQLCipher key alone (not the institutions' keys): every column
  // of every table, and the folio is found (the scan works).
  absl::StatusOr<crypto::SecretData> key = node_->DatabaseKey();
  ASSERT_TRUE(key.ok()) << key.status();
  store::Database::Options options;
  options.migrations = schema::NodeMigrations();
  options.read_connections = 1;
  absl::StatusOr<std::unique_ptr<store::Database>> opened =
      store::Database::Open(node_->DatabasePath(), *key, options);
  ASSERT_TRUE(opened.ok()) << opened.status();
  std::string everything;
  absl::Status read = (*opened)->Read([&](store::ReadTxn& txn) -> absl::Status {
    absl::StatusOr<store::Statement> tables =
        txn.Prepare("SELECT name FROM sqlite_master WHERE type = 'table'");
    if (!tables.ok()) return tables.status();
    std::vector<std::string> names;
    while (true) {
      absl::StatusOr<bool> row = tables->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      names.emplace_back(*tables->ColumnText(0));
    }
    for (const std::string& table : names) {
      absl::StatusOr<store::Statement> rows =
          txn.Prepare(absl::StrCat("SELECT * FROM \"", table, "\""));
      if (!rows.ok()) return rows.status();
      while (true) {
        absl::StatusOr<bool> row = rows->Step();
        if (!row.ok()) return row.status();
        if (!*row) break;
        for (int c = 0; c < rows->ColumnCount(); ++c) {
          if (rows->ColumnIsNull(c)) continue;
          if (auto text = rows->ColumnText(c); text.ok()) {
            absl::StrAppend(&everything, *text, "\n");
          } else if (auto blob = rows->ColumnBlob(c); blob.ok()) {
            absl::StrAppend(&everything, *blob, "\n");
          }
        }
      }
    }
    return absl::OkStatus();
  });
  (*opened)->Close().IgnoreError();
  ASSERT_TRUE(read.ok()) << read;
  EXPECT_THAT(everything, HasSubstr(created.folio()));
  for (const std::string& canary : {name, narrative, note}) {
    EXPECT_THAT(everything, Not(HasSubstr(canary)));
  }
}

}  // namespace
}  // namespace resguardo
