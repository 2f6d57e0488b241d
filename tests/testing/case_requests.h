// The CreateCaseRequest the integration tests start from: the smallest case
// the node accepts, with the reported date, risk, victim and narrative each
// test chooses. A test that needs more fields (a CURP, conducts, a request
// id) sets them on the request it gets.
//
// Thread-safe (a pure function of its arguments and the date).
#ifndef RESGUARDO_TESTS_TESTING_CASE_REQUESTS_H_
#define RESGUARDO_TESTS_TESTING_CASE_REQUESTS_H_

#include "absl/strings/string_view.h"
#include "resguardo/v1/case_service.pb.h"

namespace resguardo::testing {

// A case of `institution`: political violence, psychological, in state 20
// (Oaxaca), reported `reported_days_ago` days before today (UTC), of risk
// `risk`; its victim's name is `victim_name` and its narrative `narrative`
// (both left unset when empty).
v1::CreateCaseRequest NewCaseRequest(int reported_days_ago, v1::RiskLevel risk,
                                     absl::string_view victim_name,
                                     absl::string_view narrative,
                                     absl::string_view institution = "IEEPCO");

}  // namespace resguardo::testing

#endif  // RESGUARDO_TESTS_TESTING_CASE_REQUESTS_H_
