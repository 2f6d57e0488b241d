// The command tree: each leaf command names its path ("case follow-up add"),
// its help, its flags and the function that runs it. A service's commands
// register themselves (case_commands.h, admin_commands.h); adding a service
// (referrals, audit, stats) is one more Register* call in DefaultRegistry.
#ifndef RESGUARDO_CLIENTS_CLI_COMMAND_REGISTRY_H_
#define RESGUARDO_CLIENTS_CLI_COMMAND_REGISTRY_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "clients/cli/flag_parser.h"
#include "clients/cli/invocation.h"
#include "clients/cli/messages.h"

namespace resguardo::cli {

struct Command {
  std::vector<std::string> path;  // {"case", "follow-up", "add"}
  MsgId summary = MsgId::kNone;   // one line
  MsgId usage = MsgId::kNone;     // what follows the path: "FOLIO --etag ..."
  MsgId details = MsgId::kNone;   // optional paragraph (why, examples)
  std::vector<FlagSpec> flags;
  int min_args = 0;
  int max_args = 0;
  std::function<int(Invocation&)> run;
  // What `details` says in place of $0, when it lists what the descriptors
  // define (the statistics dimensions); empty when `details` has no $0.
  std::string details_arg{};

  std::string Name() const;  // "case follow-up add"
};

// Names of groups ("case", "follow-up") shown in help, by path.
struct GroupInfo {
  std::vector<std::string> path;
  MsgId summary;
};

// Not thread-safe to modify; read-only use after construction is.
class CommandRegistry {
 public:
  void Add(Command command);
  void AddGroup(GroupInfo group);

  const Command* Find(const std::vector<std::string>& path) const;
  // Commands whose path starts with `prefix`, in registration order.
  std::vector<const Command*> Under(
      const std::vector<std::string>& prefix) const;
  const GroupInfo* FindGroup(const std::vector<std::string>& path) const;
  const std::vector<std::unique_ptr<Command>>& commands() const {
    return commands_;
  }

 private:
  std::vector<std::unique_ptr<Command>> commands_;
  std::vector<GroupInfo> groups_;
};

// Flags every command accepts (connection, output, language, help).
const std::vector<FlagSpec>& GlobalFlags();

// Every command of every service.
const CommandRegistry& DefaultRegistry();

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_COMMAND_REGISTRY_H_
