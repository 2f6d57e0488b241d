// `stats query` reads what it shows from the StatsDimension descriptors
// (stats_service.proto): the words of a dimension's "not recorded" cell,
// the buckets a filter accepts and the dimensions its help lists, so that
// a new dimension needs no change here.
#include "clients/cli/stats_commands.h"

#include <cctype>
#include <sstream>
#include <string>
#include <vector>

#include "clients/cli/cli_app.h"
#include "clients/cli/command_registry.h"
#include "clients/cli/exit_codes.h"
#include "clients/cli/help_text.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace resguardo::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// An answer by `dimension` with one cell per value.
v1::StatsQueryResponse AnswerBy(v1::StatsDimension dimension,
                                const std::vector<std::string>& values) {
  v1::StatsQueryResponse a;
  a.add_dimensions(dimension);
  a.set_measure(v1::STATS_MEASURE_CASES);
  for (const std::string& v : values) {
    v1::StatsCell* c = a.add_cells();
    c->add_values(v);
    c->set_suppressed(true);
  }
  a.mutable_total()->add_values("");
  a.mutable_total()->set_count(12);
  a.mutable_privacy()->set_k(5);
  return a;
}

TEST(StatsLabelsTest, NotRecordedCellsSayWhatTheDimensionMeans) {
  const v1::StatsQueryResponse outcome =
      AnswerBy(v1::STATS_DIMENSION_RESOLUTION_OUTCOME,
               {"RESOLUTION_OUTCOME_UNSPECIFIED", "RESOLUTION_OUTCOME_PROVEN"});
  const std::string es = StatsTable(outcome, Lang::kEs);
  EXPECT_THAT(es, HasSubstr("Sentido de la resolución"));
  EXPECT_THAT(es, HasSubstr("Pendiente (sin resolución)"));
  EXPECT_THAT(es, HasSubstr("Violencia política acreditada"));
  EXPECT_THAT(es, Not(HasSubstr("no registrado")));
  const std::string en = StatsTable(outcome, Lang::kEn);
  EXPECT_THAT(en, HasSubstr("Pending (no resolution)"));
  EXPECT_THAT(en, Not(HasSubstr("Pendiente")));
  // Machines keep the stable code.
  EXPECT_THAT(StatsCsv(outcome), HasSubstr("\r\nNOT_RECORDED,,true\r\n"));

  const v1::StatsQueryResponse sanction = AnswerBy(
      v1::STATS_DIMENSION_SANCTION_TYPE, {"SANCTION_TYPE_UNSPECIFIED"});
  EXPECT_THAT(StatsTable(sanction, Lang::kEs),
              HasSubstr("Sin persona sancionada"));

  // A bucketed dimension's "none": its own words; the other buckets as the
  // node spells them.
  const v1::StatsQueryResponse days = AnswerBy(
      v1::STATS_DIMENSION_DAYS_TO_RESOLUTION, {"none", "31-90", "366+"});
  EXPECT_THAT(StatsTable(days, Lang::kEs), HasSubstr("Sin resolución"));
  EXPECT_THAT(StatsTable(days, Lang::kEn), HasSubstr("No resolution yet"));
  EXPECT_THAT(StatsTable(days, Lang::kEs), HasSubstr("31-90"));
  EXPECT_THAT(StatsCsv(days), HasSubstr("\r\nnone,,true\r\n"));
  EXPECT_THAT(StatsTable(AnswerBy(v1::STATS_DIMENSION_DAYS_TO_FIRST_ACTION,
                                  {"none", "0"}),
                         Lang::kEs),
              HasSubstr("Sin actuación"));

  // A dimension without its own words: "no registrado / not recorded".
  const v1::StatsQueryResponse risk =
      AnswerBy(v1::STATS_DIMENSION_RISK_LEVEL, {"RISK_LEVEL_UNSPECIFIED"});
  EXPECT_THAT(StatsTable(risk, Lang::kEs), HasSubstr("no registrado"));
  EXPECT_THAT(StatsTable(risk, Lang::kEn), HasSubstr("not recorded"));
}

TEST(StatsLabelsTest, HelpListsEveryDimensionOfTheAllowList) {
  const Command* query = DefaultRegistry().Find({"stats", "query"});
  ASSERT_NE(query, nullptr);
  const auto* dimensions = v1::StatsDimension_descriptor();
  for (Lang lang : {Lang::kEs, Lang::kEn}) {
    const std::string help = CommandHelp(*query, lang);
    EXPECT_THAT(help, Not(HasSubstr("$0")));
    EXPECT_THAT(help, Not(HasSubstr("unspecified")));
    for (int i = 1; i < dimensions->value_count(); ++i) {
      std::string name = dimensions->value(i)->name();
      name = name.substr(std::string("STATS_DIMENSION_").size());
      for (char& ch : name) ch = static_cast<char>(std::tolower(ch));
      EXPECT_THAT(help, HasSubstr(name)) << name;
      // Each name is one that --by takes back.
      auto parsed = ParseDimension(name, lang);
      ASSERT_TRUE(parsed.ok()) << name;
      EXPECT_EQ(*parsed, dimensions->value(i)->number());
    }
  }
  EXPECT_THAT(StatsDimensionNames(),
              HasSubstr("normative_system, territorial_level, electoral_stage, "
                        "resolution_outcome, fault_qualification, "
                        "sanction_type, days_to_resolution"));
}

struct CliRun {
  int code;
  std::string err;
};

CliRun RunWith(std::vector<std::string> args) {
  std::istringstream in;
  std::ostringstream out, err;
  const int code = RunCli(DefaultRegistry(), args, Streams{in, out, err},
                          /*stdin_is_tty=*/false,
                          [](const char*) -> const char* { return nullptr; });
  return {code, err.str()};
}

TEST(StatsLabelsTest, FiltersOnABucketedDimensionTakeItsBuckets) {
  const CliRun bad = RunWith({"stats", "query", "--lang", "en", "--filter",
                              "days_to_resolution=0-29"});
  EXPECT_EQ(bad.code, kExitUsage);
  EXPECT_THAT(bad.err, HasSubstr("unknown value: 0-29 (one of: none, 0-30, "
                                 "31-90, 91-180, 181-365, 366+)"));
  const CliRun es = RunWith(
      {"stats", "query", "--lang", "es", "--filter", "days_to_first_action=2"});
  EXPECT_EQ(es.code, kExitUsage);
  EXPECT_THAT(es.err, HasSubstr("valor desconocido: 2 (uno de: none, 0, 1-2, "
                                "3-7, 8-30, 31+)"));
  // The buckets themselves pass the CLI (and fail later, for want of a
  // node to ask: no configuration here).
  const CliRun good = RunWith({"stats", "query", "--by", "resolution-outcome",
                               "--filter", "days_to_resolution=none,366+",
                               "--filter", "resolution_outcome=PROVEN"});
  EXPECT_NE(good.code, kExitUsage) << good.err;
  EXPECT_NE(good.code, kExitOk) << good.err;
}

// The node names the release of every answer. Without epsilon the table
// tells the query allowance left, never a differential-privacy budget of 0
// (which read as if the analyst's budget were spent).
TEST(StatsLabelsTest, TheNoteIsTheAllowanceWithoutEpsilonAndTheBudgetWithIt) {
  v1::StatsQueryResponse a = AnswerBy(v1::STATS_DIMENSION_RISK_LEVEL, {});
  a.mutable_privacy()->set_release("2026-Q4");
  a.mutable_privacy()->set_queries_remaining(19);
  std::string table = StatsTable(a, Lang::kEs);
  EXPECT_THAT(table,
              HasSubstr("Consultas distintas que le quedan en el periodo "
                        "2026-Q4: 19."));
  EXPECT_THAT(table, Not(HasSubstr("Privacidad diferencial")));
  EXPECT_THAT(StatsTable(a, Lang::kEn),
              HasSubstr("Distinct queries you have left in release 2026-Q4: "
                        "19."));

  a.mutable_privacy()->set_epsilon(0.5);
  a.mutable_privacy()->set_budget_remaining(0.25);
  table = StatsTable(a, Lang::kEs);
  EXPECT_THAT(table, HasSubstr("Privacidad diferencial: ε = 0.5 (periodo "
                               "2026-Q4, presupuesto restante 0.25)"));
  EXPECT_THAT(table, Not(HasSubstr("Consultas distintas")));
}

}  // namespace
}  // namespace resguardo::cli
