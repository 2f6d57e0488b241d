// resguardo: the command-line client of a Resguardo node.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "base/process_hardening.h"
#include "clients/cli/cli_app.h"
#include "clients/cli/command_registry.h"
#include "grpc/support/log.h"

int main(int argc, char** argv) {
  // Before anything is read: the CLI shows decrypted records and holds the
  // user's TLS key; no core dump, no ptrace by another process of the user.
  const resguardo::HardeningResult hardened = resguardo::HardenProcess();
  if (!hardened.ok) {
    std::fprintf(stderr,
                 "resguardo: no se pudo proteger el proceso / cannot harden "
                 "the process: %s\n",
                 hardened.error.c_str());
    return 1;
  }
  // gRPC's own log lines (e.g. a TLS handshake failure) would repeat, in
  // English and in jargon, what the CLI already says in a sentence. Set
  // GRPC_VERBOSITY to see them.
  if (std::getenv("GRPC_VERBOSITY") == nullptr) {
    gpr_set_log_function([](gpr_log_func_args*) {});
  }
  std::vector<std::string> args(argv + 1, argv + argc);
  resguardo::cli::Streams streams{std::cin, std::cout, std::cerr};
  return resguardo::cli::RunCli(
      resguardo::cli::DefaultRegistry(), args, streams,
      isatty(STDIN_FILENO) == 1,
      [](const char* name) { return std::getenv(name); });
}
