#include "services/stats/stats_engine.h"

#include <openssl/sha.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "base/status_macros.h"
#include "crypto/hkdf.h"
#include "resguardo/v1/catalogues.pb.h"
#include "resguardo/v1/referral_service.pb.h"
#include "services/api/field_violations.h"
#include "services/schema/node_schema.h"
#include "services/stats/geometric_noise.h"
#include "services/stats/table_suppressor.h"

namespace resguardo::stats {
namespace {

using v1::StatsDimension;

constexpr int64_t kRecordKeyModulus = 2147483647;  // 2^31 - 1
constexpr double kErrorConfidence = 0.95;
constexpr size_t kMaxPrivateGrid = 250000;

// What a cell's draw is for (each gets its own, independent of the other).
constexpr char kPerturbationDraw[] = "resguardo stats perturbation v2";
constexpr char kMedianDraw[] = "resguardo stats median rank v1";

// 64 pseudo-random bits, a fixed function of a set of cases (its cell key
// mod 2^31 - 1, and for a median the number of values): SHA-256 of
// (purpose, cell key, count). The
// secret is in the cell key (the record keys are keyed); the hash makes
// sets whose cell keys differ by any amount, however small, get unrelated
// draws (the earlier perturbation, a step function of the cell key, gave
// a set and the same set plus one woman's cases the same value most of
// the time, so that their difference was her exact count).
uint64_t CellDraw(absl::string_view purpose, int64_t cell_key, int64_t count) {
  int64_t m = cell_key % kRecordKeyModulus;
  if (m < 0) m += kRecordKeyModulus;
  unsigned char input[64] = {0};
  const size_t p = std::min<size_t>(purpose.size(), 40);
  std::memcpy(input, purpose.data(), p);
  for (int i = 0; i < 8; ++i) {
    input[40 + i] =
        static_cast<unsigned char>(static_cast<uint64_t>(m) >> (56 - 8 * i));
    input[48 + i] = static_cast<unsigned char>(static_cast<uint64_t>(count) >>
                                               (56 - 8 * i));
  }
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(input, sizeof(input), digest);
  uint64_t out = 0;
  for (int i = 0; i < 8; ++i) out = (out << 8) | digest[i];
  return out;
}

// A dimension's value in a row: a number (catalogue values, periods, days
// buckets) or an INEGI code.
struct DimValue {
  int64_t num = 0;
  std::string text;
  bool operator<(const DimValue& o) const {
    return std::tie(num, text) < std::tie(o.num, o.text);
  }
  bool operator==(const DimValue& o) const {
    return num == o.num && text == o.text;
  }
};
using Key = std::vector<DimValue>;

bool IsText(StatsDimension d) {
  return d == v1::STATS_DIMENSION_STATE ||
         d == v1::STATS_DIMENSION_MUNICIPALITY;
}

int CodeDimensionOf(StatsDimension d) {
  switch (d) {
    case v1::STATS_DIMENSION_VIOLENCE_TYPE:
      return static_cast<int>(schema::CodeDimension::kViolenceType);
    case v1::STATS_DIMENSION_MODALITY:
      return static_cast<int>(schema::CodeDimension::kModality);
    case v1::STATS_DIMENSION_CONDUCT:
      return static_cast<int>(schema::CodeDimension::kConduct);
    case v1::STATS_DIMENSION_SELF_IDENTIFICATION:
      return static_cast<int>(schema::CodeDimension::kSelfIdentification);
    default:
      return 0;
  }
}

// The column of `cases` holding a multi-valued dimension's codes as a bit
// mask, 1 << code (node_schema.cc migration 7, written by case_store.cc
// with the codes); nullptr when it has none or its catalogue has a code
// the mask cannot hold, and the codes are read from case_codes.
const char* MaskColumnOf(StatsDimension d) {
  const char* column = nullptr;
  switch (d) {
    case v1::STATS_DIMENSION_VIOLENCE_TYPE:
      column = "c.violence_mask";
      break;
    case v1::STATS_DIMENSION_MODALITY:
      column = "c.modality_mask";
      break;
    case v1::STATS_DIMENSION_CONDUCT:
      column = "c.conduct_mask";
      break;
    case v1::STATS_DIMENSION_SELF_IDENTIFICATION:
      column = "c.self_identification_mask";
      break;
    default:
      return nullptr;
  }
  const google::protobuf::EnumDescriptor* e = EnumOf(d);
  if (e == nullptr) return nullptr;
  for (int i = 0; i < e->value_count(); ++i) {
    if (e->value(i)->number() < 0 || e->value(i)->number() > 62) return nullptr;
  }
  return column;
}

// yyyymmdd -> days since 1970-01-01, in SQL.
std::string EpochDay(absl::string_view yyyymmdd) {
  return absl::StrCat("CAST(julianday(printf('%04d-%02d-%02d', ", yyyymmdd,
                      " / 10000, ", yyyymmdd, " / 100 % 100, ", yyyymmdd,
                      " % 100)) - 2440587.5 AS INTEGER)");
}

// Whole days from the reported date to the first follow-up or protection
// measure; NULL when there is none.
std::string DaysToFirstAction() {
  const std::string follow_up =
      "(SELECT MIN(f.occur_time) / 86400000000 FROM follow_ups f "
      "WHERE f.case_id = c.id)";
  const std::string measure =
      absl::StrCat("(SELECT ", EpochDay("MIN(p.issue_date)"),
                   " FROM protection_measures p WHERE p.case_id = c.id)");
  const std::string first =
      absl::StrCat("MIN(COALESCE(", follow_up, ", 1000000000), COALESCE(",
                   measure, ", 1000000000))");
  return absl::StrCat("NULLIF(", first, ", 1000000000) - ",
                      EpochDay("c.reported_date"));
}

// A referral dimension as rows (f.case_id, code): the FROM and WHERE over
// the referrals table (services/referrals, alias f) and the code expression.
struct ReferralRows {
  std::string from;
  std::string where;
  std::string code;
};

ReferralRows ReferralRowsOf(StatsDimension d) {
  switch (d) {
    case v1::STATS_DIMENSION_REFERRAL_SERVICE: {
      // services is a bit mask, 1 << ReferralServiceKind.
      std::vector<std::string> kinds;
      const auto* e = v1::ReferralServiceKind_descriptor();
      for (int i = 0; i < e->value_count(); ++i) {
        if (e->value(i)->number() > 0) {
          kinds.push_back(
              absl::StrCat("SELECT ", e->value(i)->number(), " AS s"));
        }
      }
      return {absl::StrCat("referrals f JOIN (",
                           absl::StrJoin(kinds, " UNION ALL "),
                           ") k ON (f.services >> k.s) & 1 = 1"),
              "1", "k.s"};
    }
    case v1::STATS_DIMENSION_REFERRAL_OUTCOME:
      return {"referrals f",
              absl::StrCat("f.status = ", v1::REFERRAL_STATUS_COMPLETED,
                           " AND f.outcome != 0"),
              "f.outcome"};
    default:
      return {"referrals f", "1", "f.status"};
  }
}

std::string DaysBucket() {
  const std::string days = DaysToFirstAction();
  return absl::StrCat("(CASE WHEN (", days, ") IS NULL THEN 0 WHEN (", days,
                      ") <= 0 THEN 1 WHEN (", days, ") <= 2 THEN 2 WHEN (",
                      days, ") <= 7 THEN 3 WHEN (", days,
                      ") <= 30 THEN 4 ELSE 5 END)");
}

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
                 SqlBuilder& sql) {
  Frame f;
  f.from = stats_index ? "cases c INDEXED BY cases_stats" : "cases c";
  bool join_institution = false;
  int joins = 0;
  for (StatsDimension d : plan.dimensions) {
    std::string e;
    switch (d) {
      case v1::STATS_DIMENSION_MONTH:
        e = "c.reported_date / 100";
        break;
      case v1::STATS_DIMENSION_QUARTER:
        e = "(c.reported_date / 10000) * 10 + "
            "((c.reported_date / 100 % 100) + 2) / 3";
        break;
      case v1::STATS_DIMENSION_YEAR:
        e = "c.reported_date / 10000";
        break;
      case v1::STATS_DIMENSION_STATE:
        e = "c.state_code";
        break;
      case v1::STATS_DIMENSION_MUNICIPALITY:
        e = "c.state_code || c.municipality_code";
        break;
      case v1::STATS_DIMENSION_CASE_KIND:
        e = "c.kind";
        break;
      case v1::STATS_DIMENSION_VICTIM_POSITION:
        e = "c.victim_position";
        break;
      case v1::STATS_DIMENSION_AGE_BAND:
        e = "c.victim_age_band";
        break;
      case v1::STATS_DIMENSION_RISK_LEVEL:
        e = "c.risk_level";
        break;
      case v1::STATS_DIMENSION_STATUS:
        e = "c.status";
        break;
      case v1::STATS_DIMENSION_DAYS_TO_FIRST_ACTION:
        e = DaysBucket();
        break;
      case v1::STATS_DIMENSION_INSTITUTION_KIND:
        join_institution = true;
        e = "i.kind";
        break;
      case v1::STATS_DIMENSION_REFERRAL_SERVICE:
      case v1::STATS_DIMENSION_REFERRAL_OUTCOME:
      case v1::STATS_DIMENSION_REFERRAL_STATUS: {
        // Multi-valued over the case's referrals: the distinct codes of the
        // case, joined like case_codes (a derived table SQLite builds once
        // and indexes by case_id).
        const ReferralRows rows = ReferralRowsOf(d);
        if (first_code_only) {
          e = absl::StrCat("COALESCE((SELECT MIN(", rows.code, ") FROM ",
                           rows.from, " WHERE f.case_id = c.id AND ",
                           rows.where, "), 0)");
        } else {
          const std::string alias = absl::StrCat("rf", joins++);
          absl::StrAppend(&f.from,
                          " LEFT JOIN (SELECT DISTINCT f.case_id AS "
                          "case_id, ",
                          rows.code, " AS code FROM ", rows.from, " WHERE ",
                          rows.where, ") ", alias, " ON ", alias,
                          ".case_id = c.id");
          e = absl::StrCat("COALESCE(", alias, ".code, 0)");
        }
        break;
      }
      default: {
        // Multi-valued: one row per recorded value; "not recorded" (0)
        // when the case has none.
        const std::string alias = absl::StrCat("cc", joins++);
        absl::StrAppend(&f.from, " LEFT JOIN case_codes ", alias, " ON ", alias,
                        ".case_id = c.id AND ", alias,
                        ".dimension = ", CodeDimensionOf(d));
        if (first_code_only)
          absl::StrAppend(&f.from, " AND ", alias, ".position = 0");
        e = absl::StrCat("COALESCE(", alias, ".code, 0)");
      }
    }
    f.dims.push_back(e);
  }
  if (join_institution) {
    absl::StrAppend(&f.from, " JOIN institutions i ON i.id = c.institution");
  }

  std::vector<std::string> where;
  if (!plan.institution.empty()) {
    where.push_back(
        absl::StrCat("c.institution = ", sql.Param(plan.institution)));
  }
  // Without the covering index: a range of a few months is read through
  // the index on reported_date;
  // a wider one is cheaper as one sequential scan of the table (every row
  // fetched through the index costs a random page, decrypted and
  // authenticated by SQLCipher: ten times the scan at a million cases).
  // The unary + keeps SQLite's planner, which has no statistics, off the
  // index.
  const bool narrow =
      plan.from_month != 0 && plan.to_month != 0 &&
      (plan.to_month / 100 * 12 + plan.to_month % 100) -
              (plan.from_month / 100 * 12 + plan.from_month % 100) <
          3;
  const std::string date =
      narrow || stats_index ? "c.reported_date" : "+c.reported_date";
  if (plan.from_month != 0) {
    where.push_back(
        absl::StrCat(date, " >= ", sql.Param(int64_t{plan.from_month} * 100)));
  }
  if (plan.to_month != 0) {
    where.push_back(absl::StrCat(
        date, " <= ", sql.Param(int64_t{plan.to_month} * 100 + 99)));
  }
  for (const PlannedFilter& pf : plan.filters) {
    std::vector<std::string> list;
    for (int64_t code : pf.codes) list.push_back(sql.Param(code));
    for (const std::string& t : pf.texts) list.push_back(sql.Param(t));
    const std::string in =
        absl::StrCat(" IN (", absl::StrJoin(list, ", "), ")");
    switch (pf.dimension) {
      case v1::STATS_DIMENSION_STATE:
        where.push_back(absl::StrCat("c.state_code", in));
        break;
      case v1::STATS_DIMENSION_MUNICIPALITY:
        where.push_back(
            absl::StrCat("c.state_code || c.municipality_code", in));
        break;
      case v1::STATS_DIMENSION_CASE_KIND:
        where.push_back(absl::StrCat("c.kind", in));
        break;
      case v1::STATS_DIMENSION_VICTIM_POSITION:
        where.push_back(absl::StrCat("c.victim_position", in));
        break;
      case v1::STATS_DIMENSION_AGE_BAND:
        where.push_back(absl::StrCat("c.victim_age_band", in));
        break;
      case v1::STATS_DIMENSION_RISK_LEVEL:
        where.push_back(absl::StrCat("c.risk_level", in));
        break;
      case v1::STATS_DIMENSION_STATUS:
        where.push_back(absl::StrCat("c.status", in));
        break;
      case v1::STATS_DIMENSION_DAYS_TO_FIRST_ACTION:
        where.push_back(absl::StrCat(DaysBucket(), in));
        break;
      case v1::STATS_DIMENSION_INSTITUTION_KIND:
        where.push_back(absl::StrCat(
            "(SELECT kind FROM institutions WHERE id = c.institution)", in));
        break;
      case v1::STATS_DIMENSION_REFERRAL_SERVICE:
      case v1::STATS_DIMENSION_REFERRAL_OUTCOME:
      case v1::STATS_DIMENSION_REFERRAL_STATUS: {
        const ReferralRows rows = ReferralRowsOf(pf.dimension);
        const std::string base =
            absl::StrCat("SELECT 1 FROM ", rows.from,
                         " WHERE f.case_id = c.id AND ", rows.where);
        std::string has =
            absl::StrCat("EXISTS (", base, " AND ", rows.code, in, ")");
        if (std::binary_search(pf.codes.begin(), pf.codes.end(), 0)) {
          has = absl::StrCat("(", has, " OR NOT EXISTS (", base, "))");
        }
        where.push_back(has);
        break;
      }
      default: {
        const int dim = CodeDimensionOf(pf.dimension);
        std::string has = absl::StrCat(
            "EXISTS (SELECT 1 FROM case_codes f WHERE f.case_id = c.id AND "
            "f.dimension = ",
            dim, " AND f.code", in, ")");
        if (std::binary_search(pf.codes.begin(), pf.codes.end(), 0)) {
          has = absl::StrCat(
              "(", has,
              " OR NOT EXISTS (SELECT 1 FROM case_codes f WHERE f.case_id = "
              "c.id AND f.dimension = ",
              dim, "))");
        }
        where.push_back(has);
      }
    }
  }
  f.where = where.empty() ? "1" : absl::StrJoin(where, " AND ");
  return f;
}

absl::StatusOr<DimValue> ReadDim(const store::Statement& s, int column,
                                 StatsDimension d) {
  DimValue v;
  if (IsText(d)) {
    ASSIGN_OR_RETURN(absl::string_view t, s.ColumnText(column));
    v.text = std::string(t);
  } else {
    ASSIGN_OR_RETURN(v.num, s.ColumnInt64(column));
  }
  return v;
}

std::string Label(StatsDimension d, const DimValue& v) {
  switch (d) {
    case v1::STATS_DIMENSION_MONTH:
      return absl::StrFormat("%04d-%02d", v.num / 100, v.num % 100);
    case v1::STATS_DIMENSION_QUARTER:
      return absl::StrFormat("%04d-Q%d", v.num / 10, v.num % 10);
    case v1::STATS_DIMENSION_YEAR:
      return absl::StrCat(v.num);
    case v1::STATS_DIMENSION_DAYS_TO_FIRST_ACTION:
      return v.num >= 0 && v.num < 6 ? kDaysBuckets[v.num] : "?";
    default:
      break;
  }
  if (IsText(d)) return v.text;
  const google::protobuf::EnumDescriptor* e = EnumOf(d);
  const google::protobuf::EnumValueDescriptor* ev =
      e == nullptr ? nullptr : e->FindValueByNumber(static_cast<int>(v.num));
  return ev != nullptr ? ev->name() : absl::StrCat(v.num);
}

}  // namespace

// A table's axes: each dimension's grid values, sorted, and the index of
// each (declared in stats_engine.h for CountByHash).
struct Axes {
  std::vector<std::vector<DimValue>> values;
  std::vector<std::map<DimValue, int>> index;
};

namespace {

void IndexAxes(Axes& axes) {
  axes.index.assign(axes.values.size(), {});
  for (size_t d = 0; d < axes.values.size(); ++d) {
    std::vector<DimValue>& v = axes.values[d];
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    for (size_t i = 0; i < v.size(); ++i) {
      axes.index[d].emplace(v[i], static_cast<int>(i));
    }
  }
}

// Adds to the grid the values of `cells` it lacks. Only data the case
// validator refuses (a required field left "not recorded" by an old
// import, a state code out of 01-32) can be missing: without it the cells
// would not add up to the total.
template <typename Map>
void AddMissing(Axes& axes, const Map& cells) {
  bool added = false;
  for (const auto& [key, unused] : cells) {
    for (size_t d = 0; d < axes.values.size(); ++d) {
      if (axes.index[d].count(key[d]) == 0) {
        axes.values[d].push_back(key[d]);
        axes.index[d].emplace(key[d], -1);
        added = true;
      }
    }
  }
  if (added) IndexAxes(axes);
}

// Calls fn(cell index, key) for every cell of the grid, row-major.
template <typename Fn>
void ForEachCell(const Axes& axes, Fn fn) {
  const size_t n = axes.values.size();
  size_t size = 1;
  for (const auto& v : axes.values) size *= v.size();
  std::vector<size_t> idx(n, 0);
  Key key(n);
  for (size_t c = 0; c < size; ++c) {
    for (size_t d = 0; d < n; ++d) key[d] = axes.values[d][idx[d]];
    fn(c, key);
    for (size_t d = n; d-- > 0;) {
      if (++idx[d] < axes.values[d].size()) break;
      idx[d] = 0;
    }
  }
}

// The row-major index of `key` in the grid.
size_t CellIndex(const Axes& axes, const Key& key) {
  size_t index = 0;
  for (size_t d = 0; d < axes.values.size(); ++d) {
    index = index * axes.values[d].size() +
            static_cast<size_t>(axes.index[d].at(key[d]));
  }
  return index;
}

void SetCell(v1::StatsCell* cell, const QueryPlan& plan, const Key* key,
             int only_dim, const DimValue* only_value) {
  for (size_t d = 0; d < plan.dimensions.size(); ++d) {
    if (key != nullptr) {
      cell->add_values(Label(plan.dimensions[d], (*key)[d]));
    } else if (static_cast<int>(d) == only_dim) {
      cell->add_values(Label(plan.dimensions[d], *only_value));
    } else {
      cell->add_values("");
    }
  }
}

struct Count {
  int64_t value = 0;
  int64_t cell_key = 0;
};

int64_t Released(const Count& c, int64_t k, bool perturb) {
  if (!perturb) return c.value;
  return std::max<int64_t>(c.value + CellKeyPerturbation(c.cell_key), k);
}

// The refusal of a query whose whole population is below k. It names no
// value: only the threshold and what the population counts.
absl::Status PopulationBelowK(int64_t k, absl::string_view what) {
  return absl::FailedPreconditionError(absl::StrCat(
      "the query's population is below the threshold k = ", k, " (", what,
      "): nothing is released; widen the filters or the months"));
}

// Suppression, perturbation and assembly of a count table over the grid
// `axes` (every combination listed, zeros included).
v1::StatsQueryResponse CountAnswer(const QueryPlan& plan, Axes axes,
                                   const std::map<Key, Count>& cells, int64_t k,
                                   bool perturb) {
  v1::StatsQueryResponse out;
  const size_t n = plan.dimensions.size();
  for (StatsDimension d : plan.dimensions) out.add_dimensions(d);
  out.set_measure(plan.measure);
  out.mutable_privacy()->set_k(static_cast<uint32_t>(k));
  out.mutable_privacy()->set_perturbation_max(perturb ? 2 : 0);
  AddMissing(axes, cells);
  Table table;
  size_t size = 1;
  for (size_t d = 0; d < n; ++d) {
    table.sizes.push_back(static_cast<int>(axes.values[d].size()));
    size *= axes.values[d].size();
  }
  std::vector<Count> grid(size);
  table.counts.assign(size, 0);
  for (const auto& [key, count] : cells) {
    const size_t c = CellIndex(axes, key);
    grid[c] = count;
    table.counts[c] = count.value;
  }
  std::vector<std::vector<Count>> margin_counts(n);
  for (size_t d = 0; d < n; ++d) margin_counts[d].resize(axes.values[d].size());
  Count total;
  ForEachCell(axes, [&](size_t c, const Key& key) {
    for (size_t d = 0; d < n; ++d) {
      Count& m = margin_counts[d][axes.index[d].at(key[d])];
      m.value += grid[c].value;
      m.cell_key += grid[c].cell_key;
    }
    total.value += grid[c].value;
    total.cell_key += grid[c].cell_key;
  });
  // A one-way total that sums over a multi-valued dimension counts
  // mentions, not women: one woman with five conducts makes a row total of
  // 5 >= k. Such totals are withheld before the suppression, which then
  // uses them as unknowns. The grand total stands on the whole population,
  // at least k cases (the caller refuses less).
  SuppressOptions options;
  options.k = k;
  if (n == 2) {
    options.forced_margins.resize(2);
    for (size_t d = 0; d < 2; ++d) {
      options.forced_margins[d].assign(axes.values[d].size(),
                                       IsMultiValued(plan.dimensions[1 - d]));
    }
  }
  const Suppression s = Suppress(table, options);
  ForEachCell(axes, [&](size_t c, const Key& key) {
    v1::StatsCell* cell = out.add_cells();
    SetCell(cell, plan, &key, -1, nullptr);
    if (s.cells[c]) {
      cell->set_suppressed(true);
    } else {
      cell->set_count(Released(grid[c], k, perturb));
    }
  });
  if (n == 2) {
    for (size_t d = 0; d < n; ++d) {
      for (size_t i = 0; i < axes.values[d].size(); ++i) {
        v1::StatsCell* cell = out.add_margins();
        SetCell(cell, plan, nullptr, static_cast<int>(d), &axes.values[d][i]);
        if (s.margins[d][i]) {
          cell->set_suppressed(true);
        } else {
          cell->set_count(Released(margin_counts[d][i], k, perturb));
        }
      }
    }
  }
  SetCell(out.mutable_total(), plan, nullptr, -1, nullptr);
  if (s.total) {
    out.mutable_total()->set_suppressed(true);
  } else {
    out.mutable_total()->set_count(Released(total, k, perturb));
  }
  out.set_information_loss(s.information_loss);
  out.set_suppression_budget_exhausted(s.exhausted);
  return out;
}

// A noisy median of the `n` values of `histogram` (value -> how many):
// the value at a rank drawn from the central half of the sorted values
// (ranks floor(n/4) .. ceil(3n/4) - 1, always including the middle), the
// draw a fixed function of the set of cases (its cell key and size). An
// exact median of a set and of the same set plus one case tells on which
// side of it that case's value lies; this one moves towards that side only
// a little more often than chance (about 0.6 of its moves on 5-9 values,
// 0.55 on 10-30: stats_engine_test MedianDirectionIsNearChance), and
// repeating the query gives the same value.
double NoisyMedian(const std::map<int64_t, int64_t>& histogram, int64_t n,
                   int64_t cell_key) {
  int64_t lo = n / 4;
  int64_t hi = (3 * n + 3) / 4 - 1;
  lo = std::min(lo, (n - 1) / 2);
  hi = std::max(hi, n / 2);
  const uint64_t width = static_cast<uint64_t>(hi - lo + 1);
  const int64_t rank =
      lo + static_cast<int64_t>(CellDraw(kMedianDraw, cell_key, n) % width);
  int64_t seen = 0;
  for (const auto& [days, count] : histogram) {
    seen += count;
    if (seen > rank) return static_cast<double>(days);
  }
  return static_cast<double>(histogram.rbegin()->first);
}

// `support`: how many distinct cases stand behind the median (-1: one per
// value). Withheld below k.
void SetMedian(v1::StatsCell* cell, const std::map<int64_t, int64_t>& h,
               int64_t k, int64_t support, int64_t cell_key) {
  int64_t n = 0;
  for (const auto& [unused, c] : h) n += c;
  if ((support >= 0 ? support : n) < k || n == 0) {
    cell->set_suppressed(true);
  } else {
    cell->set_median_days(NoisyMedian(h, n, cell_key));
  }
}

// The data-independent values of a dimension under differential privacy.
std::vector<DimValue> Domain(const QueryPlan& plan, StatsDimension d) {
  std::vector<DimValue> out;
  const PlannedFilter* filter = nullptr;
  for (const PlannedFilter& f : plan.filters) {
    if (f.dimension == d) filter = &f;
  }
  auto add_num = [&](int64_t v) {
    if (filter != nullptr &&
        !std::binary_search(filter->codes.begin(), filter->codes.end(), v)) {
      return;
    }
    out.push_back(DimValue{v, ""});
  };
  switch (d) {
    case v1::STATS_DIMENSION_MONTH:
    case v1::STATS_DIMENSION_QUARTER:
    case v1::STATS_DIMENSION_YEAR: {
      std::vector<int64_t> values;
      for (int m = plan.from_month; m <= plan.to_month;
           m = (m % 100 == 12) ? (m / 100 + 1) * 100 + 1 : m + 1) {
        int64_t v = d == v1::STATS_DIMENSION_MONTH ? m
                    : d == v1::STATS_DIMENSION_QUARTER
                        ? (m / 100) * 10 + ((m % 100) + 2) / 3
                        : m / 100;
        if (values.empty() || values.back() != v) values.push_back(v);
      }
      for (int64_t v : values) out.push_back(DimValue{v, ""});
      return out;
    }
    case v1::STATS_DIMENSION_STATE:
      for (int s = 1; s <= 32; ++s) {
        std::string code = absl::StrFormat("%02d", s);
        if (filter == nullptr ||
            std::binary_search(filter->texts.begin(), filter->texts.end(),
                               code)) {
          out.push_back(DimValue{0, code});
        }
      }
      return out;
    case v1::STATS_DIMENSION_DAYS_TO_FIRST_ACTION:
      for (int b = 0; b < 6; ++b) add_num(b);
      return out;
    default: {
      const google::protobuf::EnumDescriptor* e = EnumOf(d);
      if (e == nullptr) return out;
      // "Not recorded" is no category of a field every case must have
      // (case_validator.cc requires kind and risk level; the node sets the
      // status; every institution has a kind): a zero there is structural
      // and says nothing about anyone.
      const bool required = d == v1::STATS_DIMENSION_CASE_KIND ||
                            d == v1::STATS_DIMENSION_RISK_LEVEL ||
                            d == v1::STATS_DIMENSION_STATUS ||
                            d == v1::STATS_DIMENSION_INSTITUTION_KIND;
      for (int i = 0; i < e->value_count(); ++i) {
        if (required && e->value(i)->number() == 0) continue;
        add_num(e->value(i)->number());
      }
      return out;
    }
  }
}

// The grid of a count or median table: every dimension's values, fixed
// by the query and by the node's data as a whole, never by the filtered
// population: catalogue values (those of a filter on the same dimension,
// for a single-valued one), states 01-32, the months asked (or the node's
// first to last month of report when unbounded), the municipalities
// present in the node's cases (of the filtered states, if a state filter).
// INVALID_ARGUMENT naming the dimension that takes the table past
// kMaxCells.
absl::StatusOr<Axes> Grid(store::ReadTxn& txn, const QueryPlan& plan) {
  Axes axes;
  size_t cells = 1;
  for (size_t i = 0; i < plan.dimensions.size(); ++i) {
    const StatsDimension d = plan.dimensions[i];
    QueryPlan scope = plan;
    if (IsMultiValued(d)) {
      // A case kept by a filter on violence type counts under all its
      // types, not only the filtered ones.
      scope.filters.erase(
          std::remove_if(
              scope.filters.begin(), scope.filters.end(),
              [&](const PlannedFilter& f) { return f.dimension == d; }),
          scope.filters.end());
    }
    std::vector<DimValue> values;
    const bool period = d == v1::STATS_DIMENSION_MONTH ||
                        d == v1::STATS_DIMENSION_QUARTER ||
                        d == v1::STATS_DIMENSION_YEAR;
    if (period && (plan.from_month == 0 || plan.to_month == 0)) {
      ASSIGN_OR_RETURN(store::Statement s,
                       txn.Prepare("SELECT MIN(reported_date) / 100, "
                                   "MAX(reported_date) / 100 FROM cases"));
      ASSIGN_OR_RETURN(bool row, s.Step());
      if (row && !s.ColumnIsNull(0)) {
        ASSIGN_OR_RETURN(int64_t first, s.ColumnInt64(0));
        ASSIGN_OR_RETURN(int64_t last, s.ColumnInt64(1));
        if (scope.from_month == 0) scope.from_month = static_cast<int>(first);
        if (scope.to_month == 0) scope.to_month = static_cast<int>(last);
        values = Domain(scope, d);
      }
    } else if (d == v1::STATS_DIMENSION_MUNICIPALITY) {
      const PlannedFilter* own = nullptr;
      const PlannedFilter* states = nullptr;
      for (const PlannedFilter& f : plan.filters) {
        if (f.dimension == v1::STATS_DIMENSION_MUNICIPALITY) own = &f;
        if (f.dimension == v1::STATS_DIMENSION_STATE) states = &f;
      }
      if (own != nullptr) {
        for (const std::string& t : own->texts) values.push_back({0, t});
      } else {
        SqlBuilder sql;
        std::string text =
            "SELECT DISTINCT state_code || municipality_code FROM cases";
        if (states != nullptr) {
          std::vector<std::string> list;
          for (const std::string& t : states->texts) {
            list.push_back(sql.Param(t));
          }
          absl::StrAppend(&text, " WHERE state_code IN (",
                          absl::StrJoin(list, ", "), ")");
        }
        ASSIGN_OR_RETURN(store::Statement s, txn.Prepare(text));
        RETURN_IF_ERROR(sql.Bind(s));
        while (true) {
          ASSIGN_OR_RETURN(bool row, s.Step());
          if (!row) break;
          ASSIGN_OR_RETURN(absl::string_view t, s.ColumnText(0));
          values.push_back({0, std::string(t)});
          if (values.size() > kMaxCells) break;
        }
      }
    } else {
      values = Domain(scope, d);
    }
    cells *= std::max<size_t>(values.size(), 1);
    if (cells > kMaxCells) {
      api::FieldViolations v;
      v.Add(absl::StrCat("dimensions[", i, "]"),
            absl::StrCat("a table may have at most ", kMaxCells,
                         " cells and this dimension takes it past them; use "
                         "fewer dimensions, a coarser period, fewer months "
                         "or a filter"));
      return v.ToStatus();
    }
    axes.values.push_back(std::move(values));
  }
  IndexAxes(axes);
  return axes;
}

}  // namespace

int CellKeyPerturbation(int64_t cell_key) {
  // The top 53 bits of the draw as a uniform in [0, 1).
  const double u =
      static_cast<double>(CellDraw(kPerturbationDraw, cell_key, 0) >> 11) /
      9007199254740992.0;
  if (u < 0.1) return -2;
  if (u < 0.3) return -1;
  if (u < 0.7) return 0;
  if (u < 0.9) return 1;
  return 2;
}

absl::StatusOr<std::unique_ptr<StatsEngine>> StatsEngine::New(
    const crypto::KeyProvider& keys, const Clock* clock, Options options) {
  if (options.k < 3) {
    return absl::InvalidArgumentError("statistics.k must be at least 3");
  }
  if (!(options.epsilon_budget > 0) ||
      !(options.institution_epsilon_budget > 0) ||
      !(options.institution_epsilon_lifetime > 0) ||
      !(options.node_epsilon_lifetime > 0)) {
    return absl::InvalidArgumentError(
        "statistics epsilon budgets must be positive");
  }
  if (options.queries_per_analyst < 0 || options.queries_per_institution < 0 ||
      options.institution_query_lifetime < 0) {
    return absl::InvalidArgumentError(
        "statistics query allowances must not be negative");
  }
  if (options.release_months != 1 && options.release_months != 3 &&
      options.release_months != 12) {
    return absl::InvalidArgumentError(
        "release period must be 1, 3 or 12 months");
  }
  ASSIGN_OR_RETURN(crypto::SecretData pseudonym,
                   keys.DeriveKey(crypto::KeyPurpose::kPseudonym));
  ASSIGN_OR_RETURN(
      crypto::SecretData derived,
      crypto::HkdfSha256(pseudonym, "", "resguardo stats cell-key v1", 8));
  uint32_t a = 0, b = 0;
  // The record-key secret is a pseudonymisation parameter, not an
  // encryption key: its bytes leave the SecretData only to be bound into
  // the statistics SQL.
  const absl::string_view raw = derived.UnsafeRawBytes();
  std::memcpy(&a, raw.data(), 4);
  std::memcpy(&b, raw.data() + 4, 4);
  const int64_t key_a = (int64_t{a} % (kRecordKeyModulus - 2)) + 1;
  const int64_t key_b = int64_t{b} % kRecordKeyModulus;
  return std::unique_ptr<StatsEngine>(
      new StatsEngine(clock, options, key_a, key_b));
}

std::string StatsEngine::ReleaseOf(absl::Time t) const {
  const absl::CivilMonth m = absl::ToCivilMonth(t, absl::UTCTimeZone());
  switch (options_.release_months) {
    case 1:
      return absl::StrFormat("%04d-%02d", m.year(), m.month());
    case 12:
      return absl::StrFormat("%04d", m.year());
    default:
      return absl::StrFormat("%04d-Q%d", m.year(), (m.month() + 2) / 3);
  }
}

absl::Status StatsEngine::CheckScope(store::ReadTxn& txn,
                                     const auth::Principal& caller,
                                     const QueryPlan& plan) const {
  if (plan.institution == caller.institution) return absl::OkStatus();
  ASSIGN_OR_RETURN(bool oversight, auth::IsOversight(txn, caller.institution));
  if (oversight) return absl::OkStatus();
  return absl::PermissionDeniedError(
      "only analysts of an oversight institution may query statistics "
      "beyond their own institution");
}

absl::StatusOr<v1::StatsQueryResponse> StatsEngine::Query(
    store::ReadTxn& txn, const QueryPlan& plan) const {
  // The grid first: a table past the cap costs no scan.
  ASSIGN_OR_RETURN(Axes axes, Grid(txn, plan));
  SqlBuilder sql;
  const Frame f = BuildFrame(
      plan, /*first_code_only=*/false,
      /*stats_index=*/plan.measure != v1::STATS_MEASURE_DISTINCT_VICTIMS, sql);
  const size_t n = plan.dimensions.size();
  std::vector<std::string> group;
  for (size_t d = 0; d < n; ++d) group.push_back(absl::StrCat(d + 1));

  if (plan.measure == v1::STATS_MEASURE_MEDIAN_DAYS_TO_FIRST_ACTION ||
      plan.measure == v1::STATS_MEASURE_MEDIAN_DAYS_TO_REFERRAL_ACCEPTANCE) {
    // Acceptance: one value per accepted referral (whole days from its
    // creation to its acceptance); a median stands on the distinct cases
    // behind it, so one woman's many referrals never make a cell of k.
    const bool referral =
        plan.measure == v1::STATS_MEASURE_MEDIAN_DAYS_TO_REFERRAL_ACCEPTANCE;
    std::string from = f.from;
    std::vector<std::string> select = f.dims;
    if (referral) {
      absl::StrAppend(&from,
                      " JOIN referrals ra ON ra.case_id = c.id AND "
                      "ra.accept_time > 0");
      select.push_back(
          "(ra.accept_time - ra.create_time) / 86400000000 AS days");
    } else {
      select.push_back(absl::StrCat("(", DaysToFirstAction(), ") AS days"));
    }
    // Support is counted in distinct cases whenever a case can stand
    // behind several values of a median: her referrals, or her several
    // values of a multi-valued dimension, which put her once in each cell
    // and then again in a one-way total and the grand total (three cases
    // with two violence types each must not make a total of 6 >= k).
    bool per_case = referral;
    for (StatsDimension d : plan.dimensions) per_case |= IsMultiValued(d);
    select.push_back("COUNT(*)");
    select.push_back(per_case ? "c.id" : "0");
    select.push_back(absl::StrCat("SUM((c.id * ", sql.Param(key_a_), " + ",
                                  sql.Param(key_b_), ") % ", kRecordKeyModulus,
                                  ")"));
    group.push_back(absl::StrCat(n + 1));
    if (per_case) group.push_back(absl::StrCat(n + 3));
    const std::string text = absl::StrCat(
        "SELECT ", absl::StrJoin(select, ", "), " FROM ", from, " WHERE ",
        f.where, " GROUP BY ", absl::StrJoin(group, ", "));
    ASSIGN_OR_RETURN(store::Statement s, txn.Prepare(text));
    RETURN_IF_ERROR(sql.Bind(s));
    std::map<Key, std::map<int64_t, int64_t>> cells;
    std::map<Key, std::set<int64_t>> cases;
    // The cell key of each cell's values (the sum of their cases' record
    // keys), which draws its median's rank.
    std::map<Key, int64_t> cell_keys;
    while (true) {
      ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      if (s.ColumnIsNull(static_cast<int>(n))) continue;  // No action yet.
      Key key;
      for (size_t d = 0; d < n; ++d) {
        ASSIGN_OR_RETURN(DimValue v,
                         ReadDim(s, static_cast<int>(d), plan.dimensions[d]));
        key.push_back(std::move(v));
      }
      ASSIGN_OR_RETURN(int64_t days, s.ColumnInt64(static_cast<int>(n)));
      ASSIGN_OR_RETURN(int64_t count, s.ColumnInt64(static_cast<int>(n + 1)));
      if (per_case) {
        ASSIGN_OR_RETURN(int64_t case_id,
                         s.ColumnInt64(static_cast<int>(n + 2)));
        cases[key].insert(case_id);
      }
      ASSIGN_OR_RETURN(int64_t record_keys,
                       s.ColumnInt64(static_cast<int>(n + 3)));
      cell_keys[key] += record_keys;
      cells[key][days] += count;
    }
    // How many distinct cases stand behind a cell, a one-way total or the
    // total (-1 for first action: one value per case).
    auto support = [&](const std::vector<const std::set<int64_t>*>& sets) {
      if (!per_case) return int64_t{-1};
      std::set<int64_t> all;
      for (const auto* s : sets) all.insert(s->begin(), s->end());
      return static_cast<int64_t>(all.size());
    };
    v1::StatsQueryResponse out;
    for (StatsDimension d : plan.dimensions) out.add_dimensions(d);
    out.set_measure(plan.measure);
    out.mutable_privacy()->set_k(static_cast<uint32_t>(options_.k));
    AddMissing(axes, cells);
    std::vector<std::vector<std::map<int64_t, int64_t>>> margins(n);
    for (size_t d = 0; d < n; ++d) margins[d].resize(axes.values[d].size());
    std::map<int64_t, int64_t> total;
    std::vector<std::vector<std::vector<const std::set<int64_t>*>>> margin_sets(
        n);
    for (size_t d = 0; d < n; ++d) margin_sets[d].resize(axes.values[d].size());
    std::vector<const std::set<int64_t>*> total_sets;
    std::vector<std::vector<int64_t>> margin_keys(n);
    for (size_t d = 0; d < n; ++d) margin_keys[d].resize(axes.values[d].size());
    int64_t total_key = 0;
    for (const auto& [key, h] : cells) {
      const std::set<int64_t>* mine = &cases[key];
      const int64_t cell_key = cell_keys[key] % kRecordKeyModulus;
      total_sets.push_back(mine);
      total_key = (total_key + cell_key) % kRecordKeyModulus;
      for (size_t d = 0; d < n; ++d) {
        const int i = axes.index[d].at(key[d]);
        margin_sets[d][i].push_back(mine);
        margin_keys[d][i] = (margin_keys[d][i] + cell_key) % kRecordKeyModulus;
      }
      for (const auto& [days, c] : h) {
        total[days] += c;
        for (size_t d = 0; d < n; ++d) {
          margins[d][axes.index[d].at(key[d])][days] += c;
        }
      }
    }
    // The whole population behind the median: below k, nothing.
    int64_t values = 0;
    for (const auto& [unused, c] : total) values += c;
    const int64_t population = per_case ? support(total_sets) : values;
    if (population < options_.k) {
      return PopulationBelowK(options_.k, "cases with a value");
    }
    // Every combination of the grid is listed; one with fewer than k cases
    // behind it (none included) is withheld.
    const std::map<int64_t, int64_t> none;
    int64_t lost = 0;
    ForEachCell(axes, [&](size_t, const Key& key) {
      auto it = cells.find(key);
      const std::map<int64_t, int64_t>& h =
          it == cells.end() ? none : it->second;
      v1::StatsCell* cell = out.add_cells();
      SetCell(cell, plan, &key, -1, nullptr);
      if (it == cells.end()) {
        SetMedian(cell, h, options_.k, 0, 0);
      } else {
        SetMedian(cell, h, options_.k, support({&cases[key]}),
                  cell_keys[key] % kRecordKeyModulus);
      }
      if (cell->suppressed()) {
        for (const auto& [unused, c] : h) lost += c;
      }
    });
    if (n == 2) {
      for (size_t d = 0; d < n; ++d) {
        for (size_t i = 0; i < axes.values[d].size(); ++i) {
          v1::StatsCell* cell = out.add_margins();
          SetCell(cell, plan, nullptr, static_cast<int>(d), &axes.values[d][i]);
          SetMedian(cell, margins[d][i], options_.k,
                    margins[d][i].empty() ? 0 : support(margin_sets[d][i]),
                    margin_keys[d][i]);
        }
      }
    }
    SetCell(out.mutable_total(), plan, nullptr, -1, nullptr);
    SetMedian(out.mutable_total(), total, options_.k, support(total_sets),
              total_key);
    out.set_information_loss(values > 0 ? static_cast<double>(lost) /
                                              static_cast<double>(values)
                                        : 0);
    return out;
  }

  // Case counts: one scan, aggregated here (CountByHash), with at most one
  // case_codes dimension merged in from its own index.
  int code_dims = 0;
  bool referral_dims = false;
  for (StatsDimension d : plan.dimensions) {
    referral_dims = referral_dims || NeedsReferrals(d);
    code_dims += IsMultiValued(d) && !NeedsReferrals(d);
  }
  if (options_.hash_aggregation && plan.measure == v1::STATS_MEASURE_CASES &&
      n > 0 && !referral_dims && code_dims <= 1) {
    return CountByHash(txn, plan, std::move(axes));
  }
  const bool victims = plan.measure == v1::STATS_MEASURE_DISTINCT_VICTIMS;
  {
    // The population, in cases (or distinct victims), not in mentions.
    SqlBuilder count_sql;
    QueryPlan bare = plan;
    bare.dimensions.clear();
    const Frame all = BuildFrame(bare, /*first_code_only=*/false,
                                 /*stats_index=*/!victims, count_sql);
    ASSIGN_OR_RETURN(
        store::Statement s,
        txn.Prepare(absl::StrCat(
            "SELECT ",
            victims ? "COUNT(DISTINCT COALESCE(c.person_key, c.id))"
                    : "COUNT(*)",
            " FROM ", all.from, " WHERE ", all.where)));
    RETURN_IF_ERROR(count_sql.Bind(s));
    ASSIGN_OR_RETURN(bool row, s.Step());
    int64_t population = 0;
    if (row) {
      ASSIGN_OR_RETURN(population, s.ColumnInt64(0));
    }
    if (population < options_.k) {
      return PopulationBelowK(options_.k,
                              victims ? "distinct victims" : "cases");
    }
  }
  std::vector<std::string> select = f.dims;
  select.push_back(plan.measure == v1::STATS_MEASURE_DISTINCT_VICTIMS
                       ? "COUNT(DISTINCT COALESCE(c.person_key, c.id))"
                       : "COUNT(*)");
  select.push_back(absl::StrCat("SUM((c.id * ", sql.Param(key_a_), " + ",
                                sql.Param(key_b_), ") % ", kRecordKeyModulus,
                                ")"));
  std::string text = absl::StrCat("SELECT ", absl::StrJoin(select, ", "),
                                  " FROM ", f.from, " WHERE ", f.where);
  if (n > 0) absl::StrAppend(&text, " GROUP BY ", absl::StrJoin(group, ", "));
  ASSIGN_OR_RETURN(store::Statement s, txn.Prepare(text));
  RETURN_IF_ERROR(sql.Bind(s));
  std::map<Key, Count> cells;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    Key key;
    for (size_t d = 0; d < n; ++d) {
      ASSIGN_OR_RETURN(DimValue v,
                       ReadDim(s, static_cast<int>(d), plan.dimensions[d]));
      key.push_back(std::move(v));
    }
    Count count;
    ASSIGN_OR_RETURN(count.value, s.ColumnInt64(static_cast<int>(n)));
    if (count.value == 0) continue;  // The no-GROUP-BY row of nothing.
    if (!s.ColumnIsNull(static_cast<int>(n + 1))) {
      ASSIGN_OR_RETURN(count.cell_key, s.ColumnInt64(static_cast<int>(n + 1)));
    }
    cells.emplace(std::move(key), count);
  }
  return CountAnswer(plan, std::move(axes), cells, options_.k,
                     options_.perturb);
}

// Counting cases needs no DISTINCT: the rows are aggregated here in a hash
// table, which SQLite 3.15 lacks (its GROUP BY sorts every row: at a
// million cases the sort costs ten times the scan). Text dimensions (INEGI
// codes) are interned, so a row costs no allocation. A case_codes
// dimension is not joined row by row: the cases are scanned once (through
// the covering index cases_stats), then the dimension's codes are read from
// the covering index case_codes_by_code and matched by id; a case with no code
// counts as "not recorded" (0), as the LEFT JOIN of the SQL path does.
// When the dimension has a mask column in the index (MaskColumnOf), the
// codes come with the scan's row and case_codes is not read at all.
absl::StatusOr<v1::StatsQueryResponse> StatsEngine::CountByHash(
    store::ReadTxn& txn, const QueryPlan& plan, Axes axes) const {
  const size_t n = plan.dimensions.size();
  int multi = -1;
  for (size_t d = 0; d < n; ++d) {
    if (IsMultiValued(plan.dimensions[d])) multi = static_cast<int>(d);
  }
  QueryPlan scan_plan = plan;
  if (multi >= 0)
    scan_plan.dimensions.erase(scan_plan.dimensions.begin() + multi);
  SqlBuilder sql;
  const Frame f = BuildFrame(scan_plan, /*first_code_only=*/false,
                             /*stats_index=*/true, sql);
  const size_t m = scan_plan.dimensions.size();
  // Periods are read as the raw date and bucketed here, and the record key
  // is computed here from the id: each SQL expression costs a virtual
  // machine instruction or more per row, a third of the scan.
  std::vector<int> period(m, 0);
  std::vector<std::string> select = {"c.id"};
  for (size_t i = 0; i < m; ++i) {
    const StatsDimension d = scan_plan.dimensions[i];
    period[i] = d == v1::STATS_DIMENSION_MONTH     ? 1
                : d == v1::STATS_DIMENSION_QUARTER ? 2
                : d == v1::STATS_DIMENSION_YEAR    ? 3
                                                   : 0;
    select.push_back(period[i] ? std::string("c.reported_date") : f.dims[i]);
  }
  const char* mask_column =
      multi >= 0 ? MaskColumnOf(plan.dimensions[multi]) : nullptr;
  if (mask_column != nullptr) select.push_back(mask_column);
  ASSIGN_OR_RETURN(
      store::Statement s,
      txn.Prepare(absl::StrCat("SELECT ", absl::StrJoin(select, ", "), " FROM ",
                               f.from, " WHERE ", f.where)));
  RETURN_IF_ERROR(sql.Bind(s));
  std::vector<bool> text(n, false);
  for (size_t d = 0; d < n; ++d) text[d] = IsText(plan.dimensions[d]);
  // Position in the full key of each scanned dimension.
  std::vector<size_t> slot;
  for (size_t d = 0; d < n; ++d) {
    if (static_cast<int>(d) != multi) slot.push_back(d);
  }
  // INEGI codes of up to 9 digits are keyed by number * 16 + length (no
  // hashing of a string per row); anything else is interned, keyed -1 - i.
  absl::flat_hash_map<std::string, int64_t> interned;
  std::vector<std::string> texts;
  using HashKey = std::array<int64_t, 3>;
  absl::flat_hash_map<HashKey, Count, absl::Hash<HashKey>> counts;
  struct Row {
    int64_t id;
    HashKey key;
    int64_t record_key;
    bool has_code;
  };
  std::vector<Row> rows;
  bool sorted = true;
  // The multi-valued dimension's codes of every case, as a bit set per case
  // id, read before the scan from the covering index case_codes_by_code:
  // the scan then streams, with no row kept. Only for dense ids and codes
  // 1-63; otherwise the rows are kept and matched after the scan.
  std::vector<uint64_t> masks;
  bool use_masks = false;
  if (multi >= 0 && mask_column == nullptr) {
    // A bare MAX(id): SQLite reads it from the end of the rowid b-tree.
    ASSIGN_OR_RETURN(store::Statement last,
                     txn.Prepare("SELECT MAX(id) FROM cases"));
    ASSIGN_OR_RETURN(bool row, last.Step());
    int64_t max_id = 0;
    if (row && !last.ColumnIsNull(0)) {
      ASSIGN_OR_RETURN(max_id, last.ColumnInt64(0));
    }
    constexpr int64_t kMaxMaskedId = int64_t{1} << 24;  // 128 MiB of masks.
    if (max_id >= 0 && max_id < kMaxMaskedId) {
      masks.assign(static_cast<size_t>(max_id + 1), 0);
      use_masks = true;
      ASSIGN_OR_RETURN(store::Statement codes,
                       txn.Prepare("SELECT case_id, code FROM case_codes "
                                   "WHERE dimension = ?1"));
      RETURN_IF_ERROR(
          codes.BindInt64(1, CodeDimensionOf(plan.dimensions[multi])));
      while (use_masks) {
        ASSIGN_OR_RETURN(bool more, codes.Step());
        if (!more) break;
        ASSIGN_OR_RETURN(int64_t case_id, codes.ColumnInt64(0));
        ASSIGN_OR_RETURN(int64_t code, codes.ColumnInt64(1));
        if (case_id < 0 || case_id > max_id || code < 1 || code > 63) {
          use_masks = false;
        } else {
          masks[static_cast<size_t>(case_id)] |= uint64_t{1} << code;
        }
      }
      if (!use_masks) std::vector<uint64_t>().swap(masks);
    }
  }
  int64_t population = 0;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    ++population;
    Row r{0, {0, 0, 0}, 0, false};
    ASSIGN_OR_RETURN(r.id, s.ColumnInt64(0));
    for (size_t i = 0; i < m; ++i) {
      const int column = static_cast<int>(i + 1);
      if (text[slot[i]]) {
        ASSIGN_OR_RETURN(absl::string_view t, s.ColumnText(column));
        int64_t number = 0;
        bool digits = !t.empty() && t.size() <= 9;
        for (size_t j = 0; digits && j < t.size(); ++j) {
          digits = t[j] >= '0' && t[j] <= '9';
          number = number * 10 + (t[j] - '0');
        }
        if (digits) {
          r.key[slot[i]] = number * 16 + static_cast<int64_t>(t.size());
          continue;
        }
        auto it = interned.find(t);
        if (it == interned.end()) {
          it = interned
                   .emplace(std::string(t),
                            -1 - static_cast<int64_t>(texts.size()))
                   .first;
          texts.emplace_back(t);
        }
        r.key[slot[i]] = it->second;
      } else {
        ASSIGN_OR_RETURN(int64_t v, s.ColumnInt64(column));
        switch (period[i]) {
          case 1:  // Month, as the SQL path: yyyymm.
            v = v / 100;
            break;
          case 2:  // Quarter: yyyyq.
            v = (v / 10000) * 10 + ((v / 100 % 100) + 2) / 3;
            break;
          case 3:
            v = v / 10000;
            break;
          default:
            break;
        }
        r.key[slot[i]] = v;
      }
    }
    // (id * a + b) mod M, as the SQL path computes it, without overflow.
    const int64_t id_mod = r.id % kRecordKeyModulus;
    r.record_key =
        ((id_mod < 0 ? id_mod + kRecordKeyModulus : id_mod) * key_a_ + key_b_) %
        kRecordKeyModulus;
    if (multi < 0) {
      Count& c = counts[r.key];
      ++c.value;
      c.cell_key += r.record_key;
      continue;
    }
    if (use_masks || mask_column != nullptr) {
      uint64_t mask = 0;
      if (mask_column != nullptr) {
        ASSIGN_OR_RETURN(int64_t column,
                         s.ColumnInt64(static_cast<int>(m + 1)));
        mask = static_cast<uint64_t>(column);
      } else if (r.id >= 0 && static_cast<size_t>(r.id) < masks.size()) {
        mask = masks[static_cast<size_t>(r.id)];
      }
      if (mask == 0) {
        r.key[multi] = 0;  // Not recorded.
        Count& c = counts[r.key];
        ++c.value;
        c.cell_key += r.record_key;
      }
      for (; mask != 0; mask &= mask - 1) {
        r.key[multi] = __builtin_ctzll(mask);
        Count& c = counts[r.key];
        ++c.value;
        c.cell_key += r.record_key;
      }
      continue;
    }
    if (!rows.empty() && rows.back().id >= r.id) sorted = false;
    rows.push_back(r);
  }
  if (multi >= 0 && !use_masks && mask_column == nullptr) {
    // The covering index gives the rows in (institution, date) order. Ids
    // are the table's rowids, dense in practice: a direct table from id to
    // row is cheaper than sorting a million rows; sparse ids are sorted.
    int64_t min_id = 0, max_id = -1;
    for (const Row& r : rows) {
      if (max_id < min_id) {
        min_id = max_id = r.id;
      } else {
        min_id = std::min(min_id, r.id);
        max_id = std::max(max_id, r.id);
      }
    }
    std::vector<int32_t> by_id;
    if (!rows.empty() &&
        max_id - min_id < 4 * static_cast<int64_t>(rows.size()) + 1024) {
      by_id.assign(static_cast<size_t>(max_id - min_id + 1), -1);
      for (size_t i = 0; i < rows.size(); ++i) {
        by_id[static_cast<size_t>(rows[i].id - min_id)] =
            static_cast<int32_t>(i);
      }
    } else if (!sorted) {
      std::sort(rows.begin(), rows.end(),
                [](const Row& a, const Row& b) { return a.id < b.id; });
    }
    auto find = [&](int64_t case_id) -> Row* {
      if (!by_id.empty()) {
        if (case_id < min_id || case_id > max_id) return nullptr;
        const int32_t i = by_id[static_cast<size_t>(case_id - min_id)];
        return i < 0 ? nullptr : &rows[static_cast<size_t>(i)];
      }
      auto it =
          std::lower_bound(rows.begin(), rows.end(), case_id,
                           [](const Row& r, int64_t id) { return r.id < id; });
      return it == rows.end() || it->id != case_id ? nullptr : &*it;
    };
    ASSIGN_OR_RETURN(store::Statement codes,
                     txn.Prepare("SELECT case_id, code FROM case_codes "
                                 "WHERE dimension = ?1"));
    RETURN_IF_ERROR(
        codes.BindInt64(1, CodeDimensionOf(plan.dimensions[multi])));
    while (true) {
      ASSIGN_OR_RETURN(bool row, codes.Step());
      if (!row) break;
      ASSIGN_OR_RETURN(int64_t case_id, codes.ColumnInt64(0));
      Row* it = find(case_id);
      if (it == nullptr) continue;  // Filtered out.
      HashKey key = it->key;
      ASSIGN_OR_RETURN(key[multi], codes.ColumnInt64(1));
      it->has_code = true;
      Count& c = counts[key];
      ++c.value;
      c.cell_key += it->record_key;
    }
    for (const Row& r : rows) {
      if (r.has_code) continue;
      HashKey key = r.key;
      key[multi] = 0;
      Count& c = counts[key];
      ++c.value;
      c.cell_key += r.record_key;
    }
  }
  std::map<Key, Count> cells;
  for (const auto& [hk, count] : counts) {
    Key key;
    for (size_t d = 0; d < n; ++d) {
      if (!text[d]) {
        key.push_back(DimValue{hk[d], ""});
      } else if (hk[d] < 0) {
        key.push_back(DimValue{0, texts[static_cast<size_t>(-1 - hk[d])]});
      } else {
        key.push_back(DimValue{
            0,
            absl::StrFormat("%0*d", static_cast<int>(hk[d] % 16), hk[d] / 16)});
      }
    }
    cells.emplace(std::move(key), count);
  }
  if (population < options_.k) return PopulationBelowK(options_.k, "cases");
  return CountAnswer(plan, std::move(axes), cells, options_.k,
                     options_.perturb);
}

namespace {

constexpr int kChargeEpsilon = 1;
constexpr int kChargeQuery = 2;

std::string AnalystOf(const auth::Principal& caller) {
  return absl::StrCat("institutions/", caller.institution, "/users/",
                      caller.user);
}

// A quarter of data as an integer: year * 4 + quarter - 1.
int64_t QuarterOf(int yyyymm) {
  return int64_t{yyyymm / 100} * 4 + (yyyymm % 100 - 1) / 3;
}

// The quarters of data a plan covers: an unbounded start is 0 (every
// quarter before), an unbounded end the quarter of `now` (no case is
// reported after it; a later quarter's cases were not in the answer).
std::pair<int64_t, int64_t> QuartersOf(const QueryPlan& plan, absl::Time now) {
  const absl::CivilMonth m = absl::ToCivilMonth(now, absl::UTCTimeZone());
  const int64_t from = plan.from_month == 0 ? 0 : QuarterOf(plan.from_month);
  int64_t to = plan.to_month == 0
                   ? QuarterOf(static_cast<int>(m.year() * 100 + m.month()))
                   : QuarterOf(plan.to_month);
  return {from, std::max(from, to)};
}

std::string QuarterName(int64_t q) {
  return absl::StrFormat("%04d-Q%d", q / 4, q % 4 + 1);
}

// The quarters of data a query covers, for a message: "2025-Q1",
// "2025-Q1 to 2025-Q4", "up to 2026-Q4".
std::string QuartersName(int64_t from, int64_t to) {
  if (from == 0) return absl::StrCat("up to ", QuarterName(to));
  if (from == to) return QuarterName(from);
  return absl::StrCat(QuarterName(from), " to ", QuarterName(to));
}

// A sum of the ledger for one kind of charge in one release period, for an
// analyst (or, with `analyst` empty, her whole institution).
absl::StatusOr<int64_t> ReleaseSpent(store::ReadTxn& txn, int kind,
                                     const std::string& release,
                                     const std::string& institution,
                                     const std::string& analyst) {
  ASSIGN_OR_RETURN(
      store::Statement s,
      txn.Prepare(analyst.empty()
                      ? "SELECT COALESCE(SUM(amount), 0) FROM stats_charges "
                        "WHERE kind = ?1 AND release_period = ?2 AND "
                        "institution = ?3"
                      : "SELECT COALESCE(SUM(amount), 0) FROM stats_charges "
                        "WHERE kind = ?1 AND release_period = ?2 AND "
                        "institution = ?3 AND analyst = ?4"));
  RETURN_IF_ERROR(s.BindInt64(1, kind));
  RETURN_IF_ERROR(s.BindText(2, release));
  RETURN_IF_ERROR(s.BindText(3, institution));
  if (!analyst.empty()) RETURN_IF_ERROR(s.BindText(4, analyst));
  ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return int64_t{0};
  return s.ColumnInt64(0);
}

// The most already charged to any one quarter of [from, to], over every
// release: for an institution, or (`institution` empty) the whole node.
absl::StatusOr<int64_t> LifetimeSpent(store::ReadTxn& txn, int kind,
                                      const std::string& institution,
                                      int64_t from, int64_t to) {
  ASSIGN_OR_RETURN(
      store::Statement s,
      txn.Prepare(institution.empty()
                      ? "SELECT from_quarter, to_quarter, amount FROM "
                        "stats_charges WHERE kind = ?1 AND to_quarter >= ?2 "
                        "AND from_quarter <= ?3"
                      : "SELECT from_quarter, to_quarter, amount FROM "
                        "stats_charges WHERE kind = ?1 AND institution = ?4 "
                        "AND to_quarter >= ?2 AND from_quarter <= ?3"));
  RETURN_IF_ERROR(s.BindInt64(1, kind));
  RETURN_IF_ERROR(s.BindInt64(2, from));
  RETURN_IF_ERROR(s.BindInt64(3, to));
  if (!institution.empty()) RETURN_IF_ERROR(s.BindText(4, institution));
  // A sweep over the charges' ends, clipped to [from, to].
  std::map<int64_t, int64_t> delta;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    ASSIGN_OR_RETURN(int64_t a, s.ColumnInt64(0));
    ASSIGN_OR_RETURN(int64_t b, s.ColumnInt64(1));
    ASSIGN_OR_RETURN(int64_t amount, s.ColumnInt64(2));
    delta[std::max(a, from)] += amount;
    delta[std::min(b, to) + 1] -= amount;
  }
  int64_t most = 0, running = 0;
  for (const auto& [unused, d] : delta) {
    running += d;
    most = std::max(most, running);
  }
  return most;
}

// The stored answer of an identical query in `release`, if any; marked as
// a repeat.
absl::StatusOr<std::optional<v1::StatsQueryResponse>> StoredAnswer(
    store::ReadTxn& txn, const std::string& release, const QueryPlan& plan) {
  ASSIGN_OR_RETURN(store::Statement s,
                   txn.Prepare("SELECT answer FROM stats_answers WHERE "
                               "release_period = ?1 AND query = ?2"));
  RETURN_IF_ERROR(s.BindText(1, release));
  RETURN_IF_ERROR(s.BindText(2, plan.canonical));
  ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<v1::StatsQueryResponse>();
  ASSIGN_OR_RETURN(absl::string_view bytes, s.ColumnBlob(0));
  v1::StatsQueryResponse stored;
  if (!stored.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError("a stored statistics answer does not parse");
  }
  stored.mutable_privacy()->set_epsilon(0);
  stored.mutable_privacy()->set_repeated_release(true);
  return std::optional<v1::StatsQueryResponse>(std::move(stored));
}

}  // namespace

absl::Status StatsEngine::CheckLedger(store::ReadTxn& txn,
                                      const auth::Principal& caller,
                                      const QueryPlan& plan,
                                      const std::string& release, bool charge,
                                      v1::StatsPrivacy* privacy) const {
  const bool dp = plan.epsilon_micro > 0;
  const int kind = dp ? kChargeEpsilon : kChargeQuery;
  const int64_t asked = !charge ? 0 : dp ? plan.epsilon_micro : 1;
  auto micro = [](double epsilon) {
    return static_cast<int64_t>(std::llround(epsilon * 1e6));
  };
  const int64_t analyst_cap =
      dp ? micro(options_.epsilon_budget) : options_.queries_per_analyst;
  const int64_t institution_cap =
      dp ? micro(options_.institution_epsilon_budget)
         : options_.queries_per_institution;
  const int64_t institution_lifetime =
      dp ? micro(options_.institution_epsilon_lifetime)
         : options_.institution_query_lifetime;
  const int64_t node_lifetime =
      dp ? micro(options_.node_epsilon_lifetime) : int64_t{-1};
  if (!dp && analyst_cap == 0) return absl::OkStatus();  // No allowance.
  const auto [from, to] = QuartersOf(plan, clock_->Now());

  ASSIGN_OR_RETURN(
      int64_t analyst_spent,
      ReleaseSpent(txn, kind, release, caller.institution, AnalystOf(caller)));
  ASSIGN_OR_RETURN(
      int64_t institution_spent,
      ReleaseSpent(txn, kind, release, caller.institution, std::string()));
  ASSIGN_OR_RETURN(int64_t institution_life,
                   LifetimeSpent(txn, kind, caller.institution, from, to));
  int64_t node_life = 0;
  if (node_lifetime >= 0) {
    ASSIGN_OR_RETURN(node_life,
                     LifetimeSpent(txn, kind, std::string(), from, to));
  }
  const char* what = dp ? "privacy budget (epsilon)" : "query allowance";
  auto amount = [&](int64_t v) {
    return dp ? absl::StrFormat("%.6f", static_cast<double>(v) / 1e6)
              : absl::StrCat(v);
  };
  auto refuse = [&](const std::string& whose, int64_t spent, int64_t cap) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "statistics ", what, " spent: ", whose, " ", amount(asked), " asked, ",
        amount(std::max<int64_t>(cap - spent, 0)), " left of ", amount(cap),
        dp ? ""
           : "; an identical query of this release is free, or ask "
             "with epsilon"));
  };
  if (charge) {
    if (analyst_spent + asked > analyst_cap) {
      return refuse(absl::StrCat("the analyst's for release ", release),
                    analyst_spent, analyst_cap);
    }
    if (institution_spent + asked > institution_cap) {
      return refuse(absl::StrCat("the institution's for release ", release),
                    institution_spent, institution_cap);
    }
    if (institution_life + asked > institution_lifetime) {
      return refuse(
          absl::StrCat("the institution's lifetime cap over the data of ",
                       QuartersName(from, to), " (no new release resets it)"),
          institution_life, institution_lifetime);
    }
    if (node_lifetime >= 0 && node_life + asked > node_lifetime) {
      return refuse(
          absl::StrCat("the node's lifetime cap over the data of ",
                       QuartersName(from, to), " (no new release resets it)"),
          node_life, node_lifetime);
    }
  }
  // What is left after this charge: the smallest of the four.
  int64_t left = std::min({analyst_cap - analyst_spent,
                           institution_cap - institution_spent,
                           institution_lifetime - institution_life});
  if (node_lifetime >= 0) left = std::min(left, node_lifetime - node_life);
  left = std::max<int64_t>(left - asked, 0);
  if (dp) {
    privacy->set_budget_remaining(static_cast<double>(left) / 1e6);
  } else {
    privacy->set_queries_remaining(left);
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::StatsAllowance> StatsEngine::Allowance(
    store::ReadTxn& txn, const auth::Principal& caller,
    const v1::GetStatsAllowanceRequest& request) const {
  // The months are checked as a query's are.
  v1::StatsQueryRequest query;
  query.set_parent(absl::StrCat("institutions/", caller.institution));
  query.set_from_month(request.from_month());
  query.set_to_month(request.to_month());
  ASSIGN_OR_RETURN(QueryPlan plan, PlanQuery(query));
  v1::StatsAllowance out;
  out.set_release(ReleaseOf(clock_->Now()));
  v1::StatsPrivacy left;
  if (options_.queries_per_analyst > 0) {
    RETURN_IF_ERROR(
        CheckLedger(txn, caller, plan, out.release(), false, &left));
  }
  plan.epsilon_micro = 1;  // Any epsilon: the epsilon ledger.
  RETURN_IF_ERROR(CheckLedger(txn, caller, plan, out.release(), false, &left));
  out.set_queries_remaining(left.queries_remaining());
  out.set_epsilon_remaining(left.budget_remaining());
  return out;
}

absl::StatusOr<v1::StatsQueryResponse> StatsEngine::Answer(
    store::Database& db, const auth::Principal& caller,
    const QueryPlan& plan) const {
  ASSIGN_OR_RETURN(Draft draft, db.Read([&](store::ReadTxn& txn) {
    return Prepare(txn, caller, plan);
  }));
  if (draft.stored) return std::move(draft.answer);
  return db.Write(store::Database::Isolation::kChecksFirst,
                  [&](store::WriteTxn& w) {
                    return Commit(w, caller, plan, std::move(draft));
                  });
}

absl::StatusOr<StatsEngine::Draft> StatsEngine::Prepare(
    store::ReadTxn& txn, const auth::Principal& caller,
    const QueryPlan& plan) const {
  const std::string release = ReleaseOf(clock_->Now());
  {
    ASSIGN_OR_RETURN(std::optional<v1::StatsQueryResponse> stored,
                     StoredAnswer(txn, release, plan));
    if (stored.has_value()) {
      RETURN_IF_ERROR(CheckLedger(txn, caller, plan, release, false,
                                  stored->mutable_privacy()));
      return Draft{*std::move(stored), true};
    }
  }
  // The allowance (or budget) is checked before any work: a refused query
  // costs no scan.
  v1::StatsPrivacy left;
  RETURN_IF_ERROR(CheckLedger(txn, caller, plan, release, true, &left));
  Draft draft;
  if (plan.epsilon_micro > 0) {
    ASSIGN_OR_RETURN(draft.answer, PrivateAnswer(txn, plan));
  } else {
    ASSIGN_OR_RETURN(draft.answer, Query(txn, plan));
  }
  draft.answer.mutable_privacy()->set_release(release);
  return draft;
}

absl::StatusOr<v1::StatsQueryResponse> StatsEngine::Commit(
    store::WriteTxn& txn, const auth::Principal& caller, const QueryPlan& plan,
    Draft draft) const {
  if (draft.stored) return std::move(draft.answer);
  // The release the answer was computed for: a query that straddles the
  // change of release period is charged to the period it was computed in.
  const std::string release = draft.answer.privacy().release();
  // Every check before the first change (Isolation::kChecksFirst).
  {
    ASSIGN_OR_RETURN(std::optional<v1::StatsQueryResponse> stored,
                     StoredAnswer(txn, release, plan));
    if (stored.has_value()) {
      RETURN_IF_ERROR(CheckLedger(txn, caller, plan, release, false,
                                  stored->mutable_privacy()));
      return *std::move(stored);
    }
  }
  v1::StatsPrivacy left;
  RETURN_IF_ERROR(CheckLedger(txn, caller, plan, release, true, &left));
  v1::StatsQueryResponse out = std::move(draft.answer);
  const int64_t now = absl::ToUnixMicros(clock_->Now());
  {
    std::string bytes;
    v1::StatsQueryResponse stored = out;
    stored.mutable_privacy()->clear_budget_remaining();
    stored.mutable_privacy()->clear_queries_remaining();
    stored.SerializeToString(&bytes);
    ASSIGN_OR_RETURN(
        store::Statement ins,
        txn.Prepare("INSERT INTO stats_answers(release_period, query, "
                    "answer, analyst, epsilon_micro, create_time) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
    RETURN_IF_ERROR(ins.BindText(1, release));
    RETURN_IF_ERROR(ins.BindText(2, plan.canonical));
    RETURN_IF_ERROR(ins.BindBlob(3, bytes));
    RETURN_IF_ERROR(ins.BindText(4, AnalystOf(caller)));
    RETURN_IF_ERROR(ins.BindInt64(5, plan.epsilon_micro));
    RETURN_IF_ERROR(ins.BindInt64(6, now));
    RETURN_IF_ERROR(ins.Run());
  }
  const bool dp = plan.epsilon_micro > 0;
  if (dp || options_.queries_per_analyst > 0) {
    const auto [from, to] = QuartersOf(plan, clock_->Now());
    ASSIGN_OR_RETURN(
        store::Statement charge,
        txn.Prepare("INSERT INTO stats_charges(kind, analyst, institution, "
                    "release_period, from_quarter, to_quarter, amount, "
                    "create_time) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
    RETURN_IF_ERROR(charge.BindInt64(1, dp ? kChargeEpsilon : kChargeQuery));
    RETURN_IF_ERROR(charge.BindText(2, AnalystOf(caller)));
    RETURN_IF_ERROR(charge.BindText(3, caller.institution));
    RETURN_IF_ERROR(charge.BindText(4, release));
    RETURN_IF_ERROR(charge.BindInt64(5, from));
    RETURN_IF_ERROR(charge.BindInt64(6, to));
    RETURN_IF_ERROR(charge.BindInt64(7, dp ? plan.epsilon_micro : 1));
    RETURN_IF_ERROR(charge.BindInt64(8, now));
    RETURN_IF_ERROR(charge.Run());
  }
  if (dp) {
    out.mutable_privacy()->set_budget_remaining(left.budget_remaining());
  } else if (options_.queries_per_analyst > 0) {
    out.mutable_privacy()->set_queries_remaining(left.queries_remaining());
  }
  return out;
}

absl::StatusOr<v1::StatsQueryResponse> StatsEngine::PrivateAnswer(
    store::ReadTxn& txn, const QueryPlan& plan) const {
  // The grid, fixed by the query alone.
  const size_t n = plan.dimensions.size();
  std::vector<std::vector<DimValue>> domain(n);
  size_t grid = 1;
  for (size_t d = 0; d < n; ++d) {
    domain[d] = Domain(plan, plan.dimensions[d]);
    grid *= std::max<size_t>(domain[d].size(), 1);
    if (grid > kMaxPrivateGrid) {
      api::FieldViolations v;
      v.Add("dimensions",
            "with epsilon the table may have at most 250000 cells; narrow "
            "the dimensions or the months");
      return v.ToStatus();
    }
  }

  // One contribution per person: her earliest case, its first value of
  // each multi-valued dimension.
  SqlBuilder sql;
  const Frame f = BuildFrame(plan, /*first_code_only=*/true,
                             /*stats_index=*/false, sql);
  std::vector<std::string> select = {"c.person_key", "c.reported_date", "c.id"};
  for (const std::string& e : f.dims) select.push_back(e);
  ASSIGN_OR_RETURN(
      store::Statement s,
      txn.Prepare(absl::StrCat("SELECT ", absl::StrJoin(select, ", "), " FROM ",
                               f.from, " WHERE ", f.where)));
  RETURN_IF_ERROR(sql.Bind(s));
  struct First {
    int64_t date;
    int64_t id;
    Key key;
  };
  std::unordered_map<std::string, First> persons;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    ASSIGN_OR_RETURN(int64_t date, s.ColumnInt64(1));
    ASSIGN_OR_RETURN(int64_t id, s.ColumnInt64(2));
    // A case without a person key is left out: nothing ties one woman's
    // keyless cases together, so counting each as a person of its own would
    // let a woman with ten of them move the answer by ten.
    if (s.ColumnIsNull(0)) continue;
    ASSIGN_OR_RETURN(absl::string_view blob, s.ColumnBlob(0));
    std::string person(blob);
    Key key;
    for (size_t d = 0; d < n; ++d) {
      ASSIGN_OR_RETURN(DimValue v,
                       ReadDim(s, static_cast<int>(d + 3), plan.dimensions[d]));
      key.push_back(std::move(v));
    }
    auto [it, inserted] = persons.try_emplace(person, First{date, id, key});
    if (!inserted &&
        std::tie(date, id) < std::tie(it->second.date, it->second.id)) {
      it->second = First{date, id, std::move(key)};
    }
  }
  std::map<Key, int64_t> truth;
  for (const auto& [unused, first] : persons) ++truth[first.key];

  const double epsilon = plan.epsilon_micro / 1e6;
  v1::StatsQueryResponse out;
  for (StatsDimension d : plan.dimensions) out.add_dimensions(d);
  out.set_measure(plan.measure);
  std::vector<std::vector<int64_t>> margins(n);
  for (size_t d = 0; d < n; ++d) margins[d].assign(domain[d].size(), 0);
  int64_t total = 0;
  std::vector<size_t> idx(n, 0);
  for (size_t cell = 0; cell < grid; ++cell) {
    Key key;
    for (size_t d = 0; d < n; ++d) key.push_back(domain[d][idx[d]]);
    auto it = truth.find(key);
    const int64_t true_count = it == truth.end() ? 0 : it->second;
    ASSIGN_OR_RETURN(int64_t noise, GeometricNoise(epsilon));
    const int64_t noisy = std::max<int64_t>(true_count + noise, 0);
    total += noisy;
    for (size_t d = 0; d < n; ++d) margins[d][idx[d]] += noisy;
    if (noisy >= 1) {
      v1::StatsCell* c = out.add_cells();
      SetCell(c, plan, &key, -1, nullptr);
      if (noisy < options_.k) {
        c->set_suppressed(true);
      } else {
        c->set_count(noisy);
      }
    }
    for (size_t d = n; d-- > 0;) {
      if (++idx[d] < domain[d].size()) break;
      idx[d] = 0;
    }
    if (n == 0) break;
  }
  auto set = [&](v1::StatsCell* c, int64_t v) {
    if (v < options_.k) {
      c->set_suppressed(true);
    } else {
      c->set_count(v);
    }
  };
  if (n == 2) {
    for (size_t d = 0; d < n; ++d) {
      for (size_t i = 0; i < domain[d].size(); ++i) {
        if (margins[d][i] == 0) continue;
        v1::StatsCell* c = out.add_margins();
        SetCell(c, plan, nullptr, static_cast<int>(d), &domain[d][i]);
        set(c, margins[d][i]);
      }
    }
  }
  SetCell(out.mutable_total(), plan, nullptr, -1, nullptr);
  set(out.mutable_total(), total);
  v1::StatsPrivacy* privacy = out.mutable_privacy();
  privacy->set_k(static_cast<uint32_t>(options_.k));
  privacy->set_epsilon(epsilon);
  privacy->set_error_bound(
      static_cast<double>(GeometricErrorBound(epsilon, kErrorConfidence)));
  privacy->set_error_confidence(kErrorConfidence);
  return out;
}

}  // namespace resguardo::stats
