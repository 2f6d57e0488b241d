#include "clients/cli/stats_chart.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "clients/cli/catalogue_codes.h"
#include "clients/cli/messages.h"
#include "resguardo/v1/stats_service.pb.h"

namespace resguardo::cli {
namespace {

constexpr int kPlotHeight = 320;
constexpr int kBarWidth = 26;
constexpr int kBarGap = 4;
constexpr int kGroupGap = 24;
constexpr int kLeft = 70;
constexpr int kTop = 60;
constexpr const char* kColours[] = {"#3b6ea5", "#d1495b", "#edae49",
                                    "#00798c", "#7a5195", "#66a182",
                                    "#8d6a9f", "#c05746", "#2e4057"};

std::string Value(const v1::StatsCell& cell, v1::StatsMeasure measure) {
  if (measure == v1::STATS_MEASURE_MEDIAN_DAYS_TO_FIRST_ACTION ||
      measure == v1::STATS_MEASURE_MEDIAN_DAYS_TO_REFERRAL_ACCEPTANCE) {
    return absl::StrFormat("%g", cell.median_days());
  }
  return absl::StrCat(cell.count());
}

double Number(const v1::StatsCell& cell, v1::StatsMeasure measure) {
  if (measure == v1::STATS_MEASURE_MEDIAN_DAYS_TO_FIRST_ACTION ||
      measure == v1::STATS_MEASURE_MEDIAN_DAYS_TO_REFERRAL_ACCEPTANCE) {
    return cell.median_days();
  }
  return static_cast<double>(cell.count());
}

bool IsMedian(v1::StatsMeasure measure) {
  return measure == v1::STATS_MEASURE_MEDIAN_DAYS_TO_FIRST_ACTION ||
         measure == v1::STATS_MEASURE_MEDIAN_DAYS_TO_REFERRAL_ACCEPTANCE;
}

MsgId MeasureId(v1::StatsMeasure measure) {
  switch (measure) {
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

// The dimension's label (stats_service.proto) in `lang`.
std::string DimensionName(int dimension, Lang lang) {
  const auto* v = v1::StatsDimension_descriptor()->FindValueByNumber(dimension);
  return v == nullptr ? absl::StrCat(dimension) : LabelOf(v, lang);
}

// "A", "A y B", "A, B y C" (English: "and").
std::string JoinNames(const std::vector<std::string>& names, Lang lang) {
  if (names.size() <= 1) return names.empty() ? "" : names.front();
  const std::string last = names.back();
  std::vector<std::string> rest(names.begin(), names.end() - 1);
  return absl::StrCat(absl::StrJoin(rest, ", "),
                      lang == Lang::kEs ? " y " : " and ", last);
}

// The axis top for counts: a multiple of 4 at or above `max`, so that the
// four ticks are whole numbers.
double NiceCountTop(double max) {
  const int64_t m = static_cast<int64_t>(max + 0.999);
  return static_cast<double>(((std::max<int64_t>(m, 4) + 3) / 4) * 4);
}

}  // namespace

std::string XmlEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // Control characters are not allowed in XML 1.0.
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n') {
          out += c;
        }
    }
  }
  return out;
}

std::string RenderStatsSvg(
    const v1::StatsQueryResponse& answer, Lang lang,
    const std::function<std::string(int, const std::string&)>& label) {
  const v1::StatsMeasure measure = answer.measure();
  const std::string suppressed_text = Text(lang, MsgId::kStatsSuppressed);
  // Groups: first dimension's value; series: the rest joined.
  std::vector<std::string> groups, series;
  std::map<std::pair<std::string, std::string>, const v1::StatsCell*> cells;
  auto add_unique = [](std::vector<std::string>& v, const std::string& s) {
    if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
  };
  if (answer.dimensions_size() == 0) {
    groups.push_back(Text(lang, MsgId::kStatsTotal));
    series.push_back("");
    cells[{groups[0], ""}] = &answer.total();
  } else {
    for (const v1::StatsCell& c : answer.cells()) {
      std::string g = c.values_size() > 0 ? label(0, c.values(0)) : "";
      std::vector<std::string> rest;
      for (int d = 1; d < c.values_size(); ++d) {
        rest.push_back(label(d, c.values(d)));
      }
      std::string s = absl::StrJoin(rest, " · ");
      add_unique(groups, g);
      add_unique(series, s);
      cells[{g, s}] = &c;
    }
  }
  double max_value = 1;
  for (const auto& [unused, c] : cells) {
    if (!c->suppressed()) max_value = std::max(max_value, Number(*c, measure));
  }
  // "Casos por Estado y Nivel de riesgo": the measure and what it is
  // broken down by; the legend is titled by the dimensions after the first.
  std::vector<std::string> dims;
  for (int d = 0; d < answer.dimensions_size(); ++d) {
    dims.push_back(DimensionName(answer.dimensions(d), lang));
  }
  const std::string title =
      dims.empty() ? Text(lang, MeasureId(measure))
                   : Msg(lang, MsgId::kStatsChartTitle,
                         Text(lang, MeasureId(measure)), JoinNames(dims, lang));
  const std::string legend_title =
      dims.size() > 1
          ? JoinNames(std::vector<std::string>(dims.begin() + 1, dims.end()),
                      lang)
          : "";
  const bool counts = !IsMedian(measure);
  const double top = counts ? NiceCountTop(max_value) : max_value;
  const int group_width =
      static_cast<int>(series.size()) * (kBarWidth + kBarGap) + kGroupGap;
  const int plot_width =
      std::max(200, static_cast<int>(groups.size()) * group_width);
  const int legend_height =
      series.size() > 1 ? 20 * static_cast<int>(series.size()) + 40 : 0;
  std::string note =
      Msg(lang, MsgId::kStatsChartNote, absl::StrCat(answer.privacy().k()));
  if (answer.total().suppressed()) {
    absl::StrAppend(&note, " · ", Text(lang, MsgId::kStatsTotal), ": ",
                    suppressed_text);
  } else {
    absl::StrAppend(&note, " · ", Text(lang, MsgId::kStatsTotal), ": ",
                    Value(answer.total(), measure));
  }
  // Wide enough for the title and the note (about 7 px a character at 12 px,
  // 9 at the title's 16 px), so that neither is cut off.
  const int text_width = std::max(9 * static_cast<int>(title.size()),
                                  7 * static_cast<int>(note.size()));
  const int width = std::max(kLeft + plot_width + 40, kLeft + text_width + 20);
  const int height = kTop + kPlotHeight + 110 + legend_height;
  const int base = kTop + kPlotHeight;

  std::string svg = absl::StrCat(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"", width,
      "\" height=\"", height, "\" viewBox=\"0 0 ", width, " ", height,
      "\" font-family=\"sans-serif\" font-size=\"12\">\n",
      "<defs><pattern id=\"hatch\" width=\"8\" height=\"8\" "
      "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
      "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"8\" stroke=\"#999999\" "
      "stroke-width=\"3\"/></pattern></defs>\n",
      "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
  absl::StrAppend(&svg, "<text x=\"", kLeft,
                  "\" y=\"24\" font-size=\"16\" "
                  "font-weight=\"bold\">",
                  XmlEscape(title), "</text>\n");
  absl::StrAppend(&svg, "<text x=\"", kLeft, "\" y=\"44\" class=\"note\">",
                  XmlEscape(note), "</text>\n");
  // Axis.
  absl::StrAppend(&svg, "<line x1=\"", kLeft, "\" y1=\"", base, "\" x2=\"",
                  kLeft + plot_width, "\" y2=\"", base,
                  "\" stroke=\"#333333\"/>\n<line x1=\"", kLeft, "\" y1=\"",
                  kTop, "\" x2=\"", kLeft, "\" y2=\"", base,
                  "\" stroke=\"#333333\"/>\n");
  // Counts get whole-number ticks (the top is a multiple of 4).
  for (int tick = 0; tick <= 4; ++tick) {
    const double v = top * tick / 4;
    const int y = base - static_cast<int>(kPlotHeight * tick / 4);
    absl::StrAppend(&svg, "<text x=\"", kLeft - 6, "\" y=\"", y + 4,
                    "\" text-anchor=\"end\" fill=\"#555555\">",
                    counts ? absl::StrCat(static_cast<int64_t>(v))
                           : absl::StrFormat("%g", v),
                    "</text>\n");
  }
  for (size_t g = 0; g < groups.size(); ++g) {
    const int gx = kLeft + 10 + static_cast<int>(g) * group_width;
    for (size_t s = 0; s < series.size(); ++s) {
      auto it = cells.find({groups[g], series[s]});
      if (it == cells.end()) continue;
      const v1::StatsCell& c = *it->second;
      const int x = gx + static_cast<int>(s) * (kBarWidth + kBarGap);
      const std::string cell_title = XmlEscape(absl::StrCat(
          groups[g], series[s].empty() ? "" : " · ", series[s], ": ",
          c.suppressed() ? suppressed_text : Value(c, measure)));
      if (c.suppressed()) {
        // No height that could be read as a number: a hatched square on the
        // axis line and a dash above it, both unlike any bar.
        absl::StrAppend(
            &svg, "<g class=\"suppressed\"><title>", cell_title, "</title>",
            "<rect x=\"", x, "\" y=\"", base - kBarWidth / 2, "\" width=\"",
            kBarWidth, "\" height=\"", kBarWidth,
            "\" fill=\"url(#hatch)\" stroke=\"#555555\" "
            "stroke-dasharray=\"3 2\"/>",
            "<text x=\"", x + kBarWidth / 2, "\" y=\"",
            base - kBarWidth / 2 - 4,
            "\" text-anchor=\"middle\" fill=\"#555555\">\u2014</text></g>\n");
        continue;
      }
      const double v = Number(c, measure);
      const int h = static_cast<int>(kPlotHeight * v / top);
      absl::StrAppend(&svg, "<g class=\"cell\"><title>", cell_title, "</title>",
                      "<rect x=\"", x, "\" y=\"", base - h, "\" width=\"",
                      kBarWidth, "\" height=\"", h, "\" fill=\"",
                      kColours[s % (sizeof(kColours) / sizeof(kColours[0]))],
                      "\"/><text x=\"", x + kBarWidth / 2, "\" y=\"",
                      base - h - 4, "\" text-anchor=\"middle\">",
                      XmlEscape(Value(c, measure)), "</text></g>\n");
    }
    const int label_x = gx + (group_width - kGroupGap) / 2;
    absl::StrAppend(&svg, "<text x=\"", label_x, "\" y=\"", base + 16,
                    "\" text-anchor=\"end\" transform=\"rotate(-35 ", label_x,
                    " ", base + 16, ")\">", XmlEscape(groups[g]), "</text>\n");
  }
  if (series.size() > 1) {
    absl::StrAppend(&svg, "<text x=\"", kLeft, "\" y=\"", base + 98,
                    "\" font-weight=\"bold\">", XmlEscape(legend_title),
                    "</text>\n");
    int y = base + 120;
    for (size_t s = 0; s < series.size(); ++s, y += 20) {
      absl::StrAppend(&svg, "<rect x=\"", kLeft, "\" y=\"", y - 10,
                      "\" width=\"12\" height=\"12\" fill=\"",
                      kColours[s % (sizeof(kColours) / sizeof(kColours[0]))],
                      "\"/><text x=\"", kLeft + 18, "\" y=\"", y, "\">",
                      XmlEscape(series[s]), "</text>\n");
    }
  }
  absl::StrAppend(&svg, "</svg>\n");
  return svg;
}

}  // namespace resguardo::cli
