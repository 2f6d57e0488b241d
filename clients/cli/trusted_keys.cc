#include "clients/cli/trusted_keys.h"

#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "clients/cli/messages.h"

namespace resguardo::cli {

absl::StatusOr<std::vector<std::string>> TrustedKeys(Invocation& inv,
                                                     bool key_is_vkey) {
  std::vector<std::string> values = inv.flags().GetAll("vkey");
  if (key_is_vkey) {
    if (std::optional<std::string> key = inv.flags().Get("key")) {
      values.push_back(*key);
    }
  }
  std::vector<std::string> keys;
  for (const std::string& value : values) {
    if (absl::StrContains(value, '+')) {
      keys.push_back(value);
      continue;
    }
    std::ifstream in(value);
    if (!in) {
      return absl::InvalidArgumentError(
          Msg(inv.lang(), MsgId::kErrAuditKeyFile, value));
    }
    std::string line;
    const size_t before = keys.size();
    while (std::getline(in, line)) {
      for (absl::string_view word :
           absl::StrSplit(line, ' ', absl::SkipWhitespace())) {
        if (absl::StrContains(word, '+')) keys.emplace_back(word);
      }
    }
    if (keys.size() == before) {
      // Not "the flag is missing": the flag was given, its file is wrong.
      return absl::InvalidArgumentError(
          Msg(inv.lang(), MsgId::kErrAuditKeyFileEmpty, value));
    }
  }
  return keys;
}

}  // namespace resguardo::cli
