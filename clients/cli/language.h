// The language the CLI speaks to its user: Spanish first (the users are
// officers and caseworkers in Mexico), English second.
#ifndef RESGUARDO_CLIENTS_CLI_LANGUAGE_H_
#define RESGUARDO_CLIENTS_CLI_LANGUAGE_H_

#include <optional>

#include "absl/strings/string_view.h"

namespace resguardo::cli {

enum class Lang { kEs, kEn };

// "es", "en", or a locale name such as "es_MX.UTF-8" / "en_US": es* is
// Spanish, any other non-empty value English. nullopt for an empty value.
std::optional<Lang> LangFromLocaleName(absl::string_view name);

// The language of `flag` ("es" or "en"; nullopt if the flag is not "es"/"en").
std::optional<Lang> LangFromFlag(absl::string_view flag);

// From the environment, in POSIX precedence: LC_ALL, then LC_MESSAGES, then
// LANG (each may be null). Spanish when none is set: the default audience.
Lang LangFromEnvironment(const char* lc_all, const char* lc_messages,
                         const char* lang);

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_LANGUAGE_H_
