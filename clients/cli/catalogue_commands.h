// `resguardo catalogue list [NAME]`: the codes and labels a person may type,
// read from the descriptors (no node needed).
#ifndef RESGUARDO_CLIENTS_CLI_CATALOGUE_COMMANDS_H_
#define RESGUARDO_CLIENTS_CLI_CATALOGUE_COMMANDS_H_

namespace resguardo::cli {

class CommandRegistry;

void RegisterCatalogueCommands(CommandRegistry& registry);

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_CATALOGUE_COMMANDS_H_
