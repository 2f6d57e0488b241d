#include "clients/cli/stats_commands.h"

#include <algorithm>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "clients/cli/catalogue_codes.h"
#include "clients/cli/command_registry.h"
#include "clients/cli/exit_codes.h"
#include "clients/cli/json_output.h"
#include "clients/cli/messages.h"
#include "clients/cli/stats_chart.h"
#include "clients/cli/table.h"
#include "proto/resguardo/v1/stats_catalogue.h"
#include "resguardo/v1/admin_service.grpc.pb.h"
#include "resguardo/v1/catalogues.pb.h"
#include "resguardo/v1/labels.pb.h"
#include "resguardo/v1/stats_service.grpc.pb.h"

namespace resguardo::cli {
namespace {

namespace v1 = resguardo::v1;

constexpr absl::string_view kDimPrefix = "STATS_DIMENSION_";

std::string DimensionCode(v1::StatsDimension d) {
  std::string name = v1::StatsDimension_Name(d);
  if (absl::StartsWith(name, kDimPrefix)) name = name.substr(kDimPrefix.size());
  return absl::AsciiStrToLower(name);
}

// The dimension's name in `lang` (its label in stats_service.proto).
std::string DimensionLabel(v1::StatsDimension d, Lang lang) {
  const auto* v = v1::StatsDimension_descriptor()->FindValueByNumber(d);
  return v == nullptr ? DimensionCode(d) : LabelOf(v, lang);
}

// A state's name from its INEGI code ("20" → Oaxaca); the code if unknown.
std::string StateName(absl::string_view code, Lang lang) {
  int number = 0;
  if (code.size() != 2 || !absl::SimpleAtoi(code, &number)) {
    return std::string(code);
  }
  const std::string name = LabelOf(v1::State_descriptor(), number, lang);
  return name.empty() || name == code ? std::string(code) : name;
}

// The bucket of a bucketed dimension that means "not recorded" (no action,
// no resolution yet).
constexpr absl::string_view kNoneBucket = "none";

// What the dimension's "not recorded" cell says: the dimension's own words
// when its descriptor has them ("Pendiente (sin resolución)"), else "no
// registrado".
std::string UnrecordedLabel(v1::StatsDimension d, Lang lang) {
  if (const v1::Label* l = StatsDimensionUnrecordedLabel(d)) {
    return lang == Lang::kEs ? l->es() : l->en();
  }
  return Text(lang, MsgId::kStatsNotRecorded);
}

// What a person reads for a cell value.
std::string Label(v1::StatsDimension d, const std::string& value, Lang lang) {
  if (value.empty()) return Text(lang, MsgId::kStatsTotal);
  if (d == v1::STATS_DIMENSION_STATE) return StateName(value, lang);
  if (d == v1::STATS_DIMENSION_MUNICIPALITY) {
    // No INEGI municipality catalogue is packaged: the state's name and
    // the municipality's code.
    if (value.size() != 5) return StateName(value, lang);
    return Msg(lang, MsgId::kStatsMunicipality,
               StateName(value.substr(0, 2), lang), value.substr(2));
  }
  if (const auto* e = StatsDimensionCatalogue(d)) {
    const auto* v = e->FindValueByName(value);
    if (v == nullptr) return value;
    if (v->number() == 0) return UnrecordedLabel(d, lang);
    return LabelOf(v, lang);
  }
  if (value == kNoneBucket && !StatsDimensionBuckets(d).empty()) {
    return UnrecordedLabel(d, lang);
  }
  return value;
}

// A stable code for machines (CSV): the catalogue code, else the value.
std::string Code(v1::StatsDimension d, const std::string& value) {
  if (const auto* e = StatsDimensionCatalogue(d)) {
    const auto* v = e->FindValueByName(value);
    if (v != nullptr && v->number() == 0) return "NOT_RECORDED";
    if (v != nullptr) return CodeOf(v);
  }
  return value;
}

bool IsMedian(v1::StatsMeasure m) {
  return m == v1::STATS_MEASURE_MEDIAN_DAYS_TO_FIRST_ACTION ||
         m == v1::STATS_MEASURE_MEDIAN_DAYS_TO_REFERRAL_ACCEPTANCE;
}

std::string ValueText(const v1::StatsCell& c, v1::StatsMeasure m) {
  return IsMedian(m) ? absl::StrFormat("%g", c.median_days())
                     : absl::StrCat(c.count());
}

MsgId MeasureMsg(v1::StatsMeasure m) {
  switch (m) {
    case v1::STATS_MEASURE_DISTINCT_VICTIMS:
      return MsgId::kStatsVictims;
    case v1::STATS_MEASURE_MEDIAN_DAYS_TO_FIRST_ACTION:
      return MsgId::kStatsMedianFirstAction;
    case v1::STATS_MEASURE_MEDIAN_DAYS_TO_REFERRAL_ACCEPTANCE:
      return MsgId::kStatsMedianReferral;
    default:
      return MsgId::kStatsCases;
  }
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  return absl::StrCat("\"", absl::StrReplaceAll(s, {{"\"", "\"\""}}), "\"");
}

}  // namespace

std::string StatsLossPercent(const v1::StatsQueryResponse& a) {
  return absl::StrFormat("%.1f", a.information_loss() * 100);
}

std::optional<std::string> StatsHint(const v1::StatsQueryResponse& a,
                                     Lang lang) {
  if (a.suppression_budget_exhausted() || a.information_loss() >= 0.5) {
    return Text(lang, MsgId::kStatsMostlyWithheld);
  }
  return std::nullopt;
}

std::string StatsTable(const v1::StatsQueryResponse& a, Lang lang) {
  std::vector<std::string> headings;
  for (int d = 0; d < a.dimensions_size(); ++d) {
    headings.push_back(DimensionLabel(a.dimensions(d), lang));
  }
  headings.push_back(Text(lang, MeasureMsg(a.measure())));
  Table table(headings);
  auto row = [&](const v1::StatsCell& c) {
    std::vector<std::string> cells;
    for (int d = 0; d < a.dimensions_size() && d < c.values_size(); ++d) {
      cells.push_back(Label(a.dimensions(d), c.values(d), lang));
    }
    cells.push_back(c.suppressed() ? Text(lang, MsgId::kStatsSuppressed)
                                   : ValueText(c, a.measure()));
    table.AddRow(std::move(cells));
  };
  for (const v1::StatsCell& c : a.cells()) row(c);
  for (const v1::StatsCell& c : a.margins()) row(c);
  std::vector<std::string> total(a.dimensions_size(),
                                 Text(lang, MsgId::kStatsTotal));
  total.push_back(a.total().suppressed() ? Text(lang, MsgId::kStatsSuppressed)
                                         : ValueText(a.total(), a.measure()));
  table.AddRow(std::move(total));
  std::string out = table.Render();
  const v1::StatsPrivacy& p = a.privacy();
  absl::StrAppend(&out,
                  Msg(lang, MsgId::kStatsKNote, absl::StrCat(p.k()),
                      absl::StrCat(p.perturbation_max())),
                  "\n");
  // The node names the release of every answer: with epsilon, what is left
  // of the budget; without, of the query allowance.
  if (!p.release().empty() && p.epsilon() <= 0) {
    absl::StrAppend(&out,
                    Msg(lang, MsgId::kStatsAllowanceNote, p.release(),
                        absl::StrCat(p.queries_remaining())),
                    "\n");
  } else if (!p.release().empty()) {
    absl::StrAppend(
        &out,
        Msg(lang, MsgId::kStatsDpNote, absl::StrFormat("%g", p.epsilon()),
            p.release(), absl::StrFormat("%g", p.budget_remaining()),
            absl::StrFormat("%g", p.error_bound()),
            absl::StrFormat("%g", p.error_confidence() * 100)),
        "\n");
  }
  if (a.has_information_loss()) {
    absl::StrAppend(&out, Msg(lang, MsgId::kStatsLossNote, StatsLossPercent(a)),
                    "\n");
  }
  if (auto hint = StatsHint(a, lang)) absl::StrAppend(&out, *hint, "\n");
  return out;
}

namespace {

// True when `d` is bucketed and `value` is none of its buckets.
bool NotABucket(v1::StatsDimension d, absl::string_view value) {
  const std::vector<std::string>& buckets = StatsDimensionBuckets(d);
  return !buckets.empty() &&
         std::find(buckets.begin(), buckets.end(), value) == buckets.end();
}

// "violence_type=PHYSICAL,SEXUAL" -> a filter; catalogue values by code,
// a bucketed dimension's values among its buckets.
absl::StatusOr<v1::StatsFilter> ParseFilter(const std::string& text,
                                            Lang lang) {
  std::vector<std::string> parts =
      absl::StrSplit(text, absl::MaxSplits('=', 1));
  if (parts.size() != 2 || parts[1].empty()) {
    return absl::InvalidArgumentError(Msg(lang, MsgId::kErrStatsFilter, text));
  }
  v1::StatsFilter f;
  absl::StatusOr<v1::StatsDimension> d = ParseDimension(parts[0], lang);
  if (!d.ok()) return d.status();
  f.set_dimension(*d);
  for (absl::string_view v : absl::StrSplit(parts[1], ',', absl::SkipEmpty())) {
    if (const auto* e = StatsDimensionCatalogue(*d)) {
      auto value = ParseCode(e, v);
      if (!value.ok()) {
        return absl::InvalidArgumentError(Msg(lang, MsgId::kErrStatsFilterValue,
                                              std::string(v), CodeList(e)));
      }
      f.add_values((*value)->name());
    } else if (NotABucket(*d, v)) {
      return absl::InvalidArgumentError(
          Msg(lang, MsgId::kErrStatsFilterValue, std::string(v),
              absl::StrJoin(StatsDimensionBuckets(*d), ", ")));
    } else {
      f.add_values(std::string(v));
    }
  }
  return f;
}

int RunQuery(Invocation& inv) {
  const Lang lang = inv.lang();
  v1::StatsQueryRequest request;
  const std::optional<std::string> scope = inv.flags().Get("scope");
  if (scope.has_value()) {
    request.set_parent(
        absl::StrCat("institutions/", *scope == "all" ? "-" : *scope));
  }
  if (auto by = inv.flags().Get("by")) {
    for (absl::string_view name : absl::StrSplit(*by, ',', absl::SkipEmpty())) {
      auto d = ParseDimension(std::string(name), lang);
      if (!d.ok()) return inv.UsageError(d.status().message());
      request.add_dimensions(*d);
    }
  }
  request.set_from_month(inv.flags().Get("from").value_or(""));
  request.set_to_month(inv.flags().Get("to").value_or(""));
  for (const std::string& text : inv.flags().GetAll("filter")) {
    auto f = ParseFilter(text, lang);
    if (!f.ok()) return inv.UsageError(f.status().message());
    *request.add_filters() = *f;
  }
  const std::string measure = inv.flags().Get("measure").value_or("cases");
  if (measure == "cases") {
    request.set_measure(v1::STATS_MEASURE_CASES);
  } else if (measure == "victims") {
    request.set_measure(v1::STATS_MEASURE_DISTINCT_VICTIMS);
  } else if (measure == "median-days-to-first-action") {
    request.set_measure(v1::STATS_MEASURE_MEDIAN_DAYS_TO_FIRST_ACTION);
  } else if (measure == "median-days-to-referral-acceptance") {
    request.set_measure(v1::STATS_MEASURE_MEDIAN_DAYS_TO_REFERRAL_ACCEPTANCE);
  } else {
    return inv.UsageError(Msg(lang, MsgId::kErrStatsMeasure, measure));
  }
  if (auto eps = inv.flags().Get("epsilon")) {
    double e = 0;
    if (!absl::SimpleAtod(*eps, &e)) {
      return inv.UsageError(Msg(lang, MsgId::kErrStatsEpsilon, *eps));
    }
    request.set_epsilon(e);
  }
  const std::string format =
      inv.json() ? "json" : inv.flags().Get("format").value_or("table");
  if (format != "table" && format != "csv" && format != "json") {
    return inv.UsageError(Msg(lang, MsgId::kErrStatsFormat, format));
  }

  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = inv.Channel();
  if (!channel.ok()) return inv.LocalError(channel.status());
  if (!scope.has_value()) {
    // By default, what the caller may see: every institution for an
    // oversight body's analyst, else her own (the node says which).
    v1::CurrentUser me;
    if (int rc = inv.CallOnce(&v1::AdminService::Stub::GetCurrentUser,
                              v1::GetCurrentUserRequest(), &me);
        rc != kExitOk) {
      return rc;
    }
    request.set_parent(
        me.institution().kind() == v1::INSTITUTION_KIND_OVERSIGHT
            ? "institutions/-"
            : absl::StrCat("institutions/", me.institution().institution_id()));
  }
  auto stub = v1::StatsService::NewStub(*channel);
  v1::StatsQueryResponse response;
  int rc = inv.Call([&](grpc::ClientContext* ctx) {
    return stub->Query(ctx, request, &response);
  });
  if (rc != kExitOk) return rc;

  if (auto chart = inv.flags().Get("chart")) {
    std::string svg =
        RenderStatsSvg(response, lang, [&](int d, const std::string& value) {
          return d < response.dimensions_size()
                     ? Label(response.dimensions(d), value, lang)
                     : value;
        });
    std::ofstream out(*chart, std::ios::binary | std::ios::trunc);
    out << svg;
    out.close();
    if (!out) {
      return inv.LocalError(absl::FailedPreconditionError(
          Msg(lang, MsgId::kErrStatsChart, *chart)));
    }
    if (format != "json")
      inv.Note(Msg(lang, MsgId::kStatsChartWritten, *chart));
  }
  if (format == "csv" || format == "json") {
    // The hint goes to standard error: standard output stays data.
    if (auto hint = StatsHint(response, lang)) inv.Note(*hint);
  }
  if (format == "csv") {
    inv.out() << StatsCsv(response);
    return kExitOk;
  }
  if (format == "json") {
    absl::StatusOr<std::string> line = ToJsonLine(response);
    if (!line.ok()) return inv.LocalError(line.status());
    inv.out() << *line;
    inv.out().flush();
    return kExitOk;
  }
  inv.out() << StatsTable(response, lang);
  return kExitOk;
}

}  // namespace

absl::StatusOr<v1::StatsDimension> ParseDimension(const std::string& name,
                                                  Lang lang) {
  std::string upper = absl::AsciiStrToUpper(name);
  absl::StrReplaceAll({{"-", "_"}}, &upper);
  v1::StatsDimension d;
  if (!upper.empty() &&
      v1::StatsDimension_Parse(absl::StrCat(kDimPrefix, upper), &d) &&
      d != v1::STATS_DIMENSION_UNSPECIFIED) {
    return d;
  }
  return absl::InvalidArgumentError(
      Msg(lang, MsgId::kErrStatsDimension, name, StatsDimensionNames()));
}

std::string StatsDimensionNames() {
  const auto* dimensions = v1::StatsDimension_descriptor();
  std::vector<std::string> names;
  for (int i = 0; i < dimensions->value_count(); ++i) {
    const int number = dimensions->value(i)->number();
    if (number == v1::STATS_DIMENSION_UNSPECIFIED) continue;
    names.push_back(DimensionCode(static_cast<v1::StatsDimension>(number)));
  }
  return absl::StrJoin(names, ", ");
}

std::string StatsCsv(const v1::StatsQueryResponse& a) {
  std::vector<std::string> header;
  for (int d = 0; d < a.dimensions_size(); ++d) {
    header.push_back(DimensionCode(a.dimensions(d)));
  }
  header.push_back("value");
  header.push_back("suppressed");
  std::string out = absl::StrCat(absl::StrJoin(header, ","), "\r\n");
  auto row = [&](const v1::StatsCell& c) {
    std::vector<std::string> fields;
    for (int d = 0; d < a.dimensions_size(); ++d) {
      std::string v = d < c.values_size() ? c.values(d) : "";
      fields.push_back(
          CsvField(v.empty() ? "TOTAL" : Code(a.dimensions(d), v)));
    }
    fields.push_back(c.suppressed() ? "" : ValueText(c, a.measure()));
    fields.push_back(c.suppressed() ? "true" : "false");
    absl::StrAppend(&out, absl::StrJoin(fields, ","), "\r\n");
  };
  for (const v1::StatsCell& c : a.cells()) row(c);
  for (const v1::StatsCell& c : a.margins()) row(c);
  row(a.total());
  if (a.has_information_loss() && a.dimensions_size() > 0) {
    // The information loss as a last row: a share, 0-1.
    std::vector<std::string> fields(a.dimensions_size(), "");
    fields[0] = "INFORMATION_LOSS";
    fields.push_back(absl::StrFormat("%.4f", a.information_loss()));
    fields.push_back("false");
    absl::StrAppend(&out, absl::StrJoin(fields, ","), "\r\n");
  }
  return out;
}

void RegisterStatsCommands(CommandRegistry& r) {
  r.AddGroup({{"stats"}, MsgId::kGroupStats});
  r.Add({{"stats", "query"},
         MsgId::kCmdStatsQuery,
         MsgId::kUsageOptionsOnly,
         MsgId::kDetailsStatsQuery,
         {Flag("by", FlagValue::kText, MsgId::kFlagStatsBy),
          Flag("from", FlagValue::kMonth, MsgId::kFlagStatsFrom),
          Flag("to", FlagValue::kMonth, MsgId::kFlagStatsTo),
          Flag("filter", FlagValue::kText, MsgId::kFlagStatsFilter,
               /*repeatable=*/true),
          Flag("measure", FlagValue::kText, MsgId::kFlagStatsMeasure),
          Flag("epsilon", FlagValue::kText, MsgId::kFlagStatsEpsilon),
          Flag("scope", FlagValue::kText, MsgId::kFlagStatsScope),
          Flag("format", FlagValue::kText, MsgId::kFlagStatsFormat),
          Flag("chart", FlagValue::kPath, MsgId::kFlagStatsChart)},
         0,
         0,
         RunQuery,
         // The dimensions the help lists: the allow-list itself.
         StatsDimensionNames()});
}

}  // namespace resguardo::cli
