#include "services/store/transaction.h"

#include <cstdint>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/store/internal/connection.h"
#include "services/store/statement.h"

namespace resguardo::store {

absl::StatusOr<Statement> ReadTxn::Prepare(absl::string_view sql) {
  return connection_->Prepare(sql);
}

absl::Status WriteTxn::Execute(absl::string_view sql) {
  if (connection_->read_only()) return internal::Connection::ReadOnlyError();
  // sqlite3_exec prepares through the same authorizer as Prepare. Counted
  // as a write whatever it holds, and even if it fails: of several
  // statements, those before the failing one stay.
  connection_->CountWrite();
  return connection_->Exec(sql, "execute");
}

int64_t WriteTxn::LastInsertRowId() const {
  return connection_->last_insert_rowid();
}

int WriteTxn::Changes() const { return connection_->changes(); }

absl::Status WriteTxn::ReadOnly(absl::FunctionRef<absl::Status(ReadTxn&)> fn) {
  const bool was_read_only = connection_->read_only();
  const uint64_t writes_before = connection_->writes();
  connection_->set_read_only(true);
  absl::Status status = fn(*this);
  connection_->set_read_only(was_read_only);
  if (connection_->writes() != writes_before) {
    // Every way to write is refused while read-only; should one get
    // through, this failure makes the writer roll the batch back.
    return absl::InternalError("store: a read-only function wrote");
  }
  return status;
}

void WriteTxn::AfterBatch(absl::AnyInvocable<void(uint64_t)> fn) {
  after_batch_->push_back(std::move(fn));
}

}  // namespace resguardo::store
