#include "clients/cli/follow_up_input.h"

#include <optional>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "clients/cli/flag_values.h"
#include "clients/cli/input_files.h"

namespace resguardo::cli {

absl::StatusOr<FollowUpInput> ReadFollowUpInput(Invocation& inv) {
  FollowUpInput input;
  absl::StatusOr<std::optional<google::protobuf::Timestamp>> occurred =
      GetTimestamp(inv.flags(), "occurred", inv.zone(), inv.lang());
  if (!occurred.ok()) return occurred.status();
  if (occurred->has_value()) {
    input.occur_time = **occurred;
  } else {
    input.occur_time.set_seconds(absl::ToUnixSeconds(absl::Now()));
  }
  if (std::optional<std::string> file = inv.flags().Get("notes-file")) {
    absl::StatusOr<std::string> notes =
        ReadTextFile(*file, inv.in(), inv.lang());
    if (!notes.ok()) return notes.status();
    input.notes = *std::move(notes);
  }
  return input;
}

}  // namespace resguardo::cli
