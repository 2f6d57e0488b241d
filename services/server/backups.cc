#include "services/server/backups.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <cerrno>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <utility>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "crypto/file_key_provider.h"
#include "crypto/key_set.h"
#include "crypto/key_set_file.h"
#include "crypto/key_set_provider.h"
#include "services/audit/checkpointer.h"
#include "services/server/config_loader.h"
#include "services/server/internal/node_keys.h"
#include "services/server/internal/node_lock.h"
#include "services/server/internal/offline_store.h"
#include "services/store/statement.h"
#include "services/store/transaction.h"

namespace resguardo::server {
namespace {

// Opens a private copy of the (already checked) backup, so that the
// migrations and the WAL of an open never touch it, and loads its audit log
// as a starting node does; fills the audit fields of `report`.
absl::Status VerifyAuditLog(const config::v1::NodeConfig& config,
                            const crypto::KeyProvider& keys,
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

// The keys a backup opens with: its key set (the sidecar file written
// with it), unwrapped with the node's master key; for a backup made before
// key sets, none (its keys are derived from the master key).
struct BackupKeys {
  std::unique_ptr<crypto::FileKeyProvider> master;
  // The sidecar's bytes, empty for a backup without one.
  std::string key_set_file;
  std::unique_ptr<crypto::KeySetProvider> key_set;
  const crypto::KeyProvider& keys() const {
    return key_set != nullptr
               ? static_cast<const crypto::KeyProvider&>(*key_set)
               : *master;
  }
};

absl::StatusOr<BackupKeys> OpenBackupKeys(const config::v1::NodeConfig& config,
                                          const std::string& backup_path) {
  BackupKeys out;
  absl::StatusOr<std::unique_ptr<crypto::FileKeyProvider>> master =
      crypto::FileKeyProvider::New(
          config.master_key().key_file(),
          crypto::FileKeyProvider::Mode::kMustExist,
          crypto::FileKeyProvider::Owner::kThisProcessOrFolderOwnerForRoot);
  if (!master.ok()) {
    return absl::Status(
        master.status().code(),
        absl::StrCat("master_key.key_file: ", master.status().message()));
  }
  out.master = *std::move(master);
  const std::string sidecar = BackupKeySetPath(backup_path);
  absl::StatusOr<std::string> file = crypto::ReadKeySetFile(sidecar);
  if (absl::IsNotFound(file.status())) return out;
  RETURN_IF_ERROR(file.status());
  absl::StatusOr<crypto::KeySet> set = crypto::KeySet::Open(*file, *out.master);
  if (!set.ok()) {
    return absl::Status(set.status().code(),
                        absl::StrCat(sidecar, ": ", set.status().message()));
  }
  out.key_set_file = *std::move(file);
  out.key_set = std::make_unique<crypto::KeySetProvider>(*std::move(set),
                                                         out.master->key_id());
  return out;
}

absl::StatusOr<BackupReport> VerifyWith(const config::v1::NodeConfig& config,
                                        const crypto::KeyProvider& keys,
                                        const std::string& backup_path,
                                        const Clock* clock);

// VerifyWith the backup's keys; a copy without its key set that does not
// open says which file is missing.
absl::StatusOr<BackupReport> Verify(const config::v1::NodeConfig& config,
                                    const BackupKeys& keys,
                                    const std::string& backup_path,
                                    const Clock* clock) {
  absl::StatusOr<BackupReport> report =
      VerifyWith(config, keys.keys(), backup_path, clock);
  if (!report.ok() && keys.key_set == nullptr &&
      absl::IsFailedPrecondition(report.status())) {
    return absl::FailedPreconditionError(
        absl::StrCat(report.status().message(), "; falta / missing ",
                     BackupKeySetPath(backup_path),
                     " (las claves de la copia / the backup's key set)"));
  }
  return report;
}

// The file checks (store::CheckBackupFile), its size and hash, and its
// audit log.
absl::StatusOr<BackupReport> VerifyWith(const config::v1::NodeConfig& config,
                                        const crypto::KeyProvider& keys,
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

std::string BackupKeySetPath(const std::string& backup_path) {
  return absl::StrCat(backup_path, ".keys");
}

absl::StatusOr<BackupReport> BackupNode(const config::v1::NodeConfig& config,
                                        const std::string& out_path,
                                        const Clock* clock) {
  ASSIGN_OR_RETURN(internal::NodeKeys keys,
                   internal::OpenNodeKeys(config, internal::Write::kNo));
  BackupReport report;
  report.master_key_id = keys.master->key_id();
  {
    ASSIGN_OR_RETURN(crypto::SecretData db_key,
                     internal::DatabaseKey(*keys.keys));
    // Written, checked and described by the store; only the audit log is
    // left to verify.
    ASSIGN_OR_RETURN(report.file, store::WriteBackup(DatabasePath(config),
                                                     db_key, out_path));
  }
  // The key set the copy opens with, wrapped under the master key as the
  // node's is.
  ASSIGN_OR_RETURN(std::string sidecar, keys.set.Seal({keys.master.get()}));
  report.key_set_path = BackupKeySetPath(out_path);
  RETURN_IF_ERROR(crypto::ReplaceFileDurably(report.key_set_path, sidecar));
  RETURN_IF_ERROR(VerifyAuditLog(config, *keys.keys, out_path, clock, report));
  return report;
}

absl::StatusOr<BackupReport> VerifyBackup(const config::v1::NodeConfig& config,
                                          const std::string& backup_path,
                                          const Clock* clock) {
  ASSIGN_OR_RETURN(BackupKeys keys, OpenBackupKeys(config, backup_path));
  ASSIGN_OR_RETURN(BackupReport report,
                   Verify(config, keys, backup_path, clock));
  report.master_key_id = keys.master->key_id();
  if (keys.key_set != nullptr)
    report.key_set_path = BackupKeySetPath(backup_path);
  return report;
}

absl::StatusOr<BackupReport> RestoreBackup(const config::v1::NodeConfig& config,
                                           const std::string& backup_path,
                                           const Clock* clock) {
  ASSIGN_OR_RETURN(BackupKeys keys, OpenBackupKeys(config, backup_path));
  ASSIGN_OR_RETURN(BackupReport report,
                   Verify(config, keys, backup_path, clock));
  report.master_key_id = keys.master->key_id();
  if (::mkdir(config.data_dir().c_str(), 0700) != 0 && errno != EEXIST) {
    return absl::FailedPreconditionError(
        absl::StrCat("data_dir: cannot create ", config.data_dir()));
  }
  ASSIGN_OR_RETURN(internal::NodeLock lock,
                   internal::NodeLock::Acquire(config));
  // The key set goes in first (a crash before the database leaves no
  // database, and the restore can run again). A key set already there is
  // kept when it holds the backup's keys, and never overwritten otherwise:
  // it belongs to a database moved aside.
  const std::string key_set = KeySetPath(config);
  absl::StatusOr<std::string> present = crypto::ReadKeySetFile(key_set);
  if (!absl::IsNotFound(present.status())) {
    bool same = false;
    if (present.ok() && keys.key_set != nullptr) {
      absl::StatusOr<crypto::KeySet> there =
          crypto::KeySet::Open(*present, *keys.master);
      absl::StatusOr<crypto::KeySet> backup =
          crypto::KeySet::Open(keys.key_set_file, *keys.master);
      same = there.ok() && backup.ok() && there->SameKeys(*backup);
    }
    if (!same) {
      return absl::AlreadyExistsError(absl::StrCat(
          "data_dir: ", key_set,
          " existe con otras claves: mueva aparte la base de datos junto con "
          "su archivo de claves / exists with other keys: move the database "
          "and its key set aside together"));
    }
  } else if (keys.key_set != nullptr) {
    RETURN_IF_ERROR(crypto::ReplaceFileDurably(key_set, keys.key_set_file));
  }
  if (keys.key_set != nullptr) report.key_set_path = key_set;
  ASSIGN_OR_RETURN(crypto::SecretData db_key,
                   internal::DatabaseKey(keys.keys()));
  RETURN_IF_ERROR(
      store::RestoreBackupFile(backup_path, db_key, DatabasePath(config)));
  return report;
}

}  // namespace resguardo::server
