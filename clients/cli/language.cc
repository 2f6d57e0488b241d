#include "clients/cli/language.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace resguardo::cli {

std::optional<Lang> LangFromLocaleName(absl::string_view name) {
  if (name.empty()) return std::nullopt;
  if (absl::StartsWithIgnoreCase(name, "es")) return Lang::kEs;
  return Lang::kEn;
}

std::optional<Lang> LangFromFlag(absl::string_view flag) {
  std::string lower = absl::AsciiStrToLower(flag);
  if (lower == "es") return Lang::kEs;
  if (lower == "en") return Lang::kEn;
  return std::nullopt;
}

Lang LangFromEnvironment(const char* lc_all, const char* lc_messages,
                         const char* lang) {
  for (const char* value : {lc_all, lc_messages, lang}) {
    if (value == nullptr) continue;
    if (std::optional<Lang> l = LangFromLocaleName(value)) return *l;
  }
  return Lang::kEs;
}

}  // namespace resguardo::cli
