// Statement: one prepared SQL statement of the store, with typed bind, step
// and column helpers that return absl::Status / absl::StatusOr.
//
//   ASSIGN_OR_RETURN(store::Statement insert,
//                    txn.Prepare("INSERT INTO t(id, body) VALUES (?1, ?2)"));
//   RETURN_IF_ERROR(insert.BindText(1, id));
//   RETURN_IF_ERROR(insert.BindBlob(2, sealed));
//   RETURN_IF_ERROR(insert.Run());
//
//   ASSIGN_OR_RETURN(store::Statement query, txn.Prepare("SELECT n FROM t"));
//   while (true) {
//     ASSIGN_OR_RETURN(bool row, query.Step());
//     if (!row) break;
//     ASSIGN_OR_RETURN(int64_t n, query.ColumnInt64(0));
//   }
//
// Statements come from ReadTxn::Prepare / WriteTxn::Prepare (transaction.h),
// which reuse them from a per-connection cache: destroying a Statement resets
// it, clears its bindings and hands it back to that cache.
//
// Ownership and lifetime: a Statement borrows its connection. REQUIRES: it is
// destroyed before the transaction function that prepared it returns.
//
// Thread safety: none; a Statement is used by the thread that runs its
// transaction.
//
// Errors never contain bound values or the SQL text. Parameter and column
// indexes follow SQLite: parameters from 1, columns from 0.
#ifndef RESGUARDO_SERVICES_STORE_STATEMENT_H_
#define RESGUARDO_SERVICES_STORE_STATEMENT_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/store/internal/sqlite_util.h"

namespace resguardo::store {

namespace internal {
class Connection;
}  // namespace internal

class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  // Binders copy the value. Binding after the statement ran resets it first,
  // so bind-step-bind-step reuses one statement. They return INTERNAL for an
  // index out of range and INVALID_ARGUMENT for a value too large for SQLite.
  absl::Status BindInt64(int index, int64_t value);
  absl::Status BindDouble(int index, double value);
  absl::Status BindText(int index, absl::string_view value);
  absl::Status BindBlob(int index, absl::string_view value);
  absl::Status BindNull(int index);

  // Runs the statement one step: true when a row is available to the Column
  // accessors, false when the statement has finished. Errors map as in
  // internal/sqlite_util.h (e.g. ALREADY_EXISTS for a UNIQUE constraint,
  // DATA_LOSS for a page that fails its authentication check).
  absl::StatusOr<bool> Step();

  // Steps until the statement finishes (INSERT, UPDATE, DELETE, DDL).
  absl::Status Run();

  // Makes the statement ready to run again; the bindings stay.
  absl::Status Reset();

  int ColumnCount() const;
  bool ColumnIsNull(int column) const;

  // Typed accessors, valid after Step() returned true. Strict: a column whose
  // stored type differs (NULL included) is FAILED_PRECONDITION rather than
  // SQLite's silent conversion; an index out of range is OUT_OF_RANGE.
  // The string_views stay valid until the next Step, Reset or destruction.
  absl::StatusOr<int64_t> ColumnInt64(int column) const;
  absl::StatusOr<double> ColumnDouble(int column) const;
  absl::StatusOr<absl::string_view> ColumnText(int column) const;
  // An empty BLOB reads as an empty string_view.
  absl::StatusOr<absl::string_view> ColumnBlob(int column) const;

 private:
  friend class internal::Connection;
  Statement(internal::StatementPtr stmt, internal::Connection* connection);

  void PrepareToBind();
  absl::Status BindResult(int rc, int index);
  // The current row's value of `column` when it holds `type`.
  absl::StatusOr<sqlite3_value*> CheckedColumn(int column, int type) const;
  void Release();

  internal::StatementPtr stmt_;
  internal::Connection* connection_ = nullptr;
  bool stepped_ = false;  // Stepped since the last reset.
};

}  // namespace resguardo::store

#endif  // RESGUARDO_SERVICES_STORE_STATEMENT_H_
