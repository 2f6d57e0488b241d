// StreamRound: what a server stream of either transport (the gRPC
// transport's StreamReactor, the web listener's ConnectStream) does in one
// round of the StreamPump (stream_pump.h), between its Poll and its
// AfterPoll: inside the round's read transaction it checks its caller again
// (StreamHost::Reauthorize: a user disabled, or who lost her role, since the
// stream started must not go on receiving) and reads what is new; after the
// transaction it hands over what was found, or the status that ends the
// stream — a refusal by the check audited first, under the stream's request
// id (StreamHost::AuditStreamRefusal).
//
// Thread safety: the pump's thread only (as Poll and AfterPoll).
#ifndef RESGUARDO_SERVICES_SERVER_INTERNAL_STREAM_ROUND_H_
#define RESGUARDO_SERVICES_SERVER_INTERNAL_STREAM_ROUND_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "services/server/internal/stream_host.h"
#include "services/server/internal/stream_pump.h"
#include "services/store/transaction.h"

namespace resguardo::server::internal {

class StreamRound {
 public:
  using Messages = std::vector<std::unique_ptr<google::protobuf::Message>>;

  // From the stream's Poll, when it is polled this round (started, not
  // ended, no write in flight). `caller` and `request_id` are the stream's;
  // a non-OK `refusal` (a limit of the transport's own, e.g. its deadline)
  // ends the stream without reading.
  void Poll(store::ReadTxn& txn, PollRound& round, StreamHost& host,
            StreamNext& next, const std::string& method, StreamCaller caller,
            std::string request_id, absl::Status refusal = absl::OkStatus());

  // From the stream's AfterPoll (`round`: the transaction's status):
  // nullopt when Poll did not run this round; else the messages to send
  // (maybe none), or the status to end the stream with.
  std::optional<absl::StatusOr<Messages>> Take(const absl::Status& round,
                                               StreamHost& host,
                                               const std::string& method);

 private:
  bool polled_ = false;
  bool done_ = false;  // Poll ran to its end
  absl::Status status_;
  std::string note_;
  StreamCaller caller_;
  std::string request_id_;
  Messages batch_;
};

}  // namespace resguardo::server::internal

#endif  // RESGUARDO_SERVICES_SERVER_INTERNAL_STREAM_ROUND_H_
