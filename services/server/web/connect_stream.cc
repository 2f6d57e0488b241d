#include "services/server/web/connect_stream.h"

#include <utility>

#include "absl/time/clock.h"
#include "services/api/error_catalogue.h"
#include "services/server/grpc_status.h"
#include "services/server/web/connect_envelope.h"
#include "services/server/web/json_encoder.h"

namespace resguardo::server::web {

void ConnectStream::Start(std::string request_id, absl::Time start,
                          internal::StreamCaller caller,
                          internal::StreamNext next,
                          internal::StreamHost* host) {
  HttpResponse head;
  head.status = 200;
  head.headers.emplace_back("Content-Type", "application/connect+json");
  head.headers.emplace_back("x-request-id", request_id);
  {
    absl::MutexLock lock(&mu_);
    host_ = host;
    next_ = std::move(next);
    request_id_ = std::move(request_id);
    start_ = start;
    caller_ = std::move(caller);
    started_ = true;
    joining_ = true;
    self_ = shared_from_this();
  }
  // The callbacks do not keep the stream: its end releases it. The head is
  // queued before the stream can be polled, so it goes out first.
  std::weak_ptr<ConnectStream> weak = weak_from_this();
  responder_->StartStream(std::move(head), [weak] {
    if (std::shared_ptr<ConnectStream> self = weak.lock()) self->Gone();
  });
  const bool joined = host->StreamStarted(this);
  absl::Status end;
  bool ending = false;
  {
    absl::MutexLock lock(&mu_);
    joining_ = false;
    ending = end_pending_ && !writing_;
    end = pending_end_;
  }
  if (!joined) {
    // Admitted while the node began to stop: it ends before it sends.
    Abort();
  } else if (ending) {
    // Ended (the client left, a round refused it) while it joined.
    End(end);
  }
}

void ConnectStream::Poll(store::ReadTxn& txn, internal::PollRound& round) {
  internal::StreamCaller caller;
  std::string request_id;
  {
    absl::MutexLock lock(&mu_);
    if (!started_ || finished_ || writing_) return;
    caller = caller_;
    request_id = request_id_;
  }
  round_.Poll(txn, round, *host_, next_, method_, std::move(caller),
              std::move(request_id),
              absl::Now() < deadline_
                  ? absl::OkStatus()
                  : api::WithErrorText(
                        absl::DeadlineExceededError(
                            "the stream's deadline (Connect-Timeout-Ms) "
                            "passed; resume with the last alert's token"),
                        api::ErrorId::kAlertsDeadlinePassed));
}

void ConnectStream::AfterPoll(const absl::Status& round) {
  std::optional<absl::StatusOr<internal::StreamRound::Messages>> found =
      round_.Take(round, *host_, method_);
  if (!found.has_value()) return;
  if (!found->ok()) {
    End(found->status());
    return;
  }
  internal::StreamRound::Messages batch = **std::move(found);
  if (batch.empty()) return;
  std::string bytes;
  for (const auto& message : batch) {
    std::string json;
    if (!EncodeJson(*message, &json).ok()) {
      End(absl::InternalError("web: could not encode a stream message"));
      return;
    }
    bytes += Envelope(0, json);
  }
  {
    absl::MutexLock lock(&mu_);
    if (finished_ || gone_) return;
    writing_ = true;
  }
  std::weak_ptr<ConnectStream> weak = weak_from_this();
  responder_->Send(std::move(bytes), [weak](bool ok) {
    if (std::shared_ptr<ConnectStream> self = weak.lock()) self->Written(ok);
  });
}

void ConnectStream::Abort() {
  End(absl::UnavailableError("the node is stopping; reconnect and resume"));
}

void ConnectStream::Written(bool ok) {
  absl::Status end;
  {
    absl::MutexLock lock(&mu_);
    writing_ = false;
    if (!ok) {
      gone_ = true;
    } else if (end_pending_) {
      end = pending_end_;
    } else {
      return;
    }
  }
  End(ok ? end : absl::CancelledError("the client went away"));
}

void ConnectStream::Gone() {
  {
    absl::MutexLock lock(&mu_);
    gone_ = true;
  }
  End(absl::CancelledError("the client went away"));
}

void ConnectStream::End(const absl::Status& status) {
  std::shared_ptr<ConnectStream> keep;  // released on return
  std::string request_id;
  absl::Time start;
  internal::StreamCaller caller;
  bool gone;
  {
    absl::MutexLock lock(&mu_);
    if (finished_ || !started_) return;
    if (writing_ || joining_) {
      // Once the write completes (Written), or the stream has joined the
      // pump (Start): ended earlier, it would leave the pump a stream it
      // adds after.
      if (!end_pending_) {
        end_pending_ = true;
        pending_end_ = status;
      }
      return;
    }
    finished_ = true;
    keep = std::move(self_);
    request_id = request_id_;
    start = start_;
    caller = caller_;
    gone = gone_;
  }
  // The same public status, in the caller's language, as a unary call's
  // error (call_runner.h step 7).
  if (!gone) {
    responder_->EndStream(
        EndOfStream(PublicStatus(status, request_id, caller.language)));
  }
  host_->StreamEnded(this, &caller, request_id, method_,
                     gone ? absl::StatusCode::kCancelled : status.code(),
                     start);
}

}  // namespace resguardo::server::web
