#include "clients/cli/cli_app.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "clients/cli/exit_codes.h"
#include "clients/cli/help_text.h"
#include "clients/cli/json_error.h"
#include "clients/cli/messages.h"
#include "clients/cli/suggestion.h"

#ifndef RESGUARDO_VERSION
#define RESGUARDO_VERSION "unknown"
#endif

namespace resguardo::cli {
namespace {

// --lang must be known before anything is said, including errors about other
// flags; so it is looked up first.
Lang ChooseLang(const std::vector<std::string>& args, const GetEnvFn& getenv,
                bool* bad_flag) {
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--") break;
    std::optional<std::string> value;
    if (args[i] == "--lang" && i + 1 < args.size()) {
      value = args[i + 1];
    } else if (absl::StartsWith(args[i], "--lang=")) {
      value = args[i].substr(7);
    }
    if (value.has_value()) {
      if (std::optional<Lang> lang = LangFromFlag(*value)) return *lang;
      *bad_flag = true;
    }
  }
  return LangFromEnvironment(getenv("LC_ALL"), getenv("LC_MESSAGES"),
                             getenv("LANG"));
}

bool IsPrefixOfSomeCommand(const CommandRegistry& registry,
                           const std::vector<std::string>& path) {
  return !registry.Under(path).empty();
}

// The command the user probably meant when the last word of `path` is
// unknown: "case lsit" → "case list".
std::optional<std::string> NearestCommand(
    const CommandRegistry& registry, const std::vector<std::string>& path) {
  std::vector<std::string> prefix(path.begin(), path.end() - 1);
  std::vector<std::string> words;
  for (const Command* c : registry.Under(prefix)) {
    const std::string& word = c->path[prefix.size()];
    if (std::find(words.begin(), words.end(), word) == words.end()) {
      words.push_back(word);
    }
  }
  std::optional<std::string> word = ClosestWord(path.back(), words);
  if (!word.has_value()) return std::nullopt;
  prefix.push_back(*word);
  return absl::StrJoin(prefix, " ");
}

}  // namespace

int RunCli(const CommandRegistry& registry,
           const std::vector<std::string>& args, Streams streams,
           bool stdin_is_tty, const GetEnvFn& getenv) {
  bool bad_lang = false;
  const Lang lang = ChooseLang(args, getenv, &bad_lang);
  // --json anywhere asks for errors as JSON too (json_error.h), also for a
  // mistake in the command line itself.
  const bool json = std::find(args.begin(), args.end(), "--json") != args.end();
  auto usage_error = [&](const std::string& message) {
    if (json) {
      streams.err << JsonLocalError("USAGE", kExitUsage, message);
      return kExitUsage;
    }
    streams.err << Text(lang, MsgId::kErrorPrefix) << " " << message << "\n"
                << Text(lang, MsgId::kHelpMore) << "\n";
    return kExitUsage;
  };
  if (bad_lang) {
    return usage_error(Msg(lang, MsgId::kErrBadFlagValue, "--lang", "es, en"));
  }

  std::vector<std::string> path;
  const Command* command = nullptr;
  ParsedFlags flags;
  std::vector<std::string> positional;
  std::vector<const FlagSpec*> specs;
  for (const FlagSpec& f : GlobalFlags()) specs.push_back(&f);
  bool help = false;

  size_t i = 0;
  if (!args.empty() && args[0] == "help") {
    help = true;
    i = 1;
  }
  bool flags_ended = false;
  while (i < args.size()) {
    const std::string& token = args[i];
    if (!flags_ended && token == "--") {
      flags_ended = true;
      ++i;
      continue;
    }
    if (!flags_ended && token.size() > 1 && token[0] == '-') {
      absl::Status parsed = ParseOneFlag(args, &i, specs, lang, &flags);
      if (!parsed.ok()) {
        // A command's flag before the command is a common slip: say so.
        if (command == nullptr && absl::IsNotFound(parsed)) {
          return usage_error(
              Msg(lang, MsgId::kErrFlagBeforeCommand, FlagNameOf(token)));
        }
        return usage_error(std::string(parsed.message()));
      }
      continue;
    }
    if (command == nullptr) {
      path.push_back(token);
      if ((command = registry.Find(path)) != nullptr) {
        for (const FlagSpec& f : command->flags) specs.push_back(&f);
      } else if (!IsPrefixOfSomeCommand(registry, path)) {
        // Command words are ASCII keywords, never personal data.
        std::string message =
            Msg(lang, MsgId::kErrUnknownCommand, absl::StrJoin(path, " "));
        if (std::optional<std::string> near = NearestCommand(registry, path)) {
          absl::StrAppend(&message, " ", Msg(lang, MsgId::kDidYouMean, *near));
        }
        return usage_error(message);
      }
    } else {
      positional.push_back(token);
    }
    ++i;
  }

  if (flags.Has("version")) {
    streams.out << "resguardo " << RESGUARDO_VERSION << "\n";
    return kExitOk;
  }
  help = help || flags.Has("help");
  if (command == nullptr) {
    if (path.empty()) {
      if (help) {
        streams.out << RootHelp(registry, lang);
        return kExitOk;
      }
      streams.err << RootHelp(registry, lang);
      return kExitUsage;
    }
    if (help) {
      streams.out << GroupHelp(registry, path, lang);
      return kExitOk;
    }
    streams.err << GroupHelp(registry, path, lang);
    return kExitUsage;
  }
  if (help) {
    streams.out << CommandHelp(*command, lang);
    return kExitOk;
  }
  const int n = static_cast<int>(positional.size());
  if (n < command->min_args || n > command->max_args) {
    if (json) {
      return usage_error(Msg(lang, MsgId::kErrArgCount, command->Name()));
    }
    streams.err << Text(lang, MsgId::kErrorPrefix) << " "
                << Msg(lang, MsgId::kErrArgCount, command->Name()) << "\n"
                << Msg(lang, MsgId::kHelpCommandUsage, command->Name(),
                       Text(lang, command->usage))
                << "\n";
    return kExitUsage;
  }
  Invocation invocation(command->Name(), lang, std::move(flags),
                        std::move(positional), streams, stdin_is_tty, getenv);
  return command->run(invocation);
}

}  // namespace resguardo::cli
