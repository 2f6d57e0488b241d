// Backups of a node, for the operator (resguardod backup, verify-backup and
// restore). See docs/operations.md for the procedure.
//
//   backup         a consistent copy of the node's database while it serves
//                  (store/backup.h), then checked as verify-backup checks.
//   verify-backup  the copy's header is not plaintext, it opens with the
//                  node's key, integrity_check passes, and its audit log
//                  verifies against its signed checkpoints exactly as at a
//                  node's start (audit/checkpointer.h) — on a private
//                  temporary copy beside it, so the backup is not changed.
//   restore        verify-backup, then the copy is put in place of the
//                  node's database, which must not exist (a restore never
//                  overwrites a database, live or damaged).
//
// A backup is two files: the database copy BACKUP, and BACKUP.keys, the
// node's key set (crypto/key_set.h) wrapped under the master key, which
// holds the database key the copy is encrypted with and the purpose keys
// (pseudonym, audit signing...) it needs. Together they hold everything the
// node needs except the master key file: the cases, the institutions'
// wrapped keys, the audit log and its checkpoints. Keep the master key
// file's own backup apart from them. verify-backup and restore unwrap
// BACKUP.keys with the configured master key (after a master-key rotation,
// a backup made before it needs the old master key file); restore puts it
// in place as data_dir/resguardo.keys before the database, and refuses
// when another key set is there. A backup made before key sets has no
// BACKUP.keys: its keys are derived from the master key, as its node did.
//
// Errors: as Node::Start for the key file; those of store/backup.h;
// DATA_LOSS for a damaged file or a tampered audit log.
#ifndef RESGUARDO_SERVICES_SERVER_BACKUPS_H_
#define RESGUARDO_SERVICES_SERVER_BACKUPS_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "base/clock.h"
#include "resguardo/config/v1/node_config.pb.h"
#include "services/store/backup.h"

namespace resguardo::server {

struct BackupReport {
  store::BackupFile file;
  // The audit log the backup holds: its entries and the root of their
  // Merkle tree (base64), and the latest signed checkpoint's size.
  uint64_t audit_tree_size = 0;
  std::string audit_root_base64;
  uint64_t checkpoint_tree_size = 0;
  // The master key the key set is (or was checked) wrapped under.
  std::string master_key_id;
  // BACKUP.keys written or read; restore: the key set put in place. Empty
  // for a backup without one.
  std::string key_set_path;
};

// BACKUP.keys.
std::string BackupKeySetPath(const std::string& backup_path);

absl::StatusOr<BackupReport> BackupNode(const config::v1::NodeConfig& config,
                                        const std::string& out_path,
                                        const Clock* clock);
absl::StatusOr<BackupReport> VerifyBackup(const config::v1::NodeConfig& config,
                                          const std::string& backup_path,
                                          const Clock* clock);
absl::StatusOr<BackupReport> RestoreBackup(const config::v1::NodeConfig& config,
                                           const std::string& backup_path,
                                           const Clock* clock);

}  // namespace resguardo::server

#endif  // RESGUARDO_SERVICES_SERVER_BACKUPS_H_
