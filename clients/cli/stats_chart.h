// The SVG chart of a statistics answer (`resguardo stats query --chart`): a
// bar chart that a person opens in a browser. One group of bars per value
// of the first dimension, one bar per value of the others (with a legend);
// without dimensions, one bar for the total.
//
// Every number of the answer is carried as text on its bar. A withheld
// (suppressed) cell is never drawn as zero: it is a hatched column over the
// whole height of the plot, marked "suprimido / suppressed" in its text and
// its <title>, with class="suppressed".
//
// Thread-safe (pure function).
#ifndef RESGUARDO_CLIENTS_CLI_STATS_CHART_H_
#define RESGUARDO_CLIENTS_CLI_STATS_CHART_H_

#include <functional>
#include <string>

#include "clients/cli/language.h"
#include "resguardo/v1/stats_service.pb.h"

namespace resguardo::cli {

// `label(d, value)` turns a cell value of dimension index d into the text a
// person reads. Returns a complete, well-formed SVG document (UTF-8).
std::string RenderStatsSvg(
    const v1::StatsQueryResponse& answer, Lang lang,
    const std::function<std::string(int, const std::string&)>& label);

// `text` with &, <, >, " and ' escaped for XML.
std::string XmlEscape(const std::string& text);

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_STATS_CHART_H_
