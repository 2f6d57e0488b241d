// The `resguardo alerts` commands (alert_commands.cc).
#ifndef RESGUARDO_CLIENTS_CLI_ALERT_COMMANDS_H_
#define RESGUARDO_CLIENTS_CLI_ALERT_COMMANDS_H_

namespace resguardo::cli {

class CommandRegistry;

void RegisterAlertCommands(CommandRegistry& registry);

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_ALERT_COMMANDS_H_
