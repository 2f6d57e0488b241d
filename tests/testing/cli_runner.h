// The real `resguardo` binary run as one of a test deployment's staff: her
// certificate, the node's address and CA, her institution, and a language.
//
// Thread safety: as TestNode.
#ifndef RESGUARDO_TESTS_TESTING_CLI_RUNNER_H_
#define RESGUARDO_TESTS_TESTING_CLI_RUNNER_H_

#include <string>
#include <vector>

#include "tests/testing/test_deployment.h"
#include "tests/testing/test_node.h"

namespace resguardo::testing {

// Runs `resguardo --lang LANG --server … --ca … --cert … --key …
// --institution … ARGS...` (RESGUARDO_BIN_DIR/resguardo) as `who`; returns
// its exit code (-1 and a test failure if it could not run) and puts its
// stdout and stderr in `out`. `lang` is "es" or "en".
int RunCli(const TestNode& node, const Staff& who,
           const std::vector<std::string>& args, std::string* out,
           const std::string& lang = "es");

}  // namespace resguardo::testing

#endif  // RESGUARDO_TESTS_TESTING_CLI_RUNNER_H_
