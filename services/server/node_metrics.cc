#include "services/server/node_metrics.h"

#include <sys/stat.h>

#include <sstream>
#include <utility>
#include <vector>

#include "base/status_macros.h"
#include "prometheus/counter.h"
#include "prometheus/family.h"
#include "prometheus/histogram.h"
#include "prometheus/metric_family.h"
#include "prometheus/registry.h"
#include "prometheus/text_serializer.h"
#include "services/server/build_info.h"
#include "services/server/grpc_status.h"
#include "services/server/internal/store_readings.h"

namespace resguardo::server {
namespace {

// A method label outside the bounded set.
constexpr char kOtherMethod[] = "other";

const prometheus::Histogram::BucketBoundaries& CallBuckets() {
  static const auto* buckets = new prometheus::Histogram::BucketBoundaries{
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
      0.25,  0.5,    1,     2.5,  5,     10,   30};
  return *buckets;
}

// One gauge sample, with no label or the given ones.
prometheus::MetricFamily Gauge(
    std::string name, std::string help, double value,
    std::vector<prometheus::ClientMetric::Label> labels = {}) {
  prometheus::MetricFamily family;
  family.name = std::move(name);
  family.help = std::move(help);
  family.type = prometheus::MetricType::Gauge;
  prometheus::ClientMetric metric;
  metric.label = std::move(labels);
  metric.gauge.value = value;
  family.metric.push_back(std::move(metric));
  return family;
}

}  // namespace

NodeMetrics::NodeMetrics(std::set<std::string> methods, absl::Time start)
    : methods_(std::move(methods)),
      start_(start),
      registry_(std::make_shared<prometheus::Registry>()) {
  calls_ = &prometheus::BuildCounter()
                .Name("resguardo_calls_total")
                .Help("Calls answered, by method and gRPC code.")
                .Register(*registry_);
  call_seconds_ =
      &prometheus::BuildHistogram()
           .Name("resguardo_call_duration_seconds")
           .Help("Time from a call's arrival to its answer, by method.")
           .Register(*registry_);
  batch_size_ = &prometheus::BuildHistogram()
                     .Name("resguardo_store_batch_size")
                     .Help(
                         "Writes per batch of the store's writer (one "
                         "transaction, one fsync).")
                     .Register(*registry_)
                     .Add({}, prometheus::Histogram::BucketBoundaries{
                                  1, 2, 4, 8, 16, 32, 64, 128, 256, 512});
  commit_seconds_ =
      &prometheus::BuildHistogram()
           .Name("resguardo_store_commit_duration_seconds")
           .Help(
               "A committed batch's COMMIT: writing the WAL and its fsync "
               "(synchronous=FULL).")
           .Register(*registry_)
           .Add({}, prometheus::Histogram::BucketBoundaries{
                        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                        0.25, 0.5, 1, 2.5});
}

NodeMetrics::~NodeMetrics() = default;

void NodeMetrics::OnCall(absl::string_view method, absl::StatusCode code,
                         absl::Duration latency) {
  const std::string label =
      methods_.count(std::string(method)) ? std::string(method) : kOtherMethod;
  calls_->Add({{"method", label}, {"code", std::string(CodeName(code))}})
      .Increment();
  call_seconds_->Add({{"method", label}}, CallBuckets())
      .Observe(absl::ToDoubleSeconds(latency));
}

void NodeMetrics::OnBatch(const store::Database::BatchReport& report) {
  batch_size_->Observe(static_cast<double>(report.requests));
  if (report.committed) {
    commit_seconds_->Observe(absl::ToDoubleSeconds(report.commit_time));
  }
}

int64_t NodeMetrics::WalBytes(const std::string& database_path) {
  struct stat st;
  if (::stat((database_path + "-wal").c_str(), &st) != 0) return 0;
  return static_cast<int64_t>(st.st_size);
}

absl::StatusOr<std::string> NodeMetrics::Render(store::ReadTxn& txn,
                                                const Readings& readings,
                                                absl::Time now) const {
  ASSIGN_OR_RETURN(internal::StoreReadings store,
                   internal::ReadStoreReadings(txn));
  std::vector<prometheus::MetricFamily> families = registry_->Collect();
  families.push_back(Gauge("resguardo_store_write_queue_depth",
                           "Writes waiting for the store's writer.",
                           static_cast<double>(readings.write_queue_depth)));
  families.push_back(Gauge("resguardo_store_wal_bytes",
                           "Size of the database's write-ahead log.",
                           static_cast<double>(readings.wal_bytes)));
  families.push_back(Gauge("resguardo_audit_entries",
                           "Entries in the audit log (its tree's size).",
                           static_cast<double>(store.audit_entries)));
  if (readings.has_checkpoint) {
    families.push_back(
        Gauge("resguardo_audit_checkpoint_age_seconds",
              "Time since the last signed audit checkpoint.",
              absl::ToDoubleSeconds(now - readings.checkpoint_time)));
    families.push_back(Gauge("resguardo_audit_checkpoint_size",
                             "Entries the last signed audit checkpoint covers.",
                             static_cast<double>(readings.checkpoint_size)));
  }
  families.push_back(Gauge("resguardo_alert_streams_open",
                           "Alert streams (WatchAlerts) open now.",
                           static_cast<double>(readings.open_alert_streams)));
  families.push_back(
      Gauge("resguardo_kek_stale_data_keys",
            "Data keys wrapped under a KEK version that is not their "
            "institution's primary one (left to rewrap by a rotation).",
            static_cast<double>(store.stale_data_keys)));
  families.push_back(
      Gauge("resguardo_kek_institutions_rotating",
            "Institutions whose KEK ring holds more than one version.",
            static_cast<double>(store.rotating_institutions)));
  families.push_back(Gauge("resguardo_start_time_seconds",
                           "When the node started (Unix time).",
                           absl::ToDoubleSeconds(start_ - absl::UnixEpoch())));
  std::vector<prometheus::ClientMetric::Label> build;
  for (auto& [name, version] : BuildComponents()) {
    build.push_back({std::move(name), std::move(version)});
  }
  families.push_back(Gauge("resguardo_build_info",
                           "The versions of resguardod and its libraries.", 1,
                           std::move(build)));
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, families);
  return out.str();
}

}  // namespace resguardo::server
