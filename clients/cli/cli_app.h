// The whole CLI as a function of its arguments, streams and environment, so
// that tests run it without a process: parse, help, dispatch, exit code.
#ifndef RESGUARDO_CLIENTS_CLI_CLI_APP_H_
#define RESGUARDO_CLIENTS_CLI_CLI_APP_H_

#include <string>
#include <vector>

#include "clients/cli/cli_config.h"
#include "clients/cli/command_registry.h"
#include "clients/cli/invocation.h"

namespace resguardo::cli {

// `args` excludes the program name. `stdin_is_tty` allows prompts.
// Returns the process exit code (exit_codes.h).
int RunCli(const CommandRegistry& registry,
           const std::vector<std::string>& args, Streams streams,
           bool stdin_is_tty, const GetEnvFn& getenv);

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_CLI_APP_H_
