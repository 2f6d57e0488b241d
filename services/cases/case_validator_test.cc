#include "services/cases/case_validator.h"

#include <optional>
#include <string>
#include <vector>

#include "base/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "resguardo/v1/case_service.pb.h"
#include "services/api/field_violations.h"

namespace resguardo::cases {
namespace {

using ::resguardo::testing::IsOk;
using ::resguardo::testing::StatusIs;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::Not;

const absl::CivilDay kToday(2026, 11, 22);
// A recognisable value that must never appear in an error.
constexpr char kCanaryName[] = "CANARY-VICTIM-Xochitl-7f3a";

v1::CreateCaseRequest ValidCreate() {
  v1::CreateCaseRequest r;
  r.set_parent("institutions/IEEPCO");
  auto* d = r.mutable_case_record()->mutable_descriptors();
  d->set_kind(v1::CASE_KIND_POLITICAL_VIOLENCE);
  d->set_state_code("20");
  d->set_municipality_code("067");
  d->mutable_reported_date()->set_year(2026);
  d->mutable_reported_date()->set_month(11);
  d->mutable_reported_date()->set_day(20);
  d->mutable_incident_month()->set_year(2026);
  d->mutable_incident_month()->set_month(10);
  d->add_violence_types(v1::VIOLENCE_TYPE_PSYCHOLOGICAL);
  d->add_conducts(v1::CONDUCT_C11);
  d->set_victim_position(v1::VICTIM_POSITION_COUNCILLOR);
  d->set_risk_level(v1::RISK_LEVEL_HIGH);
  auto* p = r.mutable_case_record()->mutable_personal_data();
  p->set_victim_name(kCanaryName);
  p->set_victim_curp("HEGG560427MVZRRL04");
  p->set_contact_phone("+52 951 123 4567");
  p->set_contact_email("contacto@example.org");
  p->set_narrative("Hechos.\nMás hechos.");
  return r;
}

std::vector<std::string> FieldsOf(const absl::Status& s) {
  std::vector<std::string> out;
  for (const auto& v : api::ViolationsOf(s)) out.push_back(v.field);
  return out;
}

TEST(CaseValidatorTest, AcceptsAValidCreate) {
  EXPECT_THAT(ValidateCreateCase(ValidCreate(), kToday), IsOk());
}

TEST(CaseValidatorTest, NamesEachInvalidFieldOfACreate) {
  struct Case {
    const char* field;
    std::function<void(v1::CreateCaseRequest&)> spoil;
  };
  std::vector<Case> cases = {
      {"parent", [](auto& r) { r.set_parent("institutions/ieepco"); }},
      {"case_record.descriptors.kind",
       [](auto& r) {
         r.mutable_case_record()->mutable_descriptors()->set_kind(
             v1::CASE_KIND_UNSPECIFIED);
       }},
      {"case_record.descriptors.kind",
       [](auto& r) {
         r.mutable_case_record()->mutable_descriptors()->set_kind(
             static_cast<v1::CaseKind>(77));
       }},
      {"case_record.descriptors.state_code",
       [](auto& r) {
         r.mutable_case_record()->mutable_descriptors()->set_state_code("33");
       }},
      {"case_record.descriptors.municipality_code",
       [](auto& r) {
         r.mutable_case_record()->mutable_descriptors()->set_municipality_code(
             "67");
       }},
      {"case_record.descriptors.reported_date",
       [](auto& r) {
         r.mutable_case_record()
             ->mutable_descriptors()
             ->mutable_reported_date()
             ->set_day(23 + 0 * 1);
         r.mutable_case_record()
             ->mutable_descriptors()
             ->mutable_reported_date()
             ->set_month(12);
       }},
      {"case_record.descriptors.reported_date",
       [](auto& r) {
         auto* d = r.mutable_case_record()
                       ->mutable_descriptors()
                       ->mutable_reported_date();
         d->set_month(2);
         d->set_day(30);
       }},
      {"case_record.descriptors.reported_date",
       [](auto& r) {
         r.mutable_case_record()->mutable_descriptors()->clear_reported_date();
       }},
      {"case_record.descriptors.incident_month",
       [](auto& r) {
         r.mutable_case_record()
             ->mutable_descriptors()
             ->mutable_incident_month()
             ->set_day(3);
       }},
      {"case_record.descriptors.incident_month",
       [](auto& r) {
         auto* m = r.mutable_case_record()
                       ->mutable_descriptors()
                       ->mutable_incident_month();
         m->set_year(2026);
         m->set_month(11);
         r.mutable_case_record()
             ->mutable_descriptors()
             ->mutable_reported_date()
             ->set_month(10);
       }},
      {"case_record.descriptors.violence_types[1]",
       [](auto& r) {
         r.mutable_case_record()->mutable_descriptors()->add_violence_types(
             v1::VIOLENCE_TYPE_PSYCHOLOGICAL);
       }},
      {"case_record.descriptors.conducts",
       [](auto& r) {
         r.mutable_case_record()->mutable_descriptors()->set_kind(
             v1::CASE_KIND_GBV);
       }},
      {"case_record.descriptors.risk_level",
       [](auto& r) {
         r.mutable_case_record()->mutable_descriptors()->clear_risk_level();
       }},
      {"case_record.personal_data.victim_name",
       [](auto& r) {
         r.mutable_case_record()->mutable_personal_data()->clear_victim_name();
       }},
      {"case_record.personal_data.victim_name",
       [](auto& r) {
         r.mutable_case_record()->mutable_personal_data()->set_victim_name(
             std::string(201, 'a'));
       }},
      {"case_record.personal_data.victim_curp",
       [](auto& r) {
         r.mutable_case_record()->mutable_personal_data()->set_victim_curp(
             "HEGG560427MVZRRL05");
       }},
      // A valid CURP of 1956-04-27 against another birth date.
      {"case_record.personal_data.victim_curp",
       [](auto& r) {
         auto* b = r.mutable_case_record()
                       ->mutable_personal_data()
                       ->mutable_victim_birth_date();
         b->set_year(1956);
         b->set_month(4);
         b->set_day(28);
       }},
      // INEGI's 999 ("not specified") is no municipality.
      {"case_record.descriptors.municipality_code",
       [](auto& r) {
         r.mutable_case_record()->mutable_descriptors()->set_municipality_code(
             "999");
       }},
      {"case_record.personal_data.contact_phone",
       [](auto& r) {
         r.mutable_case_record()->mutable_personal_data()->set_contact_phone(
             "call me");
       }},
      {"case_record.personal_data.contact_email",
       [](auto& r) {
         r.mutable_case_record()->mutable_personal_data()->set_contact_email(
             "no-at-sign");
       }},
      {"case_record.personal_data.narrative",
       [](auto& r) {
         r.mutable_case_record()->mutable_personal_data()->set_narrative(
             std::string("a\0b", 3));
       }},
      {"case_record.personal_data.aggressor_names[0]",
       [](auto& r) {
         r.mutable_case_record()->mutable_personal_data()->add_aggressor_names(
             "");
       }},
      {"case_record", [](auto& r) { r.clear_case_record(); }},
  };
  for (const auto& c : cases) {
    v1::CreateCaseRequest r = ValidCreate();
    c.spoil(r);
    absl::Status s = ValidateCreateCase(r, kToday);
    EXPECT_THAT(
        s, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.field)))
        << c.field;
    EXPECT_THAT(FieldsOf(s), Contains(c.field));
  }
}

// The field error says which part of the CURP's date disagrees; the same
// date (any century) is accepted.
TEST(CaseValidatorTest, ACurpAgainstTheBirthDateNamesThePart) {
  struct Birth {
    int year, month, day;
    std::optional<api::ErrorId> expected;
  };
  for (const Birth& b :
       std::vector<Birth>{{1956, 4, 27, std::nullopt},
                          {1957, 4, 27, api::ErrorId::kCurpBirthYear},
                          {1956, 5, 27, api::ErrorId::kCurpBirthMonth},
                          {1956, 4, 28, api::ErrorId::kCurpBirthDay}}) {
    v1::CreateCaseRequest r = ValidCreate();
    auto* date = r.mutable_case_record()
                     ->mutable_personal_data()
                     ->mutable_victim_birth_date();
    date->set_year(b.year);
    date->set_month(b.month);
    date->set_day(b.day);
    absl::Status s = ValidateCreateCase(r, kToday);
    if (!b.expected.has_value()) {
      EXPECT_TRUE(s.ok()) << s;
      continue;
    }
    std::vector<api::ErrorText> texts;
    for (const auto& v : api::ViolationsOf(s)) texts.push_back(v.text);
    EXPECT_THAT(texts, ElementsAre(api::ErrorText(*b.expected)))
        << b.year << "-" << b.month << "-" << b.day;
  }
}

TEST(CaseValidatorTest, ErrorsNeverRepeatTheValueReceived) {
  v1::CreateCaseRequest r = ValidCreate();
  r.mutable_case_record()->mutable_personal_data()->set_victim_name(
      std::string(kCanaryName) + std::string(300, 'x'));
  r.mutable_case_record()->mutable_personal_data()->set_victim_curp(
      "CANARYCURP0000000X");
  r.mutable_case_record()->mutable_personal_data()->set_contact_email(
      "CANARY-mail");
  absl::Status s = ValidateCreateCase(r, kToday);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.ToString(), Not(HasSubstr("CANARY")));
  for (const auto& v : api::ViolationsOf(s)) {
    EXPECT_THAT(v.description, Not(HasSubstr("CANARY")));
  }
}

TEST(CaseValidatorTest, CurpCheckDigitAndDate) {
  EXPECT_TRUE(IsValidCurp("HEGG560427MVZRRL04"));
  EXPECT_FALSE(IsValidCurp("HEGG560427MVZRRL03"));  // check digit
  EXPECT_FALSE(IsValidCurp("HEGG561327MVZRRL04"));  // month 13
  EXPECT_FALSE(IsValidCurp("HEGG560427MXXRRL04"));  // state code
  EXPECT_FALSE(IsValidCurp("HEGG560427MVZAAL04"));  // vowels inside
  EXPECT_FALSE(IsValidCurp("hegg560427mvzrrl04"));
  EXPECT_FALSE(IsValidCurp("HEGG560427MVZRRL0"));
}

v1::UpdateCaseRequest ValidUpdate() {
  v1::UpdateCaseRequest r;
  r.mutable_case_record()->set_name(
      "institutions/IEEPCO/cases/IEEPCO-2026-000001");
  r.mutable_case_record()->set_etag("3");
  r.mutable_case_record()->mutable_descriptors()->set_risk_level(
      v1::RISK_LEVEL_CRITICAL);
  r.mutable_update_mask()->add_paths("descriptors.risk_level");
  return r;
}

TEST(CaseValidatorTest, AcceptsAValidUpdate) {
  EXPECT_THAT(ValidateUpdateCase(ValidUpdate(), kToday), IsOk());
}

TEST(CaseValidatorTest, UpdateValidatesOnlyTheMaskedFields) {
  v1::UpdateCaseRequest r = ValidUpdate();
  // Not in the mask: ignored, as AIP-134 says.
  r.mutable_case_record()->mutable_descriptors()->set_state_code("99");
  EXPECT_THAT(ValidateUpdateCase(r, kToday), IsOk());
  r.mutable_update_mask()->add_paths("descriptors.state_code");
  EXPECT_THAT(ValidateUpdateCase(r, kToday),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("case_record.descriptors.state_code")));
}

TEST(CaseValidatorTest, UpdateRefusesBadMaskEtagAndName) {
  v1::UpdateCaseRequest r = ValidUpdate();
  r.mutable_update_mask()->add_paths("folio");
  EXPECT_THAT(FieldsOf(ValidateUpdateCase(r, kToday)),
              Contains("update_mask.paths[1]"));
  r = ValidUpdate();
  r.mutable_update_mask()->add_paths("descriptors.nonsense");
  EXPECT_THAT(FieldsOf(ValidateUpdateCase(r, kToday)),
              Contains("update_mask.paths[1]"));
  r = ValidUpdate();
  r.mutable_update_mask()->clear_paths();
  EXPECT_THAT(FieldsOf(ValidateUpdateCase(r, kToday)), Contains("update_mask"));
  r = ValidUpdate();
  r.mutable_case_record()->clear_etag();
  EXPECT_THAT(FieldsOf(ValidateUpdateCase(r, kToday)),
              Contains("case_record.etag"));
  r = ValidUpdate();
  r.mutable_case_record()->set_name("institutions/IEEPCO/cases/X");
  EXPECT_THAT(FieldsOf(ValidateUpdateCase(r, kToday)),
              Contains("case_record.name"));
  r = ValidUpdate();
  r.mutable_update_mask()->add_paths("descriptors.status");
  r.mutable_case_record()->mutable_descriptors()->set_status(
      v1::CASE_STATUS_CLOSED);
  EXPECT_THAT(ValidateUpdateCase(r, kToday),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("close the case with the close action")));
}

}  // namespace
}  // namespace resguardo::cases

namespace resguardo::cases {
namespace {

constexpr char kCase[] = "institutions/IEEPCO/cases/IEEPCO-2026-000001";

TEST(CaseValidatorTest, GetCaseFullNeedsAPurpose) {
  v1::GetCaseRequest r;
  r.set_name(kCase);
  EXPECT_THAT(ValidateGetCase(r), IsOk());
  r.set_view(v1::CASE_VIEW_FULL);
  EXPECT_THAT(ValidateGetCase(r), StatusIs(absl::StatusCode::kInvalidArgument,
                                           HasSubstr("'purpose'")));
  r.set_purpose(v1::ACCESS_PURPOSE_RISK_ASSESSMENT);
  EXPECT_THAT(ValidateGetCase(r), IsOk());
  r.set_name("cases/1");
  EXPECT_THAT(ValidateGetCase(r), StatusIs(absl::StatusCode::kInvalidArgument,
                                           HasSubstr("'name'")));
}

TEST(CaseValidatorTest, ListCasesChecksPagingAndFilters) {
  v1::ListCasesRequest r;
  r.set_parent("institutions/IEEPCO");
  EXPECT_THAT(ValidateListCases(r), IsOk());
  r.set_page_size(-1);
  EXPECT_THAT(ValidateListCases(r), StatusIs(absl::StatusCode::kInvalidArgument,
                                             HasSubstr("'page_size'")));
  r.set_page_size(500);
  r.add_statuses(v1::CASE_STATUS_UNSPECIFIED);
  EXPECT_THAT(ValidateListCases(r), StatusIs(absl::StatusCode::kInvalidArgument,
                                             HasSubstr("'statuses[0]'")));
  r.clear_statuses();
  r.mutable_reported_from()->set_year(2026);
  r.mutable_reported_from()->set_month(3);
  r.mutable_reported_from()->set_day(5);
  r.mutable_reported_to()->set_year(2026);
  r.mutable_reported_to()->set_month(3);
  r.mutable_reported_to()->set_day(4);
  EXPECT_THAT(ValidateListCases(r), StatusIs(absl::StatusCode::kInvalidArgument,
                                             HasSubstr("'reported_to'")));
  r.clear_reported_to();
  r.set_state_code("33");
  EXPECT_THAT(ValidateListCases(r), StatusIs(absl::StatusCode::kInvalidArgument,
                                             HasSubstr("'state_code'")));
}

TEST(CaseValidatorTest, AddFollowUpChecksItsFieldsAndNeverEchoesNotes) {
  const absl::Time now = absl::FromCivil(
      absl::CivilSecond(2026, 11, 22, 12, 0, 0), absl::UTCTimeZone());
  v1::AddFollowUpRequest r;
  r.set_parent(kCase);
  r.mutable_follow_up()->set_kind(v1::FOLLOW_UP_KIND_CONTACT);
  r.mutable_follow_up()->mutable_occur_time()->set_seconds(
      absl::ToUnixSeconds(now) - 60);
  r.mutable_follow_up()->set_notes("Llamada.\nTodo bien.");
  EXPECT_THAT(ValidateAddFollowUp(r, now), IsOk());
  r.mutable_follow_up()->set_notes(std::string(20001, 'x'));
  EXPECT_THAT(ValidateAddFollowUp(r, now),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("'follow_up.notes'")));
  r.mutable_follow_up()->set_notes(std::string(kCanaryName) + "\x01");
  absl::Status s = ValidateAddFollowUp(r, now);
  EXPECT_THAT(s, StatusIs(absl::StatusCode::kInvalidArgument,
                          Not(HasSubstr(kCanaryName))));
  r.mutable_follow_up()->clear_notes();
  r.mutable_follow_up()->clear_occur_time();
  EXPECT_THAT(ValidateAddFollowUp(r, now),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("'follow_up.occur_time'")));
}

TEST(CaseValidatorTest, ProtectionMeasureDatesAreOrdered) {
  v1::AddProtectionMeasureRequest r;
  r.set_parent(kCase);
  auto* m = r.mutable_protection_measure();
  m->set_type(v1::PROTECTION_MEASURE_TYPE_RESTRAINING_ORDER);
  m->set_status(v1::PROTECTION_MEASURE_STATUS_REQUESTED);
  m->set_issuing_authority("Juzgado");
  m->mutable_issue_date()->set_year(2026);
  m->mutable_issue_date()->set_month(11);
  m->mutable_issue_date()->set_day(20);
  m->mutable_expiry_date()->set_year(2027);
  m->mutable_expiry_date()->set_month(1);
  m->mutable_expiry_date()->set_day(19);
  EXPECT_THAT(ValidateAddProtectionMeasure(r, kToday), IsOk());
  m->mutable_expiry_date()->set_year(2025);
  EXPECT_THAT(ValidateAddProtectionMeasure(r, kToday),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("'protection_measure.expiry_date'")));
  m->clear_issuing_authority();
  EXPECT_THAT(ValidateAddProtectionMeasure(r, kToday),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("'protection_measure.issuing_authority'")));
}

TEST(CaseValidatorTest, OnlyAnExtendedMeasureNeedsAnExpiry) {
  v1::AddProtectionMeasureRequest r;
  r.set_parent(kCase);
  auto* m = r.mutable_protection_measure();
  m->set_type(v1::PROTECTION_MEASURE_TYPE_RESTRAINING_ORDER);
  m->set_issuing_authority("Juzgado");
  m->mutable_issue_date()->set_year(2026);
  m->mutable_issue_date()->set_month(11);
  m->mutable_issue_date()->set_day(20);
  for (auto status : {v1::PROTECTION_MEASURE_STATUS_REQUESTED,
                      v1::PROTECTION_MEASURE_STATUS_IN_FORCE}) {
    m->set_status(status);
    EXPECT_THAT(ValidateAddProtectionMeasure(r, kToday), IsOk());
  }
  m->set_status(v1::PROTECTION_MEASURE_STATUS_EXTENDED);
  EXPECT_THAT(ValidateAddProtectionMeasure(r, kToday),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("'protection_measure.expiry_date'")));
}

TEST(CaseValidatorTest, SetProtectionMeasureStatusFields) {
  v1::SetProtectionMeasureStatusRequest r;
  r.set_name(std::string(kCase) + "/protectionMeasures/1");
  r.set_etag("3");
  r.set_status(v1::PROTECTION_MEASURE_STATUS_REVOKED);
  EXPECT_THAT(ValidateSetProtectionMeasureStatus(r), IsOk());
  auto field_of = [](const absl::Status& s) {
    std::vector<api::FieldViolation> v = api::ViolationsOf(s);
    return v.empty() ? std::string() : v[0].field;
  };
  // An expiry only with EXTENDED (required) or IN_FORCE (optional).
  r.mutable_expiry_date()->set_year(2027);
  r.mutable_expiry_date()->set_month(1);
  r.mutable_expiry_date()->set_day(19);
  EXPECT_EQ(field_of(ValidateSetProtectionMeasureStatus(r)), "expiry_date");
  r.set_status(v1::PROTECTION_MEASURE_STATUS_IN_FORCE);
  EXPECT_THAT(ValidateSetProtectionMeasureStatus(r), IsOk());
  r.set_status(v1::PROTECTION_MEASURE_STATUS_EXTENDED);
  EXPECT_THAT(ValidateSetProtectionMeasureStatus(r), IsOk());
  r.clear_expiry_date();
  EXPECT_EQ(field_of(ValidateSetProtectionMeasureStatus(r)), "expiry_date");
  r.set_status(v1::PROTECTION_MEASURE_STATUS_UNSPECIFIED);
  EXPECT_EQ(field_of(ValidateSetProtectionMeasureStatus(r)), "status");
  r.set_status(v1::PROTECTION_MEASURE_STATUS_EXPIRED);
  r.set_etag("");
  EXPECT_EQ(field_of(ValidateSetProtectionMeasureStatus(r)), "etag");
  r.set_etag("3");
  r.set_name(kCase);
  EXPECT_EQ(field_of(ValidateSetProtectionMeasureStatus(r)), "name");
}

TEST(CaseValidatorTest, CloseReopenAndEraseNeedNameEtagAndReason) {
  v1::CloseCaseRequest close;
  close.set_name(kCase);
  close.set_etag("3");
  EXPECT_THAT(
      ValidateCloseCase(close),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'reason'")));
  close.set_reason(v1::CLOSURE_REASON_DUPLICATE);
  EXPECT_THAT(ValidateCloseCase(close), IsOk());
  v1::ReopenCaseRequest reopen;
  reopen.set_name(kCase);
  EXPECT_THAT(
      ValidateReopenCase(reopen),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'etag'")));
  v1::EraseCasePersonalDataRequest erase;
  erase.set_name(kCase);
  erase.set_etag("3");
  EXPECT_THAT(
      ValidateEraseCasePersonalData(erase),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'reason'")));
  erase.set_reason(v1::ERASURE_REASON_COURT_ORDER);
  EXPECT_THAT(ValidateEraseCasePersonalData(erase), IsOk());
  v1::ListFollowUpsRequest list;
  list.set_parent(kCase);
  list.set_page_token(std::string(513, 'A'));
  EXPECT_THAT(
      ValidateListFollowUps(list),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("'page_token'")));
}

}  // namespace
}  // namespace resguardo::cases
