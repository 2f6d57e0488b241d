#include "services/server/internal/offline_store.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "services/schema/node_schema.h"

namespace resguardo::server::internal {

absl::StatusOr<crypto::SecretData> DatabaseKey(
    const crypto::KeyProvider& keys) {
  return keys.DeriveKey(crypto::KeyPurpose::kDatabase);
}

absl::StatusOr<std::unique_ptr<store::Database>> OpenOfflineDatabase(
    const crypto::KeyProvider& keys, const std::string& path) {
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
