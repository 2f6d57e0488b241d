#include "clients/cli/catalogue_codes.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "resguardo/v1/labels.pb.h"

namespace resguardo::cli {

using google::protobuf::EnumDescriptor;
using google::protobuf::EnumValueDescriptor;

std::string CodePrefix(const EnumDescriptor* catalogue) {
  // proto3 requires the zero value; ours is always <PREFIX>UNSPECIFIED
  // (proto/resguardo/v1/catalogues_test.cc checks it).
  const EnumValueDescriptor* zero = catalogue->FindValueByNumber(0);
  if (zero == nullptr) return "";
  absl::string_view name = zero->name();
  if (!absl::ConsumeSuffix(&name, "UNSPECIFIED")) return "";
  return std::string(name);
}

std::string CodeOf(const EnumValueDescriptor* value) {
  absl::string_view name = value->name();
  absl::ConsumePrefix(&name, CodePrefix(value->type()));
  return std::string(name);
}

std::string ChoiceKey(absl::string_view text) {
  // The accented letters of Spanish labels, in UTF-8, and what they fold to.
  static constexpr struct {
    absl::string_view accented;
    char plain;
  } kFolds[] = {{"\xc3\xa1", 'A'}, {"\xc3\x81", 'A'}, {"\xc3\xa9", 'E'},
                {"\xc3\x89", 'E'}, {"\xc3\xad", 'I'}, {"\xc3\x8d", 'I'},
                {"\xc3\xb3", 'O'}, {"\xc3\x93", 'O'}, {"\xc3\xba", 'U'},
                {"\xc3\x9a", 'U'}, {"\xc3\xbc", 'U'}, {"\xc3\x9c", 'U'},
                {"\xc3\xb1", 'N'}, {"\xc3\x91", 'N'}};
  absl::string_view rest = absl::StripAsciiWhitespace(text);
  std::string key;
  key.reserve(rest.size());
  while (!rest.empty()) {
    bool folded = false;
    for (const auto& fold : kFolds) {
      if (absl::ConsumePrefix(&rest, fold.accented)) {
        key.push_back(fold.plain);
        folded = true;
        break;
      }
    }
    if (folded) continue;
    char c = rest.front();
    rest.remove_prefix(1);
    key.push_back((c == '-' || c == ' ') ? '_' : absl::ascii_toupper(c));
  }
  return key;
}

absl::StatusOr<const EnumValueDescriptor*> ParseCode(
    const EnumDescriptor* catalogue, absl::string_view text) {
  std::string wanted = ChoiceKey(text);
  if (wanted.empty()) return absl::InvalidArgumentError("empty code");
  for (const EnumValueDescriptor* value : Choices(catalogue)) {
    if (wanted == CodeOf(value) || wanted == value->name() ||
        wanted == ChoiceKey(LabelOf(value, Lang::kEs)) ||
        wanted == ChoiceKey(LabelOf(value, Lang::kEn))) {
      return value;
    }
  }
  return absl::NotFoundError(absl::StrCat("not a code of ", catalogue->name()));
}

std::string LabelOf(const EnumValueDescriptor* value, Lang lang) {
  if (!value->options().HasExtension(resguardo::v1::label)) {
    return CodeOf(value);
  }
  const resguardo::v1::Label& label =
      value->options().GetExtension(resguardo::v1::label);
  const std::string& text = lang == Lang::kEs ? label.es() : label.en();
  return text.empty() ? CodeOf(value) : text;
}

std::string CatalogueLabelOf(const EnumDescriptor* catalogue, Lang lang) {
  if (!catalogue->options().HasExtension(resguardo::v1::catalogue_label)) {
    return catalogue->name();
  }
  const resguardo::v1::Label& label =
      catalogue->options().GetExtension(resguardo::v1::catalogue_label);
  const std::string& text = lang == Lang::kEs ? label.es() : label.en();
  return text.empty() ? catalogue->name() : text;
}

std::string LabelOf(const EnumDescriptor* catalogue, int number, Lang lang) {
  if (number == 0) return "";
  const EnumValueDescriptor* value = catalogue->FindValueByNumber(number);
  if (value == nullptr) return absl::StrCat(number);
  return LabelOf(value, lang);
}

std::string CodeOf(const EnumDescriptor* catalogue, int number) {
  if (number == 0) return "";
  const EnumValueDescriptor* value = catalogue->FindValueByNumber(number);
  if (value == nullptr) return absl::StrCat(number);
  return CodeOf(value);
}

std::vector<const EnumValueDescriptor*> Choices(
    const EnumDescriptor* catalogue) {
  std::vector<const EnumValueDescriptor*> out;
  for (int i = 0; i < catalogue->value_count(); ++i) {
    if (catalogue->value(i)->number() != 0) out.push_back(catalogue->value(i));
  }
  return out;
}

std::string CodeList(const EnumDescriptor* catalogue) {
  return absl::StrJoin(Choices(catalogue), ", ",
                       [](std::string* out, const EnumValueDescriptor* v) {
                         out->append(CodeOf(v));
                       });
}

}  // namespace resguardo::cli
