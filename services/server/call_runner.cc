// One piece (about 620 lines): the call core's stages — identify, authorize,
// decode, run on a worker or the writer, audit, answer — each act on the
// same Call and its one ordering rule (a read's audit entry durable before
// the data leaves, a write's in its transaction); the transports, the
// stream pump and the worker pool are already files of their own.
#include "services/server/call_runner.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "resguardo/v1/audit.pb.h"
#include "services/admin/directory.h"
#include "services/api/language.h"
#include "services/api/resource_names.h"
#include "services/audit/audit_log.h"
#include "services/auth/spiffe_id.h"
#include "services/server/call_log.h"
#include "services/server/grpc_status.h"
#include "services/server/internal/worker_pool.h"
#include "services/store/database.h"
#include "services/store/storage_status.h"

namespace resguardo::server {
namespace {

constexpr size_t kMaxRequestIdLength = 64;

bool IsAcceptableRequestId(absl::string_view id) {
  if (id.empty() || id.size() > kMaxRequestIdLength) return false;
  for (char c : id) {
    if (!(absl::ascii_isalnum(c) || c == '.' || c == '_' || c == ':' ||
          c == '-')) {
      return false;
    }
  }
  return true;
}

std::string NewRequestId() {
  thread_local absl::BitGen gen;
  return absl::StrFormat("%016x%016x", absl::Uniform<uint64_t>(gen),
                         absl::Uniform<uint64_t>(gen));
}

std::string RequestIdOf(const CallContext& context) {
  std::string id = context.ClientRequestId();
  if (IsAcceptableRequestId(id)) return id;
  return NewRequestId();
}

// The log line's cause: only for the codes whose message the client does
// not see (grpc_status.h), bounded.
constexpr size_t kMaxCauseLength = 300;

std::string CauseOf(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kUnknown:
    case absl::StatusCode::kDataLoss:
      return std::string(status.message().substr(0, kMaxCauseLength));
    default:
      return "";
  }
}

// The audit note of a refusal by Directory::Authenticate.
absl::string_view AuthenticationNote(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kUnauthenticated:
      return "unauthenticated:unknown-user";
    case absl::StatusCode::kPermissionDenied:
      return "denied:user-disabled";
    default:
      return "unauthenticated:directory-error";
  }
}

// The audit note of a request the call core refused in step 0.
std::string UndecodableNote(const absl::Status& refusal) {
  return refusal.code() == absl::StatusCode::kResourceExhausted
             ? "limit:message-size"
             : "invalid:undecodable";
}

}  // namespace

struct CallRunner::Call {
  // The transport's side of the call; the call core answers through it
  // once (Finish).
  std::unique_ptr<CallContext> context;
  v1::Transport transport = v1::TRANSPORT_UNSPECIFIED;
  std::string method;
  std::string request_id;
  // The caller's language (from the transport's accept-language), for
  // the public form of an error.
  api::Language language = api::kDefaultLanguage;
  absl::Time start;
  absl::Time deadline;
  AuditFacts facts;
  std::optional<auth::PeerIdentity> peer;
  std::optional<auth::Principal> principal;
  absl::AnyInvocable<void()> clear;
  // Set by a write's function on the writer thread, read by its completion
  // on the store's completion thread (after the writer handed it over).
  std::string note;
  bool audit_failed = false;
  // A unary call counted in calls_in_flight_ until it finishes.
  bool counted = false;
  // A stream's call: started once admitted and audited, with `next`.
  bool stream = false;
  internal::StreamNext stream_next;
  // ReadThenWrite: asked after a successful read whether the call goes on
  // to `then_write`.
  absl::AnyInvocable<bool()> needs_write;
  WriteOp then_write;
  // The stream took a slot of StreamSlots (given back if it never starts).
  bool stream_slot = false;
  // The call's request and response (step 0).
  std::shared_ptr<DecodedMessages> messages;
  // The audit note of the operation's refusal, when the call core refused
  // the request itself (it did not decode).
  std::string refusal_note;
};

bool CallRunner::Decoded(const std::shared_ptr<Call>& call,
                         std::shared_ptr<DecodedMessages> messages) {
  call->messages = std::move(messages);
  call->clear = [] {};
  if (RefusedAsStopping(call)) return false;
  absl::Status refusal = call->context->DecodeRequest(
      call->messages->Request(), options_.max_request_bytes);
  if (refusal.ok()) return true;
  call->refusal_note = UndecodableNote(refusal);
  // Like any refusal of a request: after authentication and authorization,
  // audited and logged (a refusal of an internal cause is audited too).
  ScheduleRead(call, [refusal = std::move(refusal)](
                         store::ReadTxn&, const auth::Principal&, AuditFacts&) {
    return refusal;
  });
  return false;
}

std::unique_ptr<CallContext> CallRunner::DecodeOrRefuse(
    std::unique_ptr<CallContext> context, absl::string_view full_method,
    google::protobuf::Message& request) {
  absl::Status refusal =
      context->DecodeRequest(request, options_.max_request_bytes);
  if (refusal.ok()) return context;
  std::shared_ptr<Call> call =
      NewCall(std::move(context), full_method, /*stream=*/false);
  if (RefusedAsStopping(call)) return nullptr;
  // The service needs no user: who tried is the identity the certificate
  // claims (EntryFor marks it unverified), when it names one.
  const VerifiedPeer verified = call->context->Peer();
  if (verified.authenticated && verified.spiffe_ids.size() == 1) {
    absl::StatusOr<auth::PeerIdentity> peer =
        auth::ParseSpiffeId(verified.spiffe_ids[0], options_.trust_domain);
    if (peer.ok()) call->peer = *std::move(peer);
  }
  const std::string note = UndecodableNote(refusal);
  AuditAndFinish(std::move(call), std::move(refusal), note);
  return nullptr;
}

void CallRunner::BeginStopping() { stopping_.store(true); }

bool CallRunner::WaitForCalls(absl::Time deadline) {
  while (calls_in_flight_.load() > 0) {
    if (absl::Now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

bool CallRunner::RefusedAsStopping(const std::shared_ptr<Call>& call) {
  if (!stopping_.load(std::memory_order_relaxed)) return false;
  // Not audited: the node is closing its writer. UNAVAILABLE, which
  // clients retry, rather than the CANCELLED gRPC gives calls that reach a
  // server after its shutdown began.
  if (call->clear) call->clear();
  Finish(*call, absl::UnavailableError("the node is stopping; retry"));
  return true;
}

CallRunner::CallRunner(store::Database* db, admin::Directory* directory,
                       const audit::AuditLog* audit, CallLog* log,
                       internal::WorkerPool* workers, const Clock* clock,
                       Options options)
    : db_(db),
      directory_(directory),
      audit_(audit),
      log_(log),
      workers_(workers),
      clock_(clock),
      options_(std::move(options)),
      stream_slots_(options_.max_streams, options_.max_streams_per_user),
      pump_(std::make_unique<internal::StreamPump>(
          options_.stream_poll_interval,
          [this](absl::FunctionRef<absl::Status(store::ReadTxn&)> fn) {
            return db_->Read([&](store::ReadTxn& txn) { return fn(txn); });
          })) {}

CallRunner::~CallRunner() { pump_->Stop(); }

void CallRunner::StopStreams() { pump_->AbortAll(); }

void CallRunner::StartStream(std::shared_ptr<Call> call, AuditFacts facts,
                             ReadOp open, internal::StreamNext next) {
  call->facts = std::move(facts);
  call->stream_next = std::move(next);
  // A stream's start is a read (authentication, authorization, open, then
  // the durable entry); Finish starts it instead of finishing.
  ScheduleRead(std::move(call), std::move(open));
}

absl::Status CallRunner::Reauthorize(store::ReadTxn& txn,
                                     const internal::StreamCaller& caller,
                                     const std::string& method,
                                     std::string* note) {
  absl::StatusOr<auth::Principal> principal =
      directory_->Authenticate(txn, caller.peer);
  if (!principal.ok()) {
    *note = std::string(AuthenticationNote(principal.status()));
    return principal.status();
  }
  absl::Status allowed =
      auth::AccessPolicy::Default().Check(*principal, method);
  if (!allowed.ok()) *note = "denied:role";
  return allowed;
}

absl::Status CallRunner::AuditStreamRefusal(
    const internal::StreamCaller& caller, const std::string& method,
    const std::string& request_id, const absl::Status& refusal,
    const std::string& note) {
  // The stream's end is a refusal like any other: audited with the same
  // notes, under the stream's request id.
  Call call;
  call.method = method;
  call.request_id = request_id;
  call.peer = caller.peer;
  call.transport = caller.transport;
  call.facts.resource = caller.resource;
  absl::StatusOr<uint64_t> appended =
      audit_->AppendDurably(*db_, EntryFor(call, refusal.code(), note));
  if (!appended.ok()) {
    return absl::InternalError(
        absl::StrCat("audit: the log could not be written; the stream was "
                     "ended: ",
                     appended.status().message()));
  }
  return refusal;
}

bool CallRunner::StreamStarted(internal::PolledStream* stream) {
  return pump_->Add(stream);
}

std::string CallRunner::SlotKey(const auth::PeerIdentity& peer) {
  return api::UserResourceName(peer.institution, peer.user);
}

void CallRunner::StreamEnded(internal::PolledStream* stream,
                             const internal::StreamCaller* caller,
                             const std::string& request_id,
                             const std::string& method, absl::StatusCode code,
                             absl::Time start) {
  pump_->Remove(stream);
  if (caller != nullptr) stream_slots_.Release(SlotKey(caller->peer));
  log_->Call(request_id, method, code, clock_->Now() - start, "");
}

std::string CallRunner::AuditableResource(absl::string_view name) {
  return api::IsAuditableResourceName(name) ? std::string(name) : "";
}

void CallRunner::StartWrite(std::shared_ptr<Call> call, AuditFacts facts,
                            WriteOp op, absl::AnyInvocable<void()> clear) {
  call->facts = std::move(facts);
  call->clear = std::move(clear);
  // On the transport's thread: admitting a call does not block, and the
  // write is queued for the writer, which finishes the call once it is
  // durable.
  if (Admit(call)) RunWrite(std::move(call), std::move(op));
}

void CallRunner::StartRead(std::shared_ptr<Call> call, AuditFacts facts,
                           ReadOp op, absl::AnyInvocable<void()> clear) {
  call->facts = std::move(facts);
  call->clear = std::move(clear);
  ScheduleRead(std::move(call), std::move(op));
}

void CallRunner::StartReadThenWrite(std::shared_ptr<Call> call,
                                    AuditFacts facts, ReadOp read,
                                    absl::AnyInvocable<bool()> needs_write,
                                    WriteOp write,
                                    absl::AnyInvocable<void()> clear) {
  call->facts = std::move(facts);
  call->clear = std::move(clear);
  call->needs_write = std::move(needs_write);
  call->then_write = std::move(write);
  ScheduleRead(std::move(call), std::move(read));
}

std::shared_ptr<CallRunner::Call> CallRunner::NewCall(
    std::unique_ptr<CallContext> context, absl::string_view full_method,
    bool stream) {
  auto call = std::make_shared<Call>();
  call->context = std::move(context);
  call->transport = call->context->transport();
  call->stream = stream;
  if (!stream) {
    call->counted = true;
    calls_in_flight_.fetch_add(1);
  }
  call->method = std::string(full_method);
  call->start = clock_->Now();
  call->request_id = RequestIdOf(*call->context);
  call->context->SetRequestId(call->request_id);
  call->language =
      api::LanguageFromAcceptLanguage(call->context->AcceptLanguage());

  // The client's deadline is real time (gRPC's clock), never the node's
  // injectable clock: a deadline is set, and checked, against absl::Now().
  const absl::Time now = absl::Now();
  const absl::Time client_deadline = call->context->ClientDeadline();
  call->deadline = client_deadline == absl::InfiniteFuture()
                       ? now + options_.default_deadline
                       : std::min(client_deadline, now + options_.max_deadline);
  return call;
}

void CallRunner::ScheduleRead(std::shared_ptr<Call> call, ReadOp op) {
  // Reads wait for a reader connection: on a worker, never on gRPC's thread.
  bool scheduled =
      workers_->TrySchedule([this, call, op = std::move(op)]() mutable {
        if (!Admit(call)) return;
        RunRead(std::move(call), op);
      });
  if (!scheduled) {
    // The task was not kept. Not audited (see the header).
    Finish(*call, absl::ResourceExhaustedError(
                      "the node is at capacity; retry with backoff"));
  }
}

bool CallRunner::Admit(const std::shared_ptr<Call>& call) {
  if (call->context->IsCancelled()) {
    AuditAndFinish(call, absl::CancelledError("the call was cancelled"),
                   "cancelled:before-start");
    return false;
  }
  if (absl::Now() >= call->deadline) {
    AuditAndFinish(
        call,
        absl::DeadlineExceededError(
            "the call's deadline passed before the node could start it"),
        "deadline:before-start");
    return false;
  }
  const VerifiedPeer verified = call->context->Peer();
  if (!verified.authenticated) {
    AuditAndFinish(
        call, absl::UnauthenticatedError("a client certificate is required"),
        "unauthenticated:no-certificate");
    return false;
  }
  if (verified.spiffe_ids.size() != 1) {
    AuditAndFinish(
        call,
        absl::UnauthenticatedError(
            "the client certificate carries no single SPIFFE ID URI SAN"),
        "unauthenticated:no-spiffe-id");
    return false;
  }
  absl::StatusOr<auth::PeerIdentity> peer =
      auth::ParseSpiffeId(verified.spiffe_ids[0], options_.trust_domain);
  if (!peer.ok()) {
    AuditAndFinish(call, peer.status(), "unauthenticated:bad-spiffe-id");
    return false;
  }
  call->peer = *std::move(peer);
  return true;
}

void CallRunner::RunWrite(std::shared_ptr<Call> call, WriteOp op) {
  // Without a savepoint, whose page journal would cost more than the rest of
  // the write: the operations make their checks before their first change
  // (case_store.h), and the entry is appended last. A failure after a change
  // (damage, a bug) rolls back the whole batch (store::Database::Isolation),
  // so it still leaves nothing of this call behind.
  // The writer's function and its completion share the call: it lives
  // until both have run and let it go, whichever thread that is on.
  absl::Status queued = db_->WriteAsync(
      store::Database::Isolation::kChecksFirst,
      [this, running = call,
       op = std::move(op)](store::WriteTxn& txn) mutable -> absl::Status {
        Call& call = *running;
        // The queue may have held it long: a call its client has left, or
        // past its deadline, is not carried out (the client could not learn
        // it was, and would retry).
        if (call.context->IsCancelled()) {
          call.note = "cancelled:before-start";
          return absl::CancelledError("the call was cancelled");
        }
        if (absl::Now() >= call.deadline) {
          call.note = "deadline:before-start";
          return absl::DeadlineExceededError(
              "the call's deadline passed before the node could start it");
        }
        absl::StatusOr<auth::Principal> caller =
            directory_->Authenticate(txn, *call.peer);
        if (!caller.ok()) {
          call.note = std::string(AuthenticationNote(caller.status()));
          return caller.status();
        }
        call.principal = *caller;
        absl::Status allowed =
            auth::AccessPolicy::Default().Check(*caller, call.method);
        if (!allowed.ok()) {
          call.note = "denied:role";
          return allowed;
        }
        absl::Status done = op(txn, *call.principal, call.facts);
        if (!done.ok()) return done;
        v1::AuditEntry entry = EntryFor(call, absl::StatusCode::kOk, "");
        absl::StatusOr<uint64_t> appended =
            audit_->Append(txn, std::move(entry));
        if (!appended.ok()) {
          call.audit_failed = true;
          return appended.status();
        }
        return absl::OkStatus();
      },
      // On the store's completion thread, once the batch has committed or
      // rolled back.
      [this, call](absl::Status status) mutable {
        if (status.ok()) {
          Finish(*call, absl::OkStatus());
          return;
        }
        call->clear();
        if (call->audit_failed) {
          // Nothing was written (the write and its entry roll back
          // together).
          AuditAndFinish(
              std::move(call),
              absl::InternalError(absl::StrCat(
                  "audit: the log could not be written; the call was not "
                  "carried out: ",
                  status.message())),
              "audit:append-failed");
          return;
        }
        std::string note = call->note;
        AuditAndFinish(std::move(call), std::move(status), note);
      });
  if (!queued.ok()) {
    // Not queued (the writer's queue is full, or the node is stopping):
    // nothing ran. Not audited: that needs the writer the node is short of.
    Finish(*call, queued.code() == absl::StatusCode::kResourceExhausted
                      ? absl::ResourceExhaustedError(
                            "the node is at capacity; retry with backoff")
                      : absl::UnavailableError("the node is stopping"));
  }
}

void CallRunner::RunRead(std::shared_ptr<Call> call, ReadOp& op) {
  absl::string_view note;
  absl::Status status = db_->Read([&](store::ReadTxn& txn) -> absl::Status {
    absl::StatusOr<auth::Principal> caller =
        directory_->Authenticate(txn, *call->peer);
    if (!caller.ok()) {
      note = AuthenticationNote(caller.status());
      return caller.status();
    }
    call->principal = *caller;
    absl::Status allowed =
        auth::AccessPolicy::Default().Check(*caller, call->method);
    if (!allowed.ok()) {
      note = "denied:role";
      return allowed;
    }
    if (call->stream) {
      // A stream holds its slot until it ends (StreamEnded).
      absl::Status slot = stream_slots_.Acquire(SlotKey(*call->peer));
      if (!slot.ok()) {
        note = "limit:streams";
        return slot;
      }
      call->stream_slot = true;
    }
    return op(txn, *call->principal, call->facts);
  });
  if (!status.ok()) {
    call->clear();
    std::string refusal_note =
        note.empty() ? call->refusal_note : std::string(note);
    AuditAndFinish(std::move(call), std::move(status), refusal_note);
    return;
  }
  if (call->needs_write && call->needs_write()) {
    // The read is over (its connection returned): the write goes to the
    // writer's queue like any write method's, and carries the entry.
    WriteOp write = std::move(call->then_write);
    RunWrite(std::move(call), std::move(write));
    return;
  }
  // The read's entry is durable before the response leaves (fail closed).
  AuditAndFinish(std::move(call), absl::OkStatus(), "");
}

v1::AuditEntry CallRunner::EntryFor(const Call& call, absl::StatusCode code,
                                    absl::string_view note) {
  v1::AuditEntry entry;
  entry.set_method(call.method);
  entry.set_transport(call.transport);
  entry.set_request_id(call.request_id);
  entry.set_resource(AuditableResource(call.facts.resource));
  entry.set_outcome(static_cast<int32_t>(code));
  entry.set_purpose(call.facts.purpose);
  entry.set_query_parameters(call.facts.query_parameters);
  for (v1::Role role : call.facts.subject_roles_before) {
    entry.add_subject_roles_before(role);
  }
  for (v1::Role role : call.facts.subject_roles_after) {
    entry.add_subject_roles_after(role);
  }
  entry.set_note(note.empty() && code == absl::StatusCode::kOk
                     ? call.facts.note
                     : std::string(note));
  if (call.principal.has_value()) {
    entry.set_actor(api::UserResourceName(call.principal->institution,
                                          call.principal->user));
    entry.set_institution(call.principal->institution);
    for (v1::Role role : call.principal->roles) entry.add_roles(role);
  } else if (call.peer.has_value()) {
    // A verified certificate of an unknown or disabled user: who tried is
    // what the auditor needs (staff identities, not victims' data).
    entry.set_actor(
        api::UserResourceName(call.peer->institution, call.peer->user));
    entry.set_institution(call.peer->institution);
    // Claimed by the certificate, not accepted by the directory.
    entry.set_actor_unverified(true);
  }
  return entry;
}

void CallRunner::AuditAndFinish(std::shared_ptr<Call> call, absl::Status status,
                                absl::string_view note) {
  v1::AuditEntry entry = EntryFor(*call, status.code(), note);
  // A refusal's entry may take the writer's reserve of room: refusals are
  // audited even when the node is full of new work. A read's may not: with
  // no room it is refused for capacity like a new write.
  const bool reserved = !status.ok();
  // Finishes on the store's completion thread once the entry is durable;
  // this thread goes on at once.
  audit_->AppendDurablyThen(
      *db_, std::move(entry),
      [this, call = std::move(call),
       status = std::move(status)](absl::StatusOr<uint64_t> appended) mutable {
        if (!appended.ok()) {
          if (call->clear) call->clear();
          // A full or failing disk is said as such (UNAVAILABLE, converted
          // by ToGrpcStatus), not as capacity or an internal error.
          Finish(
              *call,
              store::IsStorageUnavailable(appended.status()) ? appended.status()
              : appended.status().code() == absl::StatusCode::kResourceExhausted
                  ? absl::ResourceExhaustedError(
                        "the node is at capacity; retry with backoff")
                  : absl::InternalError(absl::StrCat(
                        "audit: the log could not be written; the call was "
                        "refused: ",
                        appended.status().message())));
          return;
        }
        Finish(*call, std::move(status));
      },
      reserved);
}

void CallRunner::Finish(Call& call, absl::Status status) {
  if (call.stream && status.ok()) {
    // Admitted and audited: the stream starts; its end is logged later.
    call.context->StartStream(
        call.request_id, call.start,
        internal::StreamCaller{*call.peer, call.facts.resource, call.transport,
                               call.language},
        std::move(call.stream_next), this);
    return;
  }
  if (status.ok() && call.messages != nullptr) {
    absl::Status encoded = call.context->EncodeResponse(call.messages->Reply());
    if (!encoded.ok()) status = encoded;
  }
  if (call.stream_slot) {
    // Taken, but the stream does not start.
    stream_slots_.Release(SlotKey(*call.peer));
    call.stream_slot = false;
  }
  log_->Call(call.request_id, call.method, status.code(),
             clock_->Now() - call.start, CauseOf(status));
  // Step 7, once for every transport.
  const google::rpc::Status answer =
      PublicStatus(status, call.request_id, call.language);
  // The transport's objects may go away as soon as Finish is called:
  // nothing after it touches them.
  call.context->Finish(answer, call.request_id);
  if (call.counted) {
    call.counted = false;
    calls_in_flight_.fetch_sub(1);
  }
}

}  // namespace resguardo::server
