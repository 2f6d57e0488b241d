// KeyRings: the institutions' key-encryption keys (KEKs) as stored in the
// node's kek_versions table, and the Envelope that wraps and unwraps each
// institution's DEKs under its ring. Rotation (admin/kek_rotations.h) adds a
// version here and, once no data key refers to the older ones, destroys
// them.
//
// Each institution has a crypto::KekRing; each version is stored exported
// (KekRing::Export) under the node's KEK-wrapping key, derived from the
// KeyProvider (KeyPurpose::kKekWrapping, generation 1). EnvelopeFor loads an
// institution's ring and caches it; the cache is checked against the stored
// rows on every call (a rolled-back or rotated ring is never served).
//
// Every operation runs in the caller's store transaction. Errors never
// contain key material.
//
// Thread safety: thread-safe. Ownership: the clock is not owned and must
// outlive the KeyRings; the KeyProvider is used only in New().
#ifndef RESGUARDO_SERVICES_ADMIN_KEY_RINGS_H_
#define RESGUARDO_SERVICES_ADMIN_KEY_RINGS_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "base/clock.h"
#include "crypto/aead.h"
#include "crypto/envelope.h"
#include "crypto/key_provider.h"
#include "services/store/snapshot_cache.h"
#include "services/store/transaction.h"

namespace resguardo::admin {

class KeyRings {
 public:
  // Derives the KEK-wrapping key from `keys`. Errors: the provider's
  // (UNAVAILABLE, INTERNAL).
  // REQUIRES: clock is not null.
  static absl::StatusOr<std::unique_ptr<KeyRings>> New(
      const crypto::KeyProvider& keys, const Clock* clock);

  KeyRings(const KeyRings&) = delete;
  KeyRings& operator=(const KeyRings&) = delete;

  // Inserts a new ring (version 1, primary) for `institution_id`.
  // REQUIRES: the institution has no ring yet.
  absl::Status Create(store::WriteTxn& txn, absl::string_view institution_id);

  // The versions of a ring after AddPrimaryVersion.
  struct NewVersion {
    uint32_t previous_primary = 0;
    uint32_t version = 0;  // the new primary
  };
  // Adds a random KEK at (highest stored version) + 1 and makes it the
  // primary; the older versions stay and still unwrap. NOT_FOUND "institution
  // has no keys" if there is no ring; RESOURCE_EXHAUSTED when versions run
  // out; the RNG's and the store's errors.
  absl::StatusOr<NewVersion> AddPrimaryVersion(
      store::WriteTxn& txn, absl::string_view institution_id);

  // Deletes every stored version of the institution other than `keep`,
  // which must be its primary (FAILED_PRECONDITION otherwise): the KEKs are
  // gone, and so is every data key still wrapped under them. Returns the
  // versions deleted, ascending.
  absl::StatusOr<std::vector<uint32_t>> DestroyAllBut(
      store::WriteTxn& txn, absl::string_view institution_id, uint32_t keep);

  // The Envelope of `institution_id` (its whole KEK ring; the primary
  // version wraps new DEKs). NOT_FOUND "institution has no keys" if there
  // is none; INTERNAL if a stored KEK does not import (wrong master key or
  // tampering — the message says which institution's ring, not the key).
  absl::StatusOr<std::shared_ptr<const crypto::Envelope>> EnvelopeFor(
      store::ReadTxn& txn, absl::string_view institution_id)
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct CachedRing {
    std::map<uint32_t, std::string> exported;  // version -> stored blob
    uint32_t primary = 0;
    std::shared_ptr<const crypto::Envelope> envelope;
  };

  KeyRings(std::unique_ptr<crypto::Aead> kek_wrapping, const Clock* clock);

  const std::unique_ptr<crypto::Aead> kek_wrapping_;
  const Clock* const clock_;

  absl::Mutex mu_;
  std::map<std::string, CachedRing, std::less<>> rings_ ABSL_GUARDED_BY(mu_);

  // Institution -> its envelope, for reads; dropped by every write to
  // kek_versions (Create, AddPrimaryVersion, DestroyAllBut).
  store::SnapshotCache<std::string, std::shared_ptr<const crypto::Envelope>>
      envelopes_{1024};
};

}  // namespace resguardo::admin

#endif  // RESGUARDO_SERVICES_ADMIN_KEY_RINGS_H_
