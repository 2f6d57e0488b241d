// "Did you mean": the known word closest to what was typed, for a mistyped
// command or flag.
#ifndef RESGUARDO_CLIENTS_CLI_SUGGESTION_H_
#define RESGUARDO_CLIENTS_CLI_SUGGESTION_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace resguardo::cli {

// The candidate nearest to `typed` by edit distance (insertions, deletions,
// substitutions and swaps of two neighbours, case ignored), if it is near
// enough to be a slip: at most 1 edit for words up to 4 letters, 2 up to 8,
// 3 beyond. Ties go to the first candidate. nullopt when none is near.
std::optional<std::string> ClosestWord(
    absl::string_view typed, const std::vector<std::string>& candidates);

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_SUGGESTION_H_
