#include "services/server/audit_keys.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "crypto/file_key_provider.h"
#include "services/server/config_loader.h"
#include "services/server/internal/offline_store.h"
#include "services/store/database.h"

namespace resguardo::server {
namespace {

struct Opened {
  std::unique_ptr<crypto::FileKeyProvider> keys;
  std::unique_ptr<store::Database> db;
};

absl::StatusOr<Opened> OpenNodeStore(const config::v1::NodeConfig& config) {
  Opened out;
  ASSIGN_OR_RETURN(out.keys, internal::OpenOfflineKeys(config));
  ASSIGN_OR_RETURN(
      out.db, internal::OpenOfflineDatabase(*out.keys, DatabasePath(config)));
  return out;
}

}  // namespace

absl::StatusOr<AuditKeyReport> ShowAuditKey(
    const config::v1::NodeConfig& config, const Clock* clock) {
  ASSIGN_OR_RETURN(Opened opened, OpenNodeStore(config));
  audit::Checkpointer::Options options;
  options.origin = audit::AuditOrigin(config.trust_domain());
  AuditKeyReport report;
  {
    ASSIGN_OR_RETURN(std::unique_ptr<audit::Checkpointer> cp,
                     audit::Checkpointer::Open(
                         opened.db.get(), opened.keys.get(), clock, options));
    report.origin = cp->origin();
    report.keys = cp->keys();
    report.checkpoint = cp->Latest();
  }
  RETURN_IF_ERROR(opened.db->Close());
  return report;
}

absl::StatusOr<AuditKeyReport> RotateAuditKey(
    const config::v1::NodeConfig& config, const Clock* clock) {
  ASSIGN_OR_RETURN(Opened opened, OpenNodeStore(config));
  AuditKeyReport report;
  report.origin = audit::AuditOrigin(config.trust_domain());
  ASSIGN_OR_RETURN(report.checkpoint, audit::Checkpointer::RotateKey(
                                          opened.db.get(), opened.keys.get(),
                                          clock, report.origin));
  ASSIGN_OR_RETURN(report.keys, opened.db->Read([&](store::ReadTxn& txn) {
    return audit::Checkpointer::ReadKeys(txn, report.origin);
  }));
  RETURN_IF_ERROR(opened.db->Close());
  return report;
}

}  // namespace resguardo::server
