// WatchAlerts over the web listener as a Connect server stream (issue 15):
// the real resguardod, real TLS 1.3 with the test PKI, a real SQLCipher
// file, and a Boost.Beast client that reads the stream's envelopes as they
// arrive and leaves when it chooses (tests/testing/https_client.h). An
// alert is delivered; a client that leaves and resumes with its token gets
// every later alert exactly once; the per-user cap refuses one stream more
// (resource_exhausted) and a client that leaves gives its slot back; bad
// envelopes, bad JSON and compression are refused, logged and audited; a
// refusal is in the caller's language; the listener's read and idle
// timeouts do not cut a quiet stream, its Connect-Timeout-Ms does; the
// node's cap refuses one stream more; a node that stops ends its streams
// with unavailable.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "google/rpc/error_details.pb.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "resguardo/v1/case_service.grpc.pb.h"
#include "resguardo/v1/referral_service.grpc.pb.h"
#include "tests/testing/https_client.h"
#include "tests/testing/test_deployment.h"
#include "tests/testing/test_node.h"

namespace resguardo {
namespace {

using ::resguardo::testing::ConnectEnvelope;
using ::resguardo::testing::ConnectStreamClient;
using ::resguardo::testing::Https;
using ::resguardo::testing::HttpsAnswer;
using ::resguardo::testing::HttpsRequest;
using ::resguardo::testing::RandomHex;
using ::resguardo::testing::Staff;
using ::resguardo::testing::TestNode;
using ::testing::Contains;
using ::testing::HasSubstr;

constexpr char kWatch[] = "/resguardo.v1.ReferralService/WatchAlerts";
constexpr absl::Duration kWait = absl::Seconds(20);

const Staff kRegistrar{"IEEPCO", "reg", v1::ROLE_REGISTRAR};
const Staff kCaseworker{"IEEPCO", "cw", v1::ROLE_CASEWORKER};
const Staff kFgeoAdmin{"FGEO", "fgeo.admin", v1::ROLE_ADMIN};
const Staff kWatcher{"FGEO", "fgeo.cw", v1::ROLE_CASEWORKER};
const Staff kCapped{"FGEO", "fgeo.cw2", v1::ROLE_CASEWORKER};
const Staff kChecker{"FGEO", "fgeo.sup", v1::ROLE_SUPERVISOR};

v1::WatchAlertsRequest Watch(const std::string& institution,
                             const std::string& token = "") {
  v1::WatchAlertsRequest watch;
  watch.set_parent(absl::StrCat("institutions/", institution));
  watch.set_resume_token(token);
  return watch;
}

// Opens WatchAlerts as `who` (a failure if no answer came).
std::unique_ptr<ConnectStreamClient> Open(
    const TestNode& node, const Staff& who, const std::string& body,
    const std::string& request_id = "",
    std::vector<std::string> headers = {
        "Content-Type: application/connect+json",
        "Connect-Protocol-Version: 1"}) {
  if (!request_id.empty()) headers.push_back("x-request-id: " + request_id);
  absl::StatusOr<std::unique_ptr<ConnectStreamClient>> stream =
      ConnectStreamClient::Open(node, who.institution, who.user, kWatch, body,
                                headers);
  EXPECT_TRUE(stream.ok()) << stream.status();
  return stream.ok() ? *std::move(stream) : nullptr;
}

// The next message: an alert, or (end_json set) the end-of-stream's JSON.
struct Next {
  bool got = false;
  std::optional<v1::Alert> alert;
  nlohmann::json end;
};

Next Read(ConnectStreamClient& stream, absl::Duration timeout = kWait) {
  Next next;
  std::optional<ConnectStreamClient::Message> message = stream.Next(timeout);
  if (!message) return next;
  next.got = true;
  if (message->flags == 0x02) {
    next.end = nlohmann::json::parse(message->data, nullptr, false);
    return next;
  }
  EXPECT_EQ(message->flags, 0);
  v1::Alert alert;
  EXPECT_TRUE(
      google::protobuf::util::JsonStringToMessage(message->data, &alert).ok())
      << message->data;
  next.alert = alert;
  return next;
}

// The code of an end-of-stream message's error ("" without one).
std::string ErrorCode(const Next& next) {
  if (!next.end.is_object() || !next.end.contains("error")) return "";
  return next.end["error"].value("code", "");
}

// A detail of an end-of-stream error, decoded from its base64 "value" (as
// a client library does); false if the error has none of its type.
bool Detail(const Next& next, google::protobuf::Message* detail) {
  if (!next.end.is_object() || !next.end.contains("error")) return false;
  for (const auto& d :
       next.end["error"].value("details", nlohmann::json::array())) {
    if (d.value("type", "") != detail->GetDescriptor()->full_name()) continue;
    std::string value = d.value("value", "");
    while (value.size() % 4 != 0) value.push_back('=');
    std::string bytes;
    return absl::Base64Unescape(value, &bytes) &&
           detail->ParseFromString(bytes);
  }
  return false;
}

// The field paths of an end-of-stream error's BadRequest detail.
std::vector<std::string> BadRequestFields(const Next& next) {
  std::vector<std::string> fields;
  google::rpc::BadRequest bad;
  if (!Detail(next, &bad)) return fields;
  for (const auto& v : bad.field_violations()) fields.push_back(v.field());
  return fields;
}

v1::CreateCaseRequest ValidCase() {
  v1::CreateCaseRequest r;
  r.set_parent("institutions/IEEPCO");
  auto* d = r.mutable_case_record()->mutable_descriptors();
  d->set_kind(v1::CASE_KIND_POLITICAL_VIOLENCE);
  d->set_state_code("20");
  *d->mutable_reported_date() = testing::DaysAgo(3);
  d->add_violence_types(v1::VIOLENCE_TYPE_PSYCHOLOGICAL);
  d->set_risk_level(v1::RISK_LEVEL_MEDIUM);
  r.mutable_case_record()->mutable_personal_data()->set_victim_name(
      "Persona Sintética");
  return r;
}

// Refers a new IEEPCO case to `to` (over gRPC): one alert for `to`.
std::string NewReferral(const TestNode& node, const std::string& to) {
  v1::Case created;
  grpc::Status s =
      v1::CaseService::NewStub(node.Channel("IEEPCO", "reg"))
          ->CreateCase(TestNode::Context().get(), ValidCase(), &created);
  EXPECT_TRUE(s.ok()) << s.error_message();
  v1::CreateReferralRequest r;
  r.mutable_referral()->set_case_(created.name());
  r.mutable_referral()->set_receiving_institution(to);
  r.mutable_referral()->add_services(v1::REFERRAL_SERVICE_KIND_INVESTIGATION);
  r.mutable_consent()->set_given_by(v1::CONSENT_GIVER_VICTIM);
  r.mutable_consent()->set_method(v1::CONSENT_METHOD_IN_WRITING);
  r.mutable_consent()->mutable_give_time()->set_seconds(
      absl::ToUnixSeconds(absl::Now()) - 600);
  r.mutable_consent()->set_scope(v1::SHARING_SCOPE_CONTACT_ONLY);
  v1::Referral referral;
  s = v1::ReferralService::NewStub(node.Channel("IEEPCO", "cw"))
          ->CreateReferral(TestNode::Context().get(), r, &referral);
  EXPECT_TRUE(s.ok()) << s.error_message();
  return referral.name();
}

// The node's log lines that carry `request_id`.
std::vector<std::string> LogLinesOf(const TestNode& node,
                                    const std::string& request_id) {
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(node.LogText(), '\n')) {
    if (absl::StrContains(line, request_id)) lines.emplace_back(line);
  }
  return lines;
}

// A node with the web listener, FGEO, and the staff above.
absl::StatusOr<std::unique_ptr<TestNode>> StartNode(
    testing::TestNodeOptions options) {
  options.web = true;
  absl::StatusOr<std::unique_ptr<TestNode>> node = TestNode::Create(options);
  if (!node.ok()) return node.status();
  const std::vector<const Staff*> staff = {
      &kRegistrar, &kCaseworker, &kFgeoAdmin, &kWatcher, &kCapped, &kChecker};
  absl::Status s = testing::IssueClientCerts(**node, staff);
  if (s.ok()) s = (*node)->Start();
  if (s.ok()) {
    s = testing::CreateInstitutions(
        **node, {{"FGEO", v1::INSTITUTION_KIND_PROSECUTOR, "Fiscalía", "20"}});
  }
  if (s.ok()) s = testing::CreateUsers(**node, staff);
  if (!s.ok()) return s;
  return node;
}

class WebStreamTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    testing::TestNodeOptions options;
    // Two streams per user: the cap is reached quickly.
    options.extra_limits = "max_streams_per_user: 2";
    // Short enough that a stream outlives them many times over.
    options.extra_web = "read_timeout_seconds: 2\n  idle_timeout_seconds: 2";
    absl::StatusOr<std::unique_ptr<TestNode>> node = StartNode(options);
    ASSERT_TRUE(node.ok()) << node.status();
    node_ = node->release();
  }

  static void TearDownTestSuite() {
    delete node_;
    node_ = nullptr;
  }

  void SetUp() override {
    if (node_ == nullptr) GTEST_SKIP() << "the node did not start";
  }

  static TestNode* node_;
};

TestNode* WebStreamTest::node_ = nullptr;

TEST_F(WebStreamTest, DeliversAnAlertAndResumesWithEveryLaterAlertOnce) {
  const std::string rid = absl::StrCat("web-watch-", RandomHex());
  std::unique_ptr<ConnectStreamClient> stream =
      Open(*node_, kWatcher, ConnectEnvelope(Watch("FGEO")), rid);
  ASSERT_NE(stream, nullptr);
  ASSERT_EQ(stream->status(), 200);
  EXPECT_EQ(stream->Header("content-type"), "application/connect+json");
  EXPECT_EQ(stream->Header("x-request-id"), rid);
  EXPECT_EQ(stream->Header("cache-control"), "no-store");
  EXPECT_EQ(stream->Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(stream->Header("access-control-allow-origin"), "");
  // The head comes once the stream is admitted: what is raised from now on
  // is delivered.
  const std::string first = NewReferral(*node_, "FGEO");
  Next next = Read(*stream);
  ASSERT_TRUE(next.alert.has_value()) << next.end.dump();
  EXPECT_EQ(next.alert->kind(), v1::ALERT_KIND_NEW_REFERRAL);
  EXPECT_EQ(next.alert->resource(), first);
  const uint64_t sequence = next.alert->sequence();
  const std::string token = next.alert->resume_token();
  ASSERT_FALSE(token.empty());
  // Its start was audited, as coming by the web listener.
  std::vector<v1::AuditEntry> entries = testing::AuditEntriesOf(*node_, rid);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].method(), kWatch);
  EXPECT_EQ(entries[0].transport(), v1::TRANSPORT_CONNECT_JSON);
  EXPECT_EQ(entries[0].outcome(), 0);
  EXPECT_EQ(entries[0].actor(), "institutions/FGEO/users/fgeo.cw");

  // The client leaves; two alerts are raised meanwhile.
  stream->Close();
  std::vector<std::string> missed = {NewReferral(*node_, "FGEO"),
                                     NewReferral(*node_, "FGEO")};
  stream = Open(*node_, kWatcher, ConnectEnvelope(Watch("FGEO", token)));
  ASSERT_NE(stream, nullptr);
  ASSERT_EQ(stream->status(), 200);
  for (size_t i = 0; i < missed.size(); ++i) {
    next = Read(*stream);
    ASSERT_TRUE(next.alert.has_value()) << next.end.dump();
    EXPECT_EQ(next.alert->resource(), missed[i]);
    EXPECT_EQ(next.alert->sequence(), sequence + 1 + i);
  }
  // One raised while connected comes next, and nothing twice.
  const std::string later = NewReferral(*node_, "FGEO");
  next = Read(*stream);
  ASSERT_TRUE(next.alert.has_value()) << next.end.dump();
  EXPECT_EQ(next.alert->resource(), later);
  EXPECT_EQ(next.alert->sequence(), sequence + 3);
  next = Read(*stream, absl::Seconds(2));
  EXPECT_FALSE(next.got) << "a repeat: " << next.end.dump();
  stream->Close();

  // The first stream ended when its client left, logged once as cancelled.
  std::vector<std::string> lines;
  for (int i = 0; i < 100; ++i) {
    lines = LogLinesOf(*node_, rid);
    if (!lines.empty()) break;
    absl::SleepFor(absl::Milliseconds(100));
  }
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_THAT(lines[0], HasSubstr("\"code\":\"CANCELLED\""));
}

TEST_F(WebStreamTest, AQuietStreamOutlivesTheReadAndIdleTimeouts) {
  std::unique_ptr<ConnectStreamClient> stream =
      Open(*node_, kChecker, ConnectEnvelope(Watch("FGEO")));
  ASSERT_NE(stream, nullptr);
  ASSERT_EQ(stream->status(), 200);
  // Nothing for over twice the listener's read and idle timeouts (2 s).
  Next next = Read(*stream, absl::Seconds(5));
  EXPECT_FALSE(next.got) << next.end.dump();
  EXPECT_FALSE(stream->ended());
  const std::string referral = NewReferral(*node_, "FGEO");
  next = Read(*stream);
  ASSERT_TRUE(next.alert.has_value()) << next.end.dump();
  EXPECT_EQ(next.alert->resource(), referral);
}

TEST_F(WebStreamTest, OneStreamOverTheCapIsRefusedAndALeavingClientFreesIt) {
  std::vector<std::unique_ptr<ConnectStreamClient>> open;
  for (int i = 0; i < 2; ++i) {
    open.push_back(Open(*node_, kCapped, ConnectEnvelope(Watch("FGEO"))));
    ASSERT_NE(open.back(), nullptr);
    ASSERT_EQ(open.back()->status(), 200);
    // Admitted: a streamed body (a refusal is one end-of-stream message).
    ASSERT_EQ(open.back()->Header("transfer-encoding"), "chunked");
  }
  const std::string rid = absl::StrCat("web-cap-", RandomHex());
  std::unique_ptr<ConnectStreamClient> refused =
      Open(*node_, kCapped, ConnectEnvelope(Watch("FGEO")), rid);
  ASSERT_NE(refused, nullptr);
  EXPECT_EQ(refused->status(), 200);  // a stream's error is in its end
  EXPECT_NE(refused->Header("transfer-encoding"), "chunked");
  Next next = Read(*refused);
  ASSERT_TRUE(next.got);
  ASSERT_FALSE(next.alert.has_value());
  EXPECT_EQ(ErrorCode(next), "resource_exhausted") << next.end.dump();
  std::vector<v1::AuditEntry> entries = testing::AuditEntriesOf(*node_, rid);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].note(), "limit:streams");
  EXPECT_EQ(entries[0].transport(), v1::TRANSPORT_CONNECT_JSON);
  // The open streams were not disturbed.
  EXPECT_FALSE(Read(*open[0], absl::Milliseconds(200)).got);

  // One client leaves: its slot comes back (once the node has seen it go).
  open[0]->Close();
  bool admitted = false;
  for (int attempt = 0; attempt < 100 && !admitted; ++attempt) {
    std::unique_ptr<ConnectStreamClient> again =
        Open(*node_, kCapped, ConnectEnvelope(Watch("FGEO")));
    ASSERT_NE(again, nullptr);
    if (again->Header("transfer-encoding") == "chunked") {
      admitted = true;
      open[0] = std::move(again);
    } else {
      EXPECT_EQ(ErrorCode(Read(*again)), "resource_exhausted");
      absl::SleepFor(absl::Milliseconds(100));
    }
  }
  EXPECT_TRUE(admitted);
}

TEST_F(WebStreamTest, BadRequestsAreRefusedInTheEndOfStreamLoggedAndAudited) {
  struct Case {
    std::string what;
    std::string body;
    std::vector<std::string> extra_headers;
    std::string code;
    std::string field;  // in the BadRequest details, when one is named
  };
  const std::string watch = "{\"parent\":\"institutions/FGEO\"}";
  const std::vector<Case> cases = {
      {"not enveloped", watch, {}, "invalid_argument", ""},
      {"too short", std::string("\0\0", 2), {}, "invalid_argument", ""},
      {"flagged compressed",
       ConnectEnvelope(0x01, watch),
       {},
       "invalid_argument",
       ""},
      {"flagged end of stream",
       ConnectEnvelope(0x02, watch),
       {},
       "invalid_argument",
       ""},
      {"length too long",
       ConnectEnvelope(0, watch).substr(0, 20),
       {},
       "invalid_argument",
       ""},
      {"two messages",
       ConnectEnvelope(0, watch) + ConnectEnvelope(0, watch),
       {},
       "invalid_argument",
       ""},
      {"not JSON", ConnectEnvelope(0, "{parent:"), {}, "invalid_argument", ""},
      {"a wrong type",
       ConnectEnvelope(0, "{\"parent\":5}"),
       {},
       "invalid_argument",
       "parent"},
      {"an unknown field",
       ConnectEnvelope(0, "{\"parentt\":\"x\"}"),
       {},
       "invalid_argument",
       ""},
      {"compressed encoding",
       ConnectEnvelope(0, watch),
       {"Connect-Content-Encoding: gzip"},
       "unimplemented",
       ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    const std::string rid = absl::StrCat("web-bad-", RandomHex());
    std::vector<std::string> headers = {
        "Content-Type: application/connect+json",
        "Connect-Protocol-Version: 1"};
    headers.insert(headers.end(), c.extra_headers.begin(),
                   c.extra_headers.end());
    std::unique_ptr<ConnectStreamClient> stream =
        Open(*node_, kWatcher, c.body, rid, headers);
    ASSERT_NE(stream, nullptr);
    EXPECT_EQ(stream->status(), 200);
    EXPECT_EQ(stream->Header("content-type"), "application/connect+json");
    Next next = Read(*stream);
    ASSERT_TRUE(next.got);
    ASSERT_FALSE(next.alert.has_value());
    EXPECT_EQ(ErrorCode(next), c.code) << next.end.dump();
    if (!c.field.empty()) {
      EXPECT_THAT(BadRequestFields(next), Contains(c.field));
    }
    // The client's bytes are never repeated.
    EXPECT_THAT(next.end.dump(), ::testing::Not(HasSubstr("parentt")));
    std::vector<v1::AuditEntry> entries = testing::AuditEntriesOf(*node_, rid);
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].method(), kWatch);
    EXPECT_EQ(entries[0].transport(), v1::TRANSPORT_CONNECT_JSON);
    EXPECT_EQ(entries[0].note(), "invalid:undecodable");
    EXPECT_NE(entries[0].outcome(), 0);
    std::vector<std::string> lines = LogLinesOf(*node_, rid);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_THAT(lines[0], HasSubstr(kWatch));
  }
}

// A stream refused before it starts answers in the caller's language, as
// a unary call does: the end-of-stream error's LocalizedMessage and its
// field violations' descriptions in English when Accept-Language asks for
// it, in Spanish when it is absent. The message stays English.
TEST_F(WebStreamTest, ARefusedStreamAnswersInTheCallersLanguage) {
  struct Asked {
    std::string header;
    std::string locale;
  };
  for (const Asked& asked :
       {Asked{"Accept-Language: en", "en"}, Asked{"", "es"}}) {
    SCOPED_TRACE(asked.header);
    std::vector<std::string> headers = {
        "Content-Type: application/connect+json",
        "Connect-Protocol-Version: 1"};
    if (!asked.header.empty()) headers.push_back(asked.header);
    std::unique_ptr<ConnectStreamClient> stream = Open(
        *node_, kWatcher, ConnectEnvelope(0, "{\"parent\":5}"), "", headers);
    ASSERT_NE(stream, nullptr);
    EXPECT_EQ(stream->status(), 200);
    Next next = Read(*stream);
    ASSERT_TRUE(next.got);
    ASSERT_FALSE(next.alert.has_value());
    ASSERT_EQ(ErrorCode(next), "invalid_argument") << next.end.dump();
    EXPECT_THAT(next.end["error"].value("message", ""),
                HasSubstr("has a value of the wrong type"));
    google::rpc::LocalizedMessage localized;
    ASSERT_TRUE(Detail(next, &localized)) << next.end.dump();
    EXPECT_EQ(localized.locale(), asked.locale);
    EXPECT_EQ(localized.message(), asked.locale == "en"
                                       ? "The request has invalid values."
                                       : "La solicitud tiene datos inválidos.");
    google::rpc::BadRequest bad;
    ASSERT_TRUE(Detail(next, &bad)) << next.end.dump();
    ASSERT_EQ(bad.field_violations_size(), 1);
    EXPECT_EQ(bad.field_violations(0).field(), "parent");
    EXPECT_THAT(bad.field_violations(0).description(),
                HasSubstr(asked.locale == "en" ? "has a value of the wrong type"
                                               : "tiene un valor del tipo"));
  }
}

TEST_F(WebStreamTest, BrowserDefencesHoldForStreams) {
  HttpsRequest request;
  request.path = kWatch;
  request.institution = "FGEO";
  request.user = "fgeo.cw";
  request.body = ConnectEnvelope(Watch("FGEO"));
  // A stream's body is application/connect+json, nothing else.
  request.headers = {"Content-Type: application/json",
                     "Connect-Protocol-Version: 1"};
  HttpsAnswer answer = Https(*node_, request);
  EXPECT_EQ(answer.status, 415);
  request.headers = {"Content-Type: text/plain", "Connect-Protocol-Version: 1"};
  EXPECT_EQ(Https(*node_, request).status, 415);
  request.headers = {"Content-Type: application/connect+json"};
  answer = Https(*node_, request);
  EXPECT_EQ(answer.status, 400);
  EXPECT_FALSE(answer.HasHeaderPrefix("access-control-"));
  request.headers = {"Content-Type: application/connect+json",
                     "Connect-Protocol-Version: 1"};
  request.method = "GET";
  EXPECT_EQ(Https(*node_, request).status, 405);
  request.method = "OPTIONS";
  answer = Https(*node_, request);
  EXPECT_EQ(answer.status, 405);
  EXPECT_FALSE(answer.HasHeaderPrefix("access-control-"));
}

TEST_F(WebStreamTest, ConnectTimeoutMsEndsTheStreamWithDeadlineExceeded) {
  std::unique_ptr<ConnectStreamClient> stream =
      Open(*node_, kChecker, ConnectEnvelope(Watch("FGEO")), "",
           {"Content-Type: application/connect+json",
            "Connect-Protocol-Version: 1", "Connect-Timeout-Ms: 1500"});
  ASSERT_NE(stream, nullptr);
  ASSERT_EQ(stream->status(), 200);
  EXPECT_EQ(stream->Header("transfer-encoding"), "chunked");
  Next next = Read(*stream);
  ASSERT_TRUE(next.got);
  ASSERT_FALSE(next.alert.has_value());
  EXPECT_EQ(ErrorCode(next), "deadline_exceeded") << next.end.dump();
}

TEST(WebStreamNodeTest, TheNodeCapRefusesAndAStoppingNodeEndsStreams) {
  // One stream for the whole node: another user's is one too many.
  testing::TestNodeOptions options;
  options.extra_limits = "max_streams: 1\n  max_streams_per_user: 1";
  absl::StatusOr<std::unique_ptr<TestNode>> node = StartNode(options);
  ASSERT_TRUE(node.ok()) << node.status();
  std::unique_ptr<ConnectStreamClient> stream =
      Open(**node, kWatcher, ConnectEnvelope(Watch("FGEO")));
  ASSERT_NE(stream, nullptr);
  ASSERT_EQ(stream->status(), 200);
  ASSERT_EQ(stream->Header("transfer-encoding"), "chunked");
  std::unique_ptr<ConnectStreamClient> refused =
      Open(**node, kCapped, ConnectEnvelope(Watch("FGEO")));
  ASSERT_NE(refused, nullptr);
  Next next = Read(*refused);
  EXPECT_EQ(ErrorCode(next), "resource_exhausted") << next.end.dump();
  EXPECT_THAT(next.end.dump(), HasSubstr("the node has 1 streams open"));
  // The node stops: its open stream ends with unavailable.
  absl::StatusOr<int> stopped = (*node)->Stop();
  ASSERT_TRUE(stopped.ok()) << stopped.status();
  EXPECT_EQ(*stopped, 0);
  next = Read(*stream);
  ASSERT_TRUE(next.got);
  ASSERT_FALSE(next.alert.has_value());
  EXPECT_EQ(ErrorCode(next), "unavailable") << next.end.dump();
}

}  // namespace
}  // namespace resguardo
