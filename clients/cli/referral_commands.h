// `resguardo referral ...` (one command per ReferralService method) and
// `resguardo alerts watch` (the WatchAlerts stream, resumed after a
// reconnect).
#ifndef RESGUARDO_CLIENTS_CLI_REFERRAL_COMMANDS_H_
#define RESGUARDO_CLIENTS_CLI_REFERRAL_COMMANDS_H_

namespace resguardo::cli {

class CommandRegistry;

void RegisterReferralCommands(CommandRegistry& registry);

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_REFERRAL_COMMANDS_H_
