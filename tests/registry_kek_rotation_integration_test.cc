// The registry of sanctioned persons across an institution KEK rotation,
// through a real node (the real resguardod on loopback with real mTLS and
// a real SQLCipher file): a person inscribed from a FINAL case, whose name
// is sealed under a data key of the entry wrapped by the institution's KEK;
// then the institution's KEK rotated to the end. The rotation counts and
// rewraps the entry's key, the old version is destroyed, and the entry
// still opens: the list, the search and the signed export give the name,
// and the export verifies offline with the real CLI.
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "resguardo/v1/admin_service.grpc.pb.h"
#include "resguardo/v1/case_service.grpc.pb.h"
#include "resguardo/v1/registry_service.grpc.pb.h"
#include "services/store/database.h"
#include "services/store/statement.h"
#include "tests/testing/case_requests.h"
#include "tests/testing/test_deployment.h"
#include "tests/testing/test_node.h"

namespace resguardo {
namespace {

using ::resguardo::testing::DaysAgo;
using ::resguardo::testing::Staff;
using ::resguardo::testing::TestNode;
using ::testing::HasSubstr;

const Staff kAdmin{"IEEPCO", "admin", v1::ROLE_ADMIN};
const Staff kSupervisor{"IEEPCO", "sup", v1::ROLE_SUPERVISOR};
const Staff kRegistrar{"IEEPCO", "reg", v1::ROLE_REGISTRAR};

constexpr char kAggressor[] = "Perengano Sancionado Rotado";

class RegistryKekRotationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::TestNodeOptions options;
    options.extra_config = "key_rotation { rewrap_batch_size: 1 }";
    absl::StatusOr<std::unique_ptr<TestNode>> node = TestNode::Create(options);
    ASSERT_TRUE(node.ok()) << node.status();
    node_ = *std::move(node);
    absl::Status deployed =
        testing::StartDeployment(*node_, {&kSupervisor, &kRegistrar}, {});
    ASSERT_TRUE(deployed.ok()) << deployed;
  }

  template <typename Service>
  std::unique_ptr<typename Service::Stub> StubAs(const Staff& s) {
    return Service::NewStub(node_->Channel(s.institution, s.user));
  }

  v1::Case Move(const v1::Case& c, v1::CaseStatus to) {
    v1::UpdateCaseRequest u;
    u.mutable_case_record()->set_name(c.name());
    u.mutable_case_record()->set_etag(c.etag());
    u.mutable_case_record()->mutable_descriptors()->set_status(to);
    u.mutable_update_mask()->add_paths("descriptors.status");
    v1::Case out;
    grpc::Status s = StubAs<v1::CaseService>(kSupervisor)
                         ->UpdateCase(TestNode::Context().get(), u, &out);
    EXPECT_TRUE(s.ok()) << v1::CaseStatus_Name(to) << ": " << s.error_message();
    return out;
  }

  // A case whose final resolution orders its one aggressor inscribed,
  // FINAL; returns the sanctioned person's name.
  std::string FinalCaseOrderingInscription() {
    auto cases = StubAs<v1::CaseService>(kSupervisor);
    v1::CreateCaseRequest create = testing::NewCaseRequest(
        30, v1::RISK_LEVEL_HIGH, "Víctima sintética", "Narración sintética");
    create.mutable_case_record()->mutable_personal_data()->add_aggressor_names(
        kAggressor);
    auto* d = create.mutable_case_record()->mutable_descriptors();
    d->add_conducts(v1::CONDUCT_C12);
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
    v1::AddResolutionRequest add;
    add.set_parent(c.name());
    v1::Resolution* r = add.mutable_resolution();
    r->set_resolving_authority("Tribunal Electoral del Estado de Oaxaca");
    r->set_file_number("JDC/99/2026");
    *r->mutable_resolution_date() = DaysAgo(10);
    r->set_outcome(v1::RESOLUTION_OUTCOME_PROVEN);
    v1::SanctionedPerson* p = r->add_sanctioned_persons();
    p->set_qualification(v1::FAULT_QUALIFICATION_ORDINARY);
    p->add_sanctions()->set_type(v1::SANCTION_TYPE_REGISTRY_INSCRIPTION);
    p->mutable_registry_term()->set_years(3);
    v1::Resolution added;
    s = cases->AddResolution(TestNode::Context().get(), add, &added);
    EXPECT_TRUE(s.ok()) << s.error_message();
    v1::GetCaseRequest get;
    get.set_name(c.name());
    s = cases->GetCase(TestNode::Context().get(), get, &c);
    EXPECT_TRUE(s.ok()) << s.error_message();
    c = Move(c, v1::CASE_STATUS_RESOLVED);
    v1::SetResolutionFinalRequest final_request;
    final_request.set_name(added.name());
    final_request.set_etag(c.etag());
    *final_request.mutable_final_date() = DaysAgo(2);
    s = cases->SetResolutionFinal(TestNode::Context().get(), final_request, &c);
    EXPECT_TRUE(s.ok()) << s.error_message();
    Move(c, v1::CASE_STATUS_FINAL);
    return added.sanctioned_persons_size() == 1
               ? added.sanctioned_persons(0).name()
               : "";
  }

  // IEEPCO's KEK versions, and its registry entries' keys on `version`.
  struct Stored {
    std::vector<int64_t> kek_versions;
    int64_t entries = 0;
    int64_t entries_on_version = 0;
  };
  Stored ReadStored(int64_t version) {
    Stored out;
    absl::StatusOr<std::unique_ptr<store::Database>> db = node_->OpenDatabase();
    EXPECT_TRUE(db.ok()) << db.status();
    if (!db.ok()) return out;
    absl::Status read = (*db)->Read([&](store::ReadTxn& txn) -> absl::Status {
      absl::StatusOr<store::Statement> s = txn.Prepare(
          "SELECT version FROM kek_versions WHERE institution = "
          "'IEEPCO' ORDER BY version");
      if (!s.ok()) return s.status();
      while (*s->Step()) out.kek_versions.push_back(*s->ColumnInt64(0));
      // The KEK version is bytes 2-5 of a wrapped data key (big-endian).
      s = txn.Prepare(
          "SELECT COUNT(*), COALESCE(SUM(hex(substr(wrapped_dek, 2, 4)) = "
          "printf('%08X', ?1)), 0) FROM registry_entries WHERE institution = "
          "'IEEPCO'");
      if (!s.ok()) return s.status();
      if (absl::Status b = s->BindInt64(1, version); !b.ok()) return b;
      if (!*s->Step()) return absl::InternalError("no count");
      out.entries = *s->ColumnInt64(0);
      out.entries_on_version = *s->ColumnInt64(1);
      return absl::OkStatus();
    });
    EXPECT_TRUE(read.ok()) << read;
    return out;
  }

  std::unique_ptr<TestNode> node_;
};

TEST_F(RegistryKekRotationTest, AnInscribedNameStillOpensAfterARotation) {
  const std::string person = FinalCaseOrderingInscription();
  ASSERT_FALSE(person.empty());
  auto registry = StubAs<v1::RegistryService>(kSupervisor);
  v1::InscribeRequest inscribe;
  inscribe.set_sanctioned_person(person);
  inscribe.set_aggressor_index(0);
  inscribe.mutable_entry()->set_sex(v1::SANCTIONED_PERSON_SEX_MAN);
  inscribe.mutable_entry()->set_position("Presidente municipal");
  inscribe.mutable_entry()->set_candidacy(v1::CANDIDACY_NONE);
  *inscribe.mutable_entry()->mutable_start_date() = DaysAgo(1);
  v1::RegistryEntry entry;
  grpc::Status s =
      registry->Inscribe(TestNode::Context().get(), inscribe, &entry);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(entry.person_name(), kAggressor);
  const Stored before = ReadStored(1);
  EXPECT_EQ(before.entries, 1);
  EXPECT_EQ(before.entries_on_version, 1);

  auto admin = StubAs<v1::AdminService>(kAdmin);
  v1::StartKeyRotationRequest start;
  start.set_parent("institutions/IEEPCO");
  v1::KeyRotation rotation;
  s = admin->StartKeyRotation(TestNode::Context().get(), start, &rotation);
  ASSERT_TRUE(s.ok()) << s.error_message();
  // The case's key and the entry's.
  EXPECT_EQ(rotation.data_keys_total(), 2);
  v1::GetKeyRotationRequest get;
  get.set_name(rotation.name());
  const absl::Time give_up = absl::Now() + absl::Seconds(60);
  while (rotation.state() != v1::KEY_ROTATION_STATE_DONE &&
         absl::Now() < give_up) {
    absl::SleepFor(absl::Milliseconds(100));
    s = admin->GetKeyRotation(TestNode::Context().get(), get, &rotation);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  ASSERT_EQ(rotation.state(), v1::KEY_ROTATION_STATE_DONE)
      << rotation.ShortDebugString();
  EXPECT_EQ(rotation.data_keys_rewrapped(), 2);
  const Stored after = ReadStored(2);
  EXPECT_EQ(after.kek_versions, std::vector<int64_t>{2});
  EXPECT_EQ(after.entries_on_version, 1);

  // The name opens: in the institution's list, in the search, in the export.
  v1::ListRegistryEntriesRequest list;
  list.set_parent("institutions/IEEPCO");
  v1::ListRegistryEntriesResponse listed;
  s = registry->ListRegistryEntries(TestNode::Context().get(), list, &listed);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(listed.entries_size(), 1);
  EXPECT_EQ(listed.entries(0).person_name(), kAggressor);
  v1::SearchRegistryRequest search;
  search.set_parent("institutions/IEEPCO");
  search.set_person_name("perengano sancionado");
  v1::SearchRegistryResponse found;
  s = registry->SearchRegistry(TestNode::Context().get(), search, &found);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(found.entries_size(), 1);
  EXPECT_EQ(found.entries(0).person_name(), kAggressor);
  v1::ExportRegistryRequest export_request;
  export_request.set_parent("institutions/IEEPCO");
  v1::RegistryExport exported;
  s = StubAs<v1::RegistryService>(kRegistrar)
          ->ExportRegistry(TestNode::Context().get(), export_request,
                           &exported);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(exported.entry_count(), 1);
  EXPECT_THAT(exported.csv(), HasSubstr(kAggressor));

  // The export verifies offline with the node's publication key.
  const std::string dir = node_->dir();
  const std::string csv = absl::StrCat(dir, "/", exported.csv_file_name());
  const std::string note = absl::StrCat(dir, "/registro.note");
  const std::string key = absl::StrCat(dir, "/publication.key");
  std::ofstream(csv, std::ios::binary) << exported.csv();
  std::ofstream(note, std::ios::binary) << exported.signed_note();
  std::string printed;
  absl::StatusOr<int> code = TestNode::Run(
      {TestNode::Binary(), "publication-key", "--config", node_->ConfigPath()},
      &printed);
  ASSERT_TRUE(code.ok());
  ASSERT_EQ(*code, 0) << printed;
  std::ofstream(key) << printed;
  std::string cli;
  EXPECT_EQ(
      testing::RunCli(
          *node_, kRegistrar,
          {"registry", "verify", csv, "--note", note, "--vkey", key}, &cli),
      0)
      << cli;
  EXPECT_THAT(cli, HasSubstr("sin cambios"));
}

}  // namespace
}  // namespace resguardo
