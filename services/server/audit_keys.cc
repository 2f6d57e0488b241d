#include "services/server/audit_keys.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "crypto/file_key_provider.h"
#include "services/schema/node_schema.h"
#include "services/server/config_loader.h"
#include "services/store/database.h"

namespace resguardo::server {
namespace {

struct Opened {
  std::unique_ptr<crypto::FileKeyProvider> keys;
  std::unique_ptr<store::Database> db;
};

absl::StatusOr<Opened> OpenNodeStore(const config::v1::NodeConfig& config) {
  Opened out;
  absl::StatusOr<std::unique_ptr<crypto::FileKeyProvider>> keys =
      crypto::FileKeyProvider::New(
          config.master_key().key_file(),
          crypto::FileKeyProvider::Mode::kMustExist,
          // An offline command: root may run it on the node's key.
          crypto::FileKeyProvider::Owner::kThisProcessOrFolderOwnerForRoot);
  if (!keys.ok()) {
    return absl::Status(
        keys.status().code(),
        absl::StrCat("master_key.key_file: ", keys.status().message()));
  }
  out.keys = *std::move(keys);
  ASSIGN_OR_RETURN(crypto::SecretData db_key,
                   out.keys->DeriveKey(crypto::KeyPurpose::kDatabase));
  store::Database::Options options;
  options.create_if_missing = false;
  options.migrations = schema::NodeMigrations();
  absl::StatusOr<std::unique_ptr<store::Database>> db =
      store::Database::Open(DatabasePath(config), db_key, options);
  if (!db.ok()) {
    return absl::Status(db.status().code(),
                        absl::StrCat("data_dir: ", db.status().message()));
  }
  out.db = *std::move(db);
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
