#include "clients/cli/flag_parser.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "clients/cli/suggestion.h"

namespace resguardo::cli {

bool ParsedFlags::Has(absl::string_view name) const {
  return values_.find(name) != values_.end();
}

std::optional<std::string> ParsedFlags::Get(absl::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> ParsedFlags::GetAll(absl::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return {};
  return it->second;
}

void ParsedFlags::Add(absl::string_view name, absl::string_view value) {
  auto it = values_.find(name);
  if (it == values_.end()) {
    it = values_.emplace(std::string(name), std::vector<std::string>()).first;
  }
  it->second.emplace_back(value);
}

std::string FlagNameOf(absl::string_view token) {
  if (token == "-h") return "help";
  absl::string_view name = token;
  if (!absl::ConsumePrefix(&name, "--")) absl::ConsumePrefix(&name, "-");
  return std::string(name.substr(0, name.find('=')));
}

absl::Status ParseOneFlag(absl::Span<const std::string> args, size_t* i,
                          absl::Span<const FlagSpec* const> specs, Lang lang,
                          ParsedFlags* out) {
  const std::string& token = args[*i];
  const std::string name = FlagNameOf(token);
  const bool single_dash = !absl::StartsWith(token, "--");
  const FlagSpec* spec = nullptr;
  for (const FlagSpec* s : specs) {
    if (s->name == name) spec = s;
  }
  // Only -h has a one-letter form; "-risk" is a typo, not a flag.
  if (spec == nullptr || (single_dash && token != "-h")) {
    std::string message =
        Msg(lang, MsgId::kErrUnknownFlag, absl::StrCat("--", name));
    std::vector<std::string> names;
    for (const FlagSpec* s : specs) names.push_back(s->name);
    if (std::optional<std::string> near = ClosestWord(name, names)) {
      absl::StrAppend(&message, " ",
                      Msg(lang, MsgId::kDidYouMean, absl::StrCat("--", *near)));
    }
    return absl::NotFoundError(message);
  }
  const std::string display = absl::StrCat("--", name);
  const size_t eq = token.find('=');
  std::string value;
  if (spec->value == FlagValue::kNone) {
    if (eq != std::string::npos) {
      return absl::InvalidArgumentError(
          Msg(lang, MsgId::kErrFlagTakesNoValue, display));
    }
  } else if (eq != std::string::npos) {
    value = token.substr(eq + 1);
  } else if (*i + 1 < args.size()) {
    ++*i;
    value = args[*i];
  } else {
    return absl::InvalidArgumentError(
        Msg(lang, MsgId::kErrFlagNeedsValue, display));
  }
  if (!spec->repeatable && out->Has(name)) {
    return absl::InvalidArgumentError(
        Msg(lang, MsgId::kErrFlagRepeated, display));
  }
  out->Add(name, value);
  ++*i;
  return absl::OkStatus();
}

}  // namespace resguardo::cli
