// Backups of the node's database: a consistent copy taken while the node
// serves, and the checks a copy must pass before anyone relies on it.
//
//   ASSIGN_OR_RETURN(store::BackupFile file,
//                    store::WriteBackup(db_path, database_key, "/b/r.db"));
//   RETURN_IF_ERROR(store::CheckBackupFile("/b/r.db", database_key));
//
// WriteBackup opens its own connection to the live file (another process's
// writer keeps committing meanwhile), attaches the new file with the same
// raw key and settings (SQLCipher's ATTACH without KEY takes the main
// database's key; cipher_page_size is set to the store's 4096), and copies
// everything with sqlcipher_export inside ONE read transaction: the copy is
// the database as of one commit, never a mix. It then checks what it wrote
// (CheckBackupFile) and removes it if the check fails.
//
// The copy is never plaintext: SQLCipher 3.4.1's sqlite3_backup API writes
// an unkeyed destination in the clear without a word, so it is not used,
// and CheckBackupFile refuses a file whose header is SQLite's plaintext
// magic before anything else.
//
// Errors never contain key material or database content; they name the
// file.
#ifndef RESGUARDO_SERVICES_STORE_BACKUP_H_
#define RESGUARDO_SERVICES_STORE_BACKUP_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "crypto/secret_data.h"

namespace resguardo::store {

struct BackupFile {
  std::string path;
  uint64_t bytes = 0;
  // SHA-256 of the file's bytes, lower-case hex.
  std::string sha256_hex;
};

// Writes a consistent copy of the database `db_path` (opened with the
// 32-byte raw `key`) to the new file `out_path`: created with mode 0600
// (never over an existing file), fsynced with its folder, then checked.
// Errors: ALREADY_EXISTS (out_path exists), NOT_FOUND (no database),
// FAILED_PRECONDITION (the database does not open with the key; the copy
// failed its check), DATA_LOSS (a damaged page in the database), others
// from the file system (UNAVAILABLE for a full disk, as the store's).
absl::StatusOr<BackupFile> WriteBackup(const std::string& db_path,
                                       const crypto::SecretData& key,
                                       const std::string& out_path);

// As WriteBackup, but the copy is encrypted under the 32-byte raw `new_key`
// (a database re-keying: services/server/key_rotation.h) and checked with
// it. The database itself is not changed.
absl::StatusOr<BackupFile> WriteRekeyedCopy(const std::string& db_path,
                                            const crypto::SecretData& key,
                                            const crypto::SecretData& new_key,
                                            const std::string& out_path);

// Checks a backup file without changing it: its header is not plaintext, it
// opens with `key` (read-only), and PRAGMA integrity_check finds nothing.
// Errors: NOT_FOUND; FAILED_PRECONDITION (plaintext, wrong key or not a
// database); DATA_LOSS (integrity_check found damage; the message gives its
// first finding, which names pages, never content).
absl::Status CheckBackupFile(const std::string& path,
                             const crypto::SecretData& key);

// Puts the backup `backup_path` in place as the database `db_path`, which
// must not exist (nor its -wal or -shm: a restore never overwrites a
// database, live or damaged; move it aside first). The backup is copied to
// `db_path`.restoring (mode 0600), fsynced, checked there
// (CheckBackupFile; a copy that fails is removed), renamed into place and
// its folder fsynced: a crash leaves either no database or the whole copy. The
// folder is created (0700) if missing. Errors: ALREADY_EXISTS (a database is
// there), those of CheckBackupFile, and file-system errors.
absl::Status RestoreBackupFile(const std::string& backup_path,
                               const crypto::SecretData& key,
                               const std::string& db_path);

// The size and SHA-256 of the file at `path`.
absl::StatusOr<BackupFile> DescribeFile(const std::string& path);

}  // namespace resguardo::store

#endif  // RESGUARDO_SERVICES_STORE_BACKUP_H_
