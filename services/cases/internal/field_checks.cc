#include "services/cases/internal/field_checks.h"

#include "services/api/resource_names.h"
#include "services/api/text_rules.h"

namespace resguardo::cases::internal {

std::optional<absl::CivilDay> ToCivilDay(const google::type::Date& date) {
  if (date.year() < kMinYear || date.year() > 9999 || date.month() < 1 ||
      date.month() > 12 || date.day() < 1 || date.day() > 31) {
    return std::nullopt;
  }
  absl::CivilDay day(date.year(), date.month(), date.day());
  // CivilDay normalises 31 February to 3 March: refuse what moved.
  if (day.month() != date.month() || day.day() != date.day()) {
    return std::nullopt;
  }
  return day;
}

bool IsSet(const google::type::Date& date) {
  return date.year() != 0 || date.month() != 0 || date.day() != 0;
}

void CheckDate(api::FieldViolations& v, const std::string& field,
               const google::type::Date& date, bool required,
               absl::CivilDay today) {
  if (!IsSet(date)) {
    if (required) v.Add(field, api::ErrorId::kRequired);
    return;
  }
  auto day = ToCivilDay(date);
  if (!day) {
    v.Add(field, {api::ErrorId::kRealDateFrom, {kMinYear}});
  } else if (*day > today) {
    v.Add(field, api::ErrorId::kNotInFuture);
  }
}

void CheckEtag(api::FieldViolations& v, const std::string& field,
               absl::string_view etag) {
  if (etag.empty()) {
    v.Add(field, api::ErrorId::kEtagRequired);
  } else if (etag.size() > 64) {
    v.Add(field, api::ErrorId::kEtagForm);
  }
}

void CheckCaseName(api::FieldViolations& v, const std::string& field,
                   absl::string_view name) {
  if (!api::ParseCaseName(name)) v.Add(field, api::ErrorId::kCaseName);
}

void CheckRequestId(api::FieldViolations& v, absl::string_view request_id) {
  if (!request_id.empty()) CheckText(v, "request_id", request_id, 1, 64);
}

void CheckAnyDate(api::FieldViolations& v, const std::string& field,
                  const google::type::Date& date, bool required) {
  if (!IsSet(date)) {
    if (required) v.Add(field, api::ErrorId::kRequired);
    return;
  }
  if (!ToCivilDay(date)) {
    v.Add(field, {api::ErrorId::kRealDateFrom, {kMinYear}});
  }
}

}  // namespace resguardo::cases::internal
