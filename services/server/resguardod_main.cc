// resguardod: the Resguardo node.
//
//   resguardod --version     what this build is and what it links
//   resguardod --help        usage
//
// Exit codes: 0 success, 2 usage error.
#include <cstdio>
#include <cstring>
#include <string>

#include "absl/strings/string_view.h"
#include "services/server/build_info.h"

namespace {

constexpr char kUsage[] =
    "Uso / Usage:\n"
    "  resguardod --version   versión y bibliotecas / version and libraries\n"
    "  resguardod --help      esta ayuda / this help\n";

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2) {
    absl::string_view arg = argv[1];
    if (arg == "--version" || arg == "version") {
      std::fputs(resguardo::server::BuildInfo().c_str(), stdout);
      return 0;
    }
    if (arg == "--help" || arg == "-h" || arg == "help") {
      std::fputs(kUsage, stdout);
      return 0;
    }
  }
  std::fprintf(stderr,
               "resguardod: orden no reconocida / unrecognised command\n%s",
               kUsage);
  return 2;
}
