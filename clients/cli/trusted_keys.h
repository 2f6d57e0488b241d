// The verifier keys a user trusts for an offline check (resguardo audit
// prove / verify, resguardo registry verify): never a key the checked file
// or the node brings along, always the user's own copy of the published
// one.
#ifndef RESGUARDO_CLIENTS_CLI_TRUSTED_KEYS_H_
#define RESGUARDO_CLIENTS_CLI_TRUSTED_KEYS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "clients/cli/invocation.h"

namespace resguardo::cli {

// The trusted keys of --vkey (and, for commands that never connect, of
// --key, which elsewhere names the TLS client key): each value is a C2SP
// vkey, or a file holding vkeys (one per line, or the output of `resguardod
// audit-key` or `resguardod publication-key`: every word with a '+').
// INVALID_ARGUMENT, in the user's language, for a value that is neither a
// key nor a readable file, or a file without a key.
absl::StatusOr<std::vector<std::string>> TrustedKeys(Invocation& inv,
                                                     bool key_is_vkey);

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_TRUSTED_KEYS_H_
