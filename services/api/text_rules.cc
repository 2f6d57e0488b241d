#include "services/api/text_rules.h"

#include <cstdint>

#include "absl/strings/str_cat.h"

namespace resguardo::api {
namespace {

// Decodes one code point at `text[*i]`, advancing *i; -1 when invalid.
int32_t DecodeOne(absl::string_view text, size_t* i) {
  auto byte = [&](size_t k) { return static_cast<uint8_t>(text[k]); };
  uint8_t b0 = byte(*i);
  int extra;
  int32_t cp;
  if (b0 < 0x80) {
    ++*i;
    return b0;
  } else if ((b0 & 0xE0) == 0xC0) {
    extra = 1;
    cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    extra = 2;
    cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    extra = 3;
    cp = b0 & 0x07;
  } else {
    return -1;
  }
  if (*i + extra >= text.size()) return -1;
  for (int k = 1; k <= extra; ++k) {
    uint8_t b = byte(*i + k);
    if ((b & 0xC0) != 0x80) return -1;
    cp = (cp << 6) | (b & 0x3F);
  }
  static constexpr int32_t kMin[] = {0, 0x80, 0x800, 0x10000};
  if (cp < kMin[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return -1;
  }
  *i += extra + 1;
  return cp;
}

bool IsControl(int32_t cp) {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0x2028 ||
         cp == 0x2029;
}

}  // namespace

std::optional<size_t> Utf8Length(absl::string_view text) {
  size_t n = 0;
  for (size_t i = 0; i < text.size();) {
    if (DecodeOne(text, &i) < 0) return std::nullopt;
    ++n;
  }
  return n;
}

void CheckText(FieldViolations& violations, absl::string_view field,
               absl::string_view value, size_t min_chars, size_t max_chars,
               Lines lines) {
  size_t n = 0;
  for (size_t i = 0; i < value.size();) {
    int32_t cp = DecodeOne(value, &i);
    if (cp < 0) {
      violations.Add(field, ErrorId::kUtf8);
      return;
    }
    bool allowed_control =
        lines == Lines::kMulti && (cp == '\n' || cp == '\r' || cp == '\t');
    if (IsControl(cp) && !allowed_control) {
      violations.Add(field, lines == Lines::kMulti
                                ? ErrorId::kNoControlMultiLine
                                : ErrorId::kSingleLine);
      return;
    }
    ++n;
  }
  if (n < min_chars || n > max_chars) {
    violations.Add(field, min_chars > 0 && n == 0
                              ? ErrorText(ErrorId::kRequired)
                              : ErrorText(ErrorId::kLength,
                                          {static_cast<int64_t>(min_chars),
                                           static_cast<int64_t>(max_chars)}));
  }
}

}  // namespace resguardo::api
