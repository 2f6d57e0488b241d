// CallContext: what a transport hands the call core (call_runner.h) for one
// call, and how the call core answers through it. A call is a verified
// identity (the peer certificate the transport verified at its TLS
// handshake), a method, and request bytes in the transport's encoding; its
// answer is a status and, when OK, a response message. Everything between —
// request id, deadline, the caller's language, authentication,
// authorization, audit, the log line, the public form of errors — is the
// call core's, written once for every transport. A transport only reads
// its wire (headers, metadata, the TLS session) and writes its wire
// (grpc_transport.h, web/connect_call.h).
//
// The call core owns the context from the moment the transport hands it
// over (CallRunner::Serve*) and calls Finish (or, for an admitted stream,
// StartStream) exactly once; the transport's own objects may go away as
// soon as that returns, so a context touches none of them afterwards.
//
// Thread safety: the call core calls a context from one thread at a time
// (gRPC's, a worker, the store's completion thread, in turn); IsCancelled
// may be called from any thread.
#ifndef RESGUARDO_SERVICES_SERVER_CALL_CONTEXT_H_
#define RESGUARDO_SERVICES_SERVER_CALL_CONTEXT_H_

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "google/rpc/status.pb.h"
#include "resguardo/v1/audit.pb.h"
#include "services/server/internal/stream_host.h"

namespace resguardo::server {

// The peer as the transport's TLS handshake verified it.
struct VerifiedPeer {
  // The handshake verified a client certificate against the client CA.
  bool authenticated = false;
  // The certificate's URI SANs that are SPIFFE IDs ("spiffe://..."), as
  // the transport read them from the verified certificate.
  std::vector<std::string> spiffe_ids;
};

class CallContext {
 public:
  virtual ~CallContext() = default;

  // The listener the call came by (recorded in its audit entry).
  virtual v1::Transport transport() const = 0;
  // The client's x-request-id, as sent ("" when absent); the call core
  // decides whether to keep it.
  virtual std::string ClientRequestId() const = 0;
  // The client's accept-language (header or metadata), as sent ("" when
  // absent); the call core reads the caller's language from it once.
  virtual std::string AcceptLanguage() const = 0;
  // The deadline the client set (absl::InfiniteFuture() when none).
  virtual absl::Time ClientDeadline() const = 0;
  // Whether the client has gone or cancelled the call.
  virtual bool IsCancelled() const = 0;
  virtual VerifiedPeer Peer() const = 0;
  // Sends the call's request id back (a header or initial metadata) with
  // the answer.
  virtual void SetRequestId(const std::string& request_id) = 0;

  // Parses the request, in the transport's encoding, into `request` (empty
  // on entry). Refusals as request_decoder.h: RESOURCE_EXHAUSTED over
  // `max_bytes`, INVALID_ARGUMENT naming the field where it can be known;
  // never with the bytes received.
  virtual absl::Status DecodeRequest(google::protobuf::Message& request,
                                     size_t max_bytes) = 0;
  // Encodes an OK call's response, before the call is logged; an error
  // (INTERNAL) becomes the call's outcome.
  virtual absl::Status EncodeResponse(
      const google::protobuf::Message& response) = 0;
  // Answers the call: OK (code 0) with the encoded response, or the error
  // in its public form (grpc_status.h PublicStatus, in the caller's
  // language), which the transport encodes, with the request id. Called
  // once; the last call the core makes on a unary context.
  virtual void Finish(const google::rpc::Status& answer,
                      const std::string& request_id) = 0;

  // Server-streaming methods only: the call was admitted and its start
  // audited; the transport starts sending what `next` returns, checking the
  // caller again through the call core at every round. Called instead of
  // Finish. A unary transport never gets it.
  virtual void StartStream(const std::string& request_id, absl::Time start,
                           internal::StreamCaller caller,
                           internal::StreamNext next,
                           internal::StreamHost* host) = 0;
};

}  // namespace resguardo::server

#endif  // RESGUARDO_SERVICES_SERVER_CALL_CONTEXT_H_
