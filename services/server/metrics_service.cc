#include "services/server/metrics_service.h"

#include <utility>

#include "base/status_macros.h"
#include "services/audit/checkpointer.h"
#include "services/auth/access_policy.h"
#include "services/store/database.h"

namespace resguardo::server {

void MetricsService::Serve(std::unique_ptr<CallContext> context) {
  auto handler = [this](CallRunner::Handle call,
                        const google::protobuf::Empty* request,
                        google::protobuf::StringValue* response) {
    Scrape(std::move(call), request, response);
  };
  runner_->ServeUnary<google::protobuf::Empty, google::protobuf::StringValue>(
      std::move(context), auth::kMetricsMethod, handler);
}

void MetricsService::Scrape(CallRunner::Handle call,
                            const google::protobuf::Empty* /*request*/,
                            google::protobuf::StringValue* response) {
  runner_->Read(
      std::move(call), AuditFacts{}, response,
      [this](store::ReadTxn& txn, const auth::Principal& /*caller*/,
             AuditFacts& /*facts*/)
          -> absl::StatusOr<google::protobuf::StringValue> {
        NodeMetrics::Readings readings;
        readings.write_queue_depth =
            static_cast<int64_t>(db_->write_stats().queued);
        readings.wal_bytes = NodeMetrics::WalBytes(db_->path());
        readings.open_alert_streams = runner_->open_streams();
        const audit::SignedCheckpoint latest = checkpointer_->Latest();
        readings.has_checkpoint = latest.time != absl::Time();
        readings.checkpoint_time = latest.time;
        readings.checkpoint_size = latest.tree_size;
        google::protobuf::StringValue text;
        ASSIGN_OR_RETURN(*text.mutable_value(),
                         metrics_->Render(txn, readings, clock_->Now()));
        return text;
      });
}

}  // namespace resguardo::server
