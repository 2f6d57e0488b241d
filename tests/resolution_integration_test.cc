// Resolutions end to end (issue 19): the real resguardod on loopback, real
// mTLS, a real SQLCipher file. A political-violence case of the electoral
// institute carried along the route — RECEIVED, ADMITTED, RESOLVED (proven,
// ordinary, a fine and inscription for 4 years), APPEALED, FINAL — with the
// records each step needs, the illegal moves refused with the catalogue's
// reason, reparation measures alerted when due and overdue (the deadline
// monitor on a 1-second interval), each act audited, and no canary of the
// sealed data in an audit entry or the log.
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "gtest/gtest.h"
#include "resguardo/v1/case_service.grpc.pb.h"
#include "resguardo/v1/referral_service.grpc.pb.h"
#include "resguardo/v1/stats_service.grpc.pb.h"
#include "tests/testing/case_requests.h"
#include "tests/testing/test_deployment.h"
#include "tests/testing/test_node.h"

namespace resguardo {
namespace {

using ::resguardo::testing::AuditEntriesOf;
using ::resguardo::testing::BadRequestFields;
using ::resguardo::testing::DaysAgo;
using ::resguardo::testing::RandomHex;
using ::resguardo::testing::RunCli;
using ::resguardo::testing::Staff;
using ::resguardo::testing::TestNode;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

const Staff kRegistrar{"IEEPCO", "reg", v1::ROLE_REGISTRAR};
const Staff kCaseworker{"IEEPCO", "cw", v1::ROLE_CASEWORKER};
const Staff kSupervisor{"IEEPCO", "sup", v1::ROLE_SUPERVISOR};
const Staff kAnalyst{"IEEPCO", "ana", v1::ROLE_ANALYST};

// Canaries of the sealed data: the victim's, the aggressor's, and the
// resolution's sealed fields.
constexpr char kVictim[] = "Resolucion Canaria Itzel";
constexpr char kNarrative[] = "Narracion canaria del caso resuelto.";
constexpr char kAggressor[] = "Sancionado Canario Perez";
constexpr char kNotes[] = "Notas canarias de la sentencia";
constexpr char kDescription[] = "Disculpa publica canaria a Itzel";

std::string DateText(const google::type::Date& d) {
  return absl::StrFormat("%04d-%02d-%02d", d.year(), d.month(), d.day());
}

// The google.rpc.LocalizedMessage of `s` (the catalogue's text), or "".
std::string Localized(const grpc::Status& s) {
  google::rpc::Status details;
  if (!details.ParseFromString(s.error_details())) return "";
  google::rpc::LocalizedMessage localized;
  for (const auto& any : details.details()) {
    if (any.UnpackTo(&localized)) return localized.message();
  }
  return "";
}

class ResolutionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    testing::TestNodeOptions options;
    options.extra_config = "referrals { monitor_interval_seconds: 1 }";
    absl::StatusOr<std::unique_ptr<TestNode>> node = TestNode::Create(options);
    ASSERT_TRUE(node.ok()) << node.status();
    node_ = node->release();
    absl::Status deployed = testing::StartDeployment(
        *node_, {&kRegistrar, &kCaseworker, &kSupervisor, &kAnalyst}, {});
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

  static std::unique_ptr<v1::CaseService::Stub> Cases(const Staff& s) {
    return v1::CaseService::NewStub(node_->Channel(s.institution, s.user));
  }

  static v1::Case Get(const std::string& name) {
    v1::GetCaseRequest get;
    get.set_name(name);
    v1::Case c;
    grpc::Status s =
        Cases(kCaseworker)->GetCase(TestNode::Context().get(), get, &c);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return c;
  }

  // UpdateCase of the status, by the caseworker, with the current etag.
  static grpc::Status Move(const std::string& name, v1::CaseStatus to,
                           const std::string& rid = "") {
    v1::UpdateCaseRequest u;
    u.mutable_case_record()->set_name(name);
    u.mutable_case_record()->set_etag(Get(name).etag());
    u.mutable_case_record()->mutable_descriptors()->set_status(to);
    u.mutable_update_mask()->add_paths("descriptors.status");
    v1::Case out;
    return Cases(kCaseworker)
        ->UpdateCase(TestNode::Context(rid).get(), u, &out);
  }

  // Carries a new case along the route to SENT_TO_COURT.
  static void ToCourt(const std::string& name) {
    for (v1::CaseStatus to :
         {v1::CASE_STATUS_FIRST_CONTACT, v1::CASE_STATUS_ADMISSIBILITY,
          v1::CASE_STATUS_ADMITTED, v1::CASE_STATUS_INVESTIGATION,
          v1::CASE_STATUS_SENT_TO_COURT}) {
      grpc::Status s = Move(name, to);
      ASSERT_TRUE(s.ok()) << v1::CaseStatus_Name(to) << s.error_message();
    }
  }

  // A new case of the canary woman (reported 60 days ago), carried to
  // SENT_TO_COURT.
  static void CaseAtCourt(v1::Case* c) {
    ASSERT_TRUE(Cases(kRegistrar)
                    ->CreateCase(TestNode::Context().get(),
                                 testing::NewCaseRequest(60, v1::RISK_LEVEL_LOW,
                                                         kVictim, kNarrative),
                                 c)
                    .ok());
    ASSERT_NO_FATAL_FAILURE(ToCourt(c->name()));
  }

  static v1::AddResolutionRequest ProvenOrdinary(const std::string& parent) {
    v1::AddResolutionRequest add;
    add.set_parent(parent);
    v1::Resolution* r = add.mutable_resolution();
    r->set_resolving_authority("Tribunal Electoral del Estado de Oaxaca");
    r->set_file_number("JDC/123/2026");
    *r->mutable_resolution_date() = DaysAgo(30);
    r->set_outcome(v1::RESOLUTION_OUTCOME_PROVEN);
    r->set_notes(kNotes);
    v1::SanctionedPerson* p = r->add_sanctioned_persons();
    p->set_qualification(v1::FAULT_QUALIFICATION_ORDINARY);
    v1::Sanction* fine = p->add_sanctions();
    fine->set_type(v1::SANCTION_TYPE_FINE);
    fine->mutable_fine_amount()->set_currency_code("MXN");
    fine->mutable_fine_amount()->set_units(10374);
    p->add_sanctions()->set_type(v1::SANCTION_TYPE_REGISTRY_INSCRIPTION);
    p->mutable_registry_term()->set_years(4);
    // One measure due in 3 days (within the 7-day horizon), one overdue.
    v1::ReparationMeasure* soon = r->add_reparation_measures();
    soon->set_kind(v1::REPARATION_MEASURE_KIND_SATISFACTION);
    soon->set_responsible_authority("Ayuntamiento de Santa María");
    *soon->mutable_due_date() = DaysAgo(-3);
    soon->set_description(kDescription);
    v1::ReparationMeasure* late = r->add_reparation_measures();
    late->set_kind(v1::REPARATION_MEASURE_KIND_NON_REPETITION);
    late->set_responsible_authority("Ayuntamiento de Santa María");
    *late->mutable_due_date() = DaysAgo(10);
    return add;
  }

  static TestNode* node_;
};

TestNode* ResolutionTest::node_ = nullptr;

TEST_F(ResolutionTest, TheRouteToFinalNeedsItsRecords) {
  v1::CreateCaseRequest create =
      testing::NewCaseRequest(60, v1::RISK_LEVEL_HIGH, kVictim, kNarrative);
  create.mutable_case_record()->mutable_personal_data()->add_aggressor_names(
      kAggressor);
  v1::Case c;
  ASSERT_TRUE(Cases(kRegistrar)
                  ->CreateCase(TestNode::Context().get(), create, &c)
                  .ok());
  ASSERT_EQ(c.descriptors().status(), v1::CASE_STATUS_RECEIVED);
  const std::string name = c.name();

  // RECEIVED cannot jump to RESOLVED: the route's catalogue reason.
  grpc::Status s = Move(name, v1::CASE_STATUS_RESOLVED);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(Localized(s), HasSubstr("no puede pasar a ese estado"));
  ASSERT_NO_FATAL_FAILURE(ToCourt(name));
  // RESOLVED without a resolution: refused, naming why.
  s = Move(name, v1::CASE_STATUS_RESOLVED);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(Localized(s), HasSubstr("necesita una resolución"));

  // A registrar does not record resolutions; a fine without its amount is
  // refused naming the field.
  v1::AddResolutionRequest add = ProvenOrdinary(name);
  v1::Resolution added;
  EXPECT_EQ(Cases(kRegistrar)
                ->AddResolution(TestNode::Context().get(), add, &added)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::AddResolutionRequest no_amount = add;
  no_amount.mutable_resolution()
      ->mutable_sanctioned_persons(0)
      ->mutable_sanctions(0)
      ->clear_fine_amount();
  s = Cases(kCaseworker)
          ->AddResolution(TestNode::Context().get(), no_amount, &added);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(BadRequestFields(s),
              Contains("resolution.sanctioned_persons[0].sanctions[0]."
                       "fine_amount"));

  const std::string add_rid = absl::StrCat("resolution-", RandomHex());
  s = Cases(kCaseworker)
          ->AddResolution(TestNode::Context(add_rid).get(), add, &added);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(added.name(), name + "/resolutions/1");
  ASSERT_EQ(added.sanctioned_persons_size(), 1);
  EXPECT_EQ(added.sanctioned_persons(0).registry_term().years(), 4);
  EXPECT_EQ(added.sanctioned_persons(0).sanctions_size(), 2);
  EXPECT_EQ(added.reparation_measures(0).compliance_status(),
            v1::REPARATION_COMPLIANCE_STATUS_PENDING);
  EXPECT_TRUE(added.notes().empty());  // sealed: FULL view only
  // A second resolution while this one stands: refused.
  s = Cases(kCaseworker)->AddResolution(TestNode::Context().get(), add, &added);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  ASSERT_TRUE(Move(name, v1::CASE_STATUS_RESOLVED).ok());
  // APPEALED needs an appeal; FINAL needs the final date.
  s = Move(name, v1::CASE_STATUS_APPEALED);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(Localized(s), HasSubstr("impugnación en trámite"));

  v1::FileAppealRequest file;
  file.set_parent(added.name());
  *file.mutable_appeal()->mutable_filed_date() = DaysAgo(25);
  file.mutable_appeal()->set_reviewing_authority(
      "Sala Regional Xalapa del TEPJF");
  file.mutable_appeal()->set_file_number("SX-JDC-45/2026");
  v1::Appeal appeal;
  s = Cases(kCaseworker)->FileAppeal(TestNode::Context().get(), file, &appeal);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(appeal.outcome(), v1::APPEAL_OUTCOME_PENDING);
  ASSERT_TRUE(Move(name, v1::CASE_STATUS_APPEALED).ok());

  // Not final while the appeal is pending; never by a caseworker.
  v1::SetResolutionFinalRequest final_req;
  final_req.set_name(added.name());
  *final_req.mutable_final_date() = DaysAgo(2);
  final_req.set_etag(Get(name).etag());
  v1::Case out;
  EXPECT_EQ(Cases(kCaseworker)
                ->SetResolutionFinal(TestNode::Context().get(), final_req, &out)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  s = Cases(kSupervisor)
          ->SetResolutionFinal(TestNode::Context().get(), final_req, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(Localized(s), HasSubstr("impugnación en trámite"));

  v1::DecideAppealRequest decide;
  decide.set_name(appeal.name());
  decide.set_etag(Get(name).etag());
  decide.set_outcome(v1::APPEAL_OUTCOME_CONFIRMED);
  *decide.mutable_outcome_date() = DaysAgo(5);
  s = Cases(kCaseworker)->DecideAppeal(TestNode::Context().get(), decide, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  // The etag moved: the old one is ABORTED.
  s = Cases(kSupervisor)
          ->SetResolutionFinal(TestNode::Context().get(), final_req, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ABORTED);
  s = Move(name, v1::CASE_STATUS_FINAL);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(Localized(s), HasSubstr("fecha en que quedó firme"));

  final_req.set_etag(out.etag());
  s = Cases(kSupervisor)
          ->SetResolutionFinal(TestNode::Context().get(), final_req, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(out.resolutions_size(), 1);
  EXPECT_TRUE(out.resolutions(0).has_final_date());
  ASSERT_TRUE(Move(name, v1::CASE_STATUS_FINAL).ok());
  v1::Case final_case = Get(name);
  EXPECT_EQ(final_case.descriptors().status(), v1::CASE_STATUS_FINAL);
  // REGISTERED is the registry's move, never offered to a user.
  EXPECT_THAT(final_case.allowed_next_statuses(),
              Contains(v1::CASE_STATUS_COMPLIANCE_MONITORING));
  EXPECT_THAT(final_case.allowed_next_statuses(),
              Not(Contains(v1::CASE_STATUS_REGISTERED)));
  // A final resolution is no longer appealed.
  s = Cases(kCaseworker)->FileAppeal(TestNode::Context().get(), file, &appeal);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  // The sealed fields only in the FULL view, with a purpose.
  EXPECT_TRUE(final_case.resolutions(0).notes().empty());
  EXPECT_TRUE(
      final_case.resolutions(0).reparation_measures(0).description().empty());
  v1::GetCaseRequest full;
  full.set_name(name);
  full.set_view(v1::CASE_VIEW_FULL);
  full.set_purpose(v1::ACCESS_PURPOSE_LEGAL_PROCEEDING);
  v1::Case opened;
  ASSERT_TRUE(Cases(kCaseworker)
                  ->GetCase(TestNode::Context().get(), full, &opened)
                  .ok());
  EXPECT_EQ(opened.resolutions(0).notes(), kNotes);
  EXPECT_EQ(opened.resolutions(0).reparation_measures(0).description(),
            kDescription);

  // Each act audited, naming the record, with nothing of its content.
  std::vector<v1::AuditEntry> entries = AuditEntriesOf(*node_, add_rid);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].method(), "/resguardo.v1.CaseService/AddResolution");
  EXPECT_EQ(entries[0].resource(), added.name());
  absl::StatusOr<std::vector<v1::AuditEntry>> all = node_->AuditEntries();
  ASSERT_TRUE(all.ok());
  std::string audit;
  std::vector<std::string> methods;
  for (const v1::AuditEntry& e : *all) {
    absl::StrAppend(&audit, e.DebugString());
    methods.push_back(e.method());
  }
  for (const char* m : {"FileAppeal", "DecideAppeal", "SetResolutionFinal"}) {
    EXPECT_THAT(methods,
                Contains(absl::StrCat("/resguardo.v1.CaseService/", m)));
  }
  EXPECT_THAT(audit, HasSubstr(appeal.name()));
  const std::string log = node_->LogText();
  for (const char* canary :
       {kVictim, kNarrative, kAggressor, kNotes, kDescription}) {
    EXPECT_THAT(audit, Not(HasSubstr(canary))) << canary;
    EXPECT_THAT(log, Not(HasSubstr(canary))) << canary;
  }
}

TEST_F(ResolutionTest, ReparationMeasuresRaiseAlertsAndRecordCompliance) {
  v1::Case c;
  ASSERT_NO_FATAL_FAILURE(CaseAtCourt(&c));
  v1::Resolution added;
  ASSERT_TRUE(Cases(kCaseworker)
                  ->AddResolution(TestNode::Context().get(),
                                  ProvenOrdinary(c.name()), &added)
                  .ok());
  const std::string soon = added.reparation_measures(0).name();
  const std::string late = added.reparation_measures(1).name();

  // The monitor runs every second: due soon and overdue, each once.
  auto alerts = v1::ReferralService::NewStub(
      node_->Channel(kCaseworker.institution, kCaseworker.user));
  bool due = false;
  bool overdue = false;
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (!(due && overdue) && absl::Now() < deadline) {
    v1::ListAlertsRequest list;
    list.set_parent("institutions/IEEPCO");
    list.set_page_size(500);
    v1::ListAlertsResponse got;
    ASSERT_TRUE(alerts->ListAlerts(TestNode::Context().get(), list, &got).ok());
    for (const v1::Alert& a : got.alerts()) {
      due |= a.kind() == v1::ALERT_KIND_REPARATION_DUE && a.resource() == soon;
      overdue |=
          a.kind() == v1::ALERT_KIND_REPARATION_OVERDUE && a.resource() == late;
    }
    if (!(due && overdue)) absl::SleepFor(absl::Milliseconds(300));
  }
  EXPECT_TRUE(due);
  EXPECT_TRUE(overdue);

  // Compliance is recorded along its rules, with the etag, and audited.
  v1::SetReparationMeasureStatusRequest set;
  set.set_name(late);
  set.set_etag(Get(c.name()).etag());
  set.set_status(v1::REPARATION_COMPLIANCE_STATUS_COMPLIED);
  const std::string rid = absl::StrCat("complied-", RandomHex());
  v1::Case out;
  grpc::Status s =
      Cases(kCaseworker)
          ->SetReparationMeasureStatus(TestNode::Context(rid).get(), set, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.resolutions(0).reparation_measures(1).compliance_status(),
            v1::REPARATION_COMPLIANCE_STATUS_COMPLIED);
  EXPECT_TRUE(out.resolutions(0)
                  .reparation_measures(1)
                  .allowed_next_statuses()
                  .empty());
  std::vector<v1::AuditEntry> entries = AuditEntriesOf(*node_, rid);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].resource(), late);
  // COMPLIED is final.
  set.set_etag(out.etag());
  set.set_status(v1::REPARATION_COMPLIANCE_STATUS_PENDING);
  s = Cases(kCaseworker)
          ->SetReparationMeasureStatus(TestNode::Context().get(), set, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(Localized(s), HasSubstr("cambio de cumplimiento"));
}

// A resolution an appeal REVOKED, once the next is recorded, takes no measure.
TEST_F(ResolutionTest, OnlyTheCurrentResolutionTakesReparationMeasures) {
  v1::Case c;
  ASSERT_NO_FATAL_FAILURE(CaseAtCourt(&c));
  v1::Resolution first;
  ASSERT_TRUE(Cases(kCaseworker)
                  ->AddResolution(TestNode::Context().get(),
                                  ProvenOrdinary(c.name()), &first)
                  .ok());
  ASSERT_TRUE(Move(c.name(), v1::CASE_STATUS_RESOLVED).ok());
  v1::FileAppealRequest file;
  file.set_parent(first.name());
  *file.mutable_appeal()->mutable_filed_date() = DaysAgo(25);
  file.mutable_appeal()->set_reviewing_authority("Sala Regional Xalapa");
  v1::Appeal appeal;
  ASSERT_TRUE(Cases(kCaseworker)
                  ->FileAppeal(TestNode::Context().get(), file, &appeal)
                  .ok());
  ASSERT_TRUE(Move(c.name(), v1::CASE_STATUS_APPEALED).ok());
  v1::DecideAppealRequest decide;
  decide.set_name(appeal.name());
  decide.set_etag(Get(c.name()).etag());
  decide.set_outcome(v1::APPEAL_OUTCOME_REVOKED);
  *decide.mutable_outcome_date() = DaysAgo(5);
  v1::Case out;
  ASSERT_TRUE(Cases(kCaseworker)
                  ->DecideAppeal(TestNode::Context().get(), decide, &out)
                  .ok());
  v1::Resolution second;
  grpc::Status s = Cases(kCaseworker)
                       ->AddResolution(TestNode::Context().get(),
                                       ProvenOrdinary(c.name()), &second);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(second.name(), c.name() + "/resolutions/2");

  const v1::Case before = Get(c.name());
  v1::AddReparationMeasureRequest add;
  add.set_parent(first.name());
  *add.mutable_reparation_measure() =
      ProvenOrdinary(c.name()).resolution().reparation_measures(1);
  v1::ReparationMeasure measure;
  s = Cases(kCaseworker)
          ->AddReparationMeasure(TestNode::Context().get(), add, &measure);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(Localized(s), HasSubstr("resolución vigente"));
  const v1::Case after = Get(c.name());  // nothing written: same etag
  EXPECT_EQ(after.etag(), before.etag());
  // The current one takes it.
  add.set_parent(second.name());
  s = Cases(kCaseworker)
          ->AddReparationMeasure(TestNode::Context().get(), add, &measure);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(measure.name(), second.name() + "/reparationMeasures/3");
}

// The real CLI: `resolution add`, `show` (Spanish, English, --json),
// `appeal`, and `final` refused to a caseworker.
TEST_F(ResolutionTest, TheCliRecordsAndShowsAResolution) {
  v1::Case c;
  ASSERT_NO_FATAL_FAILURE(CaseAtCourt(&c));
  const std::vector<std::string> add = {
      "resolution",
      "add",
      c.folio(),
      "--authority",
      "Tribunal Electoral del Estado de Oaxaca",
      "--file-number",
      "JDC/9/2026",
      "--date",
      DateText(DaysAgo(30)),
      "--outcome",
      "PROVEN",
      "--qualification",
      "ORDINARY",
      "--sanction",
      "FINE",
      "--sanction",
      "REGISTRY_INSCRIPTION",
      "--fine",
      "10374.50",
      "--term-years",
      "4"};
  std::string out;
  std::vector<std::string> bad = add;
  bad[bad.size() - 3] = "diez mil";
  EXPECT_EQ(RunCli(*node_, kCaseworker, bad, &out), 2) << out;
  EXPECT_THAT(out, HasSubstr("--fine debe ser un monto positivo"));
  // The node's refusal of a sanction's type names --sanction, not --type.
  std::vector<std::string> none = add;
  none.insert(none.begin() + 13, {"--sanction", "NONE"});
  EXPECT_EQ(RunCli(*node_, kCaseworker, none, &out), 7) << out;
  EXPECT_THAT(out, AllOf(HasSubstr("--sanction (resolution.sanctioned_persons"),
                         Not(HasSubstr("--type"))));
  ASSERT_EQ(RunCli(*node_, kCaseworker, add, &out), 0) << out;
  EXPECT_THAT(out, HasSubstr("Resolución registrada."));
  EXPECT_THAT(out, HasSubstr("Ordinaria"));
  EXPECT_THAT(out, HasSubstr("10374.50 MXN"));
  EXPECT_THAT(out, HasSubstr("4 años, 0 meses, 0 días"));

  ASSERT_EQ(RunCli(*node_, kCaseworker, {"resolution", "show", c.folio()}, &out,
                   "en"),
            0)
      << out;
  EXPECT_THAT(out, HasSubstr("Resolution 1"));
  EXPECT_THAT(out, HasSubstr("Ordinary"));
  EXPECT_THAT(out,
              HasSubstr("Inscription in the registry of sanctioned persons"));
  ASSERT_EQ(RunCli(*node_, kCaseworker,
                   {"resolution", "show", c.folio(), "--json"}, &out),
            0)
      << out;
  EXPECT_THAT(out, HasSubstr("FAULT_QUALIFICATION_ORDINARY"));
  EXPECT_THAT(out, Not(HasSubstr(kVictim)));

  // A correction: only what is given changes; nothing given, or the
  // sanctioned person's flags with --no-sanctioned, is a usage error.
  const std::string etag = Get(c.name()).etag();
  EXPECT_EQ(
      RunCli(*node_, kCaseworker,
             {"resolution", "update", c.folio(), "1", "--etag", etag}, &out),
      2)
      << out;
  EXPECT_THAT(out, HasSubstr("no hay nada que cambiar"));
  EXPECT_EQ(RunCli(*node_, kCaseworker,
                   {"resolution", "update", c.folio(), "1", "--etag", etag,
                    "--no-sanctioned", "--qualification", "SERIOUS"},
                   &out),
            2)
      << out;
  EXPECT_THAT(out, HasSubstr("--no-sanctioned no va con"));
  ASSERT_EQ(RunCli(*node_, kCaseworker,
                   {"resolution", "update", c.folio(), "1", "--etag", etag,
                    "--file-number", "JDC/10/2026", "--qualification",
                    "SERIOUS", "--sanction", "PUBLIC_REPRIMAND"},
                   &out),
            0)
      << out;
  EXPECT_THAT(out, HasSubstr("JDC/10/2026"));
  EXPECT_THAT(out, HasSubstr("Grave"));
  EXPECT_THAT(out, HasSubstr("Amonestación pública"));
  EXPECT_THAT(out, Not(HasSubstr("10374.50 MXN")));  // the person replaced
  // The etag it was given is stale now.
  EXPECT_EQ(RunCli(*node_, kCaseworker,
                   {"resolution", "update", c.folio(), "1", "--etag", etag,
                    "--file-number", "JDC/11/2026"},
                   &out),
            5)
      << out;

  // A reparation measure's sealed description: in the FULL table (a read
  // of personal data, with its purpose), never in BASIC.
  const std::string description_file =
      absl::StrCat(::testing::TempDir(), "/measure-", testing::RandomHex());
  std::ofstream(description_file) << kDescription << "\n";
  ASSERT_EQ(
      RunCli(*node_, kCaseworker,
             {"resolution", "reparation-add", c.folio(), "1", "--kind",
              "SATISFACTION", "--authority", "Congreso del Estado", "--due",
              DateText(DaysAgo(-30)), "--description-file", description_file},
             &out),
      0)
      << out;
  ASSERT_EQ(RunCli(*node_, kCaseworker,
                   {"resolution", "show", c.folio(), "--view", "full",
                    "--purpose", "CASE_FOLLOW_UP"},
                   &out),
            0)
      << out;
  EXPECT_THAT(out, AllOf(HasSubstr("Descripción de la medida 1"),
                         HasSubstr(kDescription)));
  ASSERT_EQ(RunCli(*node_, kCaseworker, {"resolution", "show", c.folio()}, &out,
                   "en"),
            0)
      << out;
  EXPECT_THAT(out, AllOf(HasSubstr("Reparation measures:"),
                         Not(HasSubstr(kDescription)),
                         Not(HasSubstr("Description of measure"))));

  ASSERT_EQ(RunCli(*node_, kCaseworker,
                   {"resolution", "appeal", c.folio(), "1", "--filed",
                    DateText(DaysAgo(20)), "--authority",
                    "Sala Regional Xalapa del TEPJF"},
                   &out),
            0)
      << out;
  EXPECT_THAT(out, HasSubstr("Impugnación registrada."));
  EXPECT_EQ(RunCli(*node_, kCaseworker,
                   {"resolution", "final", c.folio(), "1", "--date",
                    DateText(DaysAgo(1)), "--etag", Get(c.name()).etag()},
                   &out),
            6)
      << out;
}

// The resolutions feed the statistics: an analyst's tables by outcome,
// sanction type, qualification and days to resolution count the resolved
// cases, through the node, under its suppression, with nothing of the
// sealed data.
TEST_F(ResolutionTest, ResolvedCasesAreCountedInStatistics) {
  // Five proven, five not proven, five pending: each outcome's cell is
  // above k, whichever other tests of this node ran before.
  for (int i = 0; i < 15; ++i) {
    v1::Case c;
    ASSERT_TRUE(Cases(kRegistrar)
                    ->CreateCase(TestNode::Context().get(),
                                 testing::NewCaseRequest(50, v1::RISK_LEVEL_LOW,
                                                         kVictim, kNarrative),
                                 &c)
                    .ok());
    if (i >= 10) continue;
    ASSERT_NO_FATAL_FAILURE(ToCourt(c.name()));
    v1::AddResolutionRequest add = ProvenOrdinary(c.name());
    if (i >= 5) {
      add.mutable_resolution()->set_outcome(v1::RESOLUTION_OUTCOME_NOT_PROVEN);
      add.mutable_resolution()->clear_sanctioned_persons();
      add.mutable_resolution()->clear_reparation_measures();
    }
    v1::Resolution added;
    grpc::Status s =
        Cases(kCaseworker)
            ->AddResolution(TestNode::Context().get(), add, &added);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  auto stats = v1::StatsService::NewStub(
      node_->Channel(kAnalyst.institution, kAnalyst.user));
  // The answer to a table by `d` (none: the total alone) of the cases with
  // one of `values` of `filter`.
  auto query = [&](std::vector<v1::StatsDimension> dims,
                   v1::StatsDimension filter = v1::STATS_DIMENSION_UNSPECIFIED,
                   std::string value = "") {
    v1::StatsQueryRequest r;
    r.set_parent("institutions/IEEPCO");
    for (v1::StatsDimension d : dims) r.add_dimensions(d);
    if (!value.empty()) {
      v1::StatsFilter* f = r.add_filters();
      f->set_dimension(filter);
      f->add_values(value);
    }
    v1::StatsQueryResponse out;
    grpc::Status s = stats->Query(TestNode::Context().get(), r, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    const std::string wire = out.SerializeAsString();
    for (const char* canary :
         {kVictim, kNarrative, kAggressor, kNotes, kDescription}) {
      EXPECT_EQ(wire.find(canary), std::string::npos) << canary;
    }
    EXPECT_EQ(wire.find("Tribunal Electoral"), std::string::npos);
    EXPECT_EQ(wire.find("JDC/"), std::string::npos);
    return out;
  };
  // A table's cells by value; -1 when withheld.
  auto cells = [](const v1::StatsQueryResponse& out) {
    std::map<std::string, int64_t> cells;
    for (const v1::StatsCell& c : out.cells()) {
      cells[c.values(0)] = c.suppressed() ? -1 : c.count();
    }
    return cells;
  };
  // Each cell holds at least five cases: shown, within the perturbation of
  // ±2.
  std::map<std::string, int64_t> outcome =
      cells(query({v1::STATS_DIMENSION_RESOLUTION_OUTCOME}));
  EXPECT_EQ(outcome.size(), 3u);
  EXPECT_GE(outcome["RESOLUTION_OUTCOME_UNSPECIFIED"], 3);  // pending
  EXPECT_GE(outcome["RESOLUTION_OUTCOME_PROVEN"], 3);
  EXPECT_GE(outcome["RESOLUTION_OUTCOME_NOT_PROVEN"], 3);
  // Every sanction is a cell; one no case has is withheld.
  std::map<std::string, int64_t> sanction =
      cells(query({v1::STATS_DIMENSION_SANCTION_TYPE}));
  EXPECT_EQ(static_cast<int>(sanction.size()),
            v1::SanctionType_descriptor()->value_count());
  EXPECT_EQ(sanction["SANCTION_TYPE_WARNING"], -1);
  // As filters, each a population of at least five (fined, ordinary,
  // resolved within 30 days of the report: 50 days ago, 30 days ago).
  for (const auto& [d, value] :
       std::vector<std::pair<v1::StatsDimension, std::string>>{
           {v1::STATS_DIMENSION_SANCTION_TYPE, "SANCTION_TYPE_FINE"},
           {v1::STATS_DIMENSION_FAULT_QUALIFICATION,
            "FAULT_QUALIFICATION_ORDINARY"},
           {v1::STATS_DIMENSION_DAYS_TO_RESOLUTION, "0-30"}}) {
    SCOPED_TRACE(value);
    v1::StatsQueryResponse out = query({}, d, value);
    EXPECT_FALSE(out.total().suppressed());
    EXPECT_GE(out.total().count(), 3);
  }
}

}  // namespace
}  // namespace resguardo
