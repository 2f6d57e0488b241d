// Master-key rotation and database re-keying, for the operator
// (resguardod rotate-master-key and rekey-database). Both run with the node
// stopped (they take the node's lock, internal/node_lock.h, and refuse while
// a node holds it) and as the node's user, and both survive a crash
// (SIGKILL, power cut) at any step: the node then starts with the old key or
// the new one, never neither, and its start finishes or discards the
// half-done operation deterministically from which files exist
// (internal/node_keys.h). Each step below is a crash point of the test hook
// (internal/crash_point.h), named after it.
//
// rotate-master-key (K = master_key.key_file, S = data_dir/resguardo.keys):
//   1. K.new: 32 new random bytes, 0600, fsynced with its folder.
//                                                  master-new-key-written
//   2. S rewritten wrapped under both keys.        master-key-set-wrapped-twice
//   3. K.new renamed over K, folder fsynced.       master-key-renamed
//   4. S rewritten wrapped under the new key only. master-key-set-rewrapped
//   At start: K.new present and S wrapped under it → do 3 and 4; K.new
//   present and S not wrapped under it → remove K.new (the old key stays);
//   no K.new and S wrapped twice → do 4.
//   The purpose keys do not change: person keys, the audit signing key and
//   the database key are the same after a rotation.
//
// rekey-database (D = data_dir/resguardo.db):
//   0. D opened and closed (its WAL checkpointed into it and removed).
//   1. D.rekey: sqlcipher_export of D under a new random key, fsynced and
//      checked (header not plaintext, opens with the new key,
//      integrity_check).                           rekey-copy-written
//   2. S: the new key added as "database-pending". rekey-pending-key-written
//   3. D.rekey renamed over D, folder fsynced.     rekey-database-renamed
//   4. S: the new key is the database key; pending removed.
//                                                  rekey-key-set-updated
//   At start: a pending key and D.rekey → remove both (the old key and D
//   stay); a pending key and no D.rekey → do 4; D.rekey alone → remove it.
//   Never PRAGMA rekey in place (unsafe in WAL mode).
//
// Errors: FAILED_PRECONDITION "data_dir: the node is running..." while a
// node holds the lock; those of internal/node_keys.h and store/backup.h.
#ifndef RESGUARDO_SERVICES_SERVER_KEY_ROTATION_H_
#define RESGUARDO_SERVICES_SERVER_KEY_ROTATION_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "resguardo/config/v1/node_config.pb.h"

namespace resguardo::server {

struct KeyRotationReport {
  // The master key's id (FileKeyProvider::key_id) before and after; equal
  // for rekey-database.
  std::string old_master_key_id;
  std::string master_key_id;
  // What opening the keys finished or discarded first (node_keys.h).
  std::vector<std::string> recovered;
};

absl::StatusOr<KeyRotationReport> RotateMasterKey(
    const config::v1::NodeConfig& config);
absl::StatusOr<KeyRotationReport> RekeyDatabase(
    const config::v1::NodeConfig& config);

}  // namespace resguardo::server

#endif  // RESGUARDO_SERVICES_SERVER_KEY_ROTATION_H_
