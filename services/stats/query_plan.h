// QueryPlan: a StatsQueryRequest checked against the allow-list and put in
// a canonical form. Nothing of the request's text reaches SQL: dimensions
// are enum values mapped to column expressions in code (internal/sql_frame.cc),
// filter values are parsed to catalogue numbers or INEGI codes and bound as
// parameters.
//
// Thread-safe (pure functions).
#ifndef RESGUARDO_SERVICES_STATS_QUERY_PLAN_H_
#define RESGUARDO_SERVICES_STATS_QUERY_PLAN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"
#include "resguardo/v1/stats_service.pb.h"

namespace resguardo::stats {

struct PlannedFilter {
  v1::StatsDimension dimension;
  // Catalogue numbers (enum dimensions, days buckets 0-5), sorted, unique.
  std::vector<int64_t> codes;
  // INEGI codes (STATE, MUNICIPALITY), sorted, unique.
  std::vector<std::string> texts;
};

struct QueryPlan {
  // Empty: every institution of the node ("institutions/-").
  std::string institution;
  std::vector<v1::StatsDimension> dimensions;
  // yyyymm, 0 when unbounded.
  int from_month = 0;
  int to_month = 0;
  // Sorted by dimension.
  std::vector<PlannedFilter> filters;
  v1::StatsMeasure measure = v1::STATS_MEASURE_CASES;
  // Millionths of epsilon; 0 without differential privacy.
  int64_t epsilon_micro = 0;
  // The canonical encoding: equal for queries that mean the same thing,
  // built from allow-listed values only (it is audited and keys releases).
  std::string canonical;
};

// Checks `request`. INVALID_ARGUMENT with a field violation per problem.
absl::StatusOr<QueryPlan> PlanQuery(const v1::StatsQueryRequest& request);

// The catalogue enum of a dimension, null for places, periods and days: its
// (resguardo.v1.stats_catalogue) option (proto/resguardo/v1/stats_catalogue.h).
const google::protobuf::EnumDescriptor* EnumOf(v1::StatsDimension dimension);

// True for the multi-valued dimensions (case_codes, or a case's records).
bool IsMultiValued(v1::StatsDimension dimension);
// True for the multi-valued dimensions read from a case's records rather
// than from case_codes: its referrals (services/referrals' referrals
// table) or the sanctioned persons of its current resolution
// (services/cases' resolutions tables).
bool ReadsRecords(v1::StatsDimension dimension);

}  // namespace resguardo::stats

#endif  // RESGUARDO_SERVICES_STATS_QUERY_PLAN_H_
