#include "clients/cli/stats_chart.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "clients/cli/stats_commands.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace resguardo::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

v1::StatsQueryResponse Answer() {
  v1::StatsQueryResponse a;
  a.add_dimensions(v1::STATS_DIMENSION_STATE);
  a.add_dimensions(v1::STATS_DIMENSION_VIOLENCE_TYPE);
  a.set_measure(v1::STATS_MEASURE_CASES);
  auto cell = [&](const char* state, const char* type, int64_t n) {
    v1::StatsCell* c = a.add_cells();
    c->add_values(state);
    c->add_values(type);
    if (n < 0) {
      c->set_suppressed(true);
    } else {
      c->set_count(n);
    }
  };
  cell("20", "VIOLENCE_TYPE_PSYCHOLOGICAL", 137);
  cell("20", "VIOLENCE_TYPE_SEXUAL", -1);
  cell("07", "VIOLENCE_TYPE_PSYCHOLOGICAL", 58);
  cell("07", "VIOLENCE_TYPE_SEXUAL", -1);
  a.mutable_total()->add_values("");
  a.mutable_total()->add_values("");
  a.mutable_total()->set_count(203);
  a.mutable_privacy()->set_k(5);
  return a;
}

std::string Label(int d, const std::string& v) {
  // A label with characters XML must escape.
  return d == 0 ? absl::StrCat("Estado <", v, "> & \"co\"") : v;
}

TEST(StatsChartTest, SvgIsWellFormedForXmllint) {
  const std::string svg = RenderStatsSvg(Answer(), Lang::kEs, Label);
  const std::string path =
      absl::StrCat(::testing::TempDir(), "/stats_chart_test.svg");
  std::ofstream(path) << svg;
  ASSERT_EQ(std::system("command -v xmllint >/dev/null 2>&1"), 0)
      << "xmllint is missing: deploy/install-deps.sh installs libxml2-utils";
  EXPECT_EQ(std::system(absl::StrCat("xmllint --noout '", path, "'").c_str()),
            0)
      << svg;
  // The check can fail: a broken document is refused.
  std::ofstream(path) << svg.substr(0, svg.size() / 2);
  EXPECT_NE(
      std::system(
          absl::StrCat("xmllint --noout '", path, "' 2>/dev/null").c_str()),
      0);
  std::remove(path.c_str());
}

TEST(StatsChartTest, CarriesTheNumbersAndTheSuppressionMarks) {
  const std::string svg = RenderStatsSvg(Answer(), Lang::kEn, Label);
  EXPECT_THAT(svg, HasSubstr(">137</text>"));
  EXPECT_THAT(svg, HasSubstr(">58</text>"));
  EXPECT_THAT(svg, HasSubstr("Total: 203"));
  // Two suppressed cells, each marked, none drawn as a zero-height bar or
  // labelled 0.
  size_t marks = 0;
  for (size_t at = svg.find("class=\"suppressed\""); at != std::string::npos;
       at = svg.find("class=\"suppressed\"", at + 1)) {
    ++marks;
  }
  EXPECT_EQ(marks, 2u);
  // Marked by a hatched square of the bar's width on the axis, never a bar
  // whose height could be read as a number.
  EXPECT_THAT(svg, HasSubstr("suppressed</title><rect x=\"110\" y=\"367\" "
                             "width=\"26\" height=\"26\""));
  EXPECT_THAT(svg, Not(HasSubstr("height=\"320\"")));
  // The title names the measure and what it is broken down by; the legend
  // is titled; count ticks are whole numbers.
  EXPECT_THAT(svg, HasSubstr(">Cases by State and Violence type</text>"));
  EXPECT_THAT(svg, HasSubstr("font-weight=\"bold\">Violence type</text>"));
  EXPECT_THAT(svg, HasSubstr(">35</text>"));
  EXPECT_THAT(svg, Not(HasSubstr(".25</text>")));
  EXPECT_THAT(svg, Not(HasSubstr(">0</text></g>")));
  EXPECT_THAT(svg, Not(HasSubstr("height=\"0\"")));
  EXPECT_THAT(svg, HasSubstr("Estado &lt;20&gt; &amp; &quot;co&quot;"));
}

TEST(StatsOutputTest, HeadingsAndStatesAreNamedInTheUsersLanguage) {
  // Issue 20 item 8: headings showed raw codes, states their INEGI codes.
  const std::string es = StatsTable(Answer(), Lang::kEs);
  EXPECT_THAT(es, HasSubstr("Estado"));
  EXPECT_THAT(es, HasSubstr("Tipo de violencia"));
  EXPECT_THAT(es, Not(HasSubstr("violence_type")));
  EXPECT_THAT(es, HasSubstr("Oaxaca"));
  EXPECT_THAT(StatsTable(Answer(), Lang::kEn), HasSubstr("Violence type"));
}

TEST(StatsChartTest, CsvMarksSuppressedCellsWithoutAValue) {
  const std::string csv = StatsCsv(Answer());
  EXPECT_THAT(csv, HasSubstr("state,violence_type,value,suppressed\r\n"));
  EXPECT_THAT(csv, HasSubstr("20,PSYCHOLOGICAL,137,false\r\n"));
  EXPECT_THAT(csv, HasSubstr("20,SEXUAL,,true\r\n"));
  EXPECT_THAT(csv, HasSubstr("TOTAL,TOTAL,203,false\r\n"));
}

TEST(StatsChartTest, DimensionNamesFromTheAllowList) {
  auto d = ParseDimension("violence-type", Lang::kEn);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, v1::STATS_DIMENSION_VIOLENCE_TYPE);
  auto bad = ParseDimension("party", Lang::kEn);
  EXPECT_FALSE(bad.ok());
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("state"));
}

// The information loss in every output, and a hint naming no value when
// most of the table is withheld (Spanish first, English second).
TEST(StatsOutputTest, ShowsTheInformationLossAndAHintWhenMostlyWithheld) {
  v1::StatsQueryResponse a = Answer();
  a.set_information_loss(0.125);
  const std::string es = StatsTable(a, Lang::kEs);
  EXPECT_THAT(es, HasSubstr("Pérdida de información: 12.5 %"));
  EXPECT_THAT(StatsTable(a, Lang::kEn), HasSubstr("Information loss: 12.5%"));
  EXPECT_FALSE(StatsHint(a, Lang::kEs).has_value());
  EXPECT_THAT(StatsCsv(a), HasSubstr("\r\nINFORMATION_LOSS,,0.1250,false\r\n"));

  a.set_information_loss(0.62);
  ASSERT_TRUE(StatsHint(a, Lang::kEs).has_value());
  EXPECT_THAT(*StatsHint(a, Lang::kEs), HasSubstr("periodo más amplio"));
  EXPECT_THAT(*StatsHint(a, Lang::kEn), HasSubstr("coarser period"));
  EXPECT_THAT(StatsTable(a, Lang::kEs), HasSubstr("menos dimensiones"));
  // The hint names no value of the table.
  for (const char* value : {"20", "07", "PSYCH", "SEXUAL"}) {
    EXPECT_THAT(*StatsHint(a, Lang::kEs), Not(HasSubstr(value)));
    EXPECT_THAT(*StatsHint(a, Lang::kEn), Not(HasSubstr(value)));
  }
  a.set_information_loss(0.01);
  a.set_suppression_budget_exhausted(true);
  EXPECT_TRUE(StatsHint(a, Lang::kEn).has_value());
  // An answer without the figure (differential privacy) shows none.
  a.clear_information_loss();
  a.clear_suppression_budget_exhausted();
  EXPECT_THAT(StatsTable(a, Lang::kEn), Not(HasSubstr("Information loss")));
  EXPECT_THAT(StatsCsv(a), Not(HasSubstr("INFORMATION_LOSS")));
}

}  // namespace
}  // namespace resguardo::cli
