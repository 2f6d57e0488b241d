#include "clients/cli/terminal_text.h"

#include <cstdint>

namespace resguardo::cli {
namespace {

// Length of the UTF-8 sequence starting at s[i], or 0 if it is invalid.
size_t SequenceLength(absl::string_view s, size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  size_t n = 0;
  if (b < 0x80) return 1;
  if ((b & 0xE0) == 0xC0 && b >= 0xC2) {
    n = 2;
  } else if ((b & 0xF0) == 0xE0) {
    n = 3;
  } else if ((b & 0xF8) == 0xF0 && b <= 0xF4) {
    n = 4;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  }
  return n;
}

std::string Clean(absl::string_view text, bool keep_newlines) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const size_t n = SequenceLength(text, i);
    if (n == 0) {
      out.push_back('?');
      ++i;
      continue;
    }
    const auto b = static_cast<unsigned char>(text[i]);
    if (n == 1 && (b < 0x20 || b == 0x7F)) {
      out.push_back(keep_newlines && b == '\n' ? '\n' : ' ');
    } else if (n == 2 && b == 0xC2 &&
               static_cast<unsigned char>(text[i + 1]) < 0xA0) {
      out.push_back(' ');  // C1 controls U+0080..U+009F
    } else {
      out.append(text.data() + i, n);
    }
    i += n;
  }
  return out;
}

}  // namespace

std::string TerminalSafe(absl::string_view text) { return Clean(text, false); }

std::string TerminalSafeMultiline(absl::string_view text) {
  return Clean(text, true);
}

size_t DisplayWidth(absl::string_view text) {
  size_t width = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++width;
  }
  return width;
}

std::string Truncate(absl::string_view text, size_t width) {
  if (DisplayWidth(text) <= width) return std::string(text);
  if (width == 0) return "";
  size_t columns = 0;
  size_t i = 0;
  for (; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (columns == width - 1) break;
      ++columns;
    }
  }
  return std::string(text.substr(0, i)) + "…";
}

}  // namespace resguardo::cli
