#include "services/server/key_rotation.h"

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "crypto/file_key_provider.h"
#include "crypto/key_set_file.h"
#include "crypto/key_set_provider.h"
#include "services/server/config_loader.h"
#include "services/server/internal/crash_point.h"
#include "services/server/internal/node_keys.h"
#include "services/server/internal/node_lock.h"
#include "services/server/internal/offline_store.h"
#include "services/store/backup.h"

namespace resguardo::server {
namespace {

using internal::CrashPoint;

bool Exists(const std::string& path) {
  std::error_code error;
  return std::filesystem::exists(std::filesystem::symlink_status(path, error));
}

absl::Status InField(absl::string_view field, const absl::Status& status) {
  if (status.ok()) return status;
  return absl::Status(status.code(),
                      absl::StrCat(field, ": ", status.message()));
}

}  // namespace

absl::StatusOr<KeyRotationReport> RotateMasterKey(
    const config::v1::NodeConfig& config) {
  ASSIGN_OR_RETURN(internal::NodeLock lock,
                   internal::NodeLock::Acquire(config));
  ASSIGN_OR_RETURN(internal::NodeKeys keys,
                   internal::OpenNodeKeys(config, internal::Write::kYes));
  KeyRotationReport report;
  report.recovered = keys.events;
  report.old_master_key_id = keys.master->key_id();
  const std::string& key_file = config.master_key().key_file();
  const std::string new_path = internal::NewMasterKeyPath(config);

  RETURN_IF_ERROR(InField("master_key.key_file",
                          crypto::FileKeyProvider::CreateKeyFile(new_path)));
  CrashPoint("master-new-key-written");
  absl::StatusOr<std::unique_ptr<crypto::FileKeyProvider>> fresh =
      crypto::FileKeyProvider::New(new_path,
                                   crypto::FileKeyProvider::Mode::kMustExist);
  RETURN_IF_ERROR(InField("master_key.key_file", fresh.status()));
  RETURN_IF_ERROR(internal::WriteKeySet(config, keys.set,
                                        {keys.master.get(), fresh->get()}));
  CrashPoint("master-key-set-wrapped-twice");
  RETURN_IF_ERROR(InField("master_key.key_file",
                          crypto::RenameDurably(new_path, key_file)));
  CrashPoint("master-key-renamed");
  fresh = crypto::FileKeyProvider::New(
      key_file, crypto::FileKeyProvider::Mode::kMustExist);
  RETURN_IF_ERROR(InField("master_key.key_file", fresh.status()));
  RETURN_IF_ERROR(internal::WriteKeySet(config, keys.set, {fresh->get()}));
  CrashPoint("master-key-set-rewrapped");
  report.master_key_id = (*fresh)->key_id();
  return report;
}

absl::StatusOr<KeyRotationReport> RekeyDatabase(
    const config::v1::NodeConfig& config) {
  ASSIGN_OR_RETURN(internal::NodeLock lock,
                   internal::NodeLock::Acquire(config));
  ASSIGN_OR_RETURN(internal::NodeKeys keys,
                   internal::OpenNodeKeys(config, internal::Write::kYes));
  KeyRotationReport report;
  report.recovered = keys.events;
  report.old_master_key_id = keys.master->key_id();
  report.master_key_id = keys.master->key_id();
  const std::string db_path = DatabasePath(config);
  const std::string copy = internal::RekeyedDatabasePath(config);

  // Opened and closed once: migrations run, the WAL is checkpointed into
  // the file and removed, so the file alone is the database.
  {
    ASSIGN_OR_RETURN(std::unique_ptr<store::Database> db,
                     internal::OpenOfflineDatabase(*keys.keys, db_path));
    RETURN_IF_ERROR(db->Close());
  }
  if (Exists(db_path + "-wal")) {
    return absl::FailedPreconditionError(absl::StrCat(
        "data_dir: ", db_path,
        "-wal quedó tras cerrar la base de datos; no se cambia la clave / "
        "remains after closing the database; the key is not changed"));
  }
  ASSIGN_OR_RETURN(crypto::SecretData old_key,
                   internal::DatabaseKey(*keys.keys));
  ASSIGN_OR_RETURN(crypto::SecretData new_key,
                   crypto::SecretData::Random(crypto::KeyProvider::kKeySize));
  {
    absl::StatusOr<store::BackupFile> written =
        store::WriteRekeyedCopy(db_path, old_key, new_key, copy);
    RETURN_IF_ERROR(InField("data_dir", written.status()));
  }
  CrashPoint("rekey-copy-written");
  keys.set.Put(crypto::KeySet::kPendingDatabaseLabel, 1, new_key.Clone());
  RETURN_IF_ERROR(internal::WriteKeySet(config, keys.set, {keys.master.get()}));
  CrashPoint("rekey-pending-key-written");
  // A -shm file of the old file's last open: SQLite would rebuild it, but
  // nothing of the old file stays beside the new one.
  ::unlink((db_path + "-shm").c_str());
  RETURN_IF_ERROR(InField("data_dir", crypto::RenameDurably(copy, db_path)));
  CrashPoint("rekey-database-renamed");
  keys.set.Put(crypto::KeyPurposeLabel(crypto::KeyPurpose::kDatabase), 1,
               std::move(new_key));
  keys.set.Erase(crypto::KeySet::kPendingDatabaseLabel, 1);
  RETURN_IF_ERROR(internal::WriteKeySet(config, keys.set, {keys.master.get()}));
  CrashPoint("rekey-key-set-updated");
  // The database opens with the key the key set now holds.
  crypto::KeySetProvider now(keys.set.Clone(), keys.master->key_id());
  ASSIGN_OR_RETURN(std::unique_ptr<store::Database> db,
                   internal::OpenOfflineDatabase(now, db_path));
  RETURN_IF_ERROR(db->Close());
  return report;
}

}  // namespace resguardo::server
