// One piece (about 700 lines): the field checks of one message family
// (Case and its requests) against the catalogues, each a few lines, in the
// order of case.proto so that a reader finds a field's rule where the field
// is declared.
#include "services/cases/case_validator.h"

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "base/digits.h"
#include "google/protobuf/repeated_field.h"
#include "resguardo/v1/case.pb.h"
#include "resguardo/v1/case_service.pb.h"
#include "services/api/field_violations.h"
#include "services/api/page_token.h"
#include "services/api/resource_names.h"
#include "services/api/text_rules.h"
#include "services/cases/internal/field_checks.h"

namespace resguardo::cases {
namespace {

using api::CheckText;
using api::ErrorId;
using api::ErrorText;
using api::FieldViolations;
using api::Lines;
using internal::CheckAnyDate;
using internal::CheckCaseName;
using internal::CheckDate;
using internal::CheckEnum;
using internal::CheckEnumList;
using internal::CheckEtag;
using internal::CheckRequestId;
using internal::IsSet;
using internal::kMinYear;
using internal::ToCivilDay;

void CheckStateCode(FieldViolations& v, const std::string& field,
                    absl::string_view code, bool required) {
  if (code.empty()) {
    if (required) v.Add(field, ErrorId::kRequired);
    return;
  }
  if (code.size() != 2 || !IsAllDigits(code) || code < "01" || code > "32") {
    v.Add(field, ErrorId::kStateCode);
  }
}

// The most municipalities of any state (Oaxaca's 570, INEGI): 999 is
// INEGI's "not specified", never a municipality.
constexpr absl::string_view kMaxMunicipalityCode = "570";

void CheckMunicipalityCode(FieldViolations& v, const std::string& field,
                           absl::string_view code) {
  if (code.empty()) return;
  if (code.size() != 3 || !IsAllDigits(code) || code == "000" ||
      code > kMaxMunicipalityCode) {
    v.Add(field, ErrorId::kMunicipalityCode);
  }
}

void CheckIncidentMonth(FieldViolations& v, const std::string& field,
                        const google::type::Date& month, absl::CivilDay today) {
  if (!IsSet(month)) return;
  if (month.year() < kMinYear || month.year() > 9999 || month.month() < 1 ||
      month.month() > 12 || month.day() != 0) {
    v.Add(field, ErrorId::kYearMonth);
    return;
  }
  if (absl::CivilMonth(month.year(), month.month()) > absl::CivilMonth(today)) {
    v.Add(field, ErrorId::kNotInFuture);
  }
}

void CheckPhone(FieldViolations& v, const std::string& field,
                absl::string_view phone) {
  if (phone.empty()) return;
  int digits = 0;
  for (size_t i = 0; i < phone.size(); ++i) {
    char c = phone[i];
    if (absl::ascii_isdigit(c)) {
      ++digits;
    } else if (!(c == ' ' || c == '-' || c == '(' || c == ')' ||
                 (c == '+' && i == 0))) {
      v.Add(field, ErrorId::kPhoneCharacters);
      return;
    }
  }
  if (digits < 7 || digits > 15 || phone.size() > 25) {
    v.Add(field, {ErrorId::kPhoneDigits, {7, 15}});
  }
}

void CheckEmail(FieldViolations& v, const std::string& field,
                absl::string_view email) {
  if (email.empty()) return;
  size_t at = email.find('@');
  bool ok = email.size() <= 254 && at != absl::string_view::npos && at > 0 &&
            email.find('@', at + 1) == absl::string_view::npos &&
            email.find('.', at) != absl::string_view::npos &&
            email.back() != '.';
  for (char c : email) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F) ok = false;
  }
  if (!ok) v.Add(field, ErrorId::kEmail);
}

// One checker per writable path of Case. A checker validates the new value
// at that path; `prefix` is the request-relative path of the Case message.
using Checker = std::function<void(const v1::Case&, FieldViolations&,
                                   const std::string& prefix, absl::CivilDay)>;

const std::map<std::string, Checker>& DescriptorCheckers() {
  static const auto* checkers = new std::map<std::string, Checker>{
      {"descriptors.kind",
       [](const v1::Case& c, FieldViolations& v, const std::string& p,
          absl::CivilDay) {
         CheckEnum(v, p + "descriptors.kind", c.descriptors().kind(), true,
                   v1::CaseKind_IsValid);
       }},
      {"descriptors.state_code",
       [](const v1::Case& c, FieldViolations& v, const std::string& p,
          absl::CivilDay) {
         CheckStateCode(v, p + "descriptors.state_code",
                        c.descriptors().state_code(), true);
       }},
      {"descriptors.municipality_code",
       [](const v1::Case& c, FieldViolations& v, const std::string& p,
          absl::CivilDay) {
         CheckMunicipalityCode(v, p + "descriptors.municipality_code",
                               c.descriptors().municipality_code());
       }},
      {"descriptors.reported_date",
       [](const v1::Case& c, FieldViolations& v, const std::string& p,
          absl::CivilDay today) {
         CheckDate(v, p + "descriptors.reported_date",
                   c.descriptors().reported_date(), true, today);
       }},
      {"descriptors.incident_month",
       [](const v1::Case& c, FieldViolations& v, const std::string& p,
          absl::CivilDay today) {
         CheckIncidentMonth(v, p + "descriptors.incident_month",
                            c.descriptors().incident_month(), today);
       }},
      {"descriptors.violence_types",
       [](const v1::Case& c, FieldViolations& v, const std::string& p,
          absl::CivilDay) {
         CheckEnumList(v, p + "descriptors.violence_types",
                       c.descriptors().violence_types(),
                       v1::ViolenceType_IsValid);
       }},
      {"descriptors.modalities",
       [](const v1::Case& c, FieldViolations& v, const std::string& p,
          absl::CivilDay) {
         CheckEnumList(v, p + "descriptors.modalities",
                       c.descriptors().modalities(), v1::Modality_IsValid);
       }},
      {"descriptors.conducts",
       [](const v1::Case& c, FieldViolations& v, const std::string& p,
          absl::CivilDay) {
         CheckEnumList(v, p + "descriptors.conducts",
                       c.descriptors().conducts(), v1::Conduct_IsValid);
       }},
      {"descriptors.gbv_incident_types",
       [](const v1::Case& c, FieldViolations& v, const std::string& p,
          absl::CivilDay) {
         CheckEnumList(v, p + "descriptors.gbv_incident_types",
                       c.descriptors().gbv_incident_types(),
                       v1::GbvIncidentType_IsValid);
       }},
      {"descriptors.victim_age_band",
       [](const v1::Case& c, FieldViolations& v, const std::string& p,
          absl::CivilDay) {
         CheckEnum(v, p + "descriptors.victim_age_band",
                   c.descriptors().victim_age_band(), false,
                   v1::AgeBand_IsValid);
       }},
      {"descriptors.victim_position",
       [](const v1::Case& c, FieldViolations& v, const std::string& p,
          absl::CivilDay) {
         CheckEnum(v, p + "descriptors.victim_position",
                   c.descriptors().victim_position(), false,
                   v1::VictimPosition_IsValid);
       }},
      {"descriptors.territorial_level",
       [](const v1::Case& c, FieldViolations& v, const std::string& p,
          absl::CivilDay) {
         CheckEnum(v, p + "descriptors.territorial_level",
                   c.descriptors().territorial_level(), false,
                   v1::TerritorialLevel_IsValid);
       }},
      {"descriptors.normative_system",
       [](const v1::Case& c, FieldViolations& v, const std::string& p,
          absl::CivilDay) {
         CheckEnum(v, p + "descriptors.normative_system",
                   c.descriptors().normative_system(), false,
                   v1::NormativeSystem_IsValid);
       }},
      {"descriptors.electoral_stage",
       [](const v1::Case& c, FieldViolations& v, const std::string& p,
          absl::CivilDay) {
         CheckEnum(v, p + "descriptors.electoral_stage",
                   c.descriptors().electoral_stage(), false,
                   v1::ElectoralStage_IsValid);
       }},
      {"descriptors.self_identification",
       [](const v1::Case& c, FieldViolations& v, const std::string& p,
          absl::CivilDay) {
         CheckEnumList(v, p + "descriptors.self_identification",
                       c.descriptors().self_identification(),
                       v1::SelfIdentification_IsValid);
       }},
      {"descriptors.aggressor_relation",
       [](const v1::Case& c, FieldViolations& v, const std::string& p,
          absl::CivilDay) {
         CheckEnum(v, p + "descriptors.aggressor_relation",
                   c.descriptors().aggressor_relation(), false,
                   v1::AggressorRelation_IsValid);
       }},
      {"descriptors.aggressor_categories",
       [](const v1::Case& c, FieldViolations& v, const std::string& p,
          absl::CivilDay) {
         CheckEnumList(v, p + "descriptors.aggressor_categories",
                       c.descriptors().aggressor_categories(),
                       v1::AggressorCategory_IsValid);
       }},
      {"descriptors.aggressor_count",
       [](const v1::Case& c, FieldViolations& v, const std::string& p,
          absl::CivilDay) {
         CheckEnum(v, p + "descriptors.aggressor_count",
                   c.descriptors().aggressor_count(), false,
                   v1::AggressorCount_IsValid);
       }},
      {"descriptors.risk_level",
       [](const v1::Case& c, FieldViolations& v, const std::string& p,
          absl::CivilDay) {
         CheckEnum(v, p + "descriptors.risk_level",
                   c.descriptors().risk_level(), true, v1::RiskLevel_IsValid);
       }},
      {"descriptors.filed_by_third_party",
       [](const v1::Case&, FieldViolations&, const std::string&,
          absl::CivilDay) {}},
  };
  return *checkers;
}

// Which part of a valid CURP's date (YYMMDD, characters 5 to 10) disagrees
// with `birth` (nothing if it is unset or they agree). The century (the
// 17th character) is not compared: the two digits of the year say enough.
std::optional<ErrorId> CurpBirthDateMismatch(absl::string_view curp,
                                             const google::type::Date& birth) {
  if (!IsSet(birth)) return std::nullopt;
  auto two = [&](int at) {
    return (curp[at] - '0') * 10 + (curp[at + 1] - '0');
  };
  if (two(4) != birth.year() % 100) return ErrorId::kCurpBirthYear;
  if (two(6) != birth.month()) return ErrorId::kCurpBirthMonth;
  if (two(8) != birth.day()) return ErrorId::kCurpBirthDay;
  return std::nullopt;
}

const std::map<std::string, Checker>& PersonalDataCheckers() {
  static const auto* checkers = new std::map<std::string, Checker>{
      {"personal_data.victim_name",
       [](const v1::Case& c, FieldViolations& v, const std::string& p,
          absl::CivilDay) {
         CheckText(v, p + "personal_data.victim_name",
                   c.personal_data().victim_name(), 1, 200);
       }},
      {"personal_data.victim_curp",
       [](const v1::Case& c, FieldViolations& v, const std::string& p,
          absl::CivilDay) {
         const std::string& curp = c.personal_data().victim_curp();
         if (curp.empty()) return;
         if (!IsValidCurp(curp)) {
           v.Add(p + "personal_data.victim_curp", ErrorId::kCurp);
           return;
         }
         if (std::optional<ErrorId> part = CurpBirthDateMismatch(
                 curp, c.personal_data().victim_birth_date())) {
           v.Add(p + "personal_data.victim_curp", *part);
         }
       }},
      {"personal_data.victim_birth_date",
       [](const v1::Case& c, FieldViolations& v, const std::string& p,
          absl::CivilDay today) {
         CheckDate(v, p + "personal_data.victim_birth_date",
                   c.personal_data().victim_birth_date(), false, today);
       }},
      {"personal_data.contact_phone",
       [](const v1::Case& c, FieldViolations& v, const std::string& p,
          absl::CivilDay) {
         CheckPhone(v, p + "personal_data.contact_phone",
                    c.personal_data().contact_phone());
       }},
      {"personal_data.contact_email",
       [](const v1::Case& c, FieldViolations& v, const std::string& p,
          absl::CivilDay) {
         CheckEmail(v, p + "personal_data.contact_email",
                    c.personal_data().contact_email());
       }},
      {"personal_data.address",
       [](const v1::Case& c, FieldViolations& v, const std::string& p,
          absl::CivilDay) {
         CheckText(v, p + "personal_data.address", c.personal_data().address(),
                   0, 500, Lines::kMulti);
       }},
      {"personal_data.narrative",
       [](const v1::Case& c, FieldViolations& v, const std::string& p,
          absl::CivilDay) {
         CheckText(v, p + "personal_data.narrative",
                   c.personal_data().narrative(), 0, 20000, Lines::kMulti);
       }},
      {"personal_data.aggressor_names",
       [](const v1::Case& c, FieldViolations& v, const std::string& p,
          absl::CivilDay) {
         const auto& names = c.personal_data().aggressor_names();
         if (names.size() > 20) {
           v.Add(p + "personal_data.aggressor_names",
                 {ErrorId::kAtMostNames, {20}});
           return;
         }
         for (int i = 0; i < names.size(); ++i) {
           CheckText(v,
                     absl::StrCat(p, "personal_data.aggressor_names[", i, "]"),
                     names[i], 1, 200);
         }
       }},
      {"personal_data.evidence_notes",
       [](const v1::Case& c, FieldViolations& v, const std::string& p,
          absl::CivilDay) {
         CheckText(v, p + "personal_data.evidence_notes",
                   c.personal_data().evidence_notes(), 0, 20000, Lines::kMulti);
       }},
      {"personal_data.political_party",
       [](const v1::Case& c, FieldViolations& v, const std::string& p,
          absl::CivilDay) {
         CheckText(v, p + "personal_data.political_party",
                   c.personal_data().political_party(), 0, 100);
       }},
  };
  return *checkers;
}

// Rules across fields of the descriptors, checked when all of them are
// present in the request.
void CheckDescriptorConsistency(const v1::CaseDescriptors& d,
                                FieldViolations& v, const std::string& p) {
  if (d.kind() == v1::CASE_KIND_GBV && d.conducts_size() > 0) {
    v.Add(p + "descriptors.conducts", ErrorId::kPoliticalViolenceOnly);
  }
  if (d.kind() == v1::CASE_KIND_POLITICAL_VIOLENCE &&
      d.gbv_incident_types_size() > 0) {
    v.Add(p + "descriptors.gbv_incident_types", ErrorId::kGenderViolenceOnly);
  }
  if (IsSet(d.incident_month()) && d.incident_month().day() == 0 &&
      ToCivilDay(d.reported_date()).has_value()) {
    absl::CivilMonth incident(d.incident_month().year(),
                              d.incident_month().month());
    absl::CivilMonth reported(d.reported_date().year(),
                              d.reported_date().month());
    if (incident > reported) {
      v.Add(p + "descriptors.incident_month", ErrorId::kIncidentAfterReport);
    }
  }
}

void CheckPaging(FieldViolations& v, int32_t page_size,
                 absl::string_view page_token) {
  if (page_size < 0) v.Add("page_size", ErrorId::kPageSizeNegative);
  if (page_token.size() > api::kMaxPageTokenSize) {
    v.Add("page_token", ErrorId::kPageTokenForm);
  }
}

// A timestamp that is set, well-formed, from kMinYear on and not after now.
void CheckPastTime(FieldViolations& v, const std::string& field, bool has,
                   const google::protobuf::Timestamp& t, absl::Time now) {
  if (!has || (t.seconds() == 0 && t.nanos() == 0)) {
    v.Add(field, ErrorId::kRequired);
    return;
  }
  const absl::Time min =
      absl::FromCivil(absl::CivilDay(kMinYear, 1, 1), absl::UTCTimeZone());
  if (t.nanos() < 0 || t.nanos() > 999999999) {
    v.Add(field, ErrorId::kValidTime);
    return;
  }
  const absl::Time time =
      absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
  if (time < min) {
    v.Add(field, {ErrorId::kTimeFrom, {kMinYear}});
  } else if (time > now) {
    v.Add(field, ErrorId::kNotInFuture);
  }
}

}  // namespace

bool IsValidCurp(absl::string_view curp) {
  if (curp.size() != 18) return false;
  auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  auto digit = [](char c) { return absl::ascii_isdigit(c); };
  for (int i = 0; i < 4; ++i) {
    if (!upper(curp[i])) return false;
  }
  for (int i = 4; i < 10; ++i) {
    if (!digit(curp[i])) return false;
  }
  int mm = (curp[6] - '0') * 10 + (curp[7] - '0');
  int dd = (curp[8] - '0') * 10 + (curp[9] - '0');
  // The century is encoded by the 17th character (a digit before 2000, a
  // letter from 2000); the day check needs only a leap-year-safe month.
  int yy = (curp[4] - '0') * 10 + (curp[5] - '0');
  int year = (upper(curp[16]) ? 2000 : 1900) + yy;
  if (mm < 1 || mm > 12 || dd < 1) return false;
  absl::CivilDay day(year, mm, dd);
  if (day.month() != mm || day.day() != dd) return false;
  if (curp[10] != 'H' && curp[10] != 'M' && curp[10] != 'X') return false;
  static const std::set<std::string>* kStates = new std::set<std::string>{
      "AS", "BC", "BS", "CC", "CL", "CM", "CS", "CH", "DF", "DG", "GT",
      "GR", "HG", "JC", "MC", "MN", "MS", "NT", "NL", "OC", "PL", "QT",
      "QR", "SP", "SL", "SR", "TC", "TS", "TL", "VZ", "YN", "ZS", "NE"};
  if (kStates->count(std::string(curp.substr(11, 2))) == 0) return false;
  auto consonant = [&](char c) {
    return upper(c) && c != 'A' && c != 'E' && c != 'I' && c != 'O' && c != 'U';
  };
  for (int i = 13; i < 16; ++i) {
    if (!consonant(curp[i])) return false;
  }
  if (!upper(curp[16]) && !digit(curp[16])) return false;
  if (!digit(curp[17])) return false;
  // Check digit: values 0-9, A=10 … N=23, Ñ=24 (never in ASCII CURPs),
  // O=25 … Z=36; weights 18 down to 2.
  int sum = 0;
  for (int i = 0; i < 17; ++i) {
    char c = curp[i];
    int value = digit(c) ? c - '0' : c - 'A' + 10 + (c > 'N' ? 1 : 0);
    sum += value * (18 - i);
  }
  int check = (10 - sum % 10) % 10;
  return check == curp[17] - '0';
}

absl::Status ValidateCreateCase(const v1::CreateCaseRequest& request,
                                absl::CivilDay today) {
  FieldViolations v;
  if (!api::ParseInstitutionName(request.parent())) {
    v.Add("parent", ErrorId::kInstitutionName);
  }
  if (!request.request_id().empty()) {
    CheckText(v, "request_id", request.request_id(), 1, 64);
  }
  if (!request.has_case_record()) {
    v.Add("case_record", ErrorId::kRequired);
    return v.ToStatus();
  }
  const v1::Case& c = request.case_record();
  const std::string prefix = "case_record.";
  for (const auto& [path, check] : DescriptorCheckers()) {
    check(c, v, prefix, today);
  }
  for (const auto& [path, check] : PersonalDataCheckers()) {
    check(c, v, prefix, today);
  }
  CheckDescriptorConsistency(c.descriptors(), v, prefix);
  return v.ToStatus();
}

absl::Status ValidateUpdateCase(const v1::UpdateCaseRequest& request,
                                absl::CivilDay today) {
  FieldViolations v;
  const v1::Case& c = request.case_record();
  const std::string prefix = "case_record.";
  if (!api::ParseCaseName(c.name())) {
    v.Add("case_record.name", ErrorId::kCaseName);
  }
  CheckEtag(v, "case_record.etag", c.etag());
  if (request.update_mask().paths_size() == 0) {
    v.Add("update_mask", ErrorId::kUpdateMaskRequired);
  }
  std::set<std::string> paths;
  for (int i = 0; i < request.update_mask().paths_size(); ++i) {
    const std::string& path = request.update_mask().paths(i);
    std::string field = absl::StrCat("update_mask.paths[", i, "]");
    if (path == "descriptors") {
      for (const auto& [p, check] : DescriptorCheckers()) paths.insert(p);
    } else if (path == "personal_data") {
      for (const auto& [p, check] : PersonalDataCheckers()) paths.insert(p);
    } else if (path == "descriptors.status") {
      paths.insert(path);
    } else if (DescriptorCheckers().count(path) ||
               PersonalDataCheckers().count(path)) {
      if (!paths.insert(path).second) v.Add(field, ErrorId::kRepeatedPath);
    } else if (path == "name" || path == "folio" || path == "create_time" ||
               path == "update_time" || path == "etag" ||
               path == "personal_data_erased" ||
               path == "protection_measures" || path == "closure_reason") {
      v.Add(field, ErrorId::kOutputOnly);
    } else {
      v.Add(field, ErrorId::kNotUpdatable);
    }
  }
  for (const std::string& path : paths) {
    if (path == "descriptors.status") {
      int status = c.descriptors().status();
      CheckEnum(v, prefix + path, status, true, v1::CaseStatus_IsValid);
      if (status == v1::CASE_STATUS_CLOSED) {
        v.Add(prefix + path, ErrorId::kCloseWithItsAction);
      }
      continue;
    }
    auto d = DescriptorCheckers().find(path);
    if (d != DescriptorCheckers().end()) {
      d->second(c, v, prefix, today);
      continue;
    }
    PersonalDataCheckers().at(path)(c, v, prefix, today);
  }
  bool whole_descriptors = true;
  for (const auto& [p, check] : DescriptorCheckers()) {
    if (!paths.count(p)) whole_descriptors = false;
  }
  if (whole_descriptors) {
    CheckDescriptorConsistency(c.descriptors(), v, prefix);
  }
  return v.ToStatus();
}

absl::Status ValidateGetCase(const v1::GetCaseRequest& request) {
  FieldViolations v;
  CheckCaseName(v, "name", request.name());
  if (!v1::CaseView_IsValid(request.view())) {
    v.Add("view", ErrorId::kViewBasicOrFull);
  }
  if (request.purpose() != 0 && !v1::AccessPurpose_IsValid(request.purpose())) {
    v.Add("purpose", ErrorId::kNotInCatalogue);
  } else if (request.view() == v1::CASE_VIEW_FULL && request.purpose() == 0) {
    v.Add("purpose", ErrorId::kPurposeForFullView);
  }
  return v.ToStatus();
}

absl::Status ValidateListCases(const v1::ListCasesRequest& request) {
  FieldViolations v;
  if (!api::ParseInstitutionName(request.parent())) {
    v.Add("parent", ErrorId::kInstitutionName);
  }
  CheckPaging(v, request.page_size(), request.page_token());
  CheckEnumList(v, "statuses", request.statuses(), v1::CaseStatus_IsValid);
  CheckEnum(v, "kind", request.kind(), false, v1::CaseKind_IsValid);
  CheckEnumList(v, "risk_levels", request.risk_levels(), v1::RiskLevel_IsValid);
  CheckStateCode(v, "state_code", request.state_code(), false);
  CheckAnyDate(v, "reported_from", request.reported_from(), false);
  CheckAnyDate(v, "reported_to", request.reported_to(), false);
  auto from = ToCivilDay(request.reported_from());
  auto to = ToCivilDay(request.reported_to());
  if (from && to && *from > *to) {
    v.Add("reported_to", ErrorId::kNotBeforeStart);
  }
  return v.ToStatus();
}

absl::Status ValidateAddFollowUp(const v1::AddFollowUpRequest& request,
                                 absl::Time now) {
  FieldViolations v;
  CheckCaseName(v, "parent", request.parent());
  CheckRequestId(v, request.request_id());
  if (!request.has_follow_up()) {
    v.Add("follow_up", ErrorId::kRequired);
    return v.ToStatus();
  }
  const v1::FollowUp& f = request.follow_up();
  CheckEnum(v, "follow_up.kind", f.kind(), true, v1::FollowUpKind_IsValid);
  CheckPastTime(v, "follow_up.occur_time", f.has_occur_time(), f.occur_time(),
                now);
  CheckAnyDate(v, "follow_up.next_due_date", f.next_due_date(), false);
  CheckText(v, "follow_up.notes", f.notes(), 0, 20000, Lines::kMulti);
  return v.ToStatus();
}

absl::Status ValidateListFollowUps(const v1::ListFollowUpsRequest& request) {
  FieldViolations v;
  CheckCaseName(v, "parent", request.parent());
  CheckPaging(v, request.page_size(), request.page_token());
  CheckEnum(v, "purpose", request.purpose(), false, v1::AccessPurpose_IsValid);
  return v.ToStatus();
}

absl::Status ValidateAddProtectionMeasure(
    const v1::AddProtectionMeasureRequest& request, absl::CivilDay today) {
  FieldViolations v;
  CheckCaseName(v, "parent", request.parent());
  CheckRequestId(v, request.request_id());
  if (!request.has_protection_measure()) {
    v.Add("protection_measure", ErrorId::kRequired);
    return v.ToStatus();
  }
  const v1::ProtectionMeasure& m = request.protection_measure();
  const std::string p = "protection_measure.";
  CheckEnum(v, p + "type", m.type(), true, v1::ProtectionMeasureType_IsValid);
  CheckEnum(v, p + "status", m.status(), true,
            v1::ProtectionMeasureStatus_IsValid);
  CheckText(v, p + "issuing_authority", m.issuing_authority(), 1, 200);
  CheckDate(v, p + "issue_date", m.issue_date(), true, today);
  // Only an extension needs an expiry: a measure only requested, or in
  // force indefinitely, has none.
  CheckAnyDate(v, p + "expiry_date", m.expiry_date(),
               m.status() == v1::PROTECTION_MEASURE_STATUS_EXTENDED);
  auto issued = ToCivilDay(m.issue_date());
  auto expires = ToCivilDay(m.expiry_date());
  if (issued && expires && *expires < *issued) {
    v.Add(p + "expiry_date", ErrorId::kExpiryBeforeIssue);
  }
  return v.ToStatus();
}

absl::Status ValidateSetProtectionMeasureStatus(
    const v1::SetProtectionMeasureStatusRequest& request) {
  FieldViolations v;
  if (!api::ParseMeasureName(request.name())) {
    v.Add("name", api::ErrorId::kMeasureName);
  }
  CheckEtag(v, "etag", request.etag());
  CheckEnum(v, "status", request.status(), true,
            v1::ProtectionMeasureStatus_IsValid);
  // A new expiry extends a measure, or bounds one coming into force.
  const bool extends =
      request.status() == v1::PROTECTION_MEASURE_STATUS_EXTENDED;
  if (extends || request.status() == v1::PROTECTION_MEASURE_STATUS_IN_FORCE) {
    CheckAnyDate(v, "expiry_date", request.expiry_date(), extends);
  } else if (IsSet(request.expiry_date())) {
    v.Add("expiry_date", api::ErrorId::kExpiryOnlyExtendedOrInForce);
  }
  return v.ToStatus();
}

absl::Status ValidateCloseCase(const v1::CloseCaseRequest& request) {
  FieldViolations v;
  CheckCaseName(v, "name", request.name());
  CheckEtag(v, "etag", request.etag());
  CheckEnum(v, "reason", request.reason(), true, v1::ClosureReason_IsValid);
  return v.ToStatus();
}

absl::Status ValidateReopenCase(const v1::ReopenCaseRequest& request) {
  FieldViolations v;
  CheckCaseName(v, "name", request.name());
  CheckEtag(v, "etag", request.etag());
  return v.ToStatus();
}

absl::Status ValidateEraseCasePersonalData(
    const v1::EraseCasePersonalDataRequest& request) {
  FieldViolations v;
  CheckCaseName(v, "name", request.name());
  CheckEtag(v, "etag", request.etag());
  CheckEnum(v, "reason", request.reason(), true, v1::ErasureReason_IsValid);
  return v.ToStatus();
}

}  // namespace resguardo::cases
