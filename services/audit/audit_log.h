// AuditLog: the node's append-only log of calls (DESIGN.md §5), stored in
// the node database's audit_entries table.
//
// Each entry is a v1::AuditEntry. The log gives it the next contiguous
// index (from 0) and, if unset, the time; serialises it deterministically
// ONCE and stores those bytes verbatim together with the RFC 9162 leaf hash
// SHA-256(0x00 ‖ bytes) (crypto::HashLeaf). Checkpoints and proofs are built
// from the stored leaf hashes; a verifier hashes the bytes it is given.
//
// An entry never holds personal data. This class takes only the fields of
// v1::AuditEntry (staff identities, method, resource names, codes, purpose,
// request id, a short note code); callers must never put a victim's data, a
// search term or free text from the request in any of them.
//
// Two ways to append:
//   - Append(txn, entry): inside the caller's Database::Write function, so a
//     write and its entry commit together. If the caller's function fails
//     (its savepoint rolls back), the entry goes too and its index is not
//     consumed: the next entry takes it. (Indices come from the table itself,
//     read on the single writer connection, so they are contiguous.)
//   - AppendDurably(db, entry): its own group-committed write; returns only
//     once the entry is durable (AppendDurablyThen: calls back then). For
//     refusals (nothing else to commit), and for reads of sealed data, BEFORE
//     the data is handed to the caller.
//
// Thread safety: thread-safe (no mutable state; the store serialises
// writes). Ownership: the clock is not owned and must outlive the log.
#ifndef RESGUARDO_SERVICES_AUDIT_AUDIT_LOG_H_
#define RESGUARDO_SERVICES_AUDIT_AUDIT_LOG_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/functional/any_invocable.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/clock.h"
#include "resguardo/v1/audit.pb.h"
#include "services/store/database.h"
#include "services/store/transaction.h"

namespace resguardo::audit {

// One stored entry, as read back.
struct StoredEntry {
  uint64_t index = 0;
  std::string bytes;      // the serialized v1::AuditEntry, verbatim
  std::string leaf_hash;  // as stored: HashLeaf(bytes) unless tampered
};

class AuditLog {
 public:
  // REQUIRES: clock != nullptr.
  explicit AuditLog(const Clock* clock) : clock_(clock) {}

  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Appends `entry` in `txn` (see above). Overwrites entry.index; sets
  // entry.time to the clock's now if unset. Returns the entry's index.
  // Errors: INVALID_ARGUMENT if a field is out of bounds (method, actor,
  // institution, resource or request_id longer than 512 bytes, note longer
  // than 64, outcome not a google.rpc.Code); the store's errors otherwise
  // (the caller should then fail its whole write: fail closed).
  absl::StatusOr<uint64_t> Append(store::WriteTxn& txn,
                                  v1::AuditEntry entry) const;

  // Appends `entry` in a write of its own and returns its index once it has
  // been committed durably. Errors as Append, and Database::Write's.
  // REQUIRES: not called from inside a Database::Write function.
  absl::StatusOr<uint64_t> AppendDurably(store::Database& db,
                                         v1::AuditEntry entry) const;

  // AppendDurably without waiting: `done` gets what AppendDurably would have
  // returned — on the store's completion thread once the entry's batch has
  // ended, or on this thread at once when the write could not be queued.
  // `done` must be short and must not block (see Database::WriteAsync).
  // With `reserved` the entry may take the store's reserve of queue room
  // (Database::Room::kReserved): for refusals, which must be audited when
  // the node is full of new work. A full queue is RESOURCE_EXHAUSTED.
  void AppendDurablyThen(
      store::Database& db, v1::AuditEntry entry,
      absl::AnyInvocable<void(absl::StatusOr<uint64_t>)> done,
      bool reserved = false) const;

  // The number of entries (= the next index).
  static absl::StatusOr<uint64_t> Size(store::ReadTxn& txn);

  // Entries with index in [from, to), in order; fewer if the log is shorter.
  // INVALID_ARGUMENT if from > to, or if to - from exceeds 10,000.
  static absl::StatusOr<std::vector<StoredEntry>> ReadEntries(
      store::ReadTxn& txn, uint64_t from, uint64_t to);

  // OK if every entry in [from, to) has leaf_hash == HashLeaf(bytes), its
  // bytes parse as a v1::AuditEntry whose index is its position, and no
  // index is missing. DATA_LOSS naming the first bad index otherwise.
  static absl::Status VerifyStoredEntries(store::ReadTxn& txn, uint64_t from,
                                          uint64_t to);

 private:
  const Clock* const clock_;
};

}  // namespace resguardo::audit

#endif  // RESGUARDO_SERVICES_AUDIT_AUDIT_LOG_H_
