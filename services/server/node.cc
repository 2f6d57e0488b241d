#include "services/server/node.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "base/status_macros.h"
#include "crypto/file_key_provider.h"
#include "crypto/key_provider.h"
#include "google/protobuf/descriptor.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/ext/health_check_service_server_builder_option.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/server_builder.h"
#include "services/admin/directory.h"
#include "services/audit/audit_log.h"
#include "services/audit/audit_reader.h"
#include "services/audit/checkpointer.h"
#include "services/cases/case_store.h"
#include "services/cases/related_cases.h"
#include "services/referrals/deadline_monitor.h"
#include "services/referrals/referral_store.h"
#include "services/schema/node_schema.h"
#include "services/server/admin_service.h"
#include "services/server/audit_service.h"
#include "services/server/call_log.h"
#include "services/server/call_runner.h"
#include "services/server/case_service.h"
#include "services/server/config_loader.h"
#include "services/server/grpc_transport.h"
#include "services/server/health_service.h"
#include "services/server/internal/worker_pool.h"
#include "services/server/method_table.h"
#include "services/server/pending_resolution_handlers.h"
#include "services/server/referral_service.h"
#include "services/server/reflection_service.h"
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

}  // namespace

absl::StatusOr<std::unique_ptr<Node>> Node::Start(
    const config::v1::NodeConfig& config, CallLog* log, const Clock* clock) {
  std::unique_ptr<Node> node(new Node());
  node->config_ = config;
  node->log_ = log;
  const config::v1::Limits& limits = config.limits();

  absl::StatusOr<std::unique_ptr<crypto::FileKeyProvider>> keys =
      crypto::FileKeyProvider::New(config.master_key().key_file(),
                                   crypto::FileKeyProvider::Mode::kMustExist);
  if (!keys.ok()) return InField("master_key.key_file", keys.status());
  node->keys_ = *std::move(keys);

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
  node->pending_resolutions_ = std::make_unique<PendingResolutionHandlers>(
      node->runner_.get(), methods);  // TEMPORARY, until s9-resolution
  node->admin_service_ = std::make_unique<AdminService>(
      node->runner_.get(), methods, node->directory_.get());
  node->referral_service_ = std::make_unique<ReferralService>(
      node->runner_.get(), methods, node->referrals_.get());
  node->audit_service_ = std::make_unique<AuditService>(
      node->runner_.get(), methods, node->audit_reader_.get());
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
        web::WebListener::Start(config, methods, log);
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
  node->deadline_monitor_->Start();
  return node;
}

int Node::web_port() const { return web_ != nullptr ? web_->port() : 0; }

Node::~Node() {
  absl::Status ignored = Shutdown();
  (void)ignored;
}

absl::Status Node::Shutdown() {
  if (stopped_) return absl::OkStatus();
  stopped_ = true;
  // From now on new calls are refused with UNAVAILABLE (the drain below).
  if (runner_ != nullptr) runner_->BeginStopping();
  if (deadline_monitor_ != nullptr) deadline_monitor_->Stop();
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
