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

 protected:
  explicit ReadTxn(internal::Connection* connection)
      : connection_(connection) {}
  ~ReadTxn() = default;

  internal::Connection* connection_;

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

 private:
  friend class internal::GroupCommitWriter;
  explicit WriteTxn(internal::Connection* connection) : ReadTxn(connection) {}
  ~WriteTxn() = default;
};

}  // namespace resguardo::store

#endif  // RESGUARDO_SERVICES_STORE_TRANSACTION_H_
