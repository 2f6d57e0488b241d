#include "tests/testing/cli_runner.h"

#include <cstdlib>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace resguardo::testing {

int RunCli(const TestNode& node, const Staff& who,
           const std::vector<std::string>& args, std::string* out,
           const std::string& lang) {
  const std::string base =
      absl::StrCat(node.dir(), "/pki/clients/", who.institution, "/", who.user);
  const char* bin = std::getenv("RESGUARDO_BIN_DIR");
  std::vector<std::string> argv = {absl::StrCat(bin ? bin : ".", "/resguardo"),
                                   "--lang",
                                   lang,
                                   "--server",
                                   absl::StrCat("127.0.0.1:", node.port()),
                                   "--ca",
                                   absl::StrCat(node.dir(), "/pki/ca.crt"),
                                   "--cert",
                                   base + ".crt",
                                   "--key",
                                   base + ".key",
                                   "--institution",
                                   who.institution};
  argv.insert(argv.end(), args.begin(), args.end());
  absl::StatusOr<int> code = TestNode::Run(argv, out);
  EXPECT_TRUE(code.ok()) << code.status();
  return code.ok() ? *code : -1;
}

}  // namespace resguardo::testing
