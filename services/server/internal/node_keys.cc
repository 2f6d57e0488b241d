#include "services/server/internal/node_keys.h"

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "crypto/key_set_file.h"
#include "services/schema/node_schema.h"
#include "services/server/config_loader.h"
#include "services/store/database.h"
#include "services/store/statement.h"
#include "services/store/transaction.h"

namespace resguardo::server::internal {
namespace {

using crypto::FileKeyProvider;
using crypto::KeyPurpose;
using crypto::KeySet;
using crypto::SecretData;

bool Exists(const std::string& path) {
  std::error_code error;
  return std::filesystem::exists(std::filesystem::symlink_status(path, error));
}

absl::Status InField(absl::string_view field, const absl::Status& status) {
  return absl::Status(status.code(),
                      absl::StrCat(field, ": ", status.message()));
}

absl::Status HalfDone(absl::string_view what) {
  return absl::FailedPreconditionError(absl::StrCat(
      "data_dir: ", what,
      " quedó a medias; arranque el nodo (o repita la orden) para terminarla "
      "/ was left half done; start the node (or run the command again) to "
      "finish it"));
}

absl::StatusOr<std::unique_ptr<FileKeyProvider>> LoadMaster(
    const std::string& path, Write write) {
  absl::StatusOr<std::unique_ptr<FileKeyProvider>> master =
      FileKeyProvider::New(
          path, FileKeyProvider::Mode::kMustExist,
          // An offline command that changes nothing may run as root on the
          // node's key; one that writes files must run as the node's user.
          write == Write::kNo
              ? FileKeyProvider::Owner::kThisProcessOrFolderOwnerForRoot
              : FileKeyProvider::Owner::kThisProcess);
  if (!master.ok()) return InField("master_key.key_file", master.status());
  return master;
}

// The generations of the audit-signing key the database of a node made
// before the key set lists (opened with its derived database key).
absl::StatusOr<uint32_t> LegacyAuditGenerations(
    const config::v1::NodeConfig& config, const SecretData& db_key) {
  store::Database::Options options;
  options.create_if_missing = false;
  options.migrations = schema::NodeMigrations();
  options.read_connections = 1;
  absl::StatusOr<std::unique_ptr<store::Database>> db =
      store::Database::Open(DatabasePath(config), db_key, options);
  if (!db.ok()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "data_dir: no hay ", kKeySetFileName,
        " y la base de datos no abre con la clave derivada de la clave "
        "maestra: restaure ",
        kKeySetFileName, " de su respaldo / there is no ", kKeySetFileName,
        " and the database does not open with the key derived from the "
        "master key: restore ",
        kKeySetFileName, " from its backup (", db.status().message(), ")"));
  }
  absl::StatusOr<int64_t> max =
      (*db)->Read([](store::ReadTxn& txn) -> absl::StatusOr<int64_t> {
        ASSIGN_OR_RETURN(store::Statement s,
                         txn.Prepare("SELECT coalesce(max(generation), 1) FROM "
                                     "audit_signing_keys"));
        ASSIGN_OR_RETURN(bool row, s.Step());
        if (!row) return 1;
        return s.ColumnInt64(0);
      });
  absl::Status closed = (*db)->Close();
  RETURN_IF_ERROR(max.status());
  RETURN_IF_ERROR(closed);
  return static_cast<uint32_t>(*max < 1 ? 1 : *max);
}

// The key set of a node made before it: every key exactly as it derived it.
absl::StatusOr<KeySet> MigrateLegacyKeys(const config::v1::NodeConfig& config,
                                         const FileKeyProvider& master) {
  KeySet set;
  for (int p = 0; p < static_cast<int>(KeyPurpose::kCount); ++p) {
    const KeyPurpose purpose = static_cast<KeyPurpose>(p);
    ASSIGN_OR_RETURN(SecretData key, master.DeriveKey(purpose, 1));
    set.Put(crypto::KeyPurposeLabel(purpose), 1, std::move(key));
  }
  ASSIGN_OR_RETURN(
      uint32_t audit_generations,
      LegacyAuditGenerations(
          config,
          *set.Find(crypto::KeyPurposeLabel(KeyPurpose::kDatabase), 1)));
  for (uint32_t g = 2; g <= audit_generations; ++g) {
    ASSIGN_OR_RETURN(SecretData key,
                     master.DeriveKey(KeyPurpose::kAuditSigning, g));
    set.Put(crypto::KeyPurposeLabel(KeyPurpose::kAuditSigning), g,
            std::move(key));
  }
  return set;
}

// Generation 1 of every purpose the set lacks, random. Returns whether any
// was added.
absl::StatusOr<bool> AddMissingPurposes(KeySet& set) {
  bool added = false;
  for (int p = 0; p < static_cast<int>(KeyPurpose::kCount); ++p) {
    const absl::string_view label =
        crypto::KeyPurposeLabel(static_cast<KeyPurpose>(p));
    if (set.Find(label, 1) != nullptr) continue;
    ASSIGN_OR_RETURN(SecretData key,
                     SecretData::Random(crypto::KeyProvider::kKeySize));
    set.Put(label, 1, std::move(key));
    added = true;
  }
  return added;
}

// A new master key file left by rotate-master-key: kept if the key set is
// already wrapped under it (the rotation had passed that step), removed
// otherwise.
absl::Status RecoverMasterRotation(const config::v1::NodeConfig& config,
                                   Write write, NodeKeys& keys) {
  const std::string new_path = NewMasterKeyPath(config);
  if (!Exists(new_path)) return absl::OkStatus();
  if (write == Write::kNo)
    return HalfDone("una rotación de la clave maestra / a master-key rotation");
  bool wrapped_under_new = false;
  absl::StatusOr<std::unique_ptr<FileKeyProvider>> fresh =
      FileKeyProvider::New(new_path, FileKeyProvider::Mode::kMustExist);
  absl::StatusOr<std::string> file = crypto::ReadKeySetFile(KeySetPath(config));
  if (fresh.ok() && file.ok()) {
    ASSIGN_OR_RETURN(std::vector<std::string> ids, KeySet::MasterKeyIds(*file));
    for (const std::string& id : ids) {
      if (id == (*fresh)->key_id()) wrapped_under_new = true;
    }
  }
  if (!wrapped_under_new) {
    if (::unlink(new_path.c_str()) != 0) {
      return absl::FailedPreconditionError(
          absl::StrCat("master_key.key_file: cannot remove ", new_path));
    }
    RETURN_IF_ERROR(crypto::FsyncFolderOf(new_path));
    keys.events.push_back("master_rotation_discarded");
    return absl::OkStatus();
  }
  RETURN_IF_ERROR(
      InField("master_key.key_file",
              crypto::RenameDurably(new_path, config.master_key().key_file())));
  ASSIGN_OR_RETURN(keys.master,
                   LoadMaster(config.master_key().key_file(), write));
  keys.events.push_back("master_rotation_finished");
  return absl::OkStatus();
}

// A database re-keying's pending key and copy (key_rotation.h): the copy
// still beside the database means its rename did not happen (discard);
// a pending key without the copy means it did (finish).
absl::Status RecoverRekey(const config::v1::NodeConfig& config, Write write,
                          NodeKeys& keys, bool& changed) {
  const std::string copy = RekeyedDatabasePath(config);
  const bool copy_exists = Exists(copy);
  const SecretData* pending = keys.set.Find(KeySet::kPendingDatabaseLabel, 1);
  if (pending == nullptr && !copy_exists) return absl::OkStatus();
  if (write == Write::kNo)
    return HalfDone(
        "un cambio de la clave de la base de datos / a database re-keying");
  if (copy_exists) {
    ::unlink(copy.c_str());
    ::unlink((copy + "-journal").c_str());
    RETURN_IF_ERROR(InField("data_dir", crypto::FsyncFolderOf(copy)));
  }
  if (pending != nullptr) {
    if (!copy_exists) {
      keys.set.Put(crypto::KeyPurposeLabel(KeyPurpose::kDatabase), 1,
                   pending->Clone());
      keys.events.push_back("rekey_finished");
    } else {
      keys.events.push_back("rekey_discarded");
    }
    keys.set.Erase(KeySet::kPendingDatabaseLabel, 1);
    changed = true;
  }
  return absl::OkStatus();
}

}  // namespace

std::string NewMasterKeyPath(const config::v1::NodeConfig& config) {
  return absl::StrCat(config.master_key().key_file(), ".new");
}

std::string RekeyedDatabasePath(const config::v1::NodeConfig& config) {
  return absl::StrCat(DatabasePath(config), ".rekey");
}

absl::Status WriteKeySet(const config::v1::NodeConfig& config,
                         const KeySet& set,
                         std::vector<const FileKeyProvider*> masters) {
  ASSIGN_OR_RETURN(std::string file, set.Seal(masters));
  return InField("data_dir",
                 crypto::ReplaceFileDurably(KeySetPath(config), file));
}

absl::StatusOr<NodeKeys> OpenNodeKeys(const config::v1::NodeConfig& config,
                                      Write write) {
  NodeKeys keys;
  ASSIGN_OR_RETURN(keys.master,
                   LoadMaster(config.master_key().key_file(), write));
  RETURN_IF_ERROR(RecoverMasterRotation(config, write, keys));

  bool changed = false;
  absl::StatusOr<std::string> file = crypto::ReadKeySetFile(KeySetPath(config));
  if (absl::IsNotFound(file.status())) {
    if (Exists(DatabasePath(config))) {
      ASSIGN_OR_RETURN(keys.set, MigrateLegacyKeys(config, *keys.master));
      keys.events.push_back("key_set_migrated");
    } else {
      keys.events.push_back("key_set_created");
    }
    changed = true;
  } else if (!file.ok()) {
    return InField("data_dir", file.status());
  } else {
    absl::StatusOr<KeySet> set = KeySet::Open(*file, *keys.master);
    if (!set.ok()) {
      return InField(absl::StrCat("data_dir: ", kKeySetFileName), set.status());
    }
    keys.set = *std::move(set);
    ASSIGN_OR_RETURN(std::vector<std::string> ids, KeySet::MasterKeyIds(*file));
    if (ids.size() > 1) {
      // The rotation had renamed the new key in place: drop the old key's
      // wrapping.
      if (keys.events.empty())
        keys.events.push_back("master_rotation_finished");
      changed = true;
    }
  }
  RETURN_IF_ERROR(RecoverRekey(config, write, keys, changed));
  ASSIGN_OR_RETURN(bool added, AddMissingPurposes(keys.set));
  if (added && !changed) keys.events.push_back("keys_added");
  if ((changed || added) && write == Write::kYes) {
    RETURN_IF_ERROR(WriteKeySet(config, keys.set, {keys.master.get()}));
  }
  keys.keys = std::make_unique<crypto::KeySetProvider>(keys.set.Clone(),
                                                       keys.master->key_id());
  return keys;
}

absl::Status AddNodeKey(const config::v1::NodeConfig& config, NodeKeys& keys,
                        KeyPurpose purpose, uint32_t generation) {
  const absl::string_view label = crypto::KeyPurposeLabel(purpose);
  if (keys.set.Find(label, generation) != nullptr) return absl::OkStatus();
  ASSIGN_OR_RETURN(SecretData key,
                   SecretData::Random(crypto::KeyProvider::kKeySize));
  keys.set.Put(label, generation, std::move(key));
  RETURN_IF_ERROR(WriteKeySet(config, keys.set, {keys.master.get()}));
  keys.keys = std::make_unique<crypto::KeySetProvider>(keys.set.Clone(),
                                                       keys.master->key_id());
  return absl::OkStatus();
}

}  // namespace resguardo::server::internal
