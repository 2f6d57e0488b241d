// The API's conventions end to end (issue 13 items 8, 9, 11, 12, 13, 14): a
// real resguardod on loopback, real mTLS, a real SQLCipher file, and the
// real `resguardo` binary.
//   - request ids belong to their user (AIP-155);
//   - the CLI never turns a consent into a risk override;
//   - page sizes above the maximum are coerced (AIP-158), a page token of
//     another query says so;
//   - ListReferrals' status filter is a bounded set, follow-ups are paged;
//   - WatchAlerts streams are capped per user and per node;
//   - forced checkpoints are rate-limited.
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "gtest/gtest.h"
#include "resguardo/v1/admin_service.grpc.pb.h"
#include "resguardo/v1/audit_service.grpc.pb.h"
#include "resguardo/v1/case_service.grpc.pb.h"
#include "resguardo/v1/referral_service.grpc.pb.h"
#include "services/store/database.h"
#include "services/store/statement.h"
#include "tests/testing/case_requests.h"
#include "tests/testing/test_deployment.h"
#include "tests/testing/test_node.h"

namespace resguardo {
namespace {

using ::resguardo::testing::BadRequestFields;
using ::resguardo::testing::Staff;
using ::resguardo::testing::TestNode;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

const Staff kAdmin{"IEEPCO", "admin", v1::ROLE_ADMIN};
const Staff kRegistrar{"IEEPCO", "reg", v1::ROLE_REGISTRAR};
const Staff kRegistrar2{"IEEPCO", "reg2", v1::ROLE_REGISTRAR};
const Staff kCaseworker{"IEEPCO", "cw", v1::ROLE_CASEWORKER};
const Staff kCaseworker2{"IEEPCO", "cw2", v1::ROLE_CASEWORKER};
const Staff kSupervisor{"IEEPCO", "sup", v1::ROLE_SUPERVISOR};
const Staff kAuditor{"IEEPCO", "aud", v1::ROLE_AUDITOR};
const Staff kFgeoAdmin{"FGEO", "fgeo.admin", v1::ROLE_ADMIN};
const Staff kFgeoCaseworker{"FGEO", "fgeo.cw", v1::ROLE_CASEWORKER};

constexpr int kStreamsPerUser = 2;
constexpr int kStreams = 3;
constexpr int kHealthWatches = 2;

v1::CreateCaseRequest ValidCase(absl::string_view narrative,
                                v1::RiskLevel risk = v1::RISK_LEVEL_HIGH) {
  return testing::NewCaseRequest(2, risk, "Victima Sintetica", narrative);
}

class ApiConventionsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ::resguardo::testing::TestNodeOptions options;
    options.extra_limits =
        absl::StrCat("max_streams: ", kStreams,
                     "\n  max_streams_per_user: ", kStreamsPerUser,
                     "\n  max_health_watches: ", kHealthWatches);
    // No background checkpoint during the suite: a refresh within the
    // interval must return the forced one.
    options.audit =
        "min_forced_checkpoint_interval_ms: 600000\n"
        "  checkpoint_every_seconds: 86400";
    absl::StatusOr<std::unique_ptr<TestNode>> node = TestNode::Create(options);
    ASSERT_TRUE(node.ok()) << node.status();
    node_ = node->release();
    absl::Status deployed = testing::StartDeployment(
        *node_,
        {&kRegistrar, &kRegistrar2, &kCaseworker, &kCaseworker2, &kSupervisor,
         &kAuditor, &kFgeoAdmin, &kFgeoCaseworker},
        {{"FGEO", v1::INSTITUTION_KIND_PROSECUTOR, "FGEO", "20"}});
    ASSERT_TRUE(deployed.ok()) << deployed;
  }

  static void TearDownTestSuite() {
    if (node_ == nullptr) return;
    absl::StatusOr<int> code = node_->Stop();
    EXPECT_TRUE(code.ok());
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

  static v1::Case NewCase(const Staff& who = kRegistrar,
                          absl::string_view narrative = "Hechos sinteticos.") {
    v1::Case created;
    grpc::Status s = Cases(who)->CreateCase(TestNode::Context().get(),
                                            ValidCase(narrative), &created);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return created;
  }

  static v1::CreateReferralRequest ReferralOf(const v1::Case& c) {
    v1::CreateReferralRequest r;
    r.mutable_referral()->set_case_(c.name());
    r.mutable_referral()->set_receiving_institution("FGEO");
    r.mutable_referral()->add_services(v1::REFERRAL_SERVICE_KIND_INVESTIGATION);
    v1::Consent* consent = r.mutable_consent();
    consent->set_given_by(v1::CONSENT_GIVER_VICTIM);
    consent->set_method(v1::CONSENT_METHOD_IN_WRITING);
    consent->mutable_give_time()->set_seconds(absl::ToUnixSeconds(absl::Now()) -
                                              600);
    consent->set_scope(v1::SHARING_SCOPE_CONTACT_ONLY);
    return r;
  }

  static v1::Referral NewReferral() {
    v1::Referral created;
    grpc::Status s = Referrals(kCaseworker)
                         ->CreateReferral(TestNode::Context().get(),
                                          ReferralOf(NewCase()), &created);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return created;
  }

  static int Count(const std::string& method, absl::string_view note = "") {
    absl::StatusOr<std::vector<v1::AuditEntry>> entries = node_->AuditEntries();
    EXPECT_TRUE(entries.ok()) << entries.status();
    int n = 0;
    if (!entries.ok()) return n;
    for (const v1::AuditEntry& e : *entries) {
      if (e.method() == method && (note.empty() || e.note() == note)) ++n;
    }
    return n;
  }

  // Runs the real CLI as `who`; its exit code, stdout and stderr in `out`.
  static int Cli(const Staff& who, std::vector<std::string> args,
                 std::string* out, const std::string& lang = "es") {
    return testing::RunCli(*node_, who, args, out, lang);
  }

  static TestNode* node_;
};

TestNode* ApiConventionsTest::node_ = nullptr;

// Item 8: a colleague's request id is not hers; her own reused for other
// content is refused, naming request_id.
TEST_F(ApiConventionsTest, RequestIdsBelongToTheirUser) {
  const std::string rid = "shared-request-1";
  v1::Case first, colleague, retry;
  grpc::Status s = Cases(kRegistrar)
                       ->CreateCase(
                           TestNode::Context(rid).get(),
                           [&] {
                             v1::CreateCaseRequest r =
                                 ValidCase("Queja de la primera.");
                             r.set_request_id(rid);
                             return r;
                           }(),
                           &first);
  ASSERT_TRUE(s.ok()) << s.error_message();
  v1::CreateCaseRequest hers = ValidCase("Queja de la colega.");
  hers.set_request_id(rid);
  s = Cases(kRegistrar2)
          ->CreateCase(TestNode::Context().get(), hers, &colleague);
  ASSERT_TRUE(s.ok()) << s.error_message();
  // Her complaint is registered: another case, not the first.
  EXPECT_NE(colleague.name(), first.name());
  // Her retry gets her own case again.
  s = Cases(kRegistrar2)->CreateCase(TestNode::Context().get(), hers, &retry);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(retry.name(), colleague.name());
  // Her id sent again with other content: refused, naming request_id.
  v1::CreateCaseRequest other = ValidCase("Otra queja distinta.");
  other.set_request_id(rid);
  v1::Case refused;
  s = Cases(kRegistrar2)
          ->CreateCase(TestNode::Context().get(), other, &refused);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadRequestFields(s), Contains("request_id"));
  EXPECT_THAT(s.error_message(), HasSubstr("request_id"));
  EXPECT_THAT(s.error_message(), Not(HasSubstr("Otra queja")));

  // The same for a referral (two caseworkers, one id).
  v1::CreateReferralRequest mine = ReferralOf(first);
  mine.set_request_id("shared-referral-1");
  v1::CreateReferralRequest theirs = ReferralOf(colleague);
  theirs.set_request_id("shared-referral-1");
  v1::Referral a, b;
  s = Referrals(kCaseworker)
          ->CreateReferral(TestNode::Context().get(), mine, &a);
  ASSERT_TRUE(s.ok()) << s.error_message();
  s = Referrals(kCaseworker2)
          ->CreateReferral(TestNode::Context().get(), theirs, &b);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_NE(a.name(), b.name());
  EXPECT_EQ(b.case_(), colleague.name());
  // A follow-up with an id her colleague used is hers; one with her own id
  // of a referral is another request.
  v1::AddFollowUpRequest f;
  f.set_parent(first.name());
  f.mutable_follow_up()->set_kind(v1::FOLLOW_UP_KIND_CONTACT);
  f.mutable_follow_up()->mutable_occur_time()->set_seconds(
      absl::ToUnixSeconds(absl::Now()) - 60);
  f.set_request_id("shared-referral-1");
  v1::FollowUp added;
  s = Cases(kCaseworker2)->AddFollowUp(TestNode::Context().get(), f, &added);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadRequestFields(s), Contains("request_id"));
  f.set_request_id("follow-up-1");
  s = Cases(kCaseworker2)->AddFollowUp(TestNode::Context().get(), f, &added);
  EXPECT_TRUE(s.ok()) << s.error_message();
}

// Item 9: a consent typed beside an override is refused by the CLI, and so
// is a referral without either; nothing reaches the node.
TEST_F(ApiConventionsTest, CliRefusesAnOverrideTogetherWithAConsent) {
  const v1::Case c = NewCase();
  const std::string folio = c.name().substr(c.name().rfind('/') + 1);
  const std::string reason = absl::StrCat(node_->dir(), "/reason.txt");
  std::ofstream(reason) << "Riesgo inminente sintetico\n";
  const int referrals_before =
      Count("/resguardo.v1.ReferralService/CreateReferral");
  std::string out;
  EXPECT_EQ(
      Cli(kSupervisor,
          {"referral", "create", folio, "--to", "FGEO", "--service",
           "investigation", "--scope", "contact-only", "--override-reason-file",
           reason, "--consent-by", "victim", "--consent-method", "in-person"},
          &out),
      2)
      << out;
  EXPECT_THAT(out, HasSubstr("--override-reason-file"));
  EXPECT_THAT(out, HasSubstr("--consent-by"));
  EXPECT_EQ(Cli(kSupervisor,
                {"referral", "create", folio, "--to", "FGEO", "--service",
                 "investigation", "--scope", "contact-only"},
                &out),
            2)
      << out;
  EXPECT_THAT(out, HasSubstr("--consent-by"));
  EXPECT_THAT(out, HasSubstr("--override-reason-file"));
  EXPECT_EQ(Count("/resguardo.v1.ReferralService/CreateReferral"),
            referrals_before);
  // The consent alone goes through, and is stored as the victim's consent.
  ASSERT_EQ(Cli(kSupervisor,
                {"referral", "create", folio, "--to", "FGEO", "--service",
                 "investigation", "--scope", "contact-only", "--consent-by",
                 "victim", "--consent-method", "in-person", "--json"},
                &out),
            0)
      << out;
  EXPECT_THAT(out, HasSubstr("CONSENT_GIVER_VICTIM"));
  EXPECT_EQ(Count("/resguardo.v1.ReferralService/CreateReferral",
                  "override:imminent-risk"),
            0);
}

// Item 11: above the maximum is the maximum (AIP-158); a token of another
// query says so.
TEST_F(ApiConventionsTest, PageSizeIsCoercedAndAForeignTokenIsNamed) {
  NewCase();
  NewCase();
  v1::ListCasesRequest list;
  list.set_parent("institutions/IEEPCO");
  list.set_page_size(100000);
  v1::ListCasesResponse cases;
  grpc::Status s =
      Cases(kCaseworker)->ListCases(TestNode::Context().get(), list, &cases);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_GE(cases.cases_size(), 2);
  list.set_page_size(-1);
  s = Cases(kCaseworker)->ListCases(TestNode::Context().get(), list, &cases);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadRequestFields(s), Contains("page_size"));

  list.set_page_size(1);
  s = Cases(kCaseworker)->ListCases(TestNode::Context().get(), list, &cases);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_FALSE(cases.next_page_token().empty());
  // The same token with another filter.
  list.set_page_token(cases.next_page_token());
  list.add_statuses(v1::CASE_STATUS_RECEIVED);
  s = Cases(kCaseworker)->ListCases(TestNode::Context().get(), list, &cases);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadRequestFields(s), Contains("page_token"));
  EXPECT_THAT(s.error_message(), HasSubstr("belongs to another query"));
  // Something that was never a token.
  list.set_page_token("bm90LWEtdG9rZW4");
  s = Cases(kCaseworker)->ListCases(TestNode::Context().get(), list, &cases);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("a page token the node returned"));

  // Every List method coerces.
  v1::ListUsersRequest users;
  users.set_parent("institutions/IEEPCO");
  users.set_page_size(501);
  v1::ListUsersResponse listed_users;
  s = v1::AdminService::NewStub(Channel(kAdmin))
          ->ListUsers(TestNode::Context().get(), users, &listed_users);
  EXPECT_TRUE(s.ok()) << s.error_message();
  v1::ListReferralsRequest referrals;
  referrals.set_parent("institutions/IEEPCO");
  referrals.set_box(v1::REFERRAL_BOX_OUTBOX);
  referrals.set_page_size(501);
  v1::ListReferralsResponse listed_referrals;
  s = Referrals(kCaseworker)
          ->ListReferrals(TestNode::Context().get(), referrals,
                          &listed_referrals);
  EXPECT_TRUE(s.ok()) << s.error_message();
  v1::ListEntriesRequest entries;
  entries.set_page_size(5000);
  v1::ListEntriesResponse listed_entries;
  s = v1::AuditService::NewStub(Channel(kAuditor))
          ->ListEntries(TestNode::Context().get(), entries, &listed_entries);
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_LE(listed_entries.entries_size(), 1000);
}

// Issue 15, errors in the user's language, over gRPC: the accept-language
// metadata picks the language of an invalid field's description and of
// the error's google.rpc.LocalizedMessage (q-values count); Spanish when
// absent or unknown; the message stays English. The CLI asks in its own
// language and shows the node's text, not its English message.
TEST_F(ApiConventionsTest, ErrorsComeInTheCallersLanguage) {
  v1::ListCasesRequest list;
  list.set_parent("institutions/IEEPCO");
  list.set_page_token("bm90LWEtdG9rZW4");
  const std::string kSpanish =
      "debe ser un token de página que devolvió el nodo";
  const std::string kEnglish = "must be a page token the node returned";
  struct Asked {
    std::string value;  // "" = no accept-language
    std::string locale;
  };
  for (const Asked& asked :
       {Asked{"es-MX", "es"}, Asked{"en-US,en;q=0.9,es;q=0.8", "en"},
        Asked{"", "es"}, Asked{"fr-CA, de;q=0.4", "es"},
        Asked{"es;q=0.1, en;q=0.6, fr", "en"}}) {
    SCOPED_TRACE(asked.value);
    std::unique_ptr<grpc::ClientContext> context = TestNode::Context();
    if (!asked.value.empty()) {
      context->AddMetadata("accept-language", asked.value);
    }
    v1::ListCasesResponse cases;
    grpc::Status s = Cases(kCaseworker)->ListCases(context.get(), list, &cases);
    ASSERT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(s.error_message(), HasSubstr(kEnglish));
    google::rpc::Status details;
    ASSERT_TRUE(details.ParseFromString(s.error_details()));
    google::rpc::BadRequest violations;
    google::rpc::LocalizedMessage localized;
    for (const auto& any : details.details()) {
      any.UnpackTo(&violations) || any.UnpackTo(&localized);
    }
    ASSERT_EQ(violations.field_violations_size(), 1);
    EXPECT_EQ(violations.field_violations(0).field(), "page_token");
    EXPECT_EQ(violations.field_violations(0).description(),
              asked.locale == "es" ? kSpanish : kEnglish);
    EXPECT_EQ(localized.locale(), asked.locale);
    EXPECT_FALSE(localized.message().empty());
  }
  // An error that is not a violation: another institution's case.
  const v1::Case theirs = NewCase();
  for (const auto& [value, text] :
       {std::pair<std::string, std::string>{"en", "Not found."},
        {"es", "No encontrado."}}) {
    std::unique_ptr<grpc::ClientContext> context = TestNode::Context();
    context->AddMetadata("accept-language", value);
    v1::GetCaseRequest get;
    get.set_name(theirs.name());
    v1::Case got;
    grpc::Status s = Cases(kFgeoCaseworker)->GetCase(context.get(), get, &got);
    ASSERT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
    google::rpc::Status details;
    ASSERT_TRUE(details.ParseFromString(s.error_details()));
    google::rpc::LocalizedMessage localized;
    ASSERT_EQ(details.details_size(), 1);
    ASSERT_TRUE(details.details(0).UnpackTo(&localized));
    EXPECT_EQ(localized.message(), text);
  }
  // The real CLI, in each language: the node's description beside the
  // flag, and no English "detail" line (exit 7: an invalid field).
  std::string out;
  EXPECT_EQ(
      Cli(kCaseworker, {"case", "list", "--page-token", "bm90LWEtdG9rZW4"},
          &out, "es"),
      7)
      << out;
  EXPECT_THAT(out, HasSubstr("--page-token (page_token): " + kSpanish));
  EXPECT_THAT(out, Not(HasSubstr(kEnglish)));
  EXPECT_THAT(out, Not(HasSubstr("detalle")));
  EXPECT_EQ(
      Cli(kCaseworker, {"case", "list", "--page-token", "bm90LWEtdG9rZW4"},
          &out, "en"),
      7)
      << out;
  EXPECT_THAT(out, HasSubstr("--page-token (page_token): " + kEnglish));
  EXPECT_THAT(out, Not(HasSubstr("detail:")));
}

// Item 13: statuses is a bounded set; follow-ups of a referral are paged.
TEST_F(ApiConventionsTest, ReferralStatusesAreABoundedSetAndFollowUpsPage) {
  const v1::Referral referral = NewReferral();
  v1::ListReferralsRequest list;
  list.set_parent("institutions/IEEPCO");
  list.set_box(v1::REFERRAL_BOX_OUTBOX);
  for (int i = 0; i < 6; ++i) list.add_statuses(v1::REFERRAL_STATUS_PENDING);
  v1::ListReferralsResponse listed;
  grpc::Status s =
      Referrals(kCaseworker)
          ->ListReferrals(TestNode::Context().get(), list, &listed);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadRequestFields(s), Contains("statuses"));
  // A repeated status counts once: the same answer, and the same query for
  // its page tokens.
  list.clear_statuses();
  list.add_statuses(v1::REFERRAL_STATUS_PENDING);
  list.add_statuses(v1::REFERRAL_STATUS_PENDING);
  list.set_page_size(1);
  s = Referrals(kCaseworker)
          ->ListReferrals(TestNode::Context().get(), list, &listed);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(listed.referrals_size(), 1);
  EXPECT_EQ(listed.referrals(0).status(), v1::REFERRAL_STATUS_PENDING);
  v1::ListReferralsRequest once = list;
  once.clear_statuses();
  once.add_statuses(v1::REFERRAL_STATUS_PENDING);
  v1::ListReferralsResponse listed_once;
  s = Referrals(kCaseworker)
          ->ListReferrals(TestNode::Context().get(), once, &listed_once);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(listed_once.referrals(0).name(), listed.referrals(0).name());
  if (!listed.next_page_token().empty()) {
    once.set_page_token(listed.next_page_token());
    s = Referrals(kCaseworker)
            ->ListReferrals(TestNode::Context().get(), once, &listed_once);
    EXPECT_TRUE(s.ok()) << s.error_message();
  }

  // The receiver accepts and records three follow-ups.
  v1::AcceptReferralRequest accept;
  accept.set_name(referral.name());
  accept.set_etag(referral.etag());
  v1::Referral accepted;
  s = Referrals(kFgeoCaseworker)
          ->AcceptReferral(TestNode::Context().get(), accept, &accepted);
  ASSERT_TRUE(s.ok()) << s.error_message();
  for (int i = 0; i < 3; ++i) {
    v1::AddReferralFollowUpRequest add;
    add.set_parent(referral.name());
    add.mutable_follow_up()->set_kind(v1::FOLLOW_UP_KIND_CONTACT);
    add.mutable_follow_up()->mutable_occur_time()->set_seconds(
        absl::ToUnixSeconds(absl::Now()) - 60);
    v1::ReferralFollowUp made;
    s = Referrals(kFgeoCaseworker)
            ->AddReferralFollowUp(TestNode::Context().get(), add, &made);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  for (const Staff* side : {&kCaseworker, &kFgeoCaseworker}) {
    SCOPED_TRACE(side->user);
    v1::ListReferralFollowUpsRequest page;
    page.set_parent(referral.name());
    page.set_page_size(2);
    v1::ListReferralFollowUpsResponse first, second;
    s = Referrals(*side)->ListReferralFollowUps(TestNode::Context().get(), page,
                                                &first);
    ASSERT_TRUE(s.ok()) << s.error_message();
    ASSERT_EQ(first.follow_ups_size(), 2);
    ASSERT_FALSE(first.next_page_token().empty());
    page.set_page_token(first.next_page_token());
    s = Referrals(*side)->ListReferralFollowUps(TestNode::Context().get(), page,
                                                &second);
    ASSERT_TRUE(s.ok()) << s.error_message();
    ASSERT_EQ(second.follow_ups_size(), 1);
    EXPECT_TRUE(second.next_page_token().empty());
    EXPECT_EQ(second.follow_ups(0).name(), referral.name() + "/followUps/3");
    page.set_page_size(-1);
    s = Referrals(*side)->ListReferralFollowUps(TestNode::Context().get(), page,
                                                &second);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(BadRequestFields(s), Contains("page_size"));
  }
}

// A WatchAlerts stream of `institution` on `channel`, started (initial
// metadata received) or refused.
struct Watch {
  Watch(std::shared_ptr<grpc::Channel> channel, absl::string_view institution) {
    v1::WatchAlertsRequest request;
    request.set_parent(absl::StrCat("institutions/", institution));
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(60));
    stub = v1::ReferralService::NewStub(std::move(channel));
    reader = stub->WatchAlerts(&context, request);
    reader->WaitForInitialMetadata();
  }
  grpc::ClientContext context;
  std::unique_ptr<v1::ReferralService::Stub> stub;
  std::unique_ptr<grpc::ClientReader<v1::Alert>> reader;
};

// Item 12: streams are capped per user and per node; a refused one is
// audited; a closed one gives its place back.
TEST_F(ApiConventionsTest, WatchStreamsAreCappedPerUserAndPerNode) {
  auto watch = [](const Staff& who) {
    return std::make_unique<Watch>(Channel(who), who.institution);
  };
  const std::string method = "/resguardo.v1.ReferralService/WatchAlerts";
  const int refused_before = Count(method, "limit:streams");
  std::vector<std::unique_ptr<Watch>> open;
  for (int i = 0; i < kStreamsPerUser; ++i) {
    open.push_back(watch(kCaseworker));
  }
  // Her next one is refused at once.
  {
    std::unique_ptr<Watch> third = watch(kCaseworker);
    grpc::Status end = third->reader->Finish();
    EXPECT_EQ(end.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
        << end.error_message();
    EXPECT_THAT(end.error_message(), HasSubstr("streams"));
  }
  // A colleague fills the node; then anyone is refused.
  open.push_back(watch(kCaseworker2));
  {
    std::unique_ptr<Watch> over = watch(kSupervisor);
    grpc::Status end = over->reader->Finish();
    EXPECT_EQ(end.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
        << end.error_message();
    EXPECT_THAT(end.error_message(), HasSubstr("node"));
  }
  EXPECT_EQ(Count(method, "limit:streams"), refused_before + 2);
  // Closing one gives its place back.
  open.front()->context.TryCancel();
  (void)open.front()->reader->Finish();
  open.erase(open.begin());
  bool reopened = false;
  for (int attempt = 0; attempt < 50 && !reopened; ++attempt) {
    std::unique_ptr<Watch> again = watch(kSupervisor);
    // A refused stream has its status already; a started one ends
    // CANCELLED.
    again->context.TryCancel();
    grpc::Status end = again->reader->Finish();
    reopened = end.error_code() != grpc::StatusCode::RESOURCE_EXHAUSTED;
    if (!reopened) absl::SleepFor(absl::Milliseconds(100));
  }
  EXPECT_TRUE(reopened);
  for (auto& w : open) {
    w->context.TryCancel();
    (void)w->reader->Finish();
  }
}

// Item 12: the health service's Watch streams are capped too; Check still
// answers.
TEST_F(ApiConventionsTest, HealthWatchesAreCapped) {
  auto health = grpc::health::v1::Health::NewStub(Channel(kAuditor));
  struct HealthWatch {
    grpc::ClientContext context;
    std::unique_ptr<grpc::ClientReader<grpc::health::v1::HealthCheckResponse>>
        reader;
  };
  std::vector<std::unique_ptr<HealthWatch>> open;
  grpc::health::v1::HealthCheckRequest request;
  grpc::Status refused;
  for (int i = 0; i < kHealthWatches + 1; ++i) {
    auto w = std::make_unique<HealthWatch>();
    w->context.set_deadline(std::chrono::system_clock::now() +
                            std::chrono::seconds(60));
    w->reader = health->Watch(&w->context, request);
    grpc::health::v1::HealthCheckResponse first;
    if (w->reader->Read(&first)) {
      EXPECT_EQ(first.status(), grpc::health::v1::HealthCheckResponse::SERVING);
      open.push_back(std::move(w));
    } else {
      refused = w->reader->Finish();
      break;
    }
  }
  // Opened until refused: exactly the cap.
  EXPECT_EQ(open.size(), static_cast<size_t>(kHealthWatches));
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED)
      << refused.error_message();
  grpc::health::v1::HealthCheckResponse checked;
  grpc::ClientContext check;
  EXPECT_TRUE(health->Check(&check, request, &checked).ok());
  EXPECT_EQ(checked.status(), grpc::health::v1::HealthCheckResponse::SERVING);
  // The refusal is in the node's log (written as the stream ends, which
  // may be just after the client has its status: wait for it, bounded).
  const std::string line =
      "\"method\":\"/grpc.health.v1.Health/Watch\","
      "\"code\":\"RESOURCE_EXHAUSTED\"";
  for (int i = 0; i < 100 && node_->LogText().find(line) == std::string::npos;
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_THAT(node_->LogText(), HasSubstr(line));
  for (auto& w : open) {
    w->context.TryCancel();
    (void)w->reader->Finish();
  }
}

// Item 14: a forced checkpoint is signed at most once per interval; within
// it, a refresh returns the latest.
TEST_F(ApiConventionsTest, ForcedCheckpointsAreRateLimited) {
  auto audit = v1::AuditService::NewStub(Channel(kAuditor));
  v1::GetCheckpointRequest refresh;
  refresh.set_refresh(true);
  v1::GetCheckpointResponse first, second;
  NewCase();
  grpc::Status s =
      audit->GetCheckpoint(TestNode::Context().get(), refresh, &first);
  ASSERT_TRUE(s.ok()) << s.error_message();
  NewCase();  // the log grows
  s = audit->GetCheckpoint(TestNode::Context().get(), refresh, &second);
  ASSERT_TRUE(s.ok()) << s.error_message();
  // Within the interval: the same checkpoint, no new signature.
  EXPECT_EQ(second.checkpoint().tree_size(), first.checkpoint().tree_size());
  EXPECT_EQ(second.checkpoint().note(), first.checkpoint().note());
  // The forced one was stored by the writer before it was sent.
  absl::StatusOr<std::unique_ptr<store::Database>> db = node_->OpenDatabase();
  ASSERT_TRUE(db.ok()) << db.status();
  int64_t stored = 0;
  absl::Status read = (*db)->Read([&](store::ReadTxn& txn) -> absl::Status {
    absl::StatusOr<store::Statement> q = txn.Prepare(
        "SELECT count(*) FROM audit_checkpoints WHERE tree_size = ?1");
    if (!q.ok()) return q.status();
    (void)q->BindInt64(1, static_cast<int64_t>(first.checkpoint().tree_size()));
    if (!*q->Step()) return absl::InternalError("no row");
    stored = *q->ColumnInt64(0);
    return absl::OkStatus();
  });
  EXPECT_TRUE(read.ok()) << read;
  EXPECT_EQ(stored, 1);
  (void)(*db)->Close();
}

}  // namespace
}  // namespace resguardo
