// Deadlines and alerts on a FakeClock and a real SQLCipher file: no
// sleeping. The deadline monitor, the referral store and the alert store
// run in-process (the node runs the same objects on its clock).
#include "services/referrals/deadline_monitor.h"

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "base/status_macros.h"
#include "base/testing/status_matchers.h"
#include "crypto/key_provider.h"
#include "crypto/testing/fixed_key_provider.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/admin/directory.h"
#include "services/admin/testing/test_institutions.h"
#include "services/cases/case_store.h"
#include "services/referrals/alert_store.h"
#include "services/referrals/referral_store.h"
#include "services/schema/node_schema.h"
#include "services/store/database.h"
#include "services/store/statement.h"
#include "services/store/testing/temp_dir.h"

namespace resguardo::referrals {
namespace {

using ::resguardo::admin::testing::Caller;
using ::resguardo::testing::IsOk;
using ::resguardo::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const absl::Time kStart = absl::FromCivil(
    absl::CivilSecond(2026, 3, 11, 12, 0, 0), absl::UTCTimeZone());

class DeadlineMonitorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(Open(true));
    ASSERT_OK(db_->Write([&](store::WriteTxn& txn) {
      return admin::testing::RegisterIeepcoAndFgeo(txn, *directory_);
    }));
  }

  void Open(bool create) {
    store::Database::Options options;
    options.create_if_missing = create;
    options.read_connections = 2;
    options.migrations = schema::NodeMigrations();
    ASSERT_OK_AND_ASSIGN(
        db_, store::Database::Open(dir_.File("node.db"), db_key_, options));
    ASSERT_OK_AND_ASSIGN(directory_, admin::Directory::New(keys_, &clock_));
    ASSERT_OK_AND_ASSIGN(
        cases_, cases::CaseStore::New(directory_.get(), keys_, &clock_));
    ASSERT_OK_AND_ASSIGN(
        referrals_,
        ReferralStore::New(directory_.get(), cases_.get(), policy_, &clock_));
    monitor_ = std::make_unique<DeadlineMonitor>(db_.get(), policy_, &clock_);
  }

  // A restart: everything closed and opened again on the same file.
  void Reopen() {
    monitor_.reset();
    referrals_.reset();
    ASSERT_OK(db_->Close());
    cases_.reset();
    directory_.reset();
    db_.reset();
    ASSERT_NO_FATAL_FAILURE(Open(false));
  }

  v1::Case NewCase(v1::RiskLevel risk = v1::RISK_LEVEL_MEDIUM,
                   v1::CaseKind kind = v1::CASE_KIND_GBV) {
    v1::CreateCaseRequest r;
    r.set_parent("institutions/IEEPCO");
    auto* d = r.mutable_case_record()->mutable_descriptors();
    d->set_kind(kind);
    d->set_state_code("20");
    d->mutable_reported_date()->set_year(2026);
    d->mutable_reported_date()->set_month(3);
    d->mutable_reported_date()->set_day(10);
    d->set_risk_level(risk);
    r.mutable_case_record()->mutable_personal_data()->set_victim_name(
        "CANARY-Xochitl");
    absl::StatusOr<v1::Case> c = db_->Write([&](store::WriteTxn& txn) {
      return cases_->CreateCase(txn, kRegistrar, r);
    });
    EXPECT_OK(c.status());
    return c.ok() ? *c : v1::Case();
  }

  v1::Referral Refer(const v1::Case& c, v1::ReferralServiceKind service =
                                            v1::REFERRAL_SERVICE_KIND_LEGAL) {
    v1::CreateReferralRequest r;
    r.mutable_referral()->set_case_(c.name());
    r.mutable_referral()->set_receiving_institution("FGEO");
    r.mutable_referral()->add_services(service);
    r.mutable_consent()->set_given_by(v1::CONSENT_GIVER_VICTIM);
    r.mutable_consent()->set_method(v1::CONSENT_METHOD_IN_PERSON);
    r.mutable_consent()->mutable_give_time()->set_seconds(
        absl::ToUnixSeconds(clock_.Now()) - 60);
    r.mutable_consent()->set_scope(v1::SHARING_SCOPE_CONTACT_ONLY);
    bool override_used = false;
    absl::StatusOr<v1::Referral> made = db_->Write([&](store::WriteTxn& txn) {
      return referrals_->CreateReferral(txn, kRegistrar, r, &override_used);
    });
    EXPECT_OK(made.status());
    return made.ok() ? *made : v1::Referral();
  }

  // A measure IN_FORCE issued 2026-03-10 that expires on March `day`.
  static v1::AddProtectionMeasureRequest MeasureOn(const v1::Case& c, int day) {
    v1::AddProtectionMeasureRequest r;
    r.set_parent(c.name());
    auto* m = r.mutable_protection_measure();
    m->set_type(v1::PROTECTION_MEASURE_TYPE_PROTECTION_ORDER);
    m->set_status(v1::PROTECTION_MEASURE_STATUS_IN_FORCE);
    m->set_issuing_authority("Fiscalía");
    m->mutable_issue_date()->set_year(2026);
    m->mutable_issue_date()->set_month(3);
    m->mutable_issue_date()->set_day(10);
    *m->mutable_expiry_date() = m->issue_date();
    m->mutable_expiry_date()->set_day(day);
    return r;
  }

  std::vector<v1::Alert> Alerts(const std::string& institution,
                                uint64_t after = 0) {
    absl::StatusOr<std::vector<v1::Alert>> alerts =
        db_->Read([&](store::ReadTxn& txn) {
          return AlertStore::ListAfter(txn, institution, after, 1000);
        });
    EXPECT_OK(alerts.status());
    return alerts.ok() ? *alerts : std::vector<v1::Alert>();
  }

  std::vector<v1::AlertKind> Kinds(const std::string& institution) {
    std::vector<v1::AlertKind> kinds;
    for (const v1::Alert& a : Alerts(institution)) kinds.push_back(a.kind());
    return kinds;
  }

  v1::ListReferralsResponse Overdue() {
    v1::ListReferralsRequest r;
    r.set_parent("institutions/FGEO");
    r.set_box(v1::REFERRAL_BOX_INBOX);
    r.set_overdue_only(true);
    absl::StatusOr<v1::ListReferralsResponse> got =
        db_->Read([&](store::ReadTxn& txn) {
          return referrals_->ListReferrals(txn, kFgeoCaseworker, r);
        });
    EXPECT_OK(got.status());
    return got.ok() ? *got : v1::ListReferralsResponse();
  }

  const auth::Principal kRegistrar =
      Caller("IEEPCO", "reg", {v1::ROLE_REGISTRAR});
  const auth::Principal kFgeoCaseworker =
      Caller("FGEO", "cw", {v1::ROLE_CASEWORKER});
  store::testing::TempDir dir_;
  crypto::testing::FixedKeyProvider keys_;
  crypto::SecretData db_key_ = crypto::SecretData(std::string(32, 'k'));
  FakeClock clock_{kStart};
  DeadlinePolicy policy_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<admin::Directory> directory_;
  std::unique_ptr<cases::CaseStore> cases_;
  std::unique_ptr<ReferralStore> referrals_;
  std::unique_ptr<DeadlineMonitor> monitor_;
};

TEST_F(DeadlineMonitorTest, OverdueReferralRaisesOneAlertPerTransition) {
  v1::Referral referral = Refer(NewCase());
  EXPECT_EQ(referral.accept_deadline().seconds(),
            absl::ToUnixSeconds(kStart + absl::Hours(24)));
  EXPECT_THAT(Kinds("FGEO"), ElementsAre(v1::ALERT_KIND_NEW_REFERRAL));
  ASSERT_OK_AND_ASSIGN(int raised, monitor_->RunOnce());
  EXPECT_EQ(raised, 0);

  // 30 minutes before the deadline: "near", once.
  clock_.Advance(absl::Hours(23) + absl::Minutes(30));
  ASSERT_OK_AND_ASSIGN(raised, monitor_->RunOnce());
  EXPECT_EQ(raised, 1);
  ASSERT_OK_AND_ASSIGN(raised, monitor_->RunOnce());
  EXPECT_EQ(raised, 0);
  EXPECT_EQ(Overdue().referrals_size(), 0);

  // Past it: "missed", once for each side; the overdue list has it.
  clock_.Advance(absl::Hours(1));
  ASSERT_OK_AND_ASSIGN(raised, monitor_->RunOnce());
  EXPECT_EQ(raised, 2);
  ASSERT_OK_AND_ASSIGN(raised, monitor_->RunOnce());
  EXPECT_EQ(raised, 0);
  v1::ListReferralsResponse overdue = Overdue();
  ASSERT_EQ(overdue.referrals_size(), 1);
  EXPECT_EQ(overdue.referrals(0).name(), referral.name());
  EXPECT_TRUE(overdue.referrals(0).overdue());

  // A restart does not raise them again.
  ASSERT_NO_FATAL_FAILURE(Reopen());
  ASSERT_OK_AND_ASSIGN(raised, monitor_->RunOnce());
  EXPECT_EQ(raised, 0);
  EXPECT_THAT(Kinds("FGEO"), ElementsAre(v1::ALERT_KIND_NEW_REFERRAL,
                                         v1::ALERT_KIND_DEADLINE_NEAR,
                                         v1::ALERT_KIND_DEADLINE_MISSED));
  EXPECT_THAT(Kinds("IEEPCO"), ElementsAre(v1::ALERT_KIND_DEADLINE_MISSED));
  std::vector<v1::Alert> fgeo = Alerts("FGEO");
  ASSERT_EQ(fgeo.size(), 3u);
  for (size_t i = 0; i < fgeo.size(); ++i) {
    EXPECT_EQ(fgeo[i].sequence(), i + 1);
    EXPECT_EQ(fgeo[i].resource(), referral.name());
  }
}

TEST_F(DeadlineMonitorTest, AnAcceptedReferralIsNeverOverdue) {
  v1::Referral referral = Refer(NewCase());
  v1::AcceptReferralRequest accept;
  accept.set_name(referral.name());
  accept.set_etag(referral.etag());
  ASSERT_OK(db_->Write([&](store::WriteTxn& txn) {
    return referrals_->AcceptReferral(txn, kFgeoCaseworker, accept).status();
  }));
  clock_.Advance(absl::Hours(48));
  ASSERT_OK_AND_ASSIGN(int raised, monitor_->RunOnce());
  EXPECT_EQ(raised, 0);
  EXPECT_EQ(Overdue().referrals_size(), 0);
}

TEST_F(DeadlineMonitorTest, ProtectionForHighRiskIsDueInFourHours) {
  v1::Referral referral =
      Refer(NewCase(v1::RISK_LEVEL_HIGH), v1::REFERRAL_SERVICE_KIND_PROTECTION);
  EXPECT_EQ(referral.accept_deadline().seconds(),
            absl::ToUnixSeconds(kStart + absl::Hours(4)));
  // Found only after its deadline (the monitor was down): "missed" only.
  clock_.Advance(absl::Hours(5));
  ASSERT_OK_AND_ASSIGN(int raised, monitor_->RunOnce());
  EXPECT_EQ(raised, 2);
  EXPECT_THAT(Kinds("FGEO"), ElementsAre(v1::ALERT_KIND_NEW_REFERRAL,
                                         v1::ALERT_KIND_DEADLINE_MISSED));
}

TEST_F(DeadlineMonitorTest, ExpiringMeasureRaisesOneAlert) {
  v1::Case c = NewCase();
  v1::AddProtectionMeasureRequest r = MeasureOn(c, 25);
  ASSERT_OK_AND_ASSIGN(
      v1::ProtectionMeasure added, db_->Write([&](store::WriteTxn& txn) {
        return cases_->AddProtectionMeasure(txn, kRegistrar, r);
      }));
  ASSERT_OK_AND_ASSIGN(int raised, monitor_->RunOnce());
  EXPECT_EQ(raised, 0);  // 14 days left; the horizon is 7
  clock_.Advance(absl::Hours(24 * 7));
  ASSERT_OK_AND_ASSIGN(raised, monitor_->RunOnce());
  EXPECT_EQ(raised, 1);
  clock_.Advance(absl::Hours(24));
  ASSERT_OK_AND_ASSIGN(raised, monitor_->RunOnce());
  EXPECT_EQ(raised, 0);
  std::vector<v1::Alert> alerts = Alerts("IEEPCO");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].kind(), v1::ALERT_KIND_MEASURE_EXPIRING);
  EXPECT_EQ(alerts[0].resource(), added.name());
}

TEST_F(DeadlineMonitorTest, AnExtensionIsAlertedAgainBeforeItsNewExpiry) {
  v1::Case c = NewCase();
  const auth::Principal cw = Caller("IEEPCO", "cw", {v1::ROLE_CASEWORKER});
  v1::AddProtectionMeasureRequest add = MeasureOn(c, 13);
  ASSERT_OK_AND_ASSIGN(v1::ProtectionMeasure added,
                       db_->Write([&](store::WriteTxn& txn) {
                         return cases_->AddProtectionMeasure(txn, cw, add);
                       }));
  // An indefinite one beside it is never alerted.
  add.mutable_protection_measure()->clear_expiry_date();
  ASSERT_OK(db_->Write([&](store::WriteTxn& txn) {
    return cases_->AddProtectionMeasure(txn, cw, add);
  }));
  ASSERT_OK_AND_ASSIGN(int raised, monitor_->RunOnce());
  EXPECT_EQ(raised, 1);
  // Extended to 2026-04-30: nothing until 7 days before, then once.
  ASSERT_OK_AND_ASSIGN(v1::Case current, db_->Read([&](store::ReadTxn& txn) {
    v1::GetCaseRequest get;
    get.set_name(c.name());
    return cases_->GetCase(txn, cw, get);
  }));
  v1::SetProtectionMeasureStatusRequest extend;
  extend.set_name(added.name());
  extend.set_etag(current.etag());
  extend.set_status(v1::PROTECTION_MEASURE_STATUS_EXTENDED);
  extend.mutable_expiry_date()->set_year(2026);
  extend.mutable_expiry_date()->set_month(4);
  extend.mutable_expiry_date()->set_day(30);
  ASSERT_OK_AND_ASSIGN(current, db_->Write([&](store::WriteTxn& txn) {
    return cases_->SetProtectionMeasureStatus(txn, cw, extend);
  }));
  ASSERT_OK_AND_ASSIGN(raised, monitor_->RunOnce());
  EXPECT_EQ(raised, 0);
  clock_.Advance(absl::Hours(24 * 43));  // 2026-04-23: 7 days left
  ASSERT_OK_AND_ASSIGN(raised, monitor_->RunOnce());
  EXPECT_EQ(raised, 1);
  ASSERT_OK_AND_ASSIGN(raised, monitor_->RunOnce());
  EXPECT_EQ(raised, 0);
  std::vector<v1::Alert> alerts = Alerts("IEEPCO");
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts[1].kind(), v1::ALERT_KIND_MEASURE_EXPIRING);
  EXPECT_EQ(alerts[1].resource(), added.name());
  EXPECT_EQ(alerts[1].due_time().seconds(),
            absl::ToUnixSeconds(absl::FromCivil(absl::CivilDay(2026, 5, 1),
                                                absl::UTCTimeZone())));
  // Extended again, then revoked before it nears: no alert for it.
  extend.set_etag(current.etag());
  extend.mutable_expiry_date()->set_month(5);
  extend.mutable_expiry_date()->set_day(20);
  ASSERT_OK_AND_ASSIGN(current, db_->Write([&](store::WriteTxn& txn) {
    return cases_->SetProtectionMeasureStatus(txn, cw, extend);
  }));
  v1::SetProtectionMeasureStatusRequest revoke;
  revoke.set_name(added.name());
  revoke.set_etag(current.etag());
  revoke.set_status(v1::PROTECTION_MEASURE_STATUS_REVOKED);
  ASSERT_OK(db_->Write([&](store::WriteTxn& txn) {
    return cases_->SetProtectionMeasureStatus(txn, cw, revoke);
  }));
  clock_.Advance(absl::Hours(24 * 20));
  ASSERT_OK_AND_ASSIGN(raised, monitor_->RunOnce());
  EXPECT_EQ(raised, 0);
}

// A reparation measure of a resolution: "due" inside the horizon, "overdue"
// the day after its due date, each once; none once complied with.
TEST_F(DeadlineMonitorTest, AReparationMeasureIsAlertedWhenDueAndOverdue) {
  const auth::Principal cw = Caller("IEEPCO", "cw", {v1::ROLE_CASEWORKER});
  v1::Case c = NewCase(v1::RISK_LEVEL_MEDIUM, v1::CASE_KIND_POLITICAL_VIOLENCE);
  for (v1::CaseStatus s :
       {v1::CASE_STATUS_FIRST_CONTACT, v1::CASE_STATUS_ADMISSIBILITY,
        v1::CASE_STATUS_ADMITTED, v1::CASE_STATUS_INVESTIGATION,
        v1::CASE_STATUS_SENT_TO_COURT}) {
    v1::UpdateCaseRequest u;
    u.mutable_case_record()->set_name(c.name());
    u.mutable_case_record()->set_etag(c.etag());
    u.mutable_case_record()->mutable_descriptors()->set_status(s);
    u.mutable_update_mask()->add_paths("descriptors.status");
    ASSERT_OK_AND_ASSIGN(c, db_->Write([&](store::WriteTxn& txn) {
      return cases_->UpdateCase(txn, cw, u);
    }));
  }
  v1::AddResolutionRequest add;
  add.set_parent(c.name());
  v1::Resolution* r = add.mutable_resolution();
  r->set_resolving_authority("Tribunal Electoral del Estado de Oaxaca");
  r->set_file_number("JDC/1/2026");
  r->mutable_resolution_date()->set_year(2026);
  r->mutable_resolution_date()->set_month(3);
  r->mutable_resolution_date()->set_day(11);
  r->set_outcome(v1::RESOLUTION_OUTCOME_NOT_PROVEN);
  for (int day : {25, 26}) {
    v1::ReparationMeasure* m = r->add_reparation_measures();
    m->set_kind(v1::REPARATION_MEASURE_KIND_NON_REPETITION);
    m->set_responsible_authority("Ayuntamiento");
    *m->mutable_due_date() = r->resolution_date();
    m->mutable_due_date()->set_day(day);
  }
  ASSERT_OK_AND_ASSIGN(v1::Resolution added,
                       db_->Write([&](store::WriteTxn& txn) {
                         return cases_->AddResolution(txn, cw, add);
                       }));
  // The second measure is complied with at once: never alerted.
  v1::SetReparationMeasureStatusRequest done;
  done.set_name(added.reparation_measures(1).name());
  ASSERT_OK_AND_ASSIGN(v1::Case now, db_->Read([&](store::ReadTxn& txn) {
    v1::GetCaseRequest get;
    get.set_name(c.name());
    return cases_->GetCase(txn, cw, get);
  }));
  done.set_etag(now.etag());
  done.set_status(v1::REPARATION_COMPLIANCE_STATUS_COMPLIED);
  ASSERT_OK(db_->Write([&](store::WriteTxn& txn) {
    return cases_->SetReparationMeasureStatus(txn, cw, done).status();
  }));

  ASSERT_OK_AND_ASSIGN(int raised, monitor_->RunOnce());
  EXPECT_EQ(raised, 0);  // 14 days left; the horizon is 7
  clock_.Advance(absl::Hours(24 * 7));
  ASSERT_OK_AND_ASSIGN(raised, monitor_->RunOnce());
  EXPECT_EQ(raised, 1);
  ASSERT_OK_AND_ASSIGN(raised, monitor_->RunOnce());
  EXPECT_EQ(raised, 0);
  clock_.Advance(absl::Hours(24 * 7));  // 2026-03-25: due today
  ASSERT_OK_AND_ASSIGN(raised, monitor_->RunOnce());
  EXPECT_EQ(raised, 0);
  clock_.Advance(absl::Hours(24));  // 2026-03-26: overdue
  ASSERT_OK_AND_ASSIGN(raised, monitor_->RunOnce());
  EXPECT_EQ(raised, 1);
  std::vector<v1::Alert> alerts = Alerts("IEEPCO");
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts[0].kind(), v1::ALERT_KIND_REPARATION_DUE);
  EXPECT_EQ(alerts[1].kind(), v1::ALERT_KIND_REPARATION_OVERDUE);
  for (const v1::Alert& a : alerts) {
    EXPECT_EQ(a.resource(), added.reparation_measures(0).name());
  }
}

TEST_F(DeadlineMonitorTest, ListAlertsPagesNewestFirstAndResumesWhereItSaw) {
  for (int i = 0; i < 5; ++i) Refer(NewCase());
  v1::ListAlertsRequest r;
  r.set_parent("institutions/FGEO");
  r.set_page_size(2);
  auto list = [&](const v1::ListAlertsRequest& request) {
    return db_->Read([&](store::ReadTxn& txn) {
      return AlertStore::List(txn, kFgeoCaseworker, request);
    });
  };
  ASSERT_OK_AND_ASSIGN(v1::ListAlertsResponse first, list(r));
  ASSERT_EQ(first.alerts_size(), 2);
  EXPECT_EQ(first.alerts(0).sequence(), 5u);
  EXPECT_EQ(first.alerts(1).sequence(), 4u);
  EXPECT_EQ(AlertStore::ParseResumeToken("FGEO", first.resume_token()),
            std::optional<uint64_t>(5));
  Refer(NewCase());  // raised while paging: left to the watch
  std::vector<uint64_t> seen;
  v1::ListAlertsResponse page = first;
  while (true) {
    for (const v1::Alert& a : page.alerts()) seen.push_back(a.sequence());
    EXPECT_EQ(page.resume_token(), first.resume_token());
    if (page.next_page_token().empty()) break;
    r.set_page_token(page.next_page_token());
    ASSERT_OK_AND_ASSIGN(page, list(r));
  }
  EXPECT_THAT(seen, ElementsAre(5, 4, 3, 2, 1));
  // The watch from that token gets the sixth, and only it.
  std::vector<v1::Alert> after = Alerts("FGEO", 5);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].sequence(), 6u);
  // An institution without alerts: an empty page and a token from the start.
  v1::ListAlertsRequest none;
  none.set_parent("institutions/IEEPCO");
  ASSERT_OK_AND_ASSIGN(v1::ListAlertsResponse empty,
                       db_->Read([&](store::ReadTxn& txn) {
                         return AlertStore::List(txn, kRegistrar, none);
                       }));
  EXPECT_EQ(empty.alerts_size(), 0);
  EXPECT_EQ(AlertStore::ParseResumeToken("IEEPCO", empty.resume_token()),
            std::optional<uint64_t>(0));
  // Refusals: another institution; a token of another institution.
  EXPECT_THAT(db_->Read([&](store::ReadTxn& txn) {
    return AlertStore::List(txn, kRegistrar, r);
  }),
              StatusIs(absl::StatusCode::kPermissionDenied));
  none.set_page_token(first.next_page_token());
  EXPECT_THAT(
      db_->Read([&](store::ReadTxn& txn) {
        return AlertStore::List(txn, kRegistrar, none);
      }),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page_token")));
}

TEST_F(DeadlineMonitorTest, ADueFollowUpRaisesOneAlert) {
  v1::Case c = NewCase();
  v1::AddFollowUpRequest r;
  r.set_parent(c.name());
  r.mutable_follow_up()->set_kind(v1::FOLLOW_UP_KIND_CONTACT);
  r.mutable_follow_up()->mutable_occur_time()->set_seconds(
      absl::ToUnixSeconds(kStart) - 3600);
  r.mutable_follow_up()->mutable_next_due_date()->set_year(2026);
  r.mutable_follow_up()->mutable_next_due_date()->set_month(3);
  r.mutable_follow_up()->mutable_next_due_date()->set_day(13);
  ASSERT_OK_AND_ASSIGN(
      v1::FollowUp added, db_->Write([&](store::WriteTxn& txn) {
        return cases_->AddFollowUp(
            txn, Caller("IEEPCO", "cw", {v1::ROLE_CASEWORKER}), r);
      }));
  ASSERT_OK_AND_ASSIGN(int raised, monitor_->RunOnce());
  EXPECT_EQ(raised, 0);  // due on the 13th; today is the 11th
  clock_.Advance(absl::Hours(48));
  ASSERT_OK_AND_ASSIGN(raised, monitor_->RunOnce());
  EXPECT_EQ(raised, 1);
  clock_.Advance(absl::Hours(24));
  ASSERT_OK_AND_ASSIGN(raised, monitor_->RunOnce());
  EXPECT_EQ(raised, 0);
  std::vector<v1::Alert> alerts = Alerts("IEEPCO");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].kind(), v1::ALERT_KIND_FOLLOW_UP_DUE);
  EXPECT_EQ(alerts[0].resource(), added.name());
}

TEST_F(DeadlineMonitorTest, ResumeTokensAreBoundToTheirInstitution) {
  Refer(NewCase());
  Refer(NewCase());
  std::vector<v1::Alert> alerts = Alerts("FGEO");
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(AlertStore::ParseResumeToken("FGEO", alerts[0].resume_token()),
            std::optional<uint64_t>(1));
  EXPECT_EQ(AlertStore::ParseResumeToken("IEEPCO", alerts[0].resume_token()),
            std::nullopt);
  EXPECT_EQ(AlertStore::ParseResumeToken("FGEO", "garbage"), std::nullopt);
  std::vector<v1::Alert> after = Alerts("FGEO", 1);
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].sequence(), 2u);
}

TEST_F(DeadlineMonitorTest, ASharedCopyMovedToAnotherReferralDoesNotOpen) {
  v1::Referral first = Refer(NewCase());
  v1::Referral second = Refer(NewCase());
  v1::GetReferralRequest get;
  get.set_name(second.name());
  get.set_view(v1::REFERRAL_VIEW_FULL);
  get.set_purpose(v1::ACCESS_PURPOSE_REFERRAL);
  auto read = [&] {
    return db_->Read([&](store::ReadTxn& txn) {
      return referrals_->GetReferral(txn, kFgeoCaseworker, get);
    });
  };
  ASSERT_OK_AND_ASSIGN(v1::Referral opened, read());
  EXPECT_EQ(opened.shared_data().victim_name(), "CANARY-Xochitl");
  const int64_t id1 =
      std::stoll(first.name().substr(first.name().rfind('/') + 1));
  const int64_t id2 =
      std::stoll(second.name().substr(second.name().rfind('/') + 1));
  // The first referral's sealed copy in the second's row: its key and
  // context are the first's, so it does not open there.
  ASSERT_OK(db_->Write([&](store::WriteTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(store::Statement s,
                     txn.Prepare("UPDATE referrals SET sealed_shared = "
                                 "(SELECT sealed_shared FROM referrals WHERE "
                                 "id = ?1) WHERE id = ?2"));
    RETURN_IF_ERROR(s.BindInt64(1, id1));
    RETURN_IF_ERROR(s.BindInt64(2, id2));
    return s.Run();
  }));
  EXPECT_THAT(read().status(), StatusIs(absl::StatusCode::kDataLoss));
  // And both of the first's (key and copy): the wrapped key is bound to the
  // first referral's name.
  ASSERT_OK(db_->Write([&](store::WriteTxn& txn) -> absl::Status {
    ASSIGN_OR_RETURN(store::Statement s,
                     txn.Prepare("UPDATE referral_keys SET wrapped_dek = "
                                 "(SELECT wrapped_dek FROM referral_keys "
                                 "WHERE referral_id = ?1) WHERE referral_id = "
                                 "?2"));
    RETURN_IF_ERROR(s.BindInt64(1, id1));
    RETURN_IF_ERROR(s.BindInt64(2, id2));
    return s.Run();
  }));
  EXPECT_THAT(read().status(), StatusIs(absl::StatusCode::kDataLoss));
}

TEST(DeadlinePolicyTest, ConfigOutOfRangeNamesTheField) {
  config::v1::ReferralConfig config;
  config.set_accept_within_hours(0);
  EXPECT_THAT(DeadlinePolicy::FromConfig(config).status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("referrals.accept_within_hours")));
  config.Clear();
  config.add_accept_deadline_rules()->set_accept_within_hours(2);
  EXPECT_THAT(
      DeadlinePolicy::FromConfig(config).status(),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("referrals.accept_deadline_rules[0].service")));
  config.Clear();
  auto* rule = config.add_accept_deadline_rules();
  rule->set_service(v1::REFERRAL_SERVICE_KIND_SHELTER);
  rule->add_risk_levels(v1::RISK_LEVEL_CRITICAL);
  rule->set_accept_within_hours(2);
  ASSERT_OK_AND_ASSIGN(DeadlinePolicy policy,
                       DeadlinePolicy::FromConfig(config));
  EXPECT_EQ(policy.AcceptWithin({v1::REFERRAL_SERVICE_KIND_SHELTER},
                                v1::RISK_LEVEL_CRITICAL),
            absl::Hours(2));
  EXPECT_EQ(policy.AcceptWithin({v1::REFERRAL_SERVICE_KIND_SHELTER},
                                v1::RISK_LEVEL_HIGH),
            absl::Hours(24));
  // The rules replace the default PROTECTION rule.
  EXPECT_EQ(policy.AcceptWithin({v1::REFERRAL_SERVICE_KIND_PROTECTION},
                                v1::RISK_LEVEL_CRITICAL),
            absl::Hours(24));
}

TEST(SharedSubsetTest, EachScopeCarriesOnlyItsFields) {
  v1::CasePersonalData all;
  all.set_victim_name("n");
  all.set_victim_curp("c");
  all.set_contact_phone("p");
  all.set_contact_email("e");
  all.set_address("a");
  all.set_narrative("t");
  all.add_aggressor_names("g");
  all.set_evidence_notes("v");
  all.set_political_party("y");
  v1::CasePersonalData contact =
      ReferralStore::SharedSubset(all, v1::SHARING_SCOPE_CONTACT_ONLY);
  v1::CasePersonalData expected;
  expected.set_victim_name("n");
  expected.set_contact_phone("p");
  expected.set_contact_email("e");
  EXPECT_EQ(contact.SerializeAsString(), expected.SerializeAsString());
  expected.set_narrative("t");
  EXPECT_EQ(
      ReferralStore::SharedSubset(all, v1::SHARING_SCOPE_CONTACT_AND_NARRATIVE)
          .SerializeAsString(),
      expected.SerializeAsString());
  EXPECT_EQ(ReferralStore::SharedSubset(all, v1::SHARING_SCOPE_FULL)
                .SerializeAsString(),
            all.SerializeAsString());
  EXPECT_EQ(ReferralStore::SharedSubset(all, v1::SHARING_SCOPE_UNSPECIFIED)
                .ByteSizeLong(),
            0u);
}

}  // namespace
}  // namespace resguardo::referrals
