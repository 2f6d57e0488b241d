// A small parser for git-like command lines: `resguardo [global flags]
// GROUP ... COMMAND [flags] [ARGS]`. Written here rather than with absl flags
// because absl flags are process-global and single-level, and each of our
// subcommands has its own flags.
//
// Syntax: `--name value`, `--name=value`, `--flag` for booleans, `--` ends
// the flags. Flags may follow positional arguments. A flag given twice is an
// error unless it is repeatable.
#ifndef RESGUARDO_CLIENTS_CLI_FLAG_PARSER_H_
#define RESGUARDO_CLIENTS_CLI_FLAG_PARSER_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "clients/cli/language.h"
#include "clients/cli/messages.h"
#include "google/protobuf/descriptor.h"

namespace resguardo::cli {

// What a flag's value is, for the help text ("--risk CÓDIGO").
enum class FlagValue {
  kNone,
  kText,
  kCode,
  kFile,
  kDate,
  kMonth,
  kTime,
  kNumber,
  kDuration,
  kPath,
  kAddress,
  kLang
};

struct FlagSpec {
  std::string name;  // without the leading "--"
  FlagValue value = FlagValue::kNone;
  bool repeatable = false;
  MsgId help = MsgId::kNone;
  // For kCode flags: the catalogue whose codes the help lists.
  const google::protobuf::EnumDescriptor* catalogue = nullptr;
};

// A FlagSpec without a catalogue, for the command tables.
inline FlagSpec Flag(const char* name, FlagValue value, MsgId help,
                     bool repeatable = false) {
  FlagSpec spec;
  spec.name = name;
  spec.value = value;
  spec.help = help;
  spec.repeatable = repeatable;
  return spec;
}

// The flags and positional arguments of one command line.
class ParsedFlags {
 public:
  bool Has(absl::string_view name) const;
  // The value of a non-repeatable flag.
  std::optional<std::string> Get(absl::string_view name) const;
  // Every value of a repeatable flag, in order (empty if absent).
  std::vector<std::string> GetAll(absl::string_view name) const;

  void Add(absl::string_view name, absl::string_view value);

 private:
  std::map<std::string, std::vector<std::string>, std::less<>> values_;
};

// Parses one flag token at args[*i] (which starts with "-") against `specs`,
// consuming its value, and advances *i past it. Returns INVALID_ARGUMENT with
// a message in `lang` that names the flag (never its value: a value may be
// personal data), NOT_FOUND if no spec has that name.
absl::Status ParseOneFlag(absl::Span<const std::string> args, size_t* i,
                          absl::Span<const FlagSpec* const> specs, Lang lang,
                          ParsedFlags* out);

// The flag's name in a token: "--risk=HIGH" → "risk"; "-h" → "help".
std::string FlagNameOf(absl::string_view token);

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_FLAG_PARSER_H_
