// The --view and --purpose flags of a read that may return sealed data
// (`resguardo case get`, `resguardo referral show`): "basic" (the default)
// or "full", and the declared purpose, which "full" requires.
#ifndef RESGUARDO_CLIENTS_CLI_READ_VIEW_H_
#define RESGUARDO_CLIENTS_CLI_READ_VIEW_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "clients/cli/invocation.h"
#include "clients/cli/language.h"
#include "resguardo/v1/catalogues.pb.h"

namespace resguardo::cli {

struct ReadView {
  bool full = false;
  // The AccessPurpose number, when --purpose was given.
  std::optional<int> purpose;
};

// Reads --purpose of `inv`: the AccessPurpose number, or none when it was
// not given. A value that is not a code is a local error: reported on
// `inv`, *exit_code set, nullopt returned.
std::optional<std::optional<int>> ParsePurpose(Invocation& inv, int* exit_code);

// ParsePurpose into `request` (a list whose notes need a declared purpose).
// False on error (reported, *exit_code set).
template <typename Request>
bool SetPurpose(Invocation& inv, Request& request, int* exit_code) {
  std::optional<std::optional<int>> purpose = ParsePurpose(inv, exit_code);
  if (!purpose) return false;
  if (purpose->has_value()) {
    request.set_purpose(static_cast<resguardo::v1::AccessPurpose>(**purpose));
  }
  return true;
}

// Reads --view and --purpose of `inv`. A view other than basic or full, or
// full without a purpose, is a usage error; a purpose that is not a code a
// local one. On error, reports it on `inv`, sets *exit_code and returns
// nullopt, before any call is made (and audited) in vain.
std::optional<ReadView> ParseReadView(Invocation& inv, int* exit_code);

// ParseReadView into `request`: its view `full_view` or `basic_view`, its
// purpose when one was given. False on error (reported, *exit_code set).
template <typename Request, typename View>
bool SetReadView(Invocation& inv, View basic_view, View full_view,
                 Request& request, int* exit_code) {
  std::optional<ReadView> read = ParseReadView(inv, exit_code);
  if (!read) return false;
  request.set_view(read->full ? full_view : basic_view);
  if (read->purpose) {
    request.set_purpose(
        static_cast<resguardo::v1::AccessPurpose>(*read->purpose));
  }
  return true;
}

// The line under a list of follow-ups read without --purpose, saying why
// their notes are empty: sealed data the node sends only for a declared
// purpose (`example`, a purpose code to suggest). "" unless `withheld`.
std::string NotesWithheldLine(bool withheld, absl::string_view example,
                              Lang lang);

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_READ_VIEW_H_
