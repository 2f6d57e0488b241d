#include "clients/cli/cli_app.h"

#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "clients/cli/cli_run_for_test.h"
#include "clients/cli/command_registry.h"
#include "clients/cli/exit_codes.h"
#include "clients/cli/help_text.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace resguardo::cli {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(CliAppTest, RootHelpListsEveryCommandAndTheExitCodes) {
  const CliRun r = RunWith({"--help"});
  EXPECT_EQ(r.code, kExitOk);
  for (const auto& c : DefaultRegistry().commands()) {
    EXPECT_THAT(r.out, HasSubstr(c->Name()));
  }
  EXPECT_THAT(r.out,
              AllOf(HasSubstr("Uso: resguardo"), HasSubstr("Códigos de salida"),
                    HasSubstr("8  se agotó el tiempo")));
}

TEST(CliAppTest, EveryServiceMethodHasACommand) {
  for (const char* name : {"case create",
                           "case get",
                           "case list",
                           "case update",
                           "case follow-up add",
                           "case follow-up list",
                           "case measure add",
                           "case close",
                           "case reopen",
                           "case erase",
                           "case related",
                           "case consent",
                           "case consent-withdraw",
                           "admin institution create",
                           "admin institution list",
                           "admin user create",
                           "admin user list",
                           "admin user set-roles",
                           "admin user disable",
                           "admin user enable",
                           "referral follow-up add",
                           "referral follow-up list"}) {
    bool found = false;
    for (const auto& c : DefaultRegistry().commands()) {
      found = found || c->Name() == name;
    }
    EXPECT_TRUE(found) << name;
  }
}

TEST(CliAppTest, EveryCommandHasHelpInBothLanguages) {
  for (const auto& c : DefaultRegistry().commands()) {
    EXPECT_NE(c->summary, MsgId::kNone) << c->Name();
    EXPECT_NE(c->usage, MsgId::kNone) << c->Name();
    for (const FlagSpec& f : c->flags) {
      EXPECT_NE(f.help, MsgId::kNone) << c->Name() << " --" << f.name;
      EXPECT_EQ(f.value == FlagValue::kCode, f.catalogue != nullptr)
          << c->Name() << " --" << f.name;
    }
    EXPECT_THAT(CommandHelp(*c, Lang::kEs), HasSubstr("Uso: resguardo"));
    EXPECT_THAT(CommandHelp(*c, Lang::kEn), HasSubstr("Usage: resguardo"));
  }
}

// Item 9 of issue 20: every command's and group's one-line help is a
// sentence (a capital letter, a final period), in both languages.
TEST(CliAppTest, EveryHelpLineIsASentence) {
  auto is_sentence = [](absl::string_view text) {
    if (text.empty() || text.back() != '.') return false;
    const unsigned char first = static_cast<unsigned char>(text[0]);
    // A capital letter; "¿", "Á", "É"… are two bytes (0xC2/0xC3 …).
    return (first >= 'A' && first <= 'Z') || first >= 0xC2;
  };
  std::vector<std::pair<std::string, MsgId>> lines;
  for (const auto& c : DefaultRegistry().commands()) {
    lines.push_back({c->Name(), c->summary});
    std::vector<std::string> prefix;
    for (size_t i = 0; i + 1 < c->path.size(); ++i) {
      prefix.push_back(c->path[i]);
      if (const GroupInfo* g = DefaultRegistry().FindGroup(prefix)) {
        lines.push_back({absl::StrJoin(prefix, " "), g->summary});
      }
    }
  }
  for (const auto& [name, id] : lines) {
    for (Lang lang : {Lang::kEs, Lang::kEn}) {
      EXPECT_TRUE(is_sentence(Text(lang, id)))
          << name << ": \"" << Text(lang, id) << "\"";
    }
  }
}

TEST(CliAppTest, LanguageFollowsTheFlagThenTheEnvironment) {
  EXPECT_THAT(RunWith({"--help"}, "en_US.UTF-8").out, HasSubstr("Usage:"));
  EXPECT_THAT(RunWith({"--help", "--lang", "es"}, "en_US.UTF-8").out,
              HasSubstr("Uso:"));
  EXPECT_THAT(RunWith({"--lang=en", "case", "--help"}).out,
              HasSubstr("case create"));
  EXPECT_EQ(RunWith({"--lang", "fr", "--help"}).code, kExitUsage);
}

TEST(CliAppTest, UsageErrorsExitTwo) {
  CliRun r = RunWith({"case", "destroy"}, "en");
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("unknown command: case destroy"));

  r = RunWith({"--risk", "HIGH", "case", "create"}, "en");
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("go after the command"));

  r = RunWith({"case", "get"}, "en");
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("wrong number of arguments"));

  r = RunWith({}, "en");
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("Usage:"));

  r = RunWith({"case", "get", "not-a-folio"}, "en");
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("folio"));
}

TEST(CliAppTest, AMistypedCommandOrFlagGetsADidYouMean) {
  // Issue 20 item 10.
  CliRun r = RunWith({"case", "lsit"}, "es");
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("comando desconocido: case lsit"));
  EXPECT_THAT(r.err, HasSubstr("¿Quiso decir «case list»?"));
  r = RunWith({"refferal", "list"}, "en");
  EXPECT_THAT(r.err, HasSubstr("Did you mean \"referral\"?"));
  r = RunWith({"case", "list", "--stauts", "received"}, "en");
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("unknown option: --stauts"));
  EXPECT_THAT(r.err, HasSubstr("Did you mean \"--status\"?"));
  // Nothing near: no guess.
  r = RunWith({"case", "borrar"}, "es");
  EXPECT_THAT(r.err, Not(HasSubstr("Quiso decir")));
}

TEST(CliAppTest, ScriptsAreNeverPrompted) {
  const CliRun r = RunWith(
      {"case", "create", "--kind", "GBV", "--institution", "IEEPCO"}, "en");
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("missing: --state, --reported, --risk"));
  EXPECT_EQ(r.out, "");
}

TEST(CliAppTest, EraseWithoutATerminalNeedsYes) {
  const CliRun r = RunWith({"case", "erase", "IEEPCO-2026-000001", "--etag",
                            "e", "--reason", "COURT_ORDER"},
                           "en");
  EXPECT_EQ(r.code, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--yes"));
}

TEST(CliAppTest, NoSettingsMeansCannotConnect) {
  const CliRun r =
      RunWith({"case", "get", "IEEPCO-2026-000001", "--json"}, "es_MX");
  EXPECT_EQ(r.code, kExitUnreachable);
  EXPECT_THAT(r.err, HasSubstr("falta el ajuste server"));
  EXPECT_EQ(r.out, "") << "stdout stays clean for --json";
}

TEST(CliAppTest, CataloguesListWithoutANode) {
  const CliRun r = RunWith({"catalogue", "list", "risk-level"}, "es");
  EXPECT_EQ(r.code, kExitOk);
  EXPECT_THAT(r.out, AllOf(HasSubstr("HIGH      Alto"),
                           HasSubstr("CRITICAL  Crítico")));
  EXPECT_EQ(RunWith({"catalogue", "list", "nope"}).code, kExitUsage);
  // The list of catalogues names each in words too (the proto's
  // catalogue_label option), beside the name to pass.
  const CliRun all = RunWith({"catalogue", "list"}, "es");
  EXPECT_EQ(all.code, kExitOk);
  EXPECT_THAT(all.out, HasSubstr("RiskLevel"));
  EXPECT_THAT(all.out, HasSubstr("Nivel de riesgo"));
}

TEST(CliAppTest, CataloguesListAsJsonIsJson) {
  // Issue 20 item 10: --json printed a table.
  CliRun r = RunWith({"catalogue", "list", "risk-level", "--json"}, "es");
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr(R"({"code":"HIGH","en":"High","es":"Alto",)"
                               R"("name":"RISK_LEVEL_HIGH","number":3})"));
  r = RunWith({"catalogue", "list", "--json"}, "es");
  ASSERT_EQ(r.code, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr(R"({"catalogue":"RiskLevel","codes":4})"));
  EXPECT_THAT(r.out, Not(HasSubstr("Catálogo")));
}

TEST(CliAppTest, VersionPrintsAndExitsZero) {
  const CliRun r = RunWith({"--version"});
  EXPECT_EQ(r.code, kExitOk);
  EXPECT_THAT(r.out, AllOf(HasSubstr("resguardo "), Not(HasSubstr("unknown"))));
}

// Help adds "(repetible)" to a repeatable flag: its own description must
// not say it again (it showed "(repetible) (repetible)").
TEST(CliAppTest, ARepeatableFlagSaysSoOnceInHelp) {
  for (const auto& c : DefaultRegistry().commands()) {
    for (const FlagSpec& f : c->flags) {
      if (!f.repeatable) continue;
      EXPECT_THAT(Text(Lang::kEs, f.help), Not(HasSubstr("repet")))
          << c->Name() << " --" << f.name;
      EXPECT_THAT(Text(Lang::kEn, f.help), Not(HasSubstr("repeat")))
          << c->Name() << " --" << f.name;
    }
    for (Lang lang : {Lang::kEs, Lang::kEn}) {
      const std::string help = CommandHelp(*c, lang);
      EXPECT_THAT(help, AllOf(Not(HasSubstr("(repetible) (repetible)")),
                              Not(HasSubstr("(repeatable) (repeatable)"))))
          << c->Name();
    }
  }
  EXPECT_THAT(RunWith({"case", "consent", "--help"}, "es").out,
              HasSubstr("coordinar (repetible)"));
  EXPECT_THAT(RunWith({"resolution", "add", "--help"}, "en").out,
              HasSubstr("sanction (repeatable)"));
}

}  // namespace
}  // namespace resguardo::cli
