// `resguardo stats query`: StatsService.Query as a table, CSV or JSON, and
// optionally an SVG chart (stats_chart.h).
#ifndef RESGUARDO_CLIENTS_CLI_STATS_COMMANDS_H_
#define RESGUARDO_CLIENTS_CLI_STATS_COMMANDS_H_

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

// The answer as CSV (RFC 4180): one row per cell, one-way total and the
// total; columns: the dimensions' codes, "value", "suppressed".
std::string StatsCsv(const v1::StatsQueryResponse& answer);

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_STATS_COMMANDS_H_
