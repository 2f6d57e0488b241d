#include "tests/testing/english_words.h"

#include <set>
#include <string>

#include "absl/strings/ascii.h"

namespace resguardo::testing {
namespace {

// Function words and the usual words of an English error; none is a
// Spanish word. ("error" and "no" are both, so they are not here.)
const std::set<std::string>& Markers() {
  static const auto* markers = new std::set<std::string>{
      "the",    "must",  "is",      "are",      "was",     "were",
      "cannot", "not",   "your",    "you",      "please",  "should",
      "with",   "does",  "allowed", "required", "invalid", "failed",
      "denied", "found", "unknown", "expected", "missing", "which",
      "there",  "this",  "that",    "been",     "has",     "have"};
  return *markers;
}

bool IsLetter(char c) {
  return absl::ascii_isalpha(static_cast<unsigned char>(c)) || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

}  // namespace

std::set<std::string> EnglishWordsIn(absl::string_view text) {
  std::set<std::string> found;
  size_t i = 0;
  while (i < text.size()) {
    if (!IsLetter(text[i])) {
      ++i;
      continue;
    }
    size_t end = i;
    while (end < text.size() && IsLetter(text[end])) ++end;
    std::string word = absl::AsciiStrToLower(text.substr(i, end - i));
    if (Markers().count(word) > 0) found.insert(std::move(word));
    i = end;
  }
  return found;
}

}  // namespace resguardo::testing
