#include "clients/cli/command_registry.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_join.h"
#include "clients/cli/admin_commands.h"
#include "clients/cli/alert_commands.h"
#include "clients/cli/audit_commands.h"
#include "clients/cli/case_commands.h"
#include "clients/cli/catalogue_commands.h"
#include "clients/cli/key_commands.h"
#include "clients/cli/referral_commands.h"
#include "clients/cli/registry_commands.h"
#include "clients/cli/related_case_commands.h"
#include "clients/cli/resolution_commands.h"
#include "clients/cli/stats_commands.h"

namespace resguardo::cli {

std::string Command::Name() const { return absl::StrJoin(path, " "); }

void CommandRegistry::Add(Command command) {
  commands_.push_back(std::make_unique<Command>(std::move(command)));
}

void CommandRegistry::AddGroup(GroupInfo group) {
  groups_.push_back(std::move(group));
}

const Command* CommandRegistry::Find(
    const std::vector<std::string>& path) const {
  for (const auto& c : commands_) {
    if (c->path == path) return c.get();
  }
  return nullptr;
}

std::vector<const Command*> CommandRegistry::Under(
    const std::vector<std::string>& prefix) const {
  std::vector<const Command*> out;
  for (const auto& c : commands_) {
    if (c->path.size() >= prefix.size() &&
        std::equal(prefix.begin(), prefix.end(), c->path.begin())) {
      out.push_back(c.get());
    }
  }
  return out;
}

const GroupInfo* CommandRegistry::FindGroup(
    const std::vector<std::string>& path) const {
  for (const GroupInfo& g : groups_) {
    if (g.path == path) return &g;
  }
  return nullptr;
}

const std::vector<FlagSpec>& GlobalFlags() {
  static const auto* flags = new std::vector<FlagSpec>{
      {"config", FlagValue::kPath, false, MsgId::kFlagConfig},
      {"server", FlagValue::kAddress, false, MsgId::kFlagServer},
      {"ca", FlagValue::kPath, false, MsgId::kFlagCa},
      {"cert", FlagValue::kPath, false, MsgId::kFlagCert},
      {"key", FlagValue::kPath, false, MsgId::kFlagKey},
      {"server-name", FlagValue::kText, false, MsgId::kFlagServerName},
      {"institution", FlagValue::kText, false, MsgId::kFlagInstitution},
      {"deadline", FlagValue::kDuration, false, MsgId::kFlagDeadline},
      {"json", FlagValue::kNone, false, MsgId::kFlagJson},
      {"lang", FlagValue::kLang, false, MsgId::kFlagLang},
      {"help", FlagValue::kNone, false, MsgId::kFlagHelp},
      {"version", FlagValue::kNone, false, MsgId::kFlagVersion},
  };
  return *flags;
}

const CommandRegistry& DefaultRegistry() {
  static const CommandRegistry* registry = [] {
    auto* r = new CommandRegistry;
    RegisterCaseCommands(*r);
    RegisterResolutionCommands(*r);
    RegisterRelatedCaseCommands(*r);
    RegisterAdminCommands(*r);
    RegisterKeyCommands(*r);
    RegisterAuditCommands(*r);
    RegisterCatalogueCommands(*r);
    RegisterStatsCommands(*r);
    RegisterReferralCommands(*r);
    RegisterAlertCommands(*r);
    RegisterRegistryCommands(*r);
    return r;
  }();
  return *registry;
}

}  // namespace resguardo::cli
