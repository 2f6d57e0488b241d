// The field checks shared by the validators of services/cases (Case and its
// requests: case_validator.cc; resolutions: resolution_validator.cc): dates,
// catalogue codes, etags, case names and request ids. Each adds its
// violation to a FieldViolations under the field's path. Internal to
// services/cases.
#ifndef RESGUARDO_SERVICES_CASES_INTERNAL_FIELD_CHECKS_H_
#define RESGUARDO_SERVICES_CASES_INTERNAL_FIELD_CHECKS_H_

#include <optional>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "google/protobuf/repeated_field.h"
#include "google/type/date.pb.h"
#include "services/api/error_catalogue.h"
#include "services/api/field_violations.h"

namespace resguardo::cases::internal {

inline constexpr int kMinYear = 1900;

// The civil day of `date`, or nullopt if it is not a complete, real date.
std::optional<absl::CivilDay> ToCivilDay(const google::type::Date& date);

bool IsSet(const google::type::Date& date);

// A required or optional full date, not after today.
void CheckDate(api::FieldViolations& v, const std::string& field,
               const google::type::Date& date, bool required,
               absl::CivilDay today);

// A full real date, any day (deadlines may be in the future).
void CheckAnyDate(api::FieldViolations& v, const std::string& field,
                  const google::type::Date& date, bool required);

template <typename IsValid>
void CheckEnum(api::FieldViolations& v, const std::string& field, int value,
               bool required, IsValid is_valid) {
  if (value == 0) {
    if (required) v.Add(field, api::ErrorId::kRequired);
    return;
  }
  if (!is_valid(value)) v.Add(field, api::ErrorId::kNotInCatalogue);
}

template <typename IsValid>
void CheckEnumList(api::FieldViolations& v, const std::string& field,
                   const google::protobuf::RepeatedField<int>& values,
                   IsValid is_valid) {
  std::set<int> seen;
  for (int i = 0; i < values.size(); ++i) {
    std::string f = absl::StrCat(field, "[", i, "]");
    if (values[i] == 0 || !is_valid(values[i])) {
      v.Add(f, api::ErrorId::kNotInCatalogue);
    } else if (!seen.insert(values[i]).second) {
      v.Add(f, api::ErrorId::kRepeatedCode);
    }
  }
}

void CheckEtag(api::FieldViolations& v, const std::string& field,
               absl::string_view etag);

void CheckCaseName(api::FieldViolations& v, const std::string& field,
                   absl::string_view name);

// An optional request id: 1–64 characters when given.
void CheckRequestId(api::FieldViolations& v, absl::string_view request_id);

}  // namespace resguardo::cases::internal

#endif  // RESGUARDO_SERVICES_CASES_INTERNAL_FIELD_CHECKS_H_
