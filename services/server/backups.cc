#include "services/server/backups.h"

#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <utility>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "services/audit/checkpointer.h"
#include "services/server/config_loader.h"
#include "services/server/internal/offline_store.h"
#include "services/store/statement.h"
#include "services/store/transaction.h"

namespace resguardo::server {
namespace {

// Opens a private copy of the (already checked) backup, so that the
// migrations and the WAL of an open never touch it, and loads its audit log
// as a starting node does; fills the audit fields of `report`.
absl::Status VerifyAuditLog(const config::v1::NodeConfig& config,
                            const crypto::FileKeyProvider& keys,
                            const std::string& backup_path, const Clock* clock,
                            BackupReport& report) {
  std::filesystem::path folder =
      std::filesystem::path(backup_path).parent_path();
  if (folder.empty()) folder = ".";
  std::string scratch = absl::StrCat(folder.string(), "/.verify-XXXXXX");
  if (::mkdtemp(scratch.data()) == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot make a scratch folder beside ", backup_path,
                     " to verify a copy of it"));
  }
  absl::Cleanup remove_scratch = [&scratch] {
    std::error_code ignored;
    std::filesystem::remove_all(scratch, ignored);
  };
  const std::string copy = absl::StrCat(scratch, "/resguardo.db");
  std::error_code error;
  if (!std::filesystem::copy_file(backup_path, copy, error)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot copy ", backup_path, " to verify it: ", error.message()));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<store::Database> db,
                   internal::OpenOfflineDatabase(keys, copy));
  audit::Checkpointer::Options options;
  options.origin = audit::AuditOrigin(config.trust_domain());
  {
    absl::StatusOr<std::unique_ptr<audit::Checkpointer>> cp =
        audit::Checkpointer::Open(db.get(), &keys, clock, options);
    if (!cp.ok()) {
      return absl::Status(
          cp.status().code(),
          absl::StrCat("the backup's audit log: ", cp.status().message()));
    }
    report.checkpoint_tree_size = (*cp)->Latest().tree_size;
    ASSIGN_OR_RETURN(
        std::string root,
        db->Read([&](store::ReadTxn& txn) -> absl::StatusOr<std::string> {
          ASSIGN_OR_RETURN(store::Statement s,
                           txn.Prepare("SELECT count(*) FROM audit_entries"));
          ASSIGN_OR_RETURN(bool row, s.Step());
          if (!row) return absl::InternalError("no count");
          ASSIGN_OR_RETURN(int64_t n, s.ColumnInt64(0));
          report.audit_tree_size = static_cast<uint64_t>(n);
          return (*cp)->RootAt(txn, report.audit_tree_size);
        }));
    report.audit_root_base64 = absl::Base64Escape(root);
  }
  return db->Close();
}

// The file checks (store::CheckBackupFile), its size and hash, and its
// audit log.
absl::StatusOr<BackupReport> Verify(const config::v1::NodeConfig& config,
                                    const crypto::FileKeyProvider& keys,
                                    const std::string& backup_path,
                                    const Clock* clock) {
  BackupReport report;
  {
    ASSIGN_OR_RETURN(crypto::SecretData db_key, internal::DatabaseKey(keys));
    RETURN_IF_ERROR(store::CheckBackupFile(backup_path, db_key));
  }
  ASSIGN_OR_RETURN(report.file, store::DescribeFile(backup_path));
  RETURN_IF_ERROR(VerifyAuditLog(config, keys, backup_path, clock, report));
  return report;
}

}  // namespace

absl::StatusOr<BackupReport> BackupNode(const config::v1::NodeConfig& config,
                                        const std::string& out_path,
                                        const Clock* clock) {
  ASSIGN_OR_RETURN(std::unique_ptr<crypto::FileKeyProvider> keys,
                   internal::OpenOfflineKeys(config));
  BackupReport report;
  {
    ASSIGN_OR_RETURN(crypto::SecretData db_key, internal::DatabaseKey(*keys));
    // Written, checked and described by the store; only the audit log is
    // left to verify.
    ASSIGN_OR_RETURN(report.file, store::WriteBackup(DatabasePath(config),
                                                     db_key, out_path));
  }
  RETURN_IF_ERROR(VerifyAuditLog(config, *keys, out_path, clock, report));
  return report;
}

absl::StatusOr<BackupReport> VerifyBackup(const config::v1::NodeConfig& config,
                                          const std::string& backup_path,
                                          const Clock* clock) {
  ASSIGN_OR_RETURN(std::unique_ptr<crypto::FileKeyProvider> keys,
                   internal::OpenOfflineKeys(config));
  return Verify(config, *keys, backup_path, clock);
}

absl::StatusOr<BackupReport> RestoreBackup(const config::v1::NodeConfig& config,
                                           const std::string& backup_path,
                                           const Clock* clock) {
  ASSIGN_OR_RETURN(std::unique_ptr<crypto::FileKeyProvider> keys,
                   internal::OpenOfflineKeys(config));
  ASSIGN_OR_RETURN(BackupReport report,
                   Verify(config, *keys, backup_path, clock));
  ASSIGN_OR_RETURN(crypto::SecretData db_key, internal::DatabaseKey(*keys));
  RETURN_IF_ERROR(
      store::RestoreBackupFile(backup_path, db_key, DatabasePath(config)));
  return report;
}

}  // namespace resguardo::server
