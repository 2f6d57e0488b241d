#include "clients/cli/help_text.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "clients/cli/catalogue_codes.h"
#include "clients/cli/messages.h"
#include "clients/cli/terminal_text.h"

namespace resguardo::cli {
namespace {

// Columns of codes per help line, so that help fits an 80-column terminal
// after the flag column.
constexpr size_t kCodesWidth = 44;

MsgId ValueName(FlagValue value) {
  switch (value) {
    case FlagValue::kNone:
      return MsgId::kNone;
    case FlagValue::kText:
      return MsgId::kValText;
    case FlagValue::kCode:
      return MsgId::kValCode;
    case FlagValue::kFile:
      return MsgId::kValFile;
    case FlagValue::kDate:
      return MsgId::kValDate;
    case FlagValue::kMonth:
      return MsgId::kValMonth;
    case FlagValue::kTime:
      return MsgId::kValTime;
    case FlagValue::kNumber:
      return MsgId::kValNumber;
    case FlagValue::kDuration:
      return MsgId::kValDuration;
    case FlagValue::kPath:
      return MsgId::kValPath;
    case FlagValue::kAddress:
      return MsgId::kValAddress;
    case FlagValue::kLang:
      return MsgId::kValLang;
  }
  return MsgId::kNone;
}

// Two columns: `left` padded to `width`, then `right`.
void AppendRow(std::string* out, const std::string& left,
               const std::string& right, size_t width) {
  absl::StrAppend(out, "  ", left);
  out->append(width + 2 - std::min(width, DisplayWidth(left)), ' ');
  absl::StrAppend(out, right, "\n");
}

std::string FlagsSection(const std::vector<FlagSpec>& flags, Lang lang) {
  std::vector<std::pair<std::string, std::string>> rows;
  for (const FlagSpec& f : flags) {
    std::string left = absl::StrCat("--", f.name);
    if (f.value != FlagValue::kNone) {
      absl::StrAppend(&left, " ", Text(lang, ValueName(f.value)));
    }
    std::string right = Text(lang, f.help);
    if (f.repeatable)
      absl::StrAppend(&right, " ", Text(lang, MsgId::kHelpRepeatable));
    rows.emplace_back(left, right);
    if (f.catalogue != nullptr) {
      // Long catalogues (22 conducts) wrap instead of running off the screen.
      const std::string prefix = Msg(lang, MsgId::kHelpCodes, "");
      const std::string indent(DisplayWidth(prefix), ' ');
      std::string line;
      bool first = true;
      for (const auto* value : Choices(f.catalogue)) {
        const std::string code = CodeOf(value);
        if (!line.empty() && DisplayWidth(line) + code.size() > kCodesWidth) {
          rows.emplace_back("",
                            absl::StrCat(first ? prefix : indent, line, ","));
          line.clear();
          first = false;
        }
        absl::StrAppend(&line, line.empty() ? "" : ", ", code);
      }
      rows.emplace_back("", absl::StrCat(first ? prefix : indent, line));
    }
  }
  size_t width = 0;
  for (const auto& [left, right] : rows)
    width = std::max(width, DisplayWidth(left));
  std::string out;
  for (const auto& [left, right] : rows) AppendRow(&out, left, right, width);
  return out;
}

std::string CommandList(const std::vector<const Command*>& commands,
                        Lang lang) {
  size_t width = 0;
  for (const Command* c : commands)
    width = std::max(width, DisplayWidth(c->Name()));
  std::string out;
  for (const Command* c : commands) {
    AppendRow(&out, c->Name(), Text(lang, c->summary), width);
  }
  return out;
}

}  // namespace

std::string RootHelp(const CommandRegistry& registry, Lang lang) {
  std::vector<const Command*> all = registry.Under({});
  std::string out = absl::StrCat(
      Text(lang, MsgId::kHelpTagline), "\n\n", Text(lang, MsgId::kHelpUsage),
      "\n\n", Text(lang, MsgId::kHelpCommands), "\n", CommandList(all, lang),
      "\n", Text(lang, MsgId::kHelpGlobalFlags), "\n",
      FlagsSection(GlobalFlags(), lang), "\n", Text(lang, MsgId::kHelpConfig),
      "\n\n", Text(lang, MsgId::kHelpLanguage), "\n\n",
      Text(lang, MsgId::kHelpPersonalData), "\n\n",
      Text(lang, MsgId::kHelpExitCodes), "\n");
  for (MsgId id : {MsgId::kExit0, MsgId::kExit1, MsgId::kExit2, MsgId::kExit3,
                   MsgId::kExit4, MsgId::kExit5, MsgId::kExit6, MsgId::kExit7,
                   MsgId::kExit8, MsgId::kExit9}) {
    absl::StrAppend(&out, "  ", Text(lang, id), "\n");
  }
  absl::StrAppend(&out, "\n", Text(lang, MsgId::kHelpMore), "\n");
  return out;
}

std::string GroupHelp(const CommandRegistry& registry,
                      const std::vector<std::string>& path, Lang lang) {
  std::string out;
  if (const GroupInfo* g = registry.FindGroup(path)) {
    absl::StrAppend(&out, Text(lang, g->summary), "\n\n");
  }
  absl::StrAppend(&out,
                  Msg(lang, MsgId::kHelpGroupUsage, absl::StrJoin(path, " ")),
                  "\n\n", Text(lang, MsgId::kHelpCommands), "\n",
                  CommandList(registry.Under(path), lang), "\n",
                  Text(lang, MsgId::kHelpMore), "\n");
  return out;
}

std::string CommandHelp(const Command& command, Lang lang) {
  std::string out = absl::StrCat(Msg(lang, MsgId::kHelpCommandUsage,
                                     command.Name(), Text(lang, command.usage)),
                                 "\n\n", Text(lang, command.summary), "\n");
  if (command.details != MsgId::kNone) {
    absl::StrAppend(&out, "\n",
                    command.details_arg.empty()
                        ? std::string(Text(lang, command.details))
                        : Msg(lang, command.details, command.details_arg),
                    "\n");
  }
  if (!command.flags.empty()) {
    absl::StrAppend(&out, "\n", Text(lang, MsgId::kHelpFlags), "\n",
                    FlagsSection(command.flags, lang));
  }
  absl::StrAppend(&out, "\n", Text(lang, MsgId::kHelpGlobalFlagsPointer), "\n");
  return out;
}

}  // namespace resguardo::cli
