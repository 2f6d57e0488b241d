// MetricsService: the node's metrics (node_metrics.h) as a call of the
// call core, "/metrics" (auth::kMetricsMethod), which the web listener
// hands over for GET /metrics (web/metrics_call.h). Not a method of the
// MethodTable (it has no .proto and is not served over gRPC or Connect),
// but run by the same CallRunner as every method: the caller is the
// verified certificate's user, allowed only with ROLE_MONITOR, and the
// scrape is a read — audited before the exposition leaves, logged, and
// counted in resguardo_calls_total like any call.
//
// Thread safety: thread-safe. Ownership: every pointer is borrowed and must
// outlive the transports that serve this service.
#ifndef RESGUARDO_SERVICES_SERVER_METRICS_SERVICE_H_
#define RESGUARDO_SERVICES_SERVER_METRICS_SERVICE_H_

#include <memory>

#include "base/clock.h"
#include "google/protobuf/empty.pb.h"
#include "google/protobuf/wrappers.pb.h"
#include "services/server/call_context.h"
#include "services/server/call_runner.h"
#include "services/server/node_metrics.h"

namespace resguardo::audit {
class Checkpointer;
}  // namespace resguardo::audit
namespace resguardo::store {
class Database;
}  // namespace resguardo::store

namespace resguardo::server {

class MetricsService final {
 public:
  MetricsService(CallRunner* runner, NodeMetrics* metrics, store::Database* db,
                 const audit::Checkpointer* checkpointer, const Clock* clock)
      : runner_(runner),
        metrics_(metrics),
        db_(db),
        checkpointer_(checkpointer),
        clock_(clock) {}

  // Runs one scrape; the call core takes `context`.
  void Serve(std::unique_ptr<CallContext> context);

 private:
  void Scrape(CallRunner::Handle call, const google::protobuf::Empty* request,
              google::protobuf::StringValue* response);

  CallRunner* const runner_;
  NodeMetrics* const metrics_;
  store::Database* const db_;
  const audit::Checkpointer* const checkpointer_;
  const Clock* const clock_;
};

}  // namespace resguardo::server

#endif  // RESGUARDO_SERVICES_SERVER_METRICS_SERVICE_H_
