// The caller's language: the language of the texts the node returns to her
// (error messages in the error catalogue, error_catalogue.h). Spanish
// first (the users are officers and caseworkers in Mexico), English second.
//
// Pure functions; thread-safe.
#ifndef RESGUARDO_SERVICES_API_LANGUAGE_H_
#define RESGUARDO_SERVICES_API_LANGUAGE_H_

#include "absl/strings/string_view.h"

namespace resguardo::api {

enum class Language { kSpanish, kEnglish };

// The language of a caller who asks for none, or only for languages the
// node does not speak.
inline constexpr Language kDefaultLanguage = Language::kSpanish;

// The BCP 47 tag of `language` ("es", "en"), as google.rpc.LocalizedMessage
// carries it.
absl::string_view LanguageTag(Language language);

// The caller's language from an Accept-Language value (RFC 9110 §12.5.4:
// "en-US,en;q=0.9,es;q=0.8"): of the ranges whose primary subtag is "es"
// or "en", the one with the highest q-value (the first one on a tie); a
// range with q=0, or a malformed q-value, does not count; "*" stands for
// the default. kDefaultLanguage when `header` is empty or names neither.
// Reads at most the first 32 ranges of at most 1024 bytes.
Language LanguageFromAcceptLanguage(absl::string_view header);

}  // namespace resguardo::api

#endif  // RESGUARDO_SERVICES_API_LANGUAGE_H_
