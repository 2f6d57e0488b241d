// Envelope encryption of case records (DESIGN.md §4, "Per record").
//
//   KekRing   the versioned key-encryption keys (KEKs) of one institution;
//   DataKey   one case's data key (DEK), unwrapped, sealing that case's
//             records with AES-256-GCM under a RecordContext;
//   Envelope  wraps and unwraps DEKs under a KekRing.
//
// Crypto-shredding: the store keeps only the wrapped DEK. Deleting it (and
// destroying any DataKey in memory) makes every record of the case
// unreadable by any key in the system: the DEK is random, exists nowhere
// else, and no KEK can recreate it.
//
// Wire formats (integers big-endian; "lp(x)" = 4-byte length ‖ x):
//
//   sealed record (DataKey::Seal), version 1:
//     0x01 ‖ nonce (12) ‖ ciphertext ‖ tag (16)
//     GCM associated data = 0x01 ‖ RecordContext::Encode()
//
//   wrapped DEK (Envelope), version 1, always 65 bytes:
//     0x01 ‖ KEK version (4) ‖ nonce (12) ‖ encrypted DEK (32) ‖ tag (16)
//     GCM associated data = 0x01 ‖ KEK version (4) ‖
//       lp("resguardo.wrapped-dek.v1") ‖ lp(institution) ‖ lp(key name)
//
//   exported KEK (KekRing::Export), version 1:
//     0x01 ‖ KEK version (4) ‖ wrapping.Encrypt(KEK, ad)
//     ad = lp("resguardo.kek-export.v1") ‖ lp(institution) ‖ KEK version (4)
//
// Thread safety: KekRing and Envelope are thread-safe. A DataKey's const
// methods may run concurrently; Destroy() and moves need exclusive access.
#ifndef RESGUARDO_CRYPTO_ENVELOPE_H_
#define RESGUARDO_CRYPTO_ENVELOPE_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "crypto/aead.h"
#include "crypto/internal/aes_gcm.h"
#include "crypto/record_context.h"
#include "crypto/secret_data.h"

namespace resguardo::crypto {

// One case's data key, unwrapped. Move-only; wiped on destruction.
class DataKey {
 public:
  static constexpr size_t kKeySize = 32;
  static constexpr uint8_t kSealedFormatV1 = 0x01;
  // Bytes Seal adds to the plaintext: format byte, nonce, tag.
  static constexpr size_t kSealedOverhead =
      1 + internal::AesGcm256::kNonceSize + internal::AesGcm256::kTagSize;

  DataKey(DataKey&&) noexcept = default;
  DataKey& operator=(DataKey&&) noexcept = default;
  DataKey(const DataKey&) = delete;
  DataKey& operator=(const DataKey&) = delete;
  ~DataKey() = default;

  // Encrypts `plaintext` bound to `context` (a fresh random nonce each call).
  // Errors: FAILED_PRECONDITION after Destroy(); INVALID_ARGUMENT above
  // 1 GiB; INTERNAL if OpenSSL fails.
  absl::StatusOr<std::string> Seal(absl::string_view plaintext,
                                   const RecordContext& context) const;

  // Decrypts a Seal output. Opens only under the exact context it was sealed
  // with. Errors: FAILED_PRECONDITION after Destroy(); INVALID_ARGUMENT for a
  // short input, an unknown format byte, or "sealed record failed to
  // authenticate" (another key or context, or a corrupted record).
  absl::StatusOr<std::string> Open(absl::string_view sealed,
                                   const RecordContext& context) const;

  // Wipes the key now; Seal and Open fail from then on.
  void Destroy();
  bool destroyed() const { return cipher_ == nullptr; }

 private:
  friend class Envelope;
  DataKey(SecretData key, std::unique_ptr<const internal::AesGcm256> cipher)
      : key_(std::move(key)), cipher_(std::move(cipher)) {}
  // REQUIRES: key.size() == kKeySize.
  static absl::StatusOr<DataKey> FromSecret(SecretData key);

  SecretData key_;  // kept for Envelope::Wrap (referrals, rewrap)
  std::unique_ptr<const internal::AesGcm256> cipher_;
};

// The versioned KEKs of one institution. Versions start at 1 and are never
// reused by Rotate(); exactly one version is primary (used for new wraps)
// once the ring is not empty. Thread-safe.
class KekRing {
 public:
  static constexpr size_t kKekSize = 32;
  static constexpr uint8_t kExportFormatV1 = 0x01;

  // INVALID_ARGUMENT if `institution` is empty.
  static absl::StatusOr<std::unique_ptr<KekRing>> New(std::string institution);

  KekRing(const KekRing&) = delete;
  KekRing& operator=(const KekRing&) = delete;

  const std::string& institution() const { return institution_; }

  // Adds a random KEK at version (highest version ever held) + 1 and makes it
  // primary at once. Returns the new version. INTERNAL if the RNG fails,
  // RESOURCE_EXHAUSTED when versions run out.
  absl::StatusOr<uint32_t> Rotate() ABSL_LOCKS_EXCLUDED(mu_);

  // Adds `kek` at `version` (e.g. loaded from storage); it becomes primary
  // if `primary` is set or the ring was empty. Errors:
  // INVALID_ARGUMENT for version 0 or a KEK that is not 32 bytes;
  // ALREADY_EXISTS if the version is held.
  absl::Status Add(uint32_t version, SecretData kek, bool primary)
      ABSL_LOCKS_EXCLUDED(mu_);

  // Forgets `version`. Every DEK still wrapped under it becomes unopenable
  // (Unwrap returns NOT_FOUND): rewrap them all (Envelope::Rewrap) first.
  // Errors: NOT_FOUND if not held; FAILED_PRECONDITION for the primary.
  absl::Status Retire(uint32_t version) ABSL_LOCKS_EXCLUDED(mu_);

  // The primary version, or 0 while the ring is empty.
  uint32_t primary_version() const ABSL_LOCKS_EXCLUDED(mu_);
  // The held versions, ascending.
  std::vector<uint32_t> versions() const ABSL_LOCKS_EXCLUDED(mu_);

  // The KEK at `version`, encrypted under `wrapping` (the master-derived
  // KeyPurpose::kKekWrapping key) and bound to this institution and version.
  // NOT_FOUND if not held; `wrapping`'s errors otherwise.
  absl::StatusOr<std::string> Export(uint32_t version,
                                     const Aead& wrapping) const
      ABSL_LOCKS_EXCLUDED(mu_);

  // Adds the KEK in an Export output. INVALID_ARGUMENT if it is malformed,
  // was exported by another institution or for another version, or does not
  // decrypt under `wrapping`; Add's errors otherwise.
  absl::Status Import(absl::string_view exported, const Aead& wrapping,
                      bool primary) ABSL_LOCKS_EXCLUDED(mu_);

 private:
  friend class Envelope;
  using Cipher = std::shared_ptr<const internal::AesGcm256>;
  struct Kek {
    SecretData key;
    Cipher cipher;  // shared: an in-flight Unwrap survives a Retire
  };

  explicit KekRing(std::string institution)
      : institution_(std::move(institution)) {}

  // FAILED_PRECONDITION if the ring is empty.
  absl::StatusOr<std::pair<uint32_t, Cipher>> Primary() const
      ABSL_LOCKS_EXCLUDED(mu_);
  // NOT_FOUND if `version` is not held.
  absl::StatusOr<Cipher> Get(uint32_t version) const ABSL_LOCKS_EXCLUDED(mu_);

  const std::string institution_;
  mutable absl::Mutex mu_;
  std::map<uint32_t, Kek> keks_ ABSL_GUARDED_BY(mu_);
  uint32_t primary_ ABSL_GUARDED_BY(mu_) = 0;
  uint32_t highest_ ABSL_GUARDED_BY(mu_) = 0;
};

// Wraps and unwraps the DEKs of one institution under its KekRing. A wrapped
// DEK is bound to the institution and to `key_name` (the case's resource
// name): moved to another case or institution it does not unwrap.
// Thread-safe; holds no mutable state of its own.
class Envelope {
 public:
  static constexpr uint8_t kWrappedFormatV1 = 0x01;
  static constexpr size_t kWrappedSize =
      1 + 4 + internal::AesGcm256::kNonceSize + DataKey::kKeySize +
      internal::AesGcm256::kTagSize;

  struct NewKey {
    std::string wrapped;  // to store beside the case
    DataKey key;          // to seal the case's records now
  };

  // REQUIRES: ring != nullptr.
  explicit Envelope(std::shared_ptr<const KekRing> ring)
      : ring_(std::move(ring)) {}

  // A random DEK, wrapped under the primary KEK. Errors: INVALID_ARGUMENT
  // for an empty key_name; FAILED_PRECONDITION if the ring is empty.
  absl::StatusOr<NewKey> NewDataKey(absl::string_view key_name) const;

  // Wraps an existing DEK under this ring's primary KEK, e.g. the receiving
  // institution's copy of a referred case's DEK. Errors as NewDataKey, and
  // FAILED_PRECONDITION if `key` was destroyed.
  absl::StatusOr<std::string> Wrap(const DataKey& key,
                                   absl::string_view key_name) const;

  // Errors: INVALID_ARGUMENT for a malformed input or an empty key_name, or
  // "wrapped data key failed to authenticate" (another case or institution,
  // corrupted); NOT_FOUND if its KEK version is not in the ring (retired).
  absl::StatusOr<DataKey> Unwrap(absl::string_view wrapped,
                                 absl::string_view key_name) const;

  // The same DEK wrapped under the current primary KEK (always re-encrypted,
  // with a fresh nonce); the sealed records are untouched. Unwrap's and
  // Wrap's errors.
  absl::StatusOr<std::string> Rewrap(absl::string_view wrapped,
                                     absl::string_view key_name) const;

  // The KEK version in a wrapped DEK's header; does not authenticate.
  // INVALID_ARGUMENT if the size or format byte is wrong.
  static absl::StatusOr<uint32_t> KekVersionOf(absl::string_view wrapped);

 private:
  std::shared_ptr<const KekRing> ring_;
};

}  // namespace resguardo::crypto

#endif  // RESGUARDO_CRYPTO_ENVELOPE_H_
