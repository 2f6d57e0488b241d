// `resguardo audit ...`: the AuditService methods, and the offline bundle
// verifier (audit_bundle/bundle_verifier.h), which needs no node.
#ifndef RESGUARDO_CLIENTS_CLI_AUDIT_COMMANDS_H_
#define RESGUARDO_CLIENTS_CLI_AUDIT_COMMANDS_H_

namespace resguardo::cli {

class CommandRegistry;

void RegisterAuditCommands(CommandRegistry& registry);

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_AUDIT_COMMANDS_H_
