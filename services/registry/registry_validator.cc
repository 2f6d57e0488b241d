#include "services/registry/registry_validator.h"

#include <algorithm>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "services/api/error_catalogue.h"
#include "services/api/field_violations.h"
#include "services/api/resource_names.h"
#include "services/api/text_rules.h"

namespace resguardo::registry {
namespace {

using api::ErrorId;
using api::FieldViolations;

constexpr int kMinYear = 1900;

bool IsSet(const google::type::Date& date) {
  return date.year() != 0 || date.month() != 0 || date.day() != 0;
}

// A required real date, not after today.
void CheckPastDate(FieldViolations& v, absl::string_view field,
                   const google::type::Date& date, absl::CivilDay today) {
  if (!IsSet(date)) {
    v.Add(field, ErrorId::kRequired);
    return;
  }
  const absl::CivilDay day(date.year(), date.month(), date.day());
  if (date.year() < kMinYear || date.year() > 9999 || date.month() < 1 ||
      date.month() > 12 || date.day() < 1 || day.month() != date.month() ||
      day.day() != date.day()) {
    v.Add(field, {ErrorId::kRealDateFrom, {kMinYear}});
  } else if (day > today) {
    v.Add(field, ErrorId::kNotInFuture);
  }
}

template <typename IsValid>
void CheckEnum(FieldViolations& v, absl::string_view field, int value,
               bool required, IsValid is_valid) {
  if (value == 0) {
    if (required) v.Add(field, ErrorId::kRequired);
  } else if (!is_valid(value)) {
    v.Add(field, ErrorId::kNotInCatalogue);
  }
}

void CheckOwnParent(FieldViolations& v, absl::string_view parent) {
  if (!api::ParseInstitutionName(parent)) {
    v.Add("parent", ErrorId::kInstitutionName);
  }
}

void CheckPageSize(FieldViolations& v, int32_t page_size) {
  if (page_size < 0) v.Add("page_size", ErrorId::kPageSizeNegative);
}

}  // namespace

std::optional<EntryName> ParseEntryName(absl::string_view name) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  EntryName out;
  if (parts.size() != 4 || parts[0] != "institutions" ||
      !api::IsValidInstitutionId(parts[1]) || parts[2] != "registryEntries" ||
      parts[3].empty() || parts[3][0] == '0' || parts[3].size() > 18 ||
      !absl::SimpleAtoi(parts[3], &out.seq) || out.seq < 1) {
    return std::nullopt;
  }
  out.institution = std::string(parts[1]);
  return out;
}

std::optional<std::string> CaseOfSanctionedPerson(absl::string_view name) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  int64_t n = 0;
  if (parts.size() != 8 || parts[4] != "resolutions" ||
      parts[6] != "sanctionedPersons" || !absl::SimpleAtoi(parts[5], &n) ||
      n < 1 || !absl::SimpleAtoi(parts[7], &n) || n < 1) {
    return std::nullopt;
  }
  const std::string case_name =
      absl::StrCat(parts[0], "/", parts[1], "/", parts[2], "/", parts[3]);
  if (!api::ParseCaseName(case_name)) return std::nullopt;
  return case_name;
}

int64_t DateColumn(const google::type::Date& date) {
  return int64_t{date.year()} * 10000 + date.month() * 100 + date.day();
}

int64_t DateColumn(absl::CivilDay day) {
  return int64_t{day.year()} * 10000 + day.month() * 100 + day.day();
}

google::type::Date DateOf(int64_t yyyymmdd) {
  google::type::Date d;
  if (yyyymmdd == 0) return d;
  d.set_year(static_cast<int32_t>(yyyymmdd / 10000));
  d.set_month(static_cast<int32_t>(yyyymmdd / 100 % 100));
  d.set_day(static_cast<int32_t>(yyyymmdd % 100));
  return d;
}

absl::CivilDay CivilDayOf(int64_t yyyymmdd) {
  return absl::CivilDay(yyyymmdd / 10000, yyyymmdd / 100 % 100, yyyymmdd % 100);
}

absl::CivilDay TermEnd(absl::CivilDay start, const v1::RegistryTerm& term) {
  const absl::CivilMonth month =
      absl::CivilMonth(start) + int64_t{term.years()} * 12 + term.months();
  const int last_day =
      static_cast<int>(absl::CivilDay(month + 1) - absl::CivilDay(month));
  return absl::CivilDay(month) + (std::min(start.day(), last_day) - 1) +
         term.days();
}

absl::Status ValidateInscribe(const v1::InscribeRequest& request,
                              absl::CivilDay today) {
  FieldViolations v;
  if (!CaseOfSanctionedPerson(request.sanctioned_person())) {
    v.Add("sanctioned_person", ErrorId::kSanctionedPersonName);
  }
  if (request.aggressor_index() < 0) {
    v.Add("aggressor_index", ErrorId::kAggressorIndex);
  }
  const v1::RegistryEntry& e = request.entry();
  CheckEnum(v, "entry.sex", e.sex(), true, v1::SanctionedPersonSex_IsValid);
  api::CheckText(v, "entry.position", e.position(), 1, 200);
  CheckEnum(v, "entry.candidacy", e.candidacy(), true, v1::Candidacy_IsValid);
  CheckEnum(v, "entry.territorial_level", e.territorial_level(), false,
            v1::TerritorialLevel_IsValid);
  CheckPastDate(v, "entry.start_date", e.start_date(), today);
  if (request.request_id().size() > 64) {
    v.Add("request_id", {ErrorId::kLength, {1, 64}});
  }
  return v.ToStatus();
}

absl::Status ValidateListRegistryEntries(
    const v1::ListRegistryEntriesRequest& request) {
  FieldViolations v;
  CheckOwnParent(v, request.parent());
  CheckPageSize(v, request.page_size());
  return v.ToStatus();
}

absl::Status ValidateSearchRegistry(const v1::SearchRegistryRequest& request) {
  FieldViolations v;
  CheckOwnParent(v, request.parent());
  api::CheckText(v, "person_name", request.person_name(), 0, 200);
  api::CheckText(v, "position", request.position(), 0, 200);
  const std::string& state = request.state_code();
  if (!state.empty() &&
      (state.size() != 2 || state < "01" || state > "32" ||
       !absl::ascii_isdigit(static_cast<unsigned char>(state[0])) ||
       !absl::ascii_isdigit(static_cast<unsigned char>(state[1])))) {
    v.Add("state_code", ErrorId::kStateCode);
  }
  CheckPageSize(v, request.page_size());
  return v.ToStatus();
}

absl::Status ValidateDelistRegistryEntry(
    const v1::DelistRegistryEntryRequest& request, absl::CivilDay today) {
  FieldViolations v;
  if (!ParseEntryName(request.name())) {
    v.Add("name", ErrorId::kRegistryEntryName);
  }
  if (request.etag().empty()) v.Add("etag", ErrorId::kEtagRequired);
  api::CheckText(v, "court_order_file_number",
                 request.court_order_file_number(), 1, 100);
  CheckPastDate(v, "order_date", request.order_date(), today);
  return v.ToStatus();
}

absl::Status ValidateExportRegistry(const v1::ExportRegistryRequest& request) {
  FieldViolations v;
  CheckOwnParent(v, request.parent());
  return v.ToStatus();
}

}  // namespace resguardo::registry
