// ConnectStream: a server stream of the web listener (the Connect protocol's
// application/connect+json form: connect_envelope.h), as the gRPC
// transport's StreamReactor is one of gRPC's. The call core admits the call
// (request id, authentication, authorization, the stream caps, the method's
// open, the durable audit entry of its start) and starts it
// (ConnectCall::StartStream); from then on:
//
//   - the answer's head goes out at once (200, application/connect+json,
//     x-request-id, a chunked body), and the stream joins the node's
//     StreamPump, which polls every open stream of either transport in one
//     read per round (the caller checked again in that snapshot: a user
//     disabled or stripped of her role meanwhile ends the stream with that
//     refusal, audited);
//   - what a poll found goes out as one envelope per message, JSON
//     (json_encoder.h, as MessageToJsonString would write it), one write
//     at a time;
//   - the stream ends with an end-of-stream message carrying its error:
//     unavailable when the node stops, deadline_exceeded when the client's
//     Connect-Timeout-Ms passes, the refusal of a check at a round; or
//     without one when the client closes the connection (or a write fails
//     or times out: web.write_timeout_seconds), which gives its slot back
//     at once; its one log line is written then (code CANCELLED for a
//     client that left).
//
// Nothing waits on the client: an open stream holds no thread, only its
// connection (which nothing else reads meanwhile, and which closes when
// the stream ends) and its place in the pump.
//
// Thread safety: Poll and AfterPoll run on the pump's thread, the
// connection's callbacks on its strand, Abort on the stopping thread; the
// state they share is guarded by mu_. Nothing is called on the responder or
// the host under mu_.
#ifndef RESGUARDO_SERVICES_SERVER_WEB_CONNECT_STREAM_H_
#define RESGUARDO_SERVICES_SERVER_WEB_CONNECT_STREAM_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "services/server/internal/stream_host.h"
#include "services/server/internal/stream_pump.h"
#include "services/server/internal/stream_round.h"
#include "services/server/web/http_exchange.h"

namespace resguardo::server::web {

class ConnectStream final : public internal::PolledStream,
                            public std::enable_shared_from_this<ConnectStream> {
 public:
  // `deadline`: the client's (Connect-Timeout-Ms), or InfiniteFuture.
  ConnectStream(std::string method, std::shared_ptr<Responder> responder,
                absl::Time deadline)
      : method_(std::move(method)),
        responder_(std::move(responder)),
        deadline_(deadline) {}

  // The call core's CallContext::StartStream: sends the head and joins the
  // pump. The stream keeps itself alive until it ends.
  void Start(std::string request_id, absl::Time start,
             internal::StreamCaller caller, internal::StreamNext next,
             internal::StreamHost* host);

  // internal::PolledStream.
  void Poll(store::ReadTxn& txn, internal::PollRound& round) override;
  void AfterPoll(const absl::Status& round) override;
  void Abort() override;

 private:
  // The connection's callbacks (on its strand).
  void Written(bool ok);
  void Gone();
  // Ends the stream with `status` once; while a write is in flight or the
  // stream is joining the pump, once that is done.
  void End(const absl::Status& status);

  const std::string method_;
  const std::shared_ptr<Responder> responder_;
  const absl::Time deadline_;
  // Set by Start, before the stream joins the pump.
  internal::StreamHost* host_ = nullptr;
  internal::StreamNext next_;

  absl::Mutex mu_;
  std::shared_ptr<ConnectStream> self_ ABSL_GUARDED_BY(mu_);
  std::string request_id_ ABSL_GUARDED_BY(mu_);
  absl::Time start_ ABSL_GUARDED_BY(mu_);
  internal::StreamCaller caller_ ABSL_GUARDED_BY(mu_);
  bool started_ ABSL_GUARDED_BY(mu_) = false;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  // Between the head and the pump's Add (Start).
  bool joining_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  bool gone_ ABSL_GUARDED_BY(mu_) = false;
  // An end asked for while a write was in flight.
  bool end_pending_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status pending_end_ ABSL_GUARDED_BY(mu_);

  // Between Poll and AfterPoll of one round (the pump's thread only).
  internal::StreamRound round_;
};

}  // namespace resguardo::server::web

#endif  // RESGUARDO_SERVICES_SERVER_WEB_CONNECT_STREAM_H_
