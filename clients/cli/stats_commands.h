// `resguardo stats query`: StatsService.Query as a table, CSV or JSON, and
// optionally an SVG chart (stats_chart.h).
#ifndef RESGUARDO_CLIENTS_CLI_STATS_COMMANDS_H_
#define RESGUARDO_CLIENTS_CLI_STATS_COMMANDS_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "clients/cli/language.h"
#include "resguardo/v1/stats_service.pb.h"

namespace resguardo::cli {

class CommandRegistry;

void RegisterStatsCommands(CommandRegistry& registry);

// "state" -> STATS_DIMENSION_STATE (lower case, '-' or '_'). INVALID_ARGUMENT
// naming the allowed names otherwise.
absl::StatusOr<v1::StatsDimension> ParseDimension(const std::string& name,
                                                  Lang lang);

// The allow-list's names as --by and --filter take them, in proto order,
// from the StatsDimension descriptor: "month, quarter, ...,
// days_to_resolution".
std::string StatsDimensionNames();

// The answer as CSV (RFC 4180): one row per cell, one-way total and the
// total; columns: the dimensions' codes, "value", "suppressed"; then, when
// the answer has one and at least one dimension, a row
// "INFORMATION_LOSS,...,<share 0-1>,false".
std::string StatsCsv(const v1::StatsQueryResponse& answer);

// The answer as a table for people, with the notes on k, differential
// privacy, the information loss and the hint below.
std::string StatsTable(const v1::StatsQueryResponse& answer, Lang lang);

// The information loss in percent, one decimal ("12.5").
std::string StatsLossPercent(const v1::StatsQueryResponse& answer);

// When the table is mostly withheld (information loss of 50% or more, or
// the suppression's work budget ran out): a hint that names no value
// (coarser period, fewer dimensions, fewer filters).
std::optional<std::string> StatsHint(const v1::StatsQueryResponse& answer,
                                     Lang lang);

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_STATS_COMMANDS_H_
