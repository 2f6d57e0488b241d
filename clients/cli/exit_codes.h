// The CLI's exit codes: a contract with scripts, documented in
// `resguardo --help` and clients/cli/README.md. Never renumber one.
#ifndef RESGUARDO_CLIENTS_CLI_EXIT_CODES_H_
#define RESGUARDO_CLIENTS_CLI_EXIT_CODES_H_

namespace resguardo::cli {

enum ExitCode : int {
  kExitOk = 0,
  // The node refused or failed the call for a reason not listed below
  // (INTERNAL, RESOURCE_EXHAUSTED, UNIMPLEMENTED, ...).
  kExitRefused = 1,
  // The command line is wrong: unknown command or flag, bad code or date, a
  // missing required value, an unreadable input file.
  kExitUsage = 2,
  // Cannot connect: settings or TLS files missing, node unreachable, or the
  // certificate not accepted (UNAVAILABLE, UNAUTHENTICATED).
  kExitUnreachable = 3,
  // NOT_FOUND: it does not exist or you have no access (indistinguishable on
  // purpose).
  kExitNotFound = 4,
  // A conflict: someone changed it (ABORTED), it exists already
  // (ALREADY_EXISTS), or its state does not allow it (FAILED_PRECONDITION).
  kExitConflict = 5,
  // PERMISSION_DENIED: your role does not allow it.
  kExitPermissionDenied = 6,
  // INVALID_ARGUMENT: the node rejected a field.
  kExitInvalidField = 7,
  // DEADLINE_EXCEEDED or CANCELLED: the outcome is unknown; read before
  // writing again (a write retried with the same --request-id is safe).
  kExitTimedOut = 8,
  // The audit bundle or an inclusion proof does not verify: the log was
  // altered, or the key is not the node's (resguardo audit verify / prove).
  kExitNotVerified = 9,
};

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_EXIT_CODES_H_
