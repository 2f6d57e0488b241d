// The related cases of a woman through the real resguardod (issue 19): the
// same woman registered at two institutions (the same CURP gives the same
// person key); at one of them a count of her cases elsewhere without her
// consent to coordination, the institution with its status and dates with
// it; a shelter never named nor counted; nothing of the other case's
// content (canary values in its sealed data never reach an answer, the log
// or an audit entry); nothing for an erased case; a registrar learns only
// that a related case exists at her own institution; every read audited
// with its purpose.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "resguardo/v1/case_service.grpc.pb.h"
#include "resguardo/v1/referral_service.grpc.pb.h"
#include "tests/testing/case_requests.h"
#include "tests/testing/test_deployment.h"
#include "tests/testing/test_node.h"

namespace resguardo {
namespace {

using ::testing::AllOf;
using ::testing::AnyOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::Staff;
using testing::TestNode;

const Staff kRegistrar{"IEEPCO", "reg", v1::ROLE_REGISTRAR};
const Staff kCaseworker{"IEEPCO", "cw", v1::ROLE_CASEWORKER};
const Staff kSupervisor{"IEEPCO", "sup", v1::ROLE_SUPERVISOR};
const Staff kFgeoAdmin{"FGEO", "admin", v1::ROLE_ADMIN};
const Staff kFgeoRegistrar{"FGEO", "reg", v1::ROLE_REGISTRAR};
const Staff kFgeoSupervisor{"FGEO", "sup", v1::ROLE_SUPERVISOR};
const Staff kShelterAdmin{"CASAREFUGIO", "admin", v1::ROLE_ADMIN};
const Staff kShelterRegistrar{"CASAREFUGIO", "reg", v1::ROLE_REGISTRAR};

// The shelter's display name: never in any answer.
constexpr char kShelterName[] = "Refugio Casa Escondida Tlacolula";
// Canary values of the other institutions' sealed data.
constexpr char kCanaryNarrative[] = "CANARY-RELATED-narrative-9f3c";
constexpr char kCanaryAggressor[] = "CANARY-RELATED-aggressor-71ad";
constexpr char kCanaryPhone[] = "9515550199";
constexpr char kCanaryName[] = "CANARY-RELATED-Nayeli";
// Her CURP, the same at every institution; another woman's.
constexpr char kCurp[] = "HEGG560427MVZRRL04";
constexpr char kOtherCurp[] = "GOMA800517MOCRRN01";

v1::CreateCaseRequest CaseOf(const std::string& institution,
                             const std::string& curp, int days_ago) {
  v1::CreateCaseRequest r =
      testing::NewCaseRequest(days_ago, v1::RISK_LEVEL_HIGH, kCanaryName,
                              kCanaryNarrative, institution);
  auto* p = r.mutable_case_record()->mutable_personal_data();
  p->set_victim_curp(curp);
  p->add_aggressor_names(kCanaryAggressor);
  p->set_contact_phone(kCanaryPhone);
  return r;
}

class RelatedCasesIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto node = TestNode::Create();
    ASSERT_TRUE(node.ok()) << node.status();
    node_ = node->release();
    absl::Status deployed = testing::StartDeployment(
        *node_,
        {&kRegistrar, &kCaseworker, &kSupervisor, &kFgeoAdmin, &kFgeoRegistrar,
         &kFgeoSupervisor, &kShelterAdmin, &kShelterRegistrar},
        {{"FGEO", v1::INSTITUTION_KIND_PROSECUTOR,
          "Fiscalía Especializada de Oaxaca", ""},
         {"CASAREFUGIO", v1::INSTITUTION_KIND_SERVICE_PROVIDER, kShelterName,
          "20"}});
    ASSERT_TRUE(deployed.ok()) << deployed;
    // She went first to the prosecutor, then to the shelter, then to the
    // electoral institute, twice.
    fgeo_case_ = *Create(kFgeoRegistrar, CaseOf("FGEO", kCurp, 30));
    Create(kShelterRegistrar, CaseOf("CASAREFUGIO", kCurp, 20));
    ieepco_case_ = *Create(kRegistrar, CaseOf("IEEPCO", kCurp, 10));
    Create(kRegistrar, CaseOf("IEEPCO", kCurp, 9));
  }

  static void TearDownTestSuite() {
    if (node_ == nullptr) return;
    auto code = node_->Stop();
    EXPECT_TRUE(code.ok() && *code == 0);
    delete node_;
    node_ = nullptr;
  }

  void SetUp() override {
    if (node_ == nullptr) GTEST_SKIP() << "the node did not start";
  }

  static std::unique_ptr<v1::CaseService::Stub> Cases(const Staff& s) {
    return v1::CaseService::NewStub(node_->Channel(s.institution, s.user));
  }

  static std::optional<v1::Case> Create(const Staff& s,
                                        const v1::CreateCaseRequest& r) {
    v1::Case c;
    grpc::Status status =
        Cases(s)->CreateCase(TestNode::Context().get(), r, &c);
    EXPECT_TRUE(status.ok()) << status.error_message();
    if (!status.ok()) return std::nullopt;
    return c;
  }

  // GetRelatedCases as `s`, with request id `request_id`.
  static grpc::Status Related(
      const Staff& s, const std::string& name, v1::RelatedCases* out,
      const std::string& request_id = "",
      v1::AccessPurpose purpose = v1::ACCESS_PURPOSE_CASE_FOLLOW_UP) {
    v1::GetRelatedCasesRequest r;
    r.set_name(name);
    r.set_purpose(purpose);
    return Cases(s)->GetRelatedCases(TestNode::Context(request_id).get(), r,
                                     out);
  }

  static std::string CurrentEtag(const Staff& s, const std::string& name) {
    v1::GetCaseRequest r;
    r.set_name(name);
    v1::Case c;
    EXPECT_TRUE(Cases(s)->GetCase(TestNode::Context().get(), r, &c).ok());
    return c.etag();
  }

  static grpc::Status RecordConsent(const Staff& s, const std::string& name,
                                    const v1::CoordinationConsent& consent,
                                    v1::Case* out) {
    v1::RecordCoordinationConsentRequest r;
    r.set_name(name);
    r.set_etag(CurrentEtag(s, name));
    *r.mutable_consent() = consent;
    return Cases(s)->RecordCoordinationConsent(TestNode::Context().get(), r,
                                               out);
  }

  static v1::CoordinationConsent ConsentWith(
      std::vector<std::string> institutions) {
    v1::CoordinationConsent c;
    c.set_given_by(v1::CONSENT_GIVER_VICTIM);
    c.set_method(v1::CONSENT_METHOD_IN_WRITING);
    c.mutable_give_time()->set_seconds(absl::ToUnixSeconds(absl::Now()) - 60);
    if (institutions.empty()) c.set_all_institutions(true);
    for (auto& i : institutions) c.add_institutions(i);
    return c;
  }

  // No sealed value of any case and not the shelter's name in `text` (an
  // audit entry, the node's log).
  static void ExpectNoContent(const std::string& text) {
    for (const char* canary : {kCanaryNarrative, kCanaryAggressor, kCanaryPhone,
                               kCanaryName, kCurp, kShelterName}) {
      EXPECT_THAT(text, Not(HasSubstr(canary)));
    }
  }

  // Nothing of the other cases (content, folio), nor the shelter (name or
  // id), in `text` (an answer to the caller).
  static void ExpectNothingOfTheirs(const std::string& text) {
    ExpectNoContent(text);
    EXPECT_THAT(text, Not(HasSubstr("CASAREFUGIO")));
    EXPECT_THAT(text, Not(HasSubstr(fgeo_case_.folio())));
  }

  static TestNode* node_;
  static v1::Case fgeo_case_;
  static v1::Case ieepco_case_;
};

TestNode* RelatedCasesIntegrationTest::node_ = nullptr;
v1::Case RelatedCasesIntegrationTest::fgeo_case_;
v1::Case RelatedCasesIntegrationTest::ieepco_case_;

TEST_F(RelatedCasesIntegrationTest, WithoutHerConsentOnlyACount) {
  v1::RelatedCases related;
  const std::string request_id = testing::RandomHex();
  grpc::Status s =
      Related(kCaseworker, ieepco_case_.name(), &related, request_id);
  ASSERT_TRUE(s.ok()) << s.error_message();
  // The prosecutor's case; the shelter's is neither counted nor named.
  EXPECT_EQ(related.other_institutions_case_count(), 1);
  EXPECT_TRUE(related.related_cases().empty());
  EXPECT_TRUE(related.related_case_at_own_institution());
  EXPECT_FALSE(related.has_coordination_consent());
  ExpectNothingOfTheirs(related.DebugString());
  EXPECT_THAT(related.DebugString(), Not(HasSubstr("FGEO")));

  // Audited as a read of personal data, with its purpose.
  std::vector<v1::AuditEntry> entries =
      testing::AuditEntriesOf(*node_, request_id);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].method(), "/resguardo.v1.CaseService/GetRelatedCases");
  EXPECT_EQ(entries[0].resource(), ieepco_case_.name());
  EXPECT_EQ(entries[0].purpose(), v1::ACCESS_PURPOSE_CASE_FOLLOW_UP);
  EXPECT_EQ(entries[0].outcome(), 0);
}

TEST_F(RelatedCasesIntegrationTest, WithHerConsentTheInstitutionStatusDates) {
  v1::Case updated;
  grpc::Status s = RecordConsent(kCaseworker, ieepco_case_.name(),
                                 ConsentWith({}), &updated);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_NE(updated.etag(), ieepco_case_.etag());

  v1::RelatedCases related;
  const std::string request_id = testing::RandomHex();
  s = Related(kSupervisor, ieepco_case_.name(), &related, request_id,
              v1::ACCESS_PURPOSE_SUPERVISION);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(related.other_institutions_case_count(), 1);
  ASSERT_EQ(related.related_cases_size(), 1);
  const v1::RelatedCase& other = related.related_cases(0);
  EXPECT_EQ(other.institution(), "institutions/FGEO");
  EXPECT_EQ(other.institution_display_name(),
            "Fiscalía Especializada de Oaxaca");
  EXPECT_EQ(other.institution_kind(), v1::INSTITUTION_KIND_PROSECUTOR);
  EXPECT_EQ(other.status(), fgeo_case_.descriptors().status());
  EXPECT_EQ(other.reported_date().SerializeAsString(),
            fgeo_case_.descriptors().reported_date().SerializeAsString());
  EXPECT_EQ(other.create_time().seconds(), fgeo_case_.create_time().seconds());
  EXPECT_TRUE(related.coordination_consent().all_institutions());
  EXPECT_EQ(related.coordination_consent().recorder(),
            "institutions/IEEPCO/users/cw");
  ExpectNothingOfTheirs(related.DebugString());

  // Nothing of theirs in any audit entry nor in the node's log.
  auto all = node_->AuditEntries();
  ASSERT_TRUE(all.ok()) << all.status();
  for (const v1::AuditEntry& e : *all) ExpectNoContent(e.DebugString());
  ExpectNoContent(node_->LogText());
  std::vector<v1::AuditEntry> entries =
      testing::AuditEntriesOf(*node_, request_id);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].purpose(), v1::ACCESS_PURPOSE_SUPERVISION);

  // A consent that names only the shelter names nothing; withdrawn, the
  // count stays and no institution is named.
  s = RecordConsent(kCaseworker, ieepco_case_.name(),
                    ConsentWith({"CASAREFUGIO"}), &updated);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_TRUE(Related(kCaseworker, ieepco_case_.name(), &related).ok());
  EXPECT_EQ(related.other_institutions_case_count(), 1);
  EXPECT_TRUE(related.related_cases().empty());
  // (Her consent, returned as recorded, names the shelter; nothing else.)
  related.clear_coordination_consent();
  ExpectNothingOfTheirs(related.DebugString());

  v1::WithdrawCoordinationConsentRequest withdraw;
  withdraw.set_name(ieepco_case_.name());
  withdraw.set_etag(updated.etag());
  s = Cases(kCaseworker)
          ->WithdrawCoordinationConsent(TestNode::Context().get(), withdraw,
                                        &updated);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_TRUE(Related(kCaseworker, ieepco_case_.name(), &related).ok());
  EXPECT_FALSE(related.has_coordination_consent());
  EXPECT_EQ(related.other_institutions_case_count(), 1);
  EXPECT_TRUE(related.related_cases().empty());
  // Withdrawn twice: there is nothing to withdraw.
  withdraw.set_etag(updated.etag());
  s = Cases(kCaseworker)
          ->WithdrawCoordinationConsent(TestNode::Context().get(), withdraw,
                                        &updated);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(RelatedCasesIntegrationTest, ConsentIsCheckedAndNeedsTheCurrentEtag) {
  v1::RecordCoordinationConsentRequest r;
  r.set_name(ieepco_case_.name());
  r.set_etag("1");  // stale: the case has changed since
  *r.mutable_consent() = ConsentWith({"FGEO"});
  v1::Case out;
  grpc::Status s =
      Cases(kCaseworker)
          ->RecordCoordinationConsent(TestNode::Context().get(), r, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ABORTED);

  r.set_etag(CurrentEtag(kCaseworker, ieepco_case_.name()));
  r.mutable_consent()->clear_given_by();
  r.mutable_consent()->add_institutions("IEEPCO");
  r.mutable_consent()->add_institutions("NOSUCHPLACE");
  s = Cases(kCaseworker)
          ->RecordCoordinationConsent(TestNode::Context().get(), r, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(testing::BadRequestFields(s), ElementsAre("consent.given_by"));
  r.mutable_consent()->set_given_by(v1::CONSENT_GIVER_VICTIM);
  s = Cases(kCaseworker)
          ->RecordCoordinationConsent(TestNode::Context().get(), r, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(
      testing::BadRequestFields(s),
      ElementsAre("consent.institutions[1]", "consent.institutions[2]"));

  // A registrar does not record it; the other institution cannot reach it.
  s = Cases(kRegistrar)
          ->RecordCoordinationConsent(TestNode::Context().get(), r, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  v1::RelatedCases related;
  s = Related(kFgeoSupervisor, ieepco_case_.name(), &related);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  // Without a purpose: refused, naming it.
  s = Related(kCaseworker, ieepco_case_.name(), &related, "",
              v1::ACCESS_PURPOSE_UNSPECIFIED);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(testing::BadRequestFields(s), ElementsAre("purpose"));
}

TEST_F(RelatedCasesIntegrationTest, RegistrarLearnsOnlyOfHerOwnInstitution) {
  v1::RelatedCases related;
  const std::string request_id = testing::RandomHex();
  grpc::Status s =
      Related(kRegistrar, ieepco_case_.name(), &related, request_id);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_TRUE(related.related_case_at_own_institution());
  EXPECT_EQ(related.other_institutions_case_count(), 0);
  EXPECT_TRUE(related.related_cases().empty());
  EXPECT_FALSE(related.has_coordination_consent());
  ASSERT_EQ(testing::AuditEntriesOf(*node_, request_id).size(), 1u);

  // At the prosecutor, her only case there: nothing at her own.
  s = Related(kFgeoRegistrar, fgeo_case_.name(), &related);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_FALSE(related.related_case_at_own_institution());
  EXPECT_EQ(related.other_institutions_case_count(), 0);
}

TEST_F(RelatedCasesIntegrationTest, AnErasedCaseIsNeverRelated) {
  // Another woman, at both public authorities.
  std::optional<v1::Case> ours =
      Create(kRegistrar, CaseOf("IEEPCO", kOtherCurp, 5));
  std::optional<v1::Case> theirs =
      Create(kFgeoRegistrar, CaseOf("FGEO", kOtherCurp, 6));
  ASSERT_TRUE(ours && theirs);
  v1::RelatedCases related;
  ASSERT_TRUE(Related(kCaseworker, ours->name(), &related).ok());
  EXPECT_EQ(related.other_institutions_case_count(), 1);

  // The prosecutor erases her data: her case there is no longer related.
  v1::EraseCasePersonalDataRequest erase;
  erase.set_name(theirs->name());
  erase.set_etag(CurrentEtag(kFgeoSupervisor, theirs->name()));
  erase.set_reason(v1::ERASURE_REASON_VICTIM_REQUEST);
  v1::Case erased;
  grpc::Status s =
      Cases(kFgeoSupervisor)
          ->EraseCasePersonalData(TestNode::Context().get(), erase, &erased);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_TRUE(Related(kCaseworker, ours->name(), &related).ok());
  EXPECT_EQ(related.other_institutions_case_count(), 0);
  EXPECT_FALSE(related.related_case_at_own_institution());

  // Asked about the erased case itself: nothing at all.
  ASSERT_TRUE(Related(kFgeoSupervisor, theirs->name(), &related).ok());
  EXPECT_EQ(related.ByteSizeLong(), 0u) << related.DebugString();
}

// The real CLI: `case get --purpose` notes the related cases; `case
// consent` records her consent; `case related` shows what it lets the
// caseworker know, in Spanish and in English, and as JSON.
TEST_F(RelatedCasesIntegrationTest, CliShowsTheHintRecordsConsentAndLists) {
  const std::string folio = ieepco_case_.folio();
  std::string out;
  ASSERT_EQ(testing::RunCli(*node_, kCaseworker,
                            {"case", "get", folio, "--view", "full",
                             "--purpose", "CASE_FOLLOW_UP"},
                            &out),
            0)
      << out;
  EXPECT_THAT(out, HasSubstr("La misma mujer tiene 1 caso(s) en otras "
                             "instituciones"));
  EXPECT_THAT(out, HasSubstr("Hay otro caso de la misma mujer en su "
                             "institución"));
  const size_t hint = out.find("La misma mujer");
  ASSERT_NE(hint, std::string::npos) << out;
  ExpectNothingOfTheirs(out.substr(hint));

  // A purpose is required.
  ASSERT_EQ(
      testing::RunCli(*node_, kCaseworker, {"case", "related", folio}, &out), 2)
      << out;
  EXPECT_THAT(out, HasSubstr("--purpose"));

  ASSERT_EQ(testing::RunCli(
                *node_, kCaseworker,
                {"case", "consent", folio, "--etag",
                 CurrentEtag(kCaseworker, ieepco_case_.name()), "--consent-by",
                 "VICTIM", "--consent-method", "IN_WRITING", "--with", "FGEO"},
                &out),
            0)
      << out;
  EXPECT_THAT(out, HasSubstr("Consentimiento para coordinación registrado"));

  ASSERT_EQ(
      testing::RunCli(*node_, kCaseworker,
                      {"case", "related", folio, "--purpose", "CASE_FOLLOW_UP"},
                      &out),
      0)
      << out;
  EXPECT_THAT(out, HasSubstr("Casos en otras instituciones"));
  EXPECT_THAT(out, HasSubstr("Fiscalía Especializada de Oaxaca"));
  EXPECT_THAT(out, HasSubstr("Fiscalía"));  // its kind
  ExpectNothingOfTheirs(out);

  ASSERT_EQ(
      testing::RunCli(*node_, kCaseworker,
                      {"case", "related", folio, "--purpose", "CASE_FOLLOW_UP"},
                      &out, "en"),
      0)
      << out;
  EXPECT_THAT(out, HasSubstr("Cases at other institutions"));
  EXPECT_THAT(out, HasSubstr("Consent to coordination"));
  ExpectNothingOfTheirs(out);

  ASSERT_EQ(testing::RunCli(*node_, kCaseworker,
                            {"case", "related", folio, "--purpose",
                             "CASE_FOLLOW_UP", "--json"},
                            &out),
            0)
      << out;
  EXPECT_THAT(out, HasSubstr("\"institution\":\"institutions/FGEO\""));
  EXPECT_THAT(out, HasSubstr("\"otherInstitutionsCaseCount\":1"));
  ExpectNothingOfTheirs(out);

  // The registrar, through the CLI too, learns only of her own.
  ASSERT_EQ(testing::RunCli(*node_, kRegistrar,
                            {"case", "related", folio, "--purpose",
                             "CASE_FOLLOW_UP", "--json"},
                            &out),
            0)
      << out;
  EXPECT_THAT(out, HasSubstr("\"relatedCaseAtOwnInstitution\":true"));
  EXPECT_THAT(out, Not(HasSubstr("FGEO")));
  // Her table shows only that answer: no count of other institutions' cases
  // (the node gives her none) and no consent.
  for (const char* lang : {"es", "en"}) {
    ASSERT_EQ(testing::RunCli(
                  *node_, kRegistrar,
                  {"case", "related", folio, "--purpose", "CASE_FOLLOW_UP"},
                  &out, lang),
              0)
        << out;
    EXPECT_THAT(out, AnyOf(HasSubstr("Otro caso en su institución"),
                           HasSubstr("Another case at your institution")));
    EXPECT_THAT(out, AllOf(Not(HasSubstr("Casos en otras instituciones")),
                           Not(HasSubstr("Cases at other institutions")),
                           Not(HasSubstr("Consentimiento")),
                           Not(HasSubstr("Consent")), Not(HasSubstr("FGEO"))))
        << out;
  }
}

// Last, for it marks the prosecutor as a shelter for the rest of the suite:
// an institution that ever received a referral for the shelter service is
// treated as a shelter whatever its kind, neither counted nor named.
TEST_F(RelatedCasesIntegrationTest, AnInstitutionReferredShelterIsLeftOut) {
  v1::RelatedCases related;
  ASSERT_TRUE(Related(kCaseworker, ieepco_case_.name(), &related).ok());
  ASSERT_EQ(related.other_institutions_case_count(), 1);

  v1::CreateReferralRequest r;
  r.mutable_referral()->set_case_(ieepco_case_.name());
  r.mutable_referral()->set_receiving_institution("FGEO");
  r.mutable_referral()->add_services(v1::REFERRAL_SERVICE_KIND_SHELTER);
  v1::Consent* consent = r.mutable_consent();
  consent->set_given_by(v1::CONSENT_GIVER_VICTIM);
  consent->set_method(v1::CONSENT_METHOD_IN_PERSON);
  consent->mutable_give_time()->set_seconds(absl::ToUnixSeconds(absl::Now()) -
                                            60);
  consent->set_scope(v1::SHARING_SCOPE_CONTACT_ONLY);
  v1::Referral referral;
  grpc::Status s =
      v1::ReferralService::NewStub(
          node_->Channel(kCaseworker.institution, kCaseworker.user))
          ->CreateReferral(TestNode::Context().get(), r, &referral);
  ASSERT_TRUE(s.ok()) << s.error_message();

  ASSERT_TRUE(Related(kCaseworker, ieepco_case_.name(), &related).ok());
  EXPECT_EQ(related.other_institutions_case_count(), 0);
  EXPECT_TRUE(related.related_cases().empty());
}

}  // namespace
}  // namespace resguardo
