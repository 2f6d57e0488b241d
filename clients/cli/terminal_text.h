// Text bound for a terminal. Strings from the node (names, notes, messages)
// are data, not terminal commands: control characters are replaced before
// printing so that a stored escape sequence cannot rewrite the screen or the
// terminal's title.
#ifndef RESGUARDO_CLIENTS_CLI_TERMINAL_TEXT_H_
#define RESGUARDO_CLIENTS_CLI_TERMINAL_TEXT_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace resguardo::cli {

// `text` with every C0/C1 control character (newlines and tabs included)
// replaced by a space, and invalid UTF-8 bytes by '?'.
std::string TerminalSafe(absl::string_view text);

// Like TerminalSafe but keeps newlines (for multi-line narratives).
std::string TerminalSafeMultiline(absl::string_view text);

// Columns `text` takes: one per code point (the catalogues' accented Latin
// letters, '–' and '«»' are all one column wide).
size_t DisplayWidth(absl::string_view text);

// `text` cut to at most `width` columns, ending in "…" when cut.
std::string Truncate(absl::string_view text, size_t width);

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_TERMINAL_TEXT_H_
