// IsAllDigits: whether a text is one or more ASCII digits — the check behind
// folio numbers, INEGI codes and dates, written once for the node and the
// CLI.
#ifndef RESGUARDO_BASE_DIGITS_H_
#define RESGUARDO_BASE_DIGITS_H_

#include "absl/strings/ascii.h"
#include "absl/strings/string_view.h"

namespace resguardo {

// True when `s` is not empty and every character is '0'-'9'.
inline bool IsAllDigits(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace resguardo

#endif  // RESGUARDO_BASE_DIGITS_H_
