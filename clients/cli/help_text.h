// The help screens, built from the command registry and the message
// catalogue so that every command, flag, catalogue and exit code is described
// in both languages and none is forgotten.
#ifndef RESGUARDO_CLIENTS_CLI_HELP_TEXT_H_
#define RESGUARDO_CLIENTS_CLI_HELP_TEXT_H_

#include <string>
#include <vector>

#include "clients/cli/command_registry.h"
#include "clients/cli/language.h"

namespace resguardo::cli {

// `resguardo --help`: commands, global flags, config file, exit codes.
std::string RootHelp(const CommandRegistry& registry, Lang lang);

// `resguardo case --help`: the commands of a group.
std::string GroupHelp(const CommandRegistry& registry,
                      const std::vector<std::string>& path, Lang lang);

// `resguardo case create --help`.
std::string CommandHelp(const Command& command, Lang lang);

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_HELP_TEXT_H_
