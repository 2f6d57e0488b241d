// The SQL frame of a statistics query: the FROM, JOINs and WHERE of a
// plan over the node's cases, and each dimension's column expression,
// chosen in code from the allow-list (query_plan.h); every filter value is
// a bound parameter.
//
// Thread-safe (pure functions); a SqlBuilder is one query's.
#ifndef RESGUARDO_SERVICES_STATS_INTERNAL_SQL_FRAME_H_
#define RESGUARDO_SERVICES_STATS_INTERNAL_SQL_FRAME_H_

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "resguardo/v1/stats_service.pb.h"
#include "services/stats/query_plan.h"
#include "services/store/statement.h"

namespace resguardo::stats {

// The case_codes dimension number of a multi-valued dimension (0 for
// others).
int CodeDimensionOf(v1::StatsDimension d);

// The column of `cases` holding a multi-valued dimension's codes as a bit
// mask, 1 << code (node_schema.cc migration 7, written by case_store.cc
// with the codes); nullptr when it has none or its catalogue has a code
// the mask cannot hold, and the codes are read from case_codes.
const char* MaskColumnOf(v1::StatsDimension d);

// Whole days from the reported date to the first follow-up or protection
// measure, as SQL over `cases c`; NULL when there is none.
std::string DaysToFirstAction();

// The SQL of one query: text and its bound values, in order (?1, ?2, ...).
class SqlBuilder {
 public:
  std::string Param(int64_t v) {
    params_.emplace_back(v);
    return absl::StrCat("?", params_.size());
  }
  std::string Param(const std::string& v) {
    params_.emplace_back(v);
    return absl::StrCat("?", params_.size());
  }
  absl::Status Bind(store::Statement& s) const {
    for (size_t i = 0; i < params_.size(); ++i) {
      const int index = static_cast<int>(i + 1);
      if (const int64_t* n = std::get_if<int64_t>(&params_[i])) {
        RETURN_IF_ERROR(s.BindInt64(index, *n));
      } else {
        RETURN_IF_ERROR(s.BindText(index, std::get<std::string>(params_[i])));
      }
    }
    return absl::OkStatus();
  }

 private:
  std::vector<std::variant<int64_t, std::string>> params_;
};

// FROM/JOIN/WHERE shared by every statement of a plan; `dims` are the
// SELECT expressions of the plan's dimensions.
struct Frame {
  std::string from;
  std::string where;
  std::vector<std::string> dims;
};

// `stats_index`: the statement reads no column of the cases beyond those
// of the covering index cases_stats (node_schema.cc migration 6: the
// allow-listed descriptors, institution, reported date, id), which it is
// then made to read instead of the table: a tenth of the pages, each of
// which SQLCipher decrypts and authenticates. False when it needs
// person_key.
Frame BuildFrame(const QueryPlan& plan, bool first_code_only, bool stats_index,
                 SqlBuilder& sql);

}  // namespace resguardo::stats

#endif  // RESGUARDO_SERVICES_STATS_INTERNAL_SQL_FRAME_H_
