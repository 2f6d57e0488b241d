#include "services/audit/audit_log.h"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "base/status_macros.h"
#include "crypto/merkle_tree.h"
#include "crypto/secret_data.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "services/api/timestamps.h"
#include "services/store/statement.h"

namespace resguardo::audit {
namespace {

constexpr size_t kMaxFieldSize = 512;
constexpr size_t kMaxNoteSize = 64;
constexpr uint64_t kMaxReadRange = 10000;
// google.rpc.Code values are 0..16.
constexpr int kMaxRpcCode = 16;

absl::Status CheckEntry(const v1::AuditEntry& entry) {
  struct Field {
    const char* name;
    const std::string& value;
    size_t max;
  };
  for (const Field& f :
       {Field{"actor", entry.actor(), kMaxFieldSize},
        Field{"institution", entry.institution(), kMaxFieldSize},
        Field{"method", entry.method(), kMaxFieldSize},
        Field{"resource", entry.resource(), kMaxFieldSize},
        Field{"request_id", entry.request_id(), kMaxFieldSize},
        Field{"note", entry.note(), kMaxNoteSize}}) {
    if (f.value.size() > f.max) {
      return absl::InvalidArgumentError(absl::StrCat(
          "audit entry field '", f.name, "' is longer than ", f.max, " bytes"));
    }
  }
  if (entry.outcome() < 0 || entry.outcome() > kMaxRpcCode) {
    return absl::InvalidArgumentError(
        "audit entry field 'outcome' is not a google.rpc.Code");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> SerializeDeterministically(
    const v1::AuditEntry& entry) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream out(&stream);
    out.SetSerializationDeterministic(true);
    if (!entry.SerializeToCodedStream(&out) || out.HadError()) {
      return absl::InternalError("could not serialize an audit entry");
    }
  }
  return bytes;
}

}  // namespace

absl::StatusOr<uint64_t> AuditLog::Append(store::WriteTxn& txn,
                                          v1::AuditEntry entry) const {
  RETURN_IF_ERROR(CheckEntry(entry));
  // The writer connection is the only one that writes, and it sees its own
  // uncommitted rows: MAX(idx) + 1 is the next contiguous index, and a
  // rolled-back savepoint gives its indices back.
  ASSIGN_OR_RETURN(uint64_t index, Size(txn));
  entry.set_index(index);
  if (!entry.has_time()) {
    const absl::Time now = clock_->Now();
    const int64_t micros = absl::ToUnixMicros(now);
    entry.mutable_time()->set_seconds(micros / 1000000);
    entry.mutable_time()->set_nanos(static_cast<int32_t>(micros % 1000000) *
                                    1000);
  }
  ASSIGN_OR_RETURN(std::string bytes, SerializeDeterministically(entry));
  const std::string leaf = crypto::HashLeaf(bytes);
  ASSIGN_OR_RETURN(
      store::Statement insert,
      txn.Prepare("INSERT INTO audit_entries(idx, entry, leaf_hash, time, "
                  "institution, actor, method, resource, outcome, prev) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"));
  RETURN_IF_ERROR(insert.BindInt64(1, static_cast<int64_t>(index)));
  RETURN_IF_ERROR(insert.BindBlob(2, bytes));
  RETURN_IF_ERROR(insert.BindBlob(3, leaf));
  RETURN_IF_ERROR(insert.BindInt64(4, api::ToMicros(entry.time())));
  RETURN_IF_ERROR(insert.BindText(5, entry.institution()));
  RETURN_IF_ERROR(insert.BindText(6, entry.actor()));
  RETURN_IF_ERROR(insert.BindText(7, entry.method()));
  RETURN_IF_ERROR(insert.BindText(8, entry.resource()));
  RETURN_IF_ERROR(insert.BindInt64(9, entry.outcome()));
  // The schema's chain: each entry names its predecessor.
  RETURN_IF_ERROR(index == 0
                      ? insert.BindNull(10)
                      : insert.BindInt64(10, static_cast<int64_t>(index) - 1));
  RETURN_IF_ERROR(insert.Run());
  return index;
}

absl::StatusOr<uint64_t> AuditLog::AppendDurably(store::Database& db,
                                                 v1::AuditEntry entry) const {
  // One INSERT, after every check: nothing for a savepoint to undo. A copy
  // of the entry each time: a kChecksFirst function may run again.
  return db.Write(store::Database::Isolation::kChecksFirst,
                  [&](store::WriteTxn& txn) -> absl::StatusOr<uint64_t> {
                    return Append(txn, entry);
                  });
}

void AuditLog::AppendDurablyThen(
    store::Database& db, v1::AuditEntry entry,
    absl::AnyInvocable<void(absl::StatusOr<uint64_t>)> done,
    bool reserved) const {
  // The index is handed from the write function to `done` through the
  // shared state; `done` is called once, by whichever side gets to it.
  struct State {
    absl::AnyInvocable<void(absl::StatusOr<uint64_t>)> done;
    uint64_t index = 0;
  };
  auto state = std::make_shared<State>();
  state->done = std::move(done);
  absl::Status queued = db.WriteAsync(
      store::Database::Isolation::kChecksFirst,
      [this, state,
       entry = std::move(entry)](store::WriteTxn& txn) -> absl::Status {
        // A copy: a kChecksFirst function may run again (database.h).
        absl::StatusOr<uint64_t> index = Append(txn, entry);
        if (!index.ok()) return index.status();
        state->index = *index;
        return absl::OkStatus();
      },
      [state](absl::Status status) {
        if (!status.ok()) {
          std::move(state->done)(std::move(status));
        } else {
          std::move(state->done)(state->index);
        }
      },
      reserved ? store::Database::Room::kReserved
               : store::Database::Room::kNormal);
  if (!queued.ok()) std::move(state->done)(std::move(queued));
}

absl::StatusOr<uint64_t> AuditLog::Size(store::ReadTxn& txn) {
  ASSIGN_OR_RETURN(
      store::Statement query,
      txn.Prepare("SELECT COALESCE(MAX(idx) + 1, 0) FROM audit_entries"));
  ASSIGN_OR_RETURN(bool row, query.Step());
  if (!row) return absl::InternalError("could not read the audit log's size");
  ASSIGN_OR_RETURN(int64_t size, query.ColumnInt64(0));
  return static_cast<uint64_t>(size);
}

absl::StatusOr<std::vector<StoredEntry>> AuditLog::ReadEntries(
    store::ReadTxn& txn, uint64_t from, uint64_t to) {
  if (from > to) {
    return absl::InvalidArgumentError("audit range: 'from' is after 'to'");
  }
  if (to - from > kMaxReadRange) {
    return absl::InvalidArgumentError(
        absl::StrCat("audit range: at most ", kMaxReadRange, " entries"));
  }
  std::vector<StoredEntry> entries;
  if (from == to) return entries;
  // INTEGER PRIMARY KEY is a signed 64-bit rowid.
  if (from > static_cast<uint64_t>(INT64_MAX)) return entries;
  const int64_t end = to > static_cast<uint64_t>(INT64_MAX)
                          ? INT64_MAX
                          : static_cast<int64_t>(to);
  ASSIGN_OR_RETURN(
      store::Statement query,
      txn.Prepare("SELECT idx, entry, leaf_hash FROM audit_entries "
                  "WHERE idx >= ?1 AND idx < ?2 ORDER BY idx"));
  RETURN_IF_ERROR(query.BindInt64(1, static_cast<int64_t>(from)));
  RETURN_IF_ERROR(query.BindInt64(2, end));
  while (true) {
    ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    StoredEntry e;
    ASSIGN_OR_RETURN(int64_t idx, query.ColumnInt64(0));
    e.index = static_cast<uint64_t>(idx);
    ASSIGN_OR_RETURN(absl::string_view bytes, query.ColumnBlob(1));
    e.bytes = std::string(bytes);
    ASSIGN_OR_RETURN(absl::string_view leaf, query.ColumnBlob(2));
    e.leaf_hash = std::string(leaf);
    entries.push_back(std::move(e));
  }
  return entries;
}

absl::Status AuditLog::VerifyStoredEntries(store::ReadTxn& txn, uint64_t from,
                                           uint64_t to) {
  ASSIGN_OR_RETURN(uint64_t size, Size(txn));
  if (to > size) {
    return absl::InvalidArgumentError(
        "audit range: 'to' is beyond the end of the log");
  }
  uint64_t expected = from;
  while (expected < to) {
    const uint64_t chunk_end = std::min(to, expected + kMaxReadRange);
    ASSIGN_OR_RETURN(std::vector<StoredEntry> entries,
                     ReadEntries(txn, expected, chunk_end));
    for (const StoredEntry& e : entries) {
      if (e.index != expected) {
        return absl::DataLossError(
            absl::StrCat("audit entry ", expected, " is missing"));
      }
      if (!crypto::ConstantTimeEquals(e.leaf_hash, crypto::HashLeaf(e.bytes))) {
        return absl::DataLossError(absl::StrCat(
            "audit entry ", e.index, " does not match its leaf hash"));
      }
      v1::AuditEntry parsed;
      if (!parsed.ParseFromString(e.bytes) || parsed.index() != e.index) {
        return absl::DataLossError(absl::StrCat(
            "audit entry ", e.index, " is not the entry of its position"));
      }
      ++expected;
    }
    if (expected != chunk_end) {
      return absl::DataLossError(
          absl::StrCat("audit entry ", expected, " is missing"));
    }
  }
  return absl::OkStatus();
}

}  // namespace resguardo::audit
