// `resguardo admin keys ...`: AdminService's key rotation (StartKeyRotation,
// GetKeyRotation), with a wait that shows the progress until it is done.
#ifndef RESGUARDO_CLIENTS_CLI_KEY_COMMANDS_H_
#define RESGUARDO_CLIENTS_CLI_KEY_COMMANDS_H_

namespace resguardo::cli {

class CommandRegistry;

void RegisterKeyCommands(CommandRegistry& registry);

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_KEY_COMMANDS_H_
