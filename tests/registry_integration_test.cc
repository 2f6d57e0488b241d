// The registry of sanctioned persons end to end (issue 19): a real node in
// this process (server::Node, so that its clock is a FakeClock the test
// moves, as the deadline tests do) on loopback with real mTLS and a real
// SQLCipher file, prepared by TestNode (PKI, configuration, the real
// `resguardod init`), and the real CLI for the offline verification.
#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "base/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "resguardo/v1/case_service.grpc.pb.h"
#include "resguardo/v1/referral_service.grpc.pb.h"
#include "resguardo/v1/registry_service.grpc.pb.h"
#include "services/server/call_log.h"
#include "services/server/config_loader.h"
#include "services/server/node.h"
#include "services/server/tls_policy.h"
#include "tests/testing/case_requests.h"
#include "tests/testing/test_deployment.h"
#include "tests/testing/test_node.h"

namespace resguardo {
namespace {

using ::resguardo::testing::DaysAgo;
using ::resguardo::testing::Staff;
using ::resguardo::testing::TestNode;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

const Staff kAdmin{"IEEPCO", "admin", v1::ROLE_ADMIN};
const Staff kSupervisor{"IEEPCO", "sup", v1::ROLE_SUPERVISOR};
const Staff kCaseworker{"IEEPCO", "cw", v1::ROLE_CASEWORKER};
const Staff kRegistrar{"IEEPCO", "reg", v1::ROLE_REGISTRAR};
const Staff kFgeoAdmin{"FGEO", "fgeo.admin", v1::ROLE_ADMIN};
const Staff kFgeoCaseworker{"FGEO", "fgeo.cw", v1::ROLE_CASEWORKER};
const Staff kFgeoSupervisor{"FGEO", "fgeo.sup", v1::ROLE_SUPERVISOR};

// The victim's sealed data: none of it may leave through the registry.
constexpr char kVictim[] = "Rosalba Canaria Quetzal";
constexpr char kCurp[] = "HEGG560427MVZRRL04";
constexpr char kPhone[] = "+52 951 000 1234";
constexpr char kEmail[] = "canaria@example.org";
constexpr char kAddress[] = "Calle Canario 7, Oaxaca";
constexpr char kNarrative[] = "Narracion canaria de los hechos.";
constexpr char kEvidence[] = "Evidencia canaria";
// The aggressors: personal data until inscription, public once inscribed.
constexpr char kAggressorA[] = "Fulano Sancionado Uno";
constexpr char kAggressorB[] = "Mengano Sancionado Dos";
constexpr char kAggressorNotInscribed[] = "Zutano Nunca Inscrito";

class RegistryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    testing::TestNodeOptions options;
    options.extra_config = "referrals { monitor_interval_seconds: 1 }";
    absl::StatusOr<std::unique_ptr<TestNode>> created =
        TestNode::Create(options);
    ASSERT_TRUE(created.ok()) << created.status();
    node_ = created->release();
    // The operator's admin exists from `resguardod init`.
    const Staff* everyone[] = {&kSupervisor,     &kCaseworker,
                               &kRegistrar,      &kFgeoAdmin,
                               &kFgeoCaseworker, &kFgeoSupervisor};
    ASSERT_TRUE(testing::IssueClientCerts(*node_, everyone).ok());
    absl::StatusOr<config::v1::NodeConfig> config =
        server::LoadNodeConfig(node_->ConfigPath());
    ASSERT_TRUE(config.ok()) << config.status();
    clock_ = new FakeClock(absl::Now());
    log_file_ =
        std::fopen(absl::StrCat(node_->dir(), "/node.log").c_str(), "a");
    log_ = new server::CallLog(server::CallLog::Format::kJson, log_file_,
                               Clock::Real());
    // As resguardod serve does before anything makes a TLS context.
    ASSERT_TRUE(server::InstallTls13Only().ok());
    absl::StatusOr<std::unique_ptr<server::Node>> started =
        server::Node::Start(*config, log_, clock_);
    ASSERT_TRUE(started.ok()) << started.status();
    server_ = started->release();
    const testing::InstitutionSpec institutions[] = {
        {"FGEO", v1::INSTITUTION_KIND_PROSECUTOR, "Fiscalía General", "20"}};
    ASSERT_TRUE(testing::CreateInstitutions(*node_, institutions).ok());
    absl::Status users = testing::CreateUsers(*node_, everyone);
    ASSERT_TRUE(users.ok()) << users;
  }

  static void TearDownTestSuite() {
    if (server_ != nullptr) {
      (void)server_->Shutdown();
      delete server_;
    }
    delete node_;
  }

  template <typename Service>
  static std::unique_ptr<typename Service::Stub> StubAs(const Staff& s) {
    return Service::NewStub(node_->Channel(s.institution, s.user));
  }

  // A political-violence case with canary personal data and three
  // aggressors, carried to SENT_TO_COURT. Returns it.
  static v1::Case CaseAtCourt() {
    auto cases = StubAs<v1::CaseService>(kSupervisor);
    v1::CreateCaseRequest create =
        testing::NewCaseRequest(30, v1::RISK_LEVEL_HIGH, kVictim, kNarrative);
    auto* p = create.mutable_case_record()->mutable_personal_data();
    p->set_victim_curp(kCurp);
    p->set_contact_phone(kPhone);
    p->set_contact_email(kEmail);
    p->set_address(kAddress);
    p->set_evidence_notes(kEvidence);
    p->add_aggressor_names(kAggressorA);
    p->add_aggressor_names(kAggressorB);
    p->add_aggressor_names(kAggressorNotInscribed);
    auto* d = create.mutable_case_record()->mutable_descriptors();
    d->add_conducts(v1::CONDUCT_C12);
    d->add_self_identification(v1::SELF_IDENTIFICATION_INDIGENOUS);
    d->set_territorial_level(v1::TERRITORIAL_LEVEL_MUNICIPAL);
    d->set_victim_position(v1::VICTIM_POSITION_COUNCILLOR);
    d->set_municipality_code("067");
    v1::Case c;
    grpc::Status s = cases->CreateCase(TestNode::Context().get(), create, &c);
    EXPECT_TRUE(s.ok()) << s.error_message();
    for (v1::CaseStatus to :
         {v1::CASE_STATUS_FIRST_CONTACT, v1::CASE_STATUS_ADMISSIBILITY,
          v1::CASE_STATUS_ADMITTED, v1::CASE_STATUS_INVESTIGATION,
          v1::CASE_STATUS_SENT_TO_COURT}) {
      c = Move(c, to);
    }
    return c;
  }

  static v1::Case Move(const v1::Case& c, v1::CaseStatus to) {
    auto cases = StubAs<v1::CaseService>(kSupervisor);
    v1::UpdateCaseRequest u;
    u.mutable_case_record()->set_name(c.name());
    u.mutable_case_record()->set_etag(c.etag());
    u.mutable_case_record()->mutable_descriptors()->set_status(to);
    u.mutable_update_mask()->add_paths("descriptors.status");
    v1::Case out;
    grpc::Status s = cases->UpdateCase(TestNode::Context().get(), u, &out);
    EXPECT_TRUE(s.ok()) << v1::CaseStatus_Name(to) << ": " << s.error_message();
    return out;
  }

  static v1::SanctionedPerson Person(v1::FaultQualification q, int years,
                                     std::vector<v1::SanctionType> types) {
    v1::SanctionedPerson p;
    p.set_qualification(q);
    for (v1::SanctionType t : types) {
      v1::Sanction* s = p.add_sanctions();
      s->set_type(t);
      if (t == v1::SANCTION_TYPE_FINE) {
        s->mutable_fine_amount()->set_currency_code("MXN");
        s->mutable_fine_amount()->set_units(10000);
      }
    }
    if (years > 0) p.mutable_registry_term()->set_years(years);
    return p;
  }

  // Records the resolution (proven; the persons given) and returns the
  // case, RESOLVED.
  static v1::Case Resolve(const v1::Case& at_court,
                          std::vector<v1::SanctionedPerson> persons) {
    auto cases = StubAs<v1::CaseService>(kSupervisor);
    v1::AddResolutionRequest add;
    add.set_parent(at_court.name());
    v1::Resolution* r = add.mutable_resolution();
    r->set_resolving_authority("Tribunal Electoral del Estado de Oaxaca");
    r->set_file_number("JDC/12/2026");
    *r->mutable_resolution_date() = DaysAgo(10);
    r->set_outcome(v1::RESOLUTION_OUTCOME_PROVEN);
    for (v1::SanctionedPerson& p : persons) {
      *r->add_sanctioned_persons() = std::move(p);
    }
    v1::Resolution added;
    grpc::Status s =
        cases->AddResolution(TestNode::Context().get(), add, &added);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return Move(Get(at_court.name()), v1::CASE_STATUS_RESOLVED);
  }

  // The resolution becomes final and the case FINAL.
  static v1::Case MakeFinal(const v1::Case& resolved) {
    auto cases = StubAs<v1::CaseService>(kSupervisor);
    v1::SetResolutionFinalRequest request;
    request.set_name(resolved.resolutions(0).name());
    request.set_etag(resolved.etag());
    *request.mutable_final_date() = DaysAgo(2);
    v1::Case out;
    grpc::Status s =
        cases->SetResolutionFinal(TestNode::Context().get(), request, &out);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return Move(out, v1::CASE_STATUS_FINAL);
  }

  static v1::Case Get(const std::string& name) {
    auto cases = StubAs<v1::CaseService>(kSupervisor);
    v1::GetCaseRequest get;
    get.set_name(name);
    v1::Case c;
    grpc::Status s = cases->GetCase(TestNode::Context().get(), get, &c);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return c;
  }

  static grpc::Status Inscribe(const Staff& as, const std::string& person,
                               int aggressor, v1::RegistryEntry* out,
                               const std::string& request_id = "") {
    auto registry = StubAs<v1::RegistryService>(as);
    v1::InscribeRequest r;
    r.set_sanctioned_person(person);
    r.set_aggressor_index(aggressor);
    r.mutable_entry()->set_sex(v1::SANCTIONED_PERSON_SEX_MAN);
    r.mutable_entry()->set_position("Presidente municipal");
    r.mutable_entry()->set_candidacy(v1::CANDIDACY_NONE);
    *r.mutable_entry()->mutable_start_date() = DaysAgo(1);
    return registry->Inscribe(TestNode::Context(request_id).get(), r, out);
  }

  // Moves the node's clock and waits (up to 10 s of real time) for the
  // deadline monitor's next passes.
  static void AdvanceAndWait(absl::Duration d,
                             const std::function<bool()>& done) {
    clock_->Advance(d);
    const absl::Time give_up = absl::Now() + absl::Seconds(10);
    while (!done() && absl::Now() < give_up)
      absl::SleepFor(absl::Milliseconds(100));
  }

  static std::string ReadFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  static TestNode* node_;
  static FakeClock* clock_;
  static std::FILE* log_file_;
  static server::CallLog* log_;
  static server::Node* server_;
};

TestNode* RegistryTest::node_ = nullptr;
FakeClock* RegistryTest::clock_ = nullptr;
std::FILE* RegistryTest::log_file_ = nullptr;
server::CallLog* RegistryTest::log_ = nullptr;
server::Node* RegistryTest::server_ = nullptr;

TEST_F(RegistryTest, TheRouteToTheRegistryAndOutOfItWhenTheTermsEnd) {
  v1::Case c = CaseAtCourt();
  c = Resolve(
      c,
      {Person(v1::FAULT_QUALIFICATION_ORDINARY, 4,
              {v1::SANCTION_TYPE_FINE, v1::SANCTION_TYPE_REGISTRY_INSCRIPTION}),
       Person(v1::FAULT_QUALIFICATION_MINOR, 1,
              {v1::SANCTION_TYPE_REGISTRY_INSCRIPTION}),
       Person(v1::FAULT_QUALIFICATION_MINOR, 0, {v1::SANCTION_TYPE_WARNING})});
  ASSERT_EQ(c.resolutions_size(), 1);
  const v1::Resolution& r = c.resolutions(0);
  ASSERT_EQ(r.sanctioned_persons_size(), 3);
  const std::string person_a = r.sanctioned_persons(0).name();
  const std::string person_b = r.sanctioned_persons(1).name();
  const std::string person_warned = r.sanctioned_persons(2).name();

  // Before FINAL: refused.
  v1::RegistryEntry entry;
  grpc::Status s = Inscribe(kSupervisor, person_a, 0, &entry);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
      << s.error_message();

  c = MakeFinal(c);
  // A person the resolution does not order inscribed: refused.
  s = Inscribe(kSupervisor, person_warned, 2, &entry);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("does not order"));
  // Only a supervisor inscribes; another institution's does not see it.
  s = Inscribe(kCaseworker, person_a, 0, &entry);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  s = Inscribe(kFgeoSupervisor, person_a, 0, &entry);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  // An aggressor the case does not have.
  s = Inscribe(kSupervisor, person_a, 7, &entry);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(testing::BadRequestFields(s),
              ::testing::ElementsAre("aggressor_index"));

  const std::string request_id =
      absl::StrCat("inscribe-", testing::RandomHex());
  v1::RegistryEntry a;
  s = Inscribe(kSupervisor, person_a, 0, &a, request_id);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(a.person_name(), kAggressorA);
  EXPECT_EQ(a.qualification(), v1::FAULT_QUALIFICATION_ORDINARY);
  EXPECT_EQ(a.term().years(), 4);
  EXPECT_EQ(a.state_code(), "20");
  EXPECT_EQ(a.file_number(), "JDC/12/2026");
  EXPECT_EQ(a.status(), v1::REGISTRY_ENTRY_STATUS_IN_FORCE);
  ASSERT_EQ(a.victim_intersectionality_size(), 1);
  EXPECT_EQ(a.sanctioned_person(), person_a);
  // The inscription is audited as a read of sealed data.
  std::vector<v1::AuditEntry> audited =
      testing::AuditEntriesOf(*node_, request_id);
  ASSERT_EQ(audited.size(), 1u);
  EXPECT_EQ(audited[0].method(), "/resguardo.v1.RegistryService/Inscribe");
  EXPECT_EQ(audited[0].resource(), a.name());
  EXPECT_EQ(audited[0].purpose(), v1::ACCESS_PURPOSE_LEGAL_PROCEEDING);
  // Inscribed once only.
  s = Inscribe(kSupervisor, person_a, 0, &entry);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  const v1::Case final_case = Get(c.name());
  EXPECT_EQ(final_case.descriptors().status(), v1::CASE_STATUS_REGISTERED);
  v1::RegistryEntry b;
  s = Inscribe(kSupervisor, person_b, 1, &b);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(b.person_name(), kAggressorB);

  // The other institution's caseworker: the search shows public fields and
  // no way to the case; the list and the delisting do not reach it.
  {
    auto registry = StubAs<v1::RegistryService>(kFgeoCaseworker);
    v1::SearchRegistryRequest search;
    search.set_parent("institutions/FGEO");
    search.set_person_name("fulano sancionado");
    v1::SearchRegistryResponse found;
    s = registry->SearchRegistry(TestNode::Context().get(), search, &found);
    ASSERT_TRUE(s.ok()) << s.error_message();
    ASSERT_EQ(found.entries_size(), 1);
    EXPECT_EQ(found.entries(0).person_name(), kAggressorA);
    EXPECT_EQ(found.entries(0).sanctioned_person(), "");
    EXPECT_THAT(found.DebugString(), Not(HasSubstr(c.folio())));
    v1::ListRegistryEntriesRequest list;
    list.set_parent("institutions/IEEPCO");
    v1::ListRegistryEntriesResponse listed;
    s = registry->ListRegistryEntries(TestNode::Context().get(), list, &listed);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    auto fgeo_sup = StubAs<v1::RegistryService>(kFgeoSupervisor);
    v1::DelistRegistryEntryRequest delist;
    delist.set_name(a.name());
    delist.set_etag(a.etag());
    delist.set_court_order_file_number("SUP-JDC-1/2027");
    *delist.mutable_order_date() = DaysAgo(0);
    v1::RegistryEntry out;
    s = fgeo_sup->DelistRegistryEntry(TestNode::Context().get(), delist, &out);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  }

  // The public export: exactly the public columns, no victim canary, and a
  // note the real CLI verifies offline with the published key; a changed
  // byte does not verify.
  {
    auto registry = StubAs<v1::RegistryService>(kRegistrar);
    v1::ExportRegistryRequest request;
    request.set_parent("institutions/IEEPCO");
    v1::RegistryExport out;
    s = registry->ExportRegistry(TestNode::Context().get(), request, &out);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(out.entry_count(), 2);
    const std::vector<std::string> lines =
        absl::StrSplit(out.csv(), "\r\n", absl::SkipEmpty());
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0],
              "nombre,sexo,cargo,candidatura,ambito_territorial,entidad,"
              "autoridad_sancionadora,expediente,conductas,calificacion,"
              "reincidencia,sanciones,temporalidad,fecha_inicio,fecha_fin,"
              "categoria_interseccional_victima");
    EXPECT_THAT(out.csv(), HasSubstr(kAggressorA));
    EXPECT_THAT(out.csv(), HasSubstr(kAggressorB));
    for (const std::string& file : {out.csv(), out.json()}) {
      for (const char* canary :
           {kVictim, kCurp, kPhone, kEmail, kAddress, kNarrative, kEvidence,
            kAggressorNotInscribed, c.folio().c_str(), "067", "Regidora"}) {
        EXPECT_THAT(file, Not(HasSubstr(canary))) << canary;
      }
    }
    const std::string dir = node_->dir();
    const std::string csv = absl::StrCat(dir, "/", out.csv_file_name());
    const std::string note = absl::StrCat(dir, "/registro.note");
    std::ofstream(csv, std::ios::binary) << out.csv();
    std::ofstream(note, std::ios::binary) << out.signed_note();
    std::string printed;
    absl::StatusOr<int> code =
        TestNode::Run({TestNode::Binary(), "publication-key", "--config",
                       node_->ConfigPath()},
                      &printed);
    ASSERT_TRUE(code.ok());
    ASSERT_EQ(*code, 0) << printed;
    EXPECT_THAT(printed, HasSubstr(out.verifier_key()));
    const std::string key = absl::StrCat(dir, "/publication.key");
    std::ofstream(key) << printed;
    std::string cli;
    EXPECT_EQ(
        testing::RunCli(
            *node_, kRegistrar,
            {"registry", "verify", csv, "--note", note, "--vkey", key}, &cli),
        0)
        << cli;
    EXPECT_THAT(cli, HasSubstr("sin cambios"));
    std::string changed = out.csv();
    changed[changed.size() - 5] ^= 0x01;
    std::ofstream(csv, std::ios::binary | std::ios::trunc) << changed;
    EXPECT_EQ(
        testing::RunCli(
            *node_, kRegistrar,
            {"registry", "verify", csv, "--note", note, "--vkey", key}, &cli),
        9)
        << cli;
    EXPECT_THAT(cli, AllOf(HasSubstr("NO SE VERIFICA"),
                           HasSubstr("cambió después de publicarse")));
    // The note binds each file to its name: a renamed copy verifies only
    // under its original name (--name), and the refusal says so.
    const std::string renamed = absl::StrCat(dir, "/copia.csv");
    std::ofstream(renamed, std::ios::binary) << out.csv();
    const std::string original = csv.substr(csv.rfind('/') + 1);
    EXPECT_EQ(testing::RunCli(*node_, kRegistrar,
                              {"registry", "verify", renamed, "--note", note,
                               "--vkey", key},
                              &cli),
              9)
        << cli;
    EXPECT_THAT(cli, AllOf(HasSubstr("no avala un archivo llamado «copia.csv»"),
                           HasSubstr(original), HasSubstr("--name")));
    EXPECT_EQ(testing::RunCli(*node_, kRegistrar,
                              {"registry", "verify", renamed, "--note", note,
                               "--vkey", key, "--name", original},
                              &cli),
              0)
        << cli;
    // The audit key does not vouch for the registry.
    std::string audit_key;
    ASSERT_TRUE(TestNode::Run({TestNode::Binary(), "audit-key", "--config",
                               node_->ConfigPath()},
                              &audit_key)
                    .ok());
    std::ofstream(key, std::ios::trunc) << audit_key;
    std::ofstream(csv, std::ios::binary | std::ios::trunc) << out.csv();
    EXPECT_EQ(testing::RunCli(
                  *node_, kRegistrar,
                  {"registry", "verify", csv, "--note", note, "--vkey", key},
                  &cli, "en"),
              9)
        << cli;
    EXPECT_THAT(cli, HasSubstr("none of the keys given (--vkey) signed"));
  }

  // One year and a day: B's term ends; the case stays REGISTERED (A is in
  // force). Then four years: A's ends and the case is DELISTED, a move by
  // the node that bumps its version.
  auto registry = StubAs<v1::RegistryService>(kSupervisor);
  auto status_of = [&](const std::string& name) {
    v1::ListRegistryEntriesRequest list;
    list.set_parent("institutions/IEEPCO");
    list.set_page_size(500);
    v1::ListRegistryEntriesResponse listed;
    registry->ListRegistryEntries(TestNode::Context().get(), list, &listed);
    for (const v1::RegistryEntry& e : listed.entries()) {
      if (e.name() == name) return e.status();
    }
    return v1::REGISTRY_ENTRY_STATUS_UNSPECIFIED;
  };
  AdvanceAndWait(absl::Hours(24 * 367), [&] {
    return status_of(b.name()) == v1::REGISTRY_ENTRY_STATUS_DELISTED;
  });
  EXPECT_EQ(status_of(b.name()), v1::REGISTRY_ENTRY_STATUS_DELISTED);
  EXPECT_EQ(status_of(a.name()), v1::REGISTRY_ENTRY_STATUS_IN_FORCE);
  const v1::Case still = Get(c.name());
  EXPECT_EQ(still.descriptors().status(), v1::CASE_STATUS_REGISTERED);

  AdvanceAndWait(absl::Hours(24 * 3 * 366), [&] {
    return Get(c.name()).descriptors().status() == v1::CASE_STATUS_DELISTED;
  });
  const v1::Case delisted = Get(c.name());
  EXPECT_EQ(delisted.descriptors().status(), v1::CASE_STATUS_DELISTED);
  EXPECT_NE(delisted.etag(), still.etag());
  EXPECT_EQ(status_of(a.name()), v1::REGISTRY_ENTRY_STATUS_DELISTED);

  // Each delisting by the node: an audit entry whose actor is the node, and
  // an alert to the institution.
  absl::StatusOr<std::vector<v1::AuditEntry>> all = node_->AuditEntries();
  ASSERT_TRUE(all.ok());
  int by_node = 0;
  for (const v1::AuditEntry& e : *all) {
    if (e.actor() == "node" &&
        (e.resource() == a.name() || e.resource() == b.name())) {
      ++by_node;
      EXPECT_EQ(e.note(), "node:term-ended");
      EXPECT_EQ(e.institution(), "IEEPCO");
    }
    EXPECT_THAT(e.DebugString(), Not(HasSubstr(kAggressorA)));
    EXPECT_THAT(e.DebugString(), Not(HasSubstr("fulano")));
  }
  EXPECT_EQ(by_node, 2);
  auto alerts = StubAs<v1::ReferralService>(kSupervisor);
  v1::ListAlertsRequest list_alerts;
  list_alerts.set_parent("institutions/IEEPCO");
  v1::ListAlertsResponse raised;
  ASSERT_TRUE(
      alerts->ListAlerts(TestNode::Context().get(), list_alerts, &raised).ok());
  int delisting_alerts = 0;
  for (const v1::Alert& alert : raised.alerts()) {
    if (alert.kind() == v1::ALERT_KIND_REGISTRY_DELISTED) ++delisting_alerts;
  }
  EXPECT_EQ(delisting_alerts, 2);
}

TEST_F(RegistryTest,
       ACourtOrderDelistsEarlyAndTheSearchIsAuditedWithoutItsTerms) {
  v1::Case c = CaseAtCourt();
  c = Resolve(c, {Person(v1::FAULT_QUALIFICATION_SPECIAL, 5,
                         {v1::SANCTION_TYPE_REGISTRY_INSCRIPTION})});
  c = MakeFinal(c);
  // Only the registry registers and delists a case: a user's update to
  // REGISTERED (from FINAL) or DELISTED (from REGISTERED) is refused.
  auto refused_move = [&](v1::CaseStatus to) {
    const v1::Case now = Get(c.name());
    v1::UpdateCaseRequest u;
    u.mutable_case_record()->set_name(now.name());
    u.mutable_case_record()->set_etag(now.etag());
    u.mutable_case_record()->mutable_descriptors()->set_status(to);
    u.mutable_update_mask()->add_paths("descriptors.status");
    v1::Case out;
    grpc::Status refused = StubAs<v1::CaseService>(kSupervisor)
                               ->UpdateCase(TestNode::Context().get(), u, &out);
    EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
        << v1::CaseStatus_Name(to);
    EXPECT_THAT(refused.error_message(), HasSubstr("registr"));
    EXPECT_EQ(Get(c.name()).etag(), now.etag());
  };
  refused_move(v1::CASE_STATUS_REGISTERED);
  EXPECT_EQ(Get(c.name()).descriptors().status(), v1::CASE_STATUS_FINAL);
  v1::RegistryEntry e;
  grpc::Status s = Inscribe(
      kSupervisor, c.resolutions(0).sanctioned_persons(0).name(), 1, &e);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(Get(c.name()).descriptors().status(), v1::CASE_STATUS_REGISTERED);
  refused_move(v1::CASE_STATUS_DELISTED);
  EXPECT_EQ(Get(c.name()).descriptors().status(), v1::CASE_STATUS_REGISTERED);
  // While the entry is in force the case stays REGISTERED: no update moves
  // it on, and none is offered but closing it.
  refused_move(v1::CASE_STATUS_COMPLIANCE_MONITORING);
  EXPECT_EQ(Get(c.name()).descriptors().status(), v1::CASE_STATUS_REGISTERED);
  EXPECT_THAT(Get(c.name()).allowed_next_statuses(),
              ElementsAre(v1::CASE_STATUS_CLOSED));

  auto registry = StubAs<v1::RegistryService>(kRegistrar);
  const std::string search_id = absl::StrCat("search-", testing::RandomHex());
  v1::SearchRegistryRequest search;
  search.set_parent("institutions/IEEPCO");
  search.set_person_name("Mengano");
  search.set_state_code("20");
  v1::SearchRegistryResponse found;
  ASSERT_TRUE(
      registry
          ->SearchRegistry(TestNode::Context(search_id).get(), search, &found)
          .ok());
  EXPECT_GE(found.entries_size(), 1);
  std::vector<v1::AuditEntry> audited =
      testing::AuditEntriesOf(*node_, search_id);
  ASSERT_EQ(audited.size(), 1u);
  EXPECT_EQ(audited[0].note(), "registry:search");
  EXPECT_THAT(audited[0].DebugString(), Not(HasSubstr("Mengano")));

  auto supervisor = StubAs<v1::RegistryService>(kSupervisor);
  v1::DelistRegistryEntryRequest delist;
  delist.set_name(e.name());
  delist.set_etag("999");
  delist.set_court_order_file_number("SUP-JDC-44/2027");
  *delist.mutable_order_date() = DaysAgo(0);
  v1::RegistryEntry out;
  s = supervisor->DelistRegistryEntry(TestNode::Context().get(), delist, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ABORTED);
  delist.set_etag(e.etag());
  const std::string delist_id = absl::StrCat("delist-", testing::RandomHex());
  s = supervisor->DelistRegistryEntry(TestNode::Context(delist_id).get(),
                                      delist, &out);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(out.status(), v1::REGISTRY_ENTRY_STATUS_DELISTED);
  EXPECT_EQ(out.delisting_reason(), v1::DELISTING_REASON_COURT_ORDER);
  EXPECT_EQ(out.court_order_file_number(), "SUP-JDC-44/2027");
  const v1::Case delisted = Get(c.name());
  EXPECT_EQ(delisted.descriptors().status(), v1::CASE_STATUS_DELISTED);
  EXPECT_THAT(delisted.allowed_next_statuses(),
              ElementsAre(v1::CASE_STATUS_COMPLIANCE_MONITORING,
                          v1::CASE_STATUS_CLOSED));
  audited = testing::AuditEntriesOf(*node_, delist_id);
  ASSERT_EQ(audited.size(), 1u);
  EXPECT_EQ(audited[0].actor(), "institutions/IEEPCO/users/sup");
  EXPECT_EQ(audited[0].resource(), e.name());
  s = supervisor->DelistRegistryEntry(TestNode::Context().get(), delist, &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ABORTED);
}

}  // namespace
}  // namespace resguardo
