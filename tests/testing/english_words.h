// English in Spanish output: the words of `text` that only an English
// sentence has ("the", "must", "your"…), so that a test of the Spanish
// interface can check that no English sentence reached the user (issue 20,
// item 9). Words are runs of letters and '_' (any non-ASCII byte counts as
// a letter, so "inválido" is one word and "PERMISSION_DENIED" another),
// compared in lower case; codes, flags and resource names
// ("--resume-token", "institutions/IEEPCO") hold none of the markers.
#ifndef RESGUARDO_TESTS_TESTING_ENGLISH_WORDS_H_
#define RESGUARDO_TESTS_TESTING_ENGLISH_WORDS_H_

#include <set>
#include <string>

#include "absl/strings/string_view.h"

namespace resguardo::testing {

// The marker words found in `text` (empty if none).
std::set<std::string> EnglishWordsIn(absl::string_view text);

}  // namespace resguardo::testing

#endif  // RESGUARDO_TESTS_TESTING_ENGLISH_WORDS_H_
