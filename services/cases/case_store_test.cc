#include "services/cases/case_store.h"

#include <sqlite3.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "base/status_macros.h"
#include "base/testing/status_matchers.h"
#include "crypto/key_provider.h"
#include "crypto/secret_data.h"
#include "crypto/testing/fixed_key_provider.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/admin/directory.h"
#include "services/admin/testing/test_institutions.h"
#include "services/api/field_violations.h"
#include "services/cases/case_validator.h"
#include "services/schema/node_schema.h"
#include "services/store/database.h"
#include "services/store/testing/temp_dir.h"

namespace resguardo::cases {
namespace {

using ::resguardo::admin::testing::Caller;
using ::resguardo::testing::IsOk;
using ::resguardo::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// Recognisable values of personal data that must never leave the sealed
// part: not in any column, file byte, error message or test output.
constexpr char kCanaryName[] = "CANARY-NAME-Xochitl-7f3a91";
constexpr char kCanaryNarrative[] = "CANARY-NARRATIVE-b42e-hechos-del-cabildo";
constexpr char kCanaryNotes[] = "CANARY-NOTES-c9d1-llamada";
constexpr char kCanaryPhone[] = "+52 951 765 4321";
constexpr char kCurp[] = "HEGG560427MVZRRL04";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in),
                     std::istreambuf_iterator<char>());
}

// A valid CURP other than kCurp: `stem` (17 characters) and the check digit
// that makes it valid.
std::string CurpWithCheckDigit(const std::string& stem) {
  for (char d = '0'; d <= '9'; ++d) {
    std::string curp = stem + d;
    if (IsValidCurp(curp)) return curp;
  }
  return "";
}

v1::CreateCaseRequest ValidCreate(const std::string& institution) {
  v1::CreateCaseRequest r;
  r.set_parent(absl::StrCat("institutions/", institution));
  auto* d = r.mutable_case_record()->mutable_descriptors();
  d->set_kind(v1::CASE_KIND_POLITICAL_VIOLENCE);
  d->set_state_code("20");
  d->set_municipality_code("067");
  d->mutable_reported_date()->set_year(2026);
  d->mutable_reported_date()->set_month(3);
  d->mutable_reported_date()->set_day(10);
  d->mutable_incident_month()->set_year(2026);
  d->mutable_incident_month()->set_month(2);
  d->add_violence_types(v1::VIOLENCE_TYPE_PSYCHOLOGICAL);
  d->add_violence_types(v1::VIOLENCE_TYPE_SYMBOLIC);
  d->add_conducts(v1::CONDUCT_C11);
  d->set_victim_position(v1::VICTIM_POSITION_COUNCILLOR);
  d->set_risk_level(v1::RISK_LEVEL_HIGH);
  auto* p = r.mutable_case_record()->mutable_personal_data();
  p->set_victim_name(kCanaryName);
  p->set_victim_curp(kCurp);
  p->set_contact_phone(kCanaryPhone);
  p->set_narrative(kCanaryNarrative);
  return r;
}

class CaseStoreTest : public ::testing::Test {
 protected:
  template <typename Fn>
  auto Write(Fn fn) {
    return db_->Write([&](store::WriteTxn& txn) { return fn(txn); });
  }
  template <typename Fn>
  auto Read(Fn fn) {
    return db_->Read([&](store::ReadTxn& txn) { return fn(txn); });
  }

  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    ASSERT_NO_FATAL_FAILURE(Open(true));
    ASSERT_OK(Write([&](store::WriteTxn& txn) {
      return admin::testing::RegisterIeepcoAndFgeo(txn, *directory_);
    }));
  }

  void Open(bool create) {
    store::Database::Options options;
    options.create_if_missing = create;
    options.read_connections = 2;
    options.migrations = schema::NodeMigrations();
    ASSERT_OK_AND_ASSIGN(db_, store::Database::Open(path(), db_key_, options));
    ASSERT_OK_AND_ASSIGN(directory_, admin::Directory::New(keys_, &clock_));
    ASSERT_OK_AND_ASSIGN(cases_,
                         CaseStore::New(directory_.get(), keys_, &clock_));
  }

  void Reopen() {
    ASSERT_OK(db_->Close());
    cases_.reset();
    directory_.reset();
    db_.reset();
    ASSERT_NO_FATAL_FAILURE(Open(false));
  }

  std::string path() const { return dir_.File("node.db"); }

  absl::StatusOr<v1::Case> Create(const auth::Principal& caller,
                                  const v1::CreateCaseRequest& r) {
    return Write([&](store::WriteTxn& txn) {
      return cases_->CreateCase(txn, caller, r);
    });
  }
  absl::StatusOr<v1::Case> Get(
      const auth::Principal& caller, const std::string& name,
      v1::CaseView view = v1::CASE_VIEW_BASIC,
      v1::AccessPurpose purpose = v1::ACCESS_PURPOSE_UNSPECIFIED) {
    v1::GetCaseRequest r;
    r.set_name(name);
    r.set_view(view);
    r.set_purpose(purpose);
    return Read(
        [&](store::ReadTxn& txn) { return cases_->GetCase(txn, caller, r); });
  }
  absl::StatusOr<v1::Case> GetFull(const auth::Principal& caller,
                                   const std::string& name) {
    return Get(caller, name, v1::CASE_VIEW_FULL,
               v1::ACCESS_PURPOSE_CASE_FOLLOW_UP);
  }
  absl::StatusOr<v1::Case> Update(const auth::Principal& caller,
                                  v1::Case record,
                                  std::vector<std::string> paths) {
    v1::UpdateCaseRequest r;
    *r.mutable_case_record() = std::move(record);
    for (auto& p : paths) r.mutable_update_mask()->add_paths(p);
    return Write([&](store::WriteTxn& txn) {
      return cases_->UpdateCase(txn, caller, r);
    });
  }
  absl::StatusOr<v1::Case> SetStatus(const auth::Principal& caller,
                                     const v1::Case& c, v1::CaseStatus to) {
    v1::Case record;
    record.set_name(c.name());
    record.set_etag(c.etag());
    record.mutable_descriptors()->set_status(to);
    return Update(caller, record, {"descriptors.status"});
  }
  absl::StatusOr<v1::Case> Close(const auth::Principal& caller,
                                 const v1::Case& c) {
    v1::CloseCaseRequest r;
    r.set_name(c.name());
    r.set_etag(c.etag());
    r.set_reason(v1::CLOSURE_REASON_CONCLUDED);
    return Write([&](store::WriteTxn& txn) {
      return cases_->CloseCase(txn, caller, r);
    });
  }
  absl::StatusOr<v1::Case> Reopen(const auth::Principal& caller,
                                  const v1::Case& c) {
    v1::ReopenCaseRequest r;
    r.set_name(c.name());
    r.set_etag(c.etag());
    return Write([&](store::WriteTxn& txn) {
      return cases_->ReopenCase(txn, caller, r);
    });
  }
  absl::StatusOr<v1::Case> Erase(const auth::Principal& caller,
                                 const v1::Case& c) {
    v1::EraseCasePersonalDataRequest r;
    r.set_name(c.name());
    r.set_etag(c.etag());
    r.set_reason(v1::ERASURE_REASON_VICTIM_REQUEST);
    return Write([&](store::WriteTxn& txn) {
      return cases_->EraseCasePersonalData(txn, caller, r);
    });
  }
  v1::AddFollowUpRequest FollowUpRequest(const v1::Case& c,
                                         absl::string_view notes) {
    v1::AddFollowUpRequest r;
    r.set_parent(c.name());
    r.mutable_follow_up()->set_kind(v1::FOLLOW_UP_KIND_CONTACT);
    r.mutable_follow_up()->mutable_occur_time()->set_seconds(
        absl::ToUnixSeconds(clock_.Now()) - 3600);
    r.mutable_follow_up()->set_notes(std::string(notes));
    return r;
  }
  absl::StatusOr<v1::FollowUp> AddFollowUp(const auth::Principal& caller,
                                           const v1::AddFollowUpRequest& r) {
    return Write([&](store::WriteTxn& txn) {
      return cases_->AddFollowUp(txn, caller, r);
    });
  }
  absl::StatusOr<v1::ListFollowUpsResponse> ListFollowUps(
      const auth::Principal& caller, const v1::Case& c,
      v1::AccessPurpose purpose) {
    v1::ListFollowUpsRequest r;
    r.set_parent(c.name());
    r.set_purpose(purpose);
    return Read([&](store::ReadTxn& txn) {
      return cases_->ListFollowUps(txn, caller, r);
    });
  }
  v1::AddProtectionMeasureRequest MeasureRequest(const v1::Case& c) {
    v1::AddProtectionMeasureRequest r;
    r.set_parent(c.name());
    auto* m = r.mutable_protection_measure();
    m->set_type(v1::PROTECTION_MEASURE_TYPE_PROTECTION_ORDER);
    m->set_status(v1::PROTECTION_MEASURE_STATUS_IN_FORCE);
    m->set_issuing_authority("Fiscalía Especializada");
    m->mutable_issue_date()->set_year(2026);
    m->mutable_issue_date()->set_month(3);
    m->mutable_issue_date()->set_day(12);
    m->mutable_expiry_date()->set_year(2026);
    m->mutable_expiry_date()->set_month(5);
    m->mutable_expiry_date()->set_day(11);
    return r;
  }
  absl::StatusOr<v1::ProtectionMeasure> AddMeasure(
      const auth::Principal& caller, const v1::AddProtectionMeasureRequest& r) {
    return Write([&](store::WriteTxn& txn) {
      return cases_->AddProtectionMeasure(txn, caller, r);
    });
  }
  absl::StatusOr<v1::ListCasesResponse> List(const auth::Principal& caller,
                                             const v1::ListCasesRequest& r) {
    return Read(
        [&](store::ReadTxn& txn) { return cases_->ListCases(txn, caller, r); });
  }

  // Runs a query returning one integer.
  absl::StatusOr<int64_t> QueryInt(const std::string& sql,
                                   const std::string& text_param = "") {
    return Read([&](store::ReadTxn& txn) -> absl::StatusOr<int64_t> {
      ASSIGN_OR_RETURN(store::Statement s, txn.Prepare(sql));
      if (!text_param.empty()) RETURN_IF_ERROR(s.BindText(1, text_param));
      ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) return absl::NotFoundError("no row");
      return s.ColumnInt64(0);
    });
  }
  absl::StatusOr<std::string> PersonKeyOf(const v1::Case& c) {
    return Read([&](store::ReadTxn& txn) -> absl::StatusOr<std::string> {
      ASSIGN_OR_RETURN(store::Statement s,
                       txn.Prepare("SELECT person_key FROM cases WHERE "
                                   "folio = ?1"));
      RETURN_IF_ERROR(s.BindText(1, c.folio()));
      ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) return absl::NotFoundError("no row");
      ASSIGN_OR_RETURN(absl::string_view key, s.ColumnBlob(0));
      return std::string(key);
    });
  }

  store::testing::TempDir dir_;
  crypto::SecretData db_key_{std::string(32, 'd')};
  crypto::testing::FixedKeyProvider keys_;
  // 2026-03-15 12:00 UTC.
  FakeClock clock_{absl::FromCivil(absl::CivilSecond(2026, 3, 15, 12, 0, 0),
                                   absl::UTCTimeZone())};
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<admin::Directory> directory_;
  std::unique_ptr<CaseStore> cases_;

  auth::Principal registrar_ = Caller("IEEPCO", "rosa", {v1::ROLE_REGISTRAR});
  auth::Principal caseworker_ =
      Caller("IEEPCO", "lucia", {v1::ROLE_CASEWORKER});
  auth::Principal supervisor_ =
      Caller("IEEPCO", "marta", {v1::ROLE_SUPERVISOR});
  auth::Principal prosecutor_ =
      Caller("FGEO", "elena", {v1::ROLE_CASEWORKER, v1::ROLE_SUPERVISOR});
};

TEST_F(CaseStoreTest, CreatesCasesWithFoliosAndDoesNotEchoPersonalData) {
  ASSERT_OK_AND_ASSIGN(v1::Case a, Create(registrar_, ValidCreate("IEEPCO")));
  ASSERT_OK_AND_ASSIGN(v1::Case b, Create(registrar_, ValidCreate("IEEPCO")));
  EXPECT_EQ(a.folio(), "IEEPCO-2026-000001");
  EXPECT_EQ(a.name(), "institutions/IEEPCO/cases/IEEPCO-2026-000001");
  EXPECT_EQ(b.folio(), "IEEPCO-2026-000002");
  EXPECT_EQ(a.descriptors().status(), v1::CASE_STATUS_RECEIVED);
  EXPECT_THAT(
      a.descriptors().violence_types(),
      ElementsAre(v1::VIOLENCE_TYPE_PSYCHOLOGICAL, v1::VIOLENCE_TYPE_SYMBOLIC));
  EXPECT_EQ(a.etag(), "1");
  EXPECT_FALSE(a.has_personal_data());
  EXPECT_EQ(a.create_time().seconds(), absl::ToUnixSeconds(clock_.Now()));
  // Another institution's counter is its own.
  ASSERT_OK_AND_ASSIGN(v1::Case f, Create(prosecutor_, ValidCreate("FGEO")));
  EXPECT_EQ(f.folio(), "FGEO-2026-000001");
}

TEST_F(CaseStoreTest, ThirdPartyComplaintsAwaitRatification) {
  v1::CreateCaseRequest r = ValidCreate("IEEPCO");
  r.mutable_case_record()->mutable_descriptors()->set_filed_by_third_party(
      true);
  r.mutable_case_record()->mutable_descriptors()->set_status(
      v1::CASE_STATUS_RESOLVED);  // output only: ignored
  ASSERT_OK_AND_ASSIGN(v1::Case c, Create(registrar_, r));
  EXPECT_EQ(c.descriptors().status(), v1::CASE_STATUS_PENDING_RATIFICATION);
}

// The end of a case's last registry entry delists only a REGISTERED case
// (issue 19): one elsewhere on the route (as an update could leave it
// before this rule) is not moved, and the node's delisting does not fail.
TEST_F(CaseStoreTest, TheRegistryDelistsOnlyARegisteredCase) {
  ASSERT_OK_AND_ASSIGN(v1::Case c, Create(registrar_, ValidCreate("IEEPCO")));
  ASSERT_OK(Write([&](store::WriteTxn& txn) {
    return cases_->SetRegistryStatus(txn, c.name(), v1::CASE_STATUS_DELISTED);
  }));
  ASSERT_OK_AND_ASSIGN(v1::Case after, Get(supervisor_, c.name()));
  EXPECT_EQ(after.descriptors().status(), v1::CASE_STATUS_RECEIVED);
  EXPECT_EQ(after.etag(), c.etag());
}

TEST_F(CaseStoreTest, CreatingIntoAnotherInstitutionIsPermissionDenied) {
  EXPECT_THAT(Create(prosecutor_, ValidCreate("IEEPCO")),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("her own institution")));
}

TEST_F(CaseStoreTest, CreateIsIdempotentPerRequestId) {
  v1::CreateCaseRequest r = ValidCreate("IEEPCO");
  r.set_request_id("retry-7");
  ASSERT_OK_AND_ASSIGN(v1::Case first, Create(registrar_, r));
  ASSERT_OK_AND_ASSIGN(v1::Case again, Create(registrar_, r));
  EXPECT_EQ(again.name(), first.name());
  EXPECT_EQ(again.etag(), first.etag());
  EXPECT_THAT(QueryInt("SELECT count(*) FROM cases"),
              ::testing::Property(&absl::StatusOr<int64_t>::value, 1));
  // The same request id in another institution is another request.
  ASSERT_OK_AND_ASSIGN(v1::Case other, Create(prosecutor_, [] {
                         v1::CreateCaseRequest r = ValidCreate("FGEO");
                         r.set_request_id("retry-7");
                         return r;
                       }()));
  EXPECT_NE(other.name(), first.name());
}

// Regression (issue 13 item 8): a colleague's CreateCase with a request id
// already used in her institution got the first case, and her complaint was
// lost.
TEST_F(CaseStoreTest, RequestIdsBelongToTheirUserAndAReuseIsRefused) {
  v1::CreateCaseRequest mine = ValidCreate("IEEPCO");
  mine.set_request_id("shared-1");
  ASSERT_OK_AND_ASSIGN(v1::Case first, Create(registrar_, mine));
  v1::CreateCaseRequest hers = ValidCreate("IEEPCO");
  hers.mutable_case_record()->mutable_personal_data()->set_narrative(
      "Otra narracion, de otra queja.");
  hers.set_request_id("shared-1");
  ASSERT_OK_AND_ASSIGN(v1::Case colleague, Create(supervisor_, hers));
  EXPECT_NE(colleague.name(), first.name());
  // Her own retry still gets her case.
  ASSERT_OK_AND_ASSIGN(v1::Case retry, Create(supervisor_, hers));
  EXPECT_EQ(retry.name(), colleague.name());
  // The registrar's id sent again with other content is refused, naming it.
  v1::CreateCaseRequest other = hers;
  EXPECT_THAT(
      Create(registrar_, other),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'request_id'")));
  // And with another method.
  v1::AddFollowUpRequest f = FollowUpRequest(first, "");
  f.set_request_id("shared-1");
  EXPECT_THAT(
      AddFollowUp(registrar_, f),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'request_id'")));
  EXPECT_THAT(QueryInt("SELECT count(*) FROM cases"),
              ::testing::Property(&absl::StatusOr<int64_t>::value, 2));
}

TEST_F(CaseStoreTest, TheFullViewNeedsAPurposeAndOpensThePersonalData) {
  ASSERT_OK_AND_ASSIGN(v1::Case c, Create(registrar_, ValidCreate("IEEPCO")));
  EXPECT_THAT(
      Get(caseworker_, c.name(), v1::CASE_VIEW_FULL),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'purpose'")));
  ASSERT_OK_AND_ASSIGN(v1::Case basic, Get(caseworker_, c.name()));
  EXPECT_FALSE(basic.has_personal_data());
  ASSERT_OK_AND_ASSIGN(v1::Case full, GetFull(caseworker_, c.name()));
  EXPECT_EQ(full.personal_data().victim_name(), kCanaryName);
  EXPECT_EQ(full.personal_data().narrative(), kCanaryNarrative);
  EXPECT_EQ(full.descriptors().risk_level(), v1::RISK_LEVEL_HIGH);
  EXPECT_FALSE(full.personal_data_erased());
}

TEST_F(CaseStoreTest, AnotherInstitutionsCaseIsIndistinguishableFromNone) {
  ASSERT_OK_AND_ASSIGN(v1::Case c, Create(registrar_, ValidCreate("IEEPCO")));
  const std::string missing = "institutions/IEEPCO/cases/IEEPCO-2026-000099";
  const std::string missing_fgeo = "institutions/FGEO/cases/FGEO-2026-000099";
  absl::Status theirs = Get(prosecutor_, c.name()).status();
  absl::Status none = Get(prosecutor_, missing_fgeo).status();
  absl::Status absent_there = Get(prosecutor_, missing).status();
  EXPECT_THAT(theirs, StatusIs(absl::StatusCode::kNotFound, "case not found"));
  EXPECT_EQ(theirs, none);
  EXPECT_EQ(theirs, absent_there);
  // Writes too.
  v1::Case record;
  record.set_name(c.name());
  record.set_etag(c.etag());
  record.mutable_descriptors()->set_risk_level(v1::RISK_LEVEL_LOW);
  EXPECT_EQ(Update(prosecutor_, record, {"descriptors.risk_level"}).status(),
            theirs);
  EXPECT_EQ(Close(prosecutor_, c).status(), theirs);
  EXPECT_EQ(Erase(prosecutor_, c).status(), theirs);
  EXPECT_EQ(AddFollowUp(prosecutor_, FollowUpRequest(c, "")).status(), theirs);
  EXPECT_EQ(AddMeasure(prosecutor_, MeasureRequest(c)).status(), theirs);
  EXPECT_EQ(
      ListFollowUps(prosecutor_, c, v1::ACCESS_PURPOSE_UNSPECIFIED).status(),
      theirs);
  // And listing another institution's cases is refused outright.
  v1::ListCasesRequest list;
  list.set_parent("institutions/IEEPCO");
  EXPECT_THAT(List(prosecutor_, list),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST_F(CaseStoreTest, UpdatesDescriptorsAndPersonalDataAndBumpsTheEtag) {
  ASSERT_OK_AND_ASSIGN(v1::Case c, Create(registrar_, ValidCreate("IEEPCO")));
  v1::Case record;
  record.set_name(c.name());
  record.set_etag(c.etag());
  record.mutable_descriptors()->set_risk_level(v1::RISK_LEVEL_CRITICAL);
  record.mutable_descriptors()->add_violence_types(v1::VIOLENCE_TYPE_DIGITAL);
  record.mutable_personal_data()->set_contact_phone("+52 951 000 1111");
  ASSERT_OK_AND_ASSIGN(
      v1::Case updated,
      Update(caseworker_, record,
             {"descriptors.risk_level", "descriptors.violence_types",
              "personal_data.contact_phone"}));
  EXPECT_EQ(updated.etag(), "2");
  EXPECT_EQ(updated.descriptors().risk_level(), v1::RISK_LEVEL_CRITICAL);
  EXPECT_THAT(updated.descriptors().violence_types(),
              ElementsAre(v1::VIOLENCE_TYPE_DIGITAL));
  EXPECT_EQ(updated.descriptors().state_code(), "20");  // untouched
  EXPECT_FALSE(updated.has_personal_data());
  ASSERT_OK_AND_ASSIGN(v1::Case full, GetFull(caseworker_, c.name()));
  EXPECT_EQ(full.personal_data().contact_phone(), "+52 951 000 1111");
  EXPECT_EQ(full.personal_data().victim_name(), kCanaryName);  // untouched
  // Clearing an optional message field through the mask.
  record = v1::Case();
  record.set_name(c.name());
  record.set_etag(updated.etag());
  ASSERT_OK_AND_ASSIGN(
      v1::Case cleared,
      Update(caseworker_, record, {"descriptors.incident_month"}));
  EXPECT_FALSE(cleared.descriptors().has_incident_month());
}

// The statistics scan reads the multi-valued descriptors from the row's
// masks (node_schema.cc migration 7): each write must keep them equal to
// the codes.
TEST_F(CaseStoreTest, UpdatingViolenceTypesRewritesTheStatisticsMasks) {
  ASSERT_OK_AND_ASSIGN(v1::Case c, Create(registrar_, ValidCreate("IEEPCO")));
  auto masks = [&]() {
    return Read([&](store::ReadTxn& txn) -> absl::StatusOr<std::string> {
      ASSIGN_OR_RETURN(
          store::Statement s,
          txn.Prepare("SELECT violence_mask, modality_mask, conduct_mask, "
                      "self_identification_mask FROM cases"));
      ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) return absl::NotFoundError("no case");
      std::string out;
      for (int i = 0; i < 4; ++i) {
        ASSIGN_OR_RETURN(int64_t v, s.ColumnInt64(i));
        absl::StrAppend(&out, i == 0 ? "" : ",", v);
      }
      return out;
    });
  };
  ASSERT_OK_AND_ASSIGN(std::string before, masks());
  EXPECT_EQ(before, absl::StrCat((1 << v1::VIOLENCE_TYPE_PSYCHOLOGICAL) |
                                     (1 << v1::VIOLENCE_TYPE_SYMBOLIC),
                                 ",0,", 1 << v1::CONDUCT_C11, ",0"));
  v1::Case record;
  record.set_name(c.name());
  record.set_etag(c.etag());
  record.mutable_descriptors()->add_violence_types(v1::VIOLENCE_TYPE_DIGITAL);
  ASSERT_OK(Update(caseworker_, record, {"descriptors.violence_types"}));
  ASSERT_OK_AND_ASSIGN(std::string after, masks());
  EXPECT_EQ(after, absl::StrCat(1 << v1::VIOLENCE_TYPE_DIGITAL, ",0,",
                                1 << v1::CONDUCT_C11, ",0"));
}

TEST_F(CaseStoreTest, AStaleEtagIsAborted) {
  ASSERT_OK_AND_ASSIGN(v1::Case c, Create(registrar_, ValidCreate("IEEPCO")));
  ASSERT_OK(SetStatus(caseworker_, c, v1::CASE_STATUS_FIRST_CONTACT));
  EXPECT_THAT(SetStatus(caseworker_, c, v1::CASE_STATUS_FIRST_CONTACT),
              StatusIs(absl::StatusCode::kAborted,
                       HasSubstr("the case changed since you read it")));
  EXPECT_THAT(Close(supervisor_, c), StatusIs(absl::StatusCode::kAborted));
  EXPECT_THAT(Erase(supervisor_, c), StatusIs(absl::StatusCode::kAborted));
}

TEST_F(CaseStoreTest, StatusMovesOnlyAlongTheRoute) {
  ASSERT_OK_AND_ASSIGN(v1::Case c, Create(registrar_, ValidCreate("IEEPCO")));
  ASSERT_OK_AND_ASSIGN(
      c, SetStatus(caseworker_, c, v1::CASE_STATUS_FIRST_CONTACT));
  EXPECT_EQ(c.descriptors().status(), v1::CASE_STATUS_FIRST_CONTACT);
  EXPECT_THAT(SetStatus(caseworker_, c, v1::CASE_STATUS_RESOLVED),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("CASE_STATUS_FIRST_CONTACT to "
                                 "CASE_STATUS_RESOLVED")));
  EXPECT_THAT(SetStatus(caseworker_, c, v1::CASE_STATUS_CLOSED),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("close the case with the close action")));
  ASSERT_OK_AND_ASSIGN(
      c, SetStatus(caseworker_, c, v1::CASE_STATUS_ADMISSIBILITY));
  // "descriptors" as a whole does not move the status.
  v1::Case record;
  record.set_name(c.name());
  record.set_etag(c.etag());
  *record.mutable_descriptors() = c.descriptors();
  record.mutable_descriptors()->set_status(v1::CASE_STATUS_FINAL);
  record.mutable_descriptors()->set_risk_level(v1::RISK_LEVEL_LOW);
  ASSERT_OK_AND_ASSIGN(c, Update(caseworker_, record, {"descriptors"}));
  EXPECT_EQ(c.descriptors().status(), v1::CASE_STATUS_ADMISSIBILITY);
  EXPECT_EQ(c.descriptors().risk_level(), v1::RISK_LEVEL_LOW);
}

TEST_F(CaseStoreTest, InvalidFieldsAreNamed) {
  v1::CreateCaseRequest r = ValidCreate("IEEPCO");
  r.mutable_case_record()->mutable_descriptors()->set_state_code("99");
  absl::Status s = Create(registrar_, r).status();
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument,
                          HasSubstr("'case_record.descriptors.state_code'")));
  EXPECT_THAT(std::string(s.message()), Not(HasSubstr(kCanaryName)));

  ASSERT_OK_AND_ASSIGN(v1::Case c, Create(registrar_, ValidCreate("IEEPCO")));
  v1::AddFollowUpRequest f = FollowUpRequest(c, "");
  f.mutable_follow_up()->set_kind(v1::FOLLOW_UP_KIND_UNSPECIFIED);
  EXPECT_THAT(AddFollowUp(caseworker_, f),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("'follow_up.kind'")));
  f = FollowUpRequest(c, "");
  f.mutable_follow_up()->mutable_occur_time()->set_seconds(
      absl::ToUnixSeconds(clock_.Now()) + 86400);
  EXPECT_THAT(AddFollowUp(caseworker_, f),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("'follow_up.occur_time'")));
  v1::AddProtectionMeasureRequest m = MeasureRequest(c);
  m.mutable_protection_measure()->mutable_expiry_date()->set_month(1);
  EXPECT_THAT(AddMeasure(caseworker_, m),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("'protection_measure.expiry_date'")));
  v1::ListCasesRequest list;
  list.set_parent("institutions/IEEPCO");
  list.set_page_size(-1);
  EXPECT_THAT(
      List(caseworker_, list),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'page_size'")));
  list.set_page_size(501);  // coerced to 500 (AIP-158)
  EXPECT_TRUE(List(caseworker_, list).ok());
  v1::CloseCaseRequest close;
  close.set_name(c.name());
  close.set_etag(c.etag());
  EXPECT_THAT(
      Write([&](store::WriteTxn& txn) {
        return cases_->CloseCase(txn, supervisor_, close);
      }),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'reason'")));
  // A kind change that leaves conducts on a GBV case.
  v1::Case record;
  record.set_name(c.name());
  record.set_etag(c.etag());
  record.mutable_descriptors()->set_kind(v1::CASE_KIND_GBV);
  EXPECT_THAT(Update(caseworker_, record, {"descriptors.kind"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("'case_record.descriptors.conducts'")));
}

TEST_F(CaseStoreTest, CloseAndReopen) {
  ASSERT_OK_AND_ASSIGN(v1::Case c, Create(registrar_, ValidCreate("IEEPCO")));
  ASSERT_OK_AND_ASSIGN(
      c, SetStatus(caseworker_, c, v1::CASE_STATUS_FIRST_CONTACT));
  ASSERT_OK_AND_ASSIGN(v1::Case closed, Close(supervisor_, c));
  EXPECT_EQ(closed.descriptors().status(), v1::CASE_STATUS_CLOSED);
  EXPECT_EQ(closed.closure_reason(), v1::CLOSURE_REASON_CONCLUDED);
  EXPECT_THAT(Close(supervisor_, closed),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("already closed")));
  EXPECT_THAT(
      AddFollowUp(caseworker_, FollowUpRequest(closed, "x")),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("closed")));
  EXPECT_THAT(AddMeasure(caseworker_, MeasureRequest(closed)),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  v1::Case record;
  record.set_name(closed.name());
  record.set_etag(closed.etag());
  record.mutable_descriptors()->set_risk_level(v1::RISK_LEVEL_LOW);
  EXPECT_THAT(
      Update(caseworker_, record, {"descriptors.risk_level"}),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("closed")));
  ASSERT_OK_AND_ASSIGN(v1::Case reopened, Reopen(supervisor_, closed));
  EXPECT_EQ(reopened.descriptors().status(), v1::CASE_STATUS_FIRST_CONTACT);
  EXPECT_EQ(reopened.closure_reason(), v1::CLOSURE_REASON_UNSPECIFIED);
  EXPECT_THAT(
      Reopen(supervisor_, reopened),
      StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not closed")));
  // The personal data survived the re-seals.
  ASSERT_OK_AND_ASSIGN(v1::Case full, GetFull(supervisor_, c.name()));
  EXPECT_EQ(full.personal_data().victim_name(), kCanaryName);
}

TEST_F(CaseStoreTest, FollowUpNotesAreSealedAndShownOnlyWithAPurpose) {
  ASSERT_OK_AND_ASSIGN(v1::Case c, Create(registrar_, ValidCreate("IEEPCO")));
  ASSERT_OK_AND_ASSIGN(
      v1::FollowUp f,
      AddFollowUp(caseworker_, FollowUpRequest(c, kCanaryNotes)));
  EXPECT_EQ(f.name(), c.name() + "/followUps/1");
  EXPECT_EQ(f.author(), "institutions/IEEPCO/users/lucia");
  EXPECT_TRUE(f.notes().empty());
  ASSERT_OK(AddFollowUp(caseworker_, FollowUpRequest(c, "")));
  ASSERT_OK_AND_ASSIGN(
      v1::ListFollowUpsResponse without,
      ListFollowUps(caseworker_, c, v1::ACCESS_PURPOSE_UNSPECIFIED));
  ASSERT_EQ(without.follow_ups_size(), 2);
  EXPECT_TRUE(without.follow_ups(0).notes().empty());
  ASSERT_OK_AND_ASSIGN(
      v1::ListFollowUpsResponse with,
      ListFollowUps(caseworker_, c, v1::ACCESS_PURPOSE_CASE_FOLLOW_UP));
  ASSERT_EQ(with.follow_ups_size(), 2);
  EXPECT_EQ(with.follow_ups(0).notes(), kCanaryNotes);
  EXPECT_EQ(with.follow_ups(1).name(), c.name() + "/followUps/2");
  EXPECT_FALSE(CaseStore::ReadsSealedData(v1::ListFollowUpsRequest()));
}

TEST_F(CaseStoreTest, FollowUpsAndMeasuresAreIdempotentPerRequestId) {
  ASSERT_OK_AND_ASSIGN(v1::Case c, Create(registrar_, ValidCreate("IEEPCO")));
  v1::AddFollowUpRequest f = FollowUpRequest(c, "");
  f.set_request_id("f-1");
  ASSERT_OK_AND_ASSIGN(v1::FollowUp a, AddFollowUp(caseworker_, f));
  ASSERT_OK_AND_ASSIGN(v1::FollowUp b, AddFollowUp(caseworker_, f));
  EXPECT_EQ(a.name(), b.name());
  v1::AddProtectionMeasureRequest m = MeasureRequest(c);
  m.set_request_id("m-1");
  ASSERT_OK_AND_ASSIGN(v1::ProtectionMeasure x, AddMeasure(caseworker_, m));
  ASSERT_OK_AND_ASSIGN(v1::ProtectionMeasure y, AddMeasure(caseworker_, m));
  EXPECT_EQ(x.name(), y.name());
  ASSERT_OK_AND_ASSIGN(v1::Case now, Get(caseworker_, c.name()));
  EXPECT_EQ(now.protection_measures_size(), 1);
  EXPECT_EQ(now.etag(), "2");  // one measure, one new version
}

TEST_F(CaseStoreTest, ProtectionMeasuresBelongToTheCase) {
  ASSERT_OK_AND_ASSIGN(v1::Case c, Create(registrar_, ValidCreate("IEEPCO")));
  ASSERT_OK_AND_ASSIGN(v1::ProtectionMeasure m,
                       AddMeasure(registrar_, MeasureRequest(c)));
  EXPECT_EQ(m.name(), c.name() + "/protectionMeasures/1");
  EXPECT_EQ(m.expiry_date().month(), 5);
  ASSERT_OK_AND_ASSIGN(v1::Case after, Get(caseworker_, c.name()));
  ASSERT_EQ(after.protection_measures_size(), 1);
  EXPECT_EQ(after.protection_measures(0).issuing_authority(),
            "Fiscalía Especializada");
  EXPECT_EQ(after.etag(), "2");
  // The stale etag of before the measure no longer works.
  EXPECT_THAT(Close(supervisor_, c), StatusIs(absl::StatusCode::kAborted));
  ASSERT_OK_AND_ASSIGN(v1::Case full, GetFull(caseworker_, c.name()));
  EXPECT_EQ(full.personal_data().narrative(), kCanaryNarrative);
}

TEST_F(CaseStoreTest, ErasureDestroysTheKeyAndEverySealedBlob) {
  ASSERT_OK_AND_ASSIGN(v1::Case c, Create(registrar_, ValidCreate("IEEPCO")));
  ASSERT_OK(AddFollowUp(caseworker_, FollowUpRequest(c, kCanaryNotes)));
  ASSERT_OK(AddMeasure(caseworker_, MeasureRequest(c)));
  ASSERT_OK_AND_ASSIGN(c, Get(caseworker_, c.name()));
  ASSERT_OK_AND_ASSIGN(v1::Case erased, Erase(supervisor_, c));
  EXPECT_TRUE(erased.personal_data_erased());
  EXPECT_EQ(erased.descriptors().risk_level(), v1::RISK_LEVEL_HIGH);
  EXPECT_EQ(erased.protection_measures_size(), 1);
  EXPECT_THAT(QueryInt("SELECT count(*) FROM cases WHERE wrapped_dek IS NOT "
                       "NULL OR sealed_personal_data IS NOT NULL OR "
                       "person_key IS NOT NULL"),
              ::testing::Property(&absl::StatusOr<int64_t>::value, 0));
  EXPECT_THAT(QueryInt("SELECT count(*) FROM follow_ups WHERE sealed_notes "
                       "IS NOT NULL"),
              ::testing::Property(&absl::StatusOr<int64_t>::value, 0));
  EXPECT_THAT(QueryInt("SELECT count(*) FROM follow_ups"),
              ::testing::Property(&absl::StatusOr<int64_t>::value, 1));
  ASSERT_OK_AND_ASSIGN(v1::Case full, GetFull(supervisor_, c.name()));
  EXPECT_TRUE(full.personal_data_erased());
  EXPECT_FALSE(full.has_personal_data());
  ASSERT_OK_AND_ASSIGN(
      v1::ListFollowUpsResponse notes,
      ListFollowUps(caseworker_, c, v1::ACCESS_PURPOSE_CASE_FOLLOW_UP));
  ASSERT_EQ(notes.follow_ups_size(), 1);
  EXPECT_TRUE(notes.follow_ups(0).notes().empty());
  EXPECT_THAT(Erase(supervisor_, erased),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("already erased")));
  // Personal data can no longer be written; descriptors can.
  v1::Case record;
  record.set_name(c.name());
  record.set_etag(erased.etag());
  record.mutable_personal_data()->set_victim_name("x");
  EXPECT_THAT(Update(caseworker_, record, {"personal_data.victim_name"}),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(AddFollowUp(caseworker_, FollowUpRequest(erased, "notes")),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_OK(SetStatus(caseworker_, erased, v1::CASE_STATUS_FIRST_CONTACT));
}

TEST_F(CaseStoreTest, ARolledBackCiphertextDoesNotOpen) {
  ASSERT_OK_AND_ASSIGN(v1::Case c, Create(registrar_, ValidCreate("IEEPCO")));
  ASSERT_OK_AND_ASSIGN(
      std::string old_blob,
      Read([&](store::ReadTxn& txn) -> absl::StatusOr<std::string> {
        ASSIGN_OR_RETURN(store::Statement s,
                         txn.Prepare("SELECT sealed_personal_data FROM cases"));
        ASSIGN_OR_RETURN(bool row, s.Step());
        (void)row;
        ASSIGN_OR_RETURN(absl::string_view blob, s.ColumnBlob(0));
        return std::string(blob);
      }));
  ASSERT_OK(SetStatus(caseworker_, c, v1::CASE_STATUS_FIRST_CONTACT));
  ASSERT_OK(Write([&](store::WriteTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(store::Statement s,
                     txn.Prepare("UPDATE cases SET sealed_personal_data = ?1"));
    RETURN_IF_ERROR(s.BindBlob(1, old_blob));
    return s.Run();
  }));
  EXPECT_THAT(GetFull(caseworker_, c.name()),
              StatusIs(absl::StatusCode::kDataLoss));
}

TEST_F(CaseStoreTest, PersonKeysMatchAcrossInstitutionsForTheSameCurp) {
  ASSERT_OK_AND_ASSIGN(v1::Case a, Create(registrar_, ValidCreate("IEEPCO")));
  ASSERT_OK_AND_ASSIGN(v1::Case b, Create(prosecutor_, ValidCreate("FGEO")));
  v1::CreateCaseRequest other = ValidCreate("FGEO");
  const std::string curp = CurpWithCheckDigit("GOMA900203MOCMRN0");
  ASSERT_FALSE(curp.empty());
  other.mutable_case_record()->mutable_personal_data()->set_victim_curp(curp);
  ASSERT_OK_AND_ASSIGN(v1::Case d, Create(prosecutor_, other));
  ASSERT_OK_AND_ASSIGN(std::string ka, PersonKeyOf(a));
  ASSERT_OK_AND_ASSIGN(std::string kb, PersonKeyOf(b));
  ASSERT_OK_AND_ASSIGN(std::string kd, PersonKeyOf(d));
  EXPECT_EQ(ka.size(), 32u);
  EXPECT_EQ(ka, kb);
  EXPECT_NE(ka, kd);
}

TEST_F(CaseStoreTest, ListPagesCoverEveryCaseOnceAndFiltersApply) {
  std::set<std::string> high;
  std::set<std::string> all;
  ASSERT_OK(Write([&](store::WriteTxn& txn) -> absl::Status {
    for (int i = 0; i < 23; ++i) {
      v1::CreateCaseRequest r = ValidCreate("IEEPCO");
      r.mutable_case_record()->mutable_descriptors()->set_risk_level(
          i % 3 == 0 ? v1::RISK_LEVEL_HIGH : v1::RISK_LEVEL_LOW);
      r.mutable_case_record()
          ->mutable_descriptors()
          ->mutable_reported_date()
          ->set_day(1 + i % 10);
      ASSIGN_OR_RETURN(v1::Case c, cases_->CreateCase(txn, registrar_, r));
      all.insert(c.name());
      if (i % 3 == 0) high.insert(c.name());
    }
    return absl::OkStatus();
  }));
  ASSERT_OK(Create(prosecutor_, ValidCreate("FGEO")));  // not listed

  v1::ListCasesRequest r;
  r.set_parent("institutions/IEEPCO");
  r.set_page_size(5);
  std::vector<std::string> seen;
  int pages = 0;
  do {
    ASSERT_OK_AND_ASSIGN(v1::ListCasesResponse page, List(caseworker_, r));
    for (const v1::Case& c : page.cases()) {
      EXPECT_FALSE(c.has_personal_data());
      seen.push_back(c.name());
    }
    r.set_page_token(page.next_page_token());
    ++pages;
  } while (!r.page_token().empty() && pages < 20);
  EXPECT_EQ(pages, 5);
  EXPECT_EQ(seen.size(), all.size());
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), all);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));

  v1::ListCasesRequest filtered;
  filtered.set_parent("institutions/IEEPCO");
  filtered.add_risk_levels(v1::RISK_LEVEL_HIGH);
  filtered.add_risk_levels(v1::RISK_LEVEL_CRITICAL);
  filtered.set_page_size(3);
  std::set<std::string> high_seen;
  pages = 0;
  std::string second_token;
  do {
    ASSERT_OK_AND_ASSIGN(v1::ListCasesResponse page,
                         List(caseworker_, filtered));
    for (const v1::Case& c : page.cases()) {
      EXPECT_EQ(c.descriptors().risk_level(), v1::RISK_LEVEL_HIGH);
      EXPECT_TRUE(high_seen.insert(c.name()).second);
    }
    filtered.set_page_token(page.next_page_token());
    if (pages == 0) second_token = page.next_page_token();
    ++pages;
  } while (!filtered.page_token().empty() && pages < 20);
  EXPECT_EQ(high_seen, high);

  // A token reused with other filters is refused.
  v1::ListCasesRequest other;
  other.set_parent("institutions/IEEPCO");
  other.add_risk_levels(v1::RISK_LEVEL_LOW);
  other.set_page_token(second_token);
  EXPECT_THAT(
      List(caseworker_, other),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'page_token'")));
  other.set_page_token("bm90IGEgdG9rZW4");
  EXPECT_THAT(
      List(caseworker_, other),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'page_token'")));

  // Date range, status and kind filters.
  v1::ListCasesRequest dates;
  dates.set_parent("institutions/IEEPCO");
  dates.mutable_reported_from()->set_year(2026);
  dates.mutable_reported_from()->set_month(3);
  dates.mutable_reported_from()->set_day(2);
  dates.mutable_reported_to()->set_year(2026);
  dates.mutable_reported_to()->set_month(3);
  dates.mutable_reported_to()->set_day(3);
  dates.add_statuses(v1::CASE_STATUS_RECEIVED);
  dates.set_kind(v1::CASE_KIND_POLITICAL_VIOLENCE);
  dates.set_state_code("20");
  ASSERT_OK_AND_ASSIGN(v1::ListCasesResponse in_range,
                       List(caseworker_, dates));
  EXPECT_EQ(in_range.cases_size(),
            6);  // days 2 and 3: i = 1, 2, 11, 12, 21, 22
  for (const v1::Case& c : in_range.cases()) {
    EXPECT_GE(c.descriptors().reported_date().day(), 2);
    EXPECT_LE(c.descriptors().reported_date().day(), 3);
  }
  dates.clear_statuses();
  dates.add_statuses(v1::CASE_STATUS_CLOSED);
  ASSERT_OK_AND_ASSIGN(v1::ListCasesResponse none, List(caseworker_, dates));
  EXPECT_THAT(none.cases(), IsEmpty());
}

// Lists read the codes and measures of many cases per query
// (kIdsPerQuery = 64): each listed case must still get exactly its own.
TEST_F(CaseStoreTest, ListedCasesAreTheirBasicViewsAcrossQueryBatches) {
  std::vector<std::string> names;
  ASSERT_OK(Write([&](store::WriteTxn& txn) -> absl::Status {
    for (int i = 0; i < 140; ++i) {
      v1::CreateCaseRequest r = ValidCreate("IEEPCO");
      auto* d = r.mutable_case_record()->mutable_descriptors();
      d->clear_violence_types();
      d->add_violence_types(i % 2 ? v1::VIOLENCE_TYPE_PSYCHOLOGICAL
                                  : v1::VIOLENCE_TYPE_SYMBOLIC);
      if (i % 3 == 0) d->add_violence_types(v1::VIOLENCE_TYPE_PHYSICAL);
      if (i % 5 == 0) d->clear_conducts();
      ASSIGN_OR_RETURN(v1::Case c, cases_->CreateCase(txn, registrar_, r));
      names.push_back(c.name());
    }
    return absl::OkStatus();
  }));
  for (size_t i = 0; i < names.size(); i += 7) {
    ASSERT_OK_AND_ASSIGN(v1::Case c, Get(caseworker_, names[i]));
    ASSERT_OK(AddMeasure(caseworker_, MeasureRequest(c)));
    if (i % 2 == 0) {
      ASSERT_OK_AND_ASSIGN(c, Get(caseworker_, names[i]));
      ASSERT_OK(AddMeasure(caseworker_, MeasureRequest(c)));
    }
  }
  v1::ListCasesRequest r;
  r.set_parent("institutions/IEEPCO");
  r.set_page_size(100);
  std::vector<v1::Case> listed;
  do {
    ASSERT_OK_AND_ASSIGN(v1::ListCasesResponse page, List(caseworker_, r));
    listed.insert(listed.end(), page.cases().begin(), page.cases().end());
    r.set_page_token(page.next_page_token());
  } while (!r.page_token().empty());
  ASSERT_EQ(listed.size(), names.size());
  for (const v1::Case& c : listed) {
    ASSERT_OK_AND_ASSIGN(v1::Case basic, Get(caseworker_, c.name()));
    EXPECT_EQ(c.SerializeAsString(), basic.SerializeAsString()) << c.name();
  }
}

TEST_F(CaseStoreTest, ListQueriesUseAnIndex) {
  // The plan of each list shape must search an index, never scan cases.
  const char* queries[] = {
      "SELECT * FROM cases WHERE institution = ?1 AND id > ?2 ORDER BY id "
      "LIMIT 51",
      "SELECT * FROM cases WHERE institution = ?1 AND id > ?2 AND status IN "
      "(?3) ORDER BY id LIMIT 51",
      "SELECT * FROM cases WHERE institution = ?1 AND id > ?2 AND "
      "risk_level IN (?3, ?4) ORDER BY id LIMIT 51",
      "SELECT * FROM cases WHERE institution = ?1 AND id > ?2 AND "
      "reported_date >= ?3 AND reported_date <= ?4 ORDER BY id LIMIT 51",
  };
  for (const char* q : queries) {
    ASSERT_OK_AND_ASSIGN(
        std::string plan,
        Read([&](store::ReadTxn& txn) -> absl::StatusOr<std::string> {
          ASSIGN_OR_RETURN(store::Statement s,
                           txn.Prepare(absl::StrCat("EXPLAIN QUERY PLAN ", q)));
          std::string out;
          while (true) {
            ASSIGN_OR_RETURN(bool row, s.Step());
            if (!row) break;
            ASSIGN_OR_RETURN(absl::string_view detail, s.ColumnText(3));
            absl::StrAppend(&out, detail, "\n");
          }
          return out;
        }));
    EXPECT_THAT(plan, HasSubstr("USING INDEX")) << q << "\n" << plan;
    EXPECT_THAT(plan, Not(HasSubstr("SCAN TABLE cases\n"))) << q;
    if (q == queries[0]) {
      // The unfiltered list (the most common) reads a page in id order: a
      // sort would read every case of the institution for each page.
      EXPECT_THAT(plan, Not(HasSubstr("TEMP B-TREE"))) << q << "\n" << plan;
    }
  }
}

TEST_F(CaseStoreTest, TheKekRingSurvivesReopenAndOpensOldCases) {
  ASSERT_OK_AND_ASSIGN(v1::Case c, Create(registrar_, ValidCreate("IEEPCO")));
  ASSERT_OK(AddFollowUp(caseworker_, FollowUpRequest(c, kCanaryNotes)));
  ASSERT_NO_FATAL_FAILURE(Reopen());
  ASSERT_OK_AND_ASSIGN(v1::Case full, GetFull(caseworker_, c.name()));
  EXPECT_EQ(full.personal_data().victim_name(), kCanaryName);
  ASSERT_OK_AND_ASSIGN(
      v1::ListFollowUpsResponse notes,
      ListFollowUps(caseworker_, c, v1::ACCESS_PURPOSE_CASE_FOLLOW_UP));
  EXPECT_EQ(notes.follow_ups(0).notes(), kCanaryNotes);
}

// What someone holding the SQLCipher key alone sees: every cell of every
// table, as text and as bytes.
std::string EveryCell(const std::string& path, const crypto::SecretData& key,
                      int* cells) {
  std::string hex;
  for (unsigned char ch : key.UnsafeRawBytes()) {
    absl::StrAppend(&hex, absl::Hex(ch, absl::kZeroPad2));
  }
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  const std::string pragmas = absl::StrCat(
      "PRAGMA key = \"x'", hex, "'\"; PRAGMA cipher_page_size = 4096;");
  EXPECT_EQ(sqlite3_exec(db, pragmas.c_str(), nullptr, nullptr, nullptr),
            SQLITE_OK);
  std::vector<std::string> tables;
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db,
                               "SELECT name FROM sqlite_master WHERE type = "
                               "'table'",
                               -1, &stmt, nullptr),
            SQLITE_OK);
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    tables.emplace_back(
        reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
  }
  sqlite3_finalize(stmt);
  EXPECT_GE(tables.size(), 9u);
  std::string all;
  for (const std::string& table : tables) {
    const std::string sql = absl::StrCat("SELECT * FROM \"", table, "\"");
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr),
              SQLITE_OK);
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
        const void* blob = sqlite3_column_blob(stmt, i);
        const int size = sqlite3_column_bytes(stmt, i);
        if (blob != nullptr) {
          all.append(static_cast<const char*>(blob), size);
          all.push_back('\0');
        }
        const unsigned char* text = sqlite3_column_text(stmt, i);
        if (text != nullptr) {
          all.append(reinterpret_cast<const char*>(text));
          all.push_back('\0');
        }
        ++*cells;
      }
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return all;
}

TEST_F(CaseStoreTest, PersonalDataIsInNoColumnAndNoFileByte) {
  v1::CreateCaseRequest r = ValidCreate("IEEPCO");
  r.mutable_case_record()->mutable_personal_data()->add_aggressor_names(
      "CANARY-AGGRESSOR-91be");
  ASSERT_OK_AND_ASSIGN(v1::Case c, Create(registrar_, r));
  ASSERT_OK(AddFollowUp(caseworker_, FollowUpRequest(c, kCanaryNotes)));
  v1::Case record;
  record.set_name(c.name());
  record.set_etag(c.etag());
  record.mutable_personal_data()->set_address("CANARY-ADDRESS-5d0c");
  ASSERT_OK(Update(caseworker_, record, {"personal_data.address"}));
  const std::vector<std::string> canaries = {
      kCanaryName, kCanaryNarrative,        kCanaryNotes,          kCanaryPhone,
      kCurp,       "CANARY-AGGRESSOR-91be", "CANARY-ADDRESS-5d0c", "Xochitl"};
  // The raw file and its WAL while the node runs.
  const std::string file = ReadFile(path());
  const std::string wal = ReadFile(path() + "-wal");
  ASSERT_FALSE(file.empty());
  ASSERT_FALSE(wal.empty());
  for (const std::string& canary : canaries) {
    EXPECT_EQ(file.find(canary), std::string::npos) << "in the file";
    EXPECT_EQ(wal.find(canary), std::string::npos) << "in the WAL";
  }
  // Every column, with the database key alone.
  ASSERT_OK(db_->Close());
  int cells = 0;
  const std::string every_cell = EveryCell(path(), db_key_, &cells);
  EXPECT_GT(cells, 50);
  EXPECT_NE(every_cell.find("IEEPCO-2026-000001"), std::string::npos);
  for (const std::string& canary : canaries) {
    EXPECT_EQ(every_cell.find(canary), std::string::npos)
        << "a column holds personal data";
  }
}

}  // namespace
}  // namespace resguardo::cases
