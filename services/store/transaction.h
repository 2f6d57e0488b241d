// ReadTxn and WriteTxn: what a transaction function of Database::Read and
// Database::Write (database.h) receives.
//
// A ReadTxn sees one consistent snapshot of committed data (a WAL read
// transaction) for the whole function. A WriteTxn runs inside the writer's
// current batch, in a SAVEPOINT of its own: if the function returns an error,
// what it wrote is rolled back and nothing else in the batch is affected.
// Because WriteTxn is-a ReadTxn, lookup helpers written against ReadTxn& work
// in both.
//
// Inside a transaction function, transaction control (BEGIN, COMMIT,
// SAVEPOINT, RELEASE, ROLLBACK), ATTACH/DETACH and PRAGMA are refused with
// FAILED_PRECONDITION: the store owns the transaction. A ReadTxn refuses
// statements that write.
//
// Ownership and lifetime: the store owns both objects; they and every
// Statement prepared from them are valid only during the function call.
// Thread safety: none; use them on the thread that runs the function.
#ifndef RESGUARDO_SERVICES_STORE_TRANSACTION_H_
#define RESGUARDO_SERVICES_STORE_TRANSACTION_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/store/statement.h"

namespace resguardo::store {

namespace internal {
class Connection;
class GroupCommitWriter;
class ReadPool;
}  // namespace internal

class ReadTxn {
 public:
  ReadTxn(const ReadTxn&) = delete;
  ReadTxn& operator=(const ReadTxn&) = delete;

  // Prepares exactly one SQL statement (with ?N parameters for every value;
  // never format values into SQL). Prepared statements are cached per
  // connection, so preparing the same text again is cheap.
  // Errors: INVALID_ARGUMENT (empty, or more than one statement),
  // FAILED_PRECONDITION (a refused statement, see above), INTERNAL (SQL
  // that does not compile; the message has SQLite's reason, not the SQL).
  absl::StatusOr<Statement> Prepare(absl::string_view sql);

  // For caches of committed data (snapshot_cache.h): in a Database::Read,
  // how many of the writer's batches had ended before this snapshot began
  // (the snapshot holds at least their commits); nullopt in a write
  // function, whose view includes writes that may yet be rolled back.
  std::optional<uint64_t> snapshot_floor() const { return snapshot_floor_; }

 protected:
  ReadTxn(internal::Connection* connection,
          std::optional<uint64_t> snapshot_floor)
      : connection_(connection), snapshot_floor_(snapshot_floor) {}
  ~ReadTxn() = default;

  internal::Connection* connection_;

 private:
  const std::optional<uint64_t> snapshot_floor_;

 private:
  friend class internal::ReadPool;
};

class WriteTxn : public ReadTxn {
 public:
  // Runs SQL without parameters (one or more statements), e.g. DDL. Values
  // go through Prepare and the Bind methods, never here.
  absl::Status Execute(absl::string_view sql);

  // The rowid of the last row inserted on this connection.
  int64_t LastInsertRowId() const;
  // Rows changed by the last INSERT, UPDATE or DELETE.
  int Changes() const;

  // Runs `fn(batch)` on the writer thread once the writer's current batch
  // has ended — committed or rolled back — and before any caller of the
  // batch learns its result. `batch` is the number of batches ended so far,
  // this one included (see ReadTxn::snapshot_floor). For caches of
  // committed data: a write function that changes what a cache holds drops
  // it from there (snapshot_cache.h). `fn` must not block nor write.
  void AfterBatch(absl::AnyInvocable<void(uint64_t)> fn);

  // Runs `fn` with this transaction as a ReadTxn that refuses statements
  // that write (FAILED_PRECONDITION), as a Database::Read's does; it sees
  // the batch's writes so far. For reads that must be in the same
  // transaction as a write, e.g. a read and its audit entry.
  absl::Status ReadOnly(absl::FunctionRef<absl::Status(ReadTxn&)> fn);

 private:
  friend class internal::GroupCommitWriter;
  using AfterBatchFns = std::vector<absl::AnyInvocable<void(uint64_t)>>;
  WriteTxn(internal::Connection* connection, AfterBatchFns* after_batch)
      : ReadTxn(connection, std::nullopt), after_batch_(after_batch) {}
  ~WriteTxn() = default;

  AfterBatchFns* const after_batch_;
};

}  // namespace resguardo::store

#endif  // RESGUARDO_SERVICES_STORE_TRANSACTION_H_
