#include "services/server/internal/offline_store.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "services/schema/node_schema.h"

namespace resguardo::server::internal {

absl::StatusOr<std::unique_ptr<crypto::FileKeyProvider>> OpenOfflineKeys(
    const config::v1::NodeConfig& config) {
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
  return keys;
}

absl::StatusOr<crypto::SecretData> DatabaseKey(
    const crypto::FileKeyProvider& keys) {
  return keys.DeriveKey(crypto::KeyPurpose::kDatabase);
}

absl::StatusOr<std::unique_ptr<store::Database>> OpenOfflineDatabase(
    const crypto::FileKeyProvider& keys, const std::string& path) {
  ASSIGN_OR_RETURN(crypto::SecretData db_key, DatabaseKey(keys));
  store::Database::Options options;
  options.create_if_missing = false;
  options.migrations = schema::NodeMigrations();
  absl::StatusOr<std::unique_ptr<store::Database>> db =
      store::Database::Open(path, db_key, options);
  if (!db.ok()) {
    return absl::Status(db.status().code(),
                        absl::StrCat("data_dir: ", db.status().message()));
  }
  return db;
}

}  // namespace resguardo::server::internal
