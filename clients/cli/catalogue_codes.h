// Catalogue codes and their bilingual labels, read from the API's descriptors
// so that the CLI never keeps a second copy of a catalogue that could drift.
//
// A value's catalogue code is its name without the enum's prefix
// (CASE_KIND_GBV → GBV, DOMAIN.md); the prefix is the name of the enum's
// *_UNSPECIFIED value without "UNSPECIFIED". Every value but *_UNSPECIFIED
// carries a (resguardo.v1.label) option with Spanish and English text.
//
// All functions are thread-safe (descriptors are immutable).
#ifndef RESGUARDO_CLIENTS_CLI_CATALOGUE_CODES_H_
#define RESGUARDO_CLIENTS_CLI_CATALOGUE_CODES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "clients/cli/language.h"
#include "google/protobuf/descriptor.h"

namespace resguardo::cli {

// "CASE_KIND_" for CaseKind.
std::string CodePrefix(const google::protobuf::EnumDescriptor* catalogue);

// "GBV" for CASE_KIND_GBV.
std::string CodeOf(const google::protobuf::EnumValueDescriptor* value);

// The value whose code, full value name, or label in either language is
// `text`, ignoring case and accents and accepting '-' or ' ' for '_'
// ("political-violence", "case_kind_gbv", "alto", "Auditora", "Violencia
// política"): a user may type what the CLI shows her in her language.
// INVALID_ARGUMENT for an empty text, NOT_FOUND for an unknown code or for
// *_UNSPECIFIED, which is never a choice. (No two values of one catalogue
// share a key: catalogue_codes_test checks every catalogue.)
absl::StatusOr<const google::protobuf::EnumValueDescriptor*> ParseCode(
    const google::protobuf::EnumDescriptor* catalogue, absl::string_view text);

// `text` as ParseCode compares it: trimmed, upper case, Spanish accents
// folded (á → A, ñ → N), '-' and ' ' as '_'.
std::string ChoiceKey(absl::string_view text);

// The value's label in `lang`; its code when it has no label.
std::string LabelOf(const google::protobuf::EnumValueDescriptor* value,
                    Lang lang);

// The catalogue's own label in `lang` (its (catalogue_label) option); its
// name when it has none.
std::string CatalogueLabelOf(const google::protobuf::EnumDescriptor* catalogue,
                             Lang lang);

// The label of `number` in `catalogue`; "" for 0 (unset), and the number in
// digits for a value this build does not know (a newer server).
std::string LabelOf(const google::protobuf::EnumDescriptor* catalogue,
                    int number, Lang lang);

// The code of `number`; "" for 0 and the digits for an unknown value.
std::string CodeOf(const google::protobuf::EnumDescriptor* catalogue,
                   int number);

// Every value that can be chosen (all but *_UNSPECIFIED), in file order.
std::vector<const google::protobuf::EnumValueDescriptor*> Choices(
    const google::protobuf::EnumDescriptor* catalogue);

// "LOW, MEDIUM, HIGH, CRITICAL": the codes a user may type.
std::string CodeList(const google::protobuf::EnumDescriptor* catalogue);

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_CATALOGUE_CODES_H_
