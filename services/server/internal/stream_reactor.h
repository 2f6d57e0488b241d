// StreamReactor: the gRPC transport's reactor of a server-streaming method
// (grpc_transport.h), which gRPC hands the request's raw bytes and which
// writes each response as raw bytes, encoded here. The call core
// (call_runner.h) decodes the request and admits the call (request id,
// authentication, authorization, the method's open, the audit entry of its
// start), then starts the stream (CallContext::StartStream, with its
// StreamHost); then the StreamPump polls it: each Poll reads what is new in
// the round's shared read transaction, after checking the caller again in
// that snapshot (stream_round.h), and AfterPoll writes it, one message at a
// time. The stream ends
// when the client cancels it (or its deadline passes), when a write fails,
// when a Poll fails (its status), or when the node stops (UNAVAILABLE); its
// end is logged once, from OnDone.
//
// Thread safety: gRPC reactions and Poll/Abort may run on different
// threads; the state they share is guarded by mu_. StartWrite and Finish
// are called outside mu_ (gRPC may run a reaction inline).
#ifndef RESGUARDO_SERVICES_SERVER_INTERNAL_STREAM_REACTOR_H_
#define RESGUARDO_SERVICES_SERVER_INTERNAL_STREAM_REACTOR_H_

#include <deque>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "grpcpp/impl/codegen/proto_utils.h"
#include "grpcpp/support/byte_buffer.h"
#include "grpcpp/support/server_callback.h"
#include "services/server/grpc_status.h"
#include "services/server/internal/stream_host.h"
#include "services/server/internal/stream_pump.h"
#include "services/server/internal/stream_round.h"
#include "services/store/transaction.h"

namespace resguardo::server::internal {

class StreamReactor final : public grpc::ServerWriteReactor<grpc::ByteBuffer>,
                            public PolledStream {
 public:
  explicit StreamReactor(std::string method) : method_(std::move(method)) {}

  // Called by the call core once the call is admitted and audited: the
  // stream sends its initial metadata (the client may rely on it: what is
  // raised from now on will be delivered) and joins the pump. Until it
  // returns, nothing finishes the stream (an end asked for meanwhile waits
  // in pending_end_): gRPC may run OnDone, which deletes the reactor, on
  // another thread as soon as Finish is called, and this runs on the call
  // core's thread, not in a reaction.
  void Started(std::string request_id, absl::Time start, StreamCaller caller,
               StreamNext next, StreamHost* host) {
    {
      absl::MutexLock lock(&mu_);
      host_ = host;
      next_ = std::move(next);
      request_id_ = std::move(request_id);
      start_ = start;
      caller_ = std::move(caller);
      started_ = true;
      starting_ = true;
    }
    this->StartSendInitialMetadata();
    const bool joined = host_->StreamStarted(this);
    std::optional<grpc::Status> finish;
    {
      absl::MutexLock lock(&mu_);
      starting_ = false;
      if (!joined) {
        // Admitted while the node began to stop: it ends before it sends.
        finish = TakeEnd(absl::UnavailableError(
            "the node is stopping; reconnect and resume"));
      } else if (has_pending_end_) {
        finish = TakeEnd(pending_end_);
      } else if (cancelled_) {
        // Cancelled while it was being admitted.
        finish = TakeEnd(absl::CancelledError("cancelled by the client"));
      }
    }
    if (finish.has_value()) this->Finish(*std::move(finish));
  }

  // Called by the call core when the call is refused before it started.
  void Refused(grpc::Status status, std::string request_id, absl::Time start,
               absl::StatusCode code) {
    {
      absl::MutexLock lock(&mu_);
      request_id_ = std::move(request_id);
      start_ = start;
      finished_ = true;
      code_ = code;
      logged_ = true;  // CallRunner logged the refusal
    }
    this->Finish(std::move(status));
  }

  // Pump thread only (round_ is its own).
  void Poll(store::ReadTxn& txn, PollRound& round) override {
    StreamCaller caller;
    std::string request_id;
    {
      absl::MutexLock lock(&mu_);
      if (!started_ || finished_ || writing_) return;
      caller = caller_;
      request_id = request_id_;
    }
    round_.Poll(txn, round, *host_, next_, method_, std::move(caller),
                std::move(request_id));
  }

  void AfterPoll(const absl::Status& round) override {
    std::optional<absl::StatusOr<StreamRound::Messages>> found =
        round_.Take(round, *host_, method_);
    if (!found.has_value()) return;
    if (!found->ok()) {
      End(found->status());
      return;
    }
    StreamRound::Messages batch = **std::move(found);
    if (batch.empty()) return;
    {
      absl::MutexLock lock(&mu_);
      if (finished_ || cancelled_) return;
      pending_.assign(std::make_move_iterator(batch.begin()),
                      std::make_move_iterator(batch.end()));
      writing_ = true;
    }
    WriteNext();
  }

  void Abort() override {
    End(absl::UnavailableError("the node is stopping; reconnect and resume"));
  }

  void OnWriteDone(bool ok) override {
    bool more = false;
    std::optional<grpc::Status> finish;
    {
      absl::MutexLock lock(&mu_);
      if (ok && !cancelled_ && !finished_ && !pending_.empty()) {
        more = true;
      } else {
        writing_ = false;
        pending_.clear();
        if (!ok) {
          finish = TakeEnd(absl::CancelledError("the client went away"));
        } else if (has_pending_end_) {
          finish = TakeEnd(pending_end_);
        } else if (cancelled_) {
          finish = TakeEnd(absl::CancelledError("cancelled by the client"));
        }
      }
    }
    if (more) {
      WriteNext();
      return;
    }
    if (finish.has_value()) this->Finish(*std::move(finish));
  }

  void OnCancel() override {
    {
      absl::MutexLock lock(&mu_);
      cancelled_ = true;
    }
    End(absl::CancelledError("cancelled by the client"));
  }

  void OnDone() override {
    std::string request_id;
    absl::StatusCode code;
    absl::Time start;
    bool started, logged;
    StreamCaller caller;
    {
      absl::MutexLock lock(&mu_);
      request_id = request_id_;
      code = code_;
      start = start_;
      started = started_;
      logged = logged_;
      caller = caller_;
    }
    if (host_ != nullptr && (started || !logged)) {
      host_->StreamEnded(this, started ? &caller : nullptr, request_id, method_,
                         code, start);
    }
    delete this;
  }

 private:
  // Encodes the next pending message and writes it (writing_ is set).
  void WriteNext() {
    std::unique_ptr<google::protobuf::Message> next;
    {
      absl::MutexLock lock(&mu_);
      next = std::move(pending_.front());
      pending_.pop_front();
    }
    // The previous message's bytes are no longer gRPC's (its write is
    // done); the serializer wants an empty buffer.
    current_.Clear();
    bool own_buffer = false;
    grpc::Status encoded =
        grpc::SerializationTraits<google::protobuf::Message>::Serialize(
            *next, &current_, &own_buffer);
    if (!encoded.ok()) {
      {
        absl::MutexLock lock(&mu_);
        writing_ = false;
        pending_.clear();
      }
      End(absl::InternalError("server: could not encode a stream message"));
      return;
    }
    this->StartWrite(&current_);
  }

  // Finishes the stream with `status` once, and only when no write is in
  // flight and Started has returned (OnWriteDone or Started finish it
  // then).
  void End(const absl::Status& status) {
    std::optional<grpc::Status> finish;
    {
      absl::MutexLock lock(&mu_);
      finish = TakeEnd(status);
    }
    if (finish.has_value()) this->Finish(*std::move(finish));
  }

  // The status to Finish with now, marking the stream finished; none if it
  // is finished already, not started, or must wait (the first end asked
  // for is kept for later). Finish is called by the caller, outside mu_.
  std::optional<grpc::Status> TakeEnd(const absl::Status& status)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (finished_ || !started_) return std::nullopt;
    if (writing_ || starting_) {
      if (!has_pending_end_) {
        has_pending_end_ = true;
        pending_end_ = status;
      }
      return std::nullopt;
    }
    finished_ = true;
    code_ = status.code();
    return ToGrpcStatus(status, request_id_, caller_.language);
  }

  // Set by Started, before the stream joins the pump.
  StreamHost* host_ = nullptr;
  const std::string method_;
  StreamNext next_;
  absl::Mutex mu_;
  std::string request_id_ ABSL_GUARDED_BY(mu_);
  absl::Time start_ ABSL_GUARDED_BY(mu_);
  StreamCaller caller_ ABSL_GUARDED_BY(mu_);
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  // Started is running: nothing may finish the stream yet.
  bool starting_ ABSL_GUARDED_BY(mu_) = false;
  // An end asked for while a write was in flight or Started ran.
  bool has_pending_end_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status pending_end_ ABSL_GUARDED_BY(mu_);
  bool logged_ ABSL_GUARDED_BY(mu_) = false;
  absl::StatusCode code_ ABSL_GUARDED_BY(mu_) = absl::StatusCode::kOk;
  std::deque<std::unique_ptr<google::protobuf::Message>> pending_
      ABSL_GUARDED_BY(mu_);
  grpc::ByteBuffer current_;  // owned by the write in flight
  // Between Poll and AfterPoll of one round (the pump's thread only).
  StreamRound round_;
};

}  // namespace resguardo::server::internal

#endif  // RESGUARDO_SERVICES_SERVER_INTERNAL_STREAM_REACTOR_H_
