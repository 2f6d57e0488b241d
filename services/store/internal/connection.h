// Connection: one keyed, configured and verified SQLCipher connection.
//
// Not part of the store's API. Database opens one writer connection and a
// pool of reader connections through Connection::Open, which applies the
// node's raw key, cipher_page_size 4096 and the pragmas of DESIGN.md §4, and
// proves the key by reading the schema before returning: a Connection that
// exists has opened with the right key.
//
// Thread safety: none. A Connection is used by one thread at a time (the
// writer thread, or the caller that borrowed it from the read pool); the
// SQLite handle is opened with SQLITE_OPEN_NOMUTEX for that reason.
#ifndef RESGUARDO_SERVICES_STORE_INTERNAL_CONNECTION_H_
#define RESGUARDO_SERVICES_STORE_INTERNAL_CONNECTION_H_

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "crypto/secret_data.h"
#include "services/store/internal/sqlite_util.h"
#include "services/store/statement.h"

namespace resguardo::store::internal {

struct ConnectionOptions {
  // kCheckpointer: runs checkpoints only (WalCheckpointer); never user code.
  // kBackup: reads one snapshot of the file and writes only to the backup
  // it attaches (store/backup.h); never user code.
  enum class Role { kWriter, kReader, kCheckpointer, kBackup };
  Role role = Role::kReader;
  absl::Duration busy_timeout = absl::Seconds(5);
  int64_t cache_size_kib = 8192;
  // Largest -wal file kept after a checkpoint (journal_size_limit).
  int64_t wal_size_limit_bytes = 64 << 20;
  // Open the file read-only (SQLITE_OPEN_READONLY): checking a backup
  // without changing it.
  bool open_read_only = false;
};

// SQLCipher's raw-key syntax, x'<64 hex digits>', built in a SecretData so
// that the hex form of the key is wiped too. The key goes through
// sqlite3_key_v2 (or a bound ATTACH ... KEY parameter) rather than SQL text.
crypto::SecretData RawKeyLiteral(const crypto::SecretData& key);

class Connection {
 public:
  // The SQLCipher page size of every Resguardo database (DESIGN.md §4).
  static constexpr int kPageSize = 4096;

  // Opens the existing file `path` (never creates it: Database creates new
  // files itself, with mode 0600), keys it with the 32-byte raw `key`, reads
  // the schema to prove the key, and applies the pragmas.
  // Errors: INVALID_ARGUMENT (key size), FAILED_PRECONDITION (wrong key, not
  // a database, cannot open, a pragma this SQLCipher ignores), DATA_LOSS
  // (a damaged page), others as in sqlite_util.h.
  static absl::StatusOr<std::unique_ptr<Connection>> Open(
      const std::string& path, const crypto::SecretData& key,
      const ConnectionOptions& options);

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  // REQUIRES: every Statement prepared on this connection is destroyed.
  ~Connection();

  // Prepares one SQL statement, from the cache when it was prepared before.
  // While user code runs (set_user_code(true)), transaction control
  // (BEGIN/COMMIT/SAVEPOINT...), ATTACH/DETACH and PRAGMA are refused with
  // FAILED_PRECONDITION; on a reader, so is any statement that writes.
  absl::StatusOr<Statement> Prepare(absl::string_view sql);

  // Runs trusted SQL (one or more statements, no parameters), e.g. migration
  // steps.
  absl::Status Exec(absl::string_view sql, absl::string_view context);

  // Runs one of the store's own transaction-control statements ("BEGIN",
  // "COMMIT", "SAVEPOINT request"...), prepared once and reused: they run
  // several times per request, and preparing costs more than running them.
  absl::Status Control(absl::string_view sql, absl::string_view context);

  // The first column of the first row of `sql`, as text ("" for no row).
  absl::StatusOr<std::string> QueryText(absl::string_view sql);
  absl::StatusOr<int64_t> QueryInt(absl::string_view sql);

  // After each commit of this connection, calls `hook` with the number of
  // pages in the WAL, in place of SQLite's automatic checkpoint (which this
  // turns off). `hook` runs on the committing thread and must be cheap.
  void SetWalHook(std::function<void(int frames)> hook);

  // A PASSIVE checkpoint: copies what it can of the WAL into the database
  // file without waiting for, or blocking, readers and the writer.
  absl::Status CheckpointPassive();

  // The status for the failed SQLite call `rc` on this connection.
  absl::Status Error(int rc, absl::string_view context) const;

  // Called by Statement's destructor.
  void ReturnStatement(StatementPtr stmt);

  void set_user_code(bool user_code) { user_code_ = user_code; }
  // While set, Prepare, Statement::Step and Exec refuse statements that
  // write, as on a reader (WriteTxn::ReadOnly).
  void set_read_only(bool read_only) { read_only_ = read_only; }
  bool read_only() const { return read_only_; }
  // FAILED_PRECONDITION: a read transaction cannot write.
  static absl::Status ReadOnlyError();
  // How many statements that change the database have completed on this
  // connection (a statement that fails changes nothing: SQLite undoes it).
  // The writer compares it before and after a write function to know whether
  // the function changed anything.
  uint64_t writes() const { return writes_; }
  void CountWrite() { ++writes_; }
  bool in_transaction() const { return sqlite3_get_autocommit(db_.get()) == 0; }
  int64_t last_insert_rowid() const {
    return sqlite3_last_insert_rowid(db_.get());
  }
  int changes() const { return sqlite3_changes(db_.get()); }
  const std::string& path() const { return path_; }
  bool is_reader() const { return role_ == ConnectionOptions::Role::kReader; }

 private:
  Connection(SqlitePtr db, std::string path, ConnectionOptions::Role role);

  static int Authorize(void* self, int action, const char* a, const char* b,
                       const char* c, const char* d);
  static int WalHook(void* self, sqlite3* db, const char* name, int frames);
  absl::Status Configure(const crypto::SecretData& key,
                         const ConnectionOptions& options);
  absl::Status SetAndCheckPragma(absl::string_view name,
                                 absl::string_view value,
                                 absl::string_view expected);

  // Declared first so that it is destroyed last, after the cache below.
  SqlitePtr db_;
  std::string path_;
  ConnectionOptions::Role role_;
  bool user_code_ = false;
  bool read_only_ = false;
  uint64_t writes_ = 0;
  std::function<void(int)> wal_hook_;
  size_t cached_ = 0;
  absl::flat_hash_map<std::string, std::vector<StatementPtr>> cache_;
  // Control()'s statements, by text.
  absl::flat_hash_map<std::string, StatementPtr> control_;
};

}  // namespace resguardo::store::internal

#endif  // RESGUARDO_SERVICES_STORE_INTERNAL_CONNECTION_H_
