#include "clients/cli/cli_config.h"

#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "base/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace resguardo::cli {
namespace {

using ::resguardo::testing::StatusIs;
using ::testing::HasSubstr;

// The map lives as long as the function (and its copies): the pointers it
// hands out stay valid, and nothing leaks (LeakSanitizer).
GetEnvFn Env(std::map<std::string, std::string> vars) {
  auto held = std::make_shared<const std::map<std::string, std::string>>(
      std::move(vars));
  return [held](const char* name) -> const char* {
    auto it = held->find(name);
    return it == held->end() ? nullptr : it->second.c_str();
  };
}

TEST(CliConfigTest, ParsesKeysCommentsAndRelativePaths) {
  ASSERT_OK_AND_ASSIGN(CliConfig c,
                       ParseConfigText(R"(
# Ana's node
server      = localhost:8443
ca          = pki/ca.crt     # the development CA
cert        = /abs/ana.crt
key         = pki/ana.key
institution = IEEPCO
deadline    = 1m30s
server_name = node.example.org
)",
                                       "/home/ana/.config", Lang::kEn));
  EXPECT_EQ(c.server, "localhost:8443");
  EXPECT_EQ(c.ca_file, "/home/ana/.config/pki/ca.crt");
  EXPECT_EQ(c.cert_file, "/abs/ana.crt");
  EXPECT_EQ(c.key_file, "/home/ana/.config/pki/ana.key");
  EXPECT_EQ(c.institution, "IEEPCO");
  EXPECT_EQ(c.deadline, absl::Seconds(90));
  EXPECT_EQ(c.server_name, "node.example.org");
}

TEST(CliConfigTest, ATypoIsAnErrorNamingTheLine) {
  EXPECT_THAT(ParseConfigText("server = a:1\nsever = b:2\n", "", Lang::kEn),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("line 2: unknown key \"sever\"")));
  EXPECT_THAT(
      ParseConfigText("server a:1\n", "", Lang::kEs),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("línea 1")));
  EXPECT_THAT(
      ParseConfigText("deadline = soon\n", "", Lang::kEn),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("deadline")));
}

TEST(CliConfigTest, DeadlinesAreBoundedDurations) {
  EXPECT_EQ(*ParseDeadline("10"), absl::Seconds(10));
  EXPECT_EQ(*ParseDeadline("500ms"), absl::Milliseconds(500));
  EXPECT_FALSE(ParseDeadline("0s").ok());
  EXPECT_FALSE(ParseDeadline("2h").ok());
  EXPECT_FALSE(ParseDeadline("-1s").ok());
}

TEST(CliConfigTest, LocationPrecedenceIsFlagEnvXdgHome) {
  ParsedFlags none;
  ParsedFlags with_flag;
  with_flag.Add("config", "/f.conf");
  auto all = Env({{"RESGUARDO_CONFIG", "/e.conf"},
                  {"XDG_CONFIG_HOME", "/x"},
                  {"HOME", "/h"}});
  EXPECT_EQ(LocateConfig(with_flag, all)->path, "/f.conf");
  EXPECT_TRUE(LocateConfig(with_flag, all)->explicit_choice);
  EXPECT_EQ(LocateConfig(none, all)->path, "/e.conf");
  EXPECT_EQ(LocateConfig(none, Env({{"XDG_CONFIG_HOME", "/x"}, {"HOME", "/h"}}))
                ->path,
            "/x/resguardo/cli.conf");
  auto home = LocateConfig(none, Env({{"HOME", "/h"}}));
  EXPECT_EQ(home->path, "/h/.config/resguardo/cli.conf");
  EXPECT_FALSE(home->explicit_choice);
  EXPECT_FALSE(LocateConfig(none, Env({})).has_value());
}

TEST(CliConfigTest, FlagsOverrideTheFileAndANamedFileMustExist) {
  const std::string path =
      std::string("/tmp/cli_config_test_") + std::to_string(::getpid());
  std::ofstream(path) << "server = file:1\ninstitution = IEEPCO\n";
  ParsedFlags flags;
  flags.Add("server", "flag:2");
  flags.Add("deadline", "3s");
  ASSERT_OK_AND_ASSIGN(
      CliConfig c,
      ResolveConfig(flags, Env({{"RESGUARDO_CONFIG", path}}), Lang::kEn));
  EXPECT_EQ(c.server, "flag:2");
  EXPECT_EQ(c.institution, "IEEPCO");
  EXPECT_EQ(c.deadline, absl::Seconds(3));
  std::remove(path.c_str());

  EXPECT_THAT(ResolveConfig(ParsedFlags(),
                            Env({{"RESGUARDO_CONFIG", "/nonexistent.conf"}}),
                            Lang::kEn),
              StatusIs(absl::StatusCode::kNotFound));
  // The default location is optional.
  ASSERT_OK_AND_ASSIGN(
      CliConfig defaults,
      ResolveConfig(ParsedFlags(), Env({{"HOME", "/nonexistent"}}), Lang::kEn));
  EXPECT_EQ(defaults.deadline, kDefaultDeadline);
}

}  // namespace
}  // namespace resguardo::cli
