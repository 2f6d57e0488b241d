// `resguardo admin ...`: one command per AdminService method.
#ifndef RESGUARDO_CLIENTS_CLI_ADMIN_COMMANDS_H_
#define RESGUARDO_CLIENTS_CLI_ADMIN_COMMANDS_H_

namespace resguardo::cli {

class CommandRegistry;

void RegisterAdminCommands(CommandRegistry& registry);

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_ADMIN_COMMANDS_H_
