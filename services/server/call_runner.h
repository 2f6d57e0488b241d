// CallRunner: the call core, the one place where every call of the node's
// own services is run, whichever transport it came by (STYLE.md "Thin
// services"; DESIGN.md §2). A call is a verified identity, a method and
// request bytes; its answer a status and a response message. A transport
// is a thin adapter that hands the core a CallContext (call_context.h: the
// gRPC listener's grpc_transport.h, the web listener's
// web/connect_call.h) through the MethodTable (method_table.h); a handler
// names its audit entry's resource and purpose and passes the domain
// operation; CallRunner does the rest, in this order:
//
//   0. the request: the transport's bytes, unary and server-streaming
//      methods alike, which the call core has the context decode (protobuf
//      binary for gRPC, request_decoder.h; proto3 JSON for the web
//      listener); a request larger than
//      Options::max_request_bytes, or one that does not decode, is refused
//      (RESOURCE_EXHAUSTED / INVALID_ARGUMENT naming the field) through
//      the same steps 1–8 as any refusal: after authentication and
//      authorization, audited (notes "limit:message-size" and
//      "invalid:undecodable") and logged; the node's gRPC services outside
//      the MethodTable, which have no user (health, reflection), hand
//      their requests to this step through DecodeOrRefuse: refused,
//      audited and logged the same way, with no user looked up;
//   1. request id: the client's x-request-id (metadata or header) if it is 1–64
//      characters of [A-Za-z0-9._:-], else a fresh random one; sent back as
//      x-request-id; and the caller's language, from her accept-language
//      (metadata or header; api/language.h), read once;
//   2. the call's deadline: the client's, capped at the configured maximum,
//      or the configured default when it set none; a call already cancelled
//      or past that deadline when it is admitted, or — a write — when the
//      writer gets to it, is not run (CANCELLED / DEADLINE_EXCEEDED);
//      deadlines are real time (absl::Now(), gRPC's clock), not the
//      injected Clock, which only stamps durations and audit entries;
//   3. the caller: the verified peer certificate's SPIFFE ID (as the
//      transport's TLS handshake verified it: CallContext::Peer), parsed with
//      auth::ParseSpiffeId against the node's trust domain, mapped to a user by
//      Directory::Authenticate in the call's own transaction (so a user
//      disabled before the write commits cannot write; reads other than
//      ReadOnWriter's go through the directory's cache of users, which a role
//      change or disabling empties before it returns);
//   4. auth::AccessPolicy::Default().Check(principal, method);
//   5. the domain operation, in a Database::Write (writes, and ReadOnWriter's
//      reads, read-only) or Database::Read (other reads) transaction;
//      writes run without a savepoint of their own
//      (store::Database::Isolation::kChecksFirst: the operations check
//      everything before their first change, and a failure after one rolls
//      back the whole batch, so a failed call still leaves nothing behind);
//   6. the audit entry (DESIGN.md §5):
//        - a write that succeeds: AuditLog::Append in the SAME transaction;
//        - a read: AuditLog::AppendDurably after the read and BEFORE the
//          response is sent (every read, not only reads of sealed data);
//          a ReadOnWriter read: AuditLog::Append in the read's own
//          transaction, durable likewise before the response is sent;
//        - any refusal or failure (no SPIFFE ID, unknown or disabled user,
//          permission denied, invalid argument, not found, ...):
//          AppendDurably, before the error is sent;
//      if the entry cannot be written the call fails with INTERNAL and no
//      data goes out (fail closed);
//   7. the public form of the status, once (grpc_status.h PublicStatus:
//      google.rpc.Status details, BadRequest field violations and a
//      LocalizedMessage in the caller's language), which the transport
//      encodes (a grpc::Status, a Connect JSON error); the audit entry
//      records the transport;
//   8. one log line (call_log.h): request id, method, code, latency, and
//      for INTERNAL, UNKNOWN and DATA_LOSS the cause (the status's own
//      message, which names the component and its error; the client gets
//      only the request id).
//
// Server-streaming methods (Stream): steps 1–5 as a read, where the
// operation (`open`) validates the request and fixes where the stream
// starts; then the audit entry of the start is made durable (step 6) and
// the stream starts: it sends its initial metadata, and the StreamPump
// (internal/stream_pump.h) polls `next` every Options::stream_poll_interval
// and writes what it returns (internal/stream_reactor.h), after steps 3–4
// again in the same snapshot: a caller disabled or stripped of her role
// meanwhile ends the stream with the same refusal, audited under the
// stream's request id. A refusal is
// audited, converted and logged like any call's; a started stream logs its
// one line when it ends (step 8), with its end code (CANCELLED when the
// client left). Streams are not capped by max_deadline: they run until the
// client cancels them or its own deadline passes; StopStreams() ends them
// (UNAVAILABLE) when the node stops.
//
// Nothing blocks a transport's threads. A write is admitted (steps 1–4's
// certificate checks) on the transport's thread and queued for the store's
// writer (Database::WriteAsync), which runs steps 3–6 in its group-committed
// transaction; the store's completion thread finishes the call (steps 7–8)
// once that has committed: no thread waits for the fsync. A read (and a
// stream's start) runs steps 2–5 on a WorkerPool thread, which waits for a
// reader connection; its entry is queued the same way and the completion
// thread finishes the call once the entry is durable.
//
// Stopping (BeginStopping, on SIGTERM): every call that arrives from then
// on is refused with UNAVAILABLE at once (logged, not audited), which
// clients' retry policies retry elsewhere or later, while the calls
// already admitted finish (WaitForCalls).
//
// When the pool's queue or the writer's is full the call is refused with
// RESOURCE_EXHAUSTED at once (logged, not audited: auditing it would need
// the writer the node is short of), and so is a read whose entry finds the
// writer's queue full (its data does not go out). The entries of refusals
// may take the writer's reserve of room (Database::Room::kReserved), so
// refusals are audited under load. A write that waited in the writer's
// queue past its deadline, or whose client left, is not carried out (step 2
// again, on the writer).
//
// Streams are capped (Options::max_streams, max_streams_per_user): a
// stream's start takes a slot after step 4, and one beyond the caps is
// refused RESOURCE_EXHAUSTED, audited with note "limit:streams"; the slot
// is given back when the stream ends. Open streams are polled together,
// in one read transaction per round (internal/stream_pump.h): an idle
// stream holds no reader connection and reads nothing of its own.
//
// ReadOnWriter runs a read like a write: in the writer's batch, read-only
// (WriteTxn::ReadOnly), with its entry appended in the same transaction, so
// the entry is durable before the response leaves as for any read, and
// covers exactly the state that was read. For GetCase: its entry has to
// go through the writer anyway, and reading there skips the worker and
// the reader connection, whose page cache every commit of the writer
// empties (each read decrypted its pages again); the writer's own cache
// survives its commits. Scans (lists, statistics) stay on the workers, so
// the writer's batches stay short.
//
// Thread safety: thread-safe. Ownership: every pointer is borrowed and must
// outlive the CallRunner and every call it started (the node stops the
// gRPC server, then the pool, before destroying them).
#ifndef RESGUARDO_SERVICES_SERVER_CALL_RUNNER_H_
#define RESGUARDO_SERVICES_SERVER_CALL_RUNNER_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "google/protobuf/message.h"
#include "resguardo/v1/audit.pb.h"
#include "resguardo/v1/catalogues.pb.h"
#include "services/auth/access_policy.h"
#include "services/server/call_context.h"
#include "services/server/internal/stream_host.h"
#include "services/server/internal/stream_pump.h"
#include "services/server/internal/stream_slots.h"
#include "services/store/transaction.h"

namespace resguardo::admin {
class Directory;
}  // namespace resguardo::admin
namespace resguardo::audit {
class AuditLog;
}  // namespace resguardo::audit
namespace resguardo::store {
class Database;
}  // namespace resguardo::store

namespace resguardo::server {

class CallLog;
namespace internal {
class WorkerPool;
}  // namespace internal

// What a call's audit entry says besides who called, when, and the outcome.
struct AuditFacts {
  // A resource name (institutions/..., .../cases/..., .../users/...). Set
  // from the request by the handler and, for creations, from the result by
  // the operation. Anything that does not parse as a resource name is
  // recorded as empty: request text never reaches the log.
  std::string resource;
  // For reads of sealed data: the declared purpose.
  v1::AccessPurpose purpose = v1::ACCESS_PURPOSE_UNSPECIFIED;
  // For statistics queries: the canonical encoding of the query's
  // parameters (stats::QueryPlan::canonical), built from allow-listed
  // values only.
  std::string query_parameters = {};
  // A short code for a successful call the auditor must notice (set by the
  // operation, e.g. "override:imminent-risk"); never caller text. A
  // refusal's note is CallRunner's own.
  std::string note = {};
  // For CreateUser and SetUserRoles: the roles of the user acted on before
  // the call and those requested, recorded on a refusal too (set by the
  // operation as soon as it knows them).
  std::vector<v1::Role> subject_roles_before = {};
  std::vector<v1::Role> subject_roles_after = {};
};

class CallRunner : private internal::StreamHost {
 public:
  struct Call;

  // A call the call core has taken from its transport (request id,
  // deadline, decoded request): a handler hands it on, once, to Write,
  // Read, ReadOnWriter, ReadThenWrite or Stream. Shared with the work the
  // call has queued (the writer's function, a worker's task, the audit
  // entry's completion): the call lives until the last of them is done.
  class Handle {
   public:
    Handle(Handle&&) = default;
    Handle& operator=(Handle&&) = default;

   private:
    friend class CallRunner;
    explicit Handle(std::shared_ptr<Call> call) : call_(std::move(call)) {}
    std::shared_ptr<Call> call_;
  };

  struct Options {
    std::string trust_domain;
    absl::Duration default_deadline = absl::Seconds(30);
    absl::Duration max_deadline = absl::Seconds(120);
    // How often open streams look for something new to send.
    absl::Duration stream_poll_interval = absl::Milliseconds(500);
    // Open streams, for the node and per user (NodeConfig limits): one
    // more is refused with RESOURCE_EXHAUSTED, audited (note
    // "limit:streams").
    int max_streams = 1000;
    int max_streams_per_user = 4;
    // Larger requests are refused (RESOURCE_EXHAUSTED), audited and logged.
    size_t max_request_bytes = 4 << 20;
  };

  using WriteOp = absl::AnyInvocable<absl::Status(
      store::WriteTxn&, const auth::Principal&, AuditFacts&)>;
  using ReadOp = absl::AnyInvocable<absl::Status(
      store::ReadTxn&, const auth::Principal&, AuditFacts&)>;

  CallRunner(store::Database* db, admin::Directory* directory,
             const audit::AuditLog* audit, CallLog* log,
             internal::WorkerPool* workers, const Clock* clock,
             Options options);

  CallRunner(const CallRunner&) = delete;
  CallRunner& operator=(const CallRunner&) = delete;
  ~CallRunner() override;

  // Runs one call of a unary method (`full_method` is
  // "/resguardo.v1.CaseService/CreateCase"), taking `context` from its
  // transport: steps 0–2, then `handler(Handle, const Request*, Response*)`,
  // which calls Write, Read, ReadOnWriter or ReadThenWrite. A request that
  // is too large or does not decode is refused instead (see the header
  // comment). Used by MethodTable (method_table.h).
  template <typename Request, typename Response, typename Handler>
  void ServeUnary(std::unique_ptr<CallContext> context,
                  absl::string_view full_method, Handler& handler) {
    auto messages = std::make_shared<Messages<Request, Response>>();
    std::shared_ptr<Call> call =
        NewCall(std::move(context), full_method, /*stream=*/false);
    if (!Decoded(call, messages)) return;
    handler(Handle(std::move(call)), &messages->request, &messages->response);
  }

  // As ServeUnary for a server-streaming method: `handler(Handle, const
  // Request*)` calls Stream.
  template <typename Request, typename Handler>
  void ServeStream(std::unique_ptr<CallContext> context,
                   absl::string_view full_method, Handler& handler) {
    auto messages = std::make_shared<Messages<Request, Request>>();
    std::shared_ptr<Call> call =
        NewCall(std::move(context), full_method, /*stream=*/true);
    if (!Decoded(call, messages)) return;
    handler(Handle(std::move(call)), &messages->request);
  }

  // Step 0 for a request of a service outside the MethodTable, which needs
  // no user and no store and is not audited when it succeeds
  // (grpc.health.v1.Health, server reflection): decodes `context`'s
  // request into `request` and gives `context` back, unanswered, for the
  // service to answer. When it does not decode (or is larger than
  // Options::max_request_bytes), takes `context`, refuses the call as a
  // resguardo.v1 request that does not decode is refused — request id,
  // INVALID_ARGUMENT naming the field (RESOURCE_EXHAUSTED), an audit entry
  // with note "invalid:undecodable" ("limit:message-size"), the public
  // status, one log line — and returns null. No user is looked up (these
  // services have none): the entry's actor is the one the certificate's
  // SPIFFE ID claims, marked unverified. While the node stops, such a call
  // is refused UNAVAILABLE, logged and not audited, like any new call.
  std::unique_ptr<CallContext> DecodeOrRefuse(
      std::unique_ptr<CallContext> context, absl::string_view full_method,
      google::protobuf::Message& request);

  // Runs a write method: `op(txn, caller, facts)` returns the response or
  // the refusal.
  template <typename Response, typename Op>
  void Write(Handle call, AuditFacts facts, Response* response, Op op) {
    StartWrite(std::move(call.call_), std::move(facts),
               IntoResponse<store::WriteTxn>(response, std::move(op)),
               [response] { response->Clear(); });
  }

  // Runs a read method; as Write.
  template <typename Response, typename Op>
  void Read(Handle call, AuditFacts facts, Response* response, Op op) {
    StartRead(std::move(call.call_), std::move(facts),
              IntoResponse<store::ReadTxn>(response, std::move(op)),
              [response] { response->Clear(); });
  }

  // Runs a read method in the writer's batch (see the header comment): as
  // Read, but `op` gets the batch's transaction, read-only, and the entry
  // is appended in that same transaction. For reads of one case's sealed
  // data, which are many and small.
  template <typename Response, typename Op>
  void ReadOnWriter(Handle call, AuditFacts facts, Response* response, Op op) {
    Write(std::move(call), std::move(facts), response,
          [op = std::move(op)](
              store::WriteTxn& txn, const auth::Principal& caller,
              AuditFacts& audit) mutable -> absl::StatusOr<Response> {
            absl::StatusOr<Response> result;
            absl::Status done =
                txn.ReadOnly([&](store::ReadTxn& read) -> absl::Status {
                  result = op(read, caller, audit);
                  return result.status();
                });
            if (!done.ok()) return done;
            return result;
          });
  }

  // Runs a read method whose answer may need a short write (statistics:
  // a query's charge and its stored answer). `read(txn, caller, facts)`
  // runs as Read's op on a worker and returns absl::StatusOr of either the
  // Response (the call finishes as a read) or a Draft; with a Draft, once
  // the read transaction is over, `commit(wtxn, caller, facts, draft)`
  // (returning absl::StatusOr<Response>) is queued for the store's writer
  // as a write method is: the caller is authenticated and authorized again
  // in the writer's transaction, and the call's one audit entry is
  // appended in that transaction, with the commit's writes. No worker ever
  // waits for the writer. `commit` must make its checks before its first
  // change (store::Database::Isolation::kChecksFirst).
  template <typename Response, typename Draft, typename ReadFn,
            typename CommitFn>
  void ReadThenWrite(Handle call, AuditFacts facts, Response* response,
                     ReadFn read, CommitFn commit) {
    auto draft = std::make_shared<std::optional<Draft>>();
    StartReadThenWrite(
        std::move(call.call_), std::move(facts),
        [read = std::move(read), response, draft](
            store::ReadTxn& txn, const auth::Principal& caller,
            AuditFacts& audit) mutable -> absl::Status {
          absl::StatusOr<std::variant<Response, Draft>> result =
              read(txn, caller, audit);
          if (!result.ok()) return result.status();
          if (Response* r = std::get_if<Response>(&*result)) {
            *response = std::move(*r);
          } else {
            draft->emplace(std::get<Draft>(*std::move(result)));
          }
          return absl::OkStatus();
        },
        [draft] { return draft->has_value(); },
        [commit = std::move(commit), response, draft](
            store::WriteTxn& txn, const auth::Principal& caller,
            AuditFacts& audit) mutable -> absl::Status {
          absl::StatusOr<Response> result =
              commit(txn, caller, audit, std::move(**draft));
          if (!result.ok()) return result.status();
          *response = *std::move(result);
          return absl::OkStatus();
        },
        [response] { response->Clear(); });
  }

  // Runs a server-streaming method (see the header comment): `open(txn,
  // caller, facts)` validates the request and fixes the starting point;
  // `next(txn, round)` returns what is new since the last call (maybe
  // nothing) and is called from the stream pump's thread, never
  // concurrently with itself.
  template <typename Response>
  void Stream(Handle call, AuditFacts facts, ReadOp open,
              absl::AnyInvocable<absl::StatusOr<std::vector<Response>>(
                  store::ReadTxn&, internal::PollRound&)>
                  next) {
    StartStream(std::move(call.call_), std::move(facts), std::move(open),
                [next = std::move(next)](store::ReadTxn& txn,
                                         internal::PollRound& round) mutable
                -> absl::StatusOr<
                    std::vector<std::unique_ptr<google::protobuf::Message>>> {
                  absl::StatusOr<std::vector<Response>> got = next(txn, round);
                  if (!got.ok()) return got.status();
                  std::vector<std::unique_ptr<google::protobuf::Message>> out;
                  out.reserve(got->size());
                  for (Response& r : *got) {
                    out.push_back(std::make_unique<Response>(std::move(r)));
                  }
                  return out;
                });
  }

  // Ends every open stream with UNAVAILABLE (the node is stopping).
  void StopStreams();

  // Server streams open now (WatchAlerts: the node's alert streams).
  int open_streams() const { return stream_slots_.open(); }

  // From now on every new call is refused with UNAVAILABLE (the node is
  // stopping); the calls already admitted go on.
  void BeginStopping();

  // Waits until every unary call admitted has finished, or `deadline`.
  // Returns whether they all finished.
  bool WaitForCalls(absl::Time deadline);

  // `name` if it is a well-formed resource name the audit may record, else
  // empty.
  static std::string AuditableResource(absl::string_view name);

 private:
  // A call's request and response, owned by the call.
  struct DecodedMessages {
    virtual ~DecodedMessages() = default;
    virtual google::protobuf::Message& Request() = 0;
    virtual const google::protobuf::Message& Reply() const = 0;
  };
  template <typename Req, typename Resp>
  struct Messages final : DecodedMessages {
    google::protobuf::Message& Request() override { return request; }
    const google::protobuf::Message& Reply() const override { return response; }
    Req request;
    Resp response;
  };
  // Step 0: the call takes `messages`; decodes its request into them, or
  // refuses it (and returns false), as it does when the node is stopping.
  bool Decoded(const std::shared_ptr<Call>& call,
               std::shared_ptr<DecodedMessages> messages);
  // Refuses `call` with UNAVAILABLE if the node is stopping.
  bool RefusedAsStopping(const std::shared_ptr<Call>& call);
  // Write's and Read's op as the store runs it: `op(txn, caller, audit)`'s
  // refusal, or OK with its answer moved into *response.
  template <typename Txn, typename Response, typename Op>
  static auto IntoResponse(Response* response, Op op) {
    return
        [op = std::move(op), response](Txn& txn, const auth::Principal& caller,
                                       AuditFacts& audit) mutable {
          absl::StatusOr<Response> result = op(txn, caller, audit);
          if (!result.ok()) return result.status();
          *response = *std::move(result);
          return absl::OkStatus();
        };
  }

  void StartWrite(std::shared_ptr<Call> call, AuditFacts facts, WriteOp op,
                  absl::AnyInvocable<void()> clear);
  void StartRead(std::shared_ptr<Call> call, AuditFacts facts, ReadOp op,
                 absl::AnyInvocable<void()> clear);
  void StartReadThenWrite(std::shared_ptr<Call> call, AuditFacts facts,
                          ReadOp read, absl::AnyInvocable<bool()> needs_write,
                          WriteOp write, absl::AnyInvocable<void()> clear);
  void StartStream(std::shared_ptr<Call> call, AuditFacts facts, ReadOp open,
                   internal::StreamNext next);
  // A call's state, with its request id and deadline (steps 1–2).
  std::shared_ptr<Call> NewCall(std::unique_ptr<CallContext> context,
                                absl::string_view full_method, bool stream);
  // Hands a read (or a stream's start) to a worker, or refuses it at once
  // when the pool's queue is full.
  void ScheduleRead(std::shared_ptr<Call> call, ReadOp op);
  // internal::StreamHost.
  absl::Status Reauthorize(store::ReadTxn& txn,
                           const internal::StreamCaller& caller,
                           const std::string& method,
                           std::string* note) override;
  absl::Status AuditStreamRefusal(const internal::StreamCaller& caller,
                                  const std::string& method,
                                  const std::string& request_id,
                                  const absl::Status& refusal,
                                  const std::string& note) override;
  bool StreamStarted(internal::PolledStream* stream) override;
  void StreamEnded(internal::PolledStream* stream,
                   const internal::StreamCaller* caller,
                   const std::string& request_id, const std::string& method,
                   absl::StatusCode code, absl::Time start) override;
  // The StreamSlots key of a user.
  static std::string SlotKey(const auth::PeerIdentity& peer);
  // Queues the write; the completion thread finishes the call.
  void RunWrite(std::shared_ptr<Call> call, WriteOp op);
  // Reads on this (worker) thread, then audits and finishes.
  void RunRead(std::shared_ptr<Call> call, ReadOp& op);
  // Steps 1–3 of the header: false when the call is already refused (and
  // being audited and finished).
  bool Admit(const std::shared_ptr<Call>& call);
  // Queues the call's entry and returns; once the entry is durable the
  // completion thread finishes the call with `status` (or INTERNAL if the
  // entry could not be written). For refusals, failures and reads.
  void AuditAndFinish(std::shared_ptr<Call> call, absl::Status status,
                      absl::string_view note);
  static v1::AuditEntry EntryFor(const Call& call, absl::StatusCode code,
                                 absl::string_view note);
  void Finish(Call& call, absl::Status status);

  store::Database* const db_;
  admin::Directory* const directory_;
  const audit::AuditLog* const audit_;
  CallLog* const log_;
  internal::WorkerPool* const workers_;
  const Clock* const clock_;
  const Options options_;
  internal::StreamSlots stream_slots_;
  std::unique_ptr<internal::StreamPump> pump_;
  std::atomic<bool> stopping_{false};
  // Unary calls started and not yet finished.
  std::atomic<int64_t> calls_in_flight_{0};
};

}  // namespace resguardo::server

#endif  // RESGUARDO_SERVICES_SERVER_CALL_RUNNER_H_
