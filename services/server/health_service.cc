#include "services/server/health_service.h"

#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "grpcpp/impl/codegen/proto_utils.h"
#include "services/server/grpc_transport.h"

namespace resguardo::server {
namespace {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

constexpr char kCheck[] = "/grpc.health.v1.Health/Check";
constexpr char kWatch[] = "/grpc.health.v1.Health/Watch";

absl::StatusCode ToAbsl(grpc::StatusCode code) {
  return static_cast<absl::StatusCode>(code);
}

grpc::Status Encode(HealthCheckResponse::ServingStatus status,
                    grpc::ByteBuffer* out) {
  HealthCheckResponse response;
  response.set_status(status);
  out->Clear();  // the buffer of an earlier write, reused
  bool own_buffer = false;
  return grpc::SerializationTraits<HealthCheckResponse>::Serialize(
      response, out, &own_buffer);
}

// What SetServingStatus and Shutdown on the server's health interface do.
class Control final : public grpc::HealthCheckServiceInterface {
 public:
  explicit Control(HealthService* service) : service_(service) {}
  void SetServingStatus(const std::string&, bool serving) override {
    // One status for all of the node's services.
    service_->SetServing(serving);
  }
  void SetServingStatus(bool serving) override {
    service_->SetServing(serving);
  }
  void Shutdown() override { service_->Shutdown(); }

 private:
  HealthService* const service_;
};

}  // namespace

class HealthService::Watcher final
    : public grpc::ServerWriteReactor<grpc::ByteBuffer> {
 public:
  Watcher(HealthService* service, absl::Time start)
      : service_(service), start_(start) {}

  // The request decoded: from now on the watcher sends and ends (before,
  // Send and End do nothing: the call core may be refusing it).
  void Open(bool known) ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    known_ = known;
    open_ = true;
  }

  // Sends `status` unless it was the last one sent (an unknown service gets
  // SERVICE_UNKNOWN once).
  void Send(Status status) ABSL_LOCKS_EXCLUDED(mu_) {
    {
      absl::MutexLock lock(&mu_);
      if (!known_) status = HealthCheckResponse::SERVICE_UNKNOWN;
      if (!open_ || finished_ || status == wanted_) return;
      wanted_ = status;
      if (writing_) return;  // OnWriteDone sends the newest
      writing_ = true;
      sent_ = status;
      Encode(status, &buffer_);
    }
    StartWrite(&buffer_);
  }

  // Finishes with `status` once no write is in flight.
  void End(grpc::Status status) ABSL_LOCKS_EXCLUDED(mu_) {
    {
      absl::MutexLock lock(&mu_);
      if (!open_ || finished_) return;
      if (writing_) {
        end_ = std::move(status);
        has_end_ = true;
        return;
      }
      finished_ = true;
      code_ = ToAbsl(status.error_code());
    }
    Finish(std::move(status));
  }

  // Refused before it started: by the service, or (`by_call_core`, which
  // logs the call itself) because its request did not decode.
  void Refuse(grpc::Status status, bool by_call_core = false) {
    {
      absl::MutexLock lock(&mu_);
      finished_ = true;
      code_ = ToAbsl(status.error_code());
      logged_ = by_call_core;
    }
    Finish(std::move(status));
  }

  void OnWriteDone(bool ok) override {
    bool again = false;
    grpc::Status end;
    bool ending = false;
    {
      absl::MutexLock lock(&mu_);
      writing_ = false;
      if (!ok) {
        ending = true;
        end = grpc::Status(grpc::StatusCode::CANCELLED, "the client went away");
      } else if (!finished_ && sent_ != wanted_) {
        writing_ = true;
        sent_ = wanted_;
        Encode(static_cast<Status>(wanted_), &buffer_);
        again = true;
      } else if (has_end_) {
        ending = true;
        end = end_;
      }
    }
    if (again) {
      StartWrite(&buffer_);
      return;
    }
    if (ending) End(std::move(end));
  }

  void OnCancel() override {
    End(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled by the client"));
  }

  void OnDone() override { service_->Ended(this); }

  absl::StatusCode code() const ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    return code_;
  }
  // The call core logged the call (it refused the request).
  bool logged() const ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    return logged_;
  }
  absl::Time start() const { return start_; }
  bool counted = false;  // holds a slot

 private:
  HealthService* const service_;
  const absl::Time start_;
  mutable absl::Mutex mu_;
  bool open_ ABSL_GUARDED_BY(mu_) = false;
  bool known_ ABSL_GUARDED_BY(mu_) = false;
  int wanted_ ABSL_GUARDED_BY(mu_) = -1;
  int sent_ ABSL_GUARDED_BY(mu_) = -1;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  bool has_end_ ABSL_GUARDED_BY(mu_) = false;
  bool logged_ ABSL_GUARDED_BY(mu_) = false;
  grpc::Status end_ ABSL_GUARDED_BY(mu_);
  absl::StatusCode code_ ABSL_GUARDED_BY(mu_) = absl::StatusCode::kOk;
  grpc::ByteBuffer buffer_;  // owned by the write in flight
};

HealthService::HealthService(int max_watches, CallRunner* runner, CallLog* log,
                             const Clock* clock)
    : runner_(runner),
      log_(log),
      clock_(clock),
      slots_(max_watches, max_watches) {}

HealthService::~HealthService() = default;

std::unique_ptr<grpc::HealthCheckServiceInterface> HealthService::Control() {
  return std::make_unique<server::Control>(this);
}

HealthService::Status HealthService::Current() const {
  absl::MutexLock lock(&mu_);
  return serving_ ? HealthCheckResponse::SERVING
                  : HealthCheckResponse::NOT_SERVING;
}

grpc::ServerUnaryReactor* HealthService::Check(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  const absl::Time start = clock_->Now();
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  HealthCheckRequest decoded;
  if (runner_->DecodeOrRefuse(NewGrpcCall(context, request,
                                          [reactor](grpc::Status status) {
                                            reactor->Finish(std::move(status));
                                          }),
                              kCheck, decoded) == nullptr) {
    return reactor;  // refused, audited and logged by the call core
  }
  grpc::Status status;
  if (decoded.service().empty()) {
    status = Encode(Current(), response);
  } else {
    status = grpc::Status(grpc::StatusCode::NOT_FOUND, "unknown service");
  }
  log_->Call("", kCheck, ToAbsl(status.error_code()), clock_->Now() - start);
  reactor->Finish(status);
  return reactor;
}

grpc::ServerWriteReactor<grpc::ByteBuffer>* HealthService::Watch(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request) {
  auto watcher = std::make_shared<Watcher>(this, clock_->Now());
  Watcher* w = watcher.get();
  {
    absl::MutexLock lock(&mu_);
    watchers_.emplace(w, std::move(watcher));
  }
  HealthCheckRequest decoded;
  if (runner_->DecodeOrRefuse(NewGrpcCall(context, request,
                                          [w](grpc::Status status) {
                                            w->Refuse(std::move(status),
                                                      /*by_call_core=*/true);
                                          }),
                              kWatch, decoded) == nullptr) {
    return w;  // refused, audited and logged by the call core
  }
  w->Open(decoded.service().empty());
  bool shut_down;
  {
    absl::MutexLock lock(&mu_);
    shut_down = shut_down_;
  }
  if (shut_down) {
    w->Refuse(
        grpc::Status(grpc::StatusCode::UNAVAILABLE, "the node is stopping"));
    return w;
  }
  absl::Status slot = slots_.Acquire("");
  if (!slot.ok()) {
    w->Refuse(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                           "too many health watches open on this node; use "
                           "Check, or retry with backoff"));
    return w;
  }
  w->counted = true;
  w->Send(Current());
  return w;
}

void HealthService::SetServing(bool serving) {
  std::vector<std::shared_ptr<Watcher>> open;
  {
    absl::MutexLock lock(&mu_);
    if (shut_down_) return;
    serving_ = serving;
    for (const auto& [w, owned] : watchers_) open.push_back(owned);
  }
  const Status status =
      serving ? HealthCheckResponse::SERVING : HealthCheckResponse::NOT_SERVING;
  for (const std::shared_ptr<Watcher>& w : open) w->Send(status);
}

void HealthService::Shutdown() {
  std::vector<std::shared_ptr<Watcher>> open;
  {
    absl::MutexLock lock(&mu_);
    if (shut_down_) return;
    shut_down_ = true;
    serving_ = false;
    for (const auto& [w, owned] : watchers_) open.push_back(owned);
  }
  for (const std::shared_ptr<Watcher>& w : open) {
    w->Send(HealthCheckResponse::NOT_SERVING);
    w->End(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the node is stopping"));
  }
}

void HealthService::Ended(Watcher* watcher) {
  std::shared_ptr<Watcher> owned;
  {
    absl::MutexLock lock(&mu_);
    auto it = watchers_.find(watcher);
    if (it == watchers_.end()) return;
    owned = std::move(it->second);
    watchers_.erase(it);
  }
  if (owned->counted) slots_.Release("");
  if (owned->logged()) return;
  log_->Call("", kWatch, owned->code(), clock_->Now() - owned->start());
}

}  // namespace resguardo::server
