// `resguardo registry ...`: the registry of sanctioned persons
// (RegistryService): inscribe, list, search, export (CSV, JSON and the
// signed note, into a folder) and verify (offline, with the institution's
// publication key).
#ifndef RESGUARDO_CLIENTS_CLI_REGISTRY_COMMANDS_H_
#define RESGUARDO_CLIENTS_CLI_REGISTRY_COMMANDS_H_

#include "clients/cli/command_registry.h"

namespace resguardo::cli {

void RegisterRegistryCommands(CommandRegistry& r);

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_REGISTRY_COMMANDS_H_
