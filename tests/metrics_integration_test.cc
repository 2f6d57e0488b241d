// The node's metrics (issue 18) through the real resguardod, real TLS 1.3
// with the test PKI, a real SQLCipher file, and the `curl` command as the
// scraper: GET /metrics answers a monitor's certificate, and no other
// (refusals audited as any refusal); the exposition parses; its counters
// move with the calls made; every label value is from a bounded set, and
// nothing a client sent (a canary) ever reaches it.
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "resguardo/v1/admin_service.grpc.pb.h"
#include "tests/testing/case_requests.h"
#include "tests/testing/https_client.h"
#include "tests/testing/test_deployment.h"
#include "tests/testing/test_node.h"

namespace resguardo {
namespace {

using ::resguardo::testing::ConnectCall;
using ::resguardo::testing::Https;
using ::resguardo::testing::HttpsAnswer;
using ::resguardo::testing::HttpsRequest;
using ::resguardo::testing::RandomHex;
using ::resguardo::testing::TestNode;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kCanary[] = "CANARIO-METRICA-7731";
constexpr char kListUsers[] = "/resguardo.v1.AdminService/ListUsers";

// One sample of the exposition.
struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0;
};

// Parses the text exposition format 0.0.4 strictly enough for the node's
// output: "# HELP name text", "# TYPE name type" (declared once, before its
// samples), and samples `name{k="v",...} value`; an empty error when every
// line parses.
std::string Parse(const std::string& text, std::vector<Sample>* samples) {
  std::set<std::string> typed;
  if (text.empty() || text.back() != '\n') return "no final newline";
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (line.empty()) continue;
    if (absl::ConsumePrefix(&line, "# ")) {
      std::vector<std::string> parts =
          absl::StrSplit(line, absl::MaxSplits(' ', 2));
      if (parts.size() < 2 || (parts[0] != "HELP" && parts[0] != "TYPE")) {
        return absl::StrCat("bad comment: ", line);
      }
      if (parts[0] == "TYPE") {
        static const std::set<std::string> kTypes = {
            "counter", "gauge", "histogram", "summary", "untyped"};
        if (parts.size() != 3 || !kTypes.count(parts[2]) ||
            !typed.insert(parts[1]).second) {
          return absl::StrCat("bad TYPE: ", line);
        }
      }
      continue;
    }
    Sample sample;
    size_t i = 0;
    while (i < line.size() &&
           (absl::ascii_isalnum(line[i]) || line[i] == '_' || line[i] == ':')) {
      ++i;
    }
    sample.name = std::string(line.substr(0, i));
    if (sample.name.empty() || absl::ascii_isdigit(sample.name[0])) {
      return absl::StrCat("bad name: ", line);
    }
    if (i < line.size() && line[i] == '{') {
      ++i;
      while (i < line.size() && line[i] != '}') {
        const size_t eq = line.find("=\"", i);
        if (eq == absl::string_view::npos) return absl::StrCat("label: ", line);
        std::string key(line.substr(i, eq - i));
        std::string value;
        size_t j = eq + 2;
        for (; j < line.size() && line[j] != '"'; ++j) {
          if (line[j] == '\\' && j + 1 < line.size()) ++j;
          value.push_back(line[j]);
        }
        if (j >= line.size()) return absl::StrCat("unterminated: ", line);
        sample.labels[key] = value;
        i = j + 1;
        if (i < line.size() && line[i] == ',') ++i;
      }
      if (i >= line.size()) return absl::StrCat("no '}': ", line);
      ++i;
    }
    if (i >= line.size() || line[i] != ' ')
      return absl::StrCat("value: ", line);
    absl::string_view value = line.substr(i + 1);
    if (value == "+Inf") {
      sample.value = 1e308;
    } else if (!absl::SimpleAtod(value, &sample.value)) {
      return absl::StrCat("bad value: ", line);
    }
    // Every sample belongs to a declared family (histograms: _bucket,
    // _sum, _count).
    std::string family = sample.name;
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      if (!typed.count(family) && absl::EndsWith(family, suffix)) {
        family.resize(family.size() - strlen(suffix));
      }
    }
    if (!typed.count(family)) return absl::StrCat("undeclared: ", line);
    samples->push_back(std::move(sample));
  }
  return "";
}

class MetricsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    testing::TestNodeOptions options;
    options.web = true;
    absl::StatusOr<std::unique_ptr<TestNode>> node = TestNode::Create(options);
    ASSERT_TRUE(node.ok()) << node.status();
    node_ = node->release();
    ASSERT_TRUE(node_->Start().ok());
    AddUser("mon", v1::ROLE_MONITOR);
    AddUser("cw", v1::ROLE_CASEWORKER);
    AddUser("aud", v1::ROLE_AUDITOR);
  }

  static void AddUser(const std::string& user, v1::Role role) {
    ASSERT_TRUE(node_->IssueClientCert("IEEPCO", user).ok());
    v1::CreateUserRequest request;
    request.set_parent("institutions/IEEPCO");
    request.mutable_user()->set_user_id(user);
    request.mutable_user()->add_roles(role);
    v1::User created;
    grpc::Status s =
        v1::AdminService::NewStub(node_->Channel("IEEPCO", "admin"))
            ->CreateUser(TestNode::Context().get(), request, &created);
    ASSERT_TRUE(s.ok()) << user << ": " << s.error_message();
  }

  static void TearDownTestSuite() {
    delete node_;
    node_ = nullptr;
  }

  void SetUp() override {
    if (node_ == nullptr) GTEST_SKIP() << "the node did not start";
  }

  static HttpsAnswer Get(const std::string& user, const std::string& rid = "",
                         const std::string& path = "/metrics") {
    HttpsRequest request;
    request.method = "GET";
    request.path = path;
    request.headers = {};
    if (!rid.empty()) request.headers.push_back("x-request-id: " + rid);
    request.institution = "IEEPCO";
    request.user = user;
    request.no_certificate = user.empty();
    return Https(*node_, request);
  }

  // The monitor's scrape, parsed.
  static std::vector<Sample> Scrape() {
    HttpsAnswer answer = Get("mon");
    EXPECT_EQ(answer.status, 200) << answer.body;
    std::vector<Sample> samples;
    std::string error = Parse(answer.body, &samples);
    EXPECT_EQ(error, "");
    return samples;
  }

  // The value of the sample `name` with exactly `labels`; 0 when absent.
  static double Value(const std::vector<Sample>& samples,
                      const std::string& name,
                      const std::map<std::string, std::string>& labels) {
    for (const Sample& s : samples) {
      if (s.name == name && s.labels == labels) return s.value;
    }
    return 0;
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

  static TestNode* node_;
};

TestNode* MetricsTest::node_ = nullptr;

TEST_F(MetricsTest, AMonitorReadsAnExpositionThatParses) {
  const std::string rid = absl::StrCat("scrape-", RandomHex());
  HttpsAnswer answer = Get("mon", rid);
  ASSERT_EQ(answer.status, 200) << answer.body;
  EXPECT_THAT(answer.Header("content-type"),
              StartsWith("text/plain; version=0.0.4"));
  EXPECT_EQ(answer.Header("cache-control"), "no-store");
  std::vector<Sample> samples;
  ASSERT_EQ(Parse(answer.body, &samples), "") << answer.body;
  std::set<std::string> names;
  for (const Sample& s : samples) names.insert(s.name);
  for (const char* name :
       {"resguardo_calls_total", "resguardo_call_duration_seconds_bucket",
        "resguardo_call_duration_seconds_count",
        "resguardo_store_write_queue_depth",
        "resguardo_store_batch_size_bucket",
        "resguardo_store_commit_duration_seconds_count",
        "resguardo_store_wal_bytes", "resguardo_audit_entries",
        "resguardo_audit_checkpoint_age_seconds",
        "resguardo_audit_checkpoint_size", "resguardo_alert_streams_open",
        "resguardo_kek_stale_data_keys", "resguardo_kek_institutions_rotating",
        "resguardo_start_time_seconds", "resguardo_build_info"}) {
    EXPECT_TRUE(names.count(name)) << name << " missing from\n" << answer.body;
  }
  EXPECT_GT(Value(samples, "resguardo_audit_entries", {}), 0);
  EXPECT_GT(Value(samples, "resguardo_store_commit_duration_seconds_count", {}),
            0);
  EXPECT_GT(Value(samples, "resguardo_start_time_seconds", {}), 1.7e9);
  // The scrape is a read like any other: audited before the answer left.
  std::vector<v1::AuditEntry> entries = EntriesOf(rid);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].method(), "/metrics");
  EXPECT_EQ(entries[0].outcome(), 0);
  EXPECT_EQ(entries[0].transport(), v1::TRANSPORT_HTTPS);
  EXPECT_EQ(entries[0].actor(), "institutions/IEEPCO/users/mon");
}

TEST_F(MetricsTest, EveryOtherCallerIsRefusedAndTheRefusalIsAudited) {
  for (const char* user : {"cw", "aud", "admin"}) {
    const std::string rid = absl::StrCat("nometrics-", RandomHex());
    HttpsAnswer answer = Get(user, rid);
    EXPECT_EQ(answer.status, 403) << user << ": " << answer.body;
    EXPECT_THAT(answer.body, Not(HasSubstr("resguardo_")));
    std::vector<v1::AuditEntry> entries = EntriesOf(rid);
    ASSERT_EQ(entries.size(), 1u) << user;
    EXPECT_EQ(entries[0].method(), "/metrics");
    EXPECT_EQ(entries[0].outcome(), 7 /* PERMISSION_DENIED */);
    EXPECT_EQ(entries[0].note(), "denied:role");
    EXPECT_EQ(entries[0].actor(),
              absl::StrCat("institutions/IEEPCO/users/", user));
  }
  // A certificate of the CA without a user: UNAUTHENTICATED, audited.
  ASSERT_TRUE(node_->IssueClientCert("IEEPCO", "nadie").ok());
  const std::string rid = absl::StrCat("nouser-", RandomHex());
  HttpsAnswer unknown = Get("nadie", rid);
  EXPECT_EQ(unknown.status, 401) << unknown.body;
  ASSERT_EQ(EntriesOf(rid).size(), 1u);
  EXPECT_EQ(EntriesOf(rid)[0].note(), "unauthenticated:unknown-user");
  // No certificate, or one of another CA: the handshake fails, no request.
  HttpsAnswer none = Get("");
  EXPECT_NE(none.curl_exit, 0);
  EXPECT_EQ(none.status, 0);
  HttpsRequest other;
  other.method = "GET";
  other.path = "/metrics";
  other.headers = {};
  other.institution = "IEEPCO";
  other.user = "mon";
  other.other_ca = true;
  ASSERT_TRUE(node_->IssueClientCert("IEEPCO", "mon", true).ok());
  EXPECT_EQ(Https(*node_, other).status, 0);
  // Only GET.
  HttpsRequest post;
  post.method = "POST";
  post.path = "/metrics";
  post.institution = "IEEPCO";
  post.user = "mon";
  EXPECT_EQ(Https(*node_, post).status, 405);
}

TEST_F(MetricsTest, AMonitorCallsNothingElse) {
  v1::GetCurrentUserRequest request;
  HttpsAnswer me =
      ConnectCall(*node_, "IEEPCO", "mon",
                  "/resguardo.v1.AdminService/GetCurrentUser", request);
  EXPECT_EQ(me.status, 403) << me.body;
  v1::ListUsersRequest list;
  list.set_parent("institutions/IEEPCO");
  HttpsAnswer users = ConnectCall(*node_, "IEEPCO", "mon", kListUsers, list);
  EXPECT_EQ(users.status, 403) << users.body;
}

TEST_F(MetricsTest, CountersMoveWithTheCallsMade) {
  const std::vector<Sample> before = Scrape();
  constexpr int kOk = 5;
  constexpr int kDenied = 3;
  v1::ListUsersRequest list;
  list.set_parent("institutions/IEEPCO");
  auto admin = v1::AdminService::NewStub(node_->Channel("IEEPCO", "admin"));
  for (int i = 0; i < kOk; ++i) {
    v1::ListUsersResponse response;
    ASSERT_TRUE(
        admin->ListUsers(TestNode::Context().get(), list, &response).ok());
  }
  auto cw = v1::AdminService::NewStub(node_->Channel("IEEPCO", "cw"));
  for (int i = 0; i < kDenied; ++i) {
    v1::ListUsersResponse response;
    EXPECT_EQ(
        cw->ListUsers(TestNode::Context().get(), list, &response).error_code(),
        grpc::StatusCode::PERMISSION_DENIED);
  }
  const std::vector<Sample> after = Scrape();
  auto delta = [&](const std::string& name,
                   const std::map<std::string, std::string>& labels) {
    return Value(after, name, labels) - Value(before, name, labels);
  };
  EXPECT_EQ(
      delta("resguardo_calls_total", {{"method", kListUsers}, {"code", "OK"}}),
      kOk);
  EXPECT_EQ(delta("resguardo_calls_total",
                  {{"method", kListUsers}, {"code", "PERMISSION_DENIED"}}),
            kDenied);
  EXPECT_EQ(
      delta("resguardo_call_duration_seconds_count", {{"method", kListUsers}}),
      kOk + kDenied);
  // The first scrape counted itself once it was answered.
  EXPECT_EQ(
      delta("resguardo_calls_total", {{"method", "/metrics"}, {"code", "OK"}}),
      1);
  // Every call's entry is a write of the store's writer.
  EXPECT_GE(delta("resguardo_store_batch_size_count", {}), 1);
  EXPECT_GE(delta("resguardo_audit_entries", {}), kOk + kDenied);
}

TEST_F(MetricsTest, LabelsAreBoundedAndNothingSentReachesThem) {
  // The canary everywhere a client can put text: a request id, a path's
  // query, an unknown method's path, a request body, a user id.
  const std::string rid = absl::StrCat(kCanary, "-", RandomHex());
  Get("mon", rid, absl::StrCat("/metrics?", kCanary));
  Get("cw", rid);
  HttpsRequest unknown;
  unknown.path = absl::StrCat("/resguardo.v1.CaseService/", kCanary);
  unknown.body = "{}";
  unknown.institution = "IEEPCO";
  unknown.user = "cw";
  EXPECT_EQ(Https(*node_, unknown).status, 404);
  ConnectCall(
      *node_, "IEEPCO", "cw", "/resguardo.v1.CaseService/CreateCase",
      testing::NewCaseRequest(3, v1::RISK_LEVEL_MEDIUM, kCanary, kCanary), rid);
  v1::GetCaseRequest get;
  get.set_name(absl::StrCat("institutions/IEEPCO/cases/", kCanary));
  ConnectCall(*node_, "IEEPCO", "cw", "/resguardo.v1.CaseService/GetCase", get,
              rid);

  HttpsAnswer answer = Get("mon");
  ASSERT_EQ(answer.status, 200);
  EXPECT_THAT(answer.body, Not(HasSubstr(kCanary)));
  EXPECT_THAT(answer.body, Not(HasSubstr("IEEPCO")));
  EXPECT_THAT(answer.body, Not(HasSubstr("institutions/")));
  std::vector<Sample> samples;
  ASSERT_EQ(Parse(answer.body, &samples), "");
  static const std::set<std::string> kCodes = {"OK",
                                               "CANCELLED",
                                               "UNKNOWN",
                                               "INVALID_ARGUMENT",
                                               "DEADLINE_EXCEEDED",
                                               "NOT_FOUND",
                                               "ALREADY_EXISTS",
                                               "PERMISSION_DENIED",
                                               "RESOURCE_EXHAUSTED",
                                               "FAILED_PRECONDITION",
                                               "ABORTED",
                                               "OUT_OF_RANGE",
                                               "UNIMPLEMENTED",
                                               "INTERNAL",
                                               "UNAVAILABLE",
                                               "DATA_LOSS",
                                               "UNAUTHENTICATED"};
  std::set<std::string> codes_seen;
  for (const Sample& s : samples) {
    for (const auto& [key, value] : s.labels) {
      if (key == "method") {
        EXPECT_TRUE(value == "/metrics" ||
                    absl::StartsWith(value, "/resguardo.v1.") ||
                    absl::StartsWith(value, "/grpc.") || value == "other")
            << value;
        EXPECT_FALSE(absl::StrContains(value, kCanary));
      } else if (key == "code") {
        EXPECT_TRUE(kCodes.count(value)) << value;
        codes_seen.insert(value);
      } else if (key == "le") {
        double bound = 0;
        EXPECT_TRUE(value == "+Inf" || absl::SimpleAtod(value, &bound))
            << value;
      } else {
        EXPECT_EQ(s.name, "resguardo_build_info") << key << "=" << value;
      }
    }
  }
  // The refusals above were counted under their codes.
  EXPECT_TRUE(codes_seen.count("PERMISSION_DENIED"));
  EXPECT_TRUE(codes_seen.count("OK"));
}

}  // namespace
}  // namespace resguardo
