// Node: a serving resguardod — the store, the domain objects, the call
// runner and the gRPC server, started from a checked NodeConfig
// (config_loader.h) and stopped cleanly.
//
//   ASSIGN_OR_RETURN(std::unique_ptr<Node> node, Node::Start(config, &log));
//   ... wait for SIGTERM ...
//   RETURN_IF_ERROR(node->Shutdown());
//
// The server:
//   - listens on config.listen_address with mTLS only (server_credentials.h),
//     TLS 1.3 only (tls_policy.h: the process must have installed the floor,
//     as resguardod does);
//   - refuses to start on an audit log whose stored entries do not match
//     its signed checkpoints (audit/checkpointer.h: DATA_LOSS naming the
//     first bad index), and signs checkpoints every N entries or T seconds
//     (config.audit);
//   - serves resguardo.v1.CaseService, AdminService and AuditService through
//     one CallRunner (call_runner.h), grpc.health.v1.Health (SERVING once
//     started, NOT_SERVING from the start of Shutdown) and server reflection;
//   - sets its limits explicitly from config.limits: maximum receive message
//     size (a larger request is RESOURCE_EXHAUSTED: refused by the call
//     core, audited and logged up to twice the limit, by gRPC beyond;
//     call_runner.h), concurrent streams per
//     connection, handshake timeout, keepalive (time, timeout, the fastest
//     ping a client may send, no pings without calls), header list size,
//     and no SO_REUSEPORT (a second node on the same port fails to start);
//   - caps call deadlines (default and maximum, call_runner.h);
//   - with config.web, serves the same methods over HTTPS as Connect JSON
//     (web/web_listener.h), through the same call core;
//   - counts its calls and its store's batches and, with config.web, serves
//     them as Prometheus metrics on GET /metrics to the monitor role alone
//     (node_metrics.h, metrics_service.h);
//   - serves resguardo.v1.ReferralService and runs the referral deadline
//     monitor (referrals/deadline_monitor.h) on `clock`, every
//     config.referrals.monitor_interval_seconds;
//   - serves resguardo.v1.RegistryService (the registry of sanctioned
//     persons; its exports signed with the publication key,
//     registry/registry_export.h), whose entries the deadline monitor
//     delists when their term ends on `clock`.
// Health and reflection are gRPC's standard services: they need a
// certificate from the client CA, but not a registered user (probes use
// them), and are audited only when a request does not decode
// (CallRunner::DecodeOrRefuse; health_service.h).
//
// Thread safety: Shutdown may be called from any one thread, once; port()
// is thread-safe.
#ifndef RESGUARDO_SERVICES_SERVER_NODE_H_
#define RESGUARDO_SERVICES_SERVER_NODE_H_

#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "grpcpp/server.h"
#include "resguardo/config/v1/node_config.pb.h"

namespace resguardo::admin {
class Directory;
class KekRotations;
class KekRewrapJob;
}  // namespace resguardo::admin
namespace resguardo::audit {
class AuditLog;
class AuditReader;
class Checkpointer;
}  // namespace resguardo::audit
namespace resguardo::cases {
class CaseStore;
class RelatedCases;
}  // namespace resguardo::cases
namespace resguardo::referrals {
class DeadlineMonitor;
class ReferralStore;
}  // namespace resguardo::referrals
namespace resguardo::registry {
class RegistryPublisher;
class RegistryStore;
}  // namespace resguardo::registry
namespace resguardo::crypto {
class KeyProvider;
}  // namespace resguardo::crypto
namespace resguardo::stats {
class StatsEngine;
}  // namespace resguardo::stats
namespace resguardo::store {
class Database;
}  // namespace resguardo::store

namespace resguardo::server::web {
class WebListener;
}  // namespace resguardo::server::web

namespace resguardo::server {

class AdminService;
class AuditService;
class CallLog;
class CallRunner;
class CaseService;
class HealthService;
class ReflectionService;
class MethodTable;
class MetricsService;
class NodeMetrics;
class ReferralService;
class RegistryService;
class RelatedCaseService;
class StatsService;
namespace internal {
class NodeLock;
class WorkerPool;
}  // namespace internal

class Node {
 public:
  // Takes the node's lock (internal/node_lock.h), opens the master key (it
  // must exist: `serve` never creates it) and the key set it wraps
  // (internal/node_keys.h: a half-done key rotation is finished or
  // discarded, an older node's key set filled; the "keys" log event names
  // the master key's id), opens the database (it must exist: run
  // `resguardod init` first), and starts serving. `log` and `clock` are
  // borrowed and must outlive the Node. Errors name the configuration field or
  // file at fault:
  //   NOT_FOUND            key file or database missing;
  //   FAILED_PRECONDITION  another node holds the lock, a key file with a bad
  //                        mode, a key set that does not open with the
  //                        master key, a database that does
  //                        not open with this key, bad TLS files, the TLS
  //                        1.3 floor not installed in this process;
  //   UNAVAILABLE          cannot listen on listen_address (in use).
  static absl::StatusOr<std::unique_ptr<Node>> Start(
      const config::v1::NodeConfig& config, CallLog* log, const Clock* clock);

  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;
  // Shutdown()s if not done.
  ~Node();

  // The port the node listens on.
  int port() const { return port_; }
  // The port of the web listener (0 when config.web is absent).
  int web_port() const;

  // New calls are refused with UNAVAILABLE from now on (not CANCELLED,
  // which clients do not retry) and health goes NOT_SERVING; once the calls
  // in flight have finished (and at least 1 s has passed), or
  // limits.shutdown_grace_seconds has, gRPC's server stops and cancels what
  // is left at the end of the grace period; the workers drain; the
  // database commits what is queued, checkpoints and closes. Returns the
  // database's close status. Idempotent.
  absl::Status Shutdown();

 private:
  Node() = default;

  config::v1::NodeConfig config_;
  CallLog* log_ = nullptr;
  int port_ = 0;
  bool stopped_ = false;
  // The node's lock (internal/node_lock.h), released last.
  std::unique_ptr<internal::NodeLock> lock_;
  // Destroyed last: a call that finishes late still posts its answer to
  // the listener's (stopped) event loop.
  std::unique_ptr<web::WebListener> web_;
  // The call log's observer and the store's batch listener until the node
  // is destroyed (after the database, which reports its last batches).
  std::unique_ptr<NodeMetrics> metrics_;
  // Destroyed in reverse order: the server first, the database last.
  std::unique_ptr<crypto::KeyProvider> keys_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<admin::Directory> directory_;
  std::unique_ptr<cases::CaseStore> cases_;
  std::unique_ptr<cases::RelatedCases> related_cases_;
  std::unique_ptr<referrals::ReferralStore> referrals_;
  std::unique_ptr<referrals::DeadlineMonitor> deadline_monitor_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<audit::Checkpointer> checkpointer_;
  std::unique_ptr<audit::AuditReader> audit_reader_;
  std::unique_ptr<admin::KekRotations> kek_rotations_;
  std::unique_ptr<admin::KekRewrapJob> kek_rewrap_job_;
  std::unique_ptr<internal::WorkerPool> workers_;
  std::unique_ptr<CallRunner> runner_;
  std::unique_ptr<MethodTable> methods_;
  std::unique_ptr<CaseService> case_service_;
  std::unique_ptr<RelatedCaseService> related_case_service_;
  std::unique_ptr<ReferralService> referral_service_;
  std::unique_ptr<AdminService> admin_service_;
  std::unique_ptr<AuditService> audit_service_;
  std::unique_ptr<stats::StatsEngine> stats_;
  std::unique_ptr<StatsService> stats_service_;
  std::unique_ptr<MetricsService> metrics_service_;
  std::unique_ptr<registry::RegistryStore> registry_;
  std::unique_ptr<registry::RegistryPublisher> publisher_;
  std::unique_ptr<RegistryService> registry_service_;
  std::unique_ptr<HealthService> health_service_;
  std::unique_ptr<ReflectionService> reflection_service_;
  std::vector<std::unique_ptr<grpc::Service>> grpc_services_;
  std::unique_ptr<grpc::Server> server_;
};

}  // namespace resguardo::server

#endif  // RESGUARDO_SERVICES_SERVER_NODE_H_
