// The node's store opened by an offline command of resguardod (audit-key,
// rotate-audit-key, backup, verify-backup, restore): the master key file
// checked as `serve` checks it (root may run these on the node's key), the
// database key derived from it, and the database opened with the node's
// migrations. Errors name the configuration field: "master_key.key_file: ..."
// or "data_dir: ...".
#ifndef RESGUARDO_SERVICES_SERVER_INTERNAL_OFFLINE_STORE_H_
#define RESGUARDO_SERVICES_SERVER_INTERNAL_OFFLINE_STORE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "crypto/file_key_provider.h"
#include "crypto/secret_data.h"
#include "resguardo/config/v1/node_config.pb.h"
#include "services/store/database.h"

namespace resguardo::server::internal {

// The node's key provider, for an offline command.
absl::StatusOr<std::unique_ptr<crypto::FileKeyProvider>> OpenOfflineKeys(
    const config::v1::NodeConfig& config);

// The database key the node derives from its master key.
absl::StatusOr<crypto::SecretData> DatabaseKey(
    const crypto::FileKeyProvider& keys);

// The database file `path` (the node's, or a copy of it), opened with the
// node's key and migrations; never created.
absl::StatusOr<std::unique_ptr<store::Database>> OpenOfflineDatabase(
    const crypto::FileKeyProvider& keys, const std::string& path);

}  // namespace resguardo::server::internal

#endif  // RESGUARDO_SERVICES_SERVER_INTERNAL_OFFLINE_STORE_H_
