// What `case create` and `case update` send: a Case built from a file
// (--from-file), flags, and — for create, in a terminal — prompts for the
// required fields that are still missing.
//
// Descriptor flags are one table (flag ↔ CaseDescriptors field), applied by
// reflection, so that a flag, its field mask path and its catalogue cannot
// disagree.
#ifndef RESGUARDO_CLIENTS_CLI_CASE_INPUT_H_
#define RESGUARDO_CLIENTS_CLI_CASE_INPUT_H_

#include <istream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "clients/cli/flag_parser.h"
#include "clients/cli/invocation.h"
#include "clients/cli/language.h"
#include "resguardo/v1/case.pb.h"
#include "resguardo/v1/case_service.pb.h"

namespace resguardo::cli {

// The flags of `case create` and of `case update` (besides --etag).
const std::vector<FlagSpec>& CreateCaseFlags();
const std::vector<FlagSpec>& UpdateCaseFlags();

// Sets the descriptor fields whose flags are present; appends their field
// mask paths ("descriptors.risk_level") to `paths`. A repeatable flag
// replaces the whole list. INVALID_ARGUMENT in `lang` naming the flag.
absl::Status ApplyDescriptorFlags(const ParsedFlags& flags, Lang lang,
                                  resguardo::v1::CaseDescriptors* descriptors,
                                  std::vector<std::string>* paths);

// Sets personal data from --victim-name(-file), --narrative-file,
// --evidence-notes-file and --personal-data-file ("-" reads `in`); appends
// "personal_data.<field>" paths for every field set.
absl::Status ApplyPersonalDataFlags(const ParsedFlags& flags, std::istream& in,
                                    Lang lang,
                                    resguardo::v1::CasePersonalData* data,
                                    std::vector<std::string>* paths);

// The CreateCaseRequest for `case create`. Missing required fields (kind,
// state, reported date, risk level, victim's name) are asked for when
// `inv.prompter()` is set, else INVALID_ARGUMENT naming their flags.
absl::StatusOr<resguardo::v1::CreateCaseRequest> BuildCreateCaseRequest(
    Invocation& inv);

// The UpdateCaseRequest for `case update NAME --etag E ...`: the mask is the
// fields whose flags were given, plus --mask paths for --from-file content.
// INVALID_ARGUMENT when nothing would change.
absl::StatusOr<resguardo::v1::UpdateCaseRequest> BuildUpdateCaseRequest(
    Invocation& inv, const std::string& name);

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_CASE_INPUT_H_
