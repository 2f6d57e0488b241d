#include "tests/testing/case_requests.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "resguardo/v1/case_service.pb.h"
#include "tests/testing/test_deployment.h"

namespace resguardo::testing {

v1::CreateCaseRequest NewCaseRequest(int reported_days_ago, v1::RiskLevel risk,
                                     absl::string_view victim_name,
                                     absl::string_view narrative,
                                     absl::string_view institution) {
  v1::CreateCaseRequest r;
  r.set_parent(absl::StrCat("institutions/", institution));
  v1::CaseDescriptors* d = r.mutable_case_record()->mutable_descriptors();
  d->set_kind(v1::CASE_KIND_POLITICAL_VIOLENCE);
  d->set_state_code("20");
  *d->mutable_reported_date() = DaysAgo(reported_days_ago);
  d->add_violence_types(v1::VIOLENCE_TYPE_PSYCHOLOGICAL);
  d->set_risk_level(risk);
  v1::CasePersonalData* p = r.mutable_case_record()->mutable_personal_data();
  p->set_victim_name(std::string(victim_name));
  p->set_narrative(std::string(narrative));
  return r;
}

}  // namespace resguardo::testing
