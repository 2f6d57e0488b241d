#include "clients/cli/key_commands.h"

#include <algorithm>
#include <cstdint>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "clients/cli/catalogue_codes.h"
#include "clients/cli/command_registry.h"
#include "clients/cli/dates.h"
#include "clients/cli/exit_codes.h"
#include "clients/cli/messages.h"
#include "clients/cli/resource_names.h"
#include "clients/cli/table.h"
#include "resguardo/v1/admin_service.grpc.pb.h"

namespace resguardo::cli {
namespace {

namespace v1 = resguardo::v1;
using Stub = v1::AdminService::Stub;

// How often --wait and --watch ask for the progress.
constexpr absl::Duration kPollInterval = absl::Seconds(1);

std::string RenderRotation(const v1::KeyRotation& r, Lang lang,
                           absl::TimeZone zone) {
  return RenderRecord({
      {Text(lang, MsgId::kFieldName), r.name()},
      {Text(lang, MsgId::kFieldRotationState),
       LabelOf(v1::KeyRotationState_descriptor(), r.state(), lang)},
      {Text(lang, MsgId::kFieldFromVersion), absl::StrCat(r.from_version())},
      {Text(lang, MsgId::kFieldToVersion), absl::StrCat(r.to_version())},
      {Text(lang, MsgId::kFieldKeysTotal), absl::StrCat(r.data_keys_total())},
      {Text(lang, MsgId::kFieldKeysRewrapped),
       absl::StrCat(r.data_keys_rewrapped())},
      {Text(lang, MsgId::kFieldKeysRemaining),
       absl::StrCat(r.data_keys_remaining())},
      {Text(lang, MsgId::kFieldStarted), FormatTimestamp(r.start_time(), zone)},
      {Text(lang, MsgId::kFieldFinished),
       FormatTimestamp(r.finish_time(), zone)},
      {Text(lang, MsgId::kFieldStartedBy), r.started_by()},
      {Text(lang, MsgId::kFieldEtag), r.etag()},
  });
}

int PrintRotation(Invocation& inv, const v1::KeyRotation& r, MsgId heading) {
  return inv.PrintHeaded(r, heading, r.name(), [&] {
    return RenderRotation(r, inv.lang(), inv.zone());
  });
}

// Asks for `name` until the rotation is DONE; without --json, prints a
// progress line whenever the count moved. Returns kExitOk with the last
// answer in *last, or the exit code of the call that failed.
int WaitUntilDone(Invocation& inv, const std::string& name,
                  v1::KeyRotation* last) {
  v1::GetKeyRotationRequest request;
  request.set_name(name);
  int64_t shown = -1;
  while (true) {
    if (int rc = inv.CallOnce(&Stub::GetKeyRotation, request, last);
        rc != kExitOk) {
      return rc;
    }
    if (!inv.json() && last->data_keys_rewrapped() != shown) {
      shown = last->data_keys_rewrapped();
      inv.out() << Msg(inv.lang(), MsgId::kKeyRotationProgress,
                       last->data_keys_rewrapped(), last->data_keys_total(),
                       last->data_keys_remaining())
                << std::endl;
    }
    if (last->state() == v1::KEY_ROTATION_STATE_DONE) return kExitOk;
    absl::SleepFor(kPollInterval);
  }
}

int RunKeysRotate(Invocation& inv) {
  absl::StatusOr<std::string> institution = inv.Institution();
  if (!institution.ok()) return inv.LocalError(institution.status());
  v1::StartKeyRotationRequest request;
  request.set_parent(InstitutionName(*institution));
  if (auto etag = inv.flags().Get("etag")) request.set_etag(*etag);
  v1::KeyRotation started;
  if (int rc = inv.CallOnce(&Stub::StartKeyRotation, request, &started);
      rc != kExitOk) {
    return rc;
  }
  if (!inv.flags().Has("wait")) {
    return PrintRotation(inv, started, MsgId::kDoneKeyRotationStarted);
  }
  if (!inv.json()) {
    inv.out() << Msg(inv.lang(), MsgId::kDoneKeyRotationStarted, started.name())
              << std::endl;
  }
  v1::KeyRotation done;
  if (int rc = WaitUntilDone(inv, started.name(), &done); rc != kExitOk) {
    return rc;
  }
  return PrintRotation(inv, done, MsgId::kHeadingKeyRotation);
}

int RunKeysRotation(Invocation& inv) {
  absl::StatusOr<std::string> institution = inv.Institution();
  if (!institution.ok()) return inv.LocalError(institution.status());
  std::string name =
      absl::StrCat(InstitutionName(*institution), "/keyRotations/-");
  if (!inv.args().empty()) {
    const std::string& arg = inv.args()[0];
    if (absl::StartsWith(arg, "institutions/")) {
      name = arg;
    } else if (!arg.empty() && arg.size() <= 10 &&
               std::all_of(arg.begin(), arg.end(), absl::ascii_isdigit)) {
      name = absl::StrCat(InstitutionName(*institution), "/keyRotations/", arg);
    } else {
      return inv.UsageError(Text(inv.lang(), MsgId::kErrNotARotationVersion));
    }
  }
  v1::KeyRotation rotation;
  if (inv.flags().Has("watch")) {
    if (int rc = WaitUntilDone(inv, name, &rotation); rc != kExitOk) return rc;
  } else {
    v1::GetKeyRotationRequest request;
    request.set_name(name);
    if (int rc = inv.CallOnce(&Stub::GetKeyRotation, request, &rotation);
        rc != kExitOk) {
      return rc;
    }
  }
  return PrintRotation(inv, rotation, MsgId::kHeadingKeyRotation);
}

}  // namespace

void RegisterKeyCommands(CommandRegistry& r) {
  r.AddGroup({{"admin", "keys"}, MsgId::kGroupKeys});
  r.Add({{"admin", "keys", "rotate"},
         MsgId::kCmdKeysRotate,
         MsgId::kUsageKeysRotate,
         MsgId::kDetailsKeysRotate,
         {Flag("etag", FlagValue::kText, MsgId::kFlagKeysEtag),
          Flag("wait", FlagValue::kNone, MsgId::kFlagKeysWait)},
         0,
         0,
         RunKeysRotate});
  r.Add({{"admin", "keys", "rotation"},
         MsgId::kCmdKeysRotation,
         MsgId::kUsageKeysRotation,
         MsgId::kNone,
         {Flag("watch", FlagValue::kNone, MsgId::kFlagKeysWait)},
         0,
         1,
         RunKeysRotation});
}

}  // namespace resguardo::cli
