// The `resguardo alerts` commands: `list` (the alerts already raised,
// newest first, and the resume token to watch from) and `watch` (alerts as
// they arrive, resuming after a broken connection).
#include "clients/cli/alert_commands.h"

#include <signal.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "clients/cli/catalogue_codes.h"
#include "clients/cli/command_registry.h"
#include "clients/cli/dates.h"
#include "clients/cli/exit_codes.h"
#include "clients/cli/flag_values.h"
#include "clients/cli/messages.h"
#include "clients/cli/paging.h"
#include "clients/cli/resource_names.h"
#include "clients/cli/rpc_error.h"
#include "resguardo/v1/referral_service.grpc.pb.h"

namespace resguardo::cli {
namespace {

namespace v1 = resguardo::v1;

// When the alert is due, as a person reads it. A measure's expiry, a
// follow-up's next step and a reparation measure's due date are days: the node
// sends the end of that day (the next midnight, UTC), shown as the day itself
// ("vence 2026-12-03"); a referral's deadline is an instant, shown in the local
// time.
std::string DueText(const v1::Alert& alert, Lang lang, absl::TimeZone zone) {
  if (!alert.has_due_time()) return "";
  if (alert.kind() == v1::ALERT_KIND_MEASURE_EXPIRING ||
      alert.kind() == v1::ALERT_KIND_FOLLOW_UP_DUE ||
      alert.kind() == v1::ALERT_KIND_REPARATION_DUE ||
      alert.kind() == v1::ALERT_KIND_REPARATION_OVERDUE) {
    const absl::CivilDay day =
        absl::ToCivilDay(absl::FromUnixSeconds(alert.due_time().seconds()),
                         absl::UTCTimeZone()) -
        1;
    return Msg(lang, MsgId::kAlertDueOn, absl::FormatCivilTime(day));
  }
  return absl::StrCat(Text(lang, MsgId::kFieldReferralDeadline), " ",
                      FormatTimestamp(alert.due_time(), zone));
}

// One alert on one line: when, what, which resource, and when it is due.
std::string AlertLine(const v1::Alert& alert, Lang lang, absl::TimeZone zone) {
  const std::string due = DueText(alert, lang, zone);
  return absl::StrCat(FormatTimestamp(alert.create_time(), zone), "  ",
                      LabelOf(v1::AlertKind_descriptor(), alert.kind(), lang),
                      "  ", alert.resource(), due.empty() ? "" : "  ", due,
                      "\n");
}

// The alerts already raised, newest first, then how to watch from there on.
int RunList(Invocation& inv) {
  const Lang lang = inv.lang();
  absl::StatusOr<std::string> institution = inv.Institution();
  if (!institution.ok()) return inv.LocalError(institution.status());
  v1::ListAlertsRequest request;
  request.set_parent(InstitutionName(*institution));
  v1::ListAlertsResponse all;
  if (int rc = FetchList<v1::ReferralService>(
          inv, 500, request, &v1::ReferralService::Stub::ListAlerts, all);
      rc != kExitOk) {
    return rc;
  }
  // Not PrintList: the resume hint comes after the "more pages" line.
  return inv.Print(all, [&] {
    std::string out;
    for (const v1::Alert& alert : all.alerts()) {
      absl::StrAppend(&out, AlertLine(alert, lang, inv.zone()));
    }
    if (all.alerts().empty()) {
      absl::StrAppend(&out, Text(lang, MsgId::kNoResults), "\n");
    }
    if (!all.next_page_token().empty()) {
      absl::StrAppend(&out, Msg(lang, MsgId::kMorePages, all.next_page_token()),
                      "\n");
    }
    absl::StrAppend(
        &out, Msg(lang, MsgId::kAlertsResumeHint, all.resume_token()), "\n");
    return out;
  });
}

// Set by SIGINT/SIGTERM while `alerts watch` runs (async-signal-safe).
std::atomic<bool> watch_interrupted{false};
void OnWatchInterrupt(int) { watch_interrupted.store(true); }

// Cancels the watch's call in flight once interrupted: a blocked Read
// cannot look at the flag itself.
class WatchCanceller {
 public:
  WatchCanceller() : thread_([this] { Loop(); }) {}
  ~WatchCanceller() {
    {
      absl::MutexLock lock(&mu_);
      done_ = true;
    }
    thread_.join();
  }
  void Set(grpc::ClientContext* context) {
    absl::MutexLock lock(&mu_);
    current_ = context;
    if (current_ != nullptr && watch_interrupted.load()) current_->TryCancel();
  }

 private:
  void Loop() {
    absl::MutexLock lock(&mu_);
    while (!done_) {
      mu_.AwaitWithTimeout(absl::Condition(&done_), absl::Milliseconds(50));
      if (current_ != nullptr && watch_interrupted.load()) {
        current_->TryCancel();
      }
    }
  }
  absl::Mutex mu_;
  grpc::ClientContext* current_ ABSL_GUARDED_BY(mu_) = nullptr;
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

// Prints alerts as they arrive until interrupted (SIGINT or SIGTERM: exits
// 0). After a broken connection it reconnects (1 s, doubling up to 30 s;
// each attempt waits for the channel, whose backoff is capped at 5 s) and
// resumes after the last alert printed, so none is lost or printed twice.
int RunWatch(Invocation& inv) {
  const Lang lang = inv.lang();
  absl::StatusOr<std::string> institution = inv.Institution();
  if (!institution.ok()) return inv.LocalError(institution.status());
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel = inv.Channel();
  if (!channel.ok()) return inv.LocalError(channel.status());
  auto stub = v1::ReferralService::NewStub(*channel);
  v1::WatchAlertsRequest request;
  request.set_parent(InstitutionName(*institution));
  request.set_resume_token(inv.flags().Get("resume-token").value_or(""));
  absl::Duration backoff = absl::Seconds(1);
  struct sigaction action = {};
  action.sa_handler = OnWatchInterrupt;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  WatchCanceller canceller;
  // When the watch ends, the token to resume after the last alert it
  // printed (on standard error: standard output stays the alerts).
  auto resume_hint = [&] {
    if (request.resume_token().empty()) return;
    inv.Note(Msg(lang, MsgId::kAlertsWatchResume, request.resume_token()));
  };
  inv.Note(Text(lang, MsgId::kAlertsWaiting));
  while (true) {
    grpc::ClientContext context;
    // Waits for the connection instead of failing while gRPC reconnects, so
    // the stream resumes as soon as the node is back.
    context.set_wait_for_ready(true);
    canceller.Set(&context);
    std::unique_ptr<grpc::ClientReader<v1::Alert>> reader =
        stub->WatchAlerts(&context, request);
    v1::Alert alert;
    while (reader->Read(&alert)) {
      backoff = absl::Seconds(1);
      request.set_resume_token(alert.resume_token());
      int rc =
          inv.Print(alert, [&] { return AlertLine(alert, lang, inv.zone()); });
      if (rc != kExitOk) {
        canceller.Set(nullptr);
        return rc;
      }
    }
    grpc::Status status = reader->Finish();
    canceller.Set(nullptr);
    if (watch_interrupted.load()) {
      resume_hint();
      return kExitOk;
    }
    const grpc::StatusCode code = status.error_code();
    if (code != grpc::StatusCode::UNAVAILABLE &&
        code != grpc::StatusCode::DEADLINE_EXCEEDED &&
        code != grpc::StatusCode::OK && code != grpc::StatusCode::CANCELLED) {
      const RpcErrorReport report = DescribeRpcError(status, lang);
      inv.err() << FormatRpcError(report, "", lang);
      resume_hint();
      return report.exit_code;
    }
    inv.Note(
        Msg(lang, MsgId::kAlertsReconnecting, absl::ToInt64Seconds(backoff)));
    // In short steps, so that an interrupt while waiting ends at once.
    const absl::Time wake = absl::Now() + backoff;
    while (absl::Now() < wake && !watch_interrupted.load()) {
      absl::SleepFor(absl::Milliseconds(50));
    }
    if (watch_interrupted.load()) {
      resume_hint();
      return kExitOk;
    }
    backoff = std::min(backoff * 2, absl::Seconds(30));
  }
}

}  // namespace

void RegisterAlertCommands(CommandRegistry& r) {
  r.AddGroup({{"alerts"}, MsgId::kGroupAlerts});
  r.Add({{"alerts", "list"},
         MsgId::kCmdAlertsList,
         MsgId::kUsageOptionsOnly,
         MsgId::kDetailsAlertsList,
         {Flag("page-size", FlagValue::kNumber, MsgId::kFlagPageSize),
          Flag("page-token", FlagValue::kText, MsgId::kFlagPageToken),
          Flag("all", FlagValue::kNone, MsgId::kFlagAll)},
         0,
         0,
         RunList});
  r.Add({{"alerts", "watch"},
         MsgId::kCmdAlertsWatch,
         MsgId::kUsageOptionsOnly,
         MsgId::kDetailsAlertsWatch,
         {Flag("resume-token", FlagValue::kText, MsgId::kFlagResumeToken)},
         0,
         0,
         RunWatch});
}

}  // namespace resguardo::cli
