#include "services/store/internal/connection.h"

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "base/status_macros.h"
#include "crypto/secret_data.h"
#include "services/store/internal/sqlite_util.h"
#include "services/store/statement.h"

namespace resguardo::store::internal {
namespace {

constexpr size_t kKeySize = 32;
constexpr size_t kMaxCachedStatements = 256;

absl::Status RefusedStatementError() {
  return absl::FailedPreconditionError(
      "store: transaction control (BEGIN, COMMIT, SAVEPOINT...), ATTACH and "
      "PRAGMA are not allowed inside a transaction function");
}

}  // namespace

crypto::SecretData RawKeyLiteral(const crypto::SecretData& key) {
  static constexpr char kHex[] = "0123456789abcdef";
  crypto::SecretData literal(std::string(2 * key.size() + 3, '\0'));
  uint8_t* out = literal.UnsafeMutableData();
  // The store must hand the key to SQLCipher; this is the one place it reads
  // the raw bytes.
  const absl::string_view raw = key.UnsafeRawBytes();
  *out++ = 'x';
  *out++ = '\'';
  for (unsigned char c : raw) {
    *out++ = kHex[c >> 4];
    *out++ = kHex[c & 0x0f];
  }
  *out = '\'';
  return literal;
}

Connection::Connection(SqlitePtr db, std::string path,
                       ConnectionOptions::Role role)
    : db_(std::move(db)), path_(std::move(path)), role_(role) {}

Connection::~Connection() {
  // Finalizes the cached statements before sqlite3_close.
  cache_.clear();
  control_.clear();
}

absl::StatusOr<std::unique_ptr<Connection>> Connection::Open(
    const std::string& path, const crypto::SecretData& key,
    const ConnectionOptions& options) {
  if (key.size() != kKeySize) {
    return absl::InvalidArgumentError(
        absl::StrCat("store: the database key must be ", kKeySize,
                     " bytes, not ", key.size()));
  }
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(
      path.c_str(), &raw,
      (options.open_read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
          SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_PRIVATECACHE,
      nullptr);
  SqlitePtr db(raw);
  if (rc != SQLITE_OK) {
    return absl::FailedPreconditionError(
        absl::StrCat("store: cannot open the database file ", path, ": ",
                     db ? sqlite3_errmsg(db.get()) : sqlite3_errstr(rc)));
  }
  sqlite3_extended_result_codes(db.get(), 1);
  std::unique_ptr<Connection> conn(
      new Connection(std::move(db), path, options.role));
  RETURN_IF_ERROR(conn->Configure(key, options));
  return conn;
}

absl::Status Connection::Configure(const crypto::SecretData& key,
                                   const ConnectionOptions& options) {
  sqlite3* db = db_.get();
  {
    crypto::SecretData literal = RawKeyLiteral(key);
    const absl::string_view bytes = literal.UnsafeRawBytes();
    const int rc = sqlite3_key_v2(db, "main", bytes.data(),
                                  static_cast<int>(bytes.size()));
    if (rc != SQLITE_OK) return Error(rc, "key");
  }
  // Must precede the first access to the file. SQLCipher 3.4.1 ignores
  // pragmas it does not know, so each setting is read back.
  RETURN_IF_ERROR(SetAndCheckPragma("cipher_page_size", absl::StrCat(kPageSize),
                                    absl::StrCat(kPageSize)));
  // Proves the key: the first read decrypts and authenticates page 1 (and
  // the rest of the schema). A wrong key fails here with NOTADB.
  RETURN_IF_ERROR(QueryInt("SELECT count(*) FROM sqlite_master").status());

  sqlite3_busy_timeout(
      db, static_cast<int>(absl::ToInt64Milliseconds(options.busy_timeout)));
  if (role_ == ConnectionOptions::Role::kWriter) {
    RETURN_IF_ERROR(SetAndCheckPragma("journal_mode", "WAL", "wal"));
    RETURN_IF_ERROR(SetAndCheckPragma(
        "journal_size_limit", absl::StrCat(options.wal_size_limit_bytes),
        absl::StrCat(options.wal_size_limit_bytes)));
  }
  // Durable: a COMMIT returns after the WAL is fsynced.
  RETURN_IF_ERROR(SetAndCheckPragma("synchronous", "FULL", "2"));
  RETURN_IF_ERROR(SetAndCheckPragma("foreign_keys", "ON", "1"));
  // Sorts and temporary tables stay in memory, never in a temporary file.
  RETURN_IF_ERROR(SetAndCheckPragma("temp_store", "MEMORY", "2"));
  // Deleted rows (a destroyed data key, for crypto-shredding) are overwritten
  // rather than left in free pages for someone who holds the database key.
  RETURN_IF_ERROR(SetAndCheckPragma("secure_delete", "ON", "1"));
  RETURN_IF_ERROR(SetAndCheckPragma("cache_size",
                                    absl::StrCat(-options.cache_size_kib),
                                    absl::StrCat(-options.cache_size_kib)));
  if (role_ == ConnectionOptions::Role::kReader) {
    RETURN_IF_ERROR(SetAndCheckPragma("query_only", "ON", "1"));
  }
  sqlite3_set_authorizer(db, &Connection::Authorize, this);
  return absl::OkStatus();
}

absl::Status Connection::SetAndCheckPragma(absl::string_view name,
                                           absl::string_view value,
                                           absl::string_view expected) {
  RETURN_IF_ERROR(Exec(absl::StrCat("PRAGMA ", name, " = ", value),
                       absl::StrCat("PRAGMA ", name)));
  ASSIGN_OR_RETURN(std::string actual,
                   QueryText(absl::StrCat("PRAGMA ", name)));
  if (!absl::EqualsIgnoreCase(actual, expected)) {
    return absl::FailedPreconditionError(
        absl::StrCat("store: PRAGMA ", name, " = ", value,
                     " did not take effect on ", path_, " (it reads '", actual,
                     "'); this SQLCipher build cannot "
                     "provide what the store requires"));
  }
  return absl::OkStatus();
}

int Connection::Authorize(void* self, int action, const char*, const char*,
                          const char*, const char*) {
  const auto* conn = static_cast<const Connection*>(self);
  if (!conn->user_code_) return SQLITE_OK;
  switch (action) {
    case SQLITE_TRANSACTION:
    case SQLITE_SAVEPOINT:
    case SQLITE_ATTACH:
    case SQLITE_DETACH:
    case SQLITE_PRAGMA:
      return SQLITE_DENY;
    default:
      return SQLITE_OK;
  }
}

absl::StatusOr<Statement> Connection::Prepare(absl::string_view sql) {
  StatementPtr stmt;
  auto it = cache_.find(sql);
  if (it != cache_.end() && !it->second.empty()) {
    stmt = std::move(it->second.back());
    it->second.pop_back();
    --cached_;
  } else {
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    const int rc = sqlite3_prepare_v2(
        db_.get(), sql.data(), static_cast<int>(sql.size()), &raw, &tail);
    stmt.reset(raw);
    if (rc == SQLITE_AUTH && user_code_) return RefusedStatementError();
    if (rc != SQLITE_OK) return Error(rc, "prepare");
    if (stmt == nullptr) {
      return absl::InvalidArgumentError("store: prepare: the SQL is empty");
    }
    const absl::string_view rest(tail, sql.data() + sql.size() - tail);
    if (!absl::StripAsciiWhitespace(rest).empty()) {
      return absl::InvalidArgumentError(
          "store: prepare takes exactly one SQL statement");
    }
  }
  // Checked on every Prepare, cached statements included: the writer's
  // cache holds statements that write, refused while it is read-only.
  if (user_code_ && (role_ == ConnectionOptions::Role::kReader || read_only_) &&
      !sqlite3_stmt_readonly(stmt.get())) {
    ReturnStatement(std::move(stmt));
    return ReadOnlyError();
  }
  return Statement(std::move(stmt), this);
}

absl::Status Connection::ReadOnlyError() {
  return absl::FailedPreconditionError(
      "store: a read transaction cannot run a statement that writes; use "
      "Database::Write");
}

void Connection::ReturnStatement(StatementPtr stmt) {
  sqlite3_reset(stmt.get());
  sqlite3_clear_bindings(stmt.get());
  if (cached_ >= kMaxCachedStatements) return;  // Finalized on return.
  const char* sql = sqlite3_sql(stmt.get());
  if (sql == nullptr) return;
  cache_[sql].push_back(std::move(stmt));
  ++cached_;
}

absl::Status Connection::Exec(absl::string_view sql,
                              absl::string_view context) {
  const std::string text(sql);
  const int rc =
      sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, nullptr);
  if (rc == SQLITE_AUTH && user_code_) return RefusedStatementError();
  if (rc != SQLITE_OK) {
    return Error(sqlite3_extended_errcode(db_.get()), context);
  }
  return absl::OkStatus();
}

absl::Status Connection::Control(absl::string_view sql,
                                 absl::string_view context) {
  // Kept apart from Prepare's cache, which would hand these statements to
  // user code that asks for the same text: the authorizer that refuses
  // transaction control in user code runs only when a statement is prepared.
  auto it = control_.find(sql);
  if (it == control_.end()) {
    sqlite3_stmt* raw = nullptr;
    const int rc = sqlite3_prepare_v2(
        db_.get(), sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
    StatementPtr stmt(raw);
    if (rc != SQLITE_OK) return Error(rc, context);
    it = control_.emplace(std::string(sql), std::move(stmt)).first;
  }
  sqlite3_stmt* stmt = it->second.get();
  const int rc = sqlite3_step(stmt);
  absl::Status status = absl::OkStatus();
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) status = Error(rc, context);
  sqlite3_reset(stmt);
  return status;
}

absl::StatusOr<std::string> Connection::QueryText(absl::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db_.get(), sql.data(),
                              static_cast<int>(sql.size()), &raw, nullptr);
  StatementPtr stmt(raw);
  if (rc != SQLITE_OK) return Error(rc, "prepare");
  rc = sqlite3_step(stmt.get());
  if (rc == SQLITE_DONE) return std::string();
  if (rc != SQLITE_ROW) return Error(rc, "read");
  const unsigned char* text = sqlite3_column_text(stmt.get(), 0);
  return text == nullptr ? std::string()
                         : std::string(reinterpret_cast<const char*>(text));
}

absl::StatusOr<int64_t> Connection::QueryInt(absl::string_view sql) {
  ASSIGN_OR_RETURN(std::string text, QueryText(sql));
  int64_t value = 0;
  if (!absl::SimpleAtoi(text, &value)) {
    return absl::InternalError("store: expected an integer result");
  }
  return value;
}

void Connection::SetWalHook(std::function<void(int frames)> hook) {
  wal_hook_ = std::move(hook);
  sqlite3_wal_hook(db_.get(), &Connection::WalHook, this);
}

int Connection::WalHook(void* self, sqlite3*, const char*, int frames) {
  static_cast<Connection*>(self)->wal_hook_(frames);
  return SQLITE_OK;
}

absl::Status Connection::CheckpointPassive() {
  const int rc = sqlite3_wal_checkpoint_v2(
      db_.get(), "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  if (rc != SQLITE_OK) return Error(rc, "checkpoint");
  return absl::OkStatus();
}

absl::Status Connection::Error(int rc, absl::string_view context) const {
  return SqliteError(db_.get(), rc, context, path_);
}

}  // namespace resguardo::store::internal
