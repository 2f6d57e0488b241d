// What the flags of a follow-up say of it, for a case's and a referral's
// alike: when it happened (--occurred, or now: most are recorded as they
// happen) and its notes (--notes-file; notes never go on the command line).
#ifndef RESGUARDO_CLIENTS_CLI_FOLLOW_UP_INPUT_H_
#define RESGUARDO_CLIENTS_CLI_FOLLOW_UP_INPUT_H_

#include <string>

#include "absl/status/statusor.h"
#include "clients/cli/invocation.h"
#include "google/protobuf/timestamp.pb.h"

namespace resguardo::cli {

struct FollowUpInput {
  google::protobuf::Timestamp occur_time;
  std::string notes;  // empty without --notes-file
};

// INVALID_ARGUMENT in the user's language naming the flag.
absl::StatusOr<FollowUpInput> ReadFollowUpInput(Invocation& inv);

}  // namespace resguardo::cli

#endif  // RESGUARDO_CLIENTS_CLI_FOLLOW_UP_INPUT_H_
