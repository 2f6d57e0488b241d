#include "services/store/statement.h"

#include <sqlite3.h>

#include <cstdint>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "services/store/internal/connection.h"
#include "services/store/internal/sqlite_util.h"

namespace resguardo::store {
namespace {

const char* TypeName(int type) {
  switch (type) {
    case SQLITE_INTEGER:
      return "INTEGER";
    case SQLITE_FLOAT:
      return "REAL";
    case SQLITE_TEXT:
      return "TEXT";
    case SQLITE_BLOB:
      return "BLOB";
    default:
      return "NULL";
  }
}

}  // namespace

Statement::Statement(internal::StatementPtr stmt,
                     internal::Connection* connection)
    : stmt_(std::move(stmt)), connection_(connection) {}

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::move(other.stmt_)),
      connection_(std::exchange(other.connection_, nullptr)),
      stepped_(std::exchange(other.stepped_, false)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    Release();
    stmt_ = std::move(other.stmt_);
    connection_ = std::exchange(other.connection_, nullptr);
    stepped_ = std::exchange(other.stepped_, false);
  }
  return *this;
}

Statement::~Statement() { Release(); }

void Statement::Release() {
  if (stmt_ != nullptr && connection_ != nullptr) {
    connection_->ReturnStatement(std::move(stmt_));
  }
  stmt_.reset();
  connection_ = nullptr;
}

void Statement::PrepareToBind() {
  // Binding requires a reset statement; rebinding after a run starts the
  // next run.
  if (stepped_) {
    sqlite3_reset(stmt_.get());
    stepped_ = false;
  }
}

absl::Status Statement::BindResult(int rc, int index) {
  if (rc == SQLITE_OK) return absl::OkStatus();
  if (rc == SQLITE_RANGE) {
    return absl::InternalError(
        absl::StrCat("store: bind: parameter index ", index,
                     " is out of range for this statement"));
  }
  return connection_->Error(rc, absl::StrCat("bind parameter ", index));
}

absl::Status Statement::BindInt64(int index, int64_t value) {
  PrepareToBind();
  return BindResult(sqlite3_bind_int64(stmt_.get(), index, value), index);
}

absl::Status Statement::BindDouble(int index, double value) {
  PrepareToBind();
  return BindResult(sqlite3_bind_double(stmt_.get(), index, value), index);
}

absl::Status Statement::BindText(int index, absl::string_view value) {
  PrepareToBind();
  // A null data pointer would bind NULL; an empty view must bind ''.
  const char* data = value.data() != nullptr ? value.data() : "";
  return BindResult(sqlite3_bind_text64(stmt_.get(), index, data, value.size(),
                                        SQLITE_TRANSIENT, SQLITE_UTF8),
                    index);
}

absl::Status Statement::BindBlob(int index, absl::string_view value) {
  PrepareToBind();
  const char* data = value.data() != nullptr ? value.data() : "";
  return BindResult(sqlite3_bind_blob64(stmt_.get(), index, data, value.size(),
                                        SQLITE_TRANSIENT),
                    index);
}

absl::Status Statement::BindNull(int index) {
  PrepareToBind();
  return BindResult(sqlite3_bind_null(stmt_.get(), index), index);
}

absl::StatusOr<bool> Statement::Step() {
  if (connection_->read_only() && !sqlite3_stmt_readonly(stmt_.get())) {
    // Prepared before WriteTxn::ReadOnly and kept: still refused.
    return internal::Connection::ReadOnlyError();
  }
  stepped_ = true;
  const int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) {
    if (!sqlite3_stmt_readonly(stmt_.get())) connection_->CountWrite();
    return false;
  }
  // sqlite3_step (v2 interface) returns the extended code directly.
  absl::Status status = connection_->Error(rc, "step");
  sqlite3_reset(stmt_.get());
  return status;
}

absl::Status Statement::Run() {
  while (true) {
    absl::StatusOr<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
  }
}

absl::Status Statement::Reset() {
  // sqlite3_reset repeats the error of the last step, which Step() already
  // reported; the statement is reset either way.
  sqlite3_reset(stmt_.get());
  stepped_ = false;
  return absl::OkStatus();
}

int Statement::ColumnCount() const { return sqlite3_column_count(stmt_.get()); }

bool Statement::ColumnIsNull(int column) const {
  return sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL;
}

// One sqlite3_column_value per access, then the value's own accessors:
// each sqlite3_column_* call enters and leaves the connection's mutex and
// checks the index again, which a statistics scan pays several times per row
// of a million. The value is the statement's current row's, read on the
// statement's one thread (Statement is not thread-safe; the connection is
// opened NOMUTEX), as sqlite3_column_int64 and the others read it.
absl::StatusOr<sqlite3_value*> Statement::CheckedColumn(int column,
                                                        int type) const {
  if (column < 0 || column >= sqlite3_data_count(stmt_.get())) {
    return absl::OutOfRangeError(
        absl::StrCat("store: column ", column, " is not in the current row (",
                     sqlite3_data_count(stmt_.get()), " columns)"));
  }
  sqlite3_value* value = sqlite3_column_value(stmt_.get(), column);
  const int actual = sqlite3_value_type(value);
  if (actual != type) {
    const char* name = sqlite3_column_name(stmt_.get(), column);
    return absl::FailedPreconditionError(
        absl::StrCat("store: column ", column, " (", name ? name : "?",
                     ") holds ", TypeName(actual), ", not ", TypeName(type)));
  }
  return value;
}

absl::StatusOr<int64_t> Statement::ColumnInt64(int column) const {
  absl::StatusOr<sqlite3_value*> value = CheckedColumn(column, SQLITE_INTEGER);
  if (!value.ok()) return value.status();
  return sqlite3_value_int64(*value);
}

absl::StatusOr<double> Statement::ColumnDouble(int column) const {
  absl::StatusOr<sqlite3_value*> value = CheckedColumn(column, SQLITE_FLOAT);
  if (!value.ok()) return value.status();
  return sqlite3_value_double(*value);
}

absl::StatusOr<absl::string_view> Statement::ColumnText(int column) const {
  absl::StatusOr<sqlite3_value*> value = CheckedColumn(column, SQLITE_TEXT);
  if (!value.ok()) return value.status();
  // Fetch the pointer before the size, as SQLite documents.
  const unsigned char* data = sqlite3_value_text(*value);
  const int size = sqlite3_value_bytes(*value);
  if (data == nullptr) return absl::string_view();
  return absl::string_view(reinterpret_cast<const char*>(data), size);
}

absl::StatusOr<absl::string_view> Statement::ColumnBlob(int column) const {
  absl::StatusOr<sqlite3_value*> value = CheckedColumn(column, SQLITE_BLOB);
  if (!value.ok()) return value.status();
  const void* data = sqlite3_value_blob(*value);
  const int size = sqlite3_value_bytes(*value);
  if (data == nullptr) return absl::string_view();
  return absl::string_view(static_cast<const char*>(data), size);
}

}  // namespace resguardo::store
