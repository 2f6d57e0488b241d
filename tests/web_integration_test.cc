// The web listener (issue 15) through the real resguardod, real TLS 1.3
// with the test PKI, a real SQLCipher file, and the `curl` command as the
// client: the Connect protocol's unary JSON form of every method, the same
// refusals, audit and log as over gRPC, the browser defences and the
// static files. Canaries placed in sealed fields must never reach the log.
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "resguardo/v1/admin_service.grpc.pb.h"
#include "resguardo/v1/audit_service.grpc.pb.h"
#include "resguardo/v1/case_service.grpc.pb.h"
#include "resguardo/v1/referral_service.grpc.pb.h"
#include "resguardo/v1/stats_service.grpc.pb.h"
#include "tests/testing/case_requests.h"
#include "tests/testing/https_client.h"
#include "tests/testing/test_deployment.h"
#include "tests/testing/test_node.h"

namespace resguardo {
namespace {

using ::resguardo::testing::BadRequestFields;
using ::resguardo::testing::ConnectCall;
using ::resguardo::testing::Https;
using ::resguardo::testing::HttpsAnswer;
using ::resguardo::testing::HttpsRequest;
using ::resguardo::testing::RandomHex;
using ::resguardo::testing::TestNode;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kCanary[] = "CANARIO-WEB-5521";
constexpr char kCreateCase[] = "/resguardo.v1.CaseService/CreateCase";
constexpr char kGetCase[] = "/resguardo.v1.CaseService/GetCase";
constexpr char kUpdateCase[] = "/resguardo.v1.CaseService/UpdateCase";

v1::CreateCaseRequest ValidCreate(absl::string_view victim_name) {
  return testing::NewCaseRequest(3, v1::RISK_LEVEL_MEDIUM, victim_name,
                                 absl::StrCat("Hechos. ", kCanary));
}

// The answer's JSON body; an empty object when it is not JSON.
nlohmann::json Json(const HttpsAnswer& answer) {
  nlohmann::json json =
      nlohmann::json::parse(answer.body, nullptr, /*allow_exceptions=*/false);
  return json.is_object() ? json : nlohmann::json::object();
}

// The field paths of the google.rpc.BadRequest detail of a Connect error,
// decoded from its base64 "value" (as a client library does).
std::vector<std::string> ConnectBadRequestFields(const HttpsAnswer& answer) {
  std::vector<std::string> fields;
  nlohmann::json json = Json(answer);
  if (!json.is_object() || !json.contains("details")) return fields;
  for (const auto& detail : json["details"]) {
    if (detail.value("type", "") != "google.rpc.BadRequest") continue;
    std::string value = detail.value("value", "");
    while (value.size() % 4 != 0) value.push_back('=');
    std::string bytes;
    if (!absl::Base64Unescape(value, &bytes)) continue;
    google::rpc::BadRequest bad;
    if (!bad.ParseFromString(bytes)) continue;
    for (const auto& v : bad.field_violations()) fields.push_back(v.field());
  }
  return fields;
}

// Every answer of the listener carries these, and no CORS header.
void ExpectBrowserHeaders(const HttpsAnswer& answer) {
  EXPECT_EQ(answer.Header("cache-control"), "no-store");
  EXPECT_EQ(answer.Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(answer.Header("referrer-policy"), "no-referrer");
  EXPECT_THAT(answer.Header("strict-transport-security"),
              HasSubstr("max-age="));
  EXPECT_FALSE(answer.HasHeaderPrefix("access-control-"));
}

class WebTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    testing::TestNodeOptions options;
    options.web = true;
    absl::StatusOr<std::unique_ptr<TestNode>> node = TestNode::Create(options);
    ASSERT_TRUE(node.ok()) << node.status();
    node_ = node->release();
    // A secret beside the static folder, for the traversal test.
    std::ofstream(node_->dir() + "/secret.txt") << kCanary;
    ASSERT_TRUE(node_->Start().ok());
    auto admin = v1::AdminService::NewStub(node_->Channel("IEEPCO", "admin"));
    v1::CreateInstitutionRequest institution;
    institution.mutable_institution()->set_institution_id("FGEO");
    institution.mutable_institution()->set_display_name("Fiscalía");
    institution.mutable_institution()->set_kind(
        v1::INSTITUTION_KIND_PROSECUTOR);
    institution.mutable_institution()->set_state_code("20");
    v1::Institution created;
    ASSERT_TRUE(admin
                    ->CreateInstitution(TestNode::Context().get(), institution,
                                        &created)
                    .ok());
    AddUser("IEEPCO", "reg", v1::ROLE_REGISTRAR, "admin");
    AddUser("IEEPCO", "cw", v1::ROLE_CASEWORKER, "admin");
    AddUser("IEEPCO", "sup", v1::ROLE_SUPERVISOR, "admin");
    AddUser("IEEPCO", "ana", v1::ROLE_ANALYST, "admin");
    AddUser("IEEPCO", "aud", v1::ROLE_AUDITOR, "admin");
    AddUser("FGEO", "fgeo.admin", v1::ROLE_ADMIN, "admin");
    AddUser("FGEO", "fgeo.cw", v1::ROLE_CASEWORKER, "fgeo.admin");
    v1::User gone = AddUser("IEEPCO", "gone", v1::ROLE_REGISTRAR, "admin");
    v1::DisableUserRequest disable;
    disable.set_name(gone.name());
    disable.set_etag(gone.etag());
    v1::User disabled;
    ASSERT_TRUE(
        admin->DisableUser(TestNode::Context().get(), disable, &disabled).ok());
    ASSERT_TRUE(node_->IssueClientCert("IEEPCO", "ghost").ok());
    ASSERT_TRUE(node_->IssueClientCert("IEEPCO", "reg", true).ok());
    // A certificate of the deployment's CA for another trust domain.
    std::string output;
    absl::StatusOr<int> code = TestNode::Run(
        {"/usr/bin/env", "RESGUARDO_TRUST_DOMAIN=otro.example", "/bin/bash",
         absl::StrCat(std::getenv("RESGUARDO_SOURCE_DIR"), "/deploy/pki.sh"),
         node_->dir() + "/pki", "client", "IEEPCO", "foreign"},
        &output);
    ASSERT_TRUE(code.ok() && *code == 0) << output;
  }

  static v1::User AddUser(const std::string& institution,
                          const std::string& user, v1::Role role,
                          const std::string& creator) {
    EXPECT_TRUE(node_->IssueClientCert(institution, user).ok());
    v1::CreateUserRequest request;
    request.set_parent(absl::StrCat("institutions/", institution));
    request.mutable_user()->set_user_id(user);
    request.mutable_user()->add_roles(role);
    v1::User created;
    grpc::Status s =
        v1::AdminService::NewStub(
            node_->Channel(creator == "admin" ? "IEEPCO" : "FGEO", creator))
            ->CreateUser(TestNode::Context().get(), request, &created);
    EXPECT_TRUE(s.ok()) << user << ": " << s.error_message();
    return created;
  }

  static void TearDownTestSuite() {
    delete node_;
    node_ = nullptr;
  }

  void SetUp() override {
    if (node_ == nullptr) GTEST_SKIP() << "the node did not start";
  }

  static std::vector<v1::AuditEntry> EntriesOf(const std::string& rid) {
    std::vector<v1::AuditEntry> out;
    absl::StatusOr<std::vector<v1::AuditEntry>> entries = node_->AuditEntries();
    EXPECT_TRUE(entries.ok()) << entries.status();
    if (!entries.ok()) return out;
    for (const v1::AuditEntry& e : *entries) {
      if (e.request_id() == rid) out.push_back(e);
    }
    return out;
  }

  // Registers a case over JSON as the registrar.
  static v1::Case NewCase(const std::string& victim = "Ana Canaria") {
    HttpsAnswer answer =
        ConnectCall(*node_, "IEEPCO", "reg", kCreateCase, ValidCreate(victim));
    EXPECT_EQ(answer.status, 200) << answer.body;
    v1::Case created;
    EXPECT_TRUE(
        google::protobuf::util::JsonStringToMessage(answer.body, &created)
            .ok());
    return created;
  }

  static TestNode* node_;
};

TestNode* WebTest::node_ = nullptr;

TEST_F(WebTest, CreatesAndReadsACaseOverJsonWithRequestIdAndAudit) {
  const std::string rid = absl::StrCat("web-create-", RandomHex());
  HttpsAnswer answer = ConnectCall(*node_, "IEEPCO", "reg", kCreateCase,
                                   ValidCreate("Ana Canaria"), rid);
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(answer.Header("content-type"), "application/json");
  EXPECT_EQ(answer.Header("x-request-id"), rid);
  ExpectBrowserHeaders(answer);
  v1::Case created;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(answer.body, &created).ok());
  EXPECT_THAT(created.name(), HasSubstr("institutions/IEEPCO/cases/"));
  std::vector<v1::AuditEntry> entries = EntriesOf(rid);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].method(), kCreateCase);
  EXPECT_EQ(entries[0].transport(), v1::TRANSPORT_CONNECT_JSON);
  EXPECT_EQ(entries[0].actor(), "institutions/IEEPCO/users/reg");
  EXPECT_EQ(entries[0].resource(), created.name());
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(node_->LogText(), '\n')) {
    if (absl::StrContains(line, rid)) lines.emplace_back(line);
  }
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_THAT(lines[0], HasSubstr("\"code\":\"OK\""));

  v1::GetCaseRequest get;
  get.set_name(created.name());
  answer = ConnectCall(*node_, "IEEPCO", "cw", kGetCase, get);
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(Json(answer).value("name", ""), created.name());
}

TEST_F(WebTest, EveryUnaryMethodOfEveryServiceAnswersOverJson) {
  // An empty request to each method, as a user its role allows: every one
  // reaches the call core (a Connect answer, audited), none is unknown to
  // the listener.
  const std::vector<std::pair<const google::protobuf::Descriptor*, std::string>>
      services = {{v1::GetCaseRequest::descriptor(), "CaseService"},
                  {v1::GetReferralRequest::descriptor(), "ReferralService"},
                  {v1::ListUsersRequest::descriptor(), "AdminService"},
                  {v1::ListEntriesRequest::descriptor(), "AuditService"},
                  {v1::StatsQueryRequest::descriptor(), "StatsService"}};
  int checked = 0;
  for (const auto& [in_file, short_name] : services) {
    const google::protobuf::ServiceDescriptor* service =
        in_file->file()->FindServiceByName(short_name);
    ASSERT_NE(service, nullptr);
    for (int i = 0; i < service->method_count(); ++i) {
      const google::protobuf::MethodDescriptor* method = service->method(i);
      if (method->server_streaming()) continue;
      const std::string path =
          absl::StrCat("/", service->full_name(), "/", method->name());
      const std::string rid = absl::StrCat("every-", RandomHex());
      HttpsRequest request;
      request.path = path;
      request.body = "{}";
      request.institution = "IEEPCO";
      request.user = "admin";
      request.headers.push_back("x-request-id: " + rid);
      HttpsAnswer answer = Https(*node_, request);
      nlohmann::json json = Json(answer);
      ASSERT_TRUE(json.is_object() && !json.empty())
          << path << ": " << answer.body;
      EXPECT_NE(answer.status, 404) << path;
      EXPECT_NE(json.value("code", ""), "unimplemented") << path;
      ExpectBrowserHeaders(answer);
      std::vector<v1::AuditEntry> entries = EntriesOf(rid);
      ASSERT_EQ(entries.size(), 1u) << path;
      EXPECT_EQ(entries[0].method(), path);
      EXPECT_EQ(entries[0].transport(), v1::TRANSPORT_CONNECT_JSON);
      ++checked;
    }
  }
  EXPECT_GE(checked, 30);
}

TEST_F(WebTest, RefusedCallersAreRefused) {
  v1::ListCasesRequest list;
  list.set_parent("institutions/IEEPCO");
  const std::string path = "/resguardo.v1.CaseService/ListCases";
  // No certificate, or another CA's: the handshake fails, no HTTP answer.
  HttpsRequest request;
  request.path = path;
  request.body = "{\"parent\":\"institutions/IEEPCO\"}";
  request.no_certificate = true;
  HttpsAnswer answer = Https(*node_, request);
  EXPECT_NE(answer.curl_exit, 0);
  EXPECT_EQ(answer.status, 0);
  request.no_certificate = false;
  request.institution = "IEEPCO";
  request.user = "reg";
  request.other_ca = true;
  answer = Https(*node_, request);
  EXPECT_NE(answer.curl_exit, 0);
  EXPECT_EQ(answer.status, 0);

  struct Refused {
    std::string user;
    int http;
    std::string code;
    std::string note;
  };
  for (const Refused& r :
       {Refused{"ghost", 401, "unauthenticated",
                "unauthenticated:unknown-user"},
        Refused{"gone", 403, "permission_denied", "denied:user-disabled"},
        Refused{"foreign", 401, "unauthenticated",
                "unauthenticated:bad-spiffe-id"}}) {
    const std::string rid = absl::StrCat("refused-", RandomHex());
    answer = ConnectCall(*node_, "IEEPCO", r.user, path, list, rid);
    EXPECT_EQ(answer.status, r.http) << r.user << ": " << answer.body;
    EXPECT_EQ(Json(answer).value("code", ""), r.code) << r.user;
    ExpectBrowserHeaders(answer);
    std::vector<v1::AuditEntry> entries = EntriesOf(rid);
    ASSERT_EQ(entries.size(), 1u) << r.user;
    EXPECT_EQ(entries[0].note(), r.note);
    EXPECT_EQ(entries[0].transport(), v1::TRANSPORT_CONNECT_JSON);
  }
}

TEST_F(WebTest, AnotherInstitutionsCaseIsNotFoundExactlyAsOverGrpc) {
  v1::Case created = NewCase();
  v1::GetCaseRequest get;
  get.set_name(created.name());
  HttpsAnswer answer = ConnectCall(*node_, "FGEO", "fgeo.cw", kGetCase, get);
  EXPECT_EQ(answer.status, 404) << answer.body;
  EXPECT_EQ(Json(answer).value("code", ""), "not_found");
  v1::Case response;
  grpc::Status grpc_status =
      v1::CaseService::NewStub(node_->Channel("FGEO", "fgeo.cw"))
          ->GetCase(TestNode::Context().get(), get, &response);
  EXPECT_EQ(grpc_status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Json(answer).value("message", ""), grpc_status.error_message());
}

TEST_F(WebTest, ARoleRefusalIsPermissionDenied) {
  HttpsAnswer answer = ConnectCall(*node_, "IEEPCO", "ana", kCreateCase,
                                   ValidCreate("Ana Canaria"));
  EXPECT_EQ(answer.status, 403) << answer.body;
  EXPECT_EQ(Json(answer).value("code", ""), "permission_denied");
}

TEST_F(WebTest, AnInvalidFieldIsInvalidArgumentWithTheSameViolationsAsGrpc) {
  v1::CreateCaseRequest bad = ValidCreate("Ana Canaria");
  bad.mutable_case_record()->mutable_descriptors()->set_state_code("99");
  HttpsAnswer answer = ConnectCall(*node_, "IEEPCO", "reg", kCreateCase, bad);
  EXPECT_EQ(answer.status, 400) << answer.body;
  nlohmann::json json = Json(answer);
  EXPECT_EQ(json.value("code", ""), "invalid_argument");
  ASSERT_TRUE(json.contains("details")) << answer.body;
  EXPECT_EQ(json["details"][0].value("type", ""), "google.rpc.BadRequest");
  EXPECT_TRUE(json["details"][0].contains("debug")) << answer.body;
  v1::Case response;
  grpc::Status s = v1::CaseService::NewStub(node_->Channel("IEEPCO", "reg"))
                       ->CreateCase(TestNode::Context().get(), bad, &response);
  ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(ConnectBadRequestFields(answer), BadRequestFields(s));
  EXPECT_THAT(ConnectBadRequestFields(answer),
              ElementsAre("case_record.descriptors.state_code"));
  EXPECT_EQ(json.value("message", ""), s.error_message());
}

// A detail of a Connect error, decoded from its base64 "value" (as a
// client library does); false if the error has none of its type.
bool ConnectDetail(const HttpsAnswer& answer,
                   google::protobuf::Message* detail) {
  nlohmann::json json = Json(answer);
  if (!json.contains("details")) return false;
  for (const auto& d : json["details"]) {
    if (d.value("type", "") != detail->GetDescriptor()->full_name()) continue;
    std::string value = d.value("value", "");
    while (value.size() % 4 != 0) value.push_back('=');
    std::string bytes;
    return absl::Base64Unescape(value, &bytes) &&
           detail->ParseFromString(bytes);
  }
  return false;
}

// Errors in the user's language: an invalid field asked in Spanish and in
// English gets its description (and the error its LocalizedMessage) in
// that language; Spanish when Accept-Language is absent or names no
// language the node speaks. The message stays English.
TEST_F(WebTest, AnInvalidFieldIsDescribedInTheCallersLanguage) {
  v1::CreateCaseRequest bad = ValidCreate("Ana Canaria");
  bad.mutable_case_record()->mutable_descriptors()->set_state_code("99");
  std::string body;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(bad, &body).ok());
  struct Asked {
    std::string header;
    std::string locale;
  };
  const std::string kSpanish =
      "debe ser un código de estado del INEGI, de 01 a 32";
  const std::string kEnglish = "must be an INEGI state code, 01 to 32";
  for (const Asked& asked :
       {Asked{"Accept-Language: es-MX,es;q=0.9", "es"},
        Asked{"Accept-Language: en-US,en;q=0.9,es;q=0.8", "en"},
        Asked{"", "es"}, Asked{"Accept-Language: fr-FR, de;q=0.5", "es"},
        Asked{"Accept-Language: es;q=0.2, en", "en"}}) {
    SCOPED_TRACE(asked.header);
    HttpsRequest request;
    request.path = kCreateCase;
    request.body = body;
    request.institution = "IEEPCO";
    request.user = "reg";
    if (!asked.header.empty()) request.headers.push_back(asked.header);
    HttpsAnswer answer = Https(*node_, request);
    ASSERT_EQ(answer.status, 400) << answer.body;
    EXPECT_THAT(Json(answer).value("message", ""),
                HasSubstr("'case_record.descriptors.state_code': " + kEnglish));
    google::rpc::BadRequest violations;
    ASSERT_TRUE(ConnectDetail(answer, &violations)) << answer.body;
    ASSERT_EQ(violations.field_violations_size(), 1);
    EXPECT_EQ(violations.field_violations(0).field(),
              "case_record.descriptors.state_code");
    EXPECT_EQ(violations.field_violations(0).description(),
              asked.locale == "es" ? kSpanish : kEnglish);
    google::rpc::LocalizedMessage localized;
    ASSERT_TRUE(ConnectDetail(answer, &localized)) << answer.body;
    EXPECT_EQ(localized.locale(), asked.locale);
    EXPECT_THAT(
        localized.message(),
        HasSubstr(asked.locale == "es" ? "datos inválidos" : "invalid values"));
  }
  // A refusal before the call (no Connect-Protocol-Version) too.
  HttpsRequest request;
  request.path = kCreateCase;
  request.body = body;
  request.institution = "IEEPCO";
  request.user = "reg";
  request.headers = {"Content-Type: application/json", "Accept-Language: en"};
  HttpsAnswer answer = Https(*node_, request);
  EXPECT_EQ(answer.status, 400) << answer.body;
  google::rpc::LocalizedMessage localized;
  ASSERT_TRUE(ConnectDetail(answer, &localized)) << answer.body;
  EXPECT_EQ(localized.locale(), "en");
}

TEST_F(WebTest, AStaleEtagIsAborted) {
  v1::Case created = NewCase();
  v1::UpdateCaseRequest update;
  update.mutable_case_record()->set_name(created.name());
  update.mutable_case_record()->set_etag(created.etag());
  update.mutable_case_record()->mutable_descriptors()->set_risk_level(
      v1::RISK_LEVEL_HIGH);
  update.mutable_update_mask()->add_paths("descriptors.risk_level");
  HttpsAnswer answer = ConnectCall(*node_, "IEEPCO", "cw", kUpdateCase, update);
  ASSERT_EQ(answer.status, 200) << answer.body;
  answer = ConnectCall(*node_, "IEEPCO", "cw", kUpdateCase, update);
  EXPECT_EQ(answer.status, 409) << answer.body;
  EXPECT_EQ(Json(answer).value("code", ""), "aborted");
}

TEST_F(WebTest, BodiesThatDoNotDecodeAreRefusedLoggedAndAudited) {
  struct Bad {
    std::string name;
    std::string body;
    int http;
    std::string code;
    std::string note;
    std::string field;  // in the BadRequest, if any
  };
  const std::string valid = [] {
    std::string json;
    google::protobuf::util::MessageToJsonString(ValidCreate("Ana Canaria"),
                                                &json);
    return json;
  }();
  const std::vector<Bad> cases = {
      {"malformed", absl::StrCat("{\"parent\": \"", kCanary), 400,
       "invalid_argument", "invalid:undecodable", ""},
      {"unknown field",
       absl::StrCat("{\"parent\":\"institutions/IEEPCO\",\"", "victima\":\"",
                    kCanary, "\"}"),
       400, "invalid_argument", "invalid:undecodable", ""},
      {"wrong type",
       absl::StrCat("{\"caseRecord\":{\"descriptors\":{\"riskLevel\":{\"x\":\"",
                    kCanary, "\"}}}}"),
       400, "invalid_argument", "invalid:undecodable", ""},
      {"invalid utf-8",
       absl::StrCat("{\"parent\":\"institutions/IEEPCO\",\"caseRecord\":{"
                    "\"personalData\":{\"victimName\":\"",
                    kCanary, "\xff\xc3\x28\"}}}"),
       400, "invalid_argument", "invalid:undecodable", ""},
      {"oversize",
       absl::StrCat("{\"parent\":\"institutions/IEEPCO\",\"caseRecord\":{"
                    "\"personalData\":{\"narrative\":\"",
                    kCanary, std::string(100 * 1024, 'x'), "\"}}}"),
       429, "resource_exhausted", "limit:message-size", ""},
  };
  for (const Bad& bad : cases) {
    const std::string rid = absl::StrCat("bad-", RandomHex());
    HttpsRequest request;
    request.path = kCreateCase;
    request.body = bad.body;
    request.institution = "IEEPCO";
    request.user = "reg";
    request.headers.push_back("x-request-id: " + rid);
    HttpsAnswer answer = Https(*node_, request);
    EXPECT_EQ(answer.status, bad.http) << bad.name << ": " << answer.body;
    EXPECT_EQ(Json(answer).value("code", ""), bad.code) << bad.name;
    EXPECT_THAT(answer.body, Not(HasSubstr(kCanary))) << bad.name;
    ExpectBrowserHeaders(answer);
    std::vector<v1::AuditEntry> entries = EntriesOf(rid);
    ASSERT_EQ(entries.size(), 1u) << bad.name;
    EXPECT_EQ(entries[0].note(), bad.note) << bad.name;
    EXPECT_EQ(entries[0].actor(), "institutions/IEEPCO/users/reg");
    EXPECT_EQ(absl::StrContains(node_->LogText(), rid), true) << bad.name;
  }
  (void)valid;
  EXPECT_THAT(node_->LogText(), Not(HasSubstr(kCanary)));
}

TEST_F(WebTest, InvalidUtf8InAStringIsRefusedNamingTheField) {
  const std::string body = absl::StrCat(
      "{\"parent\":\"institutions/IEEPCO\",\"caseRecord\":{"
      "\"personalData\":{\"victimName\":\"Ana\xff\xfe\"}}}");
  HttpsRequest request;
  request.path = kCreateCase;
  request.body = body;
  request.institution = "IEEPCO";
  request.user = "reg";
  HttpsAnswer answer = Https(*node_, request);
  EXPECT_EQ(answer.status, 400) << answer.body;
  EXPECT_EQ(Json(answer).value("code", ""), "invalid_argument");
}

TEST_F(WebTest, BrowserDefencesHold) {
  struct Probe {
    std::string name;
    std::string method;
    std::string path;
    std::vector<std::string> headers;
    int http;
  };
  const std::string api = "/resguardo.v1.CaseService/ListCases";
  for (const Probe& p : {
           Probe{"text/plain POST",
                 "POST",
                 api,
                 {"Content-Type: text/plain", "Connect-Protocol-Version: 1"},
                 415},
           Probe{"form POST",
                 "POST",
                 api,
                 {"Content-Type: application/x-www-form-urlencoded"},
                 415},
           Probe{"GET on the API", "GET", api, {}, 405},
           Probe{"no Connect-Protocol-Version",
                 "POST",
                 api,
                 {"Content-Type: application/json"},
                 400},
           Probe{"OPTIONS preflight",
                 "OPTIONS",
                 api,
                 {"Origin: https://evil.example",
                  "Access-Control-Request-Method: POST",
                  "Access-Control-Request-Headers: content-type"},
                 405},
           Probe{"unknown method",
                 "POST",
                 "/resguardo.v1.CaseService/Nope",
                 {"Content-Type: application/json",
                  "Connect-Protocol-Version: 1"},
                 404},
       }) {
    HttpsRequest request;
    request.method = p.method;
    request.path = p.path;
    request.body = "{\"parent\":\"institutions/IEEPCO\"}";
    request.headers = p.headers;
    request.headers.push_back("Origin: https://evil.example");
    request.institution = "IEEPCO";
    request.user = "admin";
    HttpsAnswer answer = Https(*node_, request);
    EXPECT_EQ(answer.status, p.http) << p.name << ": " << answer.body;
    ExpectBrowserHeaders(answer);
    EXPECT_NE(Json(answer).value("code", ""), "") << p.name;
  }
}

TEST_F(WebTest, StaticFilesAreServedWithoutTraversal) {
  HttpsRequest request;
  request.method = "GET";
  request.headers.clear();
  request.institution = "IEEPCO";
  request.user = "reg";
  request.path = "/app.js";
  HttpsAnswer answer = Https(*node_, request);
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.Header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_THAT(answer.Header("content-security-policy"),
              HasSubstr("default-src 'self'"));
  EXPECT_THAT(answer.Header("content-security-policy"),
              HasSubstr("frame-ancestors 'none'"));
  EXPECT_THAT(answer.Header("content-security-policy"),
              Not(HasSubstr("unsafe-inline")));
  ExpectBrowserHeaders(answer);
  // A route of the client's own: index.html.
  request.path = "/casos/IEEPCO-2026-000001";
  answer = Https(*node_, request);
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_THAT(answer.body, HasSubstr("<title>Resguardo</title>"));
  // Traversal, in every spelling: never the file beside the folder.
  for (const char* path :
       {"/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt", "/web/../../secret.txt", "/.%2e/secret.txt",
        "/..\\secret.txt", "/%2E%2E/%2E%2E/secret.txt"}) {
    request.path = path;
    answer = Https(*node_, request);
    EXPECT_THAT(answer.body, Not(HasSubstr(kCanary))) << path;
    EXPECT_TRUE(answer.status == 404 || answer.status == 400 ||
                (answer.status == 200 &&
                 absl::StrContains(answer.body, "<title>Resguardo</title>")))
        << path << " " << answer.status;
    ExpectBrowserHeaders(answer);
  }
  // POST to a static path, and no directory listing.
  request.method = "POST";
  request.path = "/app.js";
  EXPECT_EQ(Https(*node_, request).status, 405);
}

TEST_F(WebTest, TheSameCallLeavesTheSameAuditEntryOnBothTransports) {
  v1::Case created = NewCase();
  v1::GetCaseRequest get;
  get.set_name(created.name());
  const std::string grpc_rid = absl::StrCat("both-grpc-", RandomHex());
  const std::string web_rid = absl::StrCat("both-web-", RandomHex());
  v1::Case response;
  ASSERT_TRUE(v1::CaseService::NewStub(node_->Channel("IEEPCO", "cw"))
                  ->GetCase(TestNode::Context(grpc_rid).get(), get, &response)
                  .ok());
  HttpsAnswer answer =
      ConnectCall(*node_, "IEEPCO", "cw", kGetCase, get, web_rid);
  ASSERT_EQ(answer.status, 200);
  std::vector<v1::AuditEntry> by_grpc = EntriesOf(grpc_rid);
  std::vector<v1::AuditEntry> by_web = EntriesOf(web_rid);
  ASSERT_EQ(by_grpc.size(), 1u);
  ASSERT_EQ(by_web.size(), 1u);
  EXPECT_EQ(by_grpc[0].transport(), v1::TRANSPORT_GRPC);
  EXPECT_EQ(by_web[0].transport(), v1::TRANSPORT_CONNECT_JSON);
  for (v1::AuditEntry* e : {&by_grpc[0], &by_web[0]}) {
    e->clear_index();
    e->clear_time();
    e->clear_request_id();
    e->clear_transport();
  }
  EXPECT_EQ(by_grpc[0].SerializeAsString(), by_web[0].SerializeAsString())
      << by_grpc[0].DebugString() << "\nvs\n"
      << by_web[0].DebugString();
}

TEST_F(WebTest, CanariesInSealedFieldsNeverReachTheLog) {
  NewCase(absl::StrCat("Victima ", kCanary));
  EXPECT_THAT(node_->LogText(), Not(HasSubstr(kCanary)));
}

TEST_F(WebTest, AnInvalidTimeoutIsRefused) {
  HttpsRequest request;
  request.path = "/resguardo.v1.CaseService/ListCases";
  request.body = "{\"parent\":\"institutions/IEEPCO\"}";
  request.headers.push_back("Connect-Timeout-Ms: soon");
  request.institution = "IEEPCO";
  request.user = "cw";
  HttpsAnswer answer = Https(*node_, request);
  EXPECT_EQ(answer.status, 400) << answer.body;
  request.headers.back() = "Connect-Timeout-Ms: 5000";
  answer = Https(*node_, request);
  EXPECT_EQ(answer.status, 200) << answer.body;
}

}  // namespace
}  // namespace resguardo
