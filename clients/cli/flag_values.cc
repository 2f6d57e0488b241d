#include "clients/cli/flag_values.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "clients/cli/catalogue_codes.h"
#include "clients/cli/dates.h"
#include "clients/cli/messages.h"

namespace resguardo::cli {
namespace {

absl::Status Bad(Lang lang, absl::string_view name, MsgId hint) {
  return absl::InvalidArgumentError(Msg(lang, MsgId::kErrBadFlagValue,
                                        absl::StrCat("--", name),
                                        Text(lang, hint)));
}

absl::StatusOr<int> ParseOneCode(absl::string_view text, absl::string_view name,
                                 const google::protobuf::EnumDescriptor* e,
                                 Lang lang) {
  absl::StatusOr<const google::protobuf::EnumValueDescriptor*> value =
      ParseCode(e, text);
  if (!value.ok()) {
    return absl::InvalidArgumentError(Msg(
        lang, MsgId::kErrUnknownCode, absl::StrCat("--", name), CodeList(e)));
  }
  return (*value)->number();
}

}  // namespace

FlagSpec CodeFlag(std::string name, const google::protobuf::EnumDescriptor* e,
                  MsgId help, bool repeatable) {
  FlagSpec spec;
  spec.name = std::move(name);
  spec.value = FlagValue::kCode;
  spec.repeatable = repeatable;
  spec.help = help;
  spec.catalogue = e;
  return spec;
}

absl::StatusOr<std::optional<int>> GetCode(
    const ParsedFlags& flags, absl::string_view name,
    const google::protobuf::EnumDescriptor* e, Lang lang) {
  std::optional<std::string> text = flags.Get(name);
  if (!text.has_value()) return std::nullopt;
  absl::StatusOr<int> n = ParseOneCode(*text, name, e, lang);
  if (!n.ok()) return n.status();
  return std::optional<int>(*n);
}

absl::StatusOr<std::vector<int>> GetCodes(
    const ParsedFlags& flags, absl::string_view name,
    const google::protobuf::EnumDescriptor* e, Lang lang) {
  std::vector<int> out;
  for (const std::string& text : flags.GetAll(name)) {
    absl::StatusOr<int> n = ParseOneCode(text, name, e, lang);
    if (!n.ok()) return n.status();
    out.push_back(*n);
  }
  return out;
}

absl::StatusOr<std::optional<google::type::Date>> GetDate(
    const ParsedFlags& flags, absl::string_view name, Lang lang) {
  std::optional<std::string> text = flags.Get(name);
  if (!text.has_value()) return std::nullopt;
  absl::StatusOr<google::type::Date> date = ParseDate(*text);
  if (!date.ok()) return Bad(lang, name, MsgId::kHintDate);
  return std::optional<google::type::Date>(*date);
}

absl::StatusOr<std::optional<google::type::Date>> GetMonth(
    const ParsedFlags& flags, absl::string_view name, Lang lang) {
  std::optional<std::string> text = flags.Get(name);
  if (!text.has_value()) return std::nullopt;
  absl::StatusOr<google::type::Date> month = ParseMonth(*text);
  if (!month.ok()) return Bad(lang, name, MsgId::kHintMonth);
  return std::optional<google::type::Date>(*month);
}

absl::StatusOr<std::optional<google::protobuf::Timestamp>> GetTimestamp(
    const ParsedFlags& flags, absl::string_view name, absl::TimeZone zone,
    Lang lang) {
  std::optional<std::string> text = flags.Get(name);
  if (!text.has_value()) return std::nullopt;
  absl::StatusOr<google::protobuf::Timestamp> ts = ParseTimestamp(*text, zone);
  if (!ts.ok()) return Bad(lang, name, MsgId::kHintTime);
  return std::optional<google::protobuf::Timestamp>(*ts);
}

absl::StatusOr<std::optional<int>> GetInt(const ParsedFlags& flags,
                                          absl::string_view name, int min,
                                          int max, Lang lang) {
  std::optional<std::string> text = flags.Get(name);
  if (!text.has_value()) return std::nullopt;
  int n = 0;
  if (!absl::SimpleAtoi(*text, &n) || n < min || n > max) {
    return absl::InvalidArgumentError(
        Msg(lang, MsgId::kErrNumberRange, absl::StrCat("--", name), min, max));
  }
  return std::optional<int>(n);
}

absl::StatusOr<std::string> NormaliseStateCode(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  int n = 0;
  if (text.empty() || text.size() > 2 || !absl::ascii_isdigit(text[0]) ||
      !absl::ascii_isdigit(text.back()) || !absl::SimpleAtoi(text, &n) ||
      n < 1 || n > 32) {
    return absl::InvalidArgumentError("not an INEGI state code");
  }
  return absl::StrCat(n < 10 ? "0" : "", n);
}

absl::StatusOr<std::optional<std::string>> GetStateCode(
    const ParsedFlags& flags, absl::string_view name, Lang lang) {
  std::optional<std::string> text = flags.Get(name);
  if (!text.has_value()) return std::nullopt;
  absl::StatusOr<std::string> code = NormaliseStateCode(*text);
  if (!code.ok()) return Bad(lang, name, MsgId::kHintState);
  return std::optional<std::string>(*code);
}

}  // namespace resguardo::cli
