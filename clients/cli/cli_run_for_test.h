// Test helper: runs the CLI in-process (cli_app.h) with no config file and
// stdin not a terminal, and keeps its exit code and both streams. Commands
// check their arguments and flags before they connect, so usage errors and
// help need no node.
#ifndef RESGUARDO_CLIENTS_CLI_CLI_RUN_FOR_TEST_H_
#define RESGUARDO_CLIENTS_CLI_CLI_RUN_FOR_TEST_H_

#include <sstream>
#include <string>
#include <vector>

#include "clients/cli/cli_app.h"

namespace resguardo::cli {

struct CliRun {
  int code;
  std::string out;
  std::string err;
};

// `lang_env` is the LANG the CLI sees (nullptr: unset, Spanish).
inline CliRun RunWith(std::vector<std::string> args,
                      const char* lang_env = nullptr) {
  std::istringstream in;
  std::ostringstream out, err;
  const int code = RunCli(
      DefaultRegistry(), args, Streams{in, out, err}, /*stdin_is_tty=*/false,
      [lang_env](const char* name) -> const char* {
        return std::string(name) == "LANG" ? lang_env : nullptr;
      });
  return {code, out.str(), err.str()};
}

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_CLI_RUN_FOR_TEST_H_
