// `resguardo case ...`: one command per CaseService method.
#ifndef RESGUARDO_CLIENTS_CLI_CASE_COMMANDS_H_
#define RESGUARDO_CLIENTS_CLI_CASE_COMMANDS_H_

namespace resguardo::cli {

class CommandRegistry;

void RegisterCaseCommands(CommandRegistry& registry);

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_CASE_COMMANDS_H_
