#include "services/stats/query_plan.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/digits.h"
#include "proto/resguardo/v1/stats_catalogue.h"
#include "resguardo/v1/catalogues.pb.h"
#include "resguardo/v1/referral_service.pb.h"
#include "services/api/error_catalogue.h"
#include "services/api/field_violations.h"

namespace resguardo::stats {
namespace {

constexpr size_t kMaxDimensions = 3;
constexpr size_t kMaxFilters = 8;
constexpr size_t kMaxFilterValues = 64;

// "YYYY-MM" -> yyyymm, 0 if malformed.
int ParseMonth(absl::string_view text) {
  if (text.size() != 7 || text[4] != '-') return 0;
  int year = 0, month = 0;
  if (!IsAllDigits(text.substr(0, 4)) || !IsAllDigits(text.substr(5, 2)) ||
      !absl::SimpleAtoi(text.substr(0, 4), &year) ||
      !absl::SimpleAtoi(text.substr(5, 2), &month) || year < 1900 ||
      year > 2999 || month < 1 || month > 12) {
    return 0;
  }
  return year * 100 + month;
}

std::string DimensionName(v1::StatsDimension d) {
  std::string name = v1::StatsDimension_Name(d);
  constexpr absl::string_view kPrefix = "STATS_DIMENSION_";
  return absl::StartsWith(name, kPrefix) ? name.substr(kPrefix.size()) : name;
}

bool IsPeriod(v1::StatsDimension d) {
  return d == v1::STATS_DIMENSION_MONTH || d == v1::STATS_DIMENSION_QUARTER ||
         d == v1::STATS_DIMENSION_YEAR;
}

}  // namespace

const google::protobuf::EnumDescriptor* EnumOf(v1::StatsDimension d) {
  return StatsDimensionCatalogue(d);
}

bool IsMultiValued(v1::StatsDimension d) {
  return d == v1::STATS_DIMENSION_VIOLENCE_TYPE ||
         d == v1::STATS_DIMENSION_MODALITY ||
         d == v1::STATS_DIMENSION_CONDUCT ||
         d == v1::STATS_DIMENSION_SELF_IDENTIFICATION || ReadsRecords(d);
}

bool ReadsRecords(v1::StatsDimension d) {
  return d == v1::STATS_DIMENSION_REFERRAL_SERVICE ||
         d == v1::STATS_DIMENSION_REFERRAL_OUTCOME ||
         d == v1::STATS_DIMENSION_REFERRAL_STATUS ||
         d == v1::STATS_DIMENSION_FAULT_QUALIFICATION ||
         d == v1::STATS_DIMENSION_SANCTION_TYPE;
}

absl::StatusOr<QueryPlan> PlanQuery(const v1::StatsQueryRequest& request) {
  api::FieldViolations v;
  QueryPlan plan;

  constexpr absl::string_view kInstitutions = "institutions/";
  absl::string_view parent = request.parent();
  if (!absl::StartsWith(parent, kInstitutions) ||
      parent.size() == kInstitutions.size() ||
      parent.find('/', kInstitutions.size()) != absl::string_view::npos) {
    v.Add("parent", api::ErrorId::kInstitutionNameOrAll);
  } else {
    absl::string_view id = parent.substr(kInstitutions.size());
    if (id != "-") {
      if (id.size() > 32 || !std::all_of(id.begin(), id.end(), [](char c) {
            return absl::ascii_isupper(c) || absl::ascii_isdigit(c) || c == '-';
          })) {
        v.Add("parent", api::ErrorId::kInstitutionId);
      }
      plan.institution = std::string(id);
    }
  }

  if (static_cast<size_t>(request.dimensions_size()) > kMaxDimensions) {
    v.Add("dimensions", {api::ErrorId::kAtMostDimensions,
                         {static_cast<int64_t>(kMaxDimensions)}});
  }
  std::set<int> seen;
  for (int i = 0; i < request.dimensions_size(); ++i) {
    v1::StatsDimension d = request.dimensions(i);
    std::string field = absl::StrCat("dimensions[", i, "]");
    if (d == v1::STATS_DIMENSION_UNSPECIFIED ||
        !v1::StatsDimension_IsValid(d)) {
      v.Add(field, api::ErrorId::kNotADimension);
      continue;
    }
    if (!seen.insert(d).second) {
      v.Add(field, api::ErrorId::kRepeatedDimension);
      continue;
    }
    plan.dimensions.push_back(d);
  }
  int periods = 0;
  for (v1::StatsDimension d : plan.dimensions) periods += IsPeriod(d);
  if (periods > 1) v.Add("dimensions", api::ErrorId::kOnePeriodDimension);
  if (seen.count(v1::STATS_DIMENSION_MUNICIPALITY) &&
      seen.count(v1::STATS_DIMENSION_VICTIM_POSITION)) {
    v.Add("dimensions", api::ErrorId::kMunicipalityWithPosition);
  }

  // The same rule through filters: a filter on one municipality and the
  // position as a dimension (or the reverse) is the same crossing.
  {
    bool municipality_filter = false, position_filter = false;
    for (const v1::StatsFilter& f : request.filters()) {
      municipality_filter |= f.dimension() == v1::STATS_DIMENSION_MUNICIPALITY;
      position_filter |= f.dimension() == v1::STATS_DIMENSION_VICTIM_POSITION;
    }
    const bool municipality =
        municipality_filter || seen.count(v1::STATS_DIMENSION_MUNICIPALITY);
    const bool position =
        position_filter || seen.count(v1::STATS_DIMENSION_VICTIM_POSITION);
    if (municipality && position &&
        !(seen.count(v1::STATS_DIMENSION_MUNICIPALITY) &&
          seen.count(v1::STATS_DIMENSION_VICTIM_POSITION))) {
      v.Add("filters", api::ErrorId::kMunicipalityWithPositionFilter);
    }
  }
  if (!request.from_month().empty()) {
    plan.from_month = ParseMonth(request.from_month());
    if (plan.from_month == 0) v.Add("from_month", api::ErrorId::kMonthText);
  }
  if (!request.to_month().empty()) {
    plan.to_month = ParseMonth(request.to_month());
    if (plan.to_month == 0) v.Add("to_month", api::ErrorId::kMonthText);
  }
  if (plan.from_month && plan.to_month && plan.from_month > plan.to_month) {
    v.Add("to_month", api::ErrorId::kNotBeforeStart);
  }

  if (static_cast<size_t>(request.filters_size()) > kMaxFilters) {
    v.Add("filters",
          {api::ErrorId::kAtMostFilters, {static_cast<int64_t>(kMaxFilters)}});
  }
  std::set<int> filtered;
  for (int i = 0; i < request.filters_size(); ++i) {
    const v1::StatsFilter& f = request.filters(i);
    std::string field = absl::StrCat("filters[", i, "]");
    v1::StatsDimension d = f.dimension();
    if (d == v1::STATS_DIMENSION_UNSPECIFIED ||
        !v1::StatsDimension_IsValid(d) || IsPeriod(d)) {
      v.Add(field + ".dimension", api::ErrorId::kNotAFilterDimension);
      continue;
    }
    if (!filtered.insert(d).second) {
      v.Add(field + ".dimension", api::ErrorId::kOneFilterPerDimension);
      continue;
    }
    if (f.values_size() == 0 ||
        static_cast<size_t>(f.values_size()) > kMaxFilterValues) {
      v.Add(field + ".values", {api::ErrorId::kFilterValues,
                                {1, static_cast<int64_t>(kMaxFilterValues)}});
      continue;
    }
    PlannedFilter pf{d, {}, {}};
    const google::protobuf::EnumDescriptor* e = EnumOf(d);
    const std::vector<std::string>& buckets = StatsDimensionBuckets(d);
    for (int j = 0; j < f.values_size(); ++j) {
      const std::string& value = f.values(j);
      std::string vfield = absl::StrCat(field, ".values[", j, "]");
      if (e != nullptr) {
        const google::protobuf::EnumValueDescriptor* ev =
            e->FindValueByName(value);
        if (ev == nullptr) {
          v.Add(vfield, api::ErrorId::kNotInCatalogue);
        } else {
          pf.codes.push_back(ev->number());
        }
      } else if (!buckets.empty()) {
        auto it = std::find(buckets.begin(), buckets.end(), value);
        if (it == buckets.end()) {
          v.Add(vfield, d == v1::STATS_DIMENSION_DAYS_TO_RESOLUTION
                            ? api::ErrorId::kResolutionDaysBucket
                            : api::ErrorId::kDaysBucket);
        } else {
          pf.codes.push_back(it - buckets.begin());
        }
      } else if (d == v1::STATS_DIMENSION_STATE) {
        int n = 0;
        if (value.size() != 2 || !IsAllDigits(value) ||
            !absl::SimpleAtoi(value, &n) || n < 1 || n > 32) {
          v.Add(vfield, api::ErrorId::kStateCode);
        } else {
          pf.texts.push_back(value);
        }
      } else if (d == v1::STATS_DIMENSION_MUNICIPALITY) {
        if (value.size() != 5 || !IsAllDigits(value)) {
          v.Add(vfield, api::ErrorId::kStateMunicipalityCode);
        } else {
          pf.texts.push_back(value);
        }
      }
    }
    std::sort(pf.codes.begin(), pf.codes.end());
    pf.codes.erase(std::unique(pf.codes.begin(), pf.codes.end()),
                   pf.codes.end());
    std::sort(pf.texts.begin(), pf.texts.end());
    pf.texts.erase(std::unique(pf.texts.begin(), pf.texts.end()),
                   pf.texts.end());
    plan.filters.push_back(std::move(pf));
  }
  std::sort(plan.filters.begin(), plan.filters.end(),
            [](const PlannedFilter& a, const PlannedFilter& b) {
              return a.dimension < b.dimension;
            });

  plan.measure = request.measure() == v1::STATS_MEASURE_UNSPECIFIED
                     ? v1::STATS_MEASURE_CASES
                     : request.measure();
  if (!v1::StatsMeasure_IsValid(plan.measure)) {
    v.Add("measure", api::ErrorId::kNotAMeasure);
  }

  const double eps = request.epsilon();
  if (eps != 0) {
    if (!(eps >= 0.01 && eps <= 10)) {
      v.Add("epsilon", api::ErrorId::kEpsilonRange);
    } else {
      plan.epsilon_micro = static_cast<int64_t>(std::llround(eps * 1e6));
      if (plan.measure != v1::STATS_MEASURE_CASES &&
          plan.measure != v1::STATS_MEASURE_DISTINCT_VICTIMS) {
        v.Add("measure", api::ErrorId::kEpsilonMeasure);
      }
      if (seen.count(v1::STATS_DIMENSION_MUNICIPALITY)) {
        v.Add("dimensions", api::ErrorId::kEpsilonMunicipality);
      }
      if (periods > 0 && (plan.from_month == 0 || plan.to_month == 0)) {
        v.Add("from_month", api::ErrorId::kEpsilonMonthsRequired);
      } else if (periods > 0 &&
                 (plan.to_month / 100 - plan.from_month / 100) > 20) {
        v.Add("to_month", {api::ErrorId::kEpsilonYears, {20}});
      }
    }
  }
  if (!v.empty()) return v.ToStatus();

  std::vector<std::string> dims;
  for (v1::StatsDimension d : plan.dimensions) dims.push_back(DimensionName(d));
  std::vector<std::string> filters;
  for (const PlannedFilter& f : plan.filters) {
    std::vector<std::string> values;
    const google::protobuf::EnumDescriptor* e = EnumOf(f.dimension);
    for (int64_t c : f.codes) {
      values.push_back(e != nullptr ? e->FindValueByNumber(c)->name()
                                    : StatsDimensionBuckets(f.dimension)[c]);
    }
    for (const std::string& t : f.texts) values.push_back(t);
    filters.push_back(absl::StrCat(DimensionName(f.dimension), ":",
                                   absl::StrJoin(values, "|")));
  }
  std::string measure = v1::StatsMeasure_Name(plan.measure);
  plan.canonical = absl::StrCat(
      "scope=", plan.institution.empty() ? "-" : plan.institution,
      ";dims=", absl::StrJoin(dims, ","), ";from=", plan.from_month,
      ";to=", plan.to_month, ";filters=", absl::StrJoin(filters, ","),
      ";measure=", measure.substr(std::string("STATS_MEASURE_").size()),
      ";epsilon_micro=", plan.epsilon_micro);
  return plan;
}

}  // namespace resguardo::stats
