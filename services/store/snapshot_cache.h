// SnapshotCache: a bounded in-memory cache of values read from the store,
// kept consistent with committed data without a read of the database.
//
// After every commit SQLite drops each reader connection's page cache, and
// SQLCipher then decrypts and authenticates afresh every page a read
// touches; a hot row (a caller's user record, a case being worked on) is
// read far more often than it changes. This cache keeps such rows:
//
//   // In a Database::Read function:
//   if (std::optional<Value> hit = cache.Get(key)) return *hit;
//   ASSIGN_OR_RETURN(Value value, LoadFromTheDatabase(txn, key));
//   cache.Offer(txn, key, value);
//   // In every Database::Write function that changes what `key` holds:
//   cache.Invalidate(txn, key);   // or InvalidateAll(txn)
//
// Consistency: a value is only kept if no invalidation has taken effect
// since the reader's snapshot began (ReadTxn::snapshot_floor), so a read of
// an older snapshot never puts back what a newer write replaced; an
// invalidation takes effect when the writer's batch ends (WriteTxn::
// AfterBatch), before any caller of that batch learns it committed. So a
// Get after a Write returned never sees what that write replaced. Offers
// from inside a write function (which sees uncommitted writes) are ignored.
// A failed or rolled-back write still invalidates (harmless).
//
// Bounded: past `capacity` entries an arbitrary one is dropped per insert.
// Values are copied out: use a cheap-to-copy Value (a shared_ptr<const T>).
//
// Thread safety: thread-safe.
#ifndef RESGUARDO_SERVICES_STORE_SNAPSHOT_CACHE_H_
#define RESGUARDO_SERVICES_STORE_SNAPSHOT_CACHE_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "services/store/transaction.h"

namespace resguardo::store {

template <typename Key, typename Value>
class SnapshotCache {
 public:
  // REQUIRES: capacity >= 1.
  explicit SnapshotCache(size_t capacity) : capacity_(capacity) {}
  SnapshotCache(const SnapshotCache&) = delete;
  SnapshotCache& operator=(const SnapshotCache&) = delete;

  std::optional<Value> Get(const Key& key) const ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    auto it = entries_.find(key);
    if (it == entries_.end()) return std::nullopt;
    return it->second;
  }

  // Keeps `value`, read in `txn`, unless an invalidation took effect after
  // txn's snapshot began or txn is a write function's.
  void Offer(const ReadTxn& txn, const Key& key, Value value)
      ABSL_LOCKS_EXCLUDED(mu_) {
    const std::optional<uint64_t> floor = txn.snapshot_floor();
    if (!floor.has_value()) return;
    absl::MutexLock lock(&mu_);
    if (*floor < last_invalidation_) return;
    if (entries_.size() >= capacity_ && entries_.find(key) == entries_.end()) {
      entries_.erase(entries_.begin());
    }
    entries_.insert_or_assign(key, std::move(value));
  }

  // `key` changes in `txn`: dropped when txn's batch ends.
  void Invalidate(WriteTxn& txn, Key key) {
    txn.AfterBatch([this, key = std::move(key)](uint64_t batch) {
      absl::MutexLock lock(&mu_);
      last_invalidation_ = std::max(last_invalidation_, batch);
      entries_.erase(key);
    });
  }

  // Everything may change in `txn`: all dropped when txn's batch ends.
  void InvalidateAll(WriteTxn& txn) {
    txn.AfterBatch([this](uint64_t batch) {
      absl::MutexLock lock(&mu_);
      last_invalidation_ = std::max(last_invalidation_, batch);
      entries_.clear();
    });
  }

  size_t size() const ABSL_LOCKS_EXCLUDED(mu_) {
    absl::MutexLock lock(&mu_);
    return entries_.size();
  }

 private:
  const size_t capacity_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<Key, Value> entries_ ABSL_GUARDED_BY(mu_);
  // The batch number of the latest invalidation that took effect.
  uint64_t last_invalidation_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace resguardo::store

#endif  // RESGUARDO_SERVICES_STORE_SNAPSHOT_CACHE_H_
