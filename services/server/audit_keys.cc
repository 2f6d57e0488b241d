#include "services/server/audit_keys.h"

#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "crypto/key_provider.h"
#include "services/server/config_loader.h"
#include "services/server/internal/node_keys.h"
#include "services/server/internal/node_lock.h"
#include "services/server/internal/offline_store.h"
#include "services/store/database.h"

namespace resguardo::server {
namespace {

struct Opened {
  internal::NodeKeys keys;
  std::unique_ptr<store::Database> db;
};

absl::StatusOr<Opened> OpenNodeStore(const config::v1::NodeConfig& config,
                                     internal::Write write) {
  Opened out;
  ASSIGN_OR_RETURN(out.keys, internal::OpenNodeKeys(config, write));
  ASSIGN_OR_RETURN(out.db, internal::OpenOfflineDatabase(*out.keys.keys,
                                                         DatabasePath(config)));
  return out;
}

}  // namespace

absl::StatusOr<AuditKeyReport> ShowAuditKey(
    const config::v1::NodeConfig& config, const Clock* clock) {
  ASSIGN_OR_RETURN(Opened opened, OpenNodeStore(config, internal::Write::kNo));
  audit::Checkpointer::Options options;
  options.origin = audit::AuditOrigin(config.trust_domain());
  AuditKeyReport report;
  {
    ASSIGN_OR_RETURN(
        std::unique_ptr<audit::Checkpointer> cp,
        audit::Checkpointer::Open(opened.db.get(), opened.keys.keys.get(),
                                  clock, options));
    report.origin = cp->origin();
    report.keys = cp->keys();
    report.checkpoint = cp->Latest();
  }
  RETURN_IF_ERROR(opened.db->Close());
  return report;
}

absl::StatusOr<AuditKeyReport> RotateAuditKey(
    const config::v1::NodeConfig& config, const Clock* clock) {
  ASSIGN_OR_RETURN(internal::NodeLock lock,
                   internal::NodeLock::Acquire(config));
  ASSIGN_OR_RETURN(Opened opened, OpenNodeStore(config, internal::Write::kYes));
  AuditKeyReport report;
  report.origin = audit::AuditOrigin(config.trust_domain());
  // The next generation's seed: random, in the key set before it is used
  // (a crash in between leaves an unused key, which the next rotation
  // takes).
  ASSIGN_OR_RETURN(std::vector<audit::AuditKey> before,
                   opened.db->Read([&](store::ReadTxn& txn) {
                     return audit::Checkpointer::ReadKeys(txn, report.origin);
                   }));
  const uint32_t next = before.empty() ? 1 : before.back().generation + 1;
  RETURN_IF_ERROR(internal::AddNodeKey(
      config, opened.keys, crypto::KeyPurpose::kAuditSigning, next));
  ASSIGN_OR_RETURN(
      report.checkpoint,
      audit::Checkpointer::RotateKey(opened.db.get(), opened.keys.keys.get(),
                                     clock, report.origin));
  ASSIGN_OR_RETURN(report.keys, opened.db->Read([&](store::ReadTxn& txn) {
    return audit::Checkpointer::ReadKeys(txn, report.origin);
  }));
  RETURN_IF_ERROR(opened.db->Close());
  return report;
}

}  // namespace resguardo::server
