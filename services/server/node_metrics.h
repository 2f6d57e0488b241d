// NodeMetrics: what the node says of itself to its monitoring, in the
// Prometheus text exposition format (version 0.0.4), with Debian's
// prometheus-cpp core library (its registry, counters, histograms and text
// serializer; not its HTTP server: the metrics are served by the node's own
// web listener, to the monitor role, through the call core:
// metrics_service.h).
//
// Counted as things happen:
//   resguardo_calls_total{method,code}              every call, once (the
//                                                    call log's observer)
//   resguardo_call_duration_seconds{method}          its latency
//   resguardo_store_batch_size                       writes per writer batch
//   resguardo_store_commit_duration_seconds          a batch's COMMIT (the
//                                                    WAL's write and fsync)
// Read at each scrape (Render):
//   resguardo_store_write_queue_depth, resguardo_store_wal_bytes,
//   resguardo_audit_entries (the audit tree's size),
//   resguardo_audit_checkpoint_age_seconds, resguardo_audit_checkpoint_size,
//   resguardo_alert_streams_open, resguardo_kek_stale_data_keys (data keys
//   wrapped under a KEK version that is not their institution's primary:
//   what a rotation has left to rewrap), resguardo_kek_institutions_rotating,
//   resguardo_start_time_seconds, resguardo_build_info{...}.
//
// Labels are bounded and never personal: a method label is one of the
// methods given at construction (the node's method table, health,
// reflection, the metrics themselves), anything else "other"; a code is a
// gRPC code name; build_info's labels are the linked libraries' versions.
// No user, institution, resource name or request content is ever a label.
//
// Thread safety: thread-safe.
#ifndef RESGUARDO_SERVICES_SERVER_NODE_METRICS_H_
#define RESGUARDO_SERVICES_SERVER_NODE_METRICS_H_

#include <cstdint>
#include <memory>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/server/call_log.h"
#include "services/store/database.h"
#include "services/store/transaction.h"

namespace prometheus {
class Counter;
template <typename T>
class Family;
class Histogram;
class Registry;
}  // namespace prometheus

namespace resguardo::server {

class NodeMetrics final : public CallLog::CallObserver {
 public:
  // What Render reads besides the store; each may be left unset.
  struct Readings {
    int64_t write_queue_depth = 0;
    int64_t wal_bytes = 0;
    int64_t open_alert_streams = 0;
    bool has_checkpoint = false;
    absl::Time checkpoint_time;
    uint64_t checkpoint_size = 0;
  };

  // `methods`: the values a method label may take. `start`: when the node
  // started.
  NodeMetrics(std::set<std::string> methods, absl::Time start);
  ~NodeMetrics() override;
  NodeMetrics(const NodeMetrics&) = delete;
  NodeMetrics& operator=(const NodeMetrics&) = delete;

  // CallLog::CallObserver.
  void OnCall(absl::string_view method, absl::StatusCode code,
              absl::Duration latency) override;
  // A batch of the store's writer (Database::SetBatchListener).
  void OnBatch(const store::Database::BatchReport& report);

  // The exposition: what was counted, and what `txn` and `readings` say
  // now (at `now`). Errors: the store's.
  absl::StatusOr<std::string> Render(store::ReadTxn& txn,
                                     const Readings& readings,
                                     absl::Time now) const;

  // The size of the database's write-ahead log (`database_path`-wal), 0
  // when there is none.
  static int64_t WalBytes(const std::string& database_path);

 private:
  const std::set<std::string> methods_;
  const absl::Time start_;
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>* calls_;
  prometheus::Family<prometheus::Histogram>* call_seconds_;
  prometheus::Histogram* batch_size_;
  prometheus::Histogram* commit_seconds_;
};

}  // namespace resguardo::server

#endif  // RESGUARDO_SERVICES_SERVER_NODE_METRICS_H_
