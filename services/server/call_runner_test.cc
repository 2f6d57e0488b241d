// The CallRunner's behaviour over real gRPC, mTLS and SQLCipher is covered by
// tests/node_integration_test.cc; this covers its pure parts.
#include "services/server/call_runner.h"

#include "gtest/gtest.h"

namespace resguardo::server {
namespace {

TEST(CallRunnerTest, RecordsWellFormedResourceNames) {
  for (const char* name :
       {"institutions/IEEPCO", "institutions/IEEPCO/cases/IEEPCO-2026-000001",
        "institutions/IEEPCO/users/ana.lopez",
        "institutions/IEEPCO/cases/IEEPCO-2026-000001/followUps/3",
        "institutions/IEEPCO/cases/IEEPCO-2026-000001/protectionMeasures/1"}) {
    EXPECT_EQ(CallRunner::AuditableResource(name), name);
  }
}

TEST(CallRunnerTest, RecordsAnythingElseAsEmpty) {
  for (const char* name :
       {"", "institutions/", "institutions/ieepco", "María Pérez",
        "institutions/IEEPCO/cases/María Pérez", "institutions/IEEPCO/notes/1",
        "institutions/IEEPCO/cases", "cases/IEEPCO-2026-000001",
        "institutions/IEEPCO/cases/x/followUps/1/a/b/c/d"}) {
    EXPECT_EQ(CallRunner::AuditableResource(name), "") << name;
  }
}

}  // namespace
}  // namespace resguardo::server
