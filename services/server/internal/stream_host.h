// What a transport's server stream needs from the call core while it runs
// (call_runner.h): the caller checked again at every poll round, the audit
// entry of a stream ended by that check, its slot and its log line. The
// call core hands a stream its StreamHost when it starts it
// (CallContext::StartStream): the gRPC transport's stream reactor
// (stream_reactor.h) and the web listener's ConnectStream
// (web/connect_stream.h), each through a StreamRound (stream_round.h).
//
// Thread safety: thread-safe.
#ifndef RESGUARDO_SERVICES_SERVER_INTERNAL_STREAM_HOST_H_
#define RESGUARDO_SERVICES_SERVER_INTERNAL_STREAM_HOST_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "resguardo/v1/audit.pb.h"
#include "services/api/language.h"
#include "services/auth/spiffe_id.h"
#include "services/server/internal/stream_pump.h"
#include "services/store/transaction.h"

namespace resguardo::server::internal {

// Who opened a stream, kept to check her again while it runs.
struct StreamCaller {
  auth::PeerIdentity peer;
  // The audited resource of the stream's start (AuditFacts::resource).
  std::string resource;
  // The listener the stream came by (for the audit entry of its end).
  v1::Transport transport = v1::TRANSPORT_UNSPECIFIED;
  // The caller's language, for the error that ends the stream.
  api::Language language = api::kDefaultLanguage;
};

// What a stream sends next: the messages that are new since the last call
// (maybe none), read in the poll round's snapshot (stream_pump.h).
using StreamNext = absl::AnyInvocable<
    absl::StatusOr<std::vector<std::unique_ptr<google::protobuf::Message>>>(
        store::ReadTxn&, PollRound&)>;

class StreamHost {
 public:
  virtual ~StreamHost() = default;
  // Whether `caller` may still hold the stream (her user enabled, her roles
  // still allowing `method`), in the snapshot the stream then reads; sets
  // `note` (the audit note) when she may not.
  virtual absl::Status Reauthorize(store::ReadTxn& txn,
                                   const StreamCaller& caller,
                                   const std::string& method,
                                   std::string* note) = 0;
  // Audits the end of a stream Reauthorize refused; returns what to finish
  // it with.
  virtual absl::Status AuditStreamRefusal(const StreamCaller& caller,
                                          const std::string& method,
                                          const std::string& request_id,
                                          const absl::Status& refusal,
                                          const std::string& note) = 0;
  // False when the node is stopping: the stream must end at once.
  virtual bool StreamStarted(PolledStream* stream) = 0;
  // Removes the stream from the pump, gives back its place among the open
  // streams (`caller`'s, when it had started; null otherwise) and logs its
  // end.
  virtual void StreamEnded(PolledStream* stream, const StreamCaller* caller,
                           const std::string& request_id,
                           const std::string& method, absl::StatusCode code,
                           absl::Time start) = 0;
};

}  // namespace resguardo::server::internal

#endif  // RESGUARDO_SERVICES_SERVER_INTERNAL_STREAM_HOST_H_
