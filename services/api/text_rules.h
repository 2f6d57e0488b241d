// Rules for free-text request fields: valid UTF-8, a length in characters
// (code points), no control characters. Pure functions; thread-safe.
#ifndef RESGUARDO_SERVICES_API_TEXT_RULES_H_
#define RESGUARDO_SERVICES_API_TEXT_RULES_H_

#include <cstddef>
#include <optional>

#include "absl/strings/string_view.h"
#include "services/api/field_violations.h"

namespace resguardo::api {

// Number of code points, or nullopt if `text` is not valid UTF-8 (overlong
// forms, surrogates and values above U+10FFFF are invalid).
std::optional<size_t> Utf8Length(absl::string_view text);

enum class Lines { kSingle, kMulti };

// Adds a violation for `field` unless `value` is valid UTF-8 of
// [min_chars, max_chars] characters without control characters (kMulti also
// allows '\n', '\r' and '\t'). An empty value with min_chars == 0 is fine.
void CheckText(FieldViolations& violations, absl::string_view field,
               absl::string_view value, size_t min_chars, size_t max_chars,
               Lines lines = Lines::kSingle);

}  // namespace resguardo::api

#endif  // RESGUARDO_SERVICES_API_TEXT_RULES_H_
