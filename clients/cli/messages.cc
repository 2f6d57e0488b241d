#include "clients/cli/messages.h"

#include <array>
#include <initializer_list>

#include "clients/cli/message_parts.h"

namespace resguardo::cli {
namespace {

constexpr int kIds = static_cast<int>(MsgId::kCount);

// Slot i holds the entry of id i. A missing or repeated id leaves its slot
// with an id that matches no slot (kCount), which messages_test.cc names.
std::array<MessageText, kIds> JoinParts() {
  std::array<MessageText, kIds> table;
  table.fill({MsgId::kCount, "", ""});
  std::array<int, kIds> seen{};
  for (absl::Span<const MessageText> part :
       {CaseMessages(), AdminMessages(), AuditMessages(), StatsMessages(),
        ReferralMessages(), RegistryMessages(), CommonMessages(),
        ResolutionMessages()}) {
    for (const MessageText& m : part) {
      const int i = static_cast<int>(m.id);
      if (i < 0 || i >= kIds) continue;
      table[i] = ++seen[i] == 1 ? m : MessageText{MsgId::kCount, "", ""};
    }
  }
  return table;
}

const std::array<MessageText, kIds>& Table() {
  static const std::array<MessageText, kIds> table = JoinParts();
  return table;
}

}  // namespace

absl::Span<const MessageText> AllMessages() { return Table(); }

const char* Text(Lang lang, MsgId id) {
  const int i = static_cast<int>(id);
  // A missing entry is a bug the test catches; never crash a user over it.
  if (i < 0 || i >= kIds || Table()[i].id != id) return "?";
  return lang == Lang::kEs ? Table()[i].es : Table()[i].en;
}

}  // namespace resguardo::cli
