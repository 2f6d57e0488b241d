#include "services/server/node.h"

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "base/status_macros.h"
#include "crypto/key_provider.h"
#include "google/protobuf/descriptor.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/ext/health_check_service_server_builder_option.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/server_builder.h"
#include "services/admin/directory.h"
#include "services/admin/kek_rewrap_job.h"
#include "services/admin/kek_rotations.h"
#include "services/audit/audit_log.h"
#include "services/audit/audit_reader.h"
#include "services/audit/checkpointer.h"
#include "services/auth/access_policy.h"
#include "services/cases/case_store.h"
#include "services/cases/related_cases.h"
#include "services/referrals/deadline_monitor.h"
#include "services/referrals/referral_store.h"
#include "services/registry/registry_export.h"
#include "services/registry/registry_store.h"
#include "services/schema/node_schema.h"
#include "services/server/admin_service.h"
#include "services/server/audit_service.h"
#include "services/server/call_log.h"
#include "services/server/call_runner.h"
#include "services/server/case_service.h"
#include "services/server/config_loader.h"
#include "services/server/grpc_transport.h"
#include "services/server/health_service.h"
#include "services/server/internal/node_keys.h"
#include "services/server/internal/node_lock.h"
#include "services/server/internal/worker_pool.h"
#include "services/server/method_table.h"
#include "services/server/metrics_service.h"
#include "services/server/node_metrics.h"
#include "services/server/referral_service.h"
#include "services/server/reflection_service.h"
#include "services/server/registry_service.h"
#include "services/server/related_case_service.h"
#include "services/server/server_credentials.h"
#include "services/server/stats_service.h"
#include "services/server/web/web_listener.h"
#include "services/stats/stats_engine.h"
#include "services/store/database.h"

namespace resguardo::server {
namespace {

// Prefixes an error with the configuration field it concerns.
absl::Status InField(absl::string_view field, const absl::Status& status) {
  return absl::Status(status.code(),
                      absl::StrCat(field, ": ", status.message()));
}

constexpr int kMaxHeaderListBytes = 16 * 1024;

// After SIGTERM, new calls are refused with UNAVAILABLE for at least this
// long (and until the calls in flight have finished) before gRPC's server
// stops: a call that reaches a gRPC server once its shutdown has begun ends
// CANCELLED, which clients do not retry.
constexpr absl::Duration kMinDrain = absl::Seconds(1);

// gRPC's own limit on a received message: above the node's, so that the
// call core sees, refuses, audits and logs what exceeds the node's limit;
// bounded, so that gRPC never gathers more than this for one message.
int TransportMessageLimit(uint32_t node_limit) {
  const int64_t ceiling = 2 * static_cast<int64_t>(node_limit);
  return static_cast<int>(
      std::min<int64_t>(ceiling, std::numeric_limits<int>::max()));
}

// The values the metrics' method label may take: every method of
// `services`, and the metrics' own call.
std::set<std::string> MetricMethods(
    const std::vector<const google::protobuf::ServiceDescriptor*>& services) {
  std::set<std::string> names = {auth::kMetricsMethod};
  for (const google::protobuf::ServiceDescriptor* service : services) {
    if (service == nullptr) continue;
    for (int i = 0; i < service->method_count(); ++i) {
      names.insert(absl::StrCat("/", service->full_name(), "/",
                                service->method(i)->name()));
    }
  }
  return names;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Node>> Node::Start(
    const config::v1::NodeConfig& config, CallLog* log, const Clock* clock) {
  std::unique_ptr<Node> node(new Node());
  node->config_ = config;
  node->log_ = log;
  const config::v1::Limits& limits = config.limits();

  if (struct stat st; ::stat(DatabasePath(config).c_str(), &st) != 0) {
    return absl::NotFoundError(
        absl::StrCat("data_dir: no database at ", DatabasePath(config),
                     "; run `resguardod init --config FILE` first"));
  }
  // Held until the node is destroyed: the offline commands that need the
  // node stopped refuse while it is held.
  {
    ASSIGN_OR_RETURN(internal::NodeLock lock,
                     internal::NodeLock::Acquire(config));
    node->lock_ = std::make_unique<internal::NodeLock>(std::move(lock));
  }
  {
    // Finishes a half-done key operation, fills the key set of a node made
    // before it; the master key is dropped once the key set is unwrapped.
    ASSIGN_OR_RETURN(internal::NodeKeys keys,
                     internal::OpenNodeKeys(config, internal::Write::kYes));
    log->Event("keys", {{"master_key_id", keys.master->key_id()},
                        {"key_set", absl::StrJoin(keys.events, ",")}});
    node->keys_ = std::move(keys.keys);
  }

  {
    ASSIGN_OR_RETURN(crypto::SecretData db_key,
                     node->keys_->DeriveKey(crypto::KeyPurpose::kDatabase));
    store::Database::Options options;
    options.create_if_missing = false;
    options.migrations = schema::NodeMigrations();
    absl::StatusOr<std::unique_ptr<store::Database>> db =
        store::Database::Open(DatabasePath(config), db_key, options);
    if (!db.ok()) {
      if (absl::IsNotFound(db.status())) {
        return absl::NotFoundError(
            absl::StrCat("data_dir: no database at ", DatabasePath(config),
                         "; run `resguardod init --config FILE` first"));
      }
      return InField("data_dir", db.status());
    }
    node->db_ = *std::move(db);
  }

  ASSIGN_OR_RETURN(node->directory_,
                   admin::Directory::New(*node->keys_, clock));
  ASSIGN_OR_RETURN(node->cases_, cases::CaseStore::New(node->directory_.get(),
                                                       *node->keys_, clock));
  ASSIGN_OR_RETURN(node->related_cases_,
                   cases::RelatedCases::New(node->directory_.get(), clock));
  absl::StatusOr<referrals::DeadlinePolicy> deadlines =
      referrals::DeadlinePolicy::FromConfig(config.referrals());
  if (!deadlines.ok()) return deadlines.status();
  ASSIGN_OR_RETURN(
      node->referrals_,
      referrals::ReferralStore::New(node->directory_.get(), node->cases_.get(),
                                    *deadlines, clock));
  node->audit_ = std::make_unique<audit::AuditLog>(clock);
  {
    audit::Checkpointer::Options options;
    options.origin = audit::AuditOrigin(config.trust_domain());
    // A config that skipped ApplyNodeConfigDefaults gets the same defaults.
    options.every_entries = config.audit().has_checkpoint_every_entries()
                                ? config.audit().checkpoint_every_entries()
                                : 1000;
    options.every =
        absl::Seconds(config.audit().has_checkpoint_every_seconds()
                          ? config.audit().checkpoint_every_seconds()
                          : 60);
    options.min_forced_interval = absl::Milliseconds(
        config.audit().has_min_forced_checkpoint_interval_ms()
            ? config.audit().min_forced_checkpoint_interval_ms()
            : 1000);
    options.on_background_error = [log](absl::StatusCode code) {
      log->Event("audit_checkpoint_failed",
                 {{"code", absl::StatusCodeToString(code)}});
    };
    absl::StatusOr<std::unique_ptr<audit::Checkpointer>> checkpointer =
        audit::Checkpointer::Open(node->db_.get(), node->keys_.get(), clock,
                                  std::move(options));
    if (!checkpointer.ok()) {
      return absl::Status(
          checkpointer.status().code(),
          absl::StrCat("refusing to start: ", checkpointer.status().message()));
    }
    node->checkpointer_ = *std::move(checkpointer);
    node->checkpointer_->StartBackground();
    node->audit_reader_ =
        std::make_unique<audit::AuditReader>(node->checkpointer_.get());
  }
  {
    const config::v1::KeyRotationConfig& rc = config.key_rotation();
    admin::KekRewrapJob::Options options;
    options.batch_size = rc.has_rewrap_batch_size()
                             ? static_cast<int>(rc.rewrap_batch_size())
                             : 200;
    options.pause = absl::Milliseconds(rc.rewrap_pause_ms());
    options.on_error = [log](absl::StatusCode code) {
      log->Event("kek_rewrap_failed",
                 {{"code", absl::StatusCodeToString(code)}});
    };
    node->kek_rewrap_job_ = std::make_unique<admin::KekRewrapJob>(
        node->db_.get(), node->directory_->key_rings(), node->audit_.get(),
        clock, std::move(options));
    node->kek_rotations_ = std::make_unique<admin::KekRotations>(
        node->directory_->key_rings(), clock,
        [job = node->kek_rewrap_job_.get()] { job->Wake(); });
  }
  node->workers_ = std::make_unique<internal::WorkerPool>(
      static_cast<int>(limits.worker_threads()), limits.max_queued_calls());
  CallRunner::Options runner_options;
  runner_options.trust_domain = config.trust_domain();
  runner_options.default_deadline =
      absl::Milliseconds(limits.default_deadline_ms());
  runner_options.max_deadline = absl::Milliseconds(limits.max_deadline_ms());
  runner_options.stream_poll_interval = deadlines->alert_poll_interval;
  runner_options.max_streams =
      limits.has_max_streams() ? static_cast<int>(limits.max_streams()) : 1000;
  runner_options.max_streams_per_user =
      limits.has_max_streams_per_user()
          ? static_cast<int>(limits.max_streams_per_user())
          : 4;
  runner_options.max_request_bytes = limits.max_receive_message_bytes();
  node->runner_ = std::make_unique<CallRunner>(
      node->db_.get(), node->directory_.get(), node->audit_.get(), log,
      node->workers_.get(), clock, std::move(runner_options));
  node->methods_ = std::make_unique<MethodTable>(node->runner_.get());
  MethodTable* methods = node->methods_.get();
  node->case_service_ = std::make_unique<CaseService>(
      node->runner_.get(), methods, node->cases_.get());
  node->related_case_service_ = std::make_unique<RelatedCaseService>(
      node->runner_.get(), methods, node->related_cases_.get());
  node->admin_service_ = std::make_unique<AdminService>(
      node->runner_.get(), methods, node->directory_.get(),
      node->kek_rotations_.get());
  node->referral_service_ = std::make_unique<ReferralService>(
      node->runner_.get(), methods, node->referrals_.get());
  node->audit_service_ = std::make_unique<AuditService>(
      node->runner_.get(), methods, node->audit_reader_.get());
  ASSIGN_OR_RETURN(node->registry_,
                   registry::RegistryStore::New(node->directory_.get(),
                                                node->cases_.get(), clock));
  {
    absl::StatusOr<std::unique_ptr<registry::RegistryPublisher>> publisher =
        registry::RegistryPublisher::New(
            *node->keys_, registry::PublicationOrigin(config.trust_domain()),
            clock);
    if (!publisher.ok()) return InField("trust_domain", publisher.status());
    node->publisher_ = *std::move(publisher);
  }
  node->registry_service_ = std::make_unique<RegistryService>(
      node->runner_.get(), methods, node->registry_.get(),
      node->publisher_.get());
  {
    const config::v1::StatsConfig& sc = config.statistics();
    stats::StatsEngine::Options options;
    options.k = sc.has_k() ? sc.k() : 5;
    options.epsilon_budget = sc.has_epsilon_budget_per_period()
                                 ? sc.epsilon_budget_per_period()
                                 : 1.0;
    // The institution's budgets and the lifetime caps scale with the
    // analyst's (defaults: stats_engine.h).
    options.institution_epsilon_budget = 2 * options.epsilon_budget;
    options.institution_epsilon_lifetime = 2 * options.epsilon_budget;
    options.node_epsilon_lifetime = 4 * options.epsilon_budget;
    options.release_months =
        sc.release_period() == config::v1::RELEASE_PERIOD_MONTH  ? 1
        : sc.release_period() == config::v1::RELEASE_PERIOD_YEAR ? 12
                                                                 : 3;
    absl::StatusOr<std::unique_ptr<stats::StatsEngine>> engine =
        stats::StatsEngine::New(*node->keys_, clock, options);
    if (!engine.ok()) return InField("statistics", engine.status());
    node->stats_ = *std::move(engine);
  }
  node->stats_service_ = std::make_unique<StatsService>(
      node->runner_.get(), methods, node->stats_.get());
  node->grpc_services_ = GrpcServices(*methods);

  ASSIGN_OR_RETURN(std::shared_ptr<grpc::ServerCredentials> credentials,
                   NewServerCredentials(config.tls()));

  // The node's own health service (Watch streams capped), in place of
  // gRPC's default one; GetHealthCheckService() returns its control.
  node->health_service_ = std::make_unique<HealthService>(
      limits.has_max_health_watches()
          ? static_cast<int>(limits.max_health_watches())
          : 100,
      node->runner_.get(), log, clock);
  // The node's own server reflection (gRPC's plugin decoded requests
  // itself): the node's services and health.
  {
    std::vector<const google::protobuf::ServiceDescriptor*> described =
        methods->services();
    described.push_back(
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
            grpc::health::v1::Health::service_full_name()));
    node->reflection_service_ = std::make_unique<ReflectionService>(
        described, node->runner_.get(), log, clock);
    described.push_back(
        google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
            "grpc.reflection.v1alpha.ServerReflection"));
    node->metrics_ =
        std::make_unique<NodeMetrics>(MetricMethods(described), clock->Now());
    log->SetCallObserver(node->metrics_.get());
    node->db_->SetBatchListener(
        [metrics =
             node->metrics_.get()](const store::Database::BatchReport& report) {
          metrics->OnBatch(report);
        });
    node->metrics_service_ = std::make_unique<MetricsService>(
        node->runner_.get(), node->metrics_.get(), node->db_.get(),
        node->checkpointer_.get(), clock);
  }
  grpc::ServerBuilder builder;
  builder.SetOption(
      std::make_unique<grpc::HealthCheckServiceServerBuilderOption>(
          node->health_service_->Control()));
  builder.RegisterService(node->health_service_.get());
  builder.RegisterService(node->reflection_service_.get());
  builder.AddListeningPort(config.listen_address(), credentials, &node->port_);
  for (const std::unique_ptr<grpc::Service>& service : node->grpc_services_) {
    builder.RegisterService(service.get());
  }
  builder.SetMaxReceiveMessageSize(
      TransportMessageLimit(limits.max_receive_message_bytes()));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS,
                             static_cast<int>(limits.max_concurrent_streams()));
  builder.AddChannelArgument(
      GRPC_ARG_SERVER_HANDSHAKE_TIMEOUT_MS,
      static_cast<int>(limits.handshake_timeout_seconds()) * 1000);
  builder.AddChannelArgument(
      GRPC_ARG_KEEPALIVE_TIME_MS,
      static_cast<int>(limits.keepalive_time_seconds()) * 1000);
  builder.AddChannelArgument(
      GRPC_ARG_KEEPALIVE_TIMEOUT_MS,
      static_cast<int>(limits.keepalive_timeout_seconds()) * 1000);
  builder.AddChannelArgument(
      GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS,
      static_cast<int>(limits.min_client_ping_interval_seconds()) * 1000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 0);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, 2);
  builder.AddChannelArgument(GRPC_ARG_MAX_METADATA_SIZE, kMaxHeaderListBytes);
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  node->server_ = builder.BuildAndStart();
  if (node->server_ == nullptr || node->port_ == 0) {
    node->server_.reset();
    return absl::UnavailableError(absl::StrCat(
        "listen_address: cannot listen on ", config.listen_address(),
        " (in use, or not an address of this host)"));
  }
  if (grpc::HealthCheckServiceInterface* health =
          node->server_->GetHealthCheckService();
      health != nullptr) {
    health->SetServingStatus(true);
  }
  // A store that cannot write (disk full, I/O errors) refuses every audited
  // call: health says NOT_SERVING until it can again (the store probes by
  // itself), and the log says so once per episode.
  node->db_->SetWritableListener([server = node->server_.get(), log](
                                     bool writable, const absl::Status& cause) {
    if (writable) {
      log->Event("storage_writable");
    } else {
      log->Event("storage_unwritable",
                 {{"code", absl::StatusCodeToString(cause.code())},
                  {"cause", std::string(cause.message())}});
    }
    if (grpc::HealthCheckServiceInterface* health =
            server->GetHealthCheckService();
        health != nullptr) {
      health->SetServingStatus(writable);
    }
  });
  if (config.has_web()) {
    absl::StatusOr<std::unique_ptr<web::WebListener>> web =
        web::WebListener::Start(config, methods, log,
                                [service = node->metrics_service_.get()](
                                    std::unique_ptr<CallContext> context) {
                                  service->Serve(std::move(context));
                                });
    if (!web.ok()) {
      node->server_->Shutdown();
      node->server_->Wait();
      node->server_.reset();
      return web.status();
    }
    node->web_ = *std::move(web);
  }
  node->deadline_monitor_ = std::make_unique<referrals::DeadlineMonitor>(
      node->db_.get(), *deadlines, clock);
  // The registry's terms end on the same clock: the monitor delists them.
  node->deadline_monitor_->AddPass(
      [registry = node->registry_.get(), audit = node->audit_.get()](
          store::WriteTxn& txn) { return registry->DelistEnded(txn, *audit); });
  node->deadline_monitor_->Start();
  // Resumes a rotation that a stop or a crash left running.
  node->kek_rewrap_job_->Start();
  return node;
}

int Node::web_port() const { return web_ != nullptr ? web_->port() : 0; }

Node::~Node() {
  absl::Status ignored = Shutdown();
  (void)ignored;
  // Every call has finished: the log no longer counts into the metrics.
  if (metrics_ != nullptr) log_->SetCallObserver(nullptr);
}

absl::Status Node::Shutdown() {
  if (stopped_) return absl::OkStatus();
  stopped_ = true;
  // From now on new calls are refused with UNAVAILABLE (the drain below).
  if (runner_ != nullptr) runner_->BeginStopping();
  if (deadline_monitor_ != nullptr) deadline_monitor_->Stop();
  if (kek_rewrap_job_ != nullptr) kek_rewrap_job_->Stop();
  // Open alert streams end now (UNAVAILABLE; clients resume with their
  // token) rather than hold the shutdown for its whole grace period.
  if (runner_ != nullptr) runner_->StopStreams();
  if (db_ != nullptr) db_->SetWritableListener(nullptr);
  if (server_ != nullptr) {
    if (grpc::HealthCheckServiceInterface* health =
            server_->GetHealthCheckService();
        health != nullptr) {
      health->Shutdown();
    }
    const absl::Time start = absl::Now();
    const absl::Time grace_end =
        start + absl::Seconds(config_.limits().shutdown_grace_seconds());
    // Drain: new calls get UNAVAILABLE (retried by clients) while the
    // calls in flight finish; then gRPC's server stops, and cancels what
    // is left at the end of the grace period.
    const bool drained = runner_->WaitForCalls(grace_end);
    absl::SleepFor(std::min(start + kMinDrain, grace_end) - absl::Now());
    log_->Event("drained", {{"calls_finished", drained ? "all" : "not all"}});
    if (web_ != nullptr) web_->Stop();
    server_->Shutdown(absl::ToChronoTime(grace_end));
    server_->Wait();
    log_->Event("server_stopped");
  }
  if (workers_ != nullptr) workers_->Stop();
  if (checkpointer_ != nullptr) checkpointer_->Stop();
  if (db_ == nullptr) return absl::OkStatus();
  return db_->Close();
}

}  // namespace resguardo::server
