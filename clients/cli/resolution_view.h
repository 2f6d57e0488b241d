// The resolutions of a case as the CLI prints them for a person: one record
// per resolution (authority, file number, date, outcome, final date, notes
// when the view carried them), each sanctioned person (without a name), its
// appeals and its reparation measures (with their sealed descriptions when
// the view carried them: FULL). Labels from the catalogues, in the
// user's language.
#ifndef RESGUARDO_CLIENTS_CLI_RESOLUTION_VIEW_H_
#define RESGUARDO_CLIENTS_CLI_RESOLUTION_VIEW_H_

#include <string>

#include "clients/cli/language.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "resguardo/v1/case.pb.h"

namespace resguardo::cli {

std::string RenderResolutions(
    const google::protobuf::RepeatedPtrField<v1::Resolution>& list, Lang lang);

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_RESOLUTION_VIEW_H_
