// A test hook: CrashPoint("step") sends this process SIGKILL when the
// environment variable RESGUARDO_TEST_CRASH_AT equals "step", so that a test
// can prove a multi-step key operation survives a crash at each step
// (tests/key_rotation_crash_test.cc). Harmless in production: unset, it does
// nothing; set, it does to the process what a power cut or `kill -9` could
// do at that moment, which the operation must survive anyway. The steps are
// listed in SECURITY.md §2.
#ifndef RESGUARDO_SERVICES_SERVER_INTERNAL_CRASH_POINT_H_
#define RESGUARDO_SERVICES_SERVER_INTERNAL_CRASH_POINT_H_

#include "absl/strings/string_view.h"

namespace resguardo::server::internal {

inline constexpr char kCrashAtVariable[] = "RESGUARDO_TEST_CRASH_AT";

void CrashPoint(absl::string_view step);

}  // namespace resguardo::server::internal

#endif  // RESGUARDO_SERVICES_SERVER_INTERNAL_CRASH_POINT_H_
