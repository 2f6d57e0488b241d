// The node's keys as every command of resguardod opens them: the master key
// file (crypto/file_key_provider.h) and the key set it wraps
// (data_dir/resguardo.keys, crypto/key_set.h), whose purpose keys the node
// uses through a KeySetProvider.
//
// Opening also
//   - finishes or discards a master-key rotation or a database re-keying
//     that a crash left half done (services/server/key_rotation.h says
//     which, deterministically, from which files exist);
//   - fills the key set of a node made before it: every purpose key derived
//     once from the master key exactly as that node derived it
//     (DeriveKeyFromMaster; the audit-signing key for every generation its
//     database lists), so that its data keeps opening; from then on they
//     are unwrapped, never derived;
//   - gives a new node a key set of random keys, and a node made before a
//     purpose was added a random key for it.
// With Write::kNo (an offline command that may run as root and must change
// nothing: backup, verify-backup, audit-key), a missing key set is derived
// in memory only and a half-done operation is refused.
//
// Errors name the configuration field: "master_key.key_file: ..." or
// "data_dir: ...".
#ifndef RESGUARDO_SERVICES_SERVER_INTERNAL_NODE_KEYS_H_
#define RESGUARDO_SERVICES_SERVER_INTERNAL_NODE_KEYS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "crypto/file_key_provider.h"
#include "crypto/key_provider.h"
#include "crypto/key_set.h"
#include "crypto/key_set_provider.h"
#include "resguardo/config/v1/node_config.pb.h"

namespace resguardo::server::internal {

struct NodeKeys {
  std::unique_ptr<crypto::FileKeyProvider> master;
  crypto::KeySet set;
  std::unique_ptr<crypto::KeySetProvider> keys;
  // What opening did, one word each, for the log and the commands' output:
  // key_set_created, key_set_migrated, keys_added, master_rotation_finished,
  // master_rotation_discarded, rekey_finished, rekey_discarded.
  std::vector<std::string> events;
};

enum class Write { kYes, kNo };

absl::StatusOr<NodeKeys> OpenNodeKeys(const config::v1::NodeConfig& config,
                                      Write write);

// Writes `set` sealed under `masters` (one, or two during a master-key
// rotation) as the node's key set, durably (crypto/key_set_file.h).
absl::Status WriteKeySet(const config::v1::NodeConfig& config,
                         const crypto::KeySet& set,
                         std::vector<const crypto::FileKeyProvider*> masters);

// Adds a random key for `purpose` at `generation` to the node's key set
// unless it holds one, writes it, and refreshes `keys.keys`.
absl::Status AddNodeKey(const config::v1::NodeConfig& config, NodeKeys& keys,
                        crypto::KeyPurpose purpose, uint32_t generation);

// The paths a master-key rotation and a database re-keying leave while they
// run (key_rotation.h).
std::string NewMasterKeyPath(const config::v1::NodeConfig& config);
std::string RekeyedDatabasePath(const config::v1::NodeConfig& config);

}  // namespace resguardo::server::internal

#endif  // RESGUARDO_SERVICES_SERVER_INTERNAL_NODE_KEYS_H_
