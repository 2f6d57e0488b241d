// Database: the node's encrypted store — one SQLCipher file, one writer
// thread that commits many callers' writes per transaction (group commit),
// a pool of reader connections, and a thread that checkpoints the WAL into
// the file, so that no write waits for a checkpoint.
//
//   store::Database::Options options;
//   options.migrations = cases::Schema();   // the domain's Migration list
//   ASSIGN_OR_RETURN(std::unique_ptr<store::Database> db,
//                    store::Database::Open(path, database_key, options));
//   ASSIGN_OR_RETURN(int64_t id, db->Write([&](store::WriteTxn& txn)
//                                              -> absl::StatusOr<int64_t> {
//     ASSIGN_OR_RETURN(store::Statement s, txn.Prepare("INSERT ..."));
//     RETURN_IF_ERROR(s.BindBlob(1, sealed));
//     RETURN_IF_ERROR(s.Run());
//     return txn.LastInsertRowId();
//   }));
//
// The file is encrypted with SQLCipher (DESIGN.md §4): the caller's 32-byte
// raw key, cipher_page_size 4096, an HMAC on every page, WAL journal,
// synchronous=FULL, foreign_keys=ON, secure_delete=ON, temp_store=MEMORY.
// Open proves the key on every connection by reading the schema; a file that
// does not open with the key, or is damaged, is refused there — or, for a
// damaged page the schema read does not touch, by the read that touches it
// (DATA_LOSS). Either way nothing is returned from a page that fails its
// authentication check.
//
// Thread safety: Write, Read and write_stats may be called concurrently from
// any threads. Do not call Write from inside a write function
// (FAILED_PRECONDITION), nor Read from inside a read function (it may wait
// forever for a connection that the outer read holds).
//
// Errors never contain bound values, SQL text or key material; the file path
// appears in errors about the file.
#ifndef RESGUARDO_SERVICES_STORE_DATABASE_H_
#define RESGUARDO_SERVICES_STORE_DATABASE_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "crypto/secret_data.h"
#include "services/store/migration.h"
#include "services/store/transaction.h"

namespace resguardo::store {

namespace internal {
class WalCheckpointer;
class Connection;
class GroupCommitWriter;
class ReadPool;

template <typename T>
struct IsStatusOr : std::false_type {};
template <typename T>
struct IsStatusOr<absl::StatusOr<T>> : std::true_type {};
}  // namespace internal

class Database {
 public:
  // "RSGD": stamped in the header of every new file and checked at open.
  static constexpr uint32_t kResguardoApplicationId = 0x52534744;

  struct Options {
    // Create the file (mode 0600) if it does not exist. When false, a missing
    // file is NOT_FOUND and an empty one FAILED_PRECONDITION, so that a
    // serving node never starts on a fresh, empty database by mistake.
    bool create_if_missing = false;
    // The schema; see migration.h.
    std::vector<Migration> migrations;
    uint32_t application_id = kResguardoApplicationId;
    // Reader connections (>= 1).
    int read_connections = 4;
    // Most write requests committed in one transaction (>= 1).
    size_t max_batch_size = 512;
    // Most write requests waiting for the writer (>= 1); beyond it Write
    // waits up to queue_full_wait, then returns RESOURCE_EXHAUSTED.
    size_t max_queued_writes = 8192;
    absl::Duration queue_full_wait = absl::Seconds(1);
    // How long a connection waits for a lock held by another process.
    absl::Duration busy_timeout = absl::Seconds(5);
    // Page caches, in KiB (>= 64): the writer's, and each reader's. They
    // bound the store's memory for pages: cache_size_kib +
    // read_connections * reader_cache_size_kib + 64 KiB (the checkpointer's),
    // 16 MiB with the defaults, plus SQLite's per-page overhead (about 5%).
    // The writer's cache survives its commits and holds the hot pages of
    // reads made in its batches (GetCase); a reader's is emptied by SQLite
    // at its first read after every commit of the writer, so a large one
    // only costs memory.
    int64_t cache_size_kib = 8192;
    int64_t reader_cache_size_kib = 2048;
    // A checkpoint (copying the WAL into the file) runs on a thread of its
    // own once the WAL holds this many pages (>= 1); never in a commit.
    int wal_checkpoint_pages = 1000;
    // While the store cannot write (unwritable()), how often an idle writer
    // tries a one-page write to find out whether the condition cleared.
    absl::Duration storage_probe_interval = absl::Seconds(1);
    // Run PRAGMA quick_check at open: reads and authenticates every page, so
    // a damaged or truncated file is refused at start-up rather than at the
    // read that finds it. Costs a full read of the file.
    bool verify_integrity_on_open = false;
  };

  // How Write keeps a failing function's writes from the other requests of
  // its batch.
  enum class Isolation {
    // fn runs in a SAVEPOINT of its own: if it fails, its writes are rolled
    // back and the other requests of the batch are unaffected.
    kSavepoint,
    // fn runs without a savepoint. A savepoint makes SQLite journal the
    // prior content of every page fn changes, and SQLCipher encrypts and
    // authenticates each of those pages (about 10 us a page): for a small
    // write, more than all its other work. For functions that make every
    // check before their first change, so that a failure after one means
    // damage or a bug: if fn fails before any statement of it changed the
    // database, nothing is lost and the batch goes on; if it fails after
    // one did, the store cannot take back fn's changes alone and rolls back
    // the whole transaction: fn gets its error and the rest of the batch
    // runs in a new transaction. The same happens when any request of the
    // batch meets a damaged page (DATA_LOSS), which leaves SQLite's
    // transaction unable to read another page. A kChecksFirst function
    // that had succeeded in the rolled-back transaction is then RUN AGAIN
    // in the new one (at most three runs in all, then UNAVAILABLE), so it
    // must be repeatable: it must not consume what it captured, and what it
    // does outside the transaction (besides WriteTxn::AfterBatch, which
    // runs anyway) must bear repeating. A kSavepoint request that had
    // succeeded gets UNAVAILABLE (not made; retry). OK still means
    // committed, and a failed fn never leaves a change behind.
    kChecksFirst,
  };

  // Counters since Open. `requests` > `commits` under concurrency is group
  // commit at work.
  struct WriteStats {
    uint64_t requests = 0;            // Write calls queued.
    uint64_t requests_committed = 0;  // ... that returned OK.
    uint64_t requests_failed = 0;     // ... that returned an error.
    uint64_t transactions = 0;        // Batches run.
    uint64_t commits = 0;             // Batches committed (one fsync each).
    uint64_t failed_commits = 0;      // Batches whose BEGIN/COMMIT failed.
    uint64_t largest_batch = 0;       // Most requests in one batch.
    uint64_t checkpoints = 0;         // Background checkpoints run.
    uint64_t failed_checkpoints = 0;  // ... that failed (the WAL keeps the
                                      // pages; the next one copies them).
    uint64_t queued = 0;              // Writes waiting in the queue now.
  };

  // One batch of the writer, as it ended.
  struct BatchReport {
    size_t requests = 0;         // Writes it took.
    bool committed = false;      // It committed (an fsync).
    absl::Duration commit_time;  // Its COMMIT: the WAL's write and fsync.
  };

  // Opens (or with create_if_missing creates) the database file `path` with
  // the 32-byte raw `key`, applies options.migrations, and starts the writer
  // thread and the reader connections. `key` is not retained by Database
  // (SQLCipher keeps its own copy per connection, wiped at close).
  // Errors:
  //   INVALID_ARGUMENT    the key is not 32 bytes; a bad option or migration
  //                       list (the message names it).
  //   NOT_FOUND           no file and !create_if_missing.
  //   FAILED_PRECONDITION the file does not open with this key, is not a
  //                       database, is empty, belongs to another application,
  //                       is at a schema version newer than the migrations,
  //                       or a migration step failed; the message names the
  //                       file ("... does not open with this node's key, or
  //                       is damaged").
  //   DATA_LOSS           a page failed its authentication check (tampered,
  //                       truncated, corrupted).
  static absl::StatusOr<std::unique_ptr<Database>> Open(
      const std::string& path, const crypto::SecretData& key, Options options);

  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  // Close()s.
  ~Database();

  // Runs `fn` in the writer's next transaction, isolated as `isolation`
  // says (by default in a SAVEPOINT of its own), and returns after that
  // transaction has committed durably (the WAL is fsynced). `fn` returns
  // absl::Status or absl::StatusOr<T>; Write returns the same type. The value
  // of a StatusOr is handed back only once the commit succeeded.
  //
  // If fn fails, its writes are rolled back and its status returned; the
  // other requests of the batch are unaffected (for kChecksFirst, see
  // Isolation for a failure after a change). If the batch's COMMIT fails,
  // every request of the batch gets that error and nothing of it is written:
  // OK always means committed. Other errors: RESOURCE_EXHAUSTED (queue full),
  // FAILED_PRECONDITION (closed, or called from inside a write function),
  // UNAVAILABLE (a storage condition, see writable(); or the batch was
  // rolled back by another request's storage error, or, for kSavepoint, by
  // a request that failed after a change or met a damaged page: the write
  // was not made — retry it; never ABORTED, which callers keep for
  // conflicts such as a stale etag).
  //
  // Foreign keys declared DEFERRABLE INITIALLY DEFERRED are checked only at
  // COMMIT, so one request's violation fails its whole batch: schemas should
  // keep foreign keys immediate (the default).
  //
  // `fn` runs on the writer thread while the caller waits; it should be
  // short (every other writer waits behind it) and must not block on other
  // writes. It is called once, or (kChecksFirst) again as Isolation says.
  //
  // Write(fn) is Write(Isolation::kSavepoint, fn).
  template <typename Fn>
  std::invoke_result_t<Fn&, WriteTxn&> Write(Fn&& fn) {
    return Write(Isolation::kSavepoint, std::forward<Fn>(fn));
  }
  template <typename Fn>
  std::invoke_result_t<Fn&, WriteTxn&> Write(Isolation isolation, Fn&& fn);

  // Write without waiting: queues `fn` and returns. OK means queued, and
  // `done` is then called exactly once with what Write would have returned,
  // after the batch has committed durably or been rolled back, on the
  // store's completion thread (one thread, which answers each batch's
  // writes in order while the writer goes on with the next batch). An
  // error means not queued (neither function is ever called):
  // RESOURCE_EXHAUSTED at once when the queue is full, FAILED_PRECONDITION
  // when closed. May be called from any thread (from a `done`, for
  // instance), but not from inside a write function. `done` should be
  // short and must not block: the answers after it wait for it.
  //
  // kReserved lets the write also take a reserve of room beyond
  // max_queued_writes (a quarter of it, at least 64), kept for writes that
  // must still be made when the queue is full of new work — the audit
  // entries of refusals.
  enum class Room { kNormal, kReserved };
  absl::Status WriteAsync(Isolation isolation,
                          absl::AnyInvocable<absl::Status(WriteTxn&)> fn,
                          absl::AnyInvocable<void(absl::Status)> done,
                          Room room = Room::kNormal);

  // Borrows a reader connection and runs `fn` in one read transaction: it
  // sees every write whose Write call returned before `fn`'s first
  // statement, and no later one. `fn` returns absl::Status or
  // absl::StatusOr<T>, as for Write. Waits while every reader is busy.
  // Errors besides fn's: FAILED_PRECONDITION when closed, DATA_LOSS for a
  // damaged page.
  template <typename Fn>
  std::invoke_result_t<Fn&, ReadTxn&> Read(Fn&& fn);

  // Refuses new reads and writes, commits every queued write, waits for
  // reads in progress, checkpoints and truncates the WAL, and closes the
  // file. Returns the checkpoint's error, if any. Idempotent; Write and Read
  // return FAILED_PRECONDITION afterwards.
  absl::Status Close() ABSL_LOCKS_EXCLUDED(close_mu_);

  WriteStats write_stats() const;

  // Storage conditions (storage_status.h). A write that fails because the
  // file system is full or failing gets UNAVAILABLE marked by
  // IsStorageUnavailable (so do the other requests of its batch), and the
  // store becomes unwritable until a transaction commits again: a later
  // batch, or the probe the idle writer makes every
  // Options::storage_probe_interval meanwhile, so that it recovers by
  // itself. Reads go on (their audit entries, which are writes, do not).
  bool writable() const;
  // `listener(writable, cause)` is called at each change of writable(), on
  // the writer thread, with the storage error when it becomes false (once
  // per episode). It must be short, must not block and must not write.
  // Replaces any previous listener; pass nullptr to remove it.
  void SetWritableListener(
      std::function<void(bool writable, const absl::Status& cause)> listener);

  // `listener(report)` is called on the writer thread after each batch
  // (how many writes it took, whether it committed, how long its COMMIT —
  // the WAL's write and fsync — took), before its callers learn their
  // results. It must be short, must not block and must not write. Replaces
  // any previous listener; pass nullptr to remove it. For the node's
  // metrics.
  void SetBatchListener(std::function<void(const BatchReport&)> listener);

  // The schema version after Open's migrations.
  int schema_version() const { return schema_version_; }
  const std::string& path() const { return path_; }

 private:
  Database(std::string path, int schema_version,
           std::unique_ptr<internal::Connection> writer_connection,
           std::vector<std::unique_ptr<internal::Connection>> readers,
           std::unique_ptr<internal::Connection> checkpointer,
           const Options& options);

  absl::Status WriteImpl(Isolation isolation,
                         absl::FunctionRef<absl::Status(WriteTxn&)> fn);
  absl::Status ReadImpl(absl::FunctionRef<absl::Status(ReadTxn&)> fn);

  template <typename Txn, typename Fn, typename Impl>
  static std::invoke_result_t<Fn&, Txn&> RunTyped(Fn& fn, Impl impl);

  const std::string path_;
  const int schema_version_;
  std::unique_ptr<internal::Connection> writer_connection_;
  std::unique_ptr<internal::GroupCommitWriter> writer_;
  std::unique_ptr<internal::ReadPool> readers_;
  std::unique_ptr<internal::WalCheckpointer> checkpointer_;

  absl::Mutex close_mu_;
  bool closed_ ABSL_GUARDED_BY(close_mu_) = false;
  absl::Status close_status_ ABSL_GUARDED_BY(close_mu_);
};

template <typename Txn, typename Fn, typename Impl>
std::invoke_result_t<Fn&, Txn&> Database::RunTyped(Fn& fn, Impl impl) {
  using R = std::invoke_result_t<Fn&, Txn&>;
  if constexpr (std::is_same_v<R, absl::Status>) {
    return impl([&fn](Txn& txn) -> absl::Status { return fn(txn); });
  } else {
    static_assert(internal::IsStatusOr<R>::value,
                  "a transaction function returns absl::Status or "
                  "absl::StatusOr<T>");
    std::optional<typename R::value_type> value;
    absl::Status status = impl([&fn, &value](Txn& txn) -> absl::Status {
      R result = fn(txn);
      if (!result.ok()) return result.status();
      value.emplace(*std::move(result));
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    return *std::move(value);
  }
}

template <typename Fn>
std::invoke_result_t<Fn&, WriteTxn&> Database::Write(Isolation isolation,
                                                     Fn&& fn) {
  return RunTyped<WriteTxn>(
      fn, [this, isolation](absl::FunctionRef<absl::Status(WriteTxn&)> f) {
        return WriteImpl(isolation, f);
      });
}

template <typename Fn>
std::invoke_result_t<Fn&, ReadTxn&> Database::Read(Fn&& fn) {
  return RunTyped<ReadTxn>(fn,
                           [this](absl::FunctionRef<absl::Status(ReadTxn&)> f) {
                             return ReadImpl(f);
                           });
}

}  // namespace resguardo::store

#endif  // RESGUARDO_SERVICES_STORE_DATABASE_H_
