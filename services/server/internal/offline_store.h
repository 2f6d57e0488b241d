// The node's store opened by an offline command of resguardod (audit-key,
// rotate-audit-key, backup, verify-backup, restore, rotate-master-key,
// rekey-database): the master key file checked as `serve` checks it (root
// may run the commands that change nothing on the node's key), its key set
// opened (OpenNodeKeys, internal/node_keys.h), and the database opened with the
// node's migrations. Errors name the configuration field: "master_key.key_file:
// ..." or "data_dir: ...".
#ifndef RESGUARDO_SERVICES_SERVER_INTERNAL_OFFLINE_STORE_H_
#define RESGUARDO_SERVICES_SERVER_INTERNAL_OFFLINE_STORE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "crypto/key_provider.h"
#include "crypto/secret_data.h"
#include "resguardo/config/v1/node_config.pb.h"
#include "services/server/internal/node_keys.h"
#include "services/store/database.h"

namespace resguardo::server::internal {

// The database key of the node's key set.
absl::StatusOr<crypto::SecretData> DatabaseKey(const crypto::KeyProvider& keys);

// The database file `path` (the node's, or a copy of it), opened with the
// node's key and migrations; never created.
absl::StatusOr<std::unique_ptr<store::Database>> OpenOfflineDatabase(
    const crypto::KeyProvider& keys, const std::string& path);

}  // namespace resguardo::server::internal

#endif  // RESGUARDO_SERVICES_SERVER_INTERNAL_OFFLINE_STORE_H_
