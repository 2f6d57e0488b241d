#include "services/server/internal/crash_point.h"

#include <signal.h>

#include <cstdlib>

namespace resguardo::server::internal {

void CrashPoint(absl::string_view step) {
  const char* at = std::getenv(kCrashAtVariable);
  if (at != nullptr && step == at) ::raise(SIGKILL);
}

}  // namespace resguardo::server::internal
