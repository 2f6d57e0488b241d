// `resguardo case related`, `case consent` and `case consent-withdraw`: the
// related cases of the same woman (CaseService.GetRelatedCases) and her
// consent to coordination between institutions; and the hint `case get
// --purpose` prints under a case when the node says there are related ones.
#ifndef RESGUARDO_CLIENTS_CLI_RELATED_CASE_COMMANDS_H_
#define RESGUARDO_CLIENTS_CLI_RELATED_CASE_COMMANDS_H_

#include <string>

#include "clients/cli/invocation.h"

namespace resguardo::cli {

class CommandRegistry;

void RegisterRelatedCaseCommands(CommandRegistry& registry);

// After `case get` with a declared purpose (`purpose`, an AccessPurpose
// number), for a person (not with --json): asks the node about related
// cases with the same purpose (an audited read) and notes on stderr that
// they exist, pointing at `case related`. Prints nothing when there are
// none or the node refuses (the case itself was already shown).
void NoteRelatedCases(Invocation& inv, const std::string& case_name,
                      int purpose);

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_RELATED_CASE_COMMANDS_H_
