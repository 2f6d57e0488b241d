#include "clients/cli/stats_chart.h"

#include <algorithm>
#include <map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "clients/cli/messages.h"

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
  const int group_width =
      static_cast<int>(series.size()) * (kBarWidth + kBarGap) + kGroupGap;
  const int plot_width =
      std::max(200, static_cast<int>(groups.size()) * group_width);
  const int legend_height =
      series.size() > 1 ? 20 * static_cast<int>(series.size()) + 20 : 0;
  const int width = kLeft + plot_width + 40;
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
  const MsgId measure_id =
      measure == v1::STATS_MEASURE_DISTINCT_VICTIMS ? MsgId::kStatsVictims
      : measure == v1::STATS_MEASURE_MEDIAN_DAYS_TO_FIRST_ACTION
          ? MsgId::kStatsMedianFirstAction
      : measure == v1::STATS_MEASURE_MEDIAN_DAYS_TO_REFERRAL_ACCEPTANCE
          ? MsgId::kStatsMedianReferral
          : MsgId::kStatsCases;
  absl::StrAppend(&svg, "<text x=\"", kLeft,
                  "\" y=\"24\" font-size=\"16\" "
                  "font-weight=\"bold\">",
                  XmlEscape(Text(lang, measure_id)), "</text>\n");
  std::string note =
      Msg(lang, MsgId::kStatsChartNote, absl::StrCat(answer.privacy().k()));
  if (answer.total().suppressed()) {
    absl::StrAppend(&note, " · ", Text(lang, MsgId::kStatsTotal), ": ",
                    suppressed_text);
  } else {
    absl::StrAppend(&note, " · ", Text(lang, MsgId::kStatsTotal), ": ",
                    Value(answer.total(), measure));
  }
  absl::StrAppend(&svg, "<text x=\"", kLeft, "\" y=\"44\" class=\"note\">",
                  XmlEscape(note), "</text>\n");
  // Axis.
  absl::StrAppend(&svg, "<line x1=\"", kLeft, "\" y1=\"", base, "\" x2=\"",
                  kLeft + plot_width, "\" y2=\"", base,
                  "\" stroke=\"#333333\"/>\n<line x1=\"", kLeft, "\" y1=\"",
                  kTop, "\" x2=\"", kLeft, "\" y2=\"", base,
                  "\" stroke=\"#333333\"/>\n");
  for (int tick = 0; tick <= 4; ++tick) {
    const double v = max_value * tick / 4;
    const int y = base - static_cast<int>(kPlotHeight * tick / 4);
    absl::StrAppend(&svg, "<text x=\"", kLeft - 6, "\" y=\"", y + 4,
                    "\" text-anchor=\"end\" fill=\"#555555\">",
                    absl::StrFormat("%g", v), "</text>\n");
  }
  for (size_t g = 0; g < groups.size(); ++g) {
    const int gx = kLeft + 10 + static_cast<int>(g) * group_width;
    for (size_t s = 0; s < series.size(); ++s) {
      auto it = cells.find({groups[g], series[s]});
      if (it == cells.end()) continue;
      const v1::StatsCell& c = *it->second;
      const int x = gx + static_cast<int>(s) * (kBarWidth + kBarGap);
      const std::string title = XmlEscape(absl::StrCat(
          groups[g], series[s].empty() ? "" : " · ", series[s], ": ",
          c.suppressed() ? suppressed_text : Value(c, measure)));
      if (c.suppressed()) {
        absl::StrAppend(
            &svg, "<g class=\"suppressed\"><title>", title, "</title>",
            "<rect x=\"", x, "\" y=\"", kTop, "\" width=\"", kBarWidth,
            "\" height=\"", kPlotHeight,
            "\" fill=\"url(#hatch)\" fill-opacity=\"0.35\" stroke=\"#999999\" "
            "stroke-dasharray=\"4 3\"/>",
            "<text x=\"", x + kBarWidth / 2 + 4, "\" y=\"", base - 8,
            "\" transform=\"rotate(-90 ", x + kBarWidth / 2 + 4, " ", base - 8,
            ")\" fill=\"#555555\">", XmlEscape(suppressed_text),
            "</text></g>\n");
        continue;
      }
      const double v = Number(c, measure);
      const int h = static_cast<int>(kPlotHeight * v / max_value);
      absl::StrAppend(&svg, "<g class=\"cell\"><title>", title, "</title>",
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
    int y = base + 100;
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
