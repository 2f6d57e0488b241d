#include "services/stats/internal/sql_frame.h"

#include <algorithm>

#include "absl/strings/str_join.h"
#include "resguardo/v1/catalogues.pb.h"
#include "resguardo/v1/referral_service.pb.h"
#include "services/schema/node_schema.h"

namespace resguardo::stats {
namespace {

using v1::StatsDimension;

// yyyymmdd -> days since 1970-01-01, in SQL.
std::string EpochDay(absl::string_view yyyymmdd) {
  return absl::StrCat("CAST(julianday(printf('%04d-%02d-%02d', ", yyyymmdd,
                      " / 10000, ", yyyymmdd, " / 100 % 100, ", yyyymmdd,
                      " % 100)) - 2440587.5 AS INTEGER)");
}

// A dimension read from a case's records as rows (f.case_id, code): the
// FROM and WHERE over its table (alias f) and the code expression.
struct RecordRows {
  std::string from;
  std::string where;
  std::string code;
};

// The rows of `table` (alias f) crossed with the codes of `catalogue` set
// in the bit mask `column` (1 << code): one row per record and code.
std::string BitsOf(absl::string_view table, absl::string_view column,
                   const google::protobuf::EnumDescriptor* catalogue) {
  std::vector<std::string> codes;
  for (int i = 0; i < catalogue->value_count(); ++i) {
    if (catalogue->value(i)->number() > 0) {
      codes.push_back(
          absl::StrCat("SELECT ", catalogue->value(i)->number(), " AS s"));
    }
  }
  return absl::StrCat(table, " f JOIN (", absl::StrJoin(codes, " UNION ALL "),
                      ") k ON (f.", column, " >> k.s) & 1 = 1");
}

// The sanctioned persons (services/cases' resolutions tables, schema
// version 14) of the case's current resolution: its latest record.
constexpr char kCurrentResolution[] =
    "f.resolution_seq = (SELECT MAX(r.seq) FROM resolutions r "
    "WHERE r.case_id = f.case_id)";

RecordRows RecordRowsOf(StatsDimension d) {
  switch (d) {
    case v1::STATS_DIMENSION_REFERRAL_SERVICE:
      // services is a bit mask, 1 << ReferralServiceKind.
      return {
          BitsOf("referrals", "services", v1::ReferralServiceKind_descriptor()),
          "1", "k.s"};
    case v1::STATS_DIMENSION_FAULT_QUALIFICATION:
      return {"sanctioned_persons f", kCurrentResolution, "f.qualification"};
    case v1::STATS_DIMENSION_SANCTION_TYPE:
      // sanction_types is a bit mask, 1 << SanctionType.
      return {BitsOf("sanctioned_persons", "sanction_types",
                     v1::SanctionType_descriptor()),
              kCurrentResolution, "k.s"};
    case v1::STATS_DIMENSION_REFERRAL_OUTCOME:
      return {"referrals f",
              absl::StrCat("f.status = ", v1::REFERRAL_STATUS_COMPLETED,
                           " AND f.outcome != 0"),
              "f.outcome"};
    default:
      return {"referrals f", "1", "f.status"};
  }
}

// The outcome of the case's current resolution (its latest record), 0
// (pending) without one.
constexpr char kResolutionOutcome[] =
    "COALESCE((SELECT r.outcome FROM resolutions r WHERE r.case_id = c.id "
    "ORDER BY r.seq DESC LIMIT 1), 0)";

// The bucket (StatsDimension DAYS_TO_RESOLUTION's stats_bucket options) of
// the whole days from the reported date to the case's first resolution:
// one lookup of the case's resolutions per row, the aggregate computed
// once and read by every branch.
std::string ResolutionDaysBucket() {
  const std::string first = "MIN(r.resolution_date)";
  const std::string days =
      absl::StrCat(EpochDay(first), " - ", EpochDay("c.reported_date"));
  return absl::StrCat("(SELECT CASE WHEN ", first, " IS NULL THEN 0 WHEN (",
                      days, ") <= 30 THEN 1 WHEN (", days,
                      ") <= 90 THEN 2 WHEN (", days, ") <= 180 THEN 3 WHEN (",
                      days,
                      ") <= 365 THEN 4 ELSE 5 END FROM resolutions r WHERE "
                      "r.case_id = c.id)");
}

std::string DaysBucket() {
  const std::string days = DaysToFirstAction();
  return absl::StrCat("(CASE WHEN (", days, ") IS NULL THEN 0 WHEN (", days,
                      ") <= 0 THEN 1 WHEN (", days, ") <= 2 THEN 2 WHEN (",
                      days, ") <= 7 THEN 3 WHEN (", days,
                      ") <= 30 THEN 4 ELSE 5 END)");
}

}  // namespace

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
      case v1::STATS_DIMENSION_NORMATIVE_SYSTEM:
        e = "c.normative_system";
        break;
      case v1::STATS_DIMENSION_TERRITORIAL_LEVEL:
        e = "c.territorial_level";
        break;
      case v1::STATS_DIMENSION_ELECTORAL_STAGE:
        e = "c.electoral_stage";
        break;
      case v1::STATS_DIMENSION_STATUS:
        e = "c.status";
        break;
      case v1::STATS_DIMENSION_DAYS_TO_FIRST_ACTION:
        e = DaysBucket();
        break;
      case v1::STATS_DIMENSION_RESOLUTION_OUTCOME:
        e = kResolutionOutcome;
        break;
      case v1::STATS_DIMENSION_DAYS_TO_RESOLUTION:
        e = ResolutionDaysBucket();
        break;
      case v1::STATS_DIMENSION_INSTITUTION_KIND:
        join_institution = true;
        e = "i.kind";
        break;
      case v1::STATS_DIMENSION_REFERRAL_SERVICE:
      case v1::STATS_DIMENSION_REFERRAL_OUTCOME:
      case v1::STATS_DIMENSION_REFERRAL_STATUS:
      case v1::STATS_DIMENSION_FAULT_QUALIFICATION:
      case v1::STATS_DIMENSION_SANCTION_TYPE: {
        // Multi-valued over the case's records: the distinct codes of the
        // case, joined like case_codes (a derived table SQLite builds once
        // and indexes by case_id).
        const RecordRows rows = RecordRowsOf(d);
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
      case v1::STATS_DIMENSION_NORMATIVE_SYSTEM:
        where.push_back(absl::StrCat("c.normative_system", in));
        break;
      case v1::STATS_DIMENSION_TERRITORIAL_LEVEL:
        where.push_back(absl::StrCat("c.territorial_level", in));
        break;
      case v1::STATS_DIMENSION_ELECTORAL_STAGE:
        where.push_back(absl::StrCat("c.electoral_stage", in));
        break;
      case v1::STATS_DIMENSION_STATUS:
        where.push_back(absl::StrCat("c.status", in));
        break;
      case v1::STATS_DIMENSION_DAYS_TO_FIRST_ACTION:
        where.push_back(absl::StrCat(DaysBucket(), in));
        break;
      case v1::STATS_DIMENSION_RESOLUTION_OUTCOME:
        where.push_back(absl::StrCat(kResolutionOutcome, in));
        break;
      case v1::STATS_DIMENSION_DAYS_TO_RESOLUTION:
        where.push_back(absl::StrCat(ResolutionDaysBucket(), in));
        break;
      case v1::STATS_DIMENSION_INSTITUTION_KIND:
        where.push_back(absl::StrCat(
            "(SELECT kind FROM institutions WHERE id = c.institution)", in));
        break;
      case v1::STATS_DIMENSION_REFERRAL_SERVICE:
      case v1::STATS_DIMENSION_REFERRAL_OUTCOME:
      case v1::STATS_DIMENSION_REFERRAL_STATUS:
      case v1::STATS_DIMENSION_FAULT_QUALIFICATION:
      case v1::STATS_DIMENSION_SANCTION_TYPE: {
        const RecordRows rows = RecordRowsOf(pf.dimension);
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

}  // namespace resguardo::stats
