#include "services/api/language.h"

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace resguardo::api {
namespace {

constexpr size_t kMaxHeaderBytes = 1024;
constexpr int kMaxRanges = 32;

// The q-value of a range's parameters (1 when it has none); -1 when a
// q-value is malformed (RFC 9110: "0", "1", "0.xxx", "1.000").
double QValue(const std::vector<absl::string_view>& parts) {
  double q = 1;
  for (size_t i = 1; i < parts.size(); ++i) {
    absl::string_view param = absl::StripAsciiWhitespace(parts[i]);
    if (!absl::ConsumePrefix(&param, "q=") &&
        !absl::ConsumePrefix(&param, "Q=")) {
      continue;  // another parameter: ignored
    }
    if (param.empty() || param.size() > 5 ||
        !(param[0] == '0' || param[0] == '1') ||
        (param.size() > 1 && param[1] != '.')) {
      return -1;
    }
    for (size_t j = 2; j < param.size(); ++j) {
      if (!absl::ascii_isdigit(param[j])) return -1;
    }
    if (!absl::SimpleAtod(param, &q) || q > 1) return -1;
  }
  return q;
}

}  // namespace

absl::string_view LanguageTag(Language language) {
  return language == Language::kEnglish ? "en" : "es";
}

Language LanguageFromAcceptLanguage(absl::string_view header) {
  header = header.substr(0, kMaxHeaderBytes);
  Language best = kDefaultLanguage;
  double best_q = 0;
  int ranges = 0;
  for (absl::string_view range : absl::StrSplit(header, ',')) {
    if (++ranges > kMaxRanges) break;
    std::vector<absl::string_view> parts = absl::StrSplit(range, ';');
    const std::string tag =
        absl::AsciiStrToLower(absl::StripAsciiWhitespace(parts[0]));
    const absl::string_view primary =
        absl::string_view(tag).substr(0, tag.find('-'));
    Language language;
    if (primary == "es") {
      language = Language::kSpanish;
    } else if (primary == "en") {
      language = Language::kEnglish;
    } else if (tag == "*") {
      language = kDefaultLanguage;
    } else {
      continue;
    }
    const double q = QValue(parts);
    if (q > best_q) {
      best = language;
      best_q = q;
    }
  }
  return best;
}

}  // namespace resguardo::api
