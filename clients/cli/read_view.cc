#include "clients/cli/read_view.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "clients/cli/flag_values.h"
#include "clients/cli/messages.h"
#include "resguardo/v1/catalogues.pb.h"

namespace resguardo::cli {

std::optional<std::optional<int>> ParsePurpose(Invocation& inv,
                                               int* exit_code) {
  absl::StatusOr<std::optional<int>> purpose =
      GetCode(inv.flags(), "purpose", resguardo::v1::AccessPurpose_descriptor(),
              inv.lang());
  if (!purpose.ok()) {
    *exit_code = inv.LocalError(purpose.status());
    return std::nullopt;
  }
  return *purpose;
}

std::optional<ReadView> ParseReadView(Invocation& inv, int* exit_code) {
  ReadView read;
  const std::string view = inv.flags().Get("view").value_or("basic");
  if (view == "full") {
    read.full = true;
  } else if (view != "basic") {
    *exit_code = inv.UsageError(
        Msg(inv.lang(), MsgId::kErrBadFlagValue, "--view", "basic, full"));
    return std::nullopt;
  }
  std::optional<std::optional<int>> purpose = ParsePurpose(inv, exit_code);
  if (!purpose) return std::nullopt;
  read.purpose = *purpose;
  if (!read.purpose.has_value() && read.full) {
    // Checked here too so that no call is made (and audited) in vain.
    *exit_code = inv.UsageError(Text(inv.lang(), MsgId::kErrPurposeRequired));
    return std::nullopt;
  }
  return read;
}

std::string NotesWithheldLine(bool withheld, absl::string_view example,
                              Lang lang) {
  if (!withheld) return "";
  return absl::StrCat("\n", Msg(lang, MsgId::kFollowUpNotesWithheld, example),
                      "\n");
}

}  // namespace resguardo::cli
