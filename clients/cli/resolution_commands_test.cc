// `resguardo resolution ...`: what the CLI refuses or explains before it
// connects (flag checks, help, number arguments). The node's side is in
// tests/resolution_integration_test.cc.
#include <string>
#include <vector>

#include "clients/cli/cli_run_for_test.h"
#include "clients/cli/exit_codes.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace resguardo::cli {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

const std::vector<std::string> kAdd = {
    "resolution",  "add",    "IEEPCO-2026-000001",
    "--authority", "TEEO",   "--file-number",
    "JDC/1",       "--date", "2026-11-02",
    "--outcome",   "PROVEN"};

std::vector<std::string> With(std::vector<std::string> base,
                              const std::vector<std::string>& more) {
  base.insert(base.end(), more.begin(), more.end());
  return base;
}

TEST(ResolutionCommandsTest, AFineWithoutSanctionFineIsAUsageError) {
  for (const std::vector<std::string>& args :
       {With(kAdd, {"--sanction", "WARNING", "--fine", "100"}),
        With(kAdd, {"--fine", "100"}),
        std::vector<std::string>{"resolution", "update", "IEEPCO-2026-000001",
                                 "1", "--etag", "e", "--sanction", "WARNING",
                                 "--fine", "100"}}) {
    CliRun r = RunWith(args, "es");
    EXPECT_EQ(r.code, kExitUsage) << r.err;
    EXPECT_THAT(r.err, AllOf(HasSubstr("--fine va solo con --sanction FINE"),
                             Not(HasSubstr("server"))));
    r = RunWith(args, "en");
    EXPECT_EQ(r.code, kExitUsage);
    EXPECT_THAT(r.err, HasSubstr("--fine goes only with --sanction FINE"));
  }
  // With --sanction FINE the CLI goes on (and, with no settings, cannot
  // connect): the flags were accepted.
  const CliRun r = RunWith(With(kAdd, {"--sanction", "WARNING", "--sanction",
                                       "FINE", "--fine", "100"}),
                           "en");
  EXPECT_EQ(r.code, kExitUnreachable) << r.err;
}

TEST(ResolutionCommandsTest, ATooLargeFineNamesTheMaximum) {
  for (const char* fine :
       {"99999999999999", "1000000000001", "99999999999999999999999.5"}) {
    CliRun r =
        RunWith(With(kAdd, {"--sanction", "FINE", "--fine", fine}), "es");
    EXPECT_EQ(r.code, kExitUsage) << fine;
    EXPECT_THAT(r.err, AllOf(HasSubstr("a lo más 1000000000000 pesos"),
                             Not(HasSubstr("dos decimales"))))
        << fine;
    r = RunWith(With(kAdd, {"--sanction", "FINE", "--fine", fine}), "en");
    EXPECT_THAT(r.err, HasSubstr("at most 1000000000000 pesos")) << fine;
  }
  // A malformed amount still says what a valid one looks like.
  const CliRun r =
      RunWith(With(kAdd, {"--sanction", "FINE", "--fine", "10.505"}), "es");
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("hasta dos decimales"));
  // The maximum itself is accepted (the CLI goes on to connect).
  EXPECT_EQ(
      RunWith(With(kAdd, {"--sanction", "FINE", "--fine", "1000000000000"}),
              "en")
          .code,
      kExitUnreachable);
}

// Each command's help explains only the arguments and flags it takes
// (appeal and reparation-add take no --etag: it is an unknown option there).
TEST(ResolutionCommandsTest, HelpExplainsOnlyTheCommandsOwnArguments) {
  struct Expect {
    const char* command;
    bool etag;
    bool appeal;
    bool measure;
  };
  for (const Expect& e : {Expect{"appeal", false, false, false},
                          Expect{"decide", true, true, false},
                          Expect{"final", true, false, false},
                          Expect{"reparation-add", false, false, false},
                          Expect{"reparation-set", true, false, true}}) {
    const CliRun es = RunWith({"resolution", e.command, "--help"}, "es");
    const CliRun en = RunWith({"resolution", e.command, "--help"}, "en");
    ASSERT_EQ(es.code, kExitOk) << e.command;
    EXPECT_THAT(es.out, HasSubstr("NÚM es el número")) << e.command;
    EXPECT_EQ(es.out.find("--etag") != std::string::npos, e.etag)
        << e.command << "\n"
        << es.out;
    EXPECT_EQ(en.out.find("--etag") != std::string::npos, e.etag)
        << e.command << "\n"
        << en.out;
    EXPECT_EQ(es.out.find("IMP") != std::string::npos, e.appeal) << e.command;
    EXPECT_EQ(en.out.find("APPEAL") != std::string::npos, e.appeal)
        << e.command;
    EXPECT_EQ(es.out.find("MEDIDA") != std::string::npos, e.measure)
        << e.command;
    EXPECT_EQ(en.out.find("MEASURE") != std::string::npos, e.measure)
        << e.command;
  }
}

TEST(ResolutionCommandsTest, ABadNumberNamesOnlyTheNumbersTheCommandTakes) {
  CliRun r = RunWith({"resolution", "appeal", "IEEPCO-2026-000001", "abc",
                      "--filed", "2026-11-03", "--authority", "Sala"},
                     "es");
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, AllOf(HasSubstr("NÚM debe ser un número"),
                           Not(HasSubstr("IMP")), Not(HasSubstr("MEDIDA"))));
  r = RunWith({"resolution", "decide", "IEEPCO-2026-000001", "1", "x",
               "--outcome", "CONFIRMED", "--date", "2026-11-03", "--etag", "e"},
              "en");
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, AllOf(HasSubstr("NUM and APPEAL must be numbers"),
                           Not(HasSubstr("MEASURE"))));
  r = RunWith({"resolution", "reparation-set", "IEEPCO-2026-000001", "1", "0",
               "--status", "COMPLIED", "--etag", "e"},
              "es");
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, AllOf(HasSubstr("NÚM y MEDIDA deben ser números"),
                           Not(HasSubstr("IMP"))));
}

}  // namespace
}  // namespace resguardo::cli
