// `resguardo resolution ...`: the resolutions of a political-violence case
// (CaseService's resolution methods): add, show, appeal, decide, final, and
// the reparation measures' add and compliance.
#ifndef RESGUARDO_CLIENTS_CLI_RESOLUTION_COMMANDS_H_
#define RESGUARDO_CLIENTS_CLI_RESOLUTION_COMMANDS_H_

namespace resguardo::cli {

class CommandRegistry;

void RegisterResolutionCommands(CommandRegistry& registry);

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_RESOLUTION_COMMANDS_H_
