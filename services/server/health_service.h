// HealthService: the node's grpc.health.v1.Health, in place of gRPC's
// default one, so that its Watch streams are capped (NodeConfig
// limits.max_health_watches): one more is refused RESOURCE_EXHAUSTED.
// Every Check and Watch leaves one line in the node's log (call_log.h), with
// its code; health calls are not audited (they carry no data and need no
// user, only a certificate of the deployment's CA) — except a request that
// does not decode.
//
// gRPC hands both methods over as raw bytes, and the call core decodes them
// (CallRunner::DecodeOrRefuse): a request whose `service` is not UTF-8 is
// refused INVALID_ARGUMENT naming `service`, audited and logged under its
// request id like an undecodable request of the node's own services, where
// gRPC's typed handler answered UNIMPLEMENTED before the node saw it.
//
// Check("") answers SERVING or NOT_SERVING; any other service name is
// NOT_FOUND (the node reports one status for all its services). Watch sends
// the status at once and again at each change (SERVICE_UNKNOWN, once, for
// another name), until the client leaves or the node stops.
//
// The node controls it through the grpc::HealthCheckServiceInterface that
// Control() returns (Server::GetHealthCheckService() gives it back):
// SetServingStatus, and Shutdown (NOT_SERVING for good; open watches get it
// and end UNAVAILABLE, so that they do not hold the server's shutdown).
//
// Thread safety: thread-safe. Ownership: the runner, log and clock are
// borrowed and must outlive the service; the service must outlive the
// server.
#ifndef RESGUARDO_SERVICES_SERVER_HEALTH_SERVICE_H_
#define RESGUARDO_SERVICES_SERVER_HEALTH_SERVICE_H_

#include <map>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "base/clock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/support/byte_buffer.h"
#include "services/server/call_log.h"
#include "services/server/call_runner.h"
#include "services/server/internal/stream_slots.h"

namespace resguardo::server {

class HealthService final
    : public grpc::health::v1::Health::WithRawCallbackMethod_Check<
          grpc::health::v1::Health::WithRawCallbackMethod_Watch<
              grpc::health::v1::Health::Service>> {
 public:
  using Status = grpc::health::v1::HealthCheckResponse::ServingStatus;

  HealthService(int max_watches, CallRunner* runner, CallLog* log,
                const Clock* clock);
  HealthService(const HealthService&) = delete;
  HealthService& operator=(const HealthService&) = delete;
  ~HealthService() override;

  // The control to hand to grpc::ServerBuilder
  // (HealthCheckServiceServerBuilderOption); it refers to this service.
  std::unique_ptr<grpc::HealthCheckServiceInterface> Control();

  grpc::ServerUnaryReactor* Check(grpc::CallbackServerContext* context,
                                  const grpc::ByteBuffer* request,
                                  grpc::ByteBuffer* response) override;
  grpc::ServerWriteReactor<grpc::ByteBuffer>* Watch(
      grpc::CallbackServerContext* context,
      const grpc::ByteBuffer* request) override;

  void SetServing(bool serving) ABSL_LOCKS_EXCLUDED(mu_);
  void Shutdown() ABSL_LOCKS_EXCLUDED(mu_);

 private:
  class Watcher;
  friend class Watcher;

  Status Current() const ABSL_LOCKS_EXCLUDED(mu_);
  // From a watcher's OnDone: forgets it (it is destroyed once no one holds
  // it), gives back its slot and logs its end.
  void Ended(Watcher* watcher) ABSL_LOCKS_EXCLUDED(mu_);

  CallRunner* const runner_;
  CallLog* const log_;
  const Clock* const clock_;
  internal::StreamSlots slots_;
  mutable absl::Mutex mu_;
  bool serving_ ABSL_GUARDED_BY(mu_) = false;
  bool shut_down_ ABSL_GUARDED_BY(mu_) = false;
  // Owned here until their OnDone (SetServing holds them while it sends).
  std::map<Watcher*, std::shared_ptr<Watcher>> watchers_ ABSL_GUARDED_BY(mu_);
};

}  // namespace resguardo::server

#endif  // RESGUARDO_SERVICES_SERVER_HEALTH_SERVICE_H_
