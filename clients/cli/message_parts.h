// The parts of the CLI's message catalogue (messages.h), one file a group
// of commands (case_messages.cc, ...); messages.cc joins them into one table
// in MsgId order. Internal to messages.cc and the parts.
#ifndef RESGUARDO_CLIENTS_CLI_MESSAGE_PARTS_H_
#define RESGUARDO_CLIENTS_CLI_MESSAGE_PARTS_H_

#include "absl/types/span.h"
#include "clients/cli/messages.h"

namespace resguardo::cli {

absl::Span<const MessageText> CaseMessages();
absl::Span<const MessageText> AdminMessages();
absl::Span<const MessageText> AuditMessages();
absl::Span<const MessageText> StatsMessages();
absl::Span<const MessageText> ReferralMessages();
absl::Span<const MessageText> RegistryMessages();
absl::Span<const MessageText> CommonMessages();
absl::Span<const MessageText> ResolutionMessages();

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_MESSAGE_PARTS_H_
