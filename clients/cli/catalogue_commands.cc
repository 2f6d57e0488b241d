#include "clients/cli/catalogue_commands.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "clients/cli/catalogue_codes.h"
#include "clients/cli/command_registry.h"
#include "clients/cli/exit_codes.h"
#include "clients/cli/messages.h"
#include "clients/cli/table.h"
#include "nlohmann/json.hpp"
#include "resguardo/v1/catalogues.pb.h"

namespace resguardo::cli {
namespace {

// "risk-level", "RiskLevel" and "risk_level" all name RiskLevel.
std::string Normalise(absl::string_view name) {
  return absl::AsciiStrToLower(
      absl::StrReplaceAll(name, {{"-", ""}, {"_", ""}}));
}

int RunCatalogueList(Invocation& inv) {
  const google::protobuf::FileDescriptor* file =
      resguardo::v1::CaseKind_descriptor()->file();
  const Lang lang = inv.lang();
  // --json: one object per line, as every command's JSON output.
  if (inv.args().empty() && inv.json()) {
    for (int e = 0; e < file->enum_type_count(); ++e) {
      nlohmann::json line = {{"catalogue", file->enum_type(e)->name()},
                             {"codes", Choices(file->enum_type(e)).size()}};
      inv.out() << line.dump() << "\n";
    }
    return kExitOk;
  }
  if (inv.args().empty()) {
    Table table({Text(lang, MsgId::kFieldCatalogue),
                 Text(lang, MsgId::kFieldLabel),
                 Text(lang, MsgId::kFieldCodes)});
    for (int e = 0; e < file->enum_type_count(); ++e) {
      const google::protobuf::EnumDescriptor* en = file->enum_type(e);
      table.AddRow({en->name(), CatalogueLabelOf(en, lang),
                    absl::StrCat(Choices(en).size())});
    }
    inv.out() << table.Render();
    return kExitOk;
  }
  for (int e = 0; e < file->enum_type_count(); ++e) {
    const google::protobuf::EnumDescriptor* en = file->enum_type(e);
    if (Normalise(en->name()) != Normalise(inv.args()[0])) continue;
    if (inv.json()) {
      for (const auto* value : Choices(en)) {
        nlohmann::json line = {{"code", CodeOf(value)},
                               {"name", value->name()},
                               {"number", value->number()},
                               {"es", LabelOf(value, Lang::kEs)},
                               {"en", LabelOf(value, Lang::kEn)}};
        inv.out() << line.dump() << "\n";
      }
      return kExitOk;
    }
    Table table(
        {Text(lang, MsgId::kFieldCode), Text(lang, MsgId::kFieldLabel)});
    for (const auto* value : Choices(en)) {
      table.AddRow({CodeOf(value), LabelOf(value, lang)});
    }
    inv.out() << table.Render();
    return kExitOk;
  }
  return inv.UsageError(Text(lang, MsgId::kErrUnknownCatalogue));
}

}  // namespace

void RegisterCatalogueCommands(CommandRegistry& r) {
  r.AddGroup({{"catalogue"}, MsgId::kGroupCatalogue});
  r.Add({{"catalogue", "list"},
         MsgId::kCmdCatalogueList,
         MsgId::kUsageCatalogueList,
         MsgId::kNone,
         {},
         0,
         1,
         RunCatalogueList});
}

}  // namespace resguardo::cli
