#include "clients/cli/case_view.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace resguardo::cli {
namespace {

namespace v1 = resguardo::v1;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

v1::Case SampleCase() {
  v1::Case c;
  c.set_folio("IEEPCO-2026-000001");
  c.set_etag("e7");
  v1::CaseDescriptors* d = c.mutable_descriptors();
  d->set_kind(v1::CASE_KIND_POLITICAL_VIOLENCE);
  d->set_status(v1::CASE_STATUS_RECEIVED);
  d->set_risk_level(v1::RISK_LEVEL_HIGH);
  d->set_state_code("20");
  d->mutable_reported_date()->set_year(2026);
  d->mutable_reported_date()->set_month(11);
  d->mutable_reported_date()->set_day(20);
  d->add_violence_types(v1::VIOLENCE_TYPE_PSYCHOLOGICAL);
  d->add_violence_types(v1::VIOLENCE_TYPE_SYMBOLIC);
  return c;
}

TEST(CaseViewTest, ShowsLabelsInTheChosenLanguage) {
  const std::string es =
      RenderCase(SampleCase(), Lang::kEs, absl::UTCTimeZone());
  EXPECT_THAT(es, AllOf(HasSubstr("Folio"), HasSubstr("IEEPCO-2026-000001"),
                        HasSubstr("Recibida"), HasSubstr("Alto"),
                        HasSubstr("Psicológica; Simbólica"),
                        HasSubstr("2026-11-20"), HasSubstr("e7")));
  const std::string en =
      RenderCase(SampleCase(), Lang::kEn, absl::UTCTimeZone());
  EXPECT_THAT(en, AllOf(HasSubstr("Received"), HasSubstr("High"),
                        HasSubstr("Psychological; Symbolic")));
}

TEST(CaseViewTest, PersonalDataOnlyWhenTheNodeSentIt) {
  v1::Case c = SampleCase();
  EXPECT_THAT(RenderCase(c, Lang::kEs, absl::UTCTimeZone()),
              Not(HasSubstr("Nombre de la víctima")));
  c.mutable_personal_data()->set_victim_name("Canary");
  EXPECT_THAT(RenderCase(c, Lang::kEs, absl::UTCTimeZone()),
              HasSubstr("Nombre de la víctima  Canary"));
}

TEST(CaseViewTest, ListIsATableOrSaysThereIsNothing) {
  google::protobuf::RepeatedPtrField<v1::Case> cases;
  EXPECT_EQ(RenderCaseList(cases, Lang::kEs, absl::UTCTimeZone()),
            "(sin resultados)\n");
  *cases.Add() = SampleCase();
  const std::string table =
      RenderCaseList(cases, Lang::kEn, absl::UTCTimeZone());
  EXPECT_THAT(table, HasSubstr("IEEPCO-2026-000001  POLITICAL_VIOLENCE  "
                               "Received  High  20     2026-11-20"));
}

}  // namespace
}  // namespace resguardo::cli
