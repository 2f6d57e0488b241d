#include "base/process_hardening.h"

#include <errno.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <cstring>
#include <string>

namespace resguardo {

HardeningResult HardenProcess() {
  HardeningResult result;
  const struct rlimit no_core = {0, 0};
  if (setrlimit(RLIMIT_CORE, &no_core) != 0) {
    result.error =
        std::string("setrlimit(RLIMIT_CORE, 0): ") + std::strerror(errno);
    return result;
  }
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
    result.error =
        std::string("prctl(PR_SET_DUMPABLE, 0): ") + std::strerror(errno);
    return result;
  }
  result.ok = true;
  return result;
}

}  // namespace resguardo
